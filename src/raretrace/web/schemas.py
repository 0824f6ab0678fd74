"""HTTP models. ``*Public`` models are what pages and their JSON twins both show;
``*Create``/``*Update`` are what clients send. Built from service results with
``model_validate(obj, from_attributes=True)``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from raretrace.domain.users import UserRole


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class HealthPublic(Public):
    status: str
    version: str


# -- users ---------------------------------------------------------------------------


class UserPublic(Public):
    username: str
    role: UserRole
    active: bool
    created_at: datetime


class UserCreate(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    role: UserRole = UserRole.VIEWER
    password: str = Field(min_length=1, max_length=1000)


class UserUpdate(BaseModel):
    role: UserRole | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=1, max_length=1000)


class TokenCreate(BaseModel):
    name: str = Field(default="script", max_length=200)


class TokenPublic(Public):
    token_id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenIssuedPublic(TokenPublic):
    secret: str = Field(description="Shown once; send as `Authorization: Bearer <secret>`.")


class AuditEntryPublic(Public):
    at: datetime
    actor: str
    action: str
    target: str
    detail: str


class UsersPagePublic(Public):
    users: list[UserPublic]
    tokens: dict[str, list[TokenPublic]]
    audit: list[AuditEntryPublic]


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


# -- parts ---------------------------------------------------------------------------


class PartSummaryPublic(Public):
    part_id: str
    name: str
    kind: str
    rare_earths: list[str]
    supplier_count: int


class PartListPublic(Public):
    total: int
    offset: int
    limit: int
    items: list[PartSummaryPublic]


class PartPublic(Public):
    part_id: str
    name: str
    kind: str
    uom: str
    mass_kg: float | None
    unit_value: Decimal | None
    currency: str | None
    hs_code: str
    form: str
    magnet_type: str
    notes: str


class CompositionPublic(Public):
    element: str
    mass_fraction: float
    source: str


class BomEntryPublic(Public):
    part_id: str
    name: str
    kind: str
    quantity: float
    rare_earths: list[str]


class SupplyEntryPublic(Public):
    supplier_site_id: str
    supplier_site: str
    supplier_party: str
    supplier_country: str
    buyer_site_id: str
    buyer_site: str
    share: float
    lead_time_days: int | None


class ProducerPublic(Public):
    site_id: str
    site: str
    party: str
    country: str
    units_per_year: float | None


class PartDetailPublic(Public):
    as_of: date
    part: PartPublic
    rare_earths: list[str]
    composition: list[CompositionPublic]
    children: list[BomEntryPublic]
    used_in: list[BomEntryPublic]
    producers: list[ProducerPublic]
    suppliers: list[SupplyEntryPublic]
    composition_chart: dict[str, Any] | None
    analyses: list[ModuleCardPublic]


class FlowNodePublic(Public):
    node_id: str
    site_id: str
    part_id: str
    part_name: str
    site_name: str
    party: str
    country: str
    tier: int
    units: float
    mass_kg: float | None
    rare_earths: list[str]


class FlowEdgePublic(Public):
    source: str
    target: str
    part_id: str
    units: float
    mass_kg: float | None


class ProductNetworkPublic(Public):
    product_id: str
    product_name: str
    tiers: int
    truncated: bool
    nodes: list[FlowNodePublic]
    edges: list[FlowEdgePublic]
    chart: dict[str, Any]


# -- suppliers -----------------------------------------------------------------------


class SupplierRowPublic(Public):
    party_id: str
    name: str
    country: str
    roles: list[str]
    sites: int
    parts_supplied: int
    rare_earth_parts: int
    rare_earths: list[str]
    buyers: int


class SupplierFiltersPublic(Public):
    country: str = ""
    role: str = ""
    element: str = ""
    q: str = ""


class SuppliersPublic(Public):
    filters: SupplierFiltersPublic
    rows: list[SupplierRowPublic]
    countries: list[str]
    roles: list[str]
    elements: list[str]


# -- import --------------------------------------------------------------------------


class ProblemPublic(Public):
    file: str
    row: int | None
    column: str | None
    message: str


class ImportPreviewPublic(Public):
    filename: str
    ok: bool
    replace: bool
    rows: dict[str, int]
    problems: list[ProblemPublic]
    upload_id: str | None = Field(
        default=None, description="Send back to confirm the import (only when ok)."
    )


class ImportResultPublic(Public):
    filename: str
    rows: dict[str, int]
    replaced: bool
    revision: int
