"""Named, documented predicates that rule conditions are built from.

Every predicate takes the evaluation ``Context`` (columns of facts for all rows at once)
and its validated parameters, and returns ``(holds, unknown)``: two boolean arrays, one
value per row. ``unknown`` marks rows where a needed input is missing; such a row never
"holds", and a rule that would fire but for unknown inputs makes the verdict uncertain.

Docstrings are user documentation: ``raretrace rules show`` and ``docs/rules.md`` print
them. Add a predicate with ``@predicate(...)`` and a parameter model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from inspect import cleandoc
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from raretrace.domain.elements import ALL_SYMBOLS
from raretrace.domain.parts import Form, MagnetType, PartKind
from raretrace.rules.facts import (
    CONTENT_UNKNOWN,
    END_USES,
    FORMS,
    KINDS,
    MAGNET_TYPES,
    Bool,
    PartFacts,
    ShipmentFacts,
    Str,
    any_of,
)
from raretrace.rules.schema import Scope

Result = tuple[Bool, Bool]


@dataclass(slots=True)
class Context:
    """What predicates read: the facts and, for shipments, earlier results."""

    items: PartFacts
    shipments: ShipmentFacts | None = None
    #: pack id -> rows whose item is controlled under that pack (after exclusions)
    item_controlled: dict[str, Bool] = field(default_factory=dict)
    item_maybe: dict[str, Bool] = field(default_factory=dict)
    #: rule id -> rows where that rule fired (after exclusions) / might fire
    fired: dict[str, Bool] = field(default_factory=dict)
    maybe: dict[str, Bool] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.items)

    def ship(self) -> ShipmentFacts:
        if self.shipments is None:
            raise ValueError("a shipment predicate was used on item facts")
        return self.shipments

    def none(self) -> Bool:
        return np.zeros(self.n, dtype=bool)


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True, slots=True)
class PredicateSpec:
    """A registered predicate: its function, parameter model, scope and documentation."""

    name: str
    scope: Scope
    params: type[Params]
    func: Callable[[Context, Any], Result]
    reads: tuple[str, ...]

    @property
    def doc(self) -> str:
        return cleandoc(self.func.__doc__ or "")


REGISTRY: dict[str, PredicateSpec] = {}


def predicate(
    name: str, params: type[Params], *, scope: Scope, reads: tuple[str, ...] = ()
) -> Callable[[Callable[[Context, Any], Result]], Callable[[Context, Any], Result]]:
    """Register a predicate under ``name`` (used by the ``when`` of rule packs)."""

    def register(func: Callable[[Context, Any], Result]) -> Callable[[Context, Any], Result]:
        REGISTRY[name] = PredicateSpec(name, scope, params, func, reads)
        return func

    return register


# -- parameter models ------------------------------------------------------------------


class NoParams(Params):
    pass


class ElementParams(Params):
    elements: tuple[str, ...] = Field(min_length=1)
    more_than: float = Field(default=0.0, ge=0.0, lt=1.0)

    @field_validator("elements")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [e for e in v if e not in ALL_SYMBOLS]
        if bad:
            raise ValueError(f"unknown element symbol(s): {', '.join(bad)}")
        return v


class FormParams(Params):
    forms: tuple[Form, ...] = Field(min_length=1)


class MagnetParams(Params):
    types: tuple[MagnetType, ...] = Field(min_length=1)


class KindParams(Params):
    kinds: tuple[PartKind, ...] = Field(min_length=1)


class ShareParams(Params):
    #: a decimal share (0.001 = 0.1 %), compared exactly
    at_least: Decimal = Field(ge=0, le=1)


class CountryParams(Params):
    countries: tuple[str, ...] = Field(min_length=1)

    @field_validator("countries")
    @classmethod
    def _alpha2(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [c for c in v if len(c) != 2 or not c.isupper()]
        if bad:
            raise ValueError(f"countries must be ISO alpha-2 codes: {', '.join(bad)}")
        return v


Role = Literal["consignee", "end_user"]


class PartyParams(Params):
    parties: tuple[Role, ...] = ("consignee", "end_user")


class ListedParams(PartyParams):
    owned_at_least_pct: float = Field(default=50.0, ge=0.0, le=100.0)


ChinaList = Literal["control", "watch"]


class OnListParams(PartyParams):
    lists: tuple[ChinaList, ...] = Field(min_length=1)
    #: also count parties that inherit the listing: ``subsidiary`` (>= 50 % owned by a
    #: listed party) and ``branch`` (a branch, 分公司, of a listed party)
    through: tuple[Literal["subsidiary", "branch"], ...] = ("subsidiary", "branch")


class EndUseParams(Params):
    uses: tuple[str, ...] = Field(min_length=1)
    #: how an undeclared end use counts: ``unknown`` (the verdict is uncertain) or
    #: ``no`` (only a declared use fires the rule: for broad limbs flagged for review)
    undeclared: Literal["unknown", "no"] = "unknown"

    @field_validator("uses")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [u for u in v if u not in END_USES]
        if bad:
            raise ValueError(f"unknown end use(s): {', '.join(bad)}; known: {END_USES}")
        return v


class PackParams(Params):
    packs: tuple[str, ...] = ()


class RuleParams(Params):
    rules: tuple[str, ...] = Field(min_length=1)


# -- item predicates -------------------------------------------------------------------


def _content_unknown(ctx: Context) -> Bool:
    return np.asarray(ctx.items.content_basis == CONTENT_UNKNOWN, dtype=bool)


@predicate("contains_any", ElementParams, scope=Scope.ITEM, reads=("elements", "content_basis"))
def contains_any(ctx: Context, p: ElementParams) -> Result:
    """The part contains at least one of ``elements`` at a mass fraction above
    ``more_than`` (default 0: any amount counts, as no minimum content was found for
    Announcement 18). Unknown when the part's content is unknown."""
    holds = any_of(ctx.items.fractions(p.elements) > p.more_than, axis=1)
    unknown = _content_unknown(ctx) & ~holds
    return holds, unknown


@predicate("contains_all", ElementParams, scope=Scope.ITEM, reads=("elements", "content_basis"))
def contains_all(ctx: Context, p: ElementParams) -> Result:
    """The part contains every one of ``elements`` above ``more_than`` (e.g. Sm and Co
    for a Sm-Co alloy). Unknown when the part's content is unknown."""
    holds = np.asarray((ctx.items.fractions(p.elements) > p.more_than).all(axis=1), dtype=bool)
    unknown = _content_unknown(ctx) & ~holds
    return holds, unknown


@predicate("form_in", FormParams, scope=Scope.ITEM, reads=("form",))
def form_in(ctx: Context, p: FormParams) -> Result:
    """The part's declared physical form is one of ``forms`` (metal, alloy, oxide,
    compound, target, magnet, deep_processed_assembly, other)."""
    wanted = np.array([FORMS.index(f) for f in p.forms], dtype=np.int8)
    return np.isin(ctx.items.form, wanted), ctx.none()


@predicate("magnet_type_in", MagnetParams, scope=Scope.ITEM, reads=("magnet_type",))
def magnet_type_in(ctx: Context, p: MagnetParams) -> Result:
    """The part's magnet type is one of ``types`` (ndfeb, smco, none)."""
    wanted = np.array([MAGNET_TYPES.index(t) for t in p.types], dtype=np.int8)
    return np.isin(ctx.items.magnet_type, wanted), ctx.none()


@predicate("kind_in", KindParams, scope=Scope.ITEM, reads=("kind",))
def kind_in(ctx: Context, p: KindParams) -> Result:
    """The part's kind is one of ``kinds`` (raw_material, magnet, component, assembly,
    product)."""
    wanted = np.array([KINDS.index(k) for k in p.kinds], dtype=np.int8)
    return np.isin(ctx.items.kind, wanted), ctx.none()


@predicate("deep_processed", NoParams, scope=Scope.ITEM, reads=("deep_processed", "kind"))
def deep_processed(ctx: Context, _p: NoParams) -> Result:
    """The part is a deep-processed product in the sense of MOFCOM dual-use FAQ No. 5:
    a rotor or stator assembly, a moulded sensor, a consumer product fitted with
    magnets. The service sets this for parts of form ``deep_processed_assembly`` and
    for assemblies and products."""
    return ctx.items.deep_processed.copy(), ctx.none()


@predicate("contains_part2_magnet", NoParams, scope=Scope.ITEM, reads=("part2_magnet", "kind"))
def contains_part2_magnet(ctx: Context, _p: NoParams) -> Result:
    """The part is, or contains anywhere in its bill of materials, a rare-earth
    permanent-magnet material of Ann. 61 Annex 1 Part 2: an Sm-Co magnet, or an NdFeB
    magnet containing Dy or Tb ("and parts, components and assemblies containing
    them", see docs/sources.md). A plain Nd-Pr NdFeB magnet is not. Unknown when an
    NdFeB magnet in it has unknown content."""
    col = ctx.items.p2()
    return col == 1, col < 0


@predicate(
    "cn_value_share_at_least",
    ShareParams,
    scope=Scope.ITEM,
    reads=("cn_value_share", "cn_value_exact"),
)
def cn_value_share_at_least(ctx: Context, p: ShareParams) -> Result:
    """Chinese-origin controlled input material is ``at_least`` this share of the
    part's value (0.001 = 0.1 %; the boundary counts). Compared exactly where the share
    was computed from stored decimals (every BOM level, as fractions), so a share of
    exactly 0.1 % counts. Unknown when the share is unknown (no values or origins in
    the data)."""
    share = ctx.items.cn_value_share
    unknown = np.isnan(share)
    bound = Fraction(p.at_least)
    holds = (share >= float(bound)) & ~unknown
    # exact where known: a float share of a decimal boundary is never trusted
    col = ctx.items.cn_value_exact
    if col is None:
        return holds, unknown
    known = np.fromiter((x is not None for x in col), dtype=bool, count=len(col))
    for i in np.flatnonzero(known & ~unknown):
        exact = ctx.items.exact(int(i))
        if exact is not None:
            holds[i] = exact >= bound
    return holds, unknown


@predicate("origin_country_in", CountryParams, scope=Scope.ITEM, reads=("origin_country",))
def origin_country_in(ctx: Context, p: CountryParams) -> Result:
    """The part was made (is of origin) in one of ``countries``. Unknown when the
    origin is unknown; negate it for "foreign-made"."""
    return _country_in(ctx.items.origin_country, p.countries)


def _country_in(column: Str, countries: tuple[str, ...]) -> Result:
    unknown = column == ""
    return np.asarray(np.isin(column, np.array(countries, dtype="<U2")), dtype=bool), unknown


# -- shipment predicates ---------------------------------------------------------------


@predicate("exporter_country_in", CountryParams, scope=Scope.SHIPMENT, reads=("exporter_country",))
def exporter_country_in(ctx: Context, p: CountryParams) -> Result:
    """The shipment leaves from (the exporter's site is in) one of ``countries``."""
    return _country_in(ctx.ship().exporter_country, p.countries)


@predicate(
    "destination_country_in",
    CountryParams,
    scope=Scope.SHIPMENT,
    reads=("destination_country",),
)
def destination_country_in(ctx: Context, p: CountryParams) -> Result:
    """The shipment goes to one of ``countries``."""
    return _country_in(ctx.ship().destination_country, p.countries)


@predicate(
    "crosses_border",
    NoParams,
    scope=Scope.SHIPMENT,
    reads=("exporter_country", "destination_country"),
)
def crosses_border(ctx: Context, _p: NoParams) -> Result:
    """Exporter and destination are in different countries (an export)."""
    s = ctx.ship()
    unknown = (s.exporter_country == "") | (s.destination_country == "")
    return (s.exporter_country != s.destination_country) & ~unknown, unknown


@predicate(
    "party_military",
    PartyParams,
    scope=Scope.SHIPMENT,
    reads=("consignee_military", "end_user_military"),
)
def party_military(ctx: Context, p: PartyParams) -> Result:
    """One of ``parties`` (consignee, end_user) is a military end user."""
    s = ctx.ship()
    holds = ctx.none()
    if "consignee" in p.parties:
        holds |= s.consignee_military
    if "end_user" in p.parties:
        holds |= s.end_user_military
    return holds, ctx.none()


@predicate(
    "party_listed",
    ListedParams,
    scope=Scope.SHIPMENT,
    reads=(
        "consignee_listed",
        "consignee_listed_owner_pct",
        "end_user_listed",
        "end_user_listed_owner_pct",
    ),
)
def party_listed(ctx: Context, p: ListedParams) -> Result:
    """One of ``parties`` is on China's export-control Control or Watch list, or is at
    least ``owned_at_least_pct`` percent owned by a listed party (default 50: a
    50 %-owned subsidiary counts, a 49 %-owned one does not)."""
    s = ctx.ship()
    holds = ctx.none()
    if "consignee" in p.parties:
        holds |= s.consignee_listed | (s.consignee_listed_owner_pct >= p.owned_at_least_pct)
    if "end_user" in p.parties:
        holds |= s.end_user_listed | (s.end_user_listed_owner_pct >= p.owned_at_least_pct)
    return holds, ctx.none()


@predicate(
    "party_on_list",
    OnListParams,
    scope=Scope.SHIPMENT,
    reads=(
        "consignee_list_kind",
        "consignee_list_via",
        "end_user_list_kind",
        "end_user_list_via",
    ),
)
def party_on_list(ctx: Context, p: OnListParams) -> Result:
    """One of ``parties`` is on one of China's ``lists`` (control: the Export Control
    List, 管控名单; watch: the Watch List, 关注名单), itself or, per ``through``, as a
    >= 50 %-owned subsidiary or a branch (分公司) of a listed party (a branch whatever
    the shareholding; see docs/sources.md). The kinds come from the stored lists
    (each entry's list kind) and confirmed screening matches. Unknown when the party is
    listed but which list is not known."""
    s = ctx.ship()
    holds, unknown = ctx.none(), ctx.none()
    wanted = np.array(p.lists, dtype="<U8")
    vias = np.array(("listed", *p.through), dtype="<U10")
    both = set(p.lists) == {"control", "watch"}
    for role in p.parties:
        kind = getattr(s, f"{role}_list_kind")
        via = np.isin(getattr(s, f"{role}_list_via"), vias)
        holds |= via & (np.isin(kind, wanted) | (both & (kind == "listed")))
        unknown |= via & (kind == "listed") & (not both)
    return holds, unknown & ~holds


@predicate("end_use_in", EndUseParams, scope=Scope.SHIPMENT, reads=("end_use",))
def end_use_in(ctx: Context, p: EndUseParams) -> Result:
    """The declared end use is one of ``uses`` (civilian, military, wmd, terrorism,
    advanced_chip: <= 14 nm logic or >= 256-layer memory, military_ai, humanitarian,
    japan_military_capability: helps enhance Japan's military capability). Unknown
    when no end use was declared (false instead with ``undeclared: "no"``)."""
    column = ctx.ship().end_use
    unknown = column == "" if p.undeclared == "unknown" else ctx.none()
    return np.isin(column, np.array(p.uses)), unknown


@predicate(
    "chinese_re_technology", NoParams, scope=Scope.SHIPMENT, reads=("chinese_re_technology",)
)
def chinese_re_technology(ctx: Context, _p: NoParams) -> Result:
    """The item was produced abroad using Chinese-origin rare-earth technology
    (mining, separation, metal smelting, magnet making, recycling). Unknown unless
    stated."""
    tech = ctx.ship().chinese_re_technology
    return tech == 1, tech < 0


@predicate("item_controlled", PackParams, scope=Scope.SHIPMENT, reads=())
def item_controlled(ctx: Context, p: PackParams) -> Result:
    """The shipped part is a controlled item under one of ``packs`` (all packs when
    empty), as classified by their item rules on the same date, after exclusions."""
    packs = p.packs or tuple(ctx.item_controlled)
    holds, unknown = ctx.none(), ctx.none()
    for pack in packs:
        holds |= ctx.item_controlled.get(pack, ctx.none())
        unknown |= ctx.item_maybe.get(pack, ctx.none())
    return holds, unknown & ~holds


@predicate("rule_fired", RuleParams, scope=Scope.SHIPMENT, reads=())
def rule_fired(ctx: Context, p: RuleParams) -> Result:
    """At least one of the shipment rules ``rules`` fired (after exclusions). Used to
    attach a licensing policy (presumption of denial, case by case) to the rules that
    create the licence requirement."""
    holds, unknown = ctx.none(), ctx.none()
    for rule in p.rules:
        holds |= ctx.fired[rule]
        unknown |= ctx.maybe[rule]
    return holds, unknown & ~holds


def evaluate_condition(ctx: Context, name: str, params: Params, negate: bool) -> Result:
    """Evaluate one condition; a negated condition keeps its unknown rows unknown."""
    holds, unknown = REGISTRY[name].func(ctx, params)
    if negate:
        return ~holds & ~unknown, unknown
    return holds, unknown


__all__ = ["REGISTRY", "Context", "Params", "PredicateSpec", "evaluate_condition", "predicate"]
