"""Rules: the rule packs with citations, dates, suspensions and uncertainty flags; what
changes between two dates; and the cross-border flows that need a licence on a date,
with a what-if switch for suspensions."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from raretrace.errors import InputError, Problem
from raretrace.rules import RuleBook, SuspensionPolicy, rule_status
from raretrace.rules.schema import Outcome
from raretrace.services.classification import use_cases as classification
from raretrace.services.licensing.cover import find_cover, products_of
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.web.deps import CacheDep, IndexDep, Viewer, WorkspaceDep, render
from raretrace.web.routes.tracing import rule_book
from raretrace.web.schemas_rules import (
    FlowPublic,
    FlowsPublic,
    PackPublic,
    RuleBookPublic,
    RulesDiffPublic,
)
from raretrace.workspace import Workspace

pages = APIRouter(tags=["rules"])
api = APIRouter(tags=["rules"])


class BookQuery(BaseModel):
    """Query of the rule-pack page and its twin: the date and the suspension policy."""

    as_of: date | None = Field(None, description="Date to evaluate on (default today).")
    policy: SuspensionPolicy = Field(
        SuspensionPolicy.AS_WRITTEN,
        description="Suspensions as written, or a what-if: lifted/extended.",
    )

    def day(self, today: date) -> date:
        """``as_of``, else ``today`` (the workspace clock's China Standard Time day)."""
        return self.as_of or today


class DiffQuery(BaseModel):
    """Query of the what-changed page and its twin: two dates."""

    date_from: date = Field(date(2025, 4, 3), description="The earlier date.")
    date_to: date | None = Field(None, description="The later date (default today).")

    def until(self, today: date) -> date:
        """``date_to``, else ``today`` (the workspace clock's China Standard Time day)."""
        return self.date_to or today


class FlowsQuery(BookQuery):
    """Query of the cross-border flows page and its twin."""

    show: str = Field(
        "licence",
        pattern="^(licence|changes|uncertain|all)$",
        description="licence: flows needing a licence under either policy; changes: "
        "flows whose outcome differs under the what-if; uncertain; all.",
    )


def current_book(ws: WorkspaceDep, idx: IndexDep, cache: CacheDep) -> RuleBook:
    """The compiled rule book of this request's revision (kept with the index views)."""
    return rule_book(cache, ws, idx)


Book = Annotated[RuleBook, Depends(current_book)]
BookQ = Annotated[BookQuery, Query()]
DiffQ = Annotated[DiffQuery, Query()]
FlowsQ = Annotated[FlowsQuery, Query()]
NEEDS_LICENCE = frozenset(
    {
        Outcome.LICENCE_REQUIRED,
        Outcome.CASE_BY_CASE,
        Outcome.PRESUMPTION_OF_DENIAL,
        Outcome.PROHIBITED,
    }
)


def book_view(book: RuleBook, as_of: date, policy: SuspensionPolicy) -> RuleBookPublic:
    packs = []
    for pack in book.packs:
        rules = []
        for rule in pack.rules:
            status = rule_status(pack, rule, as_of, policy)
            rules.append(
                {
                    "rule_id": rule.id,
                    "title": rule.title,
                    "scope": rule.scope.value,
                    "article": rule.article,
                    "outcome": rule.then.outcome.value,
                    "control_codes": list(rule.then.control_codes),
                    "effective_from": rule.effective_from,
                    "effective_to": rule.effective_to,
                    "suspensions": [
                        {
                            "start": s.from_,
                            "until": s.until,
                            "instrument": s.by.instrument,
                            "uncertain_after": s.uncertain_after,
                            "after_note": s.after_note,
                        }
                        for s in pack.suspensions_of(rule)
                    ],
                    "state": status.state,
                    "state_detail": status.detail,
                    "uncertain": rule.uncertain or bool(status.uncertain_note),
                    "uncertain_note": " ".join(
                        x for x in (rule.uncertain_note, status.uncertain_note) if x
                    ),
                    "citations": pack.citations_of(rule),
                }
            )
        packs.append(
            PackPublic.model_validate(
                {
                    "pack_id": pack.id,
                    "title": pack.title,
                    "instrument": pack.instrument,
                    "issuer": pack.issuer,
                    "published": pack.published,
                    "citations": pack.citations,
                    "notes": pack.notes,
                    "rules": rules,
                },
                from_attributes=True,
            )
        )
    return RuleBookPublic(as_of=as_of, policy=policy.value, packs=packs)


def diff_view(
    ws: Workspace, idx: NetworkIndex, book: RuleBook, date_from: date, date_to: date
) -> RulesDiffPublic:
    if date_to < date_from:
        msg = "the second date must not be before the first"
        raise InputError(msg, [Problem("date_to", None, None, msg)])
    d = classification.diff(
        idx.network,
        book,
        date_from,
        date_to,
        listed=ws.rules.party_listings(),
        engine=ws.tracing.engine(),
    )
    return RulesDiffPublic.model_validate(
        {
            "date_from": d.date_from,
            "date_to": d.date_to,
            "rules": [{"rule_id": r, "before": a, "after": b} for r, a, b in d.rules],
            "parts": [_change(c) for c in d.parts],
            "flows": [_change(c) for c in d.flows],
        }
    )


def _change(c: classification.Change) -> dict[str, object]:
    return {
        "subject": c.subject,
        "before": c.before.value,
        "after": c.after.value,
        "rules_before": list(c.rules_before),
        "rules_after": list(c.rules_after),
    }


def flow_report(
    ws: Workspace, idx: NetworkIndex, book: RuleBook, as_of: date, policy: SuspensionPolicy
) -> classification.FlowReport:
    """Every cross-border flow determined under ``policy`` and under the alternative
    reading (as written, or with the suspensions lifted when ``policy`` is as written)."""
    alternative = (
        SuspensionPolicy.LIFTED
        if policy is SuspensionPolicy.AS_WRITTEN
        else SuspensionPolicy.AS_WRITTEN
    )
    return classification.determine_flows(
        idx,
        book,
        as_of,
        listed=ws.rules.party_listings(),
        policy=policy,
        alternative=alternative,
        engine=ws.tracing.engine(),
        trace=ws.rules.trace_inputs(),
    )


def flows_view(
    ws: Workspace,
    idx: NetworkIndex,
    book: RuleBook,
    as_of: date,
    policy: SuspensionPolicy,
    show: str = "licence",
) -> FlowsPublic:
    """Cross-border flows under ``policy``, compared with the as-written reading (or, when
    ``policy`` is as written, with the suspensions lifted)."""
    report = flow_report(ws, idx, book, as_of, policy)
    alternative = report.alternative
    lics, apps = ws.licensing.records()
    needs = {o.value for o in NEEDS_LICENCE}
    products: dict[str, list[str]] = {}

    def row(f: classification.Flow) -> FlowPublic:
        sup, buy = idx.sites.get(f.supplier_site_id), idx.sites.get(f.buyer_site_id)
        sup_party = idx.parties.get(sup.party_id) if sup else None
        buy_party = idx.parties.get(buy.party_id) if buy else None
        if f.part_id not in products:
            products[f.part_id] = products_of(f.part_id, idx.parents, idx.parts)
        made = products[f.part_id]
        cover = find_cover(
            part_id=f.part_id,
            exporter_refs=[f.supplier_site_id, *([sup.party_id] if sup else [])],
            buyer_refs=[f.buyer_site_id, *([buy.party_id] if buy else [])],
            destination=f.destination_country,
            as_of=as_of,
            licences=lics,
            applications=apps,
        )
        start = None
        if cover is None and (f.outcome.value in needs or f.alternative_outcome.value in needs):
            query = {
                "exporter": f.supplier_site_id,
                "importer": buy.party_id if buy else f.buyer_site_id,
                "end_user": f.buyer_site_id,
                "destination": f.destination_country,
                "part": f.part_id,
            }
            start = "/licences/applications/new?" + urlencode(query)
        return FlowPublic(
            supplier_site_id=f.supplier_site_id,
            buyer_site_id=f.buyer_site_id,
            part_id=f.part_id,
            part_name=idx.parts[f.part_id].name if f.part_id in idx.parts else f.part_id,
            exporter_country=f.exporter_country,
            destination_country=f.destination_country,
            outcome=f.outcome.value,
            control_codes=list(f.control_codes),
            rules=list(f.rules),
            uncertain=f.uncertain,
            alternative_outcome=f.alternative_outcome.value,
            alternative_rules=list(f.alternative_rules),
            changes=f.changes,
            supplier_site_name=sup.name if sup else "",
            supplier_party_id=sup_party.party_id if sup_party else "",
            supplier_party_name=sup_party.name if sup_party else "",
            buyer_site_name=buy.name if buy else "",
            buyer_party_id=buy_party.party_id if buy_party else "",
            buyer_party_name=buy_party.name if buy_party else "",
            products=[idx.parts[p].name if p in idx.parts else p for p in made[:10]],
            products_count=len(made),
            covered_by=cover.label if cover else None,
            cover_kind=cover.kind if cover else None,
            cover_ref=cover.ref if cover else None,
            start_application=start,
        )

    flows = report.flows

    def keep(f: classification.Flow) -> bool:
        if show == "licence":
            return f.outcome in NEEDS_LICENCE or f.alternative_outcome in NEEDS_LICENCE
        if show == "changes":
            return f.changes
        if show == "uncertain":
            return f.uncertain
        return True

    # rows (products above the part, licence cover) only for the flows shown
    shown = [row(f) for f in flows if keep(f)]
    shown.sort(key=lambda r: (r.outcome not in needs, not r.changes, r.part_id, r.supplier_site_id))
    return FlowsPublic(
        as_of=as_of,
        policy=policy.value,
        alternative=alternative.value,
        show=show,
        total_cross_border=len(flows),
        licence_required=sum(f.outcome in NEEDS_LICENCE for f in flows),
        licence_required_alternative=sum(f.alternative_outcome in NEEDS_LICENCE for f in flows),
        changes=sum(f.changes for f in flows),
        uncertain=sum(f.uncertain for f in flows),
        flows=shown,
    )


# -- routes ----------------------------------------------------------------------------


@pages.get("/rules", response_class=HTMLResponse)
def rules_page(
    request: Request,
    user: Viewer,
    ws: WorkspaceDep,
    book: Book,
    query: BookQ,
) -> HTMLResponse:
    page = book_view(book, query.day(ws.clock.today()), query.policy)
    return render(request, "rules.html", user, page=page, tab="packs")


@api.get("/rules")
def rules_api(
    _user: Viewer,
    ws: WorkspaceDep,
    book: Book,
    query: BookQ,
) -> RuleBookPublic:
    return book_view(book, query.day(ws.clock.today()), query.policy)


@pages.get("/rules/diff", response_class=HTMLResponse)
def diff_page(
    request: Request,
    user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    book: Book,
    query: DiffQ,
) -> HTMLResponse:
    page = diff_view(ws, idx, book, query.date_from, query.until(ws.clock.today()))
    return render(request, "rules_diff.html", user, page=page, tab="diff")


@api.get("/rules/diff")
def diff_api(
    _user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    book: Book,
    query: DiffQ,
) -> RulesDiffPublic:
    return diff_view(ws, idx, book, query.date_from, query.until(ws.clock.today()))


@pages.get("/rules/flows", response_class=HTMLResponse)
def flows_page(
    request: Request,
    user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    book: Book,
    query: FlowsQ,
) -> HTMLResponse:
    page = flows_view(ws, idx, book, query.day(ws.clock.today()), query.policy, query.show)
    return render(request, "rules_flows.html", user, page=page, tab="flows")


@api.get("/rules/flows")
def flows_api(
    _user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    book: Book,
    query: FlowsQ,
) -> FlowsPublic:
    return flows_view(ws, idx, book, query.day(ws.clock.today()), query.policy, query.show)
