"""Suppliers: tracing's exposure table, i.e. every site at every tier that handles
controlled rare earths for the products (kg per year by element, the parts, the
products affected), with filters and CSV/XLSX downloads."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from raretrace.domain.parts import PartKind
from raretrace.services.formats.formula_guard import csv_row, xlsx_row
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.services.tracing.supplier_filter import SupplierFilter
from raretrace.web import charts
from raretrace.web.deps import IndexDep, Viewer, WorkspaceDep, render
from raretrace.web.schemas import ExposureFiltersPublic, ExposurePublic, ExposureRowPublic
from raretrace.workspace import Workspace

pages = APIRouter(tags=["suppliers"])
api = APIRouter(tags=["suppliers"])


class SupplierFilters(BaseModel):
    """The filters of the suppliers table, read from the query string once for the page,
    its JSON twin and both downloads (FastAPI expands the fields into query parameters)."""

    product: str = Field("", max_length=200, description="Only suppliers of this product.")
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2 country.")
    element: str = Field("", max_length=3, description="Rare-earth symbol, e.g. Dy.")
    max_tier: int | None = Field(
        None, ge=0, le=100, description="Only tiers up to this (0 = the maker)."
    )
    scope: str = Field(
        "controlled",
        pattern="^(controlled|all)$",
        description="controlled: the Ann. 18 elements; all: every rare earth.",
    )
    q: str = Field("", max_length=200, description="Substring of site, party or part.")


Filters = Annotated[SupplierFilters, Query()]

BASE_COLUMNS = (
    "rank", "site", "party", "party_name", "country", "tier", "parts", "total_kg_per_year",
)  # fmt: skip
CHART_ROWS = 15


def suppliers_view(
    ws: Workspace, idx: NetworkIndex, filters: SupplierFilters | None = None
) -> ExposurePublic:
    f = filters or SupplierFilters()
    table = ws.tracing.suppliers(SupplierFilter(**f.model_dump()), index=idx)
    rows = [ExposureRowPublic.model_validate(r) for r in table.rows]
    chart = charts.stacked_kg(
        [
            (f"{r.rank}. {r.site}", f"{r.party_name} ({r.country})", r.kg_per_year)
            for r in rows[:CHART_ROWS]
        ],
        "Largest exposures: kg per year by element",
    )
    return ExposurePublic(
        filters=ExposureFiltersPublic(
            product=f.product, country=f.country, element=f.element, max_tier=f.max_tier,
            scope=f.scope, q=f.q,
        ),
        elements=table.elements,
        rows=rows,
        countries=table.countries,
        products=sorted(p.part_id for p in idx.parts.values() if p.kind is PartKind.PRODUCT),
        unplanned_products=table.unplanned_products,
        unknown_content_parts=table.unknown_content_parts,
        chart=chart,
    )  # fmt: skip


def _columns(view: ExposurePublic) -> list[str]:
    return [*BASE_COLUMNS, *(f"kg_per_year_{e}" for e in view.elements), "products"]


def _cells(view: ExposurePublic) -> list[list[str | int | float]]:
    out: list[list[str | int | float]] = []
    for r in view.rows:
        out.append(
            [
                r.rank, r.site, r.party, r.party_name, r.country, r.tier, ";".join(r.parts),
                round(r.total_kg_per_year, 6),
                *(round(r.kg_per_year.get(e, 0.0), 6) for e in view.elements),
                "" if r.products is None else ";".join(r.products),
            ]
        )  # fmt: skip
    return out


@pages.get("/suppliers", response_class=HTMLResponse)
def suppliers_page(
    request: Request,
    user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    filters: Filters,
) -> HTMLResponse:
    view = suppliers_view(ws, idx, filters)
    query = str(request.url.query)
    return render(request, "suppliers.html", user, page=view, query=query)


@api.get("/suppliers")
def suppliers_api(
    _user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    filters: Filters,
) -> ExposurePublic:
    return suppliers_view(ws, idx, filters)


@pages.get("/suppliers.csv", response_class=Response)
def suppliers_csv(
    _user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    filters: Filters,
) -> Response:
    buf = io.StringIO()
    writer = csv.writer(buf)
    view = suppliers_view(ws, idx, filters)
    writer.writerow(csv_row(_columns(view)))
    for row in _cells(view):
        writer.writerow(csv_row(row))
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="suppliers.csv"'},
    )


@pages.get("/suppliers.xlsx", response_class=Response)
def suppliers_xlsx(
    _user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    filters: Filters,
) -> Response:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("suppliers")
    view = suppliers_view(ws, idx, filters)
    sheet.append(xlsx_row(sheet, _columns(view)))
    for row in _cells(view):
        sheet.append(xlsx_row(sheet, row))  # text-typed, no ' added
    buf = io.BytesIO()
    wb.save(buf)
    return Response(
        buf.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="suppliers.xlsx"'},
    )
