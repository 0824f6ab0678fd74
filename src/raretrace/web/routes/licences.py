"""Licences: applications (deadline, checklist, end-use chain, status workflow, packet
downloads), licences with their balances and ledger history, and recording a shipment.

Viewers read; editors attach or waive documents, change statuses, record shipments and
reverse drawdowns (with a reason, audited).
The lists and the dashboard cards read applications without their end-use chain (a
where-used search per application); the application page computes it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from raretrace.domain.applications import (
    AppStatus,
)
from raretrace.domain.users import User
from raretrace.errors import InputError, NotFoundError
from raretrace.services.licensing.service import (
    LicenceView,
)
from raretrace.web.deps import Editor, SettingsDep, Viewer, WorkspaceDep, render
from raretrace.web.routes.licence_views import (
    Packet,
    application_view,
    licence_view,
    licences_overview,
    packet,
    record_shipment,
    reverse_drawdown,
    today_of,
)
from raretrace.web.schemas_licences import (
    ApplicationPublic,
    DocumentCreate,
    LicencePublic,
    LicencesPublic,
    ReversalCreate,
    ReversalPublic,
    ShipmentCreate,
    ShipResultPublic,
    StatusCreate,
)
from raretrace.workspace import Workspace

pages = APIRouter(tags=["licences"])
api = APIRouter(tags=["licences"])

AppId = Annotated[
    int, Path(title="Application id", ge=1, le=2**31 - 1, description="A licence application.")
]
LicenceId = Annotated[
    str,
    Path(title="Licence number", min_length=1, max_length=200, description="As issued."),
]
EntryId = Annotated[
    int,
    Path(title="Ledger entry", ge=1, le=2**31 - 1, description="A drawdown's entry number."),
]
Today = Annotated[
    date | None,
    Query(title="As of", description="Date for deadlines and validity (default: today)."),
]


# -- pages -------------------------------------------------------------------------------


def _shipment_form(ws: Workspace, licence_id: str = "") -> dict[str, Any]:
    """Choices for the shipment form: licences (with their parts) and defaults."""
    lics = ws.licensing.licences()
    return {
        "licences": [
            {
                "licence_id": v.licence.licence_id,
                "parts": [i.part_id for i in v.licence.items],
                "end_users": list(v.licence.end_users),
                "destinations": list(v.licence.destinations),
            }
            for v in lics
        ],
        "values": _defaults(lics, licence_id),
    }


def _defaults(lics: list[LicenceView], licence_id: str) -> dict[str, str]:
    """Form defaults for a licence: its one end user, destination and part, when it
    names only one (the user still sees and may change them)."""
    values = {"licence_id": licence_id, "currency": "USD"}
    lic = next((v.licence for v in lics if v.licence.licence_id == licence_id), None)
    if lic is not None:
        if len(lic.end_users) == 1:
            values["end_user"] = lic.end_users[0]
        if len(lic.destinations) == 1:
            values["destination"] = lic.destinations[0]
        if len(lic.items) == 1:
            values["part_id"] = lic.items[0].part_id
            values["currency"] = lic.items[0].currency
    return values


@pages.get("/licences", response_class=HTMLResponse)
def licences_page(
    request: Request, user: Viewer, ws: WorkspaceDep, today: Today = None
) -> HTMLResponse:
    page = licences_overview(ws, today_of(ws, today))
    return render(
        request, "licences/index.html", user, page=page, form=_shipment_form(ws), result=None
    )


def _app_page(
    request: Request,
    user: User,
    ws: Workspace,
    application_id: int,
    *,
    today: date | None = None,
    error: InputError | None = None,
) -> HTMLResponse:
    page = application_view(ws, application_id, today_of(ws, today))
    problems = [
        {"column": p.column, "message": p.message, "file": p.file}
        for p in (error.problems if error else [])
    ]
    return render(
        request,
        "licences/application.html",
        user,
        status_code=422 if error else 200,
        page=page,
        error=str(error).splitlines()[0] if error else None,
        problems=problems,
    )


@pages.get("/licences/applications/{application_id}", response_class=HTMLResponse)
def application_page(
    request: Request, user: Viewer, ws: WorkspaceDep, application_id: AppId, today: Today = None
) -> HTMLResponse:
    return _app_page(request, user, ws, application_id, today=today)


@pages.post("/licences/applications/{application_id}/documents", response_class=HTMLResponse)
def document_form(
    request: Request,
    user: Editor,
    ws: WorkspaceDep,
    application_id: AppId,
    key: Annotated[str, Form(max_length=100)],
    action: Annotated[str, Form(pattern="^(attach|waive)$")],
    reference: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        _document(
            ws,
            application_id,
            DocumentCreate.model_construct(key=key, action=action, reference=reference),
            user.username,
        )
    except InputError as exc:
        return _app_page(request, user, ws, application_id, error=exc)
    return RedirectResponse(f"/licences/applications/{application_id}#doc-{key}", status_code=303)


@pages.post("/licences/applications/{application_id}/status", response_class=HTMLResponse)
def status_form(
    request: Request,
    user: Editor,
    ws: WorkspaceDep,
    application_id: AppId,
    status: Annotated[str, Form(max_length=40)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        _set_status(ws, application_id, status, note, user.username)
    except InputError as exc:
        return _app_page(request, user, ws, application_id, error=exc)
    return RedirectResponse(f"/licences/applications/{application_id}#status", status_code=303)


def _download(p: Packet) -> Response:
    return Response(
        p.body,
        media_type=p.media_type,
        headers={"Content-Disposition": f'attachment; filename="{p.filename}"'},
    )


@pages.get("/licences/applications/{application_id}/packet.pdf", response_class=Response)
def packet_pdf(
    _user: Viewer, ws: WorkspaceDep, settings: SettingsDep, application_id: AppId
) -> Response:
    return _download(packet(ws, settings, application_id, "pdf"))


@pages.get("/licences/applications/{application_id}/packet.xlsx", response_class=Response)
def packet_xlsx(
    _user: Viewer, ws: WorkspaceDep, settings: SettingsDep, application_id: AppId
) -> Response:
    return _download(packet(ws, settings, application_id, "xlsx"))


def _licence_page(
    request: Request,
    user: User,
    ws: Workspace,
    licence_id: str,
    *,
    today: date | None = None,
    error: InputError | None = None,
    entry_id: int | None = None,
    reason: str = "",
) -> HTMLResponse:
    page = licence_view(ws, licence_id, today_of(ws, today))
    return render(
        request,
        "licences/licence.html",
        user,
        status_code=422 if error else 200,
        page=page,
        form=_shipment_form(ws, licence_id),
        result=None,
        reverse_error=str(error).splitlines()[0] if error else None,
        reverse_entry=entry_id,
        reverse_reason=reason,
    )


@pages.get("/licences/{licence_id}", response_class=HTMLResponse)
def licence_page(
    request: Request, user: Viewer, ws: WorkspaceDep, licence_id: LicenceId, today: Today = None
) -> HTMLResponse:
    return _licence_page(request, user, ws, licence_id, today=today)


@pages.post("/licences/{licence_id}/ledger/{entry_id}/reverse", response_class=HTMLResponse)
def reverse_form(
    request: Request,
    user: Editor,
    ws: WorkspaceDep,
    licence_id: LicenceId,
    entry_id: EntryId,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Reverse one drawdown; back to the ledger with the new entry in view, or the page
    again with the reason it was refused (422; nothing written)."""
    try:
        done = reverse_drawdown(ws, licence_id, entry_id, reason, user.username)
    except InputError as exc:
        return _licence_page(
            request, user, ws, licence_id, error=exc, entry_id=entry_id, reason=reason
        )
    target = f"/licences/{quote(licence_id, safe='')}#entry-{done.entry.entry_id}"
    return RedirectResponse(target, status_code=303)


@pages.post("/licences/shipments", response_class=HTMLResponse)
def shipment_form(
    request: Request,
    user: Editor,
    ws: WorkspaceDep,
    shipment_id: Annotated[str, Form(max_length=200)],
    part_id: Annotated[str, Form(max_length=200)],
    quantity: Annotated[str, Form(max_length=100)],
    value: Annotated[str, Form(max_length=100)],
    currency: Annotated[str, Form(max_length=3)] = "USD",
    licence_id: Annotated[str, Form(max_length=200)] = "",
    exporter: Annotated[str, Form(max_length=200)] = "",
    consignee: Annotated[str, Form(max_length=200)] = "",
    end_user: Annotated[str, Form(max_length=200)] = "",
    destination: Annotated[str, Form(max_length=2)] = "",
    shipped_on: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse:
    """Record the shipment and show the outcome with the form filled in again: booked
    (with the balance left), or rejected with every reason (422; nothing booked)."""
    values = {
        "shipment_id": shipment_id,
        "part_id": part_id,
        "quantity": quantity,
        "value": value,
        "currency": currency,
        "licence_id": licence_id,
        "exporter": exporter,
        "consignee": consignee,
        "end_user": end_user,
        "destination": destination,
        "shipped_on": shipped_on,
        "reason": reason,
    }
    form = _shipment_form(ws, licence_id)
    form["values"] = values
    error: InputError | NotFoundError | None = None
    result = None
    try:
        on = date.fromisoformat(shipped_on) if shipped_on.strip() else None
    except ValueError:
        error = InputError(f"shipment date {shipped_on!r} is not a date (YYYY-MM-DD)")
    else:
        body = ShipmentCreate(
            shipment_id=shipment_id or " ",
            part_id=part_id or " ",
            quantity=quantity,
            value=value,
            currency=currency,
            licence_id=licence_id or None,
            exporter=exporter,
            consignee=consignee,
            end_user=end_user,
            destination=destination,
            shipped_on=on,
            reason=reason,
        )
        try:
            result = record_shipment(ws, body, user.username)
        except (InputError, NotFoundError) as exc:
            error = exc
    if result is not None and result.booked:
        # Booked: a second click must not book the same goods again.
        form["values"] = {**values, "shipment_id": "", "quantity": "", "value": ""}
    status = 200 if result is not None and result.accepted else 422
    return render(
        request,
        "licences/shipment.html",
        user,
        status_code=status,
        form=form,
        result=result,
        error=str(error).splitlines()[0] if error else None,
        problems=[
            {"column": p.column, "message": p.message} for p in getattr(error, "problems", [])
        ],
    )


# -- writes shared by pages and API -------------------------------------------------------


def _document(ws: Workspace, application_id: int, body: DocumentCreate, actor: str) -> None:
    if body.action == "attach":
        if not body.reference.strip():
            raise InputError("an attachment needs a reference (file name, archive number)")
        ws.licensing.attach(application_id, body.key, body.reference.strip(), actor=actor)
    else:
        ws.licensing.waive(application_id, body.key, body.reference, actor=actor)


def _set_status(ws: Workspace, application_id: int, status: str, note: str, actor: str) -> None:
    try:
        new = AppStatus(status)
    except ValueError:
        raise InputError(f"unknown status {status!r}") from None
    ws.licensing.set_status(application_id, new, actor=actor, note=note.strip())


# -- JSON twins --------------------------------------------------------------------------


@api.get("/licences")
def licences_api(_user: Viewer, ws: WorkspaceDep, today: Today = None) -> LicencesPublic:
    return licences_overview(ws, today_of(ws, today))


@api.get("/licences/applications/{application_id}")
def application_api(
    _user: Viewer, ws: WorkspaceDep, application_id: AppId, today: Today = None
) -> ApplicationPublic:
    return application_view(ws, application_id, today_of(ws, today))


@api.post("/licences/applications/{application_id}/documents", status_code=201)
def document_api(
    user: Editor, ws: WorkspaceDep, application_id: AppId, body: DocumentCreate
) -> ApplicationPublic:
    _document(ws, application_id, body, user.username)
    return application_view(ws, application_id, today_of(ws, None))


@api.post("/licences/applications/{application_id}/status", status_code=201)
def status_api(
    user: Editor, ws: WorkspaceDep, application_id: AppId, body: StatusCreate
) -> ApplicationPublic:
    _set_status(ws, application_id, body.status, body.note, user.username)
    return application_view(ws, application_id, today_of(ws, None))


@api.get("/licences/{licence_id}")
def licence_api(
    _user: Viewer, ws: WorkspaceDep, licence_id: LicenceId, today: Today = None
) -> LicencePublic:
    return licence_view(ws, licence_id, today_of(ws, today))


@api.post(
    "/licences/{licence_id}/ledger/{entry_id}/reverse",
    status_code=201,
    responses={422: {"description": "Refused (no reason, not a drawdown, already reversed)."}},
)
def reverse_api(
    user: Editor, ws: WorkspaceDep, licence_id: LicenceId, entry_id: EntryId, body: ReversalCreate
) -> ReversalPublic:
    """Cancel a drawdown in full with a reversal entry; the drawdown itself stays in the
    ledger, and the reversal is written to the audit log."""
    return reverse_drawdown(ws, licence_id, entry_id, body.reason, user.username)


@api.post(
    "/licences/shipments",
    status_code=201,
    response_model=ShipResultPublic,
    responses={
        200: {"model": ShipResultPublic, "description": "Already booked: the first booking."},
        422: {"model": ShipResultPublic, "description": "Rejected; nothing booked."},
    },
)
def shipment_api(user: Editor, ws: WorkspaceDep, body: ShipmentCreate) -> Any:
    """Book a shipment (201). A shipment that breaks its licence, or a controlled item
    without one, is rejected with its reasons (422) and nothing is booked. The shipment
    id is an idempotency key: the same booking sent again returns the first one (200,
    ``duplicate``) and books nothing; other details under a booked id are rejected."""
    result = record_shipment(ws, body, user.username)
    if not result.accepted:
        return JSONResponse(result.model_dump(mode="json"), status_code=422)
    if result.duplicate:  # idempotent retry: the first booking, nothing new written
        return JSONResponse(result.model_dump(mode="json"), status_code=200)
    return result
