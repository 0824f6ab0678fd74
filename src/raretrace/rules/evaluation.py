"""Evaluate a rule book on columns of facts for one date, and explain any row.

``classify_items(book, facts, as_of)`` and ``determine_shipments(book, facts, as_of)``
evaluate every rule once over all rows (numpy, with each distinct condition computed
once) and return ``Verdicts``: outcome and uncertainty per row as arrays.
``Verdicts.determination(i)`` builds the full explanation of row ``i``: every rule
considered, whether it fired, why, the inputs it read and its citation. ``evaluate``
does both for a handful of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import numpy as np

from raretrace.rules.book import (
    SHIPMENT_RANK,
    CompiledRule,
    RuleBook,
    RuleStatus,
    SuspensionPolicy,
    rule_status,
)
from raretrace.rules.facts import TRACE_LEVEL, Bool, PartFacts, ShipmentFacts, any_of
from raretrace.rules.predicates import REGISTRY, Context, Params, evaluate_condition
from raretrace.rules.schema import Outcome, Scope

T = TypeVar("T")

OUTCOMES: tuple[Outcome, ...] = tuple(Outcome)


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule's part in a verdict."""

    rule_id: str
    pack: str
    title: str
    outcome: Outcome
    #: the rule applied on the date (in force, not suspended)
    considered: bool
    fired: bool
    detail: str
    inputs: dict[str, Any]
    citation: str
    control_codes: tuple[str, ...] = ()
    uncertain: bool = False
    uncertain_note: str = ""


@dataclass(frozen=True, slots=True)
class Determination:
    """The verdict on one part or shipment on one date, with its reasons."""

    subject: str
    scope: Scope
    as_of: date
    policy: SuspensionPolicy
    outcome: Outcome
    control_codes: tuple[str, ...]
    uncertain: bool
    uncertain_reasons: tuple[str, ...]
    reasons: tuple[Reason, ...]
    #: for a shipment: the classification of the shipped part
    item: Determination | None = None
    #: what the fired rules add (e.g. the conditions of a Watch-List licence) and
    #: trace-amount findings that do not make the verdict uncertain
    notes: tuple[str, ...] = ()

    @property
    def controlled(self) -> bool:
        if self.scope is Scope.ITEM:
            return self.outcome is Outcome.CONTROLLED
        return self.item is not None and self.item.controlled

    @property
    def licence_required(self) -> bool:
        return self.outcome in (
            Outcome.LICENCE_REQUIRED,
            Outcome.CASE_BY_CASE,
            Outcome.PRESUMPTION_OF_DENIAL,
        )

    @property
    def fired(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.fired)


@dataclass(frozen=True, slots=True)
class Verdicts:
    """Verdicts for all rows. ``fired[k, i]``: rule ``rules[k]`` decided row ``i``."""

    book: RuleBook
    scope: Scope
    as_of: date
    policy: SuspensionPolicy
    facts: PartFacts | ShipmentFacts
    rules: tuple[CompiledRule, ...]
    status: tuple[RuleStatus, ...]
    fired: Bool
    maybe: Bool
    outcome: np.ndarray[Any, np.dtype[np.int8]]
    uncertain: Bool
    items: Verdicts | None = None

    def __len__(self) -> int:
        return len(self.facts)

    def outcome_of(self, i: int) -> Outcome:
        return OUTCOMES[int(self.outcome[i])]

    def mask(self, *outcomes: Outcome) -> Bool:
        codes = np.array([OUTCOMES.index(o) for o in outcomes], dtype=np.int8)
        return np.isin(self.outcome, codes)

    def control_codes(self, i: int) -> tuple[str, ...]:
        source = self if self.scope is Scope.ITEM else self.items
        if source is None:
            return ()
        found: set[str] = set()
        for k, r in enumerate(source.rules):
            if source.fired[k, i] and r.rule.then.outcome is Outcome.CONTROLLED:
                found.update(r.rule.then.control_codes)
        return tuple(sorted(found))

    def control_codes_all(self) -> list[tuple[str, ...]]:
        """``control_codes(i)`` of every row, computed once per distinct pattern of
        fired rules (a network's flows share a few dozen patterns)."""
        source = self if self.scope is Scope.ITEM else self.items
        if source is None:
            return [()] * len(self)
        controlled = [r.rule.then.outcome is Outcome.CONTROLLED for r in source.rules]

        def codes(col: np.ndarray) -> tuple[str, ...]:
            found: set[str] = set()
            for k in np.flatnonzero(col).tolist():
                if controlled[k]:
                    found.update(source.rules[k].rule.then.control_codes)
            return tuple(sorted(found))

        return by_pattern(source.fired, codes)

    def fired_rule_ids_all(self) -> list[tuple[str, ...]]:
        """The ids of the rules that decided each row, in rule order."""
        return by_pattern(
            self.fired, lambda col: tuple(self.rules[k].id for k in np.flatnonzero(col).tolist())
        )

    def determination(self, i: int) -> Determination:
        """The full explanation of row ``i``."""
        return _explain(self, i)


def classify_items(
    book: RuleBook,
    facts: PartFacts,
    as_of: date,
    policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN,
) -> Verdicts:
    """Is each part a controlled item on ``as_of``? Vectorised over all parts."""
    ctx = Context(items=facts)
    return _run(book, book.item_rules, Scope.ITEM, ctx, facts, as_of, policy, None)


def determine_shipments(
    book: RuleBook,
    facts: ShipmentFacts,
    as_of: date,
    policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN,
) -> Verdicts:
    """Licence outcome of each shipment on ``as_of`` (classifies the items first)."""
    items = classify_items(book, facts.items, as_of, policy)
    ctx = Context(items=facts.items, shipments=facts)
    for pack in book.packs:
        idx = [k for k, r in enumerate(items.rules) if r.pack.id == pack.id and _ctl(r)]
        ctx.item_controlled[pack.id] = any_of(items.fired[idx], axis=0)
        ctx.item_maybe[pack.id] = any_of(items.maybe[idx], axis=0)
    return _run(book, book.shipment_rules, Scope.SHIPMENT, ctx, facts, as_of, policy, items)


def evaluate(
    facts: PartFacts | ShipmentFacts,
    book: RuleBook,
    as_of: date,
    policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN,
) -> list[Determination]:
    """Explained determinations for every row (use for small inputs)."""
    if isinstance(facts, ShipmentFacts):
        v = determine_shipments(book, facts, as_of, policy)
    else:
        v = classify_items(book, facts, as_of, policy)
    return [v.determination(i) for i in range(len(v))]


def _ctl(r: CompiledRule) -> bool:
    return r.rule.then.outcome is Outcome.CONTROLLED


def _run(
    book: RuleBook,
    rules: tuple[CompiledRule, ...],
    scope: Scope,
    ctx: Context,
    facts: PartFacts | ShipmentFacts,
    as_of: date,
    policy: SuspensionPolicy,
    items: Verdicts | None,
) -> Verdicts:
    n = ctx.n
    status = tuple(rule_status(r.pack, r.rule, as_of, policy) for r in rules)
    raw = np.zeros((len(rules), n), dtype=bool)
    raw_maybe = np.zeros((len(rules), n), dtype=bool)
    index = {r.id: k for k, r in enumerate(rules)}
    cache: dict[tuple[str, Params, bool], tuple[Bool, Bool]] = {}

    def effective(rid: str) -> tuple[Bool, Bool]:
        k = index[rid]
        ex = [index[x] for x in book.excluded_by.get(rid, ()) if x in index]
        ex_fired = any_of(raw[ex], axis=0)
        ex_maybe = any_of(raw_maybe[ex], axis=0)
        return raw[k] & ~ex_fired, (raw_maybe[k] & ~ex_fired) | (raw[k] & ex_maybe)

    for k, r in enumerate(rules):
        if not status[k].in_force:
            continue
        for rid in r.reads_rules:
            ctx.fired[rid], ctx.maybe[rid] = effective(rid)
        holds, possible = np.ones(n, dtype=bool), np.ones(n, dtype=bool)
        for c in r.conditions:
            key = (c.predicate, c.params, c.negate)
            if key not in cache:
                cache[key] = evaluate_condition(ctx, c.predicate, c.params, c.negate)
            h, u = cache[key]
            holds &= h
            possible &= h | u
        raw[k] = holds
        raw_maybe[k] = possible & ~holds
    fired = np.zeros_like(raw)
    maybe = np.zeros_like(raw)
    for k, r in enumerate(rules):
        fired[k], maybe[k] = effective(r.id)
    outcome = np.full(n, OUTCOMES.index(Outcome.NOT_CONTROLLED), dtype=np.int8)
    rank = np.zeros(n, dtype=np.int8)
    for k, r in enumerate(rules):
        o = r.rule.then.outcome
        if o is Outcome.NOT_CONTROLLED:
            continue
        better = fired[k] & (SHIPMENT_RANK[o] + (o is Outcome.CONTROLLED) > rank)
        outcome[better] = OUTCOMES.index(o)
        rank[better] = SHIPMENT_RANK[o] + (o is Outcome.CONTROLLED)
    # an exclusion that might apply only matters where what it overrides fired; that is
    # already in the overridden rule's ``maybe`` (see ``effective``)
    decisive = [k for k, r in enumerate(rules) if r.rule.then.outcome is not Outcome.NOT_CONTROLLED]
    uncertain = any_of(maybe[decisive], axis=0)
    for k, r in enumerate(rules):
        if r.rule.uncertain or status[k].uncertain_note:
            uncertain |= raw[k]
        if r.rule.trace_elements and isinstance(facts, PartFacts):
            uncertain |= fired[k] & trace_rows(facts, r.rule.trace_elements)
    if items is not None:
        uncertain |= items.uncertain
    return Verdicts(
        book, scope, as_of, policy, facts, rules, status, fired, maybe, outcome, uncertain, items
    )


def trace_rows(facts: PartFacts, elements: tuple[str, ...]) -> Bool:
    """Rows whose ``elements`` are a trace: at most the practice threshold (the user's,
    else ``TRACE_LEVEL``), by the recorded test report where there is one, else by
    content."""
    content = facts.fractions(elements).sum(axis=1)
    tested = facts.tested()
    level = np.where(np.isnan(tested), content, tested)
    limit = np.where(np.isnan(facts.threshold()), TRACE_LEVEL, facts.threshold())
    return np.asarray(level <= limit + 1e-15, dtype=bool)


def trace_note(facts: PartFacts, i: int, elements: tuple[str, ...]) -> tuple[str, bool]:
    """The wording for row ``i`` and whether it makes the verdict uncertain."""
    names = "+".join(elements)
    content = float(facts.fractions(elements)[i].sum())
    tested = float(facts.tested()[i])
    limit = float(facts.threshold()[i])
    law = (
        "no official minimum content exists (regime.md 1.2, 8.2); a magnet vendor reports "
        f"that <= 0.1 % {names} by third-party test is usually exported without a licence "
        "(practice, not law; regime.md 9.1 row 8, grade C)"
    )
    if np.isnan(tested):
        if content > (TRACE_LEVEL if np.isnan(limit) else limit) + 1e-15:
            return "", False
        return (
            f"trace amount: {names} is {content:.4%} by content, with no test report "
            f"recorded; {law}. Record a test report; the text still reads any amount as "
            "controlled",
            True,
        )
    if np.isnan(limit):
        if tested > TRACE_LEVEL + 1e-15:
            return "", False
        return (
            f"trace amount: test report gives {names} = {tested:.4%}; {law}. No practice "
            "threshold is set, so the verdict follows the text (any amount counts)",
            True,
        )
    if tested <= limit + 1e-15:
        return (
            f"test report gives {names} = {tested:.4%}, at or below your practice "
            f"threshold of {limit:.4%}: such items are usually exported without a licence "
            f"in practice, but {law.split('; ')[0]}; the text still controls them: "
            "confirm before shipping without a licence",
            True,
        )
    return (
        f"test report gives {names} = {tested:.4%}, above your practice threshold of "
        f"{limit:.4%}: a licence is expected in practice too",
        False,
    )


def _explain(v: Verdicts, i: int) -> Determination:
    one = v.facts.take([i])
    ctx = Context(items=one.items if isinstance(one, ShipmentFacts) else one)
    if isinstance(one, ShipmentFacts):
        ctx.shipments = one
        assert v.items is not None
        for pack in v.book.packs:
            idx = [k for k, r in enumerate(v.items.rules) if r.pack.id == pack.id and _ctl(r)]
            ctx.item_controlled[pack.id] = any_of(v.items.fired[idx, i : i + 1], axis=0)
            ctx.item_maybe[pack.id] = any_of(v.items.maybe[idx, i : i + 1], axis=0)
        for k, r in enumerate(v.rules):
            ctx.fired[r.id] = v.fired[k, i : i + 1]
            ctx.maybe[r.id] = v.maybe[k, i : i + 1]
    row = one.row(0) | (one.items.row(0) if isinstance(one, ShipmentFacts) else {})
    reasons: list[Reason] = []
    notes: list[str] = []
    info: list[str] = []
    for k, r in enumerate(v.rules):
        st = v.status[k]
        parts: list[str] = []
        inputs: dict[str, Any] = {}
        for c in r.conditions:
            h, u = evaluate_condition(ctx, c.predicate, c.params, c.negate)
            mark = "?" if u[0] else ("yes" if h[0] else "no")
            parts.append(f"{'not ' if c.negate else ''}{_call(c.predicate, c.params)}: {mark}")
            inputs.update(_inputs(c.predicate, c.params, row, ctx))
        fired = bool(v.fired[k, i])
        raw_fired = st.in_force and all(p.endswith("yes") for p in parts)
        detail = st.detail if not st.in_force else ""
        if raw_fired and not fired:
            by = ", ".join(v.book.excluded_by.get(r.id, ()))
            detail = f"conditions hold but excluded by {by}"
        elif not st.in_force and all(p.endswith("yes") for p in parts):
            detail += "; its conditions would hold"
        detail = "; ".join(x for x in (detail, *parts) if x)
        unc_note = "; ".join(x for x in (r.rule.uncertain_note, st.uncertain_note) if x)
        excl = r.rule.then.outcome is Outcome.NOT_CONTROLLED
        if raw_fired and (r.rule.uncertain or st.uncertain_note):
            notes.append(f"{r.id}: {unc_note}")
        elif not excl and v.maybe[k, i]:
            missing = ", ".join(p.rsplit(":", 1)[0] for p in parts if p.endswith("?"))
            notes.append(f"{r.id}: would apply, but an input is unknown ({missing or 'item'})")
        if fired and r.rule.then.note and r.rule.then.outcome is not Outcome.NOT_CONTROLLED:
            info.append(f"{r.id}: {r.rule.then.note}")
        if fired and r.rule.trace_elements and isinstance(v.facts, PartFacts):
            text, unsure = trace_note(v.facts, i, r.rule.trace_elements)
            if text:
                (notes if unsure else info).append(f"{r.id}: {text}")
        cites = r.pack.citations_of(r.rule)
        reasons.append(
            Reason(
                rule_id=r.id,
                pack=r.pack.id,
                title=r.rule.title,
                outcome=r.rule.then.outcome,
                considered=st.in_force,
                fired=fired,
                detail=detail,
                inputs=inputs,
                citation=f"{r.pack.instrument}, {r.rule.article}; "
                + "; ".join(f"{c.text} <{c.url}> [{c.quality}]" for c in cites),
                control_codes=r.rule.then.control_codes,
                uncertain=r.rule.uncertain or bool(st.uncertain_note),
                uncertain_note=unc_note,
            )
        )
    item = v.items.determination(i) if v.items is not None else None
    if item is not None and item.uncertain:
        notes.extend(f"item: {n}" for n in item.uncertain_reasons)
    if item is not None:
        info.extend(f"item: {n}" for n in item.notes)
    subject = one.shipment_ids[0] if isinstance(one, ShipmentFacts) else one.part_ids[0]
    return Determination(
        subject=subject,
        scope=v.scope,
        as_of=v.as_of,
        policy=v.policy,
        outcome=v.outcome_of(i),
        control_codes=v.control_codes(i),
        uncertain=bool(v.uncertain[i]),
        uncertain_reasons=tuple(dict.fromkeys(notes)),
        reasons=tuple(reasons),
        item=item,
        notes=tuple(dict.fromkeys(info)),
    )


def _call(name: str, params: Params) -> str:
    args = ", ".join(f"{k}={_short(v)}" for k, v in params.model_dump().items())
    return f"{name}({args})"


def _short(v: object) -> str:
    if isinstance(v, tuple | list):
        return "[" + ",".join(str(getattr(x, "value", x)) for x in v) + "]"
    return str(v)


def _inputs(name: str, params: Params, row: dict[str, Any], ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in REGISTRY[name].reads:
        if key == "elements":
            elements: Sequence[str] = getattr(params, "elements", ())
            fr = ctx.items.fractions(elements)[0]
            out.update({f"mass_fraction[{e}]": float(fr[j]) for j, e in enumerate(elements)})
        elif key in row:
            out[key] = row[key]
    if name == "item_controlled":
        out["item_controlled_by"] = sorted(p for p, m in ctx.item_controlled.items() if m[0])
    return out


def by_pattern(fired: Bool, fn: Callable[[np.ndarray], T]) -> list[T]:
    """``fn(fired[:, i])`` for every column ``i``, called once per distinct column."""
    n = fired.shape[1] if fired.ndim == 2 else 0
    if n == 0:
        return []
    if fired.shape[0] == 0:  # no rules: one pattern
        value = fn(fired[:, 0])
        return [value] * n
    packed = np.packbits(fired, axis=0)  # (ceil(rules / 8), n): one byte row per 8 rules
    keys = np.ascontiguousarray(packed.T).view(np.dtype((np.void, packed.shape[0]))).ravel()
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    values = [fn(fired[:, int(i)]) for i in first.tolist()]
    return [values[k] for k in inverse.ravel().tolist()]
