"""Classification use cases: is a part controlled, does a shipment need a licence, which
cross-border flows do, and what changes between two dates.

Facts are built by ``classification_facts.FactSource`` from the workspace network and
the tracing engine (``Workspace.tracing``: rolled-up content per node, origin by entry
point, controlled-value shares) and handed to the pure engine in ``raretrace.rules``.
Every verdict says which basis its content came from (declared, rolled up, unknown).
Pass ``engine`` (the workspace's compiled network) to reuse it; without one the network
is compiled here. Rule packs are loaded by ``rule_packs``, shipments and flows are
determined by ``shipments`` (both re-exported here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from raretrace.domain.currency import ExchangeRates
from raretrace.domain.network import Network
from raretrace.errors import NotFoundError
from raretrace.rules import (
    Determination,
    PartFacts,
    RuleBook,
    SuspensionPolicy,
    Verdicts,
    classify_items,
    rule_status,
)
from raretrace.rules.schema import Outcome
from raretrace.services.classification.facts import (
    PART1_ELEMENTS,
    FactSource,
    TraceInputs,
    engine_of,
    facts_of,
)
from raretrace.services.classification.packs import LoadedPack, check_rules, load_book, load_packs
from raretrace.services.classification.shipments import (
    Flow,
    FlowReport,
    Listings,
    Shipment,
    check_end_use,
    determine,
    determine_flows,
    effective_listings,
    fired_rules,
    listings_of,
)
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.services.tracing.compiled import Engine

effective_listings_of = effective_listings

__all__ = [
    "PART1_ELEMENTS",
    "BomRow",
    "Change",
    "Diff",
    "Flow",
    "FlowReport",
    "Listings",
    "LoadedPack",
    "Shipment",
    "TraceInputs",
    "check_end_use",
    "check_rules",
    "classify_bom",
    "classify_part",
    "classify_parts",
    "determine",
    "determine_flows",
    "diff",
    "effective_listings_of",
    "listings_of",
    "load_book",
    "load_packs",
    "part_ids",
]


# -- use cases ------------------------------------------------------------------------


def classify_parts(
    net: Network | NetworkIndex,
    book: RuleBook,
    as_of: date,
    part_ids: Sequence[str] | None = None,
    policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN,
    *,
    engine: Engine | None = None,
    rates: ExchangeRates | None = None,
    facts: FactSource | None = None,
    trace: TraceInputs | None = None,
) -> Verdicts:
    """Vectorised classification of ``part_ids`` (all parts when None). ``facts``: a
    fact source built before (``facts_of``) for the same network, engine and rates,
    reused instead of building one (that is the costly part for a single part)."""
    if part_ids is not None:
        ids = list(part_ids)
    else:
        ids = [p.part_id for p in net.parts] if isinstance(net, Network) else list(net.parts)
    source = facts if facts is not None else facts_of(net, engine, rates, trace)
    return classify_items(book, source.part_facts(ids), as_of, policy)


def part_ids(v: Verdicts) -> tuple[str, ...]:
    """The part ids of item verdicts, row by row."""
    facts = v.facts
    return facts.part_ids if isinstance(facts, PartFacts) else facts.items.part_ids


def classify_part(
    net: Network | NetworkIndex,
    book: RuleBook,
    part_id: str,
    as_of: date,
    policy: SuspensionPolicy,
    *,
    engine: Engine | None = None,
    rates: ExchangeRates | None = None,
    facts: FactSource | None = None,
    trace: TraceInputs | None = None,
) -> Determination:
    v = classify_parts(
        net, book, as_of, [part_id], policy, engine=engine, rates=rates, facts=facts, trace=trace
    )
    return v.determination(0)


@dataclass(frozen=True, slots=True)
class BomRow:
    part_id: str
    level: int
    determination: Determination


def classify_bom(
    net: Network,
    book: RuleBook,
    product_id: str,
    as_of: date,
    policy: SuspensionPolicy,
    *,
    engine: Engine | None = None,
    rates: ExchangeRates | None = None,
    trace: TraceInputs | None = None,
) -> list[BomRow]:
    """The product and every part below it, each classified (first-seen level)."""
    r = facts_of(net, engine, rates, trace)
    if product_id not in r.parts:
        raise NotFoundError(f"no part {product_id!r} in the workspace")
    levels: dict[str, int] = {product_id: 0}
    queue = [product_id]
    while queue:
        node = queue.pop(0)
        for child in r.children.get(node, []):
            if child not in levels:
                levels[child] = levels[node] + 1
                queue.append(child)
    ids = list(levels)
    v = classify_items(book, r.part_facts(ids), as_of, policy)
    return [BomRow(p, levels[p], v.determination(i)) for i, p in enumerate(ids)]


@dataclass(frozen=True, slots=True)
class Change:
    subject: str
    before: Outcome
    after: Outcome
    rules_before: tuple[str, ...]
    rules_after: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Diff:
    """What changes between two dates: rule status, part verdicts, flow verdicts."""

    date_from: date
    date_to: date
    rules: list[tuple[str, str, str]]  # rule id, state before, state after
    parts: list[Change]
    flows: list[Change]


def diff(
    net: Network,
    book: RuleBook,
    date_from: date,
    date_to: date,
    *,
    listed: frozenset[str] | Listings,
    engine: Engine | None = None,
    rates: ExchangeRates | None = None,
) -> Diff:
    rules = []
    for cr in (*book.item_rules, *book.shipment_rules):
        a = rule_status(cr.pack, cr.rule, date_from)
        b = rule_status(cr.pack, cr.rule, date_to)
        if a.state != b.state:
            rules.append((cr.id, a.state, b.state))
    engine = engine if engine is not None else engine_of(net)
    pa = classify_parts(net, book, date_from, engine=engine, rates=rates)
    pb = classify_parts(net, book, date_to, engine=engine, rates=rates)
    parts = [
        Change(pid, pa.outcome_of(i), pb.outcome_of(i), fired_rules(pa, i), fired_rules(pb, i))
        for i, pid in enumerate(p.part_id for p in net.parts)
        if pa.outcome[i] != pb.outcome[i] or pa.control_codes(i) != pb.control_codes(i)
    ]
    fa = determine_flows(net, book, date_from, listed=listed, engine=engine, rates=rates)
    fb = determine_flows(net, book, date_to, listed=listed, engine=engine, rates=rates)
    flows = [
        Change(
            f"{a.supplier_site_id} -> {a.buyer_site_id}: {a.part_id}",
            a.outcome,
            b.outcome,
            a.rules,
            b.rules,
        )
        for a, b in zip(fa.flows, fb.flows, strict=True)
        if a.outcome is not b.outcome
    ]
    return Diff(date_from, date_to, rules, parts, flows)
