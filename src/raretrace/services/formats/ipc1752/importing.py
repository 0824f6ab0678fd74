"""Importing a declaration into the network: map to parts, composition and BOM
lines, then the same merge -> ``validate_network`` -> diff -> upsert path as bundles
and surveys (``services/network/supplier_data.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from raretrace.domain.declarations import (
    Declaration,
    DeclarationClass,
    to_network_records,
    walk,
    zero_missing_rare_earths,
)
from raretrace.domain.network import Network
from raretrace.services.formats.ipc1752.parse import read_declaration
from raretrace.services.network.supplier_data import ChangeSet, Partial, plan_and_apply
from raretrace.storage.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class DeclarationImport:
    """What importing a declaration did (or would do, when not applied)."""

    source: str
    declaration_class: str
    supplier: str
    products: int
    changes: ChangeSet
    unmapped: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def import_declaration(uow: UnitOfWork, path: Path, *, apply: bool = True) -> DeclarationImport:
    """Map a declaration to parts, composition and BOM lines and write them in the
    caller's unit of work (or only diff them when ``apply`` is false)."""
    decl = read_declaration(path)
    return import_parsed(uow, decl, str(path), apply=apply)


def import_parsed(
    uow: UnitOfWork, decl: Declaration, label: str, *, apply: bool
) -> DeclarationImport:
    stored = uow.network.load()
    known = {p.part_id: p for p in stored.parts}
    source = f"IPC-1752A class {decl.declaration_class.value}: {Path(label).name}"
    mapped = to_network_records(decl, known, source=source)
    if decl.declaration_class is DeclarationClass.D:
        zero_missing_rare_earths(mapped, stored.composition, source=source)
    partial = Partial(Network(parts=mapped.parts, composition=mapped.composition, bom=mapped.bom))
    for key, line in mapped.lines.items():
        partial.where[key] = (label, line)
    changes = plan_and_apply(uow, partial, label=label, apply=apply)
    return DeclarationImport(
        source=label,
        declaration_class=decl.declaration_class.value,
        supplier=decl.supplier_name,
        products=sum(1 for _ in walk(decl.products)),
        changes=changes,
        unmapped=mapped.unmapped,
        notes=mapped.notes,
    )
