"""Dashboard: network summary, products that carry rare earths, module cards."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from raretrace.services.catalogue import NetworkIndex
from raretrace.services.network import summarise
from raretrace.web import charts
from raretrace.web.deps import CacheDep, IndexDep, Viewer, render
from raretrace.web.registry import module_cards
from raretrace.web.schemas import DashboardPublic, ProductExposurePublic

pages = APIRouter(tags=["dashboard"])
api = APIRouter(tags=["dashboard"])


def dashboard_view(idx: NetworkIndex) -> DashboardPublic:
    summary = summarise(idx.network)
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


@pages.get("/", response_class=HTMLResponse)
def dashboard_page(request: Request, user: Viewer, idx: IndexDep, cache: CacheDep) -> HTMLResponse:
    page = cache.derived(idx, "dashboard", dashboard_view)
    return render(request, "dashboard.html", user, page=page)


@api.get("/dashboard")
def dashboard_api(_user: Viewer, idx: IndexDep, cache: CacheDep) -> DashboardPublic:
    return cache.derived(idx, "dashboard", dashboard_view)
