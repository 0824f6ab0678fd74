"""HTTP models of the simulation pages (scenarios, background runs, results, dependence)
and of the dashboard's latest-simulation card. Kept apart from ``schemas`` so that the
dashboard model can import the card without an import cycle; the rules are the same:
``*Public`` is what a page and its JSON twin both show, ``*Create`` what clients send.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ScenarioProblemPublic(Public):
    file: str
    row: int | None
    column: str | None
    message: str


class ScenarioChoicePublic(Public):
    key: str  #: file name without .yaml
    name: str
    description: str
    start: str | None
    horizon_days: float
    step: str
    runs: int
    seed: int


class RunRowPublic(Public):
    """One run as listed: what was run, with which seed and version, and how far."""

    run_id: int
    status: str  # queued | running | done | failed | lost
    scenario: str
    source: str  # "shipped: x.yaml" or "uploaded: y.yaml" or "re-run of #n"
    runs: int
    seed: int
    version: str
    revision: int | None
    created_by: str
    created_at: datetime
    finished_at: datetime | None
    done: int
    total: int
    progress: float  # 0..1


class SimProductPublic(Public):
    site: str
    product: str
    stop_probability: float
    first_stop_day: list[float | None]  # P10, P50, P90 over runs that stop
    days_lost: list[float]  # P50, P90, P99
    units_lost: list[float]
    value_lost: list[float]
    currency: str


class CausePublic(Public):
    kind: str  # link | outage
    supplier: str
    part: str
    buyer: str
    share: float


class StockNeedPublic(Public):
    site: str
    part: str
    supplier: str
    stock_days_now: float
    stock_days_needed: float
    p_short_now: float


class SiteStopPublic(Public):
    site: str
    part: str
    stop_probability: float
    days_lost_mean: float


class SimulationResultPublic(Public):
    scenario: str
    description: str
    runs: int
    seed: int
    version: str
    revision: int | None
    step_days: float
    horizon_days: float
    stop_probability_target: float
    products: list[SimProductPublic]
    sites: list[SiteStopPublic]
    causes: list[CausePublic]
    causes_by_part: list[dict[str, Any]]
    causes_by_supplier: list[dict[str, Any]]
    stock_needed: list[StockNeedPublic]
    watched: list[str]  #: "site/part" nodes with an inventory curve
    notes: list[str]
    charts: dict[str, dict[str, Any]]  #: Vega-Lite specs, keyed stop_probability, ...
    scenario_data: dict[str, Any]  #: the scenario as run (with runs and seed)


class SimulationRunPublic(Public):
    run: RunRowPublic
    error: str | None = None
    problems: list[ScenarioProblemPublic] = []
    result: SimulationResultPublic | None = None
    node: str | None = None  #: the node whose inventory curve is shown
    node_chart: dict[str, Any] | None = None


class SimulationIndexPublic(Public):
    scenarios: list[ScenarioChoicePublic]
    runs: list[RunRowPublic]
    max_upload_kib: int
    max_runs: int


class SimulationRunCreate(BaseModel):
    scenario: str | None = Field(
        default=None, max_length=100, description="A shipped scenario's key (see GET /simulation)."
    )
    yaml: str | None = Field(
        default=None, max_length=256 * 1024, description="A scenario file's text, instead."
    )
    runs: int | None = Field(default=None, ge=1, le=5000, description="Override the runs.")
    seed: int | None = Field(default=None, ge=0, le=2**32 - 1, description="Override the seed.")
    watch: str | None = Field(
        default=None, max_length=400, description="Also keep the inventory curve of site/part."
    )


class SimulationBriefPublic(Public):
    """The dashboard card: the latest finished run in a few numbers."""

    run_id: int
    scenario: str
    runs: int
    seed: int
    finished_at: datetime | None
    products: int
    products_at_risk: int  #: stop probability above the scenario's target
    target: float
    top: list[SimProductPublic]
    top_cause: CausePublic | None


# -- dependence ---------------------------------------------------------------------


class WorldFigurePublic(Public):
    stage: str
    year: str
    sources: list[str]
    countries: list[str]
    iso: list[str]
    shares_pct: list[float]
    hhi: float
    complete: bool
    top_country: str
    top_share_pct: float


class OriginPublic(Public):
    countries: list[str]
    share_pct: list[float]
    kg: list[float]
    hhi: float


class StageRowPublic(Public):
    stage: str
    element: str
    world: WorldFigurePublic | None
    ours: OriginPublic | None
    world_share_of_our_top: float | None  #: world share of our top country, where sourced
    sentence: str


class DependencePublic(Public):
    product: str | None
    products: list[str]  #: products to choose from
    rows: list[StageRowPublic]
    history: list[WorldFigurePublic]
    notes: list[str]
    chart: dict[str, Any] | None
