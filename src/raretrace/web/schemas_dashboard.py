"""HTTP models of the dashboard: product exposure, module cards, the page itself."""

from __future__ import annotations

from typing import Any

from raretrace.web.schemas import ComplianceSummaryPublic, Public
from raretrace.web.schemas_licences import LicensingSummaryPublic
from raretrace.web.schemas_sim import SimulationBriefPublic

# -- dashboard -----------------------------------------------------------------------


class ProductExposurePublic(Public):
    part_id: str
    name: str
    rare_earths: list[str]


class ModuleCardPublic(Public):
    name: str
    available: bool
    detail: str
    url: str | None = None


class DashboardPublic(Public):
    counts: dict[str, int]
    parties_by_country: dict[str, int]
    parts_by_kind: dict[str, int]
    bom_depth: int
    declared_rare_earths: dict[str, int]
    products: list[ProductExposurePublic]
    modules: list[ModuleCardPublic]
    country_chart: dict[str, Any]
    compliance: ComplianceSummaryPublic | None = None
    licensing: LicensingSummaryPublic | None = None
    simulation: SimulationBriefPublic | None = None
