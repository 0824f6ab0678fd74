"""Supplier surveys: campaign status (sent, answered, overdue), a pre-filled workbook
per supplier, and returned workbooks checked (every problem located by sheet, row and
column) and previewed as a diff before they are applied.

Returned workbooks are staged like bundles (``routes.imports.staging_root``): private,
shared by the workers of this machine, removed after an hour.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

from raretrace.domain.users import User, UserRole
from raretrace.errors import InputError, Problem
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.services.network.supplier_data import ChangeSet
from raretrace.services.survey import amrt as amrt_service
from raretrace.services.survey import priorities as survey_priorities
from raretrace.settings import Settings
from raretrace.web.deps import Editor, IndexDep, SettingsDep, Viewer, WorkspaceDep, render
from raretrace.web.routes.imports import staged, staging_root, sweep_staging, write_upload
from raretrace.web.schemas import ProblemPublic
from raretrace.web.schemas_survey import (
    CampaignRowPublic,
    ConflictPublic,
    FieldChangePublic,
    RecordChangePublic,
    SupplierChoicePublic,
    SupplierStatusPublic,
    SurveyPreviewPublic,
    SurveyRequestCreate,
    SurveysPublic,
)
from raretrace.workspace import Workspace

pages = APIRouter(tags=["surveys"])
api = APIRouter(tags=["surveys"])

RequestId = Annotated[
    int, PathParam(title="Survey request", ge=1, le=2**31 - 1, description="A request's number.")
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CHANGES_SHOWN = 500


def suppliers(idx: NetworkIndex) -> list[SupplierChoicePublic]:
    """Parties whose sites supply a part somewhere in the network."""
    net = idx.network
    owner = {s.site_id: s.party_id for s in net.sites}
    parts: dict[str, set[str]] = {}
    for lk in net.supply:
        pid = owner.get(lk.supplier_site_id)
        if pid is not None:
            parts.setdefault(pid, set()).add(lk.part_id)
    rows = [
        SupplierChoicePublic(
            party_id=p.party_id, name=p.name, country=p.country, parts=len(parts[p.party_id])
        )
        for p in net.parties
        if p.party_id in parts
    ]
    return sorted(rows, key=lambda r: (r.name.lower(), r.party_id))


def surveys_view(ws: Workspace, idx: NetworkIndex, settings: Settings) -> SurveysPublic:
    today = ws.clock.today()
    responses = ws.surveys.responses()
    status = survey_priorities.supplier_status(idx.network, responses)
    public = [SupplierStatusPublic.model_validate(s) for s in status]
    first = {s.party_id for s in survey_priorities.ask_first(status)}
    rows = [
        CampaignRowPublic.model_validate(r).model_copy(
            update={"workbook_url": _workbook_url(r.request_id) if r.sha256 else None}
        )
        for r in ws.surveys.campaign(today=today)
    ]
    return SurveysPublic(
        as_of=today,
        sent=len(rows),
        answered=sum(r.status == "answered" for r in rows),
        overdue=sum(r.status == "overdue" for r in rows),
        campaign=rows,
        suppliers=suppliers(idx),
        max_upload_mb=settings.web_max_upload_mb,
        supplier_status=public,
        ask_first=sorted(
            (s for s in public if s.party_id in first),
            key=lambda s: (-s.unexplained_kg_per_year, -len(s.missing), s.party_id),
        ),
    )


def _workbook_url(request_id: int | None) -> str:
    return f"/api/v1/surveys/requests/{request_id}/workbook"


def make_workbook(ws: Workspace, user: User, body: SurveyRequestCreate) -> Response:
    """Write the supplier's pre-filled workbook, record the request (with the workbook,
    under its file name) and send it. The file is written in a temporary folder that is
    gone before the response is sent."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", body.supplier)[:80] or "supplier"
    with tempfile.TemporaryDirectory(prefix="raretrace-survey-") as folder:
        path = Path(folder) / f"survey-{safe}.xlsx"
        request = ws.surveys.make(
            body.supplier, path, campaign=body.campaign, due_days=body.due_days
        )
        data = path.read_bytes()
    ws.users.record(
        user.username,
        "survey.make",
        body.supplier,
        f"campaign={body.campaign}, due in {body.due_days} days, "
        f"request {request.request_id} ({request.file})",
    )
    return workbook_response(data, request.file)


def workbook_response(data: bytes, name: str) -> Response:
    """An .xlsx download named ``name`` (reduced to safe characters)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:120] or "survey.xlsx"
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )


def sent_workbook(ws: Workspace, request_id: int) -> Response:
    request, data = ws.surveys.workbook(request_id)
    return workbook_response(data, request.file)


def _stage(upload: UploadFile, settings: Settings, now: datetime) -> tuple[str, Path]:
    root = staging_root()
    sweep_staging(root, now)
    upload_id = secrets.token_urlsafe(16)
    folder = root / upload_id
    folder.mkdir(mode=0o700)
    name = Path(upload.filename or "survey.xlsx").name or "survey.xlsx"
    if not name.lower().endswith(".xlsx"):
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError(f"{name}: a returned survey is an .xlsx workbook")
    path = folder / name
    write_upload(upload, path, settings)
    return upload_id, path


def _shown(text: str, path: Path) -> str:
    """Problems name the file as the user knows it, not the staging path."""
    return text.replace(str(path), path.name)


def _changes(changes: ChangeSet) -> list[RecordChangePublic]:
    return [
        RecordChangePublic(
            table=c.table,
            key=list(c.key),
            action=c.action,
            fields=[
                FieldChangePublic(field=f.field, old=_text(f.old), new=_text(f.new))
                for f in c.fields
            ],
        )
        for c in changes.changes[:MAX_CHANGES_SHOWN]
    ]


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, tuple):
        return ";".join(map(str, v))
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(getattr(v, "value", v))


def _amrt_report(ws: Workspace, path: Path, *, apply: bool) -> SurveyPreviewPublic:
    """An RMI AMRT return: its rare-earth smelters and what they add to the network."""
    report = ws.surveys.read_amrt(path, apply=apply, name=path.name)
    changes = _changes(report.changes)
    return SurveyPreviewPublic(
        filename=path.name,
        ok=True,
        problems=[],
        suppliers=[report.supplier_party_id],
        counts=report.changes.counts(),
        changes=changes,
        unchanged=report.changes.unchanged,
        conflicts=[],
        held=[],
        applied=report.changes.applied,
        revision=report.changes.revision,
        notes=[_shown(n, path) for n in (*report.linked, *report.notes)],
    )


def _report(ws: Workspace, path: Path, *, apply: bool) -> SurveyPreviewPublic:
    try:
        template = amrt_service.template_of(path)
        if template is not None and template.covers_rare_earths:
            return _amrt_report(ws, path, apply=apply)
        report = ws.surveys.read([path], apply=apply, names=[path.name])
    except InputError as exc:
        problems = [
            ProblemPublic(
                file=_shown(p.file, path),
                row=p.row,
                column=p.column,
                message=_shown(p.message, path),
            )
            for p in (exc.problems or [Problem(path.name, None, None, str(exc))])
        ]
        return SurveyPreviewPublic(
            filename=path.name,
            ok=False,
            problems=problems,
            suppliers=[],
            counts={},
            changes=[],
            unchanged=0,
            conflicts=[],
            held=[],
        )
    conflicts = [
        ConflictPublic(
            table=c.table,
            key=list(c.key),
            field=c.field,
            answers=[
                _shown(f"{a.supplier_party_id} says {a.value!r} ({a.where})", path)
                for a in c.answers
            ],
        )
        for c in report.conflicts
    ]
    return SurveyPreviewPublic(
        filename=path.name,
        ok=True,
        problems=[],
        suppliers=report.suppliers,
        counts=report.changes.counts(),
        changes=_changes(report.changes),
        unchanged=report.changes.unchanged,
        conflicts=conflicts,
        held=report.held,
        applied=report.changes.applied,
        revision=report.changes.revision,
    )


def preview(
    ws: Workspace, upload: UploadFile, settings: Settings, user: User
) -> SurveyPreviewPublic:
    upload_id, path = _stage(upload, settings, ws.clock.now())
    result = _report(ws, path, apply=False)
    if not result.ok:
        shutil.rmtree(path.parent, ignore_errors=True)
        return result
    meta = {"user_id": user.user_id, "path": str(path)}
    (path.parent / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return result.model_copy(update={"upload_id": upload_id})


def apply(ws: Workspace, upload_id: str, user: User) -> SurveyPreviewPublic:
    folder, meta = staged(upload_id, user, "survey")
    path = Path(meta["path"])
    try:
        result = _report(ws, path, apply=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if result.ok:
        counts = ", ".join(f"{t}: {d}" for t, d in result.counts.items())
        ws.users.record(
            user.username,
            "survey.apply",
            path.name,
            f"suppliers={','.join(result.suppliers)}; {counts}",
        )
    return result


# -- pages --------------------------------------------------------------------------


def _page(
    request: Request,
    user: User,
    ws: Workspace,
    idx: NetworkIndex,
    settings: Settings,
    status: int = 200,
    result: SurveyPreviewPublic | None = None,
) -> HTMLResponse:
    return render(
        request,
        "surveys/index.html",
        user,
        status,
        page=surveys_view(ws, idx, settings),
        result=result,
        can_write=user.role.allows(UserRole.EDITOR),
    )


@pages.get("/surveys", response_class=HTMLResponse)
def surveys_page(
    request: Request, user: Viewer, ws: WorkspaceDep, idx: IndexDep, settings: SettingsDep
) -> HTMLResponse:
    return _page(request, user, ws, idx, settings)


@pages.post("/surveys/requests", response_class=Response)
def make_survey_page(
    user: Editor,
    ws: WorkspaceDep,
    supplier: Annotated[str, Form(min_length=1, max_length=200)],
    due_days: Annotated[int, Form(ge=1, le=365)] = 30,
) -> Response:
    return make_workbook(ws, user, SurveyRequestCreate(supplier=supplier, due_days=due_days))


@pages.get("/surveys/requests/{request_id}/workbook", response_class=Response)
def sent_workbook_page(_user: Viewer, ws: WorkspaceDep, request_id: RequestId) -> Response:
    return sent_workbook(ws, request_id)


@pages.post("/surveys/responses", response_class=HTMLResponse)
def survey_preview_page(
    request: Request,
    user: Editor,
    ws: WorkspaceDep,
    idx: IndexDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="A returned survey workbook (.xlsx).")],
) -> HTMLResponse:
    try:
        result = preview(ws, file, settings, user)
    except InputError as exc:
        result = SurveyPreviewPublic(
            filename=Path(file.filename or "").name,
            ok=False,
            problems=[
                ProblemPublic(
                    file=Path(file.filename or "").name,
                    row=None,
                    column=None,
                    message=str(exc).splitlines()[0],
                )
            ],
            suppliers=[],
            counts={},
            changes=[],
            unchanged=0,
            conflicts=[],
            held=[],
        )
    return _page(request, user, ws, idx, settings, 200 if result.ok else 422, result)


@pages.post("/surveys/responses/apply", response_class=HTMLResponse)
def survey_apply_page(
    request: Request,
    user: Editor,
    ws: WorkspaceDep,
    settings: SettingsDep,
    upload_id: Annotated[str, Form(max_length=64)],
) -> HTMLResponse:
    result = apply(ws, upload_id, user)
    idx = request.app.state.index_cache.get(ws)  # the network just changed
    return _page(request, user, ws, idx, settings, 200 if result.ok else 422, result)


# -- JSON twins ---------------------------------------------------------------------


@api.get("/surveys")
def surveys_api(
    _user: Viewer, ws: WorkspaceDep, idx: IndexDep, settings: SettingsDep
) -> SurveysPublic:
    return surveys_view(ws, idx, settings)


@api.post(
    "/surveys/requests",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The pre-filled workbook."}},
)
def make_survey_api(user: Editor, ws: WorkspaceDep, body: SurveyRequestCreate) -> Response:
    return make_workbook(ws, user, body)


@api.get(
    "/surveys/requests/{request_id}/workbook",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The workbook as it was sent."}},
)
def sent_workbook_api(_user: Viewer, ws: WorkspaceDep, request_id: RequestId) -> Response:
    """The workbook of a survey request, byte for byte as it was sent."""
    return sent_workbook(ws, request_id)


@api.post(
    "/surveys/responses",
    responses={422: {"description": "Located problems; nothing written."}},
)
def survey_response_api(
    user: Editor,
    ws: WorkspaceDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="A returned survey workbook (.xlsx).")],
    dry_run: Annotated[bool, Query(description="Only check and show the diff.")] = True,
) -> SurveyPreviewPublic:
    checked = preview(ws, file, settings, user)
    if not checked.ok:
        raise InputError(
            f"{checked.filename}: {len(checked.problems)} problem(s); nothing was written",
            [Problem(p.file, p.row, p.column, p.message) for p in checked.problems],
        )
    assert checked.upload_id is not None
    if dry_run:
        shutil.rmtree(staging_root() / checked.upload_id, ignore_errors=True)
        return checked.model_copy(update={"upload_id": None})
    return apply(ws, checked.upload_id, user)
