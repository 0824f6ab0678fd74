"""Classification use cases: is a part controlled, does a shipment need a licence, which
cross-border flows do, and what changes between two dates.

Facts are built here from the workspace network and handed to the pure engine in
``raretrace.rules``. Content is the part's declared composition; for a part without one
but with BOM lines it is rolled up from the children (``_Rollup``, a small part-level
rollup kept private until the tracing service lands); otherwise it is unknown. Every
verdict says which basis was used.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from raretrace.domain.network import Network
from raretrace.domain.parts import Form, Part, PartKind
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.rules import (
    Determination,
    PartFacts,
    RuleBook,
    RulePack,
    ShipmentFacts,
    SuspensionPolicy,
    Verdicts,
    builtin_packs,
    check_packs,
    classify_items,
    compile_book,
    determine_shipments,
    parse_pack,
    rule_status,
    shipment_facts,
)
from raretrace.rules.schema import Outcome

#: Elements whose Chinese-origin metal, alloy or oxide inputs count towards the
#: Ann. 61 value share (Annex 1 Part 1 as reported; regime.md 3.2).
PART1_ELEMENTS: tuple[str, ...] = ("Sm", "Dy", "Gd", "Tb", "Lu", "Sc", "Y")
_PART1_FORMS = (Form.METAL, Form.ALLOY, Form.OXIDE)


# -- packs --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadedPack:
    pack: RulePack
    source: str  # "builtin" or the file path


def load_packs(rules_dir: Path | None = None) -> list[LoadedPack]:
    """Shipped packs plus every ``*.yaml`` in ``rules_dir``; a user pack with the id of
    a shipped one replaces it."""
    loaded = {p.id: LoadedPack(p, "builtin") for p in builtin_packs()}
    if rules_dir is not None:
        if not rules_dir.is_dir():
            raise InputError(f"rules folder {rules_dir} does not exist")
        for path in sorted(rules_dir.glob("*.yaml")):
            pack = parse_pack(path.read_text(encoding="utf-8"), str(path))
            loaded[pack.id] = LoadedPack(pack, str(path))
    return list(loaded.values())


def load_book(rules_dir: Path | None = None) -> RuleBook:
    return compile_book([lp.pack for lp in load_packs(rules_dir)])


def check_rules(path: Path | None = None) -> list[Problem]:
    """Problems in a pack file or folder (checked together with the shipped packs)."""
    packs = {p.id: p for p in builtin_packs()}
    files = [] if path is None else sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    problems: list[Problem] = []
    for f in files:
        try:
            pack = parse_pack(f.read_text(encoding="utf-8"), str(f))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        packs[pack.id] = pack
    return problems + check_packs(list(packs.values()))


# -- facts from the network ----------------------------------------------------------


class _Rollup:
    """Part-level content and origin, for facts. Private; to be replaced by the tracing
    service's site-level rollup."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.parts = {p.part_id: p for p in net.parts}
        self.declared: dict[str, dict[str, float]] = defaultdict(dict)
        for c in net.composition:
            self.declared[c.part_id][c.element] = c.mass_fraction
        self.children: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for b in net.bom:
            self.children[b.parent_part_id].append((b.child_part_id, b.quantity))
        self.site_country = {s.site_id: s.country for s in net.sites}
        self.makers: dict[str, set[str]] = defaultdict(set)
        for pr in net.production:
            self.makers[pr.part_id].add(pr.site_id)
        buyers = {(s.buyer_site_id, s.part_id) for s in net.supply}
        for s in net.supply:
            if (s.supplier_site_id, s.part_id) not in buyers:
                self.makers[s.part_id].add(s.supplier_site_id)
        self.inbound: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
        for s in net.supply:
            self.inbound[(s.buyer_site_id, s.part_id)].append((s.supplier_site_id, s.share))
        self._content: dict[str, tuple[dict[str, float] | None, str]] = {}

    def content(self, part_id: str) -> tuple[dict[str, float] | None, str]:
        """(element -> mass fraction, basis) with basis declared/rolled_up/unknown."""
        if part_id in self._content:
            return self._content[part_id]
        self._content[part_id] = (None, "unknown")  # guards against cycles
        result: tuple[dict[str, float] | None, str]
        if self.declared.get(part_id):
            result = (dict(self.declared[part_id]), "declared")
        elif self.children.get(part_id):
            result = self._rolled(part_id)
        else:
            result = (None, "unknown")
        self._content[part_id] = result
        return result

    def _rolled(self, part_id: str) -> tuple[dict[str, float] | None, str]:
        mass: dict[str, float] = defaultdict(float)
        total, unknown = 0.0, False
        for child, qty in self.children[part_id]:
            c, _ = self.content(child)
            m = self.parts[child].mass_kg
            if c is None or m is None:
                unknown = True
                continue
            total += qty * m
            for e, f in c.items():
                mass[e] += qty * m * f
        own = self.parts[part_id].mass_kg or total
        if not mass and unknown:
            return None, "unknown"
        return ({e: v / own for e, v in mass.items()} if own else {}), "rolled_up"

    def origin(self, part_id: str) -> str:
        countries = {self.site_country[s] for s in self.makers.get(part_id, ())}
        return countries.pop() if len(countries) == 1 else ""

    def cn_value_share(self, part_id: str, site_id: str | None = None) -> float:
        """Value share of Chinese-origin Part 1 material inputs (one BOM level)."""
        part = self.parts[part_id]
        if not self.children.get(part_id) or not part.unit_value:
            return float("nan")
        cn_value = 0.0
        for child, qty in self.children[part_id]:
            cp = self.parts[child]
            c, _ = self.content(child)
            if cp.form not in _PART1_FORMS or not c or not any(c.get(e) for e in PART1_ELEMENTS):
                continue
            if cp.unit_value is None:
                return float("nan")
            cn_value += qty * float(cp.unit_value) * self._cn_share(child, site_id)
        return cn_value / float(part.unit_value)

    def _cn_share(self, part_id: str, site_id: str | None) -> float:
        links = self.inbound.get((site_id, part_id), []) if site_id else []
        if links:
            return sum(sh for s, sh in links if self.site_country[s] == "CN")
        return 1.0 if self.origin(part_id) == "CN" else 0.0


def _deep_processed(p: Part) -> bool:
    return p.form is Form.DEEP_PROCESSED_ASSEMBLY or p.kind in (PartKind.ASSEMBLY, PartKind.PRODUCT)


def _part_facts(
    r: _Rollup, part_ids: Sequence[str], sites: Sequence[str | None] | None = None
) -> PartFacts:
    missing = [p for p in part_ids if p not in r.parts]
    if missing:
        raise NotFoundError(f"no part {missing[0]!r} in the workspace")
    parts = [r.parts[p] for p in part_ids]
    content = [r.content(p) for p in part_ids]
    at = sites or [None] * len(part_ids)
    return PartFacts.build(
        part_ids,
        content=[c for c, _ in content],
        content_basis=[b for _, b in content],
        form=[p.form.value for p in parts],
        magnet_type=[p.magnet_type.value for p in parts],
        kind=[p.kind.value for p in parts],
        deep_processed=[_deep_processed(p) for p in parts],
        cn_value_share=[r.cn_value_share(p, s) for p, s in zip(part_ids, at, strict=True)],
        origin_country=[
            r.site_country[s] if s else r.origin(p) for p, s in zip(part_ids, at, strict=True)
        ],
    )


# -- use cases ------------------------------------------------------------------------


def classify_parts(
    net: Network,
    book: RuleBook,
    as_of: date,
    part_ids: Sequence[str] | None = None,
    policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN,
) -> Verdicts:
    """Vectorised classification of ``part_ids`` (all parts when None)."""
    ids = list(part_ids) if part_ids is not None else [p.part_id for p in net.parts]
    return classify_items(book, _part_facts(_Rollup(net), ids), as_of, policy)


def part_ids(v: Verdicts) -> tuple[str, ...]:
    """The part ids of item verdicts, row by row."""
    facts = v.facts
    return facts.part_ids if isinstance(facts, PartFacts) else facts.items.part_ids


def classify_part(
    net: Network, book: RuleBook, part_id: str, as_of: date, policy: SuspensionPolicy
) -> Determination:
    return classify_parts(net, book, as_of, [part_id], policy).determination(0)


@dataclass(frozen=True, slots=True)
class BomRow:
    part_id: str
    level: int
    determination: Determination


def classify_bom(
    net: Network, book: RuleBook, product_id: str, as_of: date, policy: SuspensionPolicy
) -> list[BomRow]:
    """The product and every part below it, each classified (first-seen level)."""
    r = _Rollup(net)
    if product_id not in r.parts:
        raise NotFoundError(f"no part {product_id!r} in the workspace")
    levels: dict[str, int] = {product_id: 0}
    queue = [product_id]
    while queue:
        node = queue.pop(0)
        for child, _ in r.children.get(node, []):
            if child not in levels:
                levels[child] = levels[node] + 1
                queue.append(child)
    ids = list(levels)
    v = classify_items(book, _part_facts(r, ids), as_of, policy)
    return [BomRow(p, levels[p], v.determination(i)) for i, p in enumerate(ids)]


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
    r: _Rollup,
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
    items = _part_facts(r, [s.part_id for s, _ in rows], [site for _, site in rows])
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
) -> Determination:
    """Licence determination for one shipment, with reasons."""
    r = _Rollup(net)
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
) -> FlowReport:
    """Every supply link that crosses a border, determined under ``policy`` and under
    ``alternative`` (by default: if every suspended rule came back)."""
    r = _Rollup(net)
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
                _fired(v, i),
                bool(v.uncertain[i]),
                alt.outcome_of(i),
                _fired(alt, i),
            )
        )
    return report


def _fired(v: Verdicts, i: int) -> tuple[str, ...]:
    col = v.fired[:, i]
    return tuple(v.rules[k].id for k in np.flatnonzero(col))


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
    net: Network, book: RuleBook, date_from: date, date_to: date, *, listed: frozenset[str]
) -> Diff:
    rules = []
    for cr in (*book.item_rules, *book.shipment_rules):
        a = rule_status(cr.pack, cr.rule, date_from)
        b = rule_status(cr.pack, cr.rule, date_to)
        if a.state != b.state:
            rules.append((cr.id, a.state, b.state))
    pa, pb = classify_parts(net, book, date_from), classify_parts(net, book, date_to)
    parts = [
        Change(pid, pa.outcome_of(i), pb.outcome_of(i), _fired(pa, i), _fired(pb, i))
        for i, pid in enumerate(p.part_id for p in net.parts)
        if pa.outcome[i] != pb.outcome[i] or pa.control_codes(i) != pb.control_codes(i)
    ]
    fa = determine_flows(net, book, date_from, listed=listed)
    fb = determine_flows(net, book, date_to, listed=listed)
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
