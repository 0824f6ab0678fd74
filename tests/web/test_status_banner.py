"""The dashboard's "status unknown" banner (issue 14 item 9), page and JSON twin, on
either side of 10 Nov 2026 (China Standard Time days, from the workspace clock)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient

from raretrace.domain.clock import FixedClock


def test_banner_from_11_nov_2026(app: FastAPI, viewer: TestClient) -> None:
    ws = app.state.workspace
    ws.clock = FixedClock(datetime(2026, 11, 10, 4, 0, tzinfo=UTC))  # 10 Nov in Beijing
    page = viewer.get("/")
    assert page.status_code == 200 and "status-unknown" not in page.text
    data = viewer.get("/api/v1/dashboard").json()
    assert not any("No. 70" in n["measure"] for n in data["compliance"]["status_notices"])

    ws.clock = FixedClock(datetime(2026, 11, 10, 16, 30, tzinfo=UTC))  # 11 Nov 00:30 CST
    page = viewer.get("/")
    assert "status-unknown" in page.text and "Status unknown since 2026-11-11" in page.text
    notices = viewer.get("/api/v1/dashboard").json()["compliance"]["status_notices"]
    no70 = next(n for n in notices if "No. 70" in n["measure"])
    assert no70["until"] == "2026-11-10" and "ann-2025-61" in no70["packs"]
