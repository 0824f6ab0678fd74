"""The dashboard and the signed-in user are cached per (network revision, data version):
every committed write moves the data version, so a licence, screening or user change shows
on the very next request, in this worker and in any other worker on the same database."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from factories import TEST_TODAY
from raretrace.settings import Settings
from raretrace.web.app import create_app
from raretrace.workspace import Workspace
from web.conftest import login, new_client, page_csrf
from web.test_licence_pages import _licence
from web.test_screening_pages import _load_list_and_screen

TODAY = TEST_TODAY


def test_writes_move_the_data_version_and_reads_do_not(app: FastAPI) -> None:
    ws: Workspace = app.state.workspace
    revision, before = ws.versions()
    assert revision == ws.revision()
    ws.network()
    with ws._uow() as uow:
        uow.licences.licences()
    assert ws.versions()[1] == before
    ws.licensing.add_licence(_licence("L-V", 5, TODAY + timedelta(days=10)), actor="t")
    assert ws.versions()[1] > before
    assert ws.versions()[0] == revision  # a licence is not a network change


def test_dashboard_shows_a_licence_right_after_it_is_written(
    app: FastAPI, viewer: TestClient
) -> None:
    ws: Workspace = app.state.workspace
    ws.load_sample()
    assert viewer.get("/api/v1/dashboard").json()["licensing"]["flagged"] == []
    viewer.get("/")  # both views cached now
    ws.licensing.add_licence(_licence("L-LOW", 5, TODAY + timedelta(days=10)), actor="t")
    twin = viewer.get("/api/v1/dashboard").json()["licensing"]
    assert [x["licence_id"] for x in twin["flagged"]] == ["L-LOW"]
    assert "L-LOW" in viewer.get("/").text


def test_dashboard_shows_screening_hits_right_after_a_run_and_a_decision(
    editor: TestClient, viewer: TestClient
) -> None:
    first = viewer.get("/api/v1/dashboard").json()["compliance"]
    assert first["screened"] is False
    api = _load_list_and_screen(editor)
    dash = viewer.get("/api/v1/dashboard").json()["compliance"]
    assert dash["screened"] is True and dash["open_screening_hits"] == 1
    hit = api["hits"][0]  # type: ignore[index]
    token = page_csrf(editor, "/screening")
    r = editor.post(
        f"/screening/hits/{hit['hit_id']}/decision",
        data={"csrf_token": token, "verdict": "no-match", "reason": "other company"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert viewer.get("/api/v1/dashboard").json()["compliance"]["open_screening_hits"] == 0


def test_another_worker_sees_writes_and_disabled_users_at_once(
    app: FastAPI, settings: Settings, admin: TestClient
) -> None:
    """A second app on the same database stands in for a second worker process."""
    other = create_app(settings)
    try:
        ws: Workspace = app.state.workspace
        ws.load_sample()
        viewer = login(new_client(other), "viewer")
        assert viewer.get("/api/v1/dashboard").json()["licensing"]["flagged"] == []
        ws.licensing.add_licence(_licence("L-LOW", 5, TODAY + timedelta(days=10)), actor="t")
        flagged = viewer.get("/api/v1/dashboard").json()["licensing"]["flagged"]
        assert [x["licence_id"] for x in flagged] == ["L-LOW"]
        token = page_csrf(admin)
        r = admin.patch(
            "/api/v1/users/viewer", json={"active": False}, headers={"X-CSRF-Token": token}
        )
        assert r.status_code == 200, r.text
        assert viewer.get("/api/v1/dashboard").status_code == 401
    finally:
        other.state.workspace.close()
