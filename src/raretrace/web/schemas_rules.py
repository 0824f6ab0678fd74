"""HTTP models of the rule book: packs, rules, citations, diffs, and flows needing a licence."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from raretrace.web.schemas import Public

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
