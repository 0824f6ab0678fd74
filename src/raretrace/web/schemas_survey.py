"""HTTP models of the supplier-survey pages (campaign status, returned-workbook preview
and apply). Same rules as ``schemas``: ``*Public`` for pages and JSON twins alike."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from raretrace.web.schemas import ProblemPublic, Public


class CampaignRowPublic(Public):
    supplier_party_id: str
    supplier_name: str
    campaign: str
    sent_at: datetime
    due_date: date
    status: str  # sent | answered | overdue
    answered_at: datetime | None
    days_overdue: int
    request_id: int | None = None
    file: str = Field("", description="File name of the workbook sent.")
    sha256: str = Field("", description="SHA-256 of the workbook sent.")
    workbook_url: str | None = Field(None, description="Download of the workbook as sent.")


class SupplierChoicePublic(Public):
    party_id: str
    name: str
    country: str
    parts: int  #: parts it supplies to the network


class SupplierStatusPublic(Public):
    party_id: str
    name: str
    country: str
    parts: int = Field(description="Parts it supplies to the network.")
    answers: int = Field(description="Returned files applied.")
    last_answer: datetime | None
    facts: dict[str, int] = Field(description="Facts its answers stated, by table.")
    held: int = Field(description="Facts held back because another supplier disagrees.")
    missing: list[str] = Field(description="Its parts that still have no composition.")
    unexplained_kg_per_year: float = Field(
        description="kg/year of its parts with no composition at the production plan: the "
        "most controlled rare-earth mass its answer could explain (upper bound)."
    )
    parts_without_mass: int = Field(
        description="Missing parts with no mass or outside every production plan."
    )


class SurveysPublic(Public):
    as_of: date
    sent: int
    answered: int
    overdue: int
    campaign: list[CampaignRowPublic]
    suppliers: list[SupplierChoicePublic]
    max_upload_mb: float
    supplier_status: list[SupplierStatusPublic] = Field(default_factory=list)
    ask_first: list[SupplierStatusPublic] = Field(
        default_factory=list,
        description="Suppliers with missing compositions, most unexplained kg/year first.",
    )


class FieldChangePublic(Public):
    field: str
    old: str
    new: str


class RecordChangePublic(Public):
    table: str
    key: list[str]
    action: str  # add | update
    fields: list[FieldChangePublic]


class ConflictPublic(Public):
    table: str
    key: list[str]
    field: str
    answers: list[str]  #: "supplier says 'value' (where)"


class SurveyPreviewPublic(Public):
    """A returned workbook checked against the workspace: located problems, or what
    applying it would change (nothing is written until it is applied)."""

    filename: str
    ok: bool
    problems: list[ProblemPublic]
    suppliers: list[str]
    counts: dict[str, dict[str, int]]  #: table -> add/update -> records
    changes: list[RecordChangePublic]
    unchanged: int
    conflicts: list[ConflictPublic]
    held: list[str]
    applied: bool = False
    revision: int | None = None
    upload_id: str | None = None  #: to apply it (pages); absent once applied
    notes: list[str] = Field(
        default_factory=list, description="AMRT returns: smelter links made and not made."
    )


class SurveyRequestCreate(BaseModel):
    supplier: str = Field(min_length=1, max_length=200, description="The supplier's party id.")
    due_days: int = Field(default=30, ge=1, le=365, description="Days to answer.")
    campaign: str = Field(default="rare-earths", min_length=1, max_length=100)
