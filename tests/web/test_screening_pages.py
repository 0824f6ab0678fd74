"""Screening pages: editors import a list, run a screening and decide hits (with CSRF);
viewers read and download the audit trail but cannot write; JSON twins agree."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from web.conftest import login, new_client, page_csrf

LIST_CSV = """id,name,name_zh,aliases,country,address,programs,remarks
T-1,Example Magnet K.K.,,,JP,,Control List,test entry
T-2,Totally Unrelated Trading Ltd,,,KP,,Control List,test entry
"""


def _upload(
    editor: TestClient, token: str, fmt: str, name: str, file: tuple[str, bytes, str]
) -> None:
    """Import a list through the page's form (as the browser posts it)."""
    r = editor.post(
        "/screening/lists",
        data={"csrf_token": token, "fmt": fmt, "list_name": name},
        files={"file": file},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:300]


def _load_list_and_screen(editor: TestClient) -> dict[str, object]:
    token = page_csrf(editor, "/screening")
    _upload(editor, token, "mofcom", "Test list", ("list.csv", LIST_CSV.encode(), "text/csv"))
    r = editor.post(
        "/screening/run", data={"csrf_token": token, "threshold": "0.8"}, follow_redirects=False
    )
    assert r.status_code == 303
    data: dict[str, object] = editor.get("/api/v1/screening").json()
    return data


def test_editor_imports_runs_and_decides(editor: TestClient, viewer: TestClient) -> None:
    api = _load_list_and_screen(editor)
    assert [v["list_name"] for v in api["lists"]] == ["Test list"]  # type: ignore[index]
    hits = api["hits"]
    assert isinstance(hits, list) and len(hits) == 1
    hit = hits[0]
    assert hit["party_id"] == "MAG" and hit["status"] == "open"
    assert hit["score"] >= hit["threshold"] == 0.8
    assert {f["feature"] for f in hit["features"]} >= {"name_tokens", "country"}
    assert api["open_hits"] == 1
    page = BeautifulSoup(viewer.get("/screening").text, "html.parser")
    assert page.select_one("#open-hits").text == "1"
    assert "Example Magnet KK" in page.select_one("#hits").text
    # the explanation page shows every feature and the threshold
    detail = viewer.get(f"/api/v1/screening/hits/{hit['hit_id']}").json()
    hit_page = BeautifulSoup(viewer.get(f"/screening/hits/{hit['hit_id']}").text, "html.parser")
    assert len(hit_page.select("#features tbody tr")) == len(detail["features"]) + 1
    assert hit_page.select_one("#chart-features-spec") is not None
    assert not hit_page.select("#decide-form")  # viewers do not get the form
    # decide through the form
    token = page_csrf(editor, f"/screening/hits/{hit['hit_id']}")
    r = editor.post(
        f"/screening/hits/{hit['hit_id']}/decision",
        data={"csrf_token": token, "verdict": "no-match", "reason": "different company"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    after = viewer.get(f"/api/v1/screening/hits/{hit['hit_id']}").json()
    assert after["status"] == "no-match"
    assert after["decision"]["decided_by"] == "editor"
    assert viewer.get("/api/v1/dashboard").json()["compliance"]["open_screening_hits"] == 0
    audit = list(csv.DictReader(io.StringIO(viewer.get("/screening/audit.csv").text)))
    actions = [row["action"] for row in audit]
    assert {"list_import", "screen", "hit", "decision"} <= set(actions)
    decision = next(row for row in audit if row["action"] == "decision")
    assert decision["actor"] == "editor" and decision["reason"] == "different company"
    assert len(viewer.get("/api/v1/screening/audit").json()) == len(audit)


def test_api_run_and_decision(editor: TestClient) -> None:
    _load_list_and_screen(editor)
    headers = {"X-CSRF-Token": page_csrf(editor)}
    r = editor.post("/api/v1/screening/runs", json={"threshold": 0.99}, headers=headers)
    assert r.status_code == 201
    hit_id = r.json()["hits"][0]["hit_id"]
    r = editor.post(
        f"/api/v1/screening/hits/{hit_id}/decision",
        json={"is_match": True, "reason": "same registry number"},
        headers=headers,
    )
    assert r.status_code == 201 and r.json()["status"] == "match"
    bad = editor.post(
        f"/api/v1/screening/hits/{hit_id}/decision",
        json={"is_match": True, "reason": ""},
        headers=headers,
    )
    assert bad.status_code == 422
    assert editor.get("/api/v1/screening/hits/999999").status_code == 404
    assert (
        editor.post("/api/v1/screening/runs", json={"threshold": 0}, headers=headers).status_code
        == 422
    )


def test_viewers_cannot_write_and_forms_need_csrf(editor: TestClient, viewer: TestClient) -> None:
    api = _load_list_and_screen(editor)
    hit_id = api["hits"][0]["hit_id"]  # type: ignore[index]
    token = page_csrf(viewer, "/screening")
    assert viewer.post("/screening/run", data={"csrf_token": token}).status_code == 403
    r = viewer.post(
        f"/screening/hits/{hit_id}/decision",
        data={"csrf_token": token, "verdict": "match", "reason": "x"},
    )
    assert r.status_code == 403
    headers = {"X-CSRF-Token": token}
    assert viewer.post("/api/v1/screening/runs", json={}, headers=headers).status_code == 403
    page = BeautifulSoup(viewer.get("/screening").text, "html.parser")
    assert not page.select("#run-form")
    # an editor without the CSRF token is refused too
    r = editor.post(f"/screening/hits/{hit_id}/decision", data={"verdict": "match", "reason": "x"})
    assert r.status_code == 403
    assert editor.get(f"/api/v1/screening/hits/{hit_id}").json()["status"] == "open"


def test_running_without_a_list_is_refused_not_a_500(editor: TestClient) -> None:
    headers = {"X-CSRF-Token": page_csrf(editor)}
    r = editor.post("/api/v1/screening/runs", json={}, headers=headers)
    assert r.status_code == 404  # no list imported yet
    assert "list" in r.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/screening", "/screening/audit.csv", "/api/v1/screening", "/api/v1/screening/audit"]
)
def test_reads_need_login(app, anon: TestClient, path: str) -> None:
    r = anon.get(path, follow_redirects=False)
    assert r.status_code == (401 if path.startswith("/api/") else 303)
    assert login(new_client(app), "viewer").get(path).status_code == 200


def test_anonymous_writes_are_refused(anon: TestClient) -> None:
    assert anon.post("/api/v1/screening/runs", json={}).status_code == 401
    r = anon.post("/screening/run", data={}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_review_band_and_bulk_decisions(editor: TestClient, viewer: TestClient) -> None:
    token = page_csrf(editor, "/screening")
    near_list = LIST_CSV + "T-3,Example Motors Drive Systems AG,,,DE,,Control List,test entry\n"
    _upload(editor, token, "mofcom", "Test list", ("list.csv", near_list.encode(), "text/csv"))
    r = editor.post(
        "/screening/run",
        data={"csrf_token": token, "threshold": "0.8", "review": "true"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    hits = viewer.get("/api/v1/screening").json()["hits"]
    bands = {h["party_id"]: h["band"] for h in hits}
    assert bands == {"MAG": "hit", "OEM": "review"}  # Example Motors AG: 0.70 < 0.80
    near = next(h for h in hits if h["band"] == "review")
    assert "words not matched: drive, systems" in near["why"]
    page = BeautifulSoup(viewer.get("/screening").text, "html.parser")
    assert "Example Motors AG" in page.select_one("#near-misses").text
    assert not page.select("#bulk-form")  # viewers cannot decide
    # one decision for both, through the form
    token = page_csrf(editor, "/screening")
    ids = [str(h["hit_id"]) for h in hits]
    r = editor.post(
        "/screening/decisions",
        data={"csrf_token": token, "hit_ids": ids, "verdict": "no-match", "reason": "checked"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    after = viewer.get("/api/v1/screening").json()["hits"]
    assert {h["status"] for h in after} == {"no-match"}
    # the JSON twin decides many too, all or none
    headers = {"X-CSRF-Token": page_csrf(editor)}
    body = {"hit_ids": [int(i) for i in ids], "is_match": True, "reason": "re-checked"}
    r = editor.post("/api/v1/screening/decisions", json=body, headers=headers)
    assert r.status_code == 201 and {h["status"] for h in r.json()} == {"match"}
    body["hit_ids"] = [int(ids[0]), 999_999]
    r = editor.post("/api/v1/screening/decisions", json=body, headers=headers)
    assert r.status_code == 404
    assert (
        viewer.get(f"/api/v1/screening/hits/{ids[0]}").json()["decision"]["reason"] == "re-checked"
    )


def test_editor_uploads_the_un_list_as_published(editor: TestClient) -> None:
    un = Path(__file__).parents[2] / "benchmarks/data/screening/raw/un_consolidated.xml"
    token = page_csrf(editor, "/screening")
    _upload(editor, token, "un", "UN SC", ("consolidated.xml", un.read_bytes(), "application/xml"))
    lists = editor.get("/api/v1/screening").json()["lists"]
    assert [(v["list_name"], v["entry_count"], v["version_date"]) for v in lists] == [
        ("UN SC", 1093, "2018-10-29")
    ]
    assert lists[0]["source"] == "consolidated.xml"  # the upload's name, not a temp path


def test_editor_uploads_the_uk_list_workbook_as_published(editor: TestClient) -> None:
    uk = Path(__file__).parents[2] / "benchmarks/data/screening/raw/ofsi_conlist_2025-04-10.xlsx"
    token = page_csrf(editor, "/screening")
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    _upload(editor, token, "uk", "UK OFSI", ("ConList.xlsx", uk.read_bytes(), kind))
    lists = editor.get("/api/v1/screening").json()["lists"]
    assert [(v["list_name"], v["entry_count"], v["version_date"]) for v in lists] == [
        ("UK OFSI", 4686, "2025-04-10")
    ]
    assert lists[0]["source"] == "ConList.xlsx"


def test_the_import_form_names_each_format(editor: TestClient) -> None:
    page = BeautifulSoup(editor.get("/screening").text, "html.parser")
    options = {o["value"]: o.text for o in page.select("select[name=fmt] option")}
    assert set(options) == {"csl", "ftm", "mofcom", "un", "uk", "internal"}
    assert options["un"] == "un: UN Security Council Consolidated List XML"


def test_a_hit_shows_the_entrys_dates_of_birth(app, viewer: TestClient, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # the SDN's PECHEGIN, Andrey I. ("DOB 24 Sep 1965") and the UK's Andrey Ivanovich
    # PECHEGIN (24/09/1965), as CSL rows
    path = tmp_path / "csl.csv"
    path.write_text(
        "source,entity_number,type,name,alt_names,dates_of_birth\n"
        "Specially Designated Nationals (SDN) - Treasury Department,15890,Individual,"
        '"PECHEGIN, Andrey I.",,24 Sep 1965\n'
        "UK HM Treasury OFSI Consolidated List,OFSI-13876,Individual,"
        "Andrey Ivanovich PECHEGIN,Andrei PECHEGIN,24/09/1965\n",
        encoding="utf-8",
    )
    ws = app.state.workspace
    ws.screening.import_list(path, fmt="csl", list_name="lists")
    (hit,) = ws.screening.screen_name("Andrey Ivanovich Pechegin").hits
    detail = viewer.get(f"/api/v1/screening/hits/{hit.hit_id}").json()
    assert detail["entry_dates_of_birth"] == ["1965-09-24"]
    (note,) = [f["detail"] for f in detail["features"] if f["feature"] == "siblings"]
    assert note.endswith("same name and date of birth 1965-09-24 on both lists")
    page = BeautifulSoup(viewer.get(f"/screening/hits/{hit.hit_id}").text, "html.parser")
    assert page.select_one("#dates-of-birth").text == "1965-09-24"
    assert "same name and date of birth 1965-09-24" in page.select_one("#features").text
