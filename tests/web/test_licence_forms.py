"""The analyst's loop in the web app: a flow needing a licence -> start application
(pre-filled) -> submit -> approved -> record the licence -> the flow is covered."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.factories import TINY, write_bundle_files
from tests.web.conftest import csrf_from
from tests.web.test_licence_pages import TODAY

from raretrace.workspace import Workspace


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _licence_flow(client: TestClient) -> dict[str, object]:
    flows = client.get("/api/v1/rules/flows", params={"show": "licence"}).json()["flows"]
    todo = [f for f in flows if f["start_application"]]
    assert todo, "the sample world has flows needing a licence"
    flow: dict[str, object] = todo[0]
    return flow


def test_flow_to_application_to_licence(app: FastAPI, editor: TestClient) -> None:
    ws: Workspace = app.state.workspace
    ws.load_sample()
    flow = _licence_flow(editor)
    # names, not only ids; products; "none" covers it yet
    assert flow["supplier_party_name"] and flow["buyer_party_name"]
    assert flow["products_count"] >= 1 and flow["covered_by"] is None
    page = soup(editor.get("/rules/flows").text)
    row = next(tr for tr in page.select("#flows tbody tr") if tr.select_one(".start-application"))
    assert "none" in row.select_one(".cover").text
    form = soup(editor.get(str(flow["start_application"])).text)
    filled = {i["name"]: i.get("value", "") for i in form.select("#application-form input")}
    assert filled["exporter"] == flow["supplier_site_id"]
    assert filled["part_id_0"] == flow["part_id"]
    assert "incorporated into" in form.select_one("textarea[name=end_use]").text
    data = {k: v for k, v in filled.items() if v} | {
        "end_use": form.select_one("textarea[name=end_use]").text,
        "quantity_0": "100 kg",
        "value_0": "5000",
        "licence_type": "general",
    }
    r = editor.post("/licences/applications", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    app_url = r.headers["location"]
    app_id = int(app_url.rsplit("/", 1)[1])
    twin = editor.get(f"/api/v1/licences/applications/{app_id}").json()
    assert twin["items"][0]["part_id"] == flow["part_id"] and twin["status"] == "draft"
    # the flow is now covered by the draft application
    again = next(
        f for f in editor.get("/api/v1/rules/flows").json()["flows"]
        if (f["supplier_site_id"], f["buyer_site_id"], f["part_id"])
        == (flow["supplier_site_id"], flow["buyer_site_id"], flow["part_id"])
    )  # fmt: skip
    assert again["cover_kind"] == "application" and again["cover_ref"] == str(app_id)
    # a bad licence is refused with the form kept
    token = csrf_from(editor.get("/licences/new").text)
    bad = editor.post("/licences", data={"csrf_token": token, "licence_id": "L/1"})
    assert bad.status_code == 422 and soup(bad.text).select_one("#form-error")
    # record the licence from the application, over the API
    body = {
        "licence_id": "MOFCOM-2026-0001",
        "licence_type": "general",
        "exporter": twin["exporter"],
        "importer": twin["importer"],
        "end_users": [twin["end_user"]],
        "destinations": [twin["destination"]],
        "valid_from": (TODAY - timedelta(days=1)).isoformat(),
        "valid_to": (TODAY + timedelta(days=365)).isoformat(),
        "items": [{"part_id": flow["part_id"], "quantity": "100 kg", "value": "5000"}],
        "application_id": app_id,
    }
    r = editor.post("/api/v1/licences", json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 201, r.text
    assert r.json()["balances"][0]["remaining_mg"] == 100_000_000
    covered = next(
        f for f in editor.get("/api/v1/rules/flows").json()["flows"]
        if (f["supplier_site_id"], f["buyer_site_id"], f["part_id"])
        == (flow["supplier_site_id"], flow["buyer_site_id"], flow["part_id"])
    )  # fmt: skip
    assert covered["cover_kind"] == "licence" and covered["cover_ref"] == "MOFCOM-2026-0001"


def test_viewer_cannot_create(viewer: TestClient) -> None:
    assert viewer.get("/licences/applications/new").status_code == 403
    assert viewer.get("/licences/new").status_code == 403
    token = csrf_from(viewer.get("/licences").text)
    r = viewer.post("/api/v1/licences/applications", json={}, headers={"X-CSRF-Token": token})
    assert r.status_code in (403, 422)
    r = viewer.post("/licences/applications", data={"csrf_token": token, "exporter": "X"})
    assert r.status_code == 403


def test_supplier_page_and_twin(app: FastAPI, viewer: TestClient) -> None:
    ws: Workspace = app.state.workspace
    ws.load_sample()
    rows = viewer.get("/api/v1/suppliers").json()["rows"]
    top = rows[0]
    twin = viewer.get(f"/api/v1/suppliers/{top['party']}").json()
    assert twin["name"] == top["party_name"]
    assert top["site"] in {s["site_id"] for s in twin["sites"]}
    assert top["tier"] in twin["tiers"]
    assert set(top["products"] or []) <= set(twin["products"])
    assert set(twin["controlled_elements"]) <= set(twin["elements"])
    assert twin["survey"]["status"] in {"not surveyed", "awaiting answer", "answered", "overdue"}
    page = soup(viewer.get(f"/suppliers/{top['party']}").text)
    assert page.select_one("h1").text.startswith(top["party_name"])
    assert len(page.select("#sites tbody tr")) == len(twin["sites"])
    assert len(page.select("#parts tbody tr")) == max(1, len(twin["parts"]))
    controlled = {e.text for e in page.select("#elements .el-controlled")}
    assert controlled == set(twin["controlled_elements"])
    # the suppliers table links to it; a site id leads to its party's page
    listing = soup(viewer.get("/suppliers").text)
    assert listing.select_one(f"a[href='/suppliers/{top['party']}']") is not None
    r = viewer.get(f"/sites/{top['site']}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/suppliers/{top['party']}")
    assert viewer.get("/api/v1/suppliers/NOPE").status_code == 404


def test_product_page_leads_with_content_and_the_verdicts_reason(
    app: FastAPI, viewer: TestClient
) -> None:
    import re

    ws: Workspace = app.state.workspace
    ws.load_sample()
    products = viewer.get("/api/v1/dashboard").json()["products"]
    pid = products[0]["part_id"]
    html = viewer.get(f"/parts/{pid}").text
    page = soup(html)
    summary = page.select_one("#verdict-summary")
    assert summary is not None and page.select_one("#verdict-reason").text.strip()
    # content and origin come before the classification; the trace is folded
    assert html.index('id="verdict-summary"') < html.index('id="content"')
    assert html.index('id="content"') < html.index('id="classification"')
    trace = page.select_one("details#reason-trace")
    assert trace is not None and not trace.has_attr("open")
    inputs = " ".join(d.text for d in page.select("#reasons .inputs"))
    assert not re.search(r"\d\.\d{6,}", inputs), inputs  # no raw floats
    twin = viewer.get(f"/api/v1/parts/{pid}").json()
    fired = [r for r in twin["analysis"]["classification"]["reasons"] if r["fired"]]
    if fired:
        assert fired[0]["title"] in summary.text
    # controlled and other rare earths look different
    chips = page.select(".facts .el")
    assert all(("el-controlled" in c["class"]) != ("el-free" in c["class"]) for c in chips)


def test_dashboard_element_chips_filter_by_their_element(app: FastAPI, viewer: TestClient) -> None:
    ws: Workspace = app.state.workspace
    ws.load_sample()
    page = soup(viewer.get("/").text)
    chips = page.select(".chips a.chip")
    assert chips
    for chip in chips:
        element, count = chip.text.split()
        assert chip["href"] == f"/parts?element={element}"
        listed = viewer.get("/api/v1/parts", params={"element": element, "limit": 500}).json()
        assert listed["total"] == int(count)


def test_network_chart_fits_its_card_without_empty_tiers_and_follows_traders(
    app: FastAPI, viewer: TestClient, tmp_path: Path
) -> None:
    files = dict(TINY)
    files["parties.csv"] += "TRD,Example Trading Pte,SG,distributor,,,\n"
    files["sites.csv"] += "S-TRD,TRD,Trading desk,SG,Singapore\n"
    files["supply.csv"] = files["supply.csv"].replace("S-MAG,MAGNET,S-OEM", "S-TRD,MAGNET,S-OEM")
    files["supply.csv"] += "S-MAG,MAGNET,S-TRD,1,30\n"
    app.state.workspace.import_bundle(write_bundle_files(tmp_path / "trd", files), replace=True)
    net = viewer.get("/api/v1/products/CAR/network").json()
    nodes = {(n["site_id"], n["part_id"]): n for n in net["nodes"]}
    # behind the trader: the magnet maker and its inputs, not "unknown source"
    assert ("S-MAG", "MAGNET") in nodes and ("S-TRD", "MAGNET") in nodes
    assert not [n for n in net["nodes"] if not n["site_id"]], "no unknown source behind a trader"
    page = soup(viewer.get("/products/CAR/network").text)
    spec = json.loads(page.select_one("#chart-network-spec").text)
    assert spec["width"] == "container"
    xs = {v["x"] for v in spec["layer"][1]["data"]["values"]}
    assert xs == set(range(len(xs)))  # every column holds nodes


def test_sankey_opens_on_a_controlled_element_with_stable_colours(
    app: FastAPI, viewer: TestClient
) -> None:
    from raretrace.domain.elements import ANNOUNCEMENT_18_ELEMENTS

    app.state.workspace.load_sample()
    pid = viewer.get("/api/v1/dashboard").json()["products"][0]["part_id"]
    first = viewer.get(f"/api/v1/products/{pid}/sankey").json()
    controlled = [e for e in first["elements"] if e in ANNOUNCEMENT_18_ELEMENTS]
    assert controlled and first["element"] in controlled
    domains = []
    for e in first["elements"]:
        page = soup(viewer.get(f"/products/{pid}/sankey", params={"element": e}).text)
        spec = json.loads(page.select_one("#chart-sankey-spec").text)
        domains.append(spec["scales"][0]["domain"])
    assert all(d == domains[0] for d in domains)
