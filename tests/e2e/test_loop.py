"""The analyst's whole loop in chromium (issue 17): a flow needing a licence ->
application (pre-filled from the flow) -> documents -> submit -> approved -> licence ->
shipment -> ledger, as an editor; a viewer sees the same pages without the actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.e2e.test_browser import _shot, page, server  # noqa: F401  (fixtures)

from factories import TEST_TODAY
from raretrace.domain.users import UserRole
from raretrace.services.users import accounts as user_service
from raretrace.settings import Settings
from raretrace.workspace import Workspace

PASSWORD = "loop test password"

pytestmark = pytest.mark.browser


@pytest.fixture
def loop_world(settings: Settings) -> None:
    with Workspace.open(settings) as ws:
        ws.load_sample()
        with ws._uow(write=True) as uow:
            user_service.create_user(
                uow, username="eddie", role=UserRole.EDITOR, password=PASSWORD, actor="test"
            )
            user_service.create_user(
                uow, username="vera", role=UserRole.VIEWER, password=PASSWORD, actor="test"
            )


def _login_as(page, server: str, name: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    page.goto(server + "/login")
    page.fill('input[name="username"]', name)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    expect(page.locator("h1")).to_have_text("Dashboard")


def test_editor_walks_the_loop_and_a_viewer_cannot(  # type: ignore[no-untyped-def]
    loop_world: None,
    server: str,  # noqa: F811
    page,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    _login_as(page, server, "eddie")
    page.goto(server + "/rules/flows")
    row = page.locator("#flows tbody tr", has=page.locator(".start-application")).first
    expect(row.locator(".cover")).to_contain_text("none")
    part_id = row.locator("td").first.locator(".muted").inner_text().split(" ·")[0].strip()
    _shot(page, "30-flows")
    row.locator(".start-application").click()

    expect(page.locator("h1")).to_have_text("New licence application")
    expect(page.locator("input[name='part_id_0']")).to_have_value(part_id)
    expect(page.locator("textarea[name='end_use']")).to_contain_text("incorporated into")
    page.fill("input[name='quantity_0']", "100 kg")
    page.fill("input[name='value_0']", "5000")
    page.select_option("select[name='licence_type']", "general")
    _shot(page, "31-application-form")
    page.click("#create-application")
    expect(page.locator("h1")).to_contain_text("Application #")
    app_url = page.url

    missing = page.locator("tr:has(.doc-state-missing) form.doc-actions")
    while missing.count():
        form = missing.first
        form.locator("input[name='reference']").fill("archive 2026/17")
        form.locator("button[value='attach']").click()
        page.wait_for_load_state()
    for status in ("submitted", "approved"):
        page.select_option("#status-form select[name='status']", status)
        page.click("#status-form button[type='submit']")
        page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("approved")
    _shot(page, "32-application-approved")

    page.click("#record-licence")
    expect(page.locator("input[name='part_id_0']")).to_have_value(part_id)
    today = TEST_TODAY  # the day the app's fixed clock says (Settings.fixed_now)
    page.fill("input[name='licence_id']", "MOFCOM-E2E-17")
    page.fill("input[name='valid_from']", (today - timedelta(days=1)).isoformat())
    page.fill("input[name='valid_to']", (today + timedelta(days=365)).isoformat())
    page.click("#create-licence")
    expect(page).to_have_url(server + "/licences/MOFCOM-E2E-17")
    _shot(page, "33-licence")

    page.fill("#shipment-form input[name='shipment_id']", "E2E-SHP-1")
    page.fill("#shipment-form input[name='quantity']", "10 kg")
    page.fill("#shipment-form input[name='value']", "500")
    page.click("#shipment-form button[type='submit']")
    expect(page.locator("#ship-result")).to_contain_text("Booked")
    # the form forgets the goods: a second click cannot book them again
    expect(page.locator("#shipment-form input[name='quantity']")).to_have_value("")
    expect(page.locator("#shipment-form input[name='value']")).to_have_value("")
    _shot(page, "34-shipment")
    page.click("#ship-result a")
    expect(page.locator("#ledger tbody tr")).to_have_count(2)
    expect(page.locator("#ledger")).to_contain_text("E2E-SHP-1")
    expect(page.locator("#balances")).to_contain_text("90 kg")

    page.goto(server + "/rules/flows")
    expect(page.locator("#flows .cover", has_text="MOFCOM-E2E-17").first).to_be_visible()

    page.click("form[action='/logout'] button")
    _login_as(page, server, "vera")
    page.goto(server + "/rules/flows")
    expect(page.locator("#flows tbody tr").first).to_be_visible()
    expect(page.locator(".start-application")).to_have_count(0)
    page.goto(server + "/licences/applications/new")
    expect(page.locator("h1")).to_have_text("Not allowed")
    expect(page.locator("nav.mainnav")).to_be_visible()
    page.goto(app_url)
    expect(page.locator("#status-form")).to_have_count(0)
    expect(page.locator("#record-licence")).to_have_count(0)
    page.goto(server + "/licences/MOFCOM-E2E-17")
    expect(page.locator("#ledger")).to_contain_text("E2E-SHP-1")
    expect(page.locator("#shipment-form")).to_have_count(0)
    _shot(page, "35-viewer")
