"""Create licence applications and licences from the web app (the CLI's `apply` and
`licences add`), each page with its JSON twin. The flows page links here with the flow
filled in ("start application"); a licence can be recorded from an application.

Registered before ``routes.licences`` so that ``/licences/new`` and
``/licences/applications/new`` are not read as a licence number or application id."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import FormData

from raretrace.domain.licences import (
    Licence,
    LicenceItem,
    LicenceType,
    check_currency,
    parse_mass,
    parse_money,
)
from raretrace.errors import InputError, NotFoundError
from raretrace.services.licensing.cover import products_of
from raretrace.services.licensing.service import ItemInput
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.web.auth import check_csrf
from raretrace.web.deps import Editor, IndexDep, WorkspaceDep, render
from raretrace.web.routes.licence_views import application_view, licence_view, today_of
from raretrace.web.schemas_licences import ApplicationPublic, LicencePublic
from raretrace.workspace import Workspace

pages = APIRouter(tags=["licences"])
api = APIRouter(tags=["licences"])

#: Item rows offered by the forms (the API takes any number).
FORM_ITEMS = 3


class ItemCreate(BaseModel):
    part_id: str = Field(min_length=1, max_length=200)
    quantity: str = Field(max_length=100, description='Mass, e.g. "500 kg".')
    value: str = Field(max_length=100)
    currency: str = Field(default="USD", max_length=3)
    control_code: str = Field(default="", max_length=50)


class ApplicationCreate(BaseModel):
    exporter: str = Field(min_length=1, max_length=200, description="Site or party id.")
    importer: str = Field(min_length=1, max_length=200, description="Party id.")
    end_user: str = Field(default="", max_length=200, description="Default: the importer.")
    destination: str = Field(default="", max_length=2, description="Default: end user's.")
    contract_ref: str = Field(default="", max_length=200)
    end_use: str = Field(default="", max_length=2000)
    licence_type: LicenceType = LicenceType.SINGLE
    items: list[ItemCreate] = Field(min_length=1, max_length=50)


class LicenceCreate(BaseModel):
    licence_id: str = Field(min_length=1, max_length=200, pattern=r"^[^/?#\\%]+$")
    licence_type: LicenceType = LicenceType.SINGLE
    exporter: str = Field(min_length=1, max_length=200)
    importer: str = Field(min_length=1, max_length=200)
    end_users: list[str] = Field(min_length=1, max_length=50)
    destinations: list[str] = Field(min_length=1, max_length=50)
    valid_from: date
    valid_to: date
    items: list[ItemCreate] = Field(min_length=1, max_length=50)
    application_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    reason: str = Field(default="", max_length=2000)


def create_application(ws: Workspace, body: ApplicationCreate, actor: str) -> int:
    v = ws.licensing.create_application(
        exporter=body.exporter.strip(),
        importer=body.importer.strip(),
        end_user=body.end_user.strip() or None,
        destination=body.destination.strip().upper() or None,
        contract_ref=body.contract_ref.strip(),
        end_use=body.end_use.strip(),
        licence_type=body.licence_type.value,
        items=[
            ItemInput(i.part_id.strip(), i.quantity, i.value, i.currency.upper() or "USD")
            for i in body.items
        ],
        actor=actor,
    )
    assert v.application.application_id is not None
    return v.application.application_id


def create_licence(ws: Workspace, idx: NetworkIndex, body: LicenceCreate, actor: str) -> str:
    items = []
    for n, i in enumerate(body.items, 1):
        part = idx.parts.get(i.part_id.strip())
        if part is None:
            raise NotFoundError(f"item {n}: no part {i.part_id!r} in the workspace")
        items.append(
            LicenceItem(
                n,
                part.part_id,
                part.name,
                i.control_code.strip(),
                parse_mass(i.quantity, where=f"item {n} quantity", default_unit="kg"),
                parse_money(i.value, where=f"item {n} value"),
                check_currency(i.currency.upper(), where=f"item {n} currency"),
            )
        )
    lic = Licence(
        licence_id=body.licence_id.strip(),
        licence_type=body.licence_type,
        exporter=body.exporter.strip(),
        importer=body.importer.strip(),
        end_users=tuple(e.strip() for e in body.end_users if e.strip()),
        destinations=tuple(d.strip().upper() for d in body.destinations if d.strip()),
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        items=tuple(items),
        application_id=body.application_id,
    )
    ws.licensing.add_licence(lic, actor=actor, reason=body.reason or "licence recorded")
    return lic.licence_id


# -- forms -------------------------------------------------------------------------------


def _items_from_form(form: FormData) -> list[dict[str, str]]:
    rows = []
    for n in range(FORM_ITEMS):
        row = {k: str(form.get(f"{k}_{n}", "") or "").strip() for k in ItemCreate.model_fields}
        if row["part_id"]:
            rows.append(row)
    return rows


def _padded(items: list[dict[str, str]]) -> list[dict[str, str]]:
    blank = {"part_id": "", "quantity": "", "value": "", "currency": "USD", "control_code": ""}
    return [*items, *[dict(blank) for _ in range(FORM_ITEMS - len(items))]][:FORM_ITEMS]


def _problem(exc: Exception) -> str:
    return str(exc).splitlines()[0]


def _chain_hint(idx: NetworkIndex, part_id: str) -> str:
    """The declared end use a flow's application starts with: what the part ends up in."""
    made = products_of(part_id, idx.parents, idx.parts)
    if not made or part_id not in idx.parts:
        return ""
    names = [idx.parts[p].name for p in made[:5]]
    more = f" and {len(made) - 5} more" if len(made) > 5 else ""
    return f"{idx.parts[part_id].name} incorporated into {', '.join(names)}{more}"


@pages.get("/licences/applications/new", response_class=HTMLResponse)
def application_form(
    request: Request,
    user: Editor,
    idx: IndexDep,
    exporter: Annotated[str, Query(max_length=200)] = "",
    importer: Annotated[str, Query(max_length=200)] = "",
    end_user: Annotated[str, Query(max_length=200)] = "",
    destination: Annotated[str, Query(max_length=2)] = "",
    part: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    values = {
        "exporter": exporter,
        "importer": importer,
        "end_user": end_user,
        "destination": destination,
        "contract_ref": "",
        "end_use": _chain_hint(idx, part) if part else "",
        "licence_type": "single",
    }
    items = _padded([{"part_id": part, "quantity": "", "value": "", "currency": "USD",
                      "control_code": ""}] if part else [])  # fmt: skip
    return render(
        request, "licences/new_application.html", user, values=values, items=items, error=None
    )


@pages.post("/licences/applications", response_class=HTMLResponse)
async def application_create_form(request: Request, user: Editor, ws: WorkspaceDep) -> Response:
    await check_csrf(request)
    form = await request.form()
    fields = ("exporter", "importer", "end_user", "destination", "contract_ref", "end_use",
              "licence_type")  # fmt: skip
    values = {k: str(form.get(k, "") or "")[:2000] for k in fields}
    items = _items_from_form(form)
    try:
        body = ApplicationCreate.model_validate({**values, "items": items})
        app_id = create_application(ws, body, user.username)
    except (InputError, NotFoundError, ValueError) as exc:
        return render(
            request, "licences/new_application.html", user, 422,
            values=values, items=_padded(items), error=_problem(exc),
        )  # fmt: skip
    return RedirectResponse(f"/licences/applications/{app_id}", status_code=303)


@pages.get("/licences/new", response_class=HTMLResponse)
def licence_form(
    request: Request,
    user: Editor,
    ws: WorkspaceDep,
    application: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> HTMLResponse:
    values: dict[str, Any] = {
        "licence_id": "", "licence_type": "single", "exporter": "", "importer": "",
        "end_users": "", "destinations": "", "valid_from": "", "valid_to": "",
        "application_id": application or "", "reason": "",
    }  # fmt: skip
    items: list[dict[str, str]] = []
    if application is not None:
        a = application_view(ws, application, today_of(ws, None))
        values |= {
            "licence_type": a.licence_type,
            "exporter": a.exporter,
            "importer": a.importer,
            "end_users": a.end_user,
            "destinations": a.destination,
        }
        items = [
            {"part_id": i.part_id, "quantity": i.quantity, "value": str(i.value),
             "currency": i.currency, "control_code": ", ".join(i.control_codes)}
            for i in a.items
        ][:FORM_ITEMS]  # fmt: skip
    return render(
        request, "licences/new_licence.html", user, values=values, items=_padded(items),
        error=None,
    )  # fmt: skip


@pages.post("/licences", response_class=HTMLResponse)
async def licence_create_form(
    request: Request, user: Editor, ws: WorkspaceDep, idx: IndexDep
) -> Response:
    await check_csrf(request)
    form = await request.form()
    fields = ("licence_id", "licence_type", "exporter", "importer", "end_users",
              "destinations", "valid_from", "valid_to", "application_id", "reason")  # fmt: skip
    values = {k: str(form.get(k, "") or "")[:2000] for k in fields}
    items = _items_from_form(form)

    def split(text: str) -> list[str]:
        return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]

    try:
        body = LicenceCreate.model_validate(
            {
                **values,
                "end_users": split(values["end_users"]),
                "destinations": split(values["destinations"]),
                "application_id": values["application_id"] or None,
                "items": items,
            }
        )
        lid = create_licence(ws, idx, body, user.username)
    except (InputError, NotFoundError, ValueError) as exc:
        return render(
            request, "licences/new_licence.html", user, 422,
            values=values, items=_padded(items), error=_problem(exc),
        )  # fmt: skip
    return RedirectResponse(f"/licences/{quote(lid, safe='')}", status_code=303)


# -- JSON twins --------------------------------------------------------------------------


@api.post("/licences/applications", status_code=201)
def application_create_api(
    user: Editor, ws: WorkspaceDep, body: ApplicationCreate
) -> ApplicationPublic:
    """Draft an application (classified, chain traced, deadline computed on submission)."""
    app_id = create_application(ws, body, user.username)
    return application_view(ws, app_id, today_of(ws, None))


@api.post("/licences", status_code=201)
def licence_create_api(
    user: Editor, ws: WorkspaceDep, idx: IndexDep, body: LicenceCreate
) -> LicencePublic:
    """Record a licence as issued; its limits open the ledger (one issue entry per item)."""
    lid = create_licence(ws, idx, body, user.username)
    return licence_view(ws, lid, today_of(ws, None))
