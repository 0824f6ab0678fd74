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


class PasswordChange(BaseModel):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(min_length=1, max_length=1000)


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
    entry_id: int | None = None


class AuditPagePublic(Public):
    entries: list[AuditEntryPublic]
    next_before: int | None = Field(
        default=None, description="Pass as `before` for the next (older) page; null: last."
    )
    action: str | None = None
    hide_failed_logins: bool = False


class UsersPagePublic(Public):
    users: list[UserPublic]
    tokens: dict[str, list[TokenPublic]]
    audit: list[AuditEntryPublic]


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
    analysis: PartAnalysisPublic


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


# -- import --------------------------------------------------------------------------


class ProblemPublic(Public):
    file: str
    row: int | None
    column: str | None
    message: str


class TableChangesPublic(Public):
    """What an import does to one table (by natural key), with a few keys of each."""

    added: int
    changed: int
    removed: int
    unchanged: int
    added_keys: list[str]
    changed_keys: list[str]
    removed_keys: list[str]


class ImportPreviewPublic(Public):
    filename: str
    ok: bool
    replace: bool
    rows: dict[str, int]
    problems: list[ProblemPublic]
    upload_id: str | None = Field(
        default=None, description="Send back to confirm the import (only when ok)."
    )
    changes: dict[str, TableChangesPublic] | None = Field(
        default=None, description="Records added, changed and removed per table (when ok)."
    )


class ImportResultPublic(Public):
    filename: str
    rows: dict[str, int]
    replaced: bool
    revision: int
    changes: dict[str, TableChangesPublic] | None = None
    changed: bool = Field(
        default=True, description="False: the bundle changed nothing; revision unchanged."
    )


# -- tracing and classification (part page analysis, sankey) --------------------------


class OriginSharePublic(Public):
    country: str
    party: str
    site: str
    kg_per_unit: float
    share: float


class NodeTracePublic(Public):
    site: str
    party: str
    country: str
    units_per_year: float | None
    content_kg: dict[str, float] = Field(description="kg of each element per unit.")
    unknown_inputs_per_unit: float = Field(description="0 when every input's content is known.")
    controlled_kg: float
    origin: dict[str, list[OriginSharePublic]]
    controlled_value: float | None
    controlled_value_share: float | None
    origin_value_share: float | None
    value_currency: str | None = Field(
        None, description="Currency of controlled_value: the part's, or the rates' base."
    )


class DataQualityPublic(Public):
    unknown_content_parts: list[str]
    unknown_content_nodes: int
    partially_sourced: list[str]
    declared_above_bom: list[str] = Field(
        default_factory=list,
        description="Nodes whose declared composition holds more than their BOM explains "
        "(the residual is counted as entering there); at most 100 named.",
    )
    declared_above_bom_nodes: int = 0


class TracePublic(Public):
    controlled: list[str]
    origin_country: str
    nodes: list[NodeTracePublic]
    quality: DataQualityPublic


class ReachRowPublic(Public):
    site: str
    party: str
    country: str
    part: str
    tier: int
    quantity: float


class PathRowPublic(Public):
    nodes: list[str]
    hop_quantities: list[float]
    quantity: float


class WhereUsedPublic(Public):
    direction: str
    rows: list[ReachRowPublic]
    ends: list[str]
    paths: list[PathRowPublic]
    paths_truncated: bool


class ReasonPublic(Public):
    rule_id: str
    pack: str
    title: str
    outcome: str
    considered: bool
    fired: bool
    detail: str
    inputs: dict[str, Any]
    citation: str
    control_codes: list[str]
    uncertain: bool
    uncertain_note: str


class DeterminationPublic(Public):
    subject: str
    as_of: date
    policy: str
    outcome: str
    control_codes: list[str]
    uncertain: bool
    uncertain_reasons: list[str]
    reasons: list[ReasonPublic]
    #: what the fired rules add (Watch-List licence conditions) and trace findings
    notes: list[str] = []


class RatesPublic(Public):
    """An exchange-rate table kept in the workspace (user-supplied; none are shipped)."""

    rates_id: int
    name: str = Field(description="The file the table was read from.")
    sha256: str = Field(description="SHA-256 of that file.")
    base: str
    as_of: date
    source: str
    rates: dict[str, Decimal] = Field(
        description="Currency -> value of one unit of it in the base currency (exact)."
    )
    stored_by: str
    stored_at: datetime


class RatesListPublic(Public):
    tables: list[RatesPublic] = Field(description="Newest first.")


class PartAnalysisPublic(Public):
    as_of: date
    policy: str
    site: str | None = Field(description="The making site the trace is shown for.")
    trace: TracePublic | None
    trace_note: str = ""
    classification: DeterminationPublic
    down: WhereUsedPublic | None
    up: WhereUsedPublic | None
    content_chart: dict[str, Any] | None
    origin_chart: dict[str, Any] | None
    rates: RatesPublic | None = Field(
        None, description="The exchange rates value shares were converted with (none: not)."
    )


class SankeyNodePublic(Public):
    node_id: str
    part_id: str
    part_name: str
    site_name: str
    party: str
    country: str
    tier: int
    kg: float


class SankeyLinkPublic(Public):
    source: str
    target: str
    part_id: str
    kg: float


class SankeyPublic(Public):
    product_id: str
    product_name: str
    element: str
    elements: list[str]
    units_per_year: float | None
    kg_per_product: float = Field(description="kg of the element per unit of the product.")
    nodes: list[SankeyNodePublic]
    links: list[SankeyLinkPublic]
    truncated: bool
    chart: dict[str, Any] | None


# -- suppliers: exposure ------------------------------------------------------------------


class ExposureRowPublic(Public):
    rank: int
    site: str
    party: str
    party_name: str
    country: str
    tier: int
    parts: list[str]
    kg_per_year: dict[str, float]
    total_kg_per_year: float
    products: list[str] | None


class ExposureFiltersPublic(Public):
    product: str = ""
    country: str = ""
    element: str = ""
    max_tier: int | None = None
    scope: str = "controlled"
    q: str = ""


class ExposurePublic(Public):
    filters: ExposureFiltersPublic
    elements: list[str] = Field(description="The element columns, in table order.")
    rows: list[ExposureRowPublic]
    countries: list[str]
    products: list[str]
    unplanned_products: list[str]
    unknown_content_parts: int
    chart: dict[str, Any] | None


# -- dashboard additions -------------------------------------------------------------------


class ProductControlledPublic(Public):
    part_id: str
    name: str
    units_per_year: float
    kg_per_year: dict[str, float]
    controlled_kg_per_year: float


class StatusNoticePublic(Public):
    """A measure whose status is not confirmed since ``unknown_since`` (regime.md 9.7)."""

    measure: str
    until: date
    unknown_since: date
    packs: list[str]
    note: str
    citation: str
    regime: str  # CN: shown in the banner; US: context, listed by `rules status`


class ComplianceSummaryPublic(Public):
    as_of: date
    products: list[ProductControlledPublic]
    flows_cross_border: int
    flows_needing_licence: int
    flows_uncertain: int
    open_screening_hits: int
    screened: bool
    exposure_chart: dict[str, Any] | None
    #: measures whose status is unconfirmed on ``as_of`` (the "status unknown" banner)
    status_notices: list[StatusNoticePublic] = []


class ScreeningAuditRowPublic(Public):
    at: datetime
    action: str
    actor: str
    run_id: int | None
    hit_id: int | None
    subject: str
    party_id: str
    list_name: str
    list_version_date: date | None
    list_loaded_at: datetime | None
    entry: str
    score: float | None
    threshold: float | None
    decision: str
    reason: str
    detail: str
