"""HTTP models of the page per supplier (a party and its sites). Same rules as
``schemas``: ``*Public`` for the page and its JSON twin alike."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from raretrace.web.schemas import Public


class SupplierSitePublic(Public):
    site_id: str
    name: str
    country: str
    city: str
    tiers: list[int] = Field(description="Tiers below the products where this site appears.")
    kg_per_year: dict[str, float] = Field(description="Controlled rare earths handled, kg/yr.")
    products: list[str] | None = Field(description="Products affected; null: too many.")


class SuppliedPartPublic(Public):
    part_id: str
    part_name: str
    site_id: str
    buyer_site_id: str
    buyer_party_id: str
    buyer_party_name: str
    buyer_country: str
    elements: list[str] = Field(description="Rare earths in the part or below it.")
    controlled_elements: list[str] = Field(description="Of those, the controlled ones.")


class SupplierHitPublic(Public):
    hit_id: int | None
    status: str
    list_name: str
    entry_name: str
    score: float


class SupplierLicencePublic(Public):
    kind: str  # licence | application
    ref: str
    label: str
    role: str  # exporter | importer | end user


class SupplierSurveyPublic(Public):
    requests: int
    last_sent: datetime | None
    due_date: date | None
    campaign: str | None
    status: str = Field(description="not surveyed | awaiting answer | answered | overdue")
    last_declaration_at: datetime | None
    last_declaration_file: str | None
    last_declaration_facts: int
    last_declaration_held: int


class SupplierPublic(Public):
    party_id: str
    name: str
    country: str
    roles: list[str]
    military_end_user: bool
    owner_party_id: str | None
    owner_name: str | None
    ownership_pct: float | None
    sites: list[SupplierSitePublic]
    parts: list[SuppliedPartPublic]
    elements: list[str]
    controlled_elements: list[str]
    products: list[str] = Field(description="Products affected through any of its sites.")
    tiers: list[int]
    hits: list[SupplierHitPublic]
    licences: list[SupplierLicencePublic]
    survey: SupplierSurveyPublic
