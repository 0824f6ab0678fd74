"""HTTP models of the Market page and its JSON twin (``*Public``: what both show)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class MarketYearPublic(Public):
    year: int
    cost_per_unit: float
    by_element: dict[str, float]
    increase_per_unit: float
    increase_pct: float | None
    share_of_value: float | None
    cost_per_year: float | None
    increase_per_year: float | None


class SupplierCostPublic(Public):
    rank: int
    site: str
    party: str
    country: str
    tier: int
    parts: list[str]
    kg_per_year: dict[str, float]
    base_cost_per_year: float
    peak_cost_per_year: float
    increase_per_year: float


class HorizonStagePublic(Public):
    stage: str
    unit: str
    need_t: dict[str, float]
    capacity_t: dict[str, list[float]]
    first_year: dict[str, int | None]
    stage_first_year: int | None
    world_line: dict[str, Any] | None
    world_share: list[float] | None
    projects: list[str]
    sentence: str
    covered_share: list[float]
    china_share: list[dict[str, str]]
    china_summary: str


class ProjectPublic(Public):
    project_id: str
    company: str
    facility: str
    country: str
    stage: str
    elements: list[str]
    capacity_t: float | None
    capacity_unit: str
    start_year: int | None
    ramp_years: int
    status: str
    counted: bool
    start_basis: str
    ramp_basis: str
    derivation: str
    source: str


class MarketPublic(Public):
    product: str
    products: list[str]
    scenario: str
    scenario_name: str
    scenarios: list[str]
    prices_id: int | None
    price_tables: list[PriceTablePublic]
    currency: str
    form: str
    base_year: int
    peak_year: int
    units_per_year: float | None
    unit_value: float | None
    content_kg: dict[str, float]
    material_kg: dict[str, float]
    pass_through: dict[str, float]
    pass_through_multiplier: float
    prices: dict[str, dict[int, float | None]]
    base_prices: dict[str, dict[int, float | None]]
    years: list[MarketYearPublic]
    suppliers: list[SupplierCostPublic]
    unpriced: list[str]
    stock: dict[str, Any] | None
    simulation_stock: list[dict[str, Any]]
    price_rows: list[dict[str, Any]]
    simulation_run: str | None
    illustrative: list[str]
    horizon_years: list[int]
    horizon: list[HorizonStagePublic]
    projects: list[ProjectPublic]
    not_counted: list[ProjectPublic]
    horizon_assumptions: list[str]
    history: list[dict[str, str]]
    provenance: dict[str, Any]
    charts: dict[str, dict[str, Any] | None]


class PriceTablePublic(Public):
    prices_id: int
    name: str
    sha256: str
    points: int
    elements: list[str]
    forms: list[str]
    currencies: list[str]
    stored_by: str
    stored_at: str


class PriceTablesPublic(Public):
    tables: list[PriceTablePublic]
