"""Market: what a price scenario costs a product (price path, cost per unit by year
stacked by element, suppliers carrying it) and the horizon outside China by stage,
with its JSON twin and an Excel download of the tables."""

from __future__ import annotations

import io
from dataclasses import asdict, replace
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from raretrace.domain.market import PassThrough, StoredPrices
from raretrace.domain.users import User, UserRole
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.services.market.data import MAX_FILE_BYTES, history
from raretrace.services.market.scenario import SCENARIOS, load_price_scenario, shipped_scenarios
from raretrace.services.network.catalogue import NetworkIndex, planned_products
from raretrace.web import market_charts
from raretrace.web.deps import Editor, IndexDep, Viewer, WorkspaceDep, render
from raretrace.web.schemas_market import (
    HorizonStagePublic,
    MarketPublic,
    MarketYearPublic,
    PriceTablePublic,
    PriceTablesPublic,
    ProjectPublic,
    SupplierCostPublic,
)
from raretrace.workspace import Workspace

pages = APIRouter(tags=["market"])
api = APIRouter(tags=["market"])


class MarketQuery(BaseModel):
    """The page's inputs, read once for the page, its JSON twin and the download."""

    product: str = Field(
        "", max_length=200, description="Product part id (default: the first planned)."
    )
    scenario: str = Field(
        "replay-2011",
        pattern=r"^[a-z0-9][a-z0-9-]{0,80}$",
        description="A shipped price scenario (file name without .yaml).",
    )
    prices_id: int | None = Field(
        None, ge=1, description="An imported price table; default the USGS series."
    )
    rates_id: int | None = Field(
        None, ge=1, description="A stored rate table (for the share of value)."
    )
    metal: float | None = Field(
        None, ge=0, le=10, description="Pass-through margin oxide -> metal."
    )
    alloy: float | None = Field(
        None, ge=0, le=10, description="Pass-through margin metal -> alloy."
    )
    magnet: float | None = Field(
        None, ge=0, le=10, description="Pass-through margin alloy -> magnet."
    )
    stock_days: float | None = Field(None, ge=0, le=3650, description="Days of stock held.")


Q = Annotated[MarketQuery, Query()]


def _project(p: Any) -> ProjectPublic:
    d = asdict(p)
    d.pop("ref", None)
    d["elements"] = list(p.elements)
    return ProjectPublic(**d)


def market_view(ws: Workspace, idx: NetworkIndex, q: MarketQuery) -> MarketPublic:
    products = planned_products(idx)
    product = q.product or (products[0] if products else "")
    if not product or product not in idx.parts:
        raise NotFoundError(f"no product {product!r} in the workspace")
    if q.scenario not in shipped_scenarios():
        raise NotFoundError(f"no shipped price scenario {q.scenario!r}")
    sc = load_price_scenario(SCENARIOS / f"{q.scenario}.yaml")
    pt = sc.pass_through
    pt = PassThrough(
        pt.metal if q.metal is None else q.metal,
        pt.alloy if q.alloy is None else q.alloy,
        pt.magnet if q.magnet is None else q.magnet,
    )
    sc = replace(sc, pass_through=pt)
    rates = None if q.rates_id is None else ws.exchange_rates.get(q.rates_id).rates
    r = ws.market.exposure(product, sc, prices_id=q.prices_id, rates=rates, stock_days=q.stock_days)
    h = ws.market.horizon(product=product)
    stages = [HorizonStagePublic.model_validate(s) for s in h.stages]
    charts = {
        "prices": market_charts.price_lines(r.prices, r.base_prices, r.currency),
        "cost": market_charts.cost_stack([(y.year, y.by_element) for y in r.years], r.currency),
        "horizon": market_charts.horizon_chart(
            h.years,
            [
                {
                    "stage": s.stage,
                    "unit": s.unit,
                    "capacity": s.capacity_t,
                    "need": s.need_t,
                    "world_share": s.world_share,
                    "covered": s.covered_share,
                }
                for s in h.stages
                if s.need_t
            ],
        ),
    }
    prov = r.provenance
    return MarketPublic(
        product=product,
        products=products,
        scenario=q.scenario,
        scenario_name=sc.name,
        scenarios=shipped_scenarios(),
        prices_id=q.prices_id,
        price_tables=[table_public(t) for t in ws.market.stored_prices()],
        currency=r.currency,
        form=r.form,
        base_year=r.base_year,
        peak_year=r.peak_year,
        units_per_year=r.units_per_year,
        unit_value=r.unit_value,
        content_kg=r.content_kg,
        material_kg=r.material_kg,
        pass_through={"metal": pt.metal, "alloy": pt.alloy, "magnet": pt.magnet},
        pass_through_multiplier=r.pass_through_multiplier,
        prices=r.prices,
        base_prices=r.base_prices,
        years=[MarketYearPublic.model_validate(y) for y in r.years],
        suppliers=[SupplierCostPublic.model_validate(s) for s in r.suppliers],
        unpriced=r.unpriced,
        stock=r.stock,
        simulation_stock=r.simulation_stock,
        price_rows=r.price_rows,
        simulation_run=r.simulation_run,
        illustrative=r.illustrative,
        horizon_years=h.years,
        horizon=stages,
        projects=[_project(p) for p in h.projects],
        not_counted=[_project(p) for p in h.not_counted],
        horizon_assumptions=[*h.assumptions, *h.notes],
        history=history(),
        provenance={
            "database": prov.database,
            "revision": prov.revision,
            "parameters": prov.parameters,
            "package_version": prov.package_version,
            "computed_at": prov.computed_at.isoformat(),
            "horizon_projects": h.provenance.parameters.get("projects"),
        },
        charts=charts,
    )


PriceFile = Annotated[UploadFile, File(description="A price CSV file (docs/market.md).")]


def table_public(t: StoredPrices) -> PriceTablePublic:
    assert t.prices_id is not None
    pts = t.table.points
    return PriceTablePublic(
        prices_id=t.prices_id, name=t.table.name, sha256=t.sha256, points=len(pts),
        elements=sorted({p.element for p in pts}), forms=sorted({p.form for p in pts}),
        currencies=sorted({p.currency for p in pts}), stored_by=t.stored_by,
        stored_at=t.stored_at.isoformat(),
    )  # fmt: skip


def store_prices(ws: Workspace, upload: UploadFile, user: User) -> PriceTablePublic:
    name = FsPath(upload.filename or "prices.csv").name[:200] or "prices.csv"
    data = upload.file.read(MAX_FILE_BYTES + 1)
    return table_public(ws.market.store_prices(data, name, actor=user.username))


def _page(
    request: Request, user: User, ws: Workspace, idx: NetworkIndex, q: MarketQuery,
    *, error: InputError | None = None,
) -> HTMLResponse:  # fmt: skip
    problems = list(error.problems) if error else []
    return render(
        request, "market.html", user, status_code=422 if error else 200,
        page=market_view(ws, idx, q), query=str(request.url.query),
        can_write=user.role.allows(UserRole.EDITOR),
        price_error=str(error).splitlines()[0] if error else None, price_problems=problems,
    )  # fmt: skip


@pages.get("/market", response_class=HTMLResponse)
def market_page(
    request: Request, user: Viewer, ws: WorkspaceDep, idx: IndexDep, q: Q
) -> HTMLResponse:
    return _page(request, user, ws, idx, q)


@pages.post("/market/prices", response_class=HTMLResponse)
def prices_upload_page(
    request: Request, user: Editor, ws: WorkspaceDep, idx: IndexDep, file: PriceFile
) -> Response:
    """Store the price table and show the page priced with it, or list every problem
    (422; nothing stored)."""
    try:
        stored = store_prices(ws, file, user)
    except InputError as exc:
        if not exc.problems:
            exc = InputError(
                str(exc), [Problem(FsPath(file.filename or "").name, None, None, str(exc))]
            )
        return _page(request, user, ws, idx, MarketQuery(), error=exc)
    return RedirectResponse(f"/market?prices_id={stored.prices_id}", status_code=303)


@api.get("/market/prices")
def prices_api(_user: Viewer, ws: WorkspaceDep) -> PriceTablesPublic:
    return PriceTablesPublic(tables=[table_public(t) for t in ws.market.stored_prices()])


@api.post(
    "/market/prices",
    status_code=201,
    responses={422: {"description": "Located problems (file, row, column); nothing stored."}},
)
def prices_upload_api(user: Editor, ws: WorkspaceDep, file: PriceFile) -> PriceTablePublic:
    """Check a price CSV file and keep it as a new table (tables are never changed)."""
    return store_prices(ws, file, user)


@api.get("/market")
def market_api(_user: Viewer, ws: WorkspaceDep, idx: IndexDep, q: Q) -> MarketPublic:
    return market_view(ws, idx, q)


def _safe(value: Any) -> Any:
    # Spreadsheet formula injection: a text cell must not start with = + - @ or a control.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"):
        return "'" + value
    return value


def sheets(v: MarketPublic) -> dict[str, list[list[Any]]]:
    """The tables of the page as rows (header first), for the workbook."""
    els = list(v.content_kg)
    cost: list[list[Any]] = [
        [
            "year",
            "cost_per_unit",
            "increase_per_unit",
            "increase_pct",
            "share_of_value",
            "cost_per_year",
            "increase_per_year",
            *(f"cost_{e}" for e in els),
        ]
    ]
    cost += [
        [
            y.year,
            y.cost_per_unit,
            y.increase_per_unit,
            y.increase_pct,
            y.share_of_value,
            y.cost_per_year,
            y.increase_per_year,
            *(y.by_element.get(e, 0.0) for e in els),
        ]
        for y in v.years
    ]
    years = sorted({y for g in v.prices.values() for y in g})
    prices: list[list[Any]] = [["element", "path", *years]]
    for e in v.prices:
        prices.append([e, "scenario", *(v.prices[e].get(y) for y in years)])
        prices.append([e, "base", *(v.base_prices[e].get(y) for y in years)])
    sup: list[list[Any]] = [
        [
            "rank",
            "site",
            "party",
            "country",
            "tier",
            "parts",
            "base_cost_per_year",
            "peak_cost_per_year",
            "increase_per_year",
        ]
    ]
    sup += [
        [
            s.rank,
            s.site,
            s.party,
            s.country,
            s.tier,
            ";".join(s.parts),
            s.base_cost_per_year,
            s.peak_cost_per_year,
            s.increase_per_year,
        ]
        for s in v.suppliers
    ]
    hz: list[list[Any]] = [
        ["stage", "what", "unit", "need_t_per_year", "first_year", *v.horizon_years]
    ]
    for s in v.horizon:
        for k, series in s.capacity_t.items():
            hz.append([s.stage, k, s.unit, s.need_t.get(k), s.first_year.get(k), *series])
    projects: list[list[Any]] = [
        [
            "project_id",
            "stage",
            "elements",
            "capacity_t",
            "unit",
            "start_year",
            "ramp_years",
            "status",
            "counted",
            "start_basis",
            "ramp_basis",
            "derivation",
            "source",
        ]
    ]
    projects += [
        [
            p.project_id,
            p.stage,
            ";".join(p.elements) or "all",
            p.capacity_t,
            p.capacity_unit,
            p.start_year,
            p.ramp_years,
            p.status,
            "yes" if p.counted else "no",
            p.start_basis,
            p.ramp_basis,
            p.derivation,
            p.source,
        ]
        for p in [*v.projects, *v.not_counted]
    ]
    about: list[list[Any]] = [
        ["item", "value"],
        ["product", v.product],
        ["scenario", v.scenario_name],
        ["currency", v.currency],
        ["price form", v.form],
        ["base year", v.base_year],
        ["pass-through multiplier", v.pass_through_multiplier],
        *(["pass-through " + k, x] for k, x in v.pass_through.items()),
        ["network revision", v.provenance["revision"]],
        ["prices", str(v.provenance["parameters"].get("prices"))],
        *(["illustrative / assumption", line] for line in v.illustrative),
        *(["horizon assumption", line] for line in v.horizon_assumptions),
    ]
    stock: list[list[Any]] = [
        ["supplier", "part", "buyer", "stock_days_now", "stock_days_needed", "value_at_base",
         "price_rise_avoided", "simulation_run"]
    ]  # fmt: skip
    stock += [
        [x["supplier"], x["part"], x["buyer"], x["stock_days_now"], x["stock_days_needed"],
         x["value_at_base"], x["price_rise_avoided"], v.simulation_run]
        for x in v.simulation_stock
    ]  # fmt: skip
    rows_used: list[list[Any]] = [
        ["element", "year", "price_per_kg", "currency", "low", "high", "estimated", "derived",
         "basis", "row", "source"]
    ]  # fmt: skip
    rows_used += [
        [x["element"], x["year"], x["price_per_kg"], x["currency"], x["low"], x["high"],
         "yes" if x["estimated"] else "", x["derived"], x["basis"], x["row"], x["source"]]
        for x in v.price_rows
    ]  # fmt: skip
    return {
        "price_rows_used": rows_used,
        "stock_needed": stock,
        "cost_by_year": cost,
        "prices": prices,
        "suppliers": sup,
        "horizon": hz,
        "projects": projects,
        "about": about,
    }


@pages.get("/market.xlsx", response_class=Response)
def market_xlsx(_user: Viewer, ws: WorkspaceDep, idx: IndexDep, q: Q) -> Response:
    from openpyxl import Workbook

    v = market_view(ws, idx, q)
    wb = Workbook(write_only=True)
    for name, rows in sheets(v).items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append([_safe(c) for c in row])
    buf = io.BytesIO()
    wb.save(buf)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in v.product)[:80]
    return Response(
        buf.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="market-{safe}.xlsx"'},
    )
