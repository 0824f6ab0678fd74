"""Simulation pages and their /api/v1 twins on the tiny network: shipped scenarios,
an uploaded scenario run in the background (progress, then results and charts), located
errors for a bad upload, reproducible re-runs, the dependence panel, the dashboard
card, and who may do what."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from factories import TINY_JP_STOP
from raretrace.services.jobs import queue as jobs
from web.conftest import page_csrf

SCENARIO = TINY_JP_STOP


@pytest.fixture(autouse=True)
def _jobs_end(app: FastAPI) -> Iterator[None]:
    yield
    assert jobs.wait_all(60), "a simulation job did not end"


def _wait(client: TestClient, run_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        body: dict[str, Any] = client.get(f"/api/v1/simulation/runs/{run_id}").json()
        if body["run"]["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def _upload(client: TestClient, text: str, name: str = "tiny.yaml", **fields: str) -> Any:
    return client.post(
        "/simulation/runs",
        data={"csrf_token": page_csrf(client, "/simulation"), "scenario": "", **fields},
        files={"file": (name, text.encode(), "application/yaml")},
        follow_redirects=False,
    )


def _run_id(response: Any) -> int:
    assert response.status_code == 303, response.text[:500]
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_page_lists_shipped_scenarios_and_twin_matches(viewer: TestClient) -> None:
    page = viewer.get("/simulation")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.h1.get_text() == "Simulation"
    api = viewer.get("/api/v1/simulation").json()
    keys = {s["key"] for s in api["scenarios"]}
    assert {"embargo_cn_jp_2010", "licence_delay_45wd"} <= keys
    names = [td.b.get_text() for td in soup.select("#scenarios tbody td:first-child")]
    assert names == [s["name"] for s in api["scenarios"]]
    # viewers read but get no run form
    assert soup.select_one("#run-form form") is None
    yaml_file = viewer.get("/simulation/scenarios/embargo_cn_jp_2010.yaml")
    assert yaml_file.status_code == 200
    assert "embargoes:" in yaml_file.text
    assert viewer.get("/simulation/scenarios/nope.yaml").status_code == 404


def test_upload_runs_in_background_and_shows_results(editor: TestClient) -> None:
    run_id = _run_id(_upload(editor, SCENARIO))
    body = _wait(editor, run_id)
    assert body["run"]["status"] == "done", body
    r = body["result"]
    assert r["scenario"] == "tiny-jp-stop"
    assert (r["runs"], r["seed"]) == (40, 7)
    car = next(p for p in r["products"] if p["product"] == "CAR")
    assert car["stop_probability"] == 1.0
    assert car["first_stop_day"][1] is not None
    assert len(car["days_lost"]) == len(car["value_lost"]) == 3
    assert r["causes"] and r["causes"][0]["supplier"] == "S-MAG"
    assert set(r["charts"]) >= {"stop_probability", "first_stop_day"}
    assert body["node"] in r["watched"]
    assert body["node_chart"]["layer"]

    page = editor.get(f"/simulation/runs/{run_id}")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    for chart in ("chart-stop", "chart-first-stop", "chart-inventory"):
        spec = json.loads(soup.select_one(f"#{chart}-spec").get_text())
        assert spec["data"]["values"], chart
    # the page embeds exactly the twin's specs
    stop = json.loads(soup.select_one("#chart-stop-spec").get_text())
    assert stop == r["charts"]["stop_probability"]
    rows = soup.select("#products tbody tr")
    assert len(rows) == len(r["products"])
    assert "S-MAG" in soup.select_one("#causes").get_text()
    assert soup.select_one("#stock-needed tbody tr") is not None

    listing = editor.get("/api/v1/simulation").json()["runs"]
    mine = next(x for x in listing if x["run_id"] == run_id)
    assert mine["source"] == "uploaded: tiny.yaml"
    assert (mine["seed"], mine["runs"], mine["status"]) == (7, 40, "done")
    assert mine["version"]


def test_rerun_is_identical_and_watches_a_chosen_node(editor: TestClient) -> None:
    first = _run_id(_upload(editor, SCENARIO, runs="30", seed="11"))
    a = _wait(editor, first)
    again = editor.post(
        "/simulation/runs",
        data={
            "csrf_token": page_csrf(editor, "/simulation"),
            "rerun_of": str(first),
            "watch": "S-OEM/MOTOR",
        },
        follow_redirects=False,
    )
    b = _wait(editor, _run_id(again))
    assert b["run"]["source"] == f"re-run of #{first}"
    assert a["result"]["products"] == b["result"]["products"]
    assert a["result"]["charts"]["first_stop_day"] == b["result"]["charts"]["first_stop_day"]
    assert "S-OEM/MOTOR" in b["result"]["watched"]
    chosen = editor.get(f"/api/v1/simulation/runs/{b['run']['run_id']}?node=S-OEM/MOTOR").json()
    assert chosen["node"] == "S-OEM/MOTOR"
    assert chosen["node_chart"]["data"]["values"]
    missing = editor.get(f"/api/v1/simulation/runs/{first}?node=S-NOPE/X")
    assert missing.status_code == 404


def test_bad_upload_shows_located_errors_and_runs_nothing(editor: TestClient) -> None:
    bad = SCENARIO.replace("runs: 40", "runs: -3").replace("step: day", "step: fortnight")
    response = _upload(editor, bad, "bad.yaml")
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    cells = [
        [td.get_text() for td in tr.select("td")]
        for tr in soup.select("#scenario-problems tbody tr")
    ]
    located = {(c[1], c[2]) for c in cells}
    assert ("5", "step") in located
    assert ("6", "runs") in located
    assert all(c[0] == "bad.yaml" for c in cells)
    not_yaml = _upload(editor, "name: [unclosed\n", "broken.yaml")
    assert not_yaml.status_code == 422
    assert "not valid YAML" in not_yaml.text
    too_big = _upload(editor, "# " + "x" * (300 * 1024), "big.yaml")
    assert too_big.status_code == 422
    assert "KiB limit" in too_big.text
    aliases = "a: &a [1, 1]\n" + "".join(f"k{i}: *a\n" for i in range(150))
    assert _upload(editor, "name: x\n" + aliases, "bomb.yaml").status_code == 422
    assert editor.get("/api/v1/simulation").json()["runs"] == []


def test_api_runs_with_json_body_and_validates(editor: TestClient) -> None:
    token = page_csrf(editor, "/simulation")
    headers = {"X-CSRF-Token": token}
    started = editor.post(
        "/api/v1/simulation/runs",
        json={"yaml": SCENARIO, "runs": 20, "seed": 3},
        headers=headers,
    )
    assert started.status_code == 202, started.text
    run_id = started.json()["run"]["run_id"]
    assert started.json()["run"]["status"] in ("queued", "running", "done")
    done = _wait(editor, run_id)
    assert (done["result"]["runs"], done["result"]["seed"]) == (20, 3)
    bad = editor.post(
        "/api/v1/simulation/runs", json={"yaml": "name: x\nrunz: 3\n"}, headers=headers
    )
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["row"] == 2
    assert editor.post("/api/v1/simulation/runs", json={}, headers=headers).status_code == 422
    too_many = editor.post(
        "/api/v1/simulation/runs",
        json={"yaml": SCENARIO.replace("runs: 40", "runs: 9000")},
        headers=headers,
    )
    assert too_many.status_code == 422
    assert "at most" in too_many.json()["detail"]


def test_progress_fragment_asks_for_reload_when_done(editor: TestClient) -> None:
    run_id = _run_id(_upload(editor, SCENARIO))
    _wait(editor, run_id)
    fragment = editor.get(f"/simulation/runs/{run_id}/progress")
    assert fragment.status_code == 200
    assert fragment.headers["HX-Refresh"] == "true"
    assert 'id="progress"' in fragment.text
    assert editor.get("/simulation/runs/999999").status_code == 404


def test_dependence_panel_and_twin(viewer: TestClient) -> None:
    page = viewer.get("/simulation/dependence")
    assert page.status_code == 200
    api = viewer.get("/api/v1/simulation/dependence").json()
    stages = {r["stage"] for r in api["rows"]}
    assert {"mining", "separation", "magnets"} <= stages
    dy_sep = next(r for r in api["rows"] if r["stage"] == "separation" and r["element"] == "Dy")
    assert dy_sep["ours"]["countries"] == ["MY"]
    assert dy_sep["ours"]["share_pct"] == [100.0]
    assert dy_sep["world"]["sources"]
    soup = BeautifulSoup(page.text, "html.parser")
    assert len(soup.select("#stages tbody tr")) == len(api["rows"])
    assert soup.select_one(".cite").get_text(strip=True)
    spec = json.loads(soup.select_one("#chart-dependence-spec").get_text())
    assert spec == api["chart"]
    one = viewer.get("/api/v1/simulation/dependence?product=CAR").json()
    assert one["product"] == "CAR"
    assert viewer.get("/api/v1/simulation/dependence?product=NOPE").status_code == 404


def test_dashboard_card_shows_latest_run(editor: TestClient) -> None:
    assert editor.get("/api/v1/simulation/latest").json() is None
    run_id = _run_id(_upload(editor, SCENARIO))
    _wait(editor, run_id)
    brief = editor.get("/api/v1/simulation/latest").json()
    assert brief["run_id"] == run_id
    assert brief["products_at_risk"] >= 1
    dash = editor.get("/api/v1/dashboard").json()
    assert dash["simulation"] == brief
    soup = BeautifulSoup(editor.get("/").text, "html.parser")
    card = soup.select_one("#latest-simulation")
    assert card is not None
    assert card.select_one("#sim-at-risk").get_text() == str(brief["products_at_risk"])


def test_writes_need_editor(viewer: TestClient, anon: TestClient) -> None:
    token = page_csrf(viewer, "/simulation")
    page = viewer.post(
        "/simulation/runs", data={"csrf_token": token, "scenario": "embargo_cn_jp_2010"}
    )
    assert page.status_code == 403
    api = viewer.post(
        "/api/v1/simulation/runs",
        json={"scenario": "embargo_cn_jp_2010"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 403
    assert (
        viewer.post("/api/v1/simulation/runs/1/rerun", headers={"X-CSRF-Token": token}).status_code
        == 403
    )
    assert anon.get("/api/v1/simulation").status_code == 401
    assert anon.get("/api/v1/simulation/dependence").status_code == 401
    redirect = anon.get("/simulation", follow_redirects=False)
    assert redirect.status_code == 303
    assert redirect.headers["location"].startswith("/login")


def test_editor_without_csrf_is_refused(editor: TestClient) -> None:
    response = editor.post("/simulation/runs", data={"scenario": "embargo_cn_jp_2010"})
    assert response.status_code == 403
    assert editor.get("/api/v1/simulation").json()["runs"] == []
