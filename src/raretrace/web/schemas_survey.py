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


class SurveysPublic(Public):
    as_of: date
    sent: int
    answered: int
    overdue: int
    campaign: list[CampaignRowPublic]
    suppliers: list[SupplierChoicePublic]
    max_upload_mb: float


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


class SurveyRequestCreate(BaseModel):
    supplier: str = Field(min_length=1, max_length=200, description="The supplier's party id.")
    due_days: int = Field(default=30, ge=1, le=365, description="Days to answer.")
    campaign: str = Field(default="rare-earths", min_length=1, max_length=100)
