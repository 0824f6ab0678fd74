"""HTTP models of licence applications, licences, the ledger and shipments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from raretrace.web.schemas import Public

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
