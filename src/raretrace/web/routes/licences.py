"""Licences: applications (deadline, checklist, end-use chain, status workflow, packet
downloads), licences with their balances and ledger history, and recording a shipment.

Viewers read; editors attach or waive documents, change statuses, record shipments and
reverse drawdowns (with a reason, audited).
The lists and the dashboard cards read applications without their end-use chain (a
where-used search per application); the application page computes it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path as FsPath
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from raretrace.domain.applications import (
    TRANSITIONS,
    Application,
    AppStatus,
    ChecklistRow,
    DocState,
    checklist,
    deadline,
)
from raretrace.domain.ledger import Balance, EntryKind, LedgerEntry
from raretrace.domain.ledger import licence_flags as ledger_flags
from raretrace.domain.licences import Licence, format_mass
from raretrace.domain.users import User
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.services import packets
from raretrace.services.licensing import (
    ApplicationView,
    LicenceView,
    ShipmentInput,
    ShipResult,
    calendar_for,
)
from raretrace.settings import Settings
from raretrace.web.deps import Editor, SettingsDep, Viewer, WorkspaceDep, render
from raretrace.web.schemas_licences import (
    AppItemPublic,
    ApplicationPublic,
    ApplicationSummaryPublic,
    BalancePublic,
    ChainRowPublic,
    ChainStepPublic,
    DeadlinePublic,
    DocRowPublic,
    DocumentCreate,
    LedgerEntryPublic,
    LicenceFacePublic,
    LicencePublic,
    LicencesPublic,
    LicenceSummaryPublic,
    LicensingSummaryPublic,
    PartyRefPublic,
    ReversalCreate,
    ReversalPublic,
    ShipmentCreate,
    ShipResultPublic,
    StatusChangePublic,
    StatusCreate,
    ViolationPublic,
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


# -- views -------------------------------------------------------------------------------


def _doc_rows(rows: tuple[ChecklistRow, ...] | list[ChecklistRow]) -> list[DocRowPublic]:
    return [
        DocRowPublic(
            key=r.kind.key,
            label_en=r.kind.label_en,
            label_zh=r.kind.label_zh,
            basis=r.kind.basis,
            state=r.state.value,
            reference=r.reference,
            at=r.at,
            actor=r.actor,
        )
        for r in rows
    ]


def _summary_fields(
    app: Application, rows: list[DocRowPublic], dl: DeadlinePublic, end_user_name: str
) -> dict[str, Any]:
    assert app.application_id is not None
    return {
        "application_id": app.application_id,
        "status": app.status.value,
        "exporter": app.exporter,
        "importer": app.importer,
        "end_user": app.end_user,
        "end_user_name": end_user_name,
        "destination": app.destination,
        "licence_type": app.licence_type,
        "items": [
            AppItemPublic(
                part_id=i.part_id,
                description=i.description,
                control_codes=list(i.control_codes),
                mass_mg=i.mass_mg,
                quantity=format_mass(i.mass_mg),
                value=i.value,
                currency=i.currency,
                hs_code=i.hs_code,
                spec_model=i.spec_model,
                name_zh=i.name_zh,
            )
            for i in app.items
        ],
        "created_at": app.created_at,
        "created_by": app.created_by,
        "deadline": dl,
        "checklist": rows,
        "docs_done": sum(r.state != DocState.MISSING.value for r in rows),
        "docs_missing": [r.key for r in rows if r.state == DocState.MISSING.value],
    }


def _party_names(ws: Workspace) -> dict[str, str]:
    net = ws.network()
    names = {p.party_id: p.name for p in net.parties}
    names.update({s.site_id: names.get(s.party_id, s.site_id) for s in net.sites})
    return names


def _urgency(a: ApplicationSummaryPublic) -> tuple[int, int, int]:
    d = a.deadline
    return (
        0 if d.overdue else 1 if d.due_soon else 2,
        d.remaining if d.remaining is not None else 10**6,
        a.application_id,
    )


def application_summaries(ws: Workspace, today: date) -> list[ApplicationSummaryPublic]:
    """Every application with its deadline and checklist, most urgent first (no end-use
    chain: that is a where-used search per application)."""
    apps = ws.licensing.applications_with_events()
    names = _party_names(ws) if apps else {}
    out = []
    for app, events in apps:
        cal = calendar_for(today, app.submitted_on)
        dl = DeadlinePublic.model_validate(deadline(app, cal, today), from_attributes=True)
        rows = _doc_rows(checklist(events))
        out.append(
            ApplicationSummaryPublic(
                **_summary_fields(app, rows, dl, names.get(app.end_user, app.end_user))
            )
        )
    out.sort(key=_urgency)
    return out


def application_public(v: ApplicationView) -> ApplicationPublic:
    app = v.application
    rows = _doc_rows(v.checklist)
    dl = DeadlinePublic.model_validate(v.deadline, from_attributes=True)
    return ApplicationPublic(
        **_summary_fields(app, rows, dl, v.parties["end_user"].name),
        parties={k: PartyRefPublic.model_validate(p) for k, p in v.parties.items()},
        face=LicenceFacePublic.model_validate(app.face, from_attributes=True),
        contract_ref=app.contract_ref,
        end_use=app.end_use,
        rule_pack=app.rule_pack,
        chain=[
            ChainRowPublic(
                text=r.text,
                steps=[ChainStepPublic.model_validate(s) for s in r.steps],
                units_per_product=r.units_per_product,
                products_per_year=r.products_per_year,
                units_per_year=r.units_per_year,
                kg_per_year=r.kg_per_year,
            )
            for r in v.chain.rows
        ],
        chain_truncated=v.chain.truncated,
        chain_kg_per_year=v.chain.total_kg_per_year,
        chain_note=v.chain.note,
        warnings=list(v.warnings),
        calendar_source=v.calendar_source,
        history=[
            StatusChangePublic(status=h.status.value, at=h.at, actor=h.actor, note=h.note)
            for h in app.history
        ],
        next_statuses=sorted(s.value for s in TRANSITIONS[app.status]),
    )


def application_view(ws: Workspace, application_id: int, today: date) -> ApplicationPublic:
    return application_public(ws.licensing.application(application_id, today=today))


def balance_public(lic: Licence, b: Balance) -> BalancePublic:
    item = next(i for i in lic.items if i.item_no == b.item_no)
    return BalancePublic(
        item_no=b.item_no,
        part_id=b.part_id,
        description=item.description,
        control_code=item.control_code,
        currency=b.currency,
        issued_mg=b.issued_mg,
        drawn_mg=b.drawn_mg,
        remaining_mg=b.remaining_mg,
        issued=format_mass(b.issued_mg),
        remaining=format_mass(b.remaining_mg),
        issued_value=b.issued_value,
        drawn_value=b.drawn_value,
        remaining_value=b.remaining_value,
        remaining_share=b.remaining_share,
    )


def licence_flags(v: LicenceView, today: date) -> list[str]:
    """``domain.ledger.licence_flags`` as strings (the CLI shows the same)."""
    return [f.value for f in ledger_flags(v.licence, v.balances, v.used, today)]


def _licence_fields(v: LicenceView, today: date) -> dict[str, Any]:
    lic = v.licence
    bals = [balance_public(lic, b) for b in v.balances]
    return {
        "licence_id": lic.licence_id,
        "licence_type": lic.licence_type.value,
        "exporter": lic.exporter,
        "importer": lic.importer,
        "end_users": list(lic.end_users),
        "destinations": list(lic.destinations),
        "valid_from": lic.valid_from,
        "valid_to": lic.valid_to,
        "days_left": (lic.valid_to - today).days,
        "application_id": lic.application_id,
        "notes": lic.notes,
        "used": v.used,
        "balances": bals,
        "flags": licence_flags(v, today),
    }


def licence_summaries(ws: Workspace, today: date) -> list[LicenceSummaryPublic]:
    out = [LicenceSummaryPublic(**_licence_fields(v, today)) for v in ws.licensing.licences()]
    out.sort(key=lambda x: (x.flags == [] or x.flags == ["used"], x.valid_to, x.licence_id))
    return out


def entry_public(e: LedgerEntry, reversed_by: int | None = None) -> LedgerEntryPublic:
    return LedgerEntryPublic(
        entry_id=e.entry_id,
        item_no=e.item_no,
        kind=e.kind.value,
        mass_mg=e.mass_mg,
        quantity=format_mass(e.mass_mg),
        value=e.value,
        currency=e.currency,
        shipment_id=e.shipment_id,
        shipped_on=e.shipped_on,
        destination=e.destination,
        end_user=e.end_user,
        recorded_at=e.recorded_at,
        actor=e.actor,
        reason=e.reason,
        reverses=e.reverses,
        reversed_by=reversed_by,
    )


def licence_view(ws: Workspace, licence_id: str, today: date) -> LicencePublic:
    v = ws.licensing.licence(licence_id)
    entries = ws.licensing.ledger(licence_id)
    back = {e.reverses: e.entry_id for e in entries if e.kind is EntryKind.REVERSAL}
    return LicencePublic(
        **_licence_fields(v, today),
        ledger=[entry_public(e, back.get(e.entry_id)) for e in entries],
    )


def _summary(
    apps: list[ApplicationSummaryPublic], lics: list[LicenceSummaryPublic], today: date
) -> LicensingSummaryPublic:
    open_states = {s.value for s in (AppStatus.SUBMITTED, AppStatus.UNDER_REVIEW)} | {
        AppStatus.INFO_REQUESTED.value
    }
    watch = {"near_exhaustion", "exhausted", "near_expiry"}
    return LicensingSummaryPublic(
        as_of=today,
        applications_open=sum(a.status in open_states for a in apps),
        applications_draft=sum(a.status == AppStatus.DRAFT.value for a in apps),
        applications_overdue=sum(a.deadline.overdue for a in apps),
        applications_due_soon=sum(a.deadline.due_soon for a in apps),
        licences_active=sum(
            not ({"expired", "not_yet_valid", "used", "exhausted"} & set(x.flags)) for x in lics
        ),
        due=[a for a in apps if a.deadline.overdue or a.deadline.due_soon],
        flagged=[
            x for x in lics if watch & set(x.flags) and not {"expired", "used"} & set(x.flags)
        ],
    )


def licensing_summary(ws: Workspace, today: date) -> LicensingSummaryPublic:
    """Applications due or overdue and licences near exhaustion or expiry (dashboard)."""
    return _summary(application_summaries(ws, today), licence_summaries(ws, today), today)


def licences_overview(ws: Workspace, today: date) -> LicencesPublic:
    apps = application_summaries(ws, today)
    lics = licence_summaries(ws, today)
    return LicencesPublic(
        as_of=today, summary=_summary(apps, lics, today), applications=apps, licences=lics
    )


def ship_public(r: ShipResult, lic: Licence | None) -> ShipResultPublic:
    return ShipResultPublic(
        shipment_id=r.shipment_id,
        licence_id=r.licence_id,
        accepted=r.accepted,
        booked=r.entry is not None,
        violations=[ViolationPublic(code=v.code.value, message=v.message) for v in r.violations],
        entry=entry_public(r.entry) if r.entry else None,
        balance=balance_public(lic, r.balance) if r.balance and lic else None,
        determination=r.determination,
        duplicate=r.duplicate,
    )


def record_shipment(ws: Workspace, body: ShipmentCreate, actor: str) -> ShipResultPublic:
    s = ShipmentInput(
        shipment_id=body.shipment_id.strip(),
        part_id=body.part_id.strip(),
        quantity=body.quantity,
        value=body.value,
        currency=body.currency,
        exporter=body.exporter.strip(),
        consignee=body.consignee.strip(),
        end_user=body.end_user.strip(),
        destination=body.destination.strip(),
        shipped_on=body.shipped_on,
        end_use=body.end_use,
    )
    lid = (body.licence_id or "").strip() or None
    if lid and not s.destination and not s.end_user and not s.consignee:
        raise InputError(
            f"shipment {s.shipment_id}: give the destination country",
            [Problem("destination", None, None, "ISO 3166 alpha-2 code, e.g. PL")],
        )
    result = ws.licensing.ship(s, lid, actor=actor, reason=body.reason.strip())
    lic = ws.licensing.licence(lid).licence if lid and result.balance else None
    return ship_public(result, lic)


def reverse_drawdown(
    ws: Workspace, licence_id: str, entry_id: int, reason: str, actor: str
) -> ReversalPublic:
    """Cancel drawdown ``entry_id`` of ``licence_id`` with a reversal entry (audited)."""
    entry = ws.licensing.reverse(entry_id, actor=actor, reason=reason, licence_id=licence_id)
    v = ws.licensing.licence(licence_id)
    balance = next(b for b in v.balances if b.item_no == entry.item_no)
    return ReversalPublic(
        licence_id=licence_id,
        reverses=entry_id,
        entry=entry_public(entry),
        balance=balance_public(v.licence, balance),
    )


def _today(ws: Workspace, today: date | None) -> date:
    """The date asked for, else today in China Standard Time from the workspace clock."""
    return today or ws.clock.today()


@dataclass(frozen=True, slots=True)
class Packet:
    body: bytes
    filename: str
    media_type: str


def packet(ws: Workspace, settings: Settings, application_id: int, kind: str) -> Packet:
    v = ws.licensing.application(application_id)
    with tempfile.TemporaryDirectory(prefix="raretrace-packet-") as tmp:
        if kind == "pdf":
            path = packets.write_pdf(
                v,
                FsPath(tmp) / "packet.pdf",
                generated_at=ws.clock.now(),
                font_path=settings.cjk_font_path,
            )
            media = "application/pdf"
        else:
            path = packets.write_xlsx(v, FsPath(tmp) / "packet.xlsx")
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Packet(path.read_bytes(), f"application-{application_id}.{kind}", media)


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
    page = licences_overview(ws, _today(ws, today))
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
    page = application_view(ws, application_id, _today(ws, today))
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
    page = licence_view(ws, licence_id, _today(ws, today))
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
    return licences_overview(ws, _today(ws, today))


@api.get("/licences/applications/{application_id}")
def application_api(
    _user: Viewer, ws: WorkspaceDep, application_id: AppId, today: Today = None
) -> ApplicationPublic:
    return application_view(ws, application_id, _today(ws, today))


@api.post("/licences/applications/{application_id}/documents", status_code=201)
def document_api(
    user: Editor, ws: WorkspaceDep, application_id: AppId, body: DocumentCreate
) -> ApplicationPublic:
    _document(ws, application_id, body, user.username)
    return application_view(ws, application_id, _today(ws, None))


@api.post("/licences/applications/{application_id}/status", status_code=201)
def status_api(
    user: Editor, ws: WorkspaceDep, application_id: AppId, body: StatusCreate
) -> ApplicationPublic:
    _set_status(ws, application_id, body.status, body.note, user.username)
    return application_view(ws, application_id, _today(ws, None))


@api.get("/licences/{licence_id}")
def licence_api(
    _user: Viewer, ws: WorkspaceDep, licence_id: LicenceId, today: Today = None
) -> LicencePublic:
    return licence_view(ws, licence_id, _today(ws, today))


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
