"""The rule-pack file format (pydantic): one YAML file per instrument.

A pack holds the instrument's metadata and citations and a list of rules. Each rule has
a stable id, the article it comes from, its effective dates, suspension periods, a
``when`` (a conjunction of named predicates from ``rules.predicates``) and a ``then``
(the outcome). ``docs/rules.md`` describes the format with examples.

Dates are inclusive at both ends: a rule is in force from ``effective_from`` up to and
including ``effective_to``; a suspension covers ``from`` up to and including ``until``.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Outcome(StrEnum):
    """What a rule concludes, ordered from weakest to strongest within each scope."""

    #: Item scope: the item is on a control list (with its control codes).
    CONTROLLED = "controlled"
    #: Shipment scope: an export licence is needed.
    LICENCE_REQUIRED = "licence_required"
    #: Shipment scope: case-by-case review of the licence application.
    CASE_BY_CASE = "case_by_case"
    #: Shipment scope: a licence is needed and will in principle be denied.
    PRESUMPTION_OF_DENIAL = "presumption_of_denial"
    #: Shipment scope: the export is banned outright.
    PROHIBITED = "prohibited"
    #: Exclusion: the rules listed in ``then.overrides`` do not apply.
    NOT_CONTROLLED = "not_controlled"


class Scope(StrEnum):
    """What a rule classifies: a part (item) or a shipment of a part."""

    ITEM = "item"
    SHIPMENT = "shipment"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Citation(_Model):
    """A source for a rule, with the fact sheet's quality grade (A best .. D weakest)."""

    text: str
    url: str = ""
    quality: str = Field(pattern=r"^[ABCD](/[ABCD])*$")
    note: str = ""


class Instrument(_Model):
    """The instrument that suspends or otherwise acts on a rule."""

    instrument: str
    citation: Citation


class Suspension(_Model):
    """A period (inclusive) during which a rule is not applied, and who decided it."""

    from_: date = Field(alias="from")
    until: date
    by: Instrument
    #: What is known about the status after ``until``; set ``uncertain_after`` when the
    #: sources do not say whether the suspension was extended.
    uncertain_after: bool = False
    after_note: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Suspension:
        if self.until < self.from_:
            raise ValueError(f"suspension ends ({self.until}) before it starts ({self.from_})")
        return self


class Condition(_Model):
    """One named predicate with its parameters; ``negate`` inverts it."""

    predicate: str
    params: dict[str, Any] = Field(default_factory=dict)
    negate: bool = False


class Then(_Model):
    """The outcome of a rule when all its conditions hold."""

    outcome: Outcome
    control_codes: tuple[str, ...] = ()
    #: For ``not_controlled`` exclusions: ids of the rules this exclusion switches off.
    overrides: tuple[str, ...] = ()
    note: str = ""


class Rule(_Model):
    """One rule: a stable id, where it comes from, when it applies, when and then."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    title: str
    scope: Scope
    article: str
    effective_from: date
    effective_to: date | None = None
    suspensions: tuple[Suspension, ...] = ()
    when: tuple[Condition, ...] = Field(min_length=1)
    then: Then
    uncertain: bool = False
    uncertain_note: str = ""
    citations: tuple[Citation, ...] = ()
    #: Reference customs codes printed with the item: hints only, never the test.
    hs_reference: tuple[str, ...] = ()
    #: Elements whose mere presence makes the rule fire (any amount counts in the text).
    #: Where their content is a trace (<= the practice threshold, by content or by a
    #: recorded test report) the verdict is flagged uncertain with a note; it never
    #: becomes "not controlled" (regime.md 9.1 row 8: practice, not law).
    trace_elements: tuple[str, ...] = ()
    notes: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.uncertain and not self.uncertain_note.strip():
            raise ValueError("an uncertain rule needs an uncertain_note saying why")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        outcome = self.then.outcome
        if outcome is Outcome.NOT_CONTROLLED and not self.then.overrides:
            raise ValueError("a not_controlled exclusion must list the rules it overrides")
        if outcome is not Outcome.NOT_CONTROLLED and self.then.overrides:
            raise ValueError("only not_controlled exclusions may override rules")
        if self.scope is Scope.ITEM and outcome not in (
            Outcome.CONTROLLED,
            Outcome.NOT_CONTROLLED,
        ):
            raise ValueError(f"an item rule cannot conclude {outcome.value!r}")
        if self.scope is Scope.SHIPMENT and outcome is Outcome.CONTROLLED:
            raise ValueError("a shipment rule concludes a licence outcome, not 'controlled'")
        if outcome is Outcome.CONTROLLED and not self.then.control_codes:
            raise ValueError("a controlled outcome needs at least one control code")
        return self


class RulePack(_Model):
    """One instrument's rules. ``suspensions`` here apply to every rule of the pack."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    title: str
    instrument: str
    issuer: str
    published: date
    citations: tuple[Citation, ...] = Field(min_length=1)
    suspensions: tuple[Suspension, ...] = ()
    rules: tuple[Rule, ...] = Field(min_length=1)
    notes: str = ""

    @model_validator(mode="after")
    def _unique_ids(self) -> RulePack:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} appears twice")
            seen.add(rule.id)
        return self

    def suspensions_of(self, rule: Rule) -> tuple[Suspension, ...]:
        """The pack-wide suspensions followed by the rule's own."""
        return (*self.suspensions, *rule.suspensions)

    def citations_of(self, rule: Rule) -> tuple[Citation, ...]:
        """The rule's own citations, or the pack's when the rule has none."""
        return rule.citations or self.citations
