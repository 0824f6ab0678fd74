"""Licence determination for shipments, and for every cross-border supply link of the
workspace (today, and under an alternative suspension policy).

Party listings (``Listings``: party id -> China list kind, ``control``, ``watch`` or
``listed`` when the kind is not known) come from the stored lists through confirmed
screening matches (``Workspace.rules.party_listings``) and from the caller. A party inherits
a listing as a branch (分公司) of a listed party, whatever the shareholding, or as a
subsidiary owned >= 50 % at every link of its ownership chain (regime.md 9.1 row 3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from raretrace.domain.currency import ExchangeRates
from raretrace.domain.network import Network
from raretrace.domain.parties import Party, Site
from raretrace.errors import InputError, NotFoundError
from raretrace.rules import (
    Determination,
    RuleBook,
    ShipmentFacts,
    SuspensionPolicy,
    Verdicts,
    determine_shipments,
    shipment_facts,
)
from raretrace.rules.facts import END_USE_HELP, END_USES, LIST_KINDS
from raretrace.rules.schema import Outcome
from raretrace.services.classification.facts import FactSource, TraceInputs, facts_of
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.services.network.catalogue_snapshot import cross_border_links
from raretrace.services.tracing.compiled import Engine

__all__ = [
    "Flow",
    "FlowReport",
    "Listings",
    "Shipment",
    "check_end_use",
    "determine",
    "determine_flows",
    "effective_listings",
    "fired_rules",
    "listings_of",
]

#: party id -> China list kind (control, watch, or listed: on a list, kind not known)
Listings = Mapping[str, str]
_RANK = {"control": 3, "watch": 2, "listed": 1}


def listings_of(*sources: frozenset[str] | Listings | None) -> dict[str, str]:
    """Merge listings; a bare set of party ids means "listed, kind not known". Where
    sources disagree the stronger kind wins (control > watch > listed)."""
    out: dict[str, str] = {}
    for src in sources:
        if src is None:
            continue
        items = src.items() if isinstance(src, Mapping) else ((p, "listed") for p in src)
        for pid, kind in items:
            if kind not in LIST_KINDS:
                raise InputError(f"list kind {kind!r} for {pid!r}: use one of {LIST_KINDS}")
            if _RANK[kind] > _RANK.get(out.get(pid, ""), 0):
                out[pid] = kind
    return out


def effective_listings(
    parties: Sequence[Party], listings: Listings, *, control_pct: float = 50.0
) -> dict[str, tuple[str, str]]:
    """party id -> (kind, via): its own listing (via ``listed``), else its head's as a
    branch (``branch``), else its owner's where it is owned >= ``control_pct`` (every
    link; ``subsidiary``). Cycles are cut."""
    by_id = {p.party_id: p for p in parties}
    memo: dict[str, tuple[str, str]] = {}

    def resolve(pid: str, seen: frozenset[str]) -> tuple[str, str]:
        if pid in memo:
            return memo[pid]
        if pid in listings:
            return listings[pid], "listed"
        p = by_id.get(pid)
        if p is None or pid in seen:
            return "", ""
        best = ("", "")
        if p.branch_of_party_id:
            kind, via = resolve(p.branch_of_party_id, seen | {pid})
            if kind:
                best = (kind, "branch" if via in ("listed", "branch") else via)
        if p.owner_party_id and p.ownership_pct is not None and p.ownership_pct >= control_pct:
            kind, _via = resolve(p.owner_party_id, seen | {pid})
            if kind and _RANK[kind] > _RANK.get(best[0], 0):
                best = (kind, "subsidiary")
        return best

    for pid in by_id:
        memo[pid] = resolve(pid, frozenset())
    return {pid: v for pid, v in memo.items() if v[0]}


def check_end_use(end_use: str) -> str:
    """The end use if it is a known one ("" = not declared); else a clear error."""
    if end_use and end_use not in END_USES:
        valid = "; ".join(f"{k} ({v})" for k, v in END_USE_HELP.items())
        raise InputError(f"unknown end use {end_use!r}; valid end uses: {valid}")
    return end_use


@dataclass(frozen=True, slots=True)
class Shipment:
    """One shipment to determine. Party and site ids refer to the workspace."""

    part_id: str
    exporter: str  # site id (or party id) shipping the part
    consignee: str  # party id (or site id)
    end_user: str | None = None  # party id; defaults to the consignee
    destination_country: str | None = None  # defaults to the consignee's country
    quantity: float = 1.0
    end_use: str = ""  # see rules.facts.END_USES; "" = not declared
    shipment_id: str = "shipment"


class _Parties:
    """(party id, country) of a site id or a party id, from maps built once per call
    (a shipment list can name every cross-border link of the network)."""

    def __init__(self, sites: Iterable[Site], parties: Iterable[Party]) -> None:
        self._sites = {s.site_id: (s.party_id, s.country) for s in sites}
        self._parties = {p.party_id: (p.party_id, p.country) for p in parties}

    def country(self, site_id: str) -> str:
        return self._sites[site_id][1]

    def of(self, ref: str) -> tuple[str, str]:
        found = self._sites.get(ref) or self._parties.get(ref)
        if found is None:
            raise NotFoundError(f"no site or party {ref!r} in the workspace")
        return found


def _records(net: Network | NetworkIndex) -> tuple[list[Party], _Parties]:
    """Every party, and the site/party resolver (an index builds only these records)."""
    if isinstance(net, Network):
        return net.parties, _Parties(net.sites, net.parties)
    parties = list(net.parties.values())
    return parties, _Parties(net.sites.values(), parties)


def _shipments(
    net: Network | NetworkIndex,
    r: FactSource,
    rows: Sequence[tuple[Shipment, str | None]],
    listings: Listings,
    records: tuple[list[Party], _Parties] | None = None,
) -> ShipmentFacts:
    all_parties, places = records or _records(net)
    parties = {p.party_id: p for p in all_parties}
    listed = frozenset(listings)
    effective = effective_listings(all_parties, listings)

    def owner_pct(pid: str) -> float:
        p = parties[pid]
        if p.owner_party_id in listed and p.ownership_pct is not None:
            return p.ownership_pct
        return 0.0

    party_of = places.of
    exp, dest, cons, users = [], [], [], []
    for s, _ in rows:
        _, exporter_country = party_of(s.exporter)
        consignee, consignee_country = party_of(s.consignee)
        user = party_of(s.end_user)[0] if s.end_user else consignee
        exp.append(exporter_country)
        dest.append(s.destination_country or consignee_country)
        cons.append(consignee)
        users.append(user)
    for s, _ in rows:
        check_end_use(s.end_use)
    items = r.part_facts([s.part_id for s, _ in rows], [site for _, site in rows])

    def kind(pid: str) -> str:
        return effective.get(pid, ("", ""))[0]

    def via(pid: str) -> str:
        return effective.get(pid, ("", ""))[1]

    return shipment_facts(
        items,
        shipment_ids=[s.shipment_id for s, _ in rows],
        exporter_country=exp,
        destination_country=dest,
        consignee_military=[parties[c].military_end_user for c in cons],
        consignee_listed=[c in listed for c in cons],
        consignee_listed_owner_pct=[owner_pct(c) for c in cons],
        end_user_military=[parties[u].military_end_user for u in users],
        end_user_listed=[u in listed for u in users],
        end_user_listed_owner_pct=[owner_pct(u) for u in users],
        end_use=[s.end_use for s, _ in rows],
        consignee_list_kind=[kind(c) for c in cons],
        consignee_list_via=[via(c) for c in cons],
        end_user_list_kind=[kind(u) for u in users],
        end_user_list_via=[via(u) for u in users],
    )


def determine(
    net: Network,
    book: RuleBook,
    shipment: Shipment,
    as_of: date,
    *,
    listed: frozenset[str] | Listings = frozenset(),
    policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN,
    engine: Engine | None = None,
    rates: ExchangeRates | None = None,
    trace: TraceInputs | None = None,
) -> Determination:
    """Licence determination for one shipment, with reasons."""
    check_end_use(shipment.end_use)
    r = facts_of(net, engine, rates, trace)
    site = shipment.exporter if any(s.site_id == shipment.exporter for s in net.sites) else None
    facts = _shipments(net, r, [(shipment, site)], listings_of(listed))
    return determine_shipments(book, facts, as_of, policy).determination(0)


@dataclass(frozen=True, slots=True)
class Flow:
    """A cross-border supply link and its determination (and under the alternative)."""

    supplier_site_id: str
    buyer_site_id: str
    part_id: str
    exporter_country: str
    destination_country: str
    outcome: Outcome
    control_codes: tuple[str, ...]
    rules: tuple[str, ...]
    uncertain: bool
    alternative_outcome: Outcome
    alternative_rules: tuple[str, ...]

    @property
    def changes(self) -> bool:
        return self.outcome is not self.alternative_outcome


@dataclass(frozen=True, slots=True)
class FlowReport:
    as_of: date
    policy: SuspensionPolicy
    alternative: SuspensionPolicy
    flows: list[Flow] = field(default_factory=list)


def determine_flows(
    net: Network | NetworkIndex,
    book: RuleBook,
    as_of: date,
    *,
    listed: frozenset[str] | Listings = frozenset(),
    policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN,
    alternative: SuspensionPolicy = SuspensionPolicy.LIFTED,
    engine: Engine | None = None,
    rates: ExchangeRates | None = None,
    trace: TraceInputs | None = None,
) -> FlowReport:
    """Every supply link that crosses a border, determined under ``policy`` and under
    ``alternative`` (by default: if every suspended rule came back)."""
    r = facts_of(net, engine, rates, trace)
    records = _records(net)
    links = _cross_border(net, records[1])
    rows = [
        (Shipment(part, supplier, buyer, shipment_id=str(k)), supplier)
        for k, (part, supplier, buyer) in enumerate(links)
    ]
    report = FlowReport(as_of, policy, alternative)
    if not rows:
        return report
    facts = _shipments(net, r, rows, listings_of(listed), records)
    v = determine_shipments(book, facts, as_of, policy)
    alt = determine_shipments(book, facts, as_of, alternative)
    country = records[1].country
    codes, fired = v.control_codes_all(), v.fired_rule_ids_all()
    fired_alt = alt.fired_rule_ids_all()
    for i, (part, supplier, buyer) in enumerate(links):
        report.flows.append(
            Flow(
                supplier,
                buyer,
                part,
                country(supplier),
                country(buyer),
                v.outcome_of(i),
                codes[i],
                fired[i],
                bool(v.uncertain[i]),
                alt.outcome_of(i),
                fired_alt[i],
            )
        )
    return report


def _cross_border(net: Network | NetworkIndex, places: _Parties) -> list[tuple[str, str, str]]:
    """(part, supplier site, buyer site) of every supply link between two countries, in
    table order; over an index's snapshot without building a record per link."""
    if isinstance(net, NetworkIndex) and net.snapshot is not None:
        return cross_border_links(net.snapshot)
    supply = net.supply if isinstance(net, Network) else net.network.supply
    country = places.country
    return [
        (s.part_id, s.supplier_site_id, s.buyer_site_id)
        for s in supply
        if country(s.supplier_site_id) != country(s.buyer_site_id)
    ]


def fired_rules(v: Verdicts, i: int) -> tuple[str, ...]:
    col = v.fired[:, i]
    return tuple(v.rules[k].id for k in np.flatnonzero(col))
