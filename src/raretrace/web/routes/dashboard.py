"""Dashboard: network summary, products that carry rare earths, controlled-content
exposure per product, flows needing a licence, open screening hits, module cards."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from typing import cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from raretrace.domain.elements import ANNOUNCEMENT_18_ELEMENTS
from raretrace.rules import SuspensionPolicy
from raretrace.rules.status import status_notices
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.services.network.snapshot_summary import summarise_index
from raretrace.web import charts
from raretrace.web.deps import (
    CacheDep,
    IndexCache,
    IndexDep,
    Viewer,
    WorkspaceDep,
    render,
    request_versions,
)
from raretrace.web.registry import module_cards
from raretrace.web.routes.licence_views import licensing_summary
from raretrace.web.routes.rules import NEEDS_LICENCE, flow_report
from raretrace.web.routes.screening import open_hit_count
from raretrace.web.routes.simulation_views import latest_brief
from raretrace.web.routes.tracing import rule_book
from raretrace.web.schemas import (
    ComplianceSummaryPublic,
    ProductControlledPublic,
    StatusNoticePublic,
)
from raretrace.web.schemas_dashboard import DashboardPublic, ProductExposurePublic
from raretrace.workspace import Workspace

pages = APIRouter(tags=["dashboard"])
api = APIRouter(tags=["dashboard"])


def dashboard_view(idx: NetworkIndex) -> DashboardPublic:
    summary = summarise_index(idx)
    products = [
        ProductExposurePublic(
            part_id=pid, name=idx.parts[pid].name if pid in idx.parts else pid, rare_earths=res
        )
        for pid, res in summary.product_rare_earths.items()
    ]
    products.sort(key=lambda p: (-len(p.rare_earths), p.part_id))
    return DashboardPublic(
        counts=summary.counts,
        parties_by_country=summary.parties_by_country,
        parts_by_kind=summary.parts_by_kind,
        bom_depth=summary.bom_depth,
        declared_rare_earths={e: len(p) for e, p in summary.declared_rare_earths.items()},
        products=products,
        modules=module_cards(),
        country_chart=charts.country_bar(summary.parties_by_country),
    )


def product_exposure(ws: Workspace, idx: NetworkIndex) -> list[ProductControlledPublic]:
    """kg per year of controlled rare earths in each product at the production plan."""
    totals = ws.tracing.plan_totals()
    units: dict[str, float] = defaultdict(float)
    kg: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for label, n in totals.plan.items():
        part = label.rsplit("/", 1)[-1]
        units[part] += n
        for e, v in totals.kg_per_year.get(label, {}).items():
            if e in ANNOUNCEMENT_18_ELEMENTS and v > 0:
                kg[part][e] += v
    rows = [
        ProductControlledPublic(
            part_id=p,
            name=idx.parts[p].name if p in idx.parts else p,
            units_per_year=units[p],
            kg_per_year=dict(kg[p]),
            controlled_kg_per_year=sum(kg[p].values()),
        )
        for p in units
    ]
    rows.sort(key=lambda r: (-r.controlled_kg_per_year, r.part_id))
    return rows


def status_view(ws: Workspace, today: date) -> list[StatusNoticePublic]:
    """The status-unknown notices on ``today`` for the workspace's rule packs."""
    packs = ws.rules.rule_book().packs
    return [
        StatusNoticePublic(
            measure=n.measure,
            until=n.until,
            unknown_since=n.unknown_since,
            packs=list(n.packs),
            note=n.note,
            citation=n.citation,
            regime=n.regime,
        )
        for n in status_notices(packs, today)
    ]


def compliance_view(ws: Workspace, idx: NetworkIndex, cache: IndexCache) -> ComplianceSummaryPublic:
    today = ws.clock.today()

    def compute(i: NetworkIndex) -> tuple[list[ProductControlledPublic], int, int, int]:
        # counts only: the flows page's per-flow rows (products, cover) are not built
        flows = flow_report(ws, i, rule_book(cache, ws, i), today, SuspensionPolicy.AS_WRITTEN)
        return (
            product_exposure(ws, i),
            len(flows.flows),
            sum(f.outcome in NEEDS_LICENCE for f in flows.flows),
            sum(f.uncertain for f in flows.flows),
        )

    # the flows depend on confirmed Control/Watch listings and test reports too
    inputs = (
        sorted(ws.rules.party_listings().items()),
        sorted(ws.rules.trace_inputs().tested.items()),
    )
    key = f"compliance:{today}:{hashlib.sha256(repr(inputs).encode()).hexdigest()[:16]}"
    products, cross, licence, uncertain = cache.derived(idx, key, compute)
    screened, open_hits = open_hit_count(ws)
    chart = charts.stacked_kg(
        [(p.name, p.part_id, p.kg_per_year) for p in products],
        "Controlled rare earths per product, kg per year",
    )
    return ComplianceSummaryPublic(
        as_of=today,
        products=products,
        flows_cross_border=cross,
        flows_needing_licence=licence,
        flows_uncertain=uncertain,
        open_screening_hits=open_hits,
        screened=screened,
        exposure_chart=chart,
        status_notices=status_view(ws, today),
    )


def full_view(ws: Workspace, idx: NetworkIndex, cache: IndexCache) -> DashboardPublic:
    page = cache.derived(idx, "dashboard", dashboard_view)
    return page.model_copy(
        update={
            "compliance": compliance_view(ws, idx, cache),
            "licensing": licensing_summary(ws, ws.clock.today()),
            "simulation": latest_brief(ws),
        }
    )


async def cached_view(
    request: Request, ws: Workspace, idx: NetworkIndex, cache: IndexCache
) -> DashboardPublic:
    """``full_view``, remembered per (revision, data version, day): licence, screening
    and job writes move the data version, so the next request sees them. A hit is
    answered on the event loop; a miss computes in the thread pool."""
    revision, data_version = request_versions(request)
    key = (idx.revision, revision, data_version, ws.clock.today())
    hit = cache.peek("dashboard", key)
    if hit is not None:
        return cast(DashboardPublic, hit)
    return await run_in_threadpool(
        cache.latest, "dashboard", key, lambda: full_view(ws, idx, cache)
    )


@pages.get("/", response_class=HTMLResponse)
async def dashboard_page(
    request: Request, user: Viewer, ws: WorkspaceDep, idx: IndexDep, cache: CacheDep
) -> HTMLResponse:
    page = await cached_view(request, ws, idx, cache)
    return render(request, "dashboard.html", user, page=page)


@api.get("/dashboard")
async def dashboard_api(
    request: Request, _user: Viewer, ws: WorkspaceDep, idx: IndexDep, cache: CacheDep
) -> DashboardPublic:
    return await cached_view(request, ws, idx, cache)
