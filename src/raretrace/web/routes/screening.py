"""Restricted-party screening: list versions, the latest run's hits with their
feature-by-feature explanation, running a screening and deciding hits (editors), and
the audit trail as CSV."""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import Field

from raretrace.domain.screening import FORMAT_NAMES, AuditRow, Hit, ListFormat
from raretrace.errors import InputError, Problem
from raretrace.screening import DEFAULT_THRESHOLD, REVIEW_THRESHOLD
from raretrace.screening.explain import summary
from raretrace.services.formats.formula_guard import csv_cell
from raretrace.services.screening.use_cases import AUDIT_COLUMNS
from raretrace.settings import Settings
from raretrace.web import charts
from raretrace.web.deps import Editor, SettingsDep, Viewer, WorkspaceDep, render
from raretrace.web.schemas import ScreeningAuditRowPublic
from raretrace.web.schemas_screening import (
    BulkDecisionCreate,
    DecisionCreate,
    HitPublic,
    ListVersionPublic,
    ScreeningPublic,
    ScreeningRunCreate,
    ScreeningRunSummaryPublic,
)
from raretrace.workspace import Workspace

pages = APIRouter(tags=["screening"])
api = APIRouter(tags=["screening"])

HitId = Annotated[int, Path(title="Hit id", ge=1, le=2**31 - 1, description="A screening hit.")]
#: The screening page shows at most this many hits of the latest run.
MAX_HITS = 500


def hit_public(hit: Hit, *, with_chart: bool = False) -> HitPublic:
    decision = hit.decision
    return HitPublic(
        hit_id=hit.hit_id,
        kind=hit.kind.value,
        status=hit.status,
        subject=hit.subject.name,
        party_id=hit.subject.party_id,
        subject_country=hit.subject.country,
        list_name=hit.list_name,
        entry_name=hit.entry.name,
        entry_countries=list(hit.entry.countries),
        entry_programs=list(hit.entry.programs),
        entry_source=hit.entry.source,
        license_policy=hit.entry.license_policy,
        entry_dates_of_birth=list(hit.entry.dates_of_birth),
        matched_name=hit.matched_name,
        score=hit.score,
        threshold=hit.threshold,
        features=[
            {
                "feature": f.feature,
                "weight": f.weight,
                "value": f.value,
                "contribution": f.contribution,
                "detail": f.detail,
            }
            for f in hit.features
        ],
        path=[f"{p.owner_party_id} holds {p.pct:g}% of {p.owned_party_id}" for p in hit.path],
        decision=None
        if decision is None
        else {
            "is_match": decision.is_match,
            "reason": decision.reason,
            "decided_by": decision.decided_by,
            "decided_at": decision.decided_at,
        },
        chart=charts.feature_bar(
            [(f.feature, f.contribution) for f in hit.features if f.feature != "ownership"],
            hit.score,
            hit.threshold,
        )
        if with_chart
        else None,
        band=hit.band,
        why=summary(hit.features) if hit.band == "review" else "",
    )


def _latest_run(audit: list[AuditRow]) -> tuple[AuditRow | None, list[int]]:
    runs = [r for r in audit if r.action == "screen" and r.run_id is not None]
    if not runs:
        return None, []
    latest = max(runs, key=lambda r: r.run_id or 0)
    hit_ids = [
        r.hit_id
        for r in audit
        if r.action == "hit" and r.run_id == latest.run_id and r.hit_id is not None
    ]
    return latest, hit_ids[:MAX_HITS]


def screening_view(ws: Workspace) -> ScreeningPublic:
    audit = ws.screening.audit()
    latest, hit_ids = _latest_run(audit)
    hits = [hit_public(ws.screening.hit(i)) for i in hit_ids]
    hits.sort(key=lambda h: (h.band != "hit", h.status != "open", -h.score, h.subject))
    return ScreeningPublic(
        lists=[
            ListVersionPublic.model_validate(v, from_attributes=True)
            for v in sorted(ws.screening.lists(), key=lambda v: (v.list_name, v.loaded_at))
        ],
        latest_run=None
        if latest is None
        else ScreeningRunSummaryPublic(
            run_id=latest.run_id, at=latest.at, actor=latest.actor, detail=latest.detail
        ),
        hits=hits,
        open_hits=sum(h.status == "open" and h.band == "hit" for h in hits),
        default_threshold=DEFAULT_THRESHOLD,
    )


def open_hit_count(ws: Workspace) -> tuple[bool, int]:
    """(screened at all, open hits of the latest run): for the dashboard."""
    view = screening_view(ws)
    return view.latest_run is not None, view.open_hits


def _audit_csv(rows: list[AuditRow]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(AUDIT_COLUMNS)
    for r in rows:
        cells = []
        for c in AUDIT_COLUMNS:
            v = getattr(r, c)
            text = "" if v is None else v.isoformat() if isinstance(v, date | datetime) else v
            cells.append(csv_cell(text))  # no formulas in a spreadsheet
        writer.writerow(cells)
    return buf.getvalue()


def _import_list(
    ws: Workspace, settings: Settings, upload: UploadFile, fmt: str, list_name: str, actor: str
) -> None:
    name = list_name.strip()
    if not name:
        raise InputError("a list name is required", [Problem("list_name", None, None, "empty")])
    limit = int(settings.web_max_upload_mb * 1024 * 1024)
    suffix = {ListFormat.FTM.value: ".jsonl", ListFormat.UN.value: ".xml"}.get(fmt, ".csv")
    if fmt == ListFormat.UK.value:  # read by its content: a workbook or CSV
        suffix = ".xlsx" if FsPath(upload.filename or "").suffix.lower() == ".xlsx" else ".csv"
    with tempfile.TemporaryDirectory(prefix="raretrace-list-") as tmp:
        path = FsPath(tmp) / f"list{suffix}"
        size = 0
        with path.open("wb") as out:
            while chunk := upload.file.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise InputError(f"the list file is over the {limit} byte limit")
                out.write(chunk)
        source = FsPath(upload.filename or f"upload{suffix}").name  # never the temp path
        try:
            ws.screening.import_list(path, fmt=fmt, list_name=name, actor=actor, source=source)
        except InputError as exc:  # name the file as the user knows it
            problems = [replace(p, file=source) for p in exc.problems]
            raise InputError(str(exc).replace(str(path), source), problems) from None


# -- pages -------------------------------------------------------------------------------


@pages.get("/screening", response_class=HTMLResponse)
def screening_page(request: Request, user: Viewer, ws: WorkspaceDep) -> HTMLResponse:
    formats = [(f.value, f"{f.value}: {FORMAT_NAMES[f]}") for f in ListFormat]
    return render(request, "screening.html", user, page=screening_view(ws), formats=formats)


@pages.post("/screening/run")
def run_form(
    user: Editor,
    ws: WorkspaceDep,
    threshold: Annotated[float, Form(gt=0, le=1)] = DEFAULT_THRESHOLD,
    review: Annotated[bool, Form()] = False,
) -> RedirectResponse:
    ws.screening.screen_parties(
        None,
        threshold=threshold,
        actor=user.username,
        review_threshold=min(REVIEW_THRESHOLD, threshold) if review else None,
    )
    return RedirectResponse("/screening", status_code=303)


@pages.post("/screening/decisions")
def bulk_decide_form(
    user: Editor,
    ws: WorkspaceDep,
    hit_ids: Annotated[
        list[Annotated[int, Field(ge=1, le=2**31 - 1)]], Form(min_length=1, max_length=1000)
    ],
    verdict: Annotated[str, Form(pattern="^(match|no-match)$")],
    reason: Annotated[str, Form(min_length=1, max_length=2000)],
) -> RedirectResponse:
    """Decide the selected hits at once, with one reason (all or none)."""
    ws.screening.decide_many(hit_ids, is_match=verdict == "match", reason=reason, by=user.username)
    return RedirectResponse("/screening", status_code=303)


@pages.post("/screening/lists")
def list_form(
    user: Editor,
    ws: WorkspaceDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
    fmt: Annotated[ListFormat, Form()],
    list_name: Annotated[str, Form(max_length=200)],
) -> RedirectResponse:
    _import_list(ws, settings, file, fmt.value, list_name, user.username)
    return RedirectResponse("/screening", status_code=303)


@pages.get("/screening/hits/{hit_id}", response_class=HTMLResponse)
def hit_page(request: Request, user: Viewer, ws: WorkspaceDep, hit_id: HitId) -> HTMLResponse:
    page = hit_public(ws.screening.hit(hit_id), with_chart=True)
    return render(request, "screening_hit.html", user, page=page)


@pages.post("/screening/hits/{hit_id}/decision")
def decide_form(
    user: Editor,
    ws: WorkspaceDep,
    hit_id: HitId,
    verdict: Annotated[str, Form(pattern="^(match|no-match)$")],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    ws.screening.decide(hit_id, is_match=verdict == "match", reason=reason, by=user.username)
    return RedirectResponse(f"/screening/hits/{hit_id}", status_code=303)


@pages.get("/screening/audit.csv", response_class=Response)
def audit_csv(_user: Viewer, ws: WorkspaceDep) -> Response:
    return Response(
        _audit_csv(ws.screening.audit()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="screening-audit.csv"'},
    )


# -- JSON twins --------------------------------------------------------------------------


@api.get("/screening")
def screening_api(_user: Viewer, ws: WorkspaceDep) -> ScreeningPublic:
    return screening_view(ws)


@api.post("/screening/runs", status_code=201)
def run_api(user: Editor, ws: WorkspaceDep, body: ScreeningRunCreate) -> ScreeningPublic:
    ws.screening.screen_parties(
        None,
        threshold=body.threshold,
        actor=user.username,
        review_threshold=body.review_threshold,
    )
    return screening_view(ws)


@api.post("/screening/decisions", status_code=201)
def bulk_decide_api(user: Editor, ws: WorkspaceDep, body: BulkDecisionCreate) -> list[HitPublic]:
    """JSON twin of the bulk decision form: the decided hits."""
    ws.screening.decide_many(
        body.hit_ids, is_match=body.is_match, reason=body.reason, by=user.username
    )
    return [hit_public(ws.screening.hit(h)) for h in dict.fromkeys(body.hit_ids)]


@api.get("/screening/hits/{hit_id}")
def hit_api(_user: Viewer, ws: WorkspaceDep, hit_id: HitId) -> HitPublic:
    return hit_public(ws.screening.hit(hit_id), with_chart=True)


@api.post("/screening/hits/{hit_id}/decision", status_code=201)
def decide_api(user: Editor, ws: WorkspaceDep, hit_id: HitId, body: DecisionCreate) -> HitPublic:
    ws.screening.decide(hit_id, is_match=body.is_match, reason=body.reason, by=user.username)
    return hit_public(ws.screening.hit(hit_id), with_chart=True)


@api.get("/screening/audit")
def audit_api(_user: Viewer, ws: WorkspaceDep) -> list[ScreeningAuditRowPublic]:
    return [
        ScreeningAuditRowPublic.model_validate(r, from_attributes=True)
        for r in ws.screening.audit()
    ]
