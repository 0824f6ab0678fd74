"""HTTP models of restricted-party screening: list versions, hits, decisions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from raretrace.web.schemas import Public

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
    #: the entry's dates of birth as the list gives them (EDTF: "1965-03-12", "1965",
    #: "1965~" circa, "1960/1962" a range)
    entry_dates_of_birth: list[str]
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
