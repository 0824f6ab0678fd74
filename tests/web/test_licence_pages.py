"""Licences pages and their /api/v1 twins on the sample world: applications with
deadline and checklist, the application page (chain, documents, status, packet
downloads), licences with balances and ledger, recording a shipment (booked and
rejected), the dashboard cards, and who may do what."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from factories import TEST_NOW, TEST_TODAY
from raretrace.domain.applications import DOC_KEYS, AppStatus, StatusChange
from raretrace.domain.licences import Licence, LicenceItem, LicenceType
from raretrace.services.licensing.service import ItemInput
from raretrace.workspace import Workspace
from web.conftest import csrf_from, login, new_client

TODAY = TEST_TODAY


@dataclass(frozen=True)
class World:
    app_id: int
    late_id: int


def _licence(lid: str, kg: int, valid_to: date) -> Licence:
    return Licence(
        licence_id=lid, licence_type=LicenceType.GENERAL, exporter="S-HEN-CN-BT",
        importer="HARZFELD", end_users=("HARZFELD",), destinations=("PL",),
        valid_from=TODAY - timedelta(days=30), valid_to=valid_to,
        items=(LicenceItem(1, "MAG-EPS", "EPS magnet", "1C905.a", kg * 1_000_000,
                           Decimal("10000.00"), "USD"),),
    )  # fmt: skip


@pytest.fixture
def world(app: FastAPI) -> World:
    """The sample world, a draft application (as `make demo` drafts it), an application
    submitted 90 days ago (overdue), a licence with room and one about to expire."""
    ws: Workspace = app.state.workspace
    ws.load_sample()
    lic = ws.licensing
    v = lic.create_application(
        exporter="S-HEN-CN-BT", importer="HARZFELD", end_user="S-HAR-PL-KAT",
        items=[ItemInput("MAG-EPS", "1500 kg", "95000.00", "USD")],
        end_use="Rotor magnets for electric power steering motors", actor="officer",
    )  # fmt: skip
    app_id = v.application.application_id
    assert app_id is not None
    past = TEST_NOW - timedelta(days=120)
    with ws._uow() as uow:  # submitted long ago (back-dated), so its review is overdue
        late_id = uow.licences.add_application(
            replace(v.application, application_id=None, created_at=past, end_user="HARZFELD")
        )
        for status in (AppStatus.SUBMITTED, AppStatus.UNDER_REVIEW):
            uow.licences.add_status(late_id, StatusChange(status, past, "officer", ""))
    lic.add_licence(_licence("L-GEN", 100, TODAY + timedelta(days=200)), actor="officer")
    lic.add_licence(_licence("L-LOW", 5, TODAY + timedelta(days=10)), actor="officer")
    return World(app_id, late_id)


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_overview_lists_applications_and_licences(viewer: TestClient, world: World) -> None:
    page = viewer.get("/licences")
    assert page.status_code == 200
    doc = soup(page.text)
    rows = doc.select("#applications tbody tr")
    assert len(rows) == 2
    assert rows[0].select_one("a")["href"] == f"/licences/applications/{world.late_id}"
    assert "overdue" in rows[0].get_text()  # most urgent first
    assert len(rows[1].select(".dot")) == len(DOC_KEYS)  # checklist at a glance
    assert f"0/{len(DOC_KEYS)}" in rows[1].get_text(" ", strip=True).replace(" ", "")
    licences = doc.select("#licences tbody tr")
    assert [r.select_one("a").get_text() for r in licences] == ["L-LOW", "L-GEN"]
    assert "near expiry" in licences[0].get_text()
    assert doc.select_one("#apps-overdue").get_text() == "1"
    assert doc.select_one("#shipment-form") is None  # viewers read only

    twin = viewer.get("/api/v1/licences").json()
    assert [a["application_id"] for a in twin["applications"]] == [world.late_id, world.app_id]
    assert twin["applications"][0]["deadline"]["overdue"] is True
    assert twin["applications"][1]["docs_missing"] == list(DOC_KEYS)
    by_id = {x["licence_id"]: x for x in twin["licences"]}
    assert by_id["L-LOW"]["flags"] == ["near_expiry"]
    assert by_id["L-GEN"]["flags"] == []
    assert by_id["L-GEN"]["balances"][0]["remaining"] == "100 kg"
    assert twin["summary"]["applications_overdue"] == 1
    assert [x["licence_id"] for x in twin["summary"]["flagged"]] == ["L-LOW"]


def test_application_page_chain_checklist_and_packets(viewer: TestClient, world: World) -> None:
    url = f"/licences/applications/{world.app_id}"
    doc = soup(viewer.get(url).text)
    assert f"#{world.app_id}" in doc.select_one("h1").get_text()
    chain = doc.select("#chain tbody tr")
    assert chain, "the end-use chain comes from the network"
    assert "Harzfeld" in chain[0].get_text()
    assert len(doc.select("#checklist tbody tr")) == len(DOC_KEYS)
    assert "Not submitted" in doc.select_one("#deadline").get_text()
    assert doc.select_one("#status-form") is None  # viewer: no write forms
    twin = viewer.get(f"/api/v1{url}").json()
    assert twin["status"] == "draft"
    assert twin["next_statuses"] == ["submitted", "withdrawn"]
    # the Katowice plant belongs to the Polish subsidiary (the end user a reviewer sees)
    assert twin["chain"] and twin["chain"][0]["steps"][0]["party"] == "HARZFELD-PL"
    assert twin["items"][0]["quantity"] == "1500 kg"
    # filing particulars of the (fictional) Chinese exporter, face fields unknown
    exporter = twin["parties"]["exporter"]
    assert exporter["uscc"] == "91150200508416830H" and exporter["name_zh"].startswith("包头")
    assert twin["face"]["trade_mode"] == "" and twin["face"]["total_usd"] is None
    parties = doc.select_one("dl.facts-2").get_text()
    assert "包头恒达磁业有限公司" in parties and "91150200508416830H" in parties
    assert "待填写" in parties

    pdf = viewer.get(url + "/packet.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f"application-{world.app_id}.pdf" in pdf.headers["content-disposition"]
    xlsx = viewer.get(url + "/packet.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert viewer.get("/licences/applications/999").status_code == 404
    assert viewer.get("/api/v1/licences/applications/999").status_code == 404


def test_editor_works_the_checklist_and_status(editor: TestClient, world: World) -> None:
    url = f"/licences/applications/{world.app_id}"
    token = csrf_from(editor.get(url).text)
    attach = editor.post(
        url + "/documents",
        data={"csrf_token": token, "key": "contract", "action": "attach", "reference": "C-17.pdf"},
        follow_redirects=False,
    )
    assert attach.status_code == 303
    # submitting with documents missing is refused, with the missing ones named
    refused = editor.post(url + "/status", data={"csrf_token": token, "status": "submitted"})
    assert refused.status_code == 422
    error = soup(refused.text).select_one("#form-error").get_text()
    assert "documents missing" in error and "site_photos" in error and "contract" not in error
    for key in DOC_KEYS:
        if key != "contract":
            editor.post(
                url + "/documents",
                data={"csrf_token": token, "key": key, "action": "waive", "reference": "n/a"},
            )
    empty = editor.post(
        url + "/documents",
        data={"csrf_token": token, "key": "contract", "action": "waive", "reference": ""},
    )
    assert empty.status_code == 422  # a waiver needs a reason
    done = editor.post(
        url + "/status",
        data={"csrf_token": token, "status": "submitted", "note": "via portal"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    doc = soup(editor.get(url).text)
    assert "attached" in doc.select_one("#doc-contract").get_text()
    assert "C-17.pdf" in doc.select_one("#doc-contract").get_text()
    history = doc.select("#history tbody tr")
    assert "submitted" in history[-1].get_text() and "editor" in history[-1].get_text()
    assert "working days left" in doc.select_one("#deadline").get_text()

    api = editor.post(
        f"/api/v1{url}/status",
        json={"status": "under_review", "note": "accepted"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 201, api.text
    body = api.json()
    assert [h["status"] for h in body["history"]] == ["submitted", "under_review"]
    assert body["deadline"]["due_on"] is not None
    bad = editor.post(
        f"/api/v1{url}/status", json={"status": "draft"}, headers={"X-CSRF-Token": token}
    )
    assert bad.status_code == 422
    doc_api = editor.post(
        f"/api/v1{url}/documents",
        json={"key": "nonsense", "action": "attach", "reference": "x"},
        headers={"X-CSRF-Token": token},
    )
    assert doc_api.status_code == 422


def _ship(token: str, **kw: str) -> dict[str, str]:
    return {
        "csrf_token": token, "licence_id": "L-GEN", "shipment_id": "SHP-1",
        "part_id": "MAG-EPS", "quantity": "40 kg", "value": "4000", "currency": "USD",
        "destination": "PL", "reason": "order 4711",
    } | kw  # fmt: skip


def test_record_shipment_booked_then_rejected(editor: TestClient, world: World) -> None:
    token = csrf_from(editor.get("/licences/L-GEN").text)
    booked = editor.post("/licences/shipments", data=_ship(token))
    assert booked.status_code == 200
    result = soup(booked.text).select_one("#ship-result")
    assert "Booked" in result.get_text() and "60 kg" in result.get_text()

    over = editor.post(
        "/licences/shipments",
        data=_ship(token, shipment_id="SHP-2", quantity="70 kg", destination="US"),
    )
    assert over.status_code == 422
    reasons = [li.get_text(" ", strip=True) for li in soup(over.text).select("#ship-result li")]
    assert any(r.startswith("over_quantity_balance") and "60 kg" in r for r in reasons)
    assert any(r.startswith("destination_not_named") for r in reasons)
    # the form keeps what was typed, to correct it
    assert soup(over.text).select_one("input[name=quantity]")["value"] == "70 kg"
    bad = editor.post("/licences/shipments", data=_ship(token, quantity="3 pcs"))
    assert bad.status_code == 422 and "not a mass unit" in bad.text

    doc = soup(editor.get("/licences/L-GEN").text)
    ledger = doc.select("#ledger tbody tr")
    assert [r.select("td")[1].get_text(" ", strip=True).split()[0] for r in ledger] == [
        "issue",
        "drawdown",
    ]
    assert "SHP-1" in ledger[1].get_text() and "editor" in ledger[1].get_text()
    assert "60 kg" in doc.select_one("#balances").get_text()

    twin = editor.get("/api/v1/licences/L-GEN").json()
    assert [e["kind"] for e in twin["ledger"]] == ["issue", "drawdown"]
    assert twin["ledger"][1]["reason"] == "order 4711"
    assert twin["balances"][0]["remaining_mg"] == 60_000_000
    body = {k: v for k, v in _ship("").items() if k != "csrf_token"}
    api = editor.post(
        "/api/v1/licences/shipments",
        json=body | {"shipment_id": "SHP-3", "quantity": "58 kg"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 201, api.text
    assert api.json()["balance"]["remaining"] == "2 kg"
    assert api.json()["balance"]["remaining_share"] == pytest.approx(0.02)
    rejected = editor.post(
        "/api/v1/licences/shipments",
        json=body | {"shipment_id": "SHP-4", "quantity": "3 kg", "value": "100"},
        headers={"X-CSRF-Token": token},
    )
    assert rejected.status_code == 422
    assert [v["code"] for v in rejected.json()["violations"]] == ["over_quantity_balance"]
    assert rejected.json()["booked"] is False
    flags = editor.get("/api/v1/licences").json()["licences"]
    assert next(x for x in flags if x["licence_id"] == "L-GEN")["flags"] == ["near_exhaustion"]


def test_dashboard_cards(viewer: TestClient, world: World) -> None:
    doc = soup(viewer.get("/").text)
    due = doc.select("#apps-due tbody tr")
    assert len(due) == 1 and f"#{world.late_id}" in due[0].get_text()
    assert "overdue" in due[0].get_text()
    flagged = doc.select("#licences-flagged tbody tr")
    assert [r.select_one("a").get_text() for r in flagged] == ["L-LOW"]
    card = next(m for m in doc.select(".module") if "Licences" in m.get_text())
    assert card.select_one("a")["href"] == "/licences"
    assert "not available" not in card.get_text()
    twin = viewer.get("/api/v1/dashboard").json()["licensing"]
    assert twin["applications_overdue"] == 1
    assert [x["licence_id"] for x in twin["flagged"]] == ["L-LOW"]


READS = [
    "/licences",
    "/licences/L-GEN",
    "/licences/applications/{app}",
    "/licences/applications/{app}/packet.xlsx",
    "/api/v1/licences",
    "/api/v1/licences/L-GEN",
    "/api/v1/licences/applications/{app}",
]


def test_reads_need_login_and_any_role(app: FastAPI, anon: TestClient, world: World) -> None:
    for template in READS:
        path = template.format(app=world.app_id)
        response = anon.get(path, follow_redirects=False)
        if path.startswith("/api/"):
            assert response.status_code == 401, path
        else:
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login?next=")
    for role in ("viewer", "editor", "admin"):
        client = login(new_client(app), role)
        for template in READS:
            path = template.format(app=world.app_id)
            assert client.get(path).status_code == 200, (role, path)


def test_writes_need_editor_and_csrf(
    app: FastAPI, anon: TestClient, viewer: TestClient, editor: TestClient, world: World
) -> None:
    url = f"/licences/applications/{world.app_id}"
    forms = [
        (url + "/documents", {"key": "contract", "action": "attach", "reference": "x"}),
        (url + "/status", {"status": "withdrawn"}),
        ("/licences/shipments", {k: v for k, v in _ship("").items() if k != "csrf_token"}),
    ]
    apis = [
        (f"/api/v1{url}/documents", {"key": "contract", "action": "attach", "reference": "x"}),
        (f"/api/v1{url}/status", {"status": "withdrawn"}),
        ("/api/v1/licences/shipments", forms[2][1]),
    ]
    viewer_token = csrf_from(viewer.get("/licences").text)
    for path, data in forms:
        assert anon.post(path, data=data, follow_redirects=False).status_code == 303
        assert viewer.post(path, data=data | {"csrf_token": viewer_token}).status_code == 403
        assert editor.post(path, data=data).status_code == 403  # no CSRF token
    for path, body in apis:
        assert anon.post(path, json=body).status_code == 401
        denied = viewer.post(path, json=body, headers={"X-CSRF-Token": viewer_token})
        assert denied.status_code == 403
    ws: Workspace = app.state.workspace
    assert [e.kind.value for e in ws.licensing.ledger("L-GEN")] == ["issue"]
    assert ws.licensing.application(world.app_id).application.history == ()


def test_shipment_ids_are_idempotent_in_form_and_api(editor: TestClient, world: World) -> None:
    token = csrf_from(editor.get("/licences/L-GEN").text)
    booked = editor.post("/licences/shipments", data=_ship(token, shipment_id="IDEM-1"))
    assert booked.status_code == 200
    form = soup(booked.text)
    # after booking, the form does not keep the goods: a second click books nothing
    for field in ("shipment_id", "quantity", "value"):
        assert form.select_one(f"input[name={field}]").get("value", "") == ""
    again = editor.post("/licences/shipments", data=_ship(token, shipment_id="IDEM-1"))
    assert again.status_code == 200
    body = {k: v for k, v in _ship("").items() if k != "csrf_token"}
    api = editor.post(
        "/api/v1/licences/shipments",
        json=body | {"shipment_id": "IDEM-1"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 200 and api.json()["duplicate"] is True
    other = editor.post(
        "/api/v1/licences/shipments",
        json=body | {"shipment_id": "IDEM-1", "quantity": "1 kg"},
        headers={"X-CSRF-Token": token},
    )
    assert other.status_code == 422
    assert other.json()["violations"][0]["code"] == "shipment_already_booked"
    ledger = editor.get("/api/v1/licences/L-GEN").json()["ledger"]
    assert [e["shipment_id"] for e in ledger if e["kind"] == "drawdown"] == ["IDEM-1"]
