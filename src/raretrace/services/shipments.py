"""Licence determination for shipments, and for every cross-border supply link of the
workspace (today, and under an alternative suspension policy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from raretrace.domain.exchange import ExchangeRates
from raretrace.domain.network import Network
from raretrace.errors import NotFoundError
from raretrace.rules import (
    Determination,
    RuleBook,
    ShipmentFacts,
    SuspensionPolicy,
    Verdicts,
    determine_shipments,
    shipment_facts,
)
from raretrace.rules.schema import Outcome
from raretrace.services.classification_facts import FactSource, facts_of
from raretrace.services.trace_engine import Engine

__all__ = ["Flow", "FlowReport", "Shipment", "determine", "determine_flows", "fired_rules"]


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


def _party_of(net: Network, ref: str) -> tuple[str, str]:
    """(party id, country) for a site id or a party id."""
    for s in net.sites:
        if s.site_id == ref:
            return s.party_id, s.country
    for p in net.parties:
        if p.party_id == ref:
            return p.party_id, p.country
    raise NotFoundError(f"no site or party {ref!r} in the workspace")


def _shipments(
    net: Network,
    r: FactSource,
    rows: Sequence[tuple[Shipment, str | None]],
    listed: frozenset[str],
) -> ShipmentFacts:
    parties = {p.party_id: p for p in net.parties}

    def owner_pct(pid: str) -> float:
        p = parties[pid]
        if p.owner_party_id in listed and p.ownership_pct is not None:
            return p.ownership_pct
        return 0.0

    exp, dest, cons, users = [], [], [], []
    for s, _ in rows:
        _, exporter_country = _party_of(net, s.exporter)
        consignee, consignee_country = _party_of(net, s.consignee)
        user = _party_of(net, s.end_user)[0] if s.end_user else consignee
        exp.append(exporter_country)
        dest.append(s.destination_country or consignee_country)
        cons.append(consignee)
        users.append(user)
    items = r.part_facts([s.part_id for s, _ in rows], [site for _, site in rows])
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
    )


def determine(
    net: Network,
    book: RuleBook,
    shipment: Shipment,
    as_of: date,
    *,
    listed: frozenset[str] = frozenset(),
    policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN,
    engine: Engine | None = None,
    rates: ExchangeRates | None = None,
) -> Determination:
    """Licence determination for one shipment, with reasons."""
    r = facts_of(net, engine, rates)
    site = shipment.exporter if any(s.site_id == shipment.exporter for s in net.sites) else None
    facts = _shipments(net, r, [(shipment, site)], listed)
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
    net: Network,
    book: RuleBook,
    as_of: date,
    *,
    listed: frozenset[str] = frozenset(),
    policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN,
    alternative: SuspensionPolicy = SuspensionPolicy.LIFTED,
    engine: Engine | None = None,
    rates: ExchangeRates | None = None,
) -> FlowReport:
    """Every supply link that crosses a border, determined under ``policy`` and under
    ``alternative`` (by default: if every suspended rule came back)."""
    r = facts_of(net, engine, rates)
    country = r.site_country
    links = [s for s in net.supply if country[s.supplier_site_id] != country[s.buyer_site_id]]
    rows = [
        (
            Shipment(s.part_id, s.supplier_site_id, s.buyer_site_id, shipment_id=str(k)),
            s.supplier_site_id,
        )
        for k, s in enumerate(links)
    ]
    report = FlowReport(as_of, policy, alternative)
    if not rows:
        return report
    facts = _shipments(net, r, rows, listed)
    v = determine_shipments(book, facts, as_of, policy)
    alt = determine_shipments(book, facts, as_of, alternative)
    for i, s in enumerate(links):
        report.flows.append(
            Flow(
                s.supplier_site_id,
                s.buyer_site_id,
                s.part_id,
                country[s.supplier_site_id],
                country[s.buyer_site_id],
                v.outcome_of(i),
                v.control_codes(i),
                fired_rules(v, i),
                bool(v.uncertain[i]),
                alt.outcome_of(i),
                fired_rules(alt, i),
            )
        )
    return report


def fired_rules(v: Verdicts, i: int) -> tuple[str, ...]:
    col = v.fired[:, i]
    return tuple(v.rules[k].id for k in np.flatnonzero(col))
