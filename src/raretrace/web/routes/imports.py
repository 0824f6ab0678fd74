"""Import a bundle: upload, see every located problem before anything is written,
then confirm. Uploads are staged in a private temporary folder shared by all workers
of this machine and removed after an hour."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import stat
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse

from raretrace.domain.network_changes import NetworkChanges
from raretrace.domain.users import User
from raretrace.errors import BundleError, InputError, NotFoundError, Problem, StorageError
from raretrace.services.formats.uploads import unpack_upload
from raretrace.settings import Settings
from raretrace.web.deps import Editor, SettingsDep, WorkspaceDep, render
from raretrace.web.schemas import (
    ImportPreviewPublic,
    ImportResultPublic,
    ProblemPublic,
    TableChangesPublic,
)
from raretrace.workspace import Workspace

pages = APIRouter(tags=["import"])
api = APIRouter(tags=["import"])

STAGING_TTL_S = 3600
_CHUNK = 1 << 20


def staging_root() -> Path:
    """The private staging folder (one per system user, in the temporary folder).

    It must be a real folder owned by this user and closed to everyone else: in a
    shared ``/tmp`` another user could have created it first (or put a symlink there)
    to read or swap the uploads. A folder of ours that is too open is closed; anything
    else is refused."""
    root = Path(tempfile.gettempdir()) / f"raretrace-uploads-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        root.mkdir(mode=0o700)
    info = root.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise StorageError(
            f"upload staging folder {root} is not a folder owned by this user; "
            "remove it and try again"
        )
    if stat.S_IMODE(info.st_mode) & 0o077:
        root.chmod(0o700)
    return root


def sweep_staging(root: Path, now: datetime) -> None:
    """Remove staged uploads older than ``STAGING_TTL_S`` at ``now`` (the workspace
    clock), never confirmed or applied."""
    cutoff = now.timestamp() - STAGING_TTL_S
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def write_upload(upload: UploadFile, path: Path, settings: Settings) -> None:
    """Stream ``upload`` to ``path`` in its staging folder; over the size limit, the
    folder is removed and an ``InputError`` says so."""
    limit = _limit(settings)
    written = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                shutil.rmtree(path.parent, ignore_errors=True)
                raise InputError(f"the upload is over the {settings.web_max_upload_mb:g} MiB limit")
            out.write(chunk)


def _limit(settings: Settings) -> int:
    return int(settings.web_max_upload_mb * 1024 * 1024)


def stage(upload: UploadFile, settings: Settings, now: datetime) -> tuple[str, Path]:
    """Copy the upload into a fresh staging folder and unpack it there."""
    root = staging_root()
    sweep_staging(root, now)
    upload_id = secrets.token_urlsafe(16)
    folder = root / upload_id
    folder.mkdir(mode=0o700)
    raw = folder / "upload.bin"
    limit = _limit(settings)
    write_upload(upload, raw, settings)
    name = Path(upload.filename or "upload").name
    try:
        bundle = unpack_upload(raw, name, folder / "unpacked", max_bytes=limit)
    except InputError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    raw.unlink()
    return upload_id, bundle


def preview(
    ws: Workspace, upload: UploadFile, settings: Settings, replace: bool, user: User
) -> ImportPreviewPublic:
    upload_id, bundle = stage(upload, settings, ws.clock.now())
    name = Path(upload.filename or "upload").name
    checked = ws.imports.check_bundle(bundle, replace=replace)
    folder = staging_root() / upload_id
    if not checked.ok:
        shutil.rmtree(folder, ignore_errors=True)
        problems = [ProblemPublic.model_validate(p) for p in checked.problems]
        return ImportPreviewPublic(
            filename=name, ok=False, replace=replace, rows=checked.rows, problems=problems
        )
    meta = {"user_id": user.user_id, "filename": name, "replace": replace, "bundle": str(bundle)}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return ImportPreviewPublic(
        filename=name,
        ok=True,
        replace=replace,
        rows=checked.rows,
        problems=[],
        upload_id=upload_id,
        changes=_changes(checked.changes),
    )


def _changes(changes: NetworkChanges | None) -> dict[str, TableChangesPublic] | None:
    if changes is None:
        return None
    return {t: TableChangesPublic.model_validate(c) for t, c in changes.tables.items()}


def staged(upload_id: str, user: User, what: str = "upload") -> tuple[Path, dict[str, Any]]:
    """The folder and ``meta.json`` of ``user``'s staged ``what`` (NotFoundError for a
    malformed id, an expired or missing upload, or another user's)."""
    if not upload_id.replace("-", "").replace("_", "").isalnum():
        raise NotFoundError(f"no such staged {what}")
    folder = staging_root() / upload_id
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise NotFoundError(f"no such staged {what} (it may have expired)") from None
    if meta["user_id"] != user.user_id:
        raise NotFoundError(f"no such staged {what}")
    return folder, meta


def confirm(ws: Workspace, upload_id: str, user: User) -> ImportResultPublic:
    folder, meta = staged(upload_id, user)
    try:
        return run_import(ws, Path(meta["bundle"]), meta["filename"], meta["replace"], user)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_import(
    ws: Workspace, bundle: Path, filename: str, replace: bool, user: User
) -> ImportResultPublic:
    report = ws.imports.import_bundle(bundle, replace=replace, actor=user.username, source=filename)
    return ImportResultPublic(
        filename=filename,
        rows=report.rows,
        replaced=replace,
        revision=report.revision,
        changes=_changes(report.changes),
        changed=report.changes.any,
    )


@pages.get("/import", response_class=HTMLResponse)
def import_form(request: Request, user: Editor, settings: SettingsDep) -> HTMLResponse:
    return render(request, "import.html", user, preview=None, result=None, settings=settings)


@pages.post("/import", response_class=HTMLResponse)
def import_preview_page(
    request: Request,
    user: Editor,
    ws: WorkspaceDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="A .zip of CSV files or an .xlsx workbook.")],
    replace: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    result = preview(ws, file, settings, replace, user)
    status = 200 if result.ok else 422
    return render(
        request, "import.html", user, status, preview=result, result=None, settings=settings
    )


@pages.post("/import/confirm", response_class=HTMLResponse)
def import_confirm_page(
    request: Request,
    user: Editor,
    ws: WorkspaceDep,
    settings: SettingsDep,
    upload_id: Annotated[str, Form(max_length=64)],
) -> HTMLResponse:
    result = confirm(ws, upload_id, user)
    return render(request, "import.html", user, preview=None, result=result, settings=settings)


@api.post("/import", responses={422: {"description": "Located problems; nothing written."}})
def import_api(
    user: Editor,
    ws: WorkspaceDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="A .zip of CSV files or an .xlsx workbook.")],
    replace: Annotated[bool, Query(description="Replace the whole network.")] = False,
    dry_run: Annotated[bool, Query(description="Only check; write nothing.")] = False,
) -> ImportPreviewPublic | ImportResultPublic:
    checked = preview(ws, file, settings, replace, user)
    if checked.upload_id is None and not dry_run:
        raise BundleError(
            f"{checked.filename}: {len(checked.problems)} problem(s); nothing was written",
            [Problem(p.file, p.row, p.column, p.message) for p in checked.problems],
        )
    if dry_run:
        if checked.upload_id:
            shutil.rmtree(staging_root() / checked.upload_id, ignore_errors=True)
        return checked.model_copy(update={"upload_id": None})
    assert checked.upload_id is not None
    return confirm(ws, checked.upload_id, user)
