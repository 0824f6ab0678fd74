"""Disruption scenarios: the pydantic schema of a scenario file (YAML or the API).

A scenario says *what happens* (licence delays and denials, embargo windows, supplier
outages), *what the network holds* (starting stock and safety stock per (site, part),
alternative suppliers with ramp-up) and *what it must make* (demand per product), over
a horizon cut into steps of days or weeks. ``analytics.disruptions`` turns it into
arrays; ``analytics.simulate`` runs it. Validation happens once, here, at the edge.

Days are counted from the scenario ``start`` (day 0). A window is ``[from, to)``: it
begins on day ``from`` and ends before day ``to``. Windows may be given as day numbers
or as dates (then ``start`` is required).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Alternative",
    "Clock",
    "Demand",
    "DemandChange",
    "Embargo",
    "EmpiricalLeadTime",
    "FixedLeadTime",
    "Items",
    "LeadTime",
    "Licensing",
    "LognormalLeadTime",
    "Outage",
    "Scenario",
    "SpareCapacity",
    "Stock",
    "Verdict",
    "Window",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Items(StrEnum):
    """Which parts a rule covers (besides an explicit ``parts`` list)."""

    ALL = "all"
    #: magnets and raw materials (metals, oxides, alloys) whose rolled-up content has a
    #: controlled element (``Scenario.controlled_elements``, default: Ann. 18 list)
    CONTROLLED = "controlled"
    #: magnets and the materials they are made of (kind magnet or raw material)
    MAGNETS = "magnets"


class Clock(StrEnum):
    CALENDAR = "calendar"
    #: working days on China's official calendar (``services.calendar``: weekends and
    #: public holidays off, adjusted working days 调休 on), the licence application's
    #: clock: N working days after submission on date D end on
    #: ``calendar.add_working_days(D, N)`` (D itself not counted), and the licence is in
    #: hand from the next day
    WORKING = "working"


class Verdict(StrEnum):
    """A supply link's determination under the workspace's rule packs (the values of
    ``raretrace.rules.schema.Outcome`` for shipments)."""

    NOT_CONTROLLED = "not_controlled"
    CONTROLLED = "controlled"
    LICENCE_REQUIRED = "licence_required"
    CASE_BY_CASE = "case_by_case"
    PRESUMPTION_OF_DENIAL = "presumption_of_denial"
    PROHIBITED = "prohibited"


class FixedLeadTime(_Model):
    kind: Literal["fixed"] = "fixed"
    days: float = Field(ge=0)


class LognormalLeadTime(_Model):
    """Lognormal with the given median (days) and sigma of the log."""

    kind: Literal["lognormal"] = "lognormal"
    median_days: float = Field(gt=0)
    sigma: float = Field(ge=0, le=3)
    max_days: float | None = Field(default=None, gt=0)


class EmpiricalLeadTime(_Model):
    """Resampled uniformly from observed lead times (days)."""

    kind: Literal["empirical"] = "empirical"
    days: list[Annotated[float, Field(ge=0)]] = Field(min_length=1)


LeadTime = Annotated[
    FixedLeadTime | LognormalLeadTime | EmpiricalLeadTime, Field(discriminator="kind")
]


class Window(_Model):
    """``[from, to)`` in days after the start, or as dates."""

    from_: Annotated[float | date, Field(alias="from")] = 0.0
    to: float | date | None = None  # None = to the end of the horizon

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        a, b = self.from_, self.to
        if b is not None and type(a) is type(b) and b < a:  # type: ignore[operator]
            raise ValueError("the window ends ('to') before it begins ('from')")
        return self

    def days(self, start: date | None) -> tuple[float, float]:
        return _day(self.from_, start, "from"), (
            float("inf") if self.to is None else _day(self.to, start, "to")
        )


def _day(value: float | date, start: date | None, name: str) -> float:
    if isinstance(value, date):
        if start is None:
            raise ValueError(f"'{name}' is a date, so the scenario needs a 'start' date")
        return float((value - start).days)
    return float(value)


class _Scope(_Model):
    """Which supply links a rule covers. Empty lists mean "any"."""

    exporters: list[str] = []  # supplier site countries (ISO 3166 alpha-2)
    destinations: list[str] = []  # buyer site countries
    parties: list[str] = []  # supplier or buyer party ids
    items: Items = Items.ALL
    parts: list[str] = []  # only these parts (in addition to ``items``)


class Licensing(_Scope):
    """Every covered export needs a licence: shipments stop at ``start`` until the
    licence is granted after a random lead time; a denial (probability
    ``denial_probability``) stops the link for the rest of the horizon, or until a new
    application is granted when ``reapply`` is set."""

    name: str = "licensing"
    start: float | date = 0.0
    #: the day the applications were filed (default: ``start``); lead times count
    #: from it, so "45 working days after submission on 15 Sep 2025" is
    #: ``submitted: 2025-09-15`` with a fixed lead time of 45 on the working clock
    submitted: date | None = None
    lead_time: LeadTime
    clock: Clock = Clock.CALENDAR
    denial_probability: float = Field(default=0.0, ge=0, le=1)
    #: denial probability by the link's verdict under the workspace's rule packs on the
    #: rule's start date (e.g. ``presumption_of_denial: 0.95``: military end users and
    #: Control/Watch-List parties, Ann. 61 Art. 2, regime.md §9.1); links whose verdict
    #: is not listed keep ``denial_probability``
    denial_by_verdict: dict[Verdict, Annotated[float, Field(ge=0, le=1)]] = {}
    reapply: bool = False
    items: Items = Items.CONTROLLED


class Embargo(_Scope):
    """No covered shipment moves during ``window``. With ``anti_diversion``, shipments
    to a third country for re-export (through resellers: traders, warehouses) to a
    destination are blocked too, in proportion to what the reseller buys from an
    exporter."""

    name: str = "embargo"
    window: Window
    anti_diversion: bool = True


class Outage(_Model):
    """A site (or every site of a party) produces nothing during ``window``, with
    ``probability`` per run."""

    name: str = "outage"
    site: str | None = None
    party: str | None = None
    window: Window
    probability: float = Field(default=1.0, ge=0, le=1)

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.site is None) == (self.party is None):
            raise ValueError("give exactly one of 'site' or 'party'")
        return self


class Stock(_Model):
    """Stock of ``part`` held at ``site`` (either may be omitted: "every"), as days of
    cover of the site's consumption or as units. ``safety_*`` is the level refilled
    to after a shortage (default: the starting stock). Later entries win."""

    site: str | None = None
    part: str | None = None
    days: float | None = Field(default=None, ge=0)
    units: float | None = Field(default=None, ge=0)
    safety_days: float | None = Field(default=None, ge=0)
    safety_units: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_amount(self) -> Self:
        if (self.days is None) == (self.units is None):
            raise ValueError("give exactly one of 'days' or 'units'")
        if self.safety_days is not None and self.safety_units is not None:
            raise ValueError("give at most one of 'safety_days' or 'safety_units'")
        return self


class DemandChange(_Model):
    """From day (or date) ``from``, the product's demand is ``factor`` x its rate."""

    from_: Annotated[float | date, Field(alias="from")]
    factor: float = Field(ge=0, le=100)

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )


class Demand(_Model):
    """Planned output of a product (optionally at one site), optionally varying over
    time: ``profile`` changes the rate from given days on (piecewise constant; 1 before
    the first change)."""

    product: str
    site: str | None = None
    units_per_year: float | None = Field(default=None, ge=0)
    units_per_week: float | None = Field(default=None, ge=0)
    profile: list[DemandChange] = []

    @model_validator(mode="after")
    def _one_rate(self) -> Self:
        if (self.units_per_year is None) == (self.units_per_week is None):
            raise ValueError("give exactly one of 'units_per_year' or 'units_per_week'")
        return self

    def per_day(self) -> float:
        if self.units_per_year is not None:
            return self.units_per_year / 365.0
        assert self.units_per_week is not None
        return self.units_per_week / 7.0


class Alternative(_Model):
    """A source of ``part`` for ``site`` (or every buyer of the part) that is not in
    the network: from the step in which the buyer's supply of the part first falls
    short, it ramps up linearly over ``ramp_up_days`` to deliver up to
    ``capacity_share`` of the buyer's need of the part, only what is missing and only
    for use (it does not refill stock). It is assumed to be outside the scenario's
    disruptions."""

    part: str
    site: str | None = None
    supplier: str = "alternative"
    ramp_up_days: float = Field(ge=0)
    capacity_share: float = Field(default=1.0, gt=0, le=1)


class SpareCapacity(_Model):
    """Spare capacity of a source in the network: ``supplier`` (a site) can deliver
    ``extra_share`` of ``buyer``'s (default: each buyer's) need of ``part`` on top of
    its normal share, reached linearly over ``ramp_up_days`` from the step in which
    that buyer's supply of the part first falls short. The extra is scaled by the
    share of the supplier's own flow that arrives (a closed or short source has no
    spare), delivered only to cover what is missing, and not into stock."""

    supplier: str
    part: str
    buyer: str | None = None
    extra_share: float = Field(gt=0, le=100)
    ramp_up_days: float = Field(default=0.0, ge=0)


class Scenario(_Model):
    """One disruption scenario (see the module docstring and ``docs/simulation.md``)."""

    name: str
    description: str = ""
    start: date | None = None
    horizon_days: float = Field(default=364, gt=0, le=3660)
    step: Literal["day", "week"] = "week"
    runs: int = Field(default=1000, ge=1, le=1_000_000)
    seed: int = Field(default=0, ge=0)
    controlled_elements: list[str] = ["Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y"]
    licensing: list[Licensing] = []
    embargoes: list[Embargo] = []
    outages: list[Outage] = []
    default_stock_days: float = Field(default=30.0, ge=0)
    stock: list[Stock] = []
    #: catch-up rate: while stock is below its safety level, suppliers deliver this
    #: fraction of the normal flow on top of it
    recovery_rate: float = Field(default=0.25, ge=0, le=10)
    demand: list[Demand] = []  # empty: the production rows of products
    alternatives: list[Alternative] = []
    spare_capacity: list[SpareCapacity] = []
    #: goods in transit: a closure at the exporter stops *arrivals* one supply lead time
    #: later (the supply link's ``lead_time_days``), and the first goods after a licence
    #: arrive one lead time after it; what was shipped before the closure still arrives
    count_in_transit: bool = False
    stop_probability_target: float = Field(default=0.05, gt=0, lt=1)
    watch: list[str] = []  # "site/part" nodes whose inventory curves are kept

    @property
    def step_days(self) -> int:
        return 7 if self.step == "week" else 1

    @property
    def n_steps(self) -> int:
        """Steps that cover the horizon; the last one may be shorter
        (``last_step_days``), so the simulated horizon is exactly ``horizon_days``."""
        return max(1, math.ceil(self.horizon_days / self.step_days - 1e-9))

    @property
    def last_step_days(self) -> float:
        return float(self.horizon_days - (self.n_steps - 1) * self.step_days)

    def day_of(self, value: float | date) -> float:
        return _day(value, self.start, "start")

    def date_of(self, day: float) -> date | None:
        return None if self.start is None else self.start + timedelta(days=float(day))

    @model_validator(mode="after")
    def _dates_need_start(self) -> Self:
        for rule in self.licensing:
            _day(rule.start, self.start, "start")
            needs_date = rule.clock is Clock.WORKING or rule.submitted or rule.denial_by_verdict
            if needs_date and self.start is None:
                raise ValueError(
                    "a working-day clock, a 'submitted' date or 'denial_by_verdict' needs the "
                    "scenario's 'start' date"
                )
        for e in self.embargoes:
            e.window.days(self.start)
        for d in self.demand:
            for ch in d.profile:
                _day(ch.from_, self.start, "from")
        for o in self.outages:
            o.window.days(self.start)
        return self
