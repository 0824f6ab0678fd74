"""Exchange rates in the web app: editors upload a rates CSV file (located problems,
nothing stored from a bad file), everyone sees the stored tables, and the part page and
its JSON twin convert value shares with the table chosen (``?rates=ID``).

Every rate here is made-up test data: raretrace ships no exchange rates."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from web.conftest import page_csrf

CSV = "text/csv"
# TINY prices the magnet in USD and the car in EUR.
GOOD = b"""currency,base_per_unit,base,as_of,source
USD,0.9,EUR,2026-11-27,test data (made up)
"""
BAD = b"""currency,base_per_unit,base,as_of,source
USD,0.9,EUR,2026-11-27,test data (made up)
usd,0.8,EUR,2026-11-27,test data (made up)
JPY,-1,EUR,2026-11-28,test data (made up)
"""
SHARE = 8 * 4.20 * 0.9 / 30000  # 8 magnets of 4.20 USD in a 30,000 EUR car


def _upload(client: TestClient, data: bytes, name: str = "fx.csv") -> object:
    return client.post(
        "/rates",
        data={"csrf_token": page_csrf(client, "/rates")},
        files={"file": (name, data, CSV)},
        follow_redirects=False,
    )


def test_editor_uploads_a_table_everyone_sees_it(
    editor: TestClient, viewer: TestClient, admin: TestClient
) -> None:
    empty = BeautifulSoup(viewer.get("/rates").text, "html.parser")
    assert "No rate table stored yet" in empty.select_one("#rate-tables").text
    assert empty.select_one("#upload-rates") is None  # viewers cannot upload
    done = _upload(editor, GOOD)
    assert done.status_code == 303 and done.headers["location"] == "/rates#rates-1"  # type: ignore[attr-defined]
    row = BeautifulSoup(viewer.get("/rates").text, "html.parser").select_one("#rates-1")
    assert row is not None
    text = row.get_text(" ", strip=True)
    assert "EUR" in text and "2026-11-27" in text and "test data (made up)" in text
    assert "fx.csv" in text and "editor" in text
    tables = viewer.get("/api/v1/rates").json()["tables"]
    assert len(tables) == 1
    table = viewer.get("/api/v1/rates/1").json()
    assert table == tables[0]
    assert table["rates"] == {"USD": "0.9"} and table["base"] == "EUR"
    assert table["name"] == "fx.csv" and len(table["sha256"]) == 64
    assert viewer.get("/api/v1/rates/2").status_code == 404
    audit = [a for a in admin.get("/api/v1/audit").json() if a["action"] == "rates.store"]
    assert len(audit) == 1 and audit[0]["actor"] == "editor" and audit[0]["target"] == "fx.csv"


def test_bad_file_lists_every_problem_and_stores_nothing(editor: TestClient) -> None:
    refused = _upload(editor, BAD, "bad.csv")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    doc = BeautifulSoup(refused.text, "html.parser")  # type: ignore[attr-defined]
    rows = [[td.get_text() for td in tr.select("td")] for tr in doc.select("#problems tbody tr")]
    assert rows == [
        ["bad.csv", "3", "currency", "USD already given in row 2"],
        ["bad.csv", "4", "as_of", "'2026-11-28' differs from row 2 ('2026-11-27')"],
        ["bad.csv", "4", "base_per_unit", "'-1': a rate must be a positive number"],
    ]
    assert "Nothing was stored" in doc.select_one("#rates-result").text
    headers = {"X-CSRF-Token": page_csrf(editor, "/rates")}
    api = editor.post("/api/v1/rates", files={"file": ("bad.csv", BAD, CSV)}, headers=headers)
    assert api.status_code == 422
    assert [(p["row"], p["column"]) for p in api.json()["problems"]] == [
        (3, "currency"),
        (4, "as_of"),
        (4, "base_per_unit"),
    ]
    binary = editor.post(
        "/api/v1/rates", files={"file": ("x.csv", b"\xff\x00", CSV)}, headers=headers
    )
    assert binary.status_code == 422
    huge = editor.post(
        "/api/v1/rates",
        files={"file": ("big.csv", b"x" * (1024 * 1024 + 10), CSV)},
        headers=headers,
    )
    assert huge.status_code == 422 and "limit" in huge.json()["problems"][0]["message"]
    assert editor.get("/api/v1/rates").json()["tables"] == []
    made = editor.post("/api/v1/rates", files={"file": ("ok.csv", GOOD, CSV)}, headers=headers)
    assert made.status_code == 201 and made.json()["rates_id"] == 1


def test_uploads_need_an_editor_and_csrf(
    anon: TestClient, viewer: TestClient, editor: TestClient
) -> None:
    token = page_csrf(viewer, "/rates")
    files = {"file": ("fx.csv", GOOD, CSV)}
    assert viewer.post("/rates", data={"csrf_token": token}, files=files).status_code == 403
    denied = viewer.post("/api/v1/rates", files=files, headers={"X-CSRF-Token": token})
    assert denied.status_code == 403
    assert editor.post("/rates", files=files).status_code == 403  # no CSRF token
    assert anon.post("/api/v1/rates", files=files).status_code == 401
    assert anon.get("/rates", follow_redirects=False).status_code == 303
    assert anon.get("/api/v1/rates").status_code == 401
    assert editor.get("/api/v1/rates").json()["tables"] == []


def test_part_page_converts_value_shares_with_the_chosen_table(
    editor: TestClient, viewer: TestClient
) -> None:
    plain = viewer.get("/api/v1/parts/CAR").json()["analysis"]
    assert plain["rates"] is None
    assert plain["trace"]["nodes"][0]["controlled_value_share"] is None
    page = BeautifulSoup(viewer.get("/parts/CAR").text, "html.parser")
    assert "upload a rates file" in page.select_one("#rates-hint").text
    assert _upload(editor, GOOD).status_code == 303  # type: ignore[attr-defined]
    converted = viewer.get("/api/v1/parts/CAR", params={"rates": 1}).json()["analysis"]
    node = converted["trace"]["nodes"][0]
    assert node["controlled_value_share"] == pytest.approx(SHARE)
    assert node["value_currency"] == "EUR"
    assert converted["rates"]["rates_id"] == 1
    assert converted["rates"]["source"] == "test data (made up)"
    # the same part without a table is still unconverted (the view cache keys on it)
    again = viewer.get("/api/v1/parts/CAR").json()["analysis"]
    assert again["trace"]["nodes"][0]["controlled_value_share"] is None
    assert viewer.get("/api/v1/parts/CAR", params={"rates": ""}).json()["analysis"] == again
    page = BeautifulSoup(viewer.get("/parts/CAR?rates=1").text, "html.parser")
    chosen = page.select_one("#rates-choice option[selected]")
    assert chosen is not None and chosen["value"] == "1"
    used = page.select_one("#rates-used").get_text(" ", strip=True)
    assert "converted to EUR" in used and "2026-11-27" in used and "#1" in used
    assert "rates=1" in page.select_one("a.json-link")["href"]
    assert f"{SHARE * 100:.2f} %" in page.select_one("#trace-kpis").text
    assert viewer.get("/api/v1/parts/CAR", params={"rates": 9}).status_code == 404
    assert viewer.get("/parts/CAR", params={"rates": 0}).status_code == 422
