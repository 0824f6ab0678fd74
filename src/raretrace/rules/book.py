"""A rule book: packs checked and compiled for evaluation, and rule status on a date.

``compile_book(packs)`` checks every cross-reference (predicate names and parameters,
rule ids across packs, exclusions, ``rule_fired`` references, cycles) and orders the
rules so that a rule is evaluated after the rules it reads. ``check_packs`` returns the
problems instead of raising.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import ValidationError

from raretrace.errors import InputError, Problem
from raretrace.rules.predicates import REGISTRY, Params, RuleParams
from raretrace.rules.schema import Outcome, Rule, RulePack, Scope, Suspension


class SuspensionPolicy(StrEnum):
    """How suspensions are applied: as written, all lifted, or all still running."""

    #: Each suspension covers exactly its ``from``..``until`` days (both inclusive).
    AS_WRITTEN = "as_written"
    #: Ignore every suspension: "what if the suspended rules came back?".
    LIFTED = "lifted"
    #: A suspension that has started never ends: "what if it had been renewed?".
    EXTENDED = "extended"


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    predicate: str
    params: Params
    negate: bool


@dataclass(frozen=True, slots=True)
class CompiledRule:
    pack: RulePack
    rule: Rule
    conditions: tuple[CompiledCondition, ...]
    #: rule ids read through ``rule_fired``
    reads_rules: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.rule.id


@dataclass(frozen=True, slots=True)
class RuleStatus:
    """Whether a rule applies on a date, and why (or why not)."""

    state: str  # in_force | not_yet_in_force | expired | suspended
    detail: str
    uncertain_note: str = ""

    @property
    def in_force(self) -> bool:
        return self.state == "in_force"


@dataclass(frozen=True, slots=True)
class RuleBook:
    """Compiled packs: item rules and shipment rules, each in evaluation order."""

    packs: tuple[RulePack, ...]
    item_rules: tuple[CompiledRule, ...]
    shipment_rules: tuple[CompiledRule, ...]
    #: rule id -> ids of exclusions that override it
    excluded_by: dict[str, tuple[str, ...]]

    def rule(self, rule_id: str) -> CompiledRule:
        for r in (*self.item_rules, *self.shipment_rules):
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def pack_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.packs)


def rule_status(
    pack: RulePack, rule: Rule, as_of: date, policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN
) -> RuleStatus:
    """Whether ``rule`` applies on ``as_of`` under ``policy``."""
    if as_of < rule.effective_from:
        return RuleStatus("not_yet_in_force", f"in force from {rule.effective_from}")
    if rule.effective_to is not None and as_of > rule.effective_to:
        return RuleStatus("expired", f"in force until {rule.effective_to}")
    note = ""
    for s in pack.suspensions_of(rule):
        if policy is SuspensionPolicy.LIFTED or as_of < s.from_:
            continue
        if as_of <= s.until or policy is SuspensionPolicy.EXTENDED:
            return RuleStatus("suspended", _suspended(s, policy))
        if s.uncertain_after:
            note = s.after_note or f"status after the suspension ended on {s.until} is unknown"
    detail = f"in force since {rule.effective_from}"
    if policy is SuspensionPolicy.LIFTED and pack.suspensions_of(rule):
        detail += " (suspensions ignored: what-if)"
    return RuleStatus("in_force", detail, note)


def _suspended(s: Suspension, policy: SuspensionPolicy) -> str:
    text = f"suspended from {s.from_} until {s.until} (inclusive) by {s.by.instrument}"
    if policy is SuspensionPolicy.EXTENDED:
        text += " (assumed renewed: what-if)"
    return text


def check_packs(packs: Sequence[RulePack]) -> list[Problem]:
    """Every problem with ``packs`` taken together (empty when they compile)."""
    try:
        compile_book(packs)
    except InputError as exc:
        return exc.problems
    return []


def compile_book(packs: Sequence[RulePack]) -> RuleBook:
    """Check and compile packs; raises ``InputError`` listing every problem."""
    problems: list[Problem] = []
    compiled: dict[str, CompiledRule] = {}
    pack_ids = {p.id for p in packs}
    for pack in packs:
        for rule in pack.rules:
            where = f"pack {pack.id}"
            if rule.id in compiled:
                problems.append(Problem(where, None, rule.id, "rule id used by another pack"))
                continue
            conds, reads = _compile_conditions(rule, where, pack_ids, problems)
            compiled[rule.id] = CompiledRule(pack, rule, conds, reads)
    excluded_by: dict[str, list[str]] = {}
    for r in compiled.values():
        for target in r.rule.then.overrides:
            other = compiled.get(target)
            if other is None:
                problems.append(
                    Problem(f"pack {r.pack.id}", None, r.id, f"overrides unknown rule {target!r}")
                )
            elif other.rule.scope is not r.rule.scope:
                problems.append(
                    Problem(f"pack {r.pack.id}", None, r.id, f"{target!r} has another scope")
                )
            else:
                excluded_by.setdefault(target, []).append(r.id)
        for target in r.reads_rules:
            other = compiled.get(target)
            if other is None or other.rule.scope is not Scope.SHIPMENT:
                msg = f"rule_fired: no shipment rule {target!r}"
                problems.append(Problem(f"pack {r.pack.id}", None, r.id, msg))
    if problems:
        raise InputError(f"the rule packs have {len(problems)} problem(s)", problems)
    excl = {k: tuple(v) for k, v in excluded_by.items()}
    items = [r for r in compiled.values() if r.rule.scope is Scope.ITEM]
    ships = _ordered([r for r in compiled.values() if r.rule.scope is Scope.SHIPMENT], excl)
    return RuleBook(tuple(packs), tuple(items), tuple(ships), excl)


def _compile_conditions(
    rule: Rule, where: str, pack_ids: set[str], problems: list[Problem]
) -> tuple[tuple[CompiledCondition, ...], tuple[str, ...]]:
    out: list[CompiledCondition] = []
    reads: list[str] = []
    for n, cond in enumerate(rule.when, start=1):
        column = f"{rule.id}.when[{n}]"
        spec = REGISTRY.get(cond.predicate)
        if spec is None:
            problems.append(Problem(where, None, column, f"unknown predicate {cond.predicate!r}"))
            continue
        if spec.scope is Scope.SHIPMENT and rule.scope is Scope.ITEM:
            problems.append(
                Problem(where, None, column, f"{cond.predicate!r} needs shipment facts")
            )
            continue
        try:
            params = spec.params.model_validate(cond.params)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(x) for x in err["loc"])
                problems.append(Problem(where, None, f"{column}.{loc}", err["msg"]))
            continue
        if isinstance(params, RuleParams):
            reads.extend(params.rules)
        for pack in getattr(params, "packs", ()):
            if pack not in pack_ids:
                problems.append(Problem(where, None, column, f"unknown pack {pack!r}"))
        out.append(CompiledCondition(cond.predicate, params, cond.negate))
    return tuple(out), tuple(reads)


def _ordered(rules: list[CompiledRule], excl: dict[str, tuple[str, ...]]) -> list[CompiledRule]:
    """Topological order: a rule comes after the rules (and their exclusions) it reads."""
    by_id = {r.id: r for r in rules}
    deps = {r.id: {d for t in r.reads_rules for d in (t, *excl.get(t, ()))} for r in rules}
    out: list[CompiledRule] = []
    state: dict[str, int] = {}

    def visit(rid: str, path: tuple[str, ...]) -> None:
        if state.get(rid) == 2:
            return
        if state.get(rid) == 1:
            cycle = " -> ".join((*path, rid))
            raise InputError(
                "rule references form a cycle",
                [Problem(f"pack {by_id[rid].pack.id}", None, rid, cycle)],
            )
        state[rid] = 1
        for d in sorted(deps[rid]):
            visit(d, (*path, rid))
        state[rid] = 2
        out.append(by_id[rid])

    for r in rules:
        visit(r.id, ())
    return out


def strongest(outcomes: Sequence[Outcome]) -> Outcome:
    """The strongest shipment outcome (prohibited > denial > case-by-case > licence)."""
    return max(outcomes, key=SHIPMENT_RANK.__getitem__, default=Outcome.NOT_CONTROLLED)


SHIPMENT_RANK: dict[Outcome, int] = {
    Outcome.NOT_CONTROLLED: 0,
    Outcome.CONTROLLED: 0,
    Outcome.LICENCE_REQUIRED: 1,
    Outcome.CASE_BY_CASE: 2,
    Outcome.PRESUMPTION_OF_DENIAL: 3,
    Outcome.PROHIBITED: 4,
}


def without_rules(packs: Sequence[RulePack], rule_ids: Sequence[str]) -> list[RulePack]:
    """``packs`` with the rules ``rule_ids`` taken out, and with every reference to them
    (exclusion ``overrides``, ``rule_fired`` conditions) removed; a rule left with
    nothing to override or read is taken out too, and so is an empty pack. For "what
    would the verdict be without this rule" comparisons."""
    gone = set(rule_ids)
    while True:
        before = len(gone)
        for pack in packs:
            for r in pack.rules:
                if r.id in gone:
                    continue
                if r.then.overrides and set(r.then.overrides) <= gone:
                    gone.add(r.id)
                for c in r.when:
                    if c.predicate == "rule_fired" and set(c.params.get("rules", ())) <= gone:
                        gone.add(r.id)
        if len(gone) == before:
            break
    out: list[RulePack] = []
    for pack in packs:
        rules = []
        for r in pack.rules:
            if r.id in gone:
                continue
            when = tuple(
                c.model_copy(
                    update={"params": {**c.params, "rules": [x for x in c.params["rules"]
                                                             if x not in gone]}}
                )
                if c.predicate == "rule_fired"
                else c
                for c in r.when
            )  # fmt: skip
            then = r.then.model_copy(
                update={"overrides": tuple(x for x in r.then.overrides if x not in gone)}
            )
            rules.append(r.model_copy(update={"when": when, "then": then}))
        if rules:
            out.append(pack.model_copy(update={"rules": tuple(rules)}))
    return out
