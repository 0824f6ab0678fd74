"""What the survey campaign stores when used from the web: the workbook's file name and
its bytes (downloadable again, byte for byte), never a temporary folder; returned
workbooks are stored under the uploaded name, not the staging path; temporary folders
are gone once the response is sent."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from factories import TINY, write_bundle_files
from raretrace.domain.surveys import SurveyRequest
from raretrace.services.users import accounts as user_service
from raretrace.workspace import Workspace
from web.conftest import page_csrf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The process's temporary folder for this test only, to see what is left in it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _answer(book_bytes: bytes, mass_g: Any) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    sheet = book["Parts"]
    header = [c.value for c in sheet[3]]
    sheet.cell(row=4, column=header.index("part_mass_g") + 1, value=mass_g)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_request_names_the_workbook_and_keeps_its_bytes(
    app: FastAPI, editor: TestClient, viewer: TestClient, anon: TestClient, scratch: Path
) -> None:
    made = editor.post(
        "/surveys/requests",
        data={"csrf_token": page_csrf(editor, "/surveys"), "supplier": "MAG", "due_days": "14"},
    )
    assert made.status_code == 200 and made.headers["content-type"] == XLSX
    assert _leftovers(scratch) == []  # the folder the workbook was written in is gone
    ws: Workspace = app.state.workspace
    with ws._uow() as uow:
        (stored,) = uow.surveys.requests()
    assert stored.file == "survey-MAG.xlsx"
    assert stored.sha256 == hashlib.sha256(made.content).hexdigest()
    row = viewer.get("/api/v1/surveys").json()["campaign"][0]
    assert (row["file"], row["sha256"]) == ("survey-MAG.xlsx", stored.sha256)
    assert row["request_id"] == stored.request_id
    assert row["workbook_url"] == f"/api/v1/surveys/requests/{stored.request_id}/workbook"
    # the same bytes again, from the page link and from the API, for any signed-in role
    link = f"/surveys/requests/{stored.request_id}/workbook"
    page = viewer.get("/surveys").text
    assert f'href="{link}"' in page and "survey-MAG.xlsx" in page
    for url in (link, row["workbook_url"]):
        again = viewer.get(url)
        assert again.status_code == 200 and again.content == made.content
        assert again.headers["content-type"] == XLSX
        assert 'filename="survey-MAG.xlsx"' in again.headers["content-disposition"]
    assert anon.get(row["workbook_url"]).status_code == 401
    assert anon.get(link, follow_redirects=False).status_code == 303
    assert viewer.get("/api/v1/surveys/requests/999/workbook").status_code == 404
    with ws._uow() as uow:
        (logged,) = [a for a in user_service.audit_log(uow) if a.action == "survey.make"]
    assert f"request {stored.request_id} (survey-MAG.xlsx)" in logged.detail


def test_request_via_api_is_recorded_the_same_way(
    app: FastAPI, editor: TestClient, scratch: Path
) -> None:
    headers = {"X-CSRF-Token": page_csrf(editor, "/surveys")}
    made = editor.post("/api/v1/surveys/requests", json={"supplier": "SEP"}, headers=headers)
    assert made.status_code == 200
    assert _leftovers(scratch) == []
    with app.state.workspace._uow() as uow:
        (stored,) = uow.surveys.requests()
    assert stored.file == "survey-SEP.xlsx"
    again = editor.get(f"/api/v1/surveys/requests/{stored.request_id}/workbook")
    assert again.content == made.content


def test_request_recorded_without_a_workbook_says_so(app: FastAPI, viewer: TestClient) -> None:
    ws: Workspace = app.state.workspace
    sent = datetime(2026, 1, 5, tzinfo=UTC)
    with ws._uow() as uow:  # as requests were recorded before workbooks were kept
        old = uow.surveys.add_request(
            SurveyRequest("MAG", "rare-earths", sent, date(2026, 2, 5), "survey-MAG.xlsx")
        )
    row = viewer.get("/api/v1/surveys").json()["campaign"][0]
    assert row["file"] == "survey-MAG.xlsx" and row["workbook_url"] is None
    missing = viewer.get(f"/api/v1/surveys/requests/{old.request_id}/workbook")
    assert missing.status_code == 404
    assert "recorded before workbooks were kept" in missing.json()["detail"]


def test_returned_workbook_is_stored_under_its_uploaded_name(
    app: FastAPI, editor: TestClient, scratch: Path
) -> None:
    token = page_csrf(editor, "/surveys")
    made = editor.post("/surveys/requests", data={"csrf_token": token, "supplier": "MAG"})
    preview = editor.post(
        "/surveys/responses",
        data={"csrf_token": token},
        files={"file": ("mag-answer.xlsx", _answer(made.content, 48), XLSX)},
    )
    assert preview.status_code == 200, preview.text[:300]
    staged = _leftovers(scratch)
    assert any(p.endswith("mag-answer.xlsx") for p in staged)  # staged until applied
    upload_id = preview.text.split('name="upload_id" value="')[1].split('"')[0]
    applied = editor.post(
        "/surveys/responses/apply", data={"csrf_token": token, "upload_id": upload_id}
    )
    assert applied.status_code == 200
    # staging folder removed (the root, one per system user, stays)
    assert _leftovers(scratch) == [f"raretrace-uploads-{os.getuid()}"]
    with app.state.workspace._uow() as uow:
        (response,) = uow.surveys.responses()
    assert response.file == "mag-answer.xlsx"
    assert response.assertions
    assert all(a.where.startswith("mag-answer.xlsx [sheet ") for a in response.assertions)


def test_cli_and_python_api_record_the_file_name(workspace: Workspace, tmp_path: Path) -> None:
    workspace.import_bundle(_tiny(tmp_path))
    path = tmp_path / "out" / "to-mag.xlsx"
    path.parent.mkdir()
    request = workspace.make_survey("MAG", path)
    assert request.file == "to-mag.xlsx" and request.request_id is not None
    stored, data = workspace.survey_workbook(request.request_id)
    assert data == path.read_bytes()
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    named = workspace.make_survey("MAG", tmp_path / "x.xlsx", file_name="../../etc/sent.xlsx")
    assert named.file == "sent.xlsx"  # a name, never a folder


def _tiny(tmp_path: Path) -> Path:
    return write_bundle_files(tmp_path / "tiny", TINY)
