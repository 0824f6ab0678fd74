"""Row <-> domain record conversion, one pair of functions per network table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import starmap
from typing import Any

from raretrace.domain.network import BomLine, Production, SupplyLink
from raretrace.domain.parties import Party, Role, Site
from raretrace.domain.parts import CompositionLine, Form, MagnetType, Part, PartKind


def to_row(table: str, rec: Any) -> dict[str, Any]:
    """A domain record as a dict of column values."""
    match table:
        case "parties":
            return {
                "party_id": rec.party_id,
                "name": rec.name,
                "country": rec.country,
                "roles": ";".join(r.value for r in rec.roles),
                "military_end_user": rec.military_end_user,
                "owner_party_id": rec.owner_party_id,
                "ownership_pct": rec.ownership_pct,
                "notes": rec.notes,
                "name_zh": rec.name_zh,
                "address": rec.address,
                "address_zh": rec.address_zh,
                "uscc": rec.uscc,
                "contact": rec.contact,
                "telephone": rec.telephone,
                "branch_of_party_id": rec.branch_of_party_id,
            }
        case "parts":
            return {
                "part_id": rec.part_id,
                "name": rec.name,
                "kind": rec.kind.value,
                "uom": rec.uom,
                "mass_kg": rec.mass_kg,
                "unit_value": rec.unit_value,
                "currency": rec.currency,
                "hs_code": rec.hs_code,
                "form": rec.form.value,
                "magnet_type": rec.magnet_type.value,
                "notes": rec.notes,
                "source": rec.source,
                "name_zh": rec.name_zh,
            }
        case "sites" | "composition" | "bom" | "supply" | "production":
            return {name: getattr(rec, name) for name in rec.__slots__}
    raise ValueError(f"unknown table {table!r}")


def from_row(table: str, row: Any) -> Any:
    """A row of a small table (attribute access) as a domain record; the big tables go
    through ``from_rows``."""
    match table:
        case "parties":
            return Party(
                party_id=row.party_id,
                name=row.name,
                country=row.country,
                roles=tuple(Role(r) for r in row.roles.split(";") if r),
                military_end_user=bool(row.military_end_user),
                owner_party_id=row.owner_party_id,
                ownership_pct=row.ownership_pct,
                notes=row.notes or "",
                name_zh=row.name_zh or "",
                address=row.address or "",
                address_zh=row.address_zh or "",
                uscc=row.uscc or "",
                contact=row.contact or "",
                telephone=row.telephone or "",
                branch_of_party_id=row.branch_of_party_id,
            )
        case "sites":
            return Site(
                site_id=row.site_id,
                party_id=row.party_id,
                name=row.name,
                country=row.country,
                city=row.city or "",
                notes=row.notes or "",
            )
    raise ValueError(f"unknown table {table!r}")


#: Column order of the tables ``from_rows`` converts positionally (the big ones).
FAST_COLUMNS: dict[str, tuple[str, ...]] = {
    "parts": (
        "part_id", "name", "kind", "uom", "mass_kg", "unit_value", "currency", "hs_code",
        "form", "magnet_type", "notes", "source", "name_zh",
    ),
    "composition": ("part_id", "element", "mass_fraction", "source"),
    "bom": ("parent_part_id", "child_part_id", "quantity"),
    "supply": ("supplier_site_id", "part_id", "buyer_site_id", "share", "lead_time_days"),
    "production": ("site_id", "part_id", "units_per_year"),
}  # fmt: skip

_KINDS = {k.value: k for k in PartKind}
_FORMS = {f.value: f for f in Form}
_MAGNETS = {m.value: m for m in MagnetType}


def from_rows(table: str, rows: Iterable[Sequence[Any]]) -> list[Any]:
    """Rows given as tuples in ``FAST_COLUMNS[table]`` order, as domain records: the
    records, built positionally (a million rows in seconds)."""
    match table:
        case "bom":
            return list(starmap(BomLine, rows))
        case "supply":
            return list(starmap(SupplyLink, rows))
        case "production":
            return list(starmap(Production, rows))
        case "composition":
            return [CompositionLine(p, e, f, s or "") for p, e, f, s in rows]
        case "parts":
            kinds, forms, magnets = _KINDS, _FORMS, _MAGNETS
            return [
                Part(pid, name, kinds[kind], uom, mass, value, cur, hs or "", forms[form],
                     magnets[mag], notes or "", source or "", name_zh or "")
                for pid, name, kind, uom, mass, value, cur, hs, form, mag, notes, source, name_zh
                in rows
            ]  # fmt: skip
    raise ValueError(f"no positional conversion for table {table!r}")
