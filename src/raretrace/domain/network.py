"""The supply network: BOM lines, supply links, production, and the aggregate.

The network is a graph of *(site, part)* nodes. A node exists where a site produces a
part: a ``Production`` row, or a supply link in which the site is the supplier. A node
``(S, P)`` needs, per unit of ``P``, ``quantity`` units of each BOM child ``C``; those
come from the sites that supply ``C`` to ``S`` (supply links, split by ``share``) or
from ``S`` itself when it produces ``C``. Because shares and sources are kept per
buying site, a rollup can say "of the Dy in vehicle X at plant Y, 70 % came through
magnet maker Z in country C".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from raretrace.domain.parties import Party, Site
from raretrace.domain.parts import CompositionLine, Part


@dataclass(frozen=True, slots=True)
class BomLine:
    """``quantity`` units of ``child_part_id`` go into one unit of ``parent_part_id``."""

    parent_part_id: str
    child_part_id: str
    quantity: float


@dataclass(frozen=True, slots=True)
class SupplyLink:
    """``supplier_site_id`` supplies ``part_id`` to ``buyer_site_id``.

    ``share`` is the fraction (0..1] of the buyer's need for that part that this link
    covers; ``lead_time_days`` is the order-to-receipt time.
    """

    supplier_site_id: str
    part_id: str
    buyer_site_id: str
    share: float
    lead_time_days: int | None = None


@dataclass(frozen=True, slots=True)
class Production:
    """``site_id`` produces ``part_id``; ``units_per_year`` is the production plan."""

    site_id: str
    part_id: str
    units_per_year: float | None = None


@dataclass(slots=True)
class Network:
    """A whole supply network in memory, as plain domain records."""

    parties: list[Party] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    composition: list[CompositionLine] = field(default_factory=list)
    bom: list[BomLine] = field(default_factory=list)
    supply: list[SupplyLink] = field(default_factory=list)
    production: list[Production] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in TABLES}

    def merged_with(self, other: Network) -> Network:
        """Return a new network: ``other``'s records replace same-keyed ones of ``self``."""
        out = Network()
        for name in TABLES:
            merged: dict[tuple[str, ...], object] = {}
            for rec in getattr(self, name):
                merged[record_key(name, rec)] = rec
            for rec in getattr(other, name):
                merged[record_key(name, rec)] = rec
            setattr(out, name, list(merged.values()))
        return out

    def part(self, part_id: str) -> Part | None:
        for p in self.parts:
            if p.part_id == part_id:
                return p
        return None


#: Table names in dependency order (a table only refers to tables before it).
TABLES: tuple[str, ...] = (
    "parties",
    "sites",
    "parts",
    "composition",
    "bom",
    "supply",
    "production",
)


def record_key(table: str, rec: object) -> tuple[str, ...]:
    """The natural key of a record of ``table`` (what makes two rows 'the same')."""
    match table:
        case "parties":
            assert isinstance(rec, Party)
            return (rec.party_id,)
        case "sites":
            assert isinstance(rec, Site)
            return (rec.site_id,)
        case "parts":
            assert isinstance(rec, Part)
            return (rec.part_id,)
        case "composition":
            assert isinstance(rec, CompositionLine)
            return (rec.part_id, rec.element)
        case "bom":
            assert isinstance(rec, BomLine)
            return (rec.parent_part_id, rec.child_part_id)
        case "supply":
            assert isinstance(rec, SupplyLink)
            return (rec.supplier_site_id, rec.part_id, rec.buyer_site_id)
        case "production":
            assert isinstance(rec, Production)
            return (rec.site_id, rec.part_id)
    raise ValueError(f"unknown table {table!r}")


def bom_depth(bom: Iterable[BomLine]) -> int:
    """Number of BOM levels (a part with no children is level 1). Assumes no cycles."""
    children: dict[str, list[str]] = {}
    parents: set[str] = set()
    nodes: set[str] = set()
    for line in bom:
        children.setdefault(line.parent_part_id, []).append(line.child_part_id)
        parents.add(line.parent_part_id)
        nodes.update((line.parent_part_id, line.child_part_id))
    depth: dict[str, int] = {}
    for start in nodes:
        if start in depth:
            continue
        stack: list[tuple[str, bool]] = [(start, False)]
        while stack:
            node, expanded = stack.pop()
            if node in depth:
                continue
            kids = children.get(node, [])
            if expanded or not kids:
                depth[node] = 1 + max((depth.get(k, 1) for k in kids), default=0)
                continue
            stack.append((node, True))
            stack.extend((k, False) for k in kids if k not in depth)
    return max(depth.values(), default=0)
