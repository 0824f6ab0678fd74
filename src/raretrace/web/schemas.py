"""HTTP models. ``*Public`` models are what pages and their JSON twins both show;
``*Create``/``*Update`` are what clients send. Built from service results with
``model_validate(obj, from_attributes=True)``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from raretrace.domain.users import UserRole
from raretrace.web.schemas_sim import SimulationBriefPublic


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


# -- rules -----------------------------------------------------------------------------


class CitationPublic(Public):
    text: str
    url: str
    quality: str
    note: str


class SuspensionPublic(Public):
    start: date
    until: date
    instrument: str
    uncertain_after: bool
    after_note: str


class RuleRowPublic(Public):
    rule_id: str
    title: str
    scope: str
    article: str
    outcome: str
    control_codes: list[str]
    effective_from: date
    effective_to: date | None
    suspensions: list[SuspensionPublic]
    state: str
    state_detail: str
    uncertain: bool
    uncertain_note: str
    citations: list[CitationPublic]


class PackPublic(Public):
    pack_id: str
    title: str
    instrument: str
    issuer: str
    published: date
    citations: list[CitationPublic]
    notes: str
    rules: list[RuleRowPublic]


class RuleBookPublic(Public):
    as_of: date
    policy: str
    packs: list[PackPublic]


class ChangePublic(Public):
    subject: str
    before: str
    after: str
    rules_before: list[str]
    rules_after: list[str]


class RuleStateChangePublic(Public):
    rule_id: str
    before: str
    after: str


class RulesDiffPublic(Public):
    date_from: date
    date_to: date
    rules: list[RuleStateChangePublic]
    parts: list[ChangePublic]
    flows: list[ChangePublic]


class FlowPublic(Public):
    supplier_site_id: str
    buyer_site_id: str
    part_id: str
    part_name: str
    exporter_country: str
    destination_country: str
    outcome: str
    control_codes: list[str]
    rules: list[str]
    uncertain: bool
    alternative_outcome: str
    alternative_rules: list[str]
    changes: bool
    supplier_site_name: str = ""
    supplier_party_id: str = ""
    supplier_party_name: str = ""
    buyer_site_name: str = ""
    buyer_party_id: str = ""
    buyer_party_name: str = ""
    products: list[str] = Field(
        default_factory=list, description="Products containing the part (first 10)."
    )
    products_count: int = 0
    covered_by: str | None = Field(
        default=None, description="Licence (valid that day) or live application, or null."
    )
    cover_kind: str | None = None
    cover_ref: str | None = None
    start_application: str | None = Field(
        default=None, description="Page that starts an application pre-filled for this flow."
    )


class FlowsPublic(Public):
    as_of: date
    policy: str
    alternative: str
    show: str
    total_cross_border: int
    licence_required: int
    licence_required_alternative: int
    changes: int
    uncertain: int
    flows: list[FlowPublic]


# -- screening ---------------------------------------------------------------------------


class ListVersionPublic(Public):
    version_id: int | None
    list_name: str
    format: str
    source: str
    version_date: date
    loaded_at: datetime
    entry_count: int


class FeaturePublic(Public):
    feature: str
    weight: float
    value: float
    contribution: float
    detail: str


class DecisionPublic(Public):
    is_match: bool
    reason: str
    decided_by: str
    decided_at: datetime


class HitPublic(Public):
    hit_id: int | None
    kind: str
    status: str
    subject: str
    party_id: str | None
    subject_country: str
    list_name: str
    entry_name: str
    entry_countries: list[str]
    entry_programs: list[str]
    entry_source: str
    license_policy: str
    matched_name: str
    score: float
    threshold: float
    features: list[FeaturePublic]
    path: list[str]
    decision: DecisionPublic | None
    chart: dict[str, Any] | None = None
    band: str = "hit"  #: "hit" (score >= threshold) or "review" (a near miss)
    why: str = ""  #: the evidence against a match, in words


class ScreeningRunSummaryPublic(Public):
    run_id: int | None
    at: datetime
    actor: str
    detail: str


class ScreeningPublic(Public):
    lists: list[ListVersionPublic]
    latest_run: ScreeningRunSummaryPublic | None
    hits: list[HitPublic]
    open_hits: int
    default_threshold: float


class ScreeningRunCreate(BaseModel):
    threshold: float = Field(default=0.80, gt=0.0, le=1.0)
    #: list near misses down to this score too (the review band)
    review_threshold: float | None = Field(default=None, gt=0.0, le=1.0)


class DecisionCreate(BaseModel):
    is_match: bool
    reason: str = Field(min_length=1, max_length=2000)


class BulkDecisionCreate(BaseModel):
    # ids are bounded to the database's integer range (PostgreSQL refuses larger ones)
    hit_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(min_length=1, max_length=1000)
    is_match: bool
    reason: str = Field(min_length=1, max_length=2000)


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


# -- licences ------------------------------------------------------------------------


class DocRowPublic(Public):
    key: str
    label_en: str
    label_zh: str
    basis: str
    state: str  # missing | attached | waived
    reference: str
    at: datetime | None
    actor: str


class DeadlinePublic(Public):
    submitted_on: date | None
    working_days: int
    due_on: date | None
    remaining: int | None
    overdue: bool
    due_soon: bool
    estimated: bool
    note: str


class AppItemPublic(Public):
    part_id: str
    description: str
    control_codes: list[str]
    mass_mg: int
    quantity: str
    value: Decimal
    currency: str
    hs_code: str = ""  # 商品编码
    spec_model: str = ""  # 规格/型号
    name_zh: str = ""  # 商品名称


class StatusChangePublic(Public):
    status: str
    at: datetime
    actor: str
    note: str


class ApplicationSummaryPublic(Public):
    application_id: int
    status: str
    exporter: str
    importer: str
    end_user: str
    end_user_name: str
    destination: str
    licence_type: str
    items: list[AppItemPublic]
    created_at: datetime
    created_by: str
    deadline: DeadlinePublic
    checklist: list[DocRowPublic]
    docs_done: int
    docs_missing: list[str]


class PartyRefPublic(Public):
    ref: str
    party_id: str
    name: str
    country: str
    address: str
    name_zh: str = ""  # registered Chinese name
    address_zh: str = ""
    uscc: str = ""  # 统一社会信用代码
    contact: str = ""
    telephone: str = ""


class LicenceFacePublic(Public):
    """Licence-face particulars ("" / null: unknown, printed 待填写 in the packet)."""

    trade_mode: str
    port_of_declaration: str
    payment: str
    transport: str
    consignor: str
    consignee: str
    contract_date: date | None
    total_usd: Decimal | None


class ChainStepPublic(Public):
    site: str
    party: str
    party_name: str
    country: str
    part: str
    part_name: str


class ChainRowPublic(Public):
    text: str
    steps: list[ChainStepPublic]
    units_per_product: float
    products_per_year: float | None
    units_per_year: float | None
    kg_per_year: float | None


class ApplicationPublic(ApplicationSummaryPublic):
    parties: dict[str, PartyRefPublic]
    face: LicenceFacePublic
    contract_ref: str
    end_use: str
    rule_pack: str
    chain: list[ChainRowPublic]
    chain_truncated: bool
    chain_kg_per_year: float | None
    chain_note: str
    warnings: list[str]
    calendar_source: str
    history: list[StatusChangePublic]
    next_statuses: list[str]


class BalancePublic(Public):
    item_no: int
    part_id: str
    description: str
    control_code: str
    currency: str
    issued_mg: int
    drawn_mg: int
    remaining_mg: int
    issued: str
    remaining: str
    issued_value: Decimal
    drawn_value: Decimal
    remaining_value: Decimal
    remaining_share: float  # the lower of quantity and value left, as a share of issued


class LicenceSummaryPublic(Public):
    licence_id: str
    licence_type: str
    exporter: str
    importer: str
    end_users: list[str]
    destinations: list[str]
    valid_from: date
    valid_to: date
    days_left: int  # calendar days to the end of validity (negative once expired)
    application_id: int | None
    notes: str
    used: bool
    balances: list[BalancePublic]
    flags: list[str]  # near_exhaustion, exhausted, near_expiry, expired, not_yet_valid, used


class LedgerEntryPublic(Public):
    entry_id: int | None
    item_no: int
    kind: str
    mass_mg: int
    quantity: str
    value: Decimal
    currency: str
    shipment_id: str
    shipped_on: date | None
    destination: str
    end_user: str
    recorded_at: datetime
    actor: str
    reason: str
    reverses: int | None
    reversed_by: int | None


class LicencePublic(LicenceSummaryPublic):
    ledger: list[LedgerEntryPublic]


class LicensingSummaryPublic(Public):
    as_of: date
    applications_open: int
    applications_draft: int
    applications_overdue: int
    applications_due_soon: int
    licences_active: int
    due: list[ApplicationSummaryPublic]  # overdue or due soon, most urgent first
    flagged: list[LicenceSummaryPublic]  # near exhaustion or expiry, or exhausted


class LicencesPublic(Public):
    as_of: date
    summary: LicensingSummaryPublic
    applications: list[ApplicationSummaryPublic]
    licences: list[LicenceSummaryPublic]


class ViolationPublic(Public):
    code: str
    message: str


class ShipResultPublic(Public):
    shipment_id: str
    licence_id: str | None
    accepted: bool
    booked: bool
    violations: list[ViolationPublic]
    entry: LedgerEntryPublic | None
    balance: BalancePublic | None
    determination: str
    duplicate: bool = Field(
        default=False,
        description="The shipment id was already booked with the same details: `entry` "
        "is that first booking and nothing new was written.",
    )


class DocumentCreate(BaseModel):
    key: str = Field(max_length=100, description="Checklist document key, e.g. contract.")
    action: str = Field(pattern="^(attach|waive)$")
    reference: str = Field(
        min_length=1, max_length=2000, description="File or reference; the reason for a waiver."
    )


class StatusCreate(BaseModel):
    status: str = Field(
        pattern="^(draft|submitted|under_review|info_requested|approved|denied|withdrawn)$"
    )
    note: str = Field(default="", max_length=2000)


class ShipmentCreate(BaseModel):
    shipment_id: str = Field(min_length=1, max_length=200)
    part_id: str = Field(min_length=1, max_length=200)
    quantity: str = Field(max_length=100, description='Mass, e.g. "10 kg" (kg if no unit).')
    value: str = Field(max_length=100)
    currency: str = Field(default="USD", max_length=3)
    licence_id: str | None = Field(
        default=None, max_length=200, description="None: check the rules (no licence)."
    )
    exporter: str = Field(default="", max_length=200)
    consignee: str = Field(default="", max_length=200)
    end_user: str = Field(default="", max_length=200)
    destination: str = Field(default="", max_length=2)
    shipped_on: date | None = None
    end_use: str = Field(default="", max_length=2000)
    reason: str = Field(default="", max_length=2000)


class ReversalCreate(BaseModel):
    reason: str = Field(
        min_length=1, max_length=2000, description="Why the drawdown is cancelled (audited)."
    )


class ReversalPublic(Public):
    """A drawdown cancelled by a reversal entry, and the item's balance afterwards."""

    licence_id: str
    reverses: int
    entry: LedgerEntryPublic
    balance: BalancePublic
