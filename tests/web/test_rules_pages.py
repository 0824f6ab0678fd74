"""Rules pages: packs with citations and dates, the date diff, and flows needing a licence
with the what-if switch; pages and JSON twins agree."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from web.conftest import login, new_client

READS = ["/rules", "/rules/diff", "/rules/flows", "/api/v1/rules", "/api/v1/rules/diff",
         "/api/v1/rules/flows"]  # fmt: skip


def soup(client: TestClient, path: str) -> BeautifulSoup:
    r = client.get(path)
    assert r.status_code == 200, r.text[:300]
    return BeautifulSoup(r.text, "html.parser")


def test_rule_book_lists_packs_with_citations_dates_and_flags(viewer: TestClient) -> None:
    api = viewer.get("/api/v1/rules", params={"as_of": "2025-01-01"}).json()
    packs = {p["pack_id"]: p for p in api["packs"]}
    assert "ann-2025-18" in packs
    assert all(p["citations"] for p in api["packs"])
    rules = [r for p in api["packs"] for r in p["rules"]]
    assert all(
        r["state"] == "not_yet_in_force" for r in rules if r["effective_from"] > "2025-01-01"
    )
    assert any(r["suspensions"] for r in rules)
    assert any(r["uncertain"] for r in rules)
    page = soup(viewer, "/rules?as_of=2025-01-01")
    assert len(page.select("table.rules tbody tr")) == len(rules)
    rid = rules[0]["rule_id"]
    assert page.find(id=f"rule-{rid}") is not None


def test_suspension_what_if_changes_rule_status(viewer: TestClient) -> None:
    def states(policy: str) -> dict[str, str]:
        api = viewer.get("/api/v1/rules", params={"as_of": "2026-01-15", "policy": policy}).json()
        return {r["rule_id"]: r["state"] for p in api["packs"] for r in p["rules"]}

    written, lifted = states("as_written"), states("lifted")
    suspended = [r for r, s in written.items() if s == "suspended"]
    assert suspended, "some rule is suspended on 2026-01-15 as written"
    assert all(lifted[r] == "in_force" for r in suspended)


def test_diff_between_two_dates(viewer: TestClient) -> None:
    params = {"date_from": "2025-04-03", "date_to": "2025-04-04"}
    api = viewer.get("/api/v1/rules/diff", params=params).json()
    assert {"subject": "MAGNET", "before": "not_controlled", "after": "controlled"}.items() <= (
        next(c for c in api["parts"] if c["subject"] == "MAGNET").items()
    )
    assert any(r["before"] == "not_yet_in_force" for r in api["rules"])
    page = soup(viewer, "/rules/diff?date_from=2025-04-03&date_to=2025-04-04")
    assert "MAGNET" in page.select_one("#part-changes").text
    assert len(page.select("#rule-changes tbody tr")) == len(api["rules"])
    bad = {"date_from": "2025-05-01", "date_to": "2025-01-01"}
    assert viewer.get("/api/v1/rules/diff", params=bad).status_code == 422


def test_flows_needing_a_licence_with_what_if(viewer: TestClient) -> None:
    api = viewer.get("/api/v1/rules/flows", params={"as_of": "2026-01-15", "show": "all"}).json()
    assert api["total_cross_border"] == 2 and len(api["flows"]) == 2
    assert api["policy"] == "as_written" and api["alternative"] == "lifted"
    flow = next(f for f in api["flows"] if f["part_id"] == "MAGNET")
    assert flow["exporter_country"] == "JP" and flow["destination_country"] == "DE"
    lifted = viewer.get(
        "/api/v1/rules/flows", params={"as_of": "2026-01-15", "policy": "lifted", "show": "all"}
    ).json()
    assert lifted["alternative"] == "as_written"
    assert lifted["licence_required"] == api["licence_required_alternative"]
    page = soup(viewer, "/rules/flows?as_of=2026-01-15&policy=lifted")
    switch = page.select("#what-if a")
    assert [a.text for a in switch] == ["as written", "lifted", "extended"]
    assert switch[1]["aria-current"] == "true"
    assert page.select_one("#licence-count").text == str(lifted["licence_required"])
    assert viewer.get("/api/v1/rules/flows", params={"show": "bogus"}).status_code == 422


@pytest.mark.parametrize("path", READS)
def test_reads_need_login(app, anon: TestClient, path: str) -> None:
    r = anon.get(path, follow_redirects=False)
    assert r.status_code == (401 if path.startswith("/api/") else 303)
    assert login(new_client(app), "viewer").get(path).status_code == 200
