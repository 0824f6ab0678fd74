"""Browsing the network: an index compiled once per revision, part lists and details,
and the supplier table.

``NetworkIndex`` is built from a ``Network`` in one pass, or over the array snapshot of
the tables (``services.network.catalogue_snapshot``), and then answers every lookup in constant
or logarithmic time, so a web page of a large workspace costs look-ups, not scans.
Callers cache it by workspace revision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.network import BomLine, Network, Production, SupplyLink
from raretrace.domain.parties import Party, Site
from raretrace.domain.parts import CompositionLine, Part, PartKind
from raretrace.errors import NotFoundError

if TYPE_CHECKING:
    from raretrace.storage.snapshot import TableSnapshot

_RE_ORDER = {e: i for i, e in enumerate(RARE_EARTHS)}


class NetworkIndex:
    """Look-up tables over one network revision: dictionaries built from a ``Network``
    (``build_index``), or read-only mappings over an array snapshot of the tables
    (``index_of_snapshot``: records are built one at a time when looked up, and the
    whole ``network`` only when a view asks for it)."""

    __slots__ = (
        "_network", "_network_of", "children", "composition", "parents", "parties", "parts",
        "production_by_part", "rare_earths", "revision", "sites", "snapshot",
        "supply_by_buyer", "supply_by_part",
    )  # fmt: skip

    def __init__(
        self,
        revision: int,
        network: Network | Callable[[], Network],
        *,
        parts: Mapping[str, Part],
        sites: Mapping[str, Site],
        parties: Mapping[str, Party],
        children: Mapping[str, list[BomLine]],
        parents: Mapping[str, list[BomLine]],
        composition: Mapping[str, list[CompositionLine]],
        supply_by_part: Mapping[str, list[SupplyLink]],
        supply_by_buyer: Mapping[tuple[str, str], list[SupplyLink]],
        production_by_part: Mapping[str, list[Production]],
        rare_earths: Mapping[str, tuple[str, ...]],
        snapshot: TableSnapshot | None = None,
    ) -> None:
        self.revision = revision
        self._network = network if isinstance(network, Network) else None
        self._network_of = None if isinstance(network, Network) else network
        self.parts, self.sites, self.parties = parts, sites, parties
        self.children, self.parents, self.composition = children, parents, composition
        self.supply_by_part, self.supply_by_buyer = supply_by_part, supply_by_buyer
        self.production_by_part = production_by_part
        #: part id -> rare earths declared in it or anywhere below it in the BOM
        self.rare_earths = rare_earths
        #: the array snapshot behind the mappings (None: built from a ``Network``)
        self.snapshot = snapshot

    @property
    def network(self) -> Network:
        """The whole network as records (loaded on first use for a snapshot index)."""
        if self._network is None:
            assert self._network_of is not None
            self._network = self._network_of()
        return self._network

    def part(self, part_id: str) -> Part:
        try:
            return self.parts[part_id]
        except KeyError:
            raise NotFoundError(f"no part {part_id!r}") from None

    def site_label(self, site_id: str) -> tuple[str, str, str]:
        """(site name, party name, country) for a site id (blank parts when unknown)."""
        site = self.sites.get(site_id)
        if site is None:
            return site_id, "", ""
        party = self.parties.get(site.party_id)
        return site.name, party.name if party else site.party_id, site.country


def build_index(network: Network, revision: int) -> NetworkIndex:
    children: dict[str, list[BomLine]] = defaultdict(list)
    parents: dict[str, list[BomLine]] = defaultdict(list)
    for b in network.bom:
        children[b.parent_part_id].append(b)
        parents[b.child_part_id].append(b)
    composition: dict[str, list[CompositionLine]] = defaultdict(list)
    for c in network.composition:
        composition[c.part_id].append(c)
    by_part: dict[str, list[SupplyLink]] = defaultdict(list)
    by_buyer: dict[tuple[str, str], list[SupplyLink]] = defaultdict(list)
    for s in network.supply:
        by_part[s.part_id].append(s)
        by_buyer[(s.buyer_site_id, s.part_id)].append(s)
    production: dict[str, list[Production]] = defaultdict(list)
    for pr in network.production:
        production[pr.part_id].append(pr)
    parts = {p.part_id: p for p in network.parts}
    comp = dict(composition)
    kids = dict(children)
    return NetworkIndex(
        revision, network, parts=parts, sites={s.site_id: s for s in network.sites},
        parties={p.party_id: p for p in network.parties}, children=kids,
        parents=dict(parents), composition=comp, supply_by_part=dict(by_part),
        supply_by_buyer=dict(by_buyer), production_by_part=dict(production),
        rare_earths=_rare_earths_below(parts, kids, comp),
    )  # fmt: skip


def _rare_earths_below(
    parts: Mapping[str, Part],
    children: Mapping[str, list[BomLine]],
    composition: Mapping[str, list[CompositionLine]],
) -> dict[str, tuple[str, ...]]:
    own = {
        pid: {c.element for c in lines if c.element in _RE_ORDER and c.mass_fraction > 0}
        for pid, lines in composition.items()
    }
    memo: dict[str, frozenset[str]] = {}
    for root in parts:
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if node in memo:
                continue
            kids = [b.child_part_id for b in children.get(node, ())]
            if done:
                acc = set(own.get(node, ()))
                for kid in kids:
                    acc |= memo.get(kid, frozenset())
                memo[node] = frozenset(acc)
                continue
            stack.append((node, True))
            stack.extend((k, False) for k in kids if k not in memo)
    return {p: tuple(sorted(s, key=_RE_ORDER.__getitem__)) for p, s in memo.items() if s}


# -- parts ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartSummary:
    part_id: str
    name: str
    kind: str
    rare_earths: tuple[str, ...]
    supplier_count: int


@dataclass(frozen=True, slots=True)
class PartList:
    total: int
    offset: int
    limit: int
    items: list[PartSummary]


def list_parts(
    idx: NetworkIndex,
    *,
    kind: PartKind | None = None,
    q: str = "",
    rare_earths_only: bool = False,
    offset: int = 0,
    limit: int = 50,
    element: str = "",
) -> PartList:
    """Parts by id; ``element``: only parts whose own declared composition holds it."""
    needle = q.strip().lower()
    if idx.snapshot is not None:  # the same filters, over the part columns
        from raretrace.services.network.catalogue_snapshot import list_part_rows

        rows = list_part_rows(
            idx.snapshot, kind=kind, needle=needle, rare_earths_only=rare_earths_only,
            element=element,
        )  # fmt: skip
        page = idx.snapshot.records("parts", rows[offset : offset + limit])
        return PartList(len(rows), offset, limit, _summaries(idx, page))

    def declares(part_id: str) -> bool:
        return any(
            c.element == element and c.mass_fraction > 0 for c in idx.composition.get(part_id, ())
        )

    matches = [
        p
        for p in idx.parts.values()
        if (kind is None or p.kind is kind)
        and (not rare_earths_only or p.part_id in idx.rare_earths)
        and (not element or declares(p.part_id))
        and (not needle or needle in p.part_id.lower() or needle in p.name.lower())
    ]
    matches.sort(key=lambda p: p.part_id)
    return PartList(len(matches), offset, limit, _summaries(idx, matches[offset : offset + limit]))


def _summaries(idx: NetworkIndex, page: list[Part]) -> list[PartSummary]:
    return [
        PartSummary(
            p.part_id,
            p.name,
            p.kind.value,
            idx.rare_earths.get(p.part_id, ()),
            len({s.supplier_site_id for s in idx.supply_by_part.get(p.part_id, ())}),
        )
        for p in page
    ]


@dataclass(frozen=True, slots=True)
class BomEntry:
    part_id: str
    name: str
    kind: str
    quantity: float
    rare_earths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SupplyEntry:
    supplier_site_id: str
    supplier_site: str
    supplier_party: str
    supplier_country: str
    buyer_site_id: str
    buyer_site: str
    share: float
    lead_time_days: int | None


@dataclass(frozen=True, slots=True)
class ProducerEntry:
    site_id: str
    site: str
    party: str
    country: str
    units_per_year: float | None


@dataclass(frozen=True, slots=True)
class PartDetail:
    part: Part
    rare_earths: tuple[str, ...]
    composition: list[CompositionLine]
    children: list[BomEntry]
    used_in: list[BomEntry]
    producers: list[ProducerEntry]
    suppliers: list[SupplyEntry]


def part_detail(idx: NetworkIndex, part_id: str) -> PartDetail:
    part = idx.part(part_id)

    def entry(other_id: str, qty: float) -> BomEntry:
        other = idx.parts.get(other_id)
        name, kind = (other.name, other.kind.value) if other else (other_id, "")
        return BomEntry(other_id, name, kind, qty, idx.rare_earths.get(other_id, ()))

    suppliers = []
    for s in idx.supply_by_part.get(part_id, ()):
        site, party, country = idx.site_label(s.supplier_site_id)
        buyer = idx.site_label(s.buyer_site_id)[0]
        suppliers.append(
            SupplyEntry(
                s.supplier_site_id, site, party, country, s.buyer_site_id, buyer, s.share,
                s.lead_time_days,
            )
        )  # fmt: skip
    producers = []
    for pr in idx.production_by_part.get(part_id, ()):
        site, party, country = idx.site_label(pr.site_id)
        producers.append(ProducerEntry(pr.site_id, site, party, country, pr.units_per_year))
    return PartDetail(
        part=part,
        rare_earths=idx.rare_earths.get(part_id, ()),
        composition=sorted(idx.composition.get(part_id, ()), key=lambda c: -c.mass_fraction),
        children=[entry(b.child_part_id, b.quantity) for b in idx.children.get(part_id, ())],
        used_in=[entry(b.parent_part_id, b.quantity) for b in idx.parents.get(part_id, ())],
        producers=producers,
        suppliers=suppliers,
    )


# -- suppliers -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupplierRow:
    """One supplying party and what it ships: how many parts, which carry rare earths."""

    party_id: str
    name: str
    country: str
    roles: tuple[str, ...]
    sites: int
    parts_supplied: int
    rare_earth_parts: int
    rare_earths: tuple[str, ...]
    buyers: int


def supplier_table(
    idx: NetworkIndex,
    *,
    country: str = "",
    role: str = "",
    element: str = "",
    q: str = "",
) -> list[SupplierRow]:
    """Parties that supply at least one part, most rare-earth parts first."""
    parts: dict[str, set[str]] = defaultdict(set)
    buyers: dict[str, set[str]] = defaultdict(set)
    sites: dict[str, set[str]] = defaultdict(set)
    for s in idx.network.supply:
        site = idx.sites.get(s.supplier_site_id)
        if site is None:
            continue
        parts[site.party_id].add(s.part_id)
        buyers[site.party_id].add(s.buyer_site_id)
        sites[site.party_id].add(site.site_id)
    needle = q.strip().lower()
    rows = []
    for party_id, supplied in parts.items():
        party = idx.parties.get(party_id)
        if party is None:
            continue
        elements: set[str] = set()
        re_parts = 0
        for pid in supplied:
            found = idx.rare_earths.get(pid, ())
            if found:
                re_parts += 1
                elements.update(found)
        roles = tuple(r.value for r in party.roles)
        if country and party.country != country.upper():
            continue
        if role and role not in roles:
            continue
        if element and element not in elements:
            continue
        if needle and needle not in party.name.lower() and needle not in party_id.lower():
            continue
        rows.append(
            SupplierRow(
                party_id, party.name, party.country, roles, len(sites[party_id]), len(supplied),
                re_parts, tuple(sorted(elements, key=_RE_ORDER.__getitem__)),
                len(buyers[party_id]),
            )
        )  # fmt: skip
    rows.sort(key=lambda r: (-r.rare_earth_parts, -r.parts_supplied, r.party_id))
    return rows


def supplied_by(idx: NetworkIndex, site_ids: Collection[str]) -> list[SupplyLink]:
    """The supply links whose supplier is one of ``site_ids``, in table order (read
    from the snapshot's column when the index has one: no network as records)."""
    if idx.snapshot is not None:
        from raretrace.services.network.catalogue_snapshot import supply_from

        links: list[SupplyLink] = supply_from(idx.snapshot, site_ids)
        return links
    wanted = set(site_ids)
    return [s for s in idx.network.supply if s.supplier_site_id in wanted]


def planned_products(idx: NetworkIndex) -> list[str]:
    """Ids of the products that have a production plan, in code point order."""
    if idx.snapshot is not None:
        from raretrace.services.network.catalogue_snapshot import planned_product_ids

        return planned_product_ids(idx.snapshot)
    planned = {r.part_id for r in idx.network.production}
    return sorted(
        p.part_id for p in idx.network.parts if p.kind is PartKind.PRODUCT and p.part_id in planned
    )
