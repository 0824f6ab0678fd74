"""Supplier-survey pages and their /api/v1 twins on the tiny network: campaign status,
making a workbook (download), a returned workbook with located errors, a diff preview,
applying it (CSRF), and who may do what."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from web.conftest import page_csrf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _make(client: TestClient, supplier: str = "MAG") -> bytes:
    response = client.post(
        "/surveys/requests",
        data={"csrf_token": page_csrf(client, "/surveys"), "supplier": supplier, "due_days": "14"},
    )
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == XLSX
    assert 'filename="survey-MAG.xlsx"' in response.headers["content-disposition"]
    return response.content


def _answer(book_bytes: bytes, edits: dict[str, dict[str, Any]]) -> bytes:
    """Change row 4 of each named sheet like a supplier would."""
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    for name, values in edits.items():
        sheet = book[name]
        header = [c.value for c in sheet[3]]
        for k, v in values.items():
            sheet.cell(row=4, column=header.index(k) + 1, value=v)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client: TestClient, content: bytes, name: str = "answer.xlsx") -> Any:
    return client.post(
        "/surveys/responses",
        data={"csrf_token": page_csrf(client, "/surveys")},
        files={"file": (name, content, XLSX)},
    )


def test_campaign_page_and_twin(viewer: TestClient, editor: TestClient) -> None:
    empty = viewer.get("/api/v1/surveys").json()
    assert (empty["sent"], empty["answered"], empty["overdue"]) == (0, 0, 0)
    assert {s["party_id"] for s in empty["suppliers"]} == {"SEP", "MAG"}
    _make(editor)
    api = viewer.get("/api/v1/surveys").json()
    assert api["sent"] == 1
    assert api["campaign"][0]["supplier_party_id"] == "MAG"
    assert api["campaign"][0]["status"] == "sent"
    soup = BeautifulSoup(viewer.get("/surveys").text, "html.parser")
    assert soup.h1.get_text() == "Supplier surveys"
    assert soup.select_one("#surveys-sent").get_text() == "1"
    rows = soup.select("#campaign tbody tr")
    assert len(rows) == 1 and "Example Magnet KK" in rows[0].get_text()
    # viewers see no write forms
    assert soup.select_one("#make-survey") is None
    assert soup.select_one("#upload-survey") is None


def test_upload_preview_then_apply(editor: TestClient) -> None:
    answered = _answer(_make(editor), {"Parts": {"part_mass_g": 48}})
    preview = _upload(editor, answered)
    assert preview.status_code == 200, preview.text[:500]
    soup = BeautifulSoup(preview.text, "html.parser")
    assert "is valid" in soup.select_one("#survey-result .alert-ok").get_text()
    changes = soup.select_one("#changes").get_text()
    assert "MAGNET" in changes and "mass_kg" in changes
    assert "0.048" in changes
    assert editor.get("/api/v1/parts/MAGNET").json()["part"]["mass_kg"] == 0.05
    upload_id = soup.select_one("input[name='upload_id']")["value"]
    applied = editor.post(
        "/surveys/responses/apply",
        data={"csrf_token": page_csrf(editor, "/surveys"), "upload_id": upload_id},
    )
    assert applied.status_code == 200
    assert (
        "Applied" in BeautifulSoup(applied.text, "html.parser").select_one(".alert-ok").get_text()
    )
    assert editor.get("/api/v1/parts/MAGNET").json()["part"]["mass_kg"] == 0.048
    api = editor.get("/api/v1/surveys").json()
    assert api["answered"] == 1
    again = editor.post(
        "/surveys/responses/apply",
        data={"csrf_token": page_csrf(editor, "/surveys"), "upload_id": upload_id},
    )
    assert again.status_code == 404


def test_bad_workbook_shows_located_errors(editor: TestClient) -> None:
    bad = _answer(_make(editor), {"Parts": {"part_mass_g": "heavy"}})
    response = _upload(editor, bad, "mag-answer.xlsx")
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    rows = [[td.get_text() for td in tr.select("td")] for tr in soup.select("#problems tbody tr")]
    assert rows, response.text[:500]
    where, row, column, _ = rows[0]
    assert where.startswith("mag-answer.xlsx") and "Parts" in where
    assert (row, column) == ("4", "part_mass_g")
    assert "raretrace-uploads" not in response.text  # no staging paths
    assert soup.select_one("#apply-survey") is None
    not_xlsx = _upload(editor, b"hello", "notes.txt")
    assert not_xlsx.status_code == 422
    garbage = _upload(editor, b"PK\x03\x04 not really a zip", "broken.xlsx")
    assert garbage.status_code == 422


def test_api_make_and_read(editor: TestClient, tmp_path: Path) -> None:
    headers = {"X-CSRF-Token": page_csrf(editor, "/surveys")}
    made = editor.post("/api/v1/surveys/requests", json={"supplier": "MAG"}, headers=headers)
    assert made.status_code == 200
    assert made.headers["content-type"] == XLSX
    missing = editor.post("/api/v1/surveys/requests", json={"supplier": "NOBODY"}, headers=headers)
    assert missing.status_code == 404
    answered = _answer(made.content, {"Parts": {"part_mass_g": 47}})
    files = {"file": ("a.xlsx", answered, XLSX)}
    dry = editor.post("/api/v1/surveys/responses", files=files, headers=headers)
    assert dry.status_code == 200
    body = dry.json()
    assert body["ok"] and not body["applied"] and body["upload_id"] is None
    assert body["counts"]["parts"] == {"update": 1}
    assert body["suppliers"] == ["MAG"]
    done = editor.post(
        "/api/v1/surveys/responses?dry_run=false", files=files, headers=headers
    ).json()
    assert done["applied"] and done["revision"]
    bad = _answer(made.content, {"Parts": {"part_mass_g": "x"}})
    refused = editor.post(
        "/api/v1/surveys/responses", files={"file": ("b.xlsx", bad, XLSX)}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["column"] == "part_mass_g"


def test_writes_need_editor_and_csrf(
    viewer: TestClient, editor: TestClient, anon: TestClient
) -> None:
    token = page_csrf(viewer, "/surveys")
    assert (
        viewer.post("/surveys/requests", data={"csrf_token": token, "supplier": "MAG"}).status_code
        == 403
    )
    assert (
        viewer.post(
            "/api/v1/surveys/requests", json={"supplier": "MAG"}, headers={"X-CSRF-Token": token}
        ).status_code
        == 403
    )
    assert (
        viewer.post(
            "/surveys/responses", data={"csrf_token": token}, files={"file": ("a.xlsx", b"x", XLSX)}
        ).status_code
        == 403
    )
    assert editor.post("/surveys/requests", data={"supplier": "MAG"}).status_code == 403
    assert anon.get("/api/v1/surveys").status_code == 401
    assert anon.get("/surveys", follow_redirects=False).status_code == 303
    assert editor.get("/api/v1/surveys").json()["sent"] == 0


def test_campaign_page_shows_answers_missing_and_ask_first(viewer: TestClient) -> None:
    api = viewer.get("/api/v1/surveys").json()
    status = {s["party_id"]: s for s in api["supplier_status"]}
    assert set(status) == {"SEP", "MAG"}
    assert (status["MAG"]["parts"], status["MAG"]["answers"], status["MAG"]["missing"]) == (
        1,
        0,
        [],
    )
    assert api["ask_first"] == []  # every supplied part of the tiny network has a composition
    soup = BeautifulSoup(viewer.get("/surveys").text, "html.parser")
    assert "Every supplied part has a composition." in soup.select_one("#ask-first").get_text()
    rows = soup.select("#supplier-answers tbody tr")
    assert len(rows) == 2 and "Example Magnet KK" in rows[0].get_text()


def test_amrt_return_uploaded_on_the_survey_page(editor: TestClient, tmp_path: Path) -> None:
    from raretrace.services.formats import amrt_layout as L

    response = editor.get("/api/v1/surveys")
    assert response.status_code == 200
    book = openpyxl.Workbook()
    rev = book.active
    assert rev is not None
    rev.title = "Revision"
    rev["A1"] = "Additional Minerals Reporting Template"
    rev["A2"] = f"Revision {L.REVISION}"
    decl = book.create_sheet("Declaration")
    for row, label, _key in L.DECLARATION_ROWS:
        decl.cell(row=row, column=2, value=label)
    decl["D8"], decl["D12"], decl["D17"] = "Example Magnet KK", L.REE, "MAG"
    decl.cell(row=L.Q1_ROW, column=2, value=L.Q1)
    decl.cell(row=L.Q1_ROW + 1, column=3, value=L.REE)
    decl.cell(row=L.Q1_ROW + 1, column=4, value="Yes")
    smelters = book.create_sheet("Smelter List")
    for ci, head in enumerate(L.SMELTER_COLUMNS, start=1):
        smelters.cell(row=L.SMELTER_HEADER_ROW, column=ci, value=head)
    for ci, v in ((2, L.REE), (4, "Baotou Refinery Co"), (5, "China")):
        smelters.cell(row=L.SMELTER_HEADER_ROW + 1, column=ci, value=v)
    out = io.BytesIO()
    book.save(out)
    soup = BeautifulSoup(_upload(editor, out.getvalue(), "amrt.xlsx").text, "html.parser")
    result = soup.select_one("#survey-result").get_text()
    assert "is valid" in result and "MAG" in result
    assert "BAOTOU-REFINERY-CO" in soup.select_one("#changes").get_text()
    assert "DY2O3 into S-MAG already comes from S-SEP" in soup.select_one("#amrt-notes").get_text()
