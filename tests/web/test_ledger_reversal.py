"""Reversing a drawdown from the licence page and through /api/v1: editors only, with a
CSRF token and a reason; the balance comes back, the drawdown stays, the reversal is in
the audit log, and a second reversal of the same drawdown is refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from factories import TEST_TODAY
from raretrace.domain.ledger import EntryKind
from raretrace.domain.licences import Licence, LicenceItem, LicenceType
from raretrace.services.licensing.service import ShipmentInput
from raretrace.workspace import Workspace
from web.conftest import csrf_from

TODAY = TEST_TODAY


@pytest.fixture
def drawdowns(app: FastAPI) -> list[int]:
    """Licence L-1 (100 kg of MAGNET, 10,000 USD) with two drawdowns of 30 kg / 3,000 USD."""
    ws: Workspace = app.state.workspace
    ws.licensing.add_licence(
        Licence(
            licence_id="L-1", licence_type=LicenceType.GENERAL, exporter="S-MAG",
            importer="OEM", end_users=("OEM",), destinations=("DE",),
            valid_from=TODAY - timedelta(days=10), valid_to=TODAY + timedelta(days=100),
            items=(LicenceItem(1, "MAGNET", "NdFeB magnets", "1C905.a", 100_000_000,
                               Decimal("10000.00"), "USD"),),
        ),
        actor="officer",
    )  # fmt: skip
    ids = []
    for n in (1, 2):
        s = ShipmentInput(f"SHP-{n}", "MAGNET", "30 kg", "3000", "USD", end_user="OEM",
                          destination="DE")  # fmt: skip
        result = ws.licensing.ship(s, "L-1", actor="clerk")
        assert result.entry is not None and result.entry.entry_id is not None
        ids.append(result.entry.entry_id)
    return ids


def _page(client: TestClient, path: str = "/licences/L-1") -> tuple[BeautifulSoup, str]:
    """The page parsed, and its CSRF token."""
    html = client.get(path).text
    return BeautifulSoup(html, "html.parser"), csrf_from(html)


def _balance(client: TestClient) -> dict[str, object]:
    balance: dict[str, object] = client.get("/api/v1/licences/L-1").json()["balances"][0]
    return balance


def test_editor_reverses_a_drawdown_from_the_ledger_page(
    editor: TestClient, admin: TestClient, drawdowns: list[int]
) -> None:
    first, second = drawdowns
    assert _balance(editor)["remaining"] == "40 kg"
    doc, token = _page(editor)
    form = doc.select_one(f"#entry-{first} form.reverse-form")
    assert form is not None and form["action"] == f"/licences/L-1/ledger/{first}/reverse"
    assert form.select_one("input[name=reason]").has_attr("required")
    done = editor.post(
        f"/licences/L-1/ledger/{first}/reverse",
        data={"csrf_token": token, "reason": "booked against the wrong licence"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    ledger = editor.get("/api/v1/licences/L-1").json()["ledger"]
    reversal = ledger[-1]
    assert done.headers["location"] == f"/licences/L-1#entry-{reversal['entry_id']}"
    assert reversal["kind"] == "reversal" and reversal["reverses"] == first
    assert (
        reversal["actor"] == "editor" and reversal["reason"] == "booked against the wrong licence"
    )
    assert [e["kind"] for e in ledger] == ["issue", "drawdown", "drawdown", "reversal"]
    assert ledger[1]["reversed_by"] == reversal["entry_id"]  # the drawdown itself stays
    balance = _balance(editor)
    assert balance["remaining"] == "70 kg" and balance["remaining_value"] == "7000.00"
    # the page: no reverse form on the reversed drawdown nor on the reversal, one left
    doc, _ = _page(editor)
    assert doc.select_one(f"#entry-{first} form") is None
    assert doc.select_one(f"#entry-{reversal['entry_id']} form") is None
    assert doc.select_one(f"#entry-{second} form.reverse-form") is not None
    assert f"reversed by #{reversal['entry_id']}" in doc.select_one(f"#entry-{first}").text
    audit = admin.get("/api/v1/audit").json()
    logged = [a for a in audit if a["action"] == "ledger.reverse"]
    assert len(logged) == 1 and logged[0]["actor"] == "editor"
    assert logged[0]["target"] == f"L-1 entry {first}"
    assert "booked against the wrong licence" in logged[0]["detail"]


def test_reversing_twice_or_without_a_reason_is_refused(
    app: FastAPI, editor: TestClient, drawdowns: list[int]
) -> None:
    first, _ = drawdowns
    token = csrf_from(editor.get("/licences/L-1").text)
    url = f"/licences/L-1/ledger/{first}/reverse"
    for reason in ("", "   "):
        refused = editor.post(url, data={"csrf_token": token, "reason": reason})
        assert refused.status_code == 422
        error = BeautifulSoup(refused.text, "html.parser").select_one("#reverse-error")
        assert error is not None and "needs a reason" in error.text
    assert _balance(editor)["remaining"] == "40 kg"
    assert editor.post(url, data={"csrf_token": token, "reason": "duplicate booking"}).is_success
    again = editor.post(url, data={"csrf_token": token, "reason": "once more"})
    assert again.status_code == 422
    error = BeautifulSoup(again.text, "html.parser").select_one("#reverse-error")
    assert error is not None and f"entry {first} is already reversed" in error.text
    assert "duplicate booking" in error.text  # says by whom and why it was reversed
    headers = {"X-CSRF-Token": token}
    api = editor.post(f"/api/v1{url}", json={"reason": "once more"}, headers=headers)
    assert api.status_code == 422 and "already reversed" in api.json()["detail"]
    assert editor.post(f"/api/v1{url}", json={"reason": ""}, headers=headers).status_code == 422
    assert editor.post(f"/api/v1{url}", json={}, headers=headers).status_code == 422
    ws: Workspace = app.state.workspace
    kinds = [e.kind for e in ws.licensing.ledger("L-1")]
    assert kinds.count(EntryKind.REVERSAL) == 1
    assert _balance(editor)["remaining"] == "70 kg"


def test_only_drawdowns_of_this_licence_reverse(
    app: FastAPI, editor: TestClient, drawdowns: list[int]
) -> None:
    token = csrf_from(editor.get("/licences/L-1").text)
    headers = {"X-CSRF-Token": token}
    issue = app.state.workspace.licensing.ledger("L-1")[0]
    assert issue.kind is EntryKind.ISSUE
    r = editor.post(
        f"/api/v1/licences/L-1/ledger/{issue.entry_id}/reverse",
        json={"reason": "x"},
        headers=headers,
    )
    assert r.status_code == 422 and "only drawdowns reverse" in r.json()["detail"]
    app.state.workspace.licensing.add_licence(
        Licence(
            licence_id="L-2", licence_type=LicenceType.GENERAL, exporter="S-MAG",
            importer="OEM", end_users=("OEM",), destinations=("DE",),
            valid_from=TODAY, valid_to=TODAY + timedelta(days=1),
            items=(LicenceItem(1, "MAGNET", "", "", 1_000_000, Decimal("1.00"), "USD"),),
        ),
        actor="officer",
    )  # fmt: skip
    other = f"/licences/L-2/ledger/{drawdowns[0]}/reverse"
    assert editor.post(f"/api/v1{other}", json={"reason": "x"}, headers=headers).status_code == 404
    assert editor.post(other, data={"csrf_token": token, "reason": "x"}).status_code == 404
    missing = "/api/v1/licences/L-1/ledger/999999/reverse"
    assert editor.post(missing, json={"reason": "x"}, headers=headers).status_code == 404
    assert _balance(editor)["remaining"] == "40 kg"


def test_api_twin_returns_the_reversal_and_the_balance(
    editor: TestClient, drawdowns: list[int]
) -> None:
    token = csrf_from(editor.get("/licences/L-1").text)
    r = editor.post(
        f"/api/v1/licences/L-1/ledger/{drawdowns[1]}/reverse",
        json={"reason": "  shipment cancelled  "},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["licence_id"] == "L-1" and body["reverses"] == drawdowns[1]
    assert body["entry"]["kind"] == "reversal" and body["entry"]["reason"] == "shipment cancelled"
    assert body["entry"]["shipment_id"] == "SHP-2" and body["entry"]["quantity"] == "30 kg"
    assert body["balance"]["remaining"] == "70 kg" and body["balance"]["drawn_mg"] == 30_000_000


def test_viewers_and_strangers_cannot_reverse(
    app: FastAPI, anon: TestClient, viewer: TestClient, editor: TestClient, drawdowns: list[int]
) -> None:
    first, _ = drawdowns
    url = f"/licences/L-1/ledger/{first}/reverse"
    doc, token = _page(viewer)
    assert doc.select("form.reverse-form") == []  # no form for viewers
    assert viewer.post(url, data={"csrf_token": token, "reason": "x"}).status_code == 403
    denied = viewer.post(f"/api/v1{url}", json={"reason": "x"}, headers={"X-CSRF-Token": token})
    assert denied.status_code == 403
    assert anon.post(url, data={"reason": "x"}, follow_redirects=False).status_code == 303
    assert anon.post(f"/api/v1{url}", json={"reason": "x"}).status_code == 401
    assert editor.post(url, data={"reason": "x"}).status_code == 403  # no CSRF token
    assert editor.post(f"/api/v1{url}", json={"reason": "x"}).status_code == 403
    ws: Workspace = app.state.workspace
    assert [e.kind for e in ws.licensing.ledger("L-1")].count(EntryKind.REVERSAL) == 0
