"""Material declarations (IPC-1752A Class C/D) as plain data, and their mapping to parts.

A declaration is a tree: ``Product`` -> ``SubProduct``... -> ``HomogeneousMaterial`` ->
``Substance`` (identified by CAS number, with an amount). This module holds the value
objects, the CAS table that says which element(s) a substance contributes, unit
conversion, and the pure mapping from a declaration to network records (``Part`` +
``CompositionLine`` + ``BomLine``). Reading and writing XML lives in
``services/formats/ipc1752.py``.

The CAS table and units live in ``domain/substances.py``. A substance whose CAS number
is not in the table is kept in the declaration and reported as *unmapped*; it
contributes no element to the composition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache

from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.network import BomLine
from raretrace.domain.parts import CompositionLine, Form, MagnetType, Part, PartKind
from raretrace.domain.substances import (
    CAS_TABLE,
    ELEMENT_CAS,
    Amount,
    CasEntry,
    Uom,
    cas_is_valid,
    parse_uom,
)

# --------------------------------------------------------------------------- declaration


class DeclarationClass(StrEnum):
    C = "C"  #: compliance against a declarable-substance list
    D = "D"  #: full material declaration, homogeneous-material level


@dataclass(frozen=True, slots=True)
class Substance:
    name: str
    cas: str | None
    amount: Amount | None
    line: int | None = None  #: source line, for located problems


@dataclass(frozen=True, slots=True)
class HomogeneousMaterial:
    name: str
    amount: Amount | None
    substances: tuple[Substance, ...] = ()
    group: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Product:
    """A product or sub-product: ``item_number`` becomes the part id."""

    item_number: str
    item_name: str
    mass: Amount | None
    materials: tuple[HomogeneousMaterial, ...] = ()
    sub_products: tuple[Product, ...] = ()
    quantity: float = 1.0  #: instances per parent (sub-products)
    unit_type: str = "Each"
    version: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Declaration:
    declaration_class: DeclarationClass
    products: tuple[Product, ...]
    supplier_name: str = ""
    supplier_id: str = ""
    response_date: str = ""
    #: Class C: list identities declared against, e.g. ``("IPC:EUROHS-1907",)``
    lists: tuple[str, ...] = ()


def walk(products: tuple[Product, ...]) -> Iterator[Product]:
    """Every product and sub-product, depth first."""
    stack = list(reversed(products))
    while stack:
        p = stack.pop()
        yield p
        stack.extend(reversed(p.sub_products))


# --------------------------------------------------------------------------- mapping


@dataclass(slots=True)
class Mapped:
    """Network records for a declaration, with where each came from."""

    parts: list[Part] = field(default_factory=list)
    composition: list[CompositionLine] = field(default_factory=list)
    bom: list[BomLine] = field(default_factory=list)
    #: (table, key) -> source line
    lines: dict[tuple[str, tuple[str, ...]], int | None] = field(default_factory=dict)
    #: (item_number, substance name, CAS or "") of substances not in ``CAS_TABLE``
    unmapped: list[tuple[str, str, str]] = field(default_factory=list)
    #: (item_number, message) for facts we could not use (missing masses ...)
    notes: list[tuple[str, str]] = field(default_factory=list)


def material_mass_mg(m: HomogeneousMaterial, product_mg: float | None) -> float | None:
    if m.amount is not None:
        return m.amount.mass_mg(product_mg)
    total = 0.0
    for s in m.substances:
        if s.amount is None or not s.amount.uom.is_mass:
            return None
        total += s.amount.mass_mg(None) or 0.0
    return total


def element_masses_mg(p: Product, notes: list[tuple[str, str]] | None = None) -> dict[str, float]:
    """Element -> mg in one unit of ``p``, sub-products included (times their quantity)."""
    own_mg = p.mass.mass_mg(None) if p.mass is not None else None
    out: dict[str, float] = defaultdict(float)
    for m in p.materials:
        m_mg = material_mass_mg(m, own_mg)
        for s in m.substances:
            if s.amount is None:
                continue
            s_mg = s.amount.mass_mg(m_mg)
            if s_mg is None:
                if notes is not None:
                    notes.append((p.item_number, f"no mass for {m.name!r}: {s.name} skipped"))
                continue
            fractions = _fractions(s.cas or "")
            if fractions is None:
                continue
            for el, frac in fractions.items():
                out[el] += s_mg * frac
    for sp in p.sub_products:
        for el, mg in element_masses_mg(sp, notes).items():
            out[el] += mg * sp.quantity
    return dict(out)


@lru_cache(maxsize=1024)
def _fractions(cas: str) -> dict[str, float] | None:
    entry = CAS_TABLE.get(cas)
    return None if entry is None else entry.element_fractions()


def product_mass_mg(p: Product) -> float | None:
    """Declared mass, else the sum of material and sub-product masses."""
    if p.mass is not None and p.mass.uom.is_mass:
        return p.mass.mass_mg(None)
    total = 0.0
    for m in p.materials:
        mg = material_mass_mg(m, None)
        if mg is None:
            return None
        total += mg
    for sp in p.sub_products:
        sub = product_mass_mg(sp)
        if sub is None:
            return None
        total += sub * sp.quantity
    return total or None


def _infer_magnet(fractions: dict[str, float]) -> MagnetType:
    if fractions.get("Sm", 0) > 0.15 and fractions.get("Co", 0) > 0.3:
        return MagnetType.SMCO
    nd_pr = fractions.get("Nd", 0) + fractions.get("Pr", 0)
    if nd_pr > 0.2 and fractions.get("Fe", 0) > 0.5 and fractions.get("B", 0) > 0.005:
        return MagnetType.NDFEB
    return MagnetType.NONE


def to_network_records(decl: Declaration, known: dict[str, Part], *, source: str) -> Mapped:
    """Parts, declared composition and BOM lines for every (sub-)product.

    A part already in the workspace (``known``) keeps its kind, value, codes and notes;
    only its mass (and magnet type, when the content says so) come from the declaration.
    Composition is the whole product's content, sub-products included. Rare earths that
    the workspace records for a declared part but the declaration does not list are
    written as 0 so that a full declaration replaces the earlier statement.
    """
    out = Mapped()
    seen: set[str] = set()
    for p in walk(decl.products):
        if p.item_number in seen:
            continue
        seen.add(p.item_number)
        total_mg = product_mass_mg(p)
        masses = element_masses_mg(p, out.notes)
        fractions: dict[str, float] = {}
        if total_mg:
            fractions = {el: mg / total_mg for el, mg in masses.items() if mg > 0}
        elif masses:
            out.notes.append((p.item_number, "no product mass; composition not derived"))
        for m in p.materials:
            for s in m.substances:
                if (s.cas or "") not in CAS_TABLE:
                    out.unmapped.append((p.item_number, s.name, s.cas or ""))
        magnet = _infer_magnet(fractions)
        old = known.get(p.item_number)
        mass_kg = total_mg / 1e6 if total_mg else None
        if old is None:
            is_magnet = magnet is not MagnetType.NONE and not p.sub_products
            part = Part(
                part_id=p.item_number,
                name=p.item_name or p.item_number,
                kind=PartKind.MAGNET if is_magnet else PartKind.COMPONENT,
                mass_kg=mass_kg,
                form=Form.MAGNET if is_magnet else Form.OTHER,
                magnet_type=magnet if is_magnet else MagnetType.NONE,
                source=source,
            )
        else:
            part = replace(
                old,
                mass_kg=mass_kg if mass_kg is not None else old.mass_kg,
                magnet_type=magnet
                if magnet is not MagnetType.NONE and not p.sub_products
                else old.magnet_type,
            )
        out.parts.append(part)
        out.lines[("parts", (part.part_id,))] = p.line
        if decl.declaration_class is DeclarationClass.D and fractions:
            total = sum(fractions.values())
            scale = 1.0 / total if total > 1.0 else 1.0  # rounding in the file
            for el in sorted(fractions):
                out.composition.append(
                    CompositionLine(p.item_number, el, round(fractions[el] * scale, 12), source)
                )
                out.lines[("composition", (p.item_number, el))] = p.line
        for sp in p.sub_products:
            out.bom.append(BomLine(p.item_number, sp.item_number, sp.quantity))
            out.lines[("bom", (p.item_number, sp.item_number))] = sp.line
    return out


def zero_missing_rare_earths(mapped: Mapped, stored: list[CompositionLine], *, source: str) -> None:
    """Add 0-fraction lines for stored rare earths a full declaration no longer lists."""
    declared: dict[str, set[str]] = defaultdict(set)
    for c in mapped.composition:
        declared[c.part_id].add(c.element)
    for c in stored:
        if (
            c.part_id in declared
            and c.element in RARE_EARTHS
            and c.element not in declared[c.part_id]
            and c.mass_fraction > 0
        ):
            mapped.composition.append(CompositionLine(c.part_id, c.element, 0.0, source))


# --------------------------------------------------------------------------- export


def declaration_from_part(part: Part, composition: list[CompositionLine]) -> Declaration:
    """A Class D declaration of one part: one homogeneous material per part, one
    substance per element (CAS of the element), amounts in mg per unit.

    Needs ``part.mass_kg``. Elements without a known CAS number are written with
    their symbol as name and no SubstanceID.
    """

    def product(p: Part, comp: list[CompositionLine], qty: float) -> Product:
        mass_mg = (p.mass_kg or 0.0) * 1e6
        subs = tuple(
            Substance(
                name=c.element,
                cas=ELEMENT_CAS.get(c.element),
                amount=Amount(c.mass_fraction * mass_mg, Uom.MG),
            )
            for c in sorted(comp, key=lambda c: c.element)
            if c.mass_fraction > 0
        )
        materials = (
            (HomogeneousMaterial(p.name or p.part_id, Amount(mass_mg, Uom.MG), subs),)
            if subs
            else ()
        )
        return Product(
            item_number=p.part_id,
            item_name=p.name,
            mass=Amount(mass_mg, Uom.MG) if p.mass_kg else None,
            materials=materials,
            quantity=qty,
        )

    top = product(part, composition, 1.0)
    return Declaration(DeclarationClass.D, (top,), supplier_name="raretrace export")


__all__ = [
    "CAS_TABLE",
    "ELEMENT_CAS",
    "Amount",
    "CasEntry",
    "Declaration",
    "DeclarationClass",
    "HomogeneousMaterial",
    "Mapped",
    "Product",
    "Substance",
    "Uom",
    "cas_is_valid",
    "declaration_from_part",
    "element_masses_mg",
    "parse_uom",
    "product_mass_mg",
    "to_network_records",
    "walk",
    "zero_missing_rare_earths",
]
