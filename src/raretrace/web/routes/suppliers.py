"""Suppliers: who ships which parts, how many of them carry rare earths; CSV/XLSX."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.parties import Role
from raretrace.services.catalogue import NetworkIndex, supplier_table
from raretrace.web.deps import IndexDep, Viewer, render
from raretrace.web.schemas import SupplierFiltersPublic, SuppliersPublic

pages = APIRouter(tags=["suppliers"])
api = APIRouter(tags=["suppliers"])

Country = Annotated[str, Query(max_length=2, description="ISO 3166-1 alpha-2 country.")]
RoleQ = Annotated[str, Query(max_length=40, description="Party role, e.g. magnet_maker.")]
Element = Annotated[str, Query(max_length=3, description="Rare-earth symbol, e.g. Dy.")]
Search = Annotated[str, Query(max_length=200, description="Substring of the party id or name.")]

COLUMNS = (
    "party_id", "name", "country", "roles", "sites", "parts_supplied", "rare_earth_parts",
    "rare_earths", "buyers",
)  # fmt: skip


def suppliers_view(
    idx: NetworkIndex, country: str, role: str, element: str, q: str
) -> SuppliersPublic:
    rows = supplier_table(idx, country=country, role=role, element=element, q=q)
    countries = sorted({p.country for p in idx.parties.values()})
    elements = sorted({e for res in idx.rare_earths.values() for e in res}, key=RARE_EARTHS.index)
    return SuppliersPublic.model_validate(
        {
            "filters": SupplierFiltersPublic(country=country, role=role, element=element, q=q),
            "rows": rows,
            "countries": countries,
            "roles": [r.value for r in Role],
            "elements": elements,
        },
        from_attributes=True,
    )


def _cells(view: SuppliersPublic) -> list[list[str | int]]:
    out: list[list[str | int]] = []
    for r in view.rows:
        out.append(
            [
                r.party_id, r.name, r.country, ";".join(r.roles), r.sites, r.parts_supplied,
                r.rare_earth_parts, ";".join(r.rare_earths), r.buyers,
            ]
        )  # fmt: skip
    return out


def _safe_cell(value: str | int) -> str | int:
    # Spreadsheet formula injection: a text cell must not start with = + - @.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@pages.get("/suppliers", response_class=HTMLResponse)
def suppliers_page(
    request: Request,
    user: Viewer,
    idx: IndexDep,
    country: Country = "",
    role: RoleQ = "",
    element: Element = "",
    q: Search = "",
) -> HTMLResponse:
    view = suppliers_view(idx, country, role, element, q)
    query = str(request.url.query)
    return render(request, "suppliers.html", user, page=view, query=query)


@api.get("/suppliers")
def suppliers_api(
    _user: Viewer,
    idx: IndexDep,
    country: Country = "",
    role: RoleQ = "",
    element: Element = "",
    q: Search = "",
) -> SuppliersPublic:
    return suppliers_view(idx, country, role, element, q)


@pages.get("/suppliers.csv", response_class=Response)
def suppliers_csv(
    _user: Viewer,
    idx: IndexDep,
    country: Country = "",
    role: RoleQ = "",
    element: Element = "",
    q: Search = "",
) -> Response:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    for row in _cells(suppliers_view(idx, country, role, element, q)):
        writer.writerow([_safe_cell(v) for v in row])
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="suppliers.csv"'},
    )


@pages.get("/suppliers.xlsx", response_class=Response)
def suppliers_xlsx(
    _user: Viewer,
    idx: IndexDep,
    country: Country = "",
    role: RoleQ = "",
    element: Element = "",
    q: Search = "",
) -> Response:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("suppliers")
    ws.append(list(COLUMNS))
    for row in _cells(suppliers_view(idx, country, role, element, q)):
        ws.append([_safe_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return Response(
        buf.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="suppliers.xlsx"'},
    )
