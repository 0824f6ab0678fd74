"""Parts and products: list, part page, and a product's upstream network."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BeforeValidator

from raretrace.domain.currency import StoredRates
from raretrace.domain.parts import PartKind
from raretrace.rules import SuspensionPolicy
from raretrace.services.network.catalogue import NetworkIndex, list_parts, part_detail
from raretrace.services.tracing.upstream import upstream
from raretrace.web import charts
from raretrace.web.deps import CacheDep, IndexCache, IndexDep, Viewer, WorkspaceDep, render
from raretrace.web.routes.rates import rates_public
from raretrace.web.routes.tracing import part_analysis, rule_book
from raretrace.web.schemas import PartDetailPublic, PartListPublic, ProductNetworkPublic
from raretrace.workspace import Workspace

pages = APIRouter(tags=["parts"])
api = APIRouter(tags=["parts"])

PartId = Annotated[str, Path(title="Part id", description="A part number from parts.csv.")]
Kind = Annotated[PartKind | None, Query(description="Only parts of this kind.")]
Search = Annotated[str, Query(max_length=200, description="Substring of the id or name.")]
RareOnly = Annotated[
    bool, Query(description="Only parts with rare earths declared in or below them.")
]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Limit = Annotated[int, Query(ge=1, le=500)]
AsOf = Annotated[
    date | None,
    Query(description="Date the classification is for (default today)."),
]
Policy = Annotated[
    SuspensionPolicy,
    Query(description="How rule suspensions apply: as written, or a what-if."),
]
SiteQ = Annotated[
    str | None, Query(max_length=200, description="Making site to trace (default: the first).")
]
RatesQ = Annotated[
    int | None,
    Query(
        ge=1,
        le=2**31 - 1,
        description="A stored exchange-rate table (GET /api/v1/rates) converting input "
        "values in other currencies for value shares; default: no conversion.",
    ),
    BeforeValidator(lambda v: None if v == "" else v),  # the form's "none" choice
]


ElementQ = Annotated[
    str, Query(max_length=3, description="Only parts declaring this element, e.g. Dy.")
]


def parts_view(
    idx: NetworkIndex,
    kind: PartKind | None,
    q: str,
    rare: bool,
    offset: int,
    limit: int,
    element: str = "",
) -> PartListPublic:
    result = list_parts(
        idx, kind=kind, q=q, rare_earths_only=rare, offset=offset, limit=limit, element=element
    )
    return PartListPublic.model_validate(result)


def part_view(
    ws: Workspace,
    idx: NetworkIndex,
    cache: IndexCache,
    part_id: str,
    as_of: date | None,
    policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN,
    site: str | None = None,
    rates_id: int | None = None,
) -> PartDetailPublic:
    day = as_of or ws.clock.today()
    # A stored rate table never changes, so its id is a sound part of the key.
    rates = ws.exchange_rates.get(rates_id) if rates_id is not None else None
    key = f"part:{part_id}\x00{day}\x00{policy.value}\x00{site or ''}\x00{rates_id or ''}"
    return cache.derived(
        idx, key, lambda i: _part_view(ws, i, cache, part_id, day, policy, site, rates)
    )


def _part_view(
    ws: Workspace,
    idx: NetworkIndex,
    cache: IndexCache,
    part_id: str,
    day: date,
    policy: SuspensionPolicy,
    site: str | None,
    rates: StoredRates | None = None,
) -> PartDetailPublic:
    """The part page's data (remembered per revision by ``part_view``: the trace, the
    where-used searches and the classification take seconds on a 1M-part network)."""
    detail = part_detail(idx, part_id)
    book = rule_book(cache, ws, idx)
    return PartDetailPublic.model_validate(
        {
            "as_of": day,
            "part": detail.part,
            "rare_earths": detail.rare_earths,
            "composition": detail.composition,
            "children": detail.children,
            "used_in": detail.used_in,
            "producers": detail.producers,
            "suppliers": detail.suppliers,
            "composition_chart": charts.composition_bar(detail.composition),
            "analysis": part_analysis(ws, idx, cache, book, part_id, day, policy, site, rates),
        },
        from_attributes=True,
    )


def network_view(idx: NetworkIndex, part_id: str) -> ProductNetworkPublic:
    net = upstream(idx, part_id)
    return ProductNetworkPublic.model_validate(
        {
            "product_id": net.product_id,
            "product_name": net.product_name,
            "tiers": net.tiers,
            "truncated": net.truncated,
            "nodes": net.nodes,
            "edges": net.edges,
            "chart": charts.network_spec(net),
        },
        from_attributes=True,
    )


@pages.get("/parts", response_class=HTMLResponse)
def parts_page(
    request: Request,
    user: Viewer,
    idx: IndexDep,
    kind: Kind = None,
    q: Search = "",
    rare: RareOnly = False,
    offset: Offset = 0,
    limit: Limit = 50,
    element: ElementQ = "",
) -> HTMLResponse:
    page = parts_view(idx, kind, q, rare, offset, limit, element)
    kinds = [k.value for k in PartKind]
    filters = {"kind": kind.value if kind else "", "q": q, "rare": rare, "element": element}
    return render(request, "parts.html", user, page=page, kinds=kinds, filters=filters)


@api.get("/parts")
def parts_api(
    _user: Viewer,
    idx: IndexDep,
    kind: Kind = None,
    q: Search = "",
    rare: RareOnly = False,
    offset: Offset = 0,
    limit: Limit = 50,
    element: ElementQ = "",
) -> PartListPublic:
    return parts_view(idx, kind, q, rare, offset, limit, element)


@pages.get("/parts/{part_id}", response_class=HTMLResponse)
def part_page(
    request: Request,
    user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    cache: CacheDep,
    part_id: PartId,
    as_of: AsOf = None,
    policy: Policy = SuspensionPolicy.AS_WRITTEN,
    site: SiteQ = None,
    rates: RatesQ = None,
) -> HTMLResponse:
    page = part_view(ws, idx, cache, part_id, as_of, policy, site, rates)
    tables = [rates_public(t) for t in ws.exchange_rates.list()]
    return render(request, "part.html", user, page=page, rate_tables=tables)


@api.get("/parts/{part_id}")
def part_api(
    _user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    cache: CacheDep,
    part_id: PartId,
    as_of: AsOf = None,
    policy: Policy = SuspensionPolicy.AS_WRITTEN,
    site: SiteQ = None,
    rates: RatesQ = None,
) -> PartDetailPublic:
    return part_view(ws, idx, cache, part_id, as_of, policy, site, rates)


@pages.get("/products/{part_id}/network", response_class=HTMLResponse)
def network_page(
    request: Request, user: Viewer, idx: IndexDep, cache: CacheDep, part_id: PartId
) -> HTMLResponse:
    idx.part(part_id)  # 404 before caching anything
    page = cache.derived(idx, f"network:{part_id}", lambda i: network_view(i, part_id))
    return render(request, "network.html", user, page=page)


@api.get("/products/{part_id}/network")
def network_api(
    _user: Viewer, idx: IndexDep, cache: CacheDep, part_id: PartId
) -> ProductNetworkPublic:
    idx.part(part_id)
    return cache.derived(idx, f"network:{part_id}", lambda i: network_view(i, part_id))
