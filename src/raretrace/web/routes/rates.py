"""Exchange rates: the rate tables kept in the workspace (user-supplied; raretrace ships
none), uploading a rates CSV file (editors; every problem located, nothing stored from a
bad file), and their JSON twins. The part page applies a chosen table (``?rates=ID``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from raretrace.domain.currency import StoredRates
from raretrace.domain.users import User, UserRole
from raretrace.errors import InputError, Problem
from raretrace.services.rates.tables import MAX_FILE_BYTES
from raretrace.web.deps import Editor, Viewer, WorkspaceDep, render
from raretrace.web.schemas import ProblemPublic, RatesListPublic, RatesPublic
from raretrace.workspace import Workspace

pages = APIRouter(tags=["rates"])
api = APIRouter(tags=["rates"])

RatesId = Annotated[
    int, PathParam(title="Rate table", ge=1, le=2**31 - 1, description="A stored table's id.")
]
RatesFile = Annotated[UploadFile, File(description="A rates CSV file (docs/rates.md).")]


def rates_public(s: StoredRates) -> RatesPublic:
    x = s.rates
    assert s.rates_id is not None
    return RatesPublic(
        rates_id=s.rates_id,
        name=s.name,
        sha256=s.sha256,
        base=x.base,
        as_of=x.as_of,
        source=x.source,
        rates={c: v if isinstance(v, Decimal) else Decimal(str(v)) for c, v in x.rates.items()},
        stored_by=s.stored_by,
        stored_at=s.stored_at,
    )


def rates_list(ws: Workspace) -> RatesListPublic:
    return RatesListPublic(tables=[rates_public(s) for s in ws.exchange_rates.list()])


def store(ws: Workspace, upload: UploadFile, user: User) -> RatesPublic:
    """Read the upload (at most the parser's limit, plus one byte to notice more) and
    keep it as a new table; ``InputError`` with located problems otherwise."""
    name = Path(upload.filename or "rates.csv").name[:200] or "rates.csv"
    data = upload.file.read(MAX_FILE_BYTES + 1)
    return rates_public(ws.exchange_rates.store(data, name, actor=user.username))


@pages.get("/rates", response_class=HTMLResponse)
def rates_page(request: Request, user: Viewer, ws: WorkspaceDep) -> HTMLResponse:
    return _page(request, user, ws)


def _page(
    request: Request,
    user: User,
    ws: Workspace,
    *,
    error: InputError | None = None,
    filename: str = "",
) -> HTMLResponse:
    problems = [
        ProblemPublic(file=p.file, row=p.row, column=p.column, message=p.message)
        for p in (error.problems if error else [])
    ]
    return render(
        request,
        "rates.html",
        user,
        status_code=422 if error else 200,
        page=rates_list(ws),
        can_write=user.role.allows(UserRole.EDITOR),
        error=str(error).splitlines()[0] if error else None,
        problems=problems,
        filename=filename,
    )


@pages.post("/rates", response_class=HTMLResponse)
def upload_page(request: Request, user: Editor, ws: WorkspaceDep, file: RatesFile) -> Response:
    """Store the table and show it, or list every problem (422; nothing stored)."""
    try:
        stored = store(ws, file, user)
    except InputError as exc:
        if not exc.problems:
            name = Path(file.filename or "").name
            exc = InputError(str(exc), [Problem(name, None, None, str(exc))])
        return _page(request, user, ws, error=exc, filename=Path(file.filename or "").name)
    return RedirectResponse(f"/rates#rates-{stored.rates_id}", status_code=303)


@api.get("/rates")
def rates_api(_user: Viewer, ws: WorkspaceDep) -> RatesListPublic:
    return rates_list(ws)


@api.get("/rates/{rates_id}")
def rate_table_api(_user: Viewer, ws: WorkspaceDep, rates_id: RatesId) -> RatesPublic:
    return rates_public(ws.exchange_rates.get(rates_id))


@api.post(
    "/rates",
    status_code=201,
    responses={422: {"description": "Located problems (file, row, column); nothing stored."}},
)
def upload_api(user: Editor, ws: WorkspaceDep, file: RatesFile) -> RatesPublic:
    """Check a rates CSV file and keep it as a new table (tables are never changed)."""
    return store(ws, file, user)
