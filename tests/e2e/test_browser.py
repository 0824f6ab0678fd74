"""Browser tests: Playwright drives Debian's chromium against `uvicorn` on loopback.

Skipped where /usr/bin/chromium is absent, except in CI (CI=true), where that fails.
Set RARETRACE_SCREENSHOTS=DIR to keep a PNG of every page visited.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from factories import TEST_TODAY
from raretrace.domain.users import UserRole
from raretrace.sample import world_path
from raretrace.services.users import accounts as user_service
from raretrace.settings import Settings
from raretrace.workspace import Workspace

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "browser test password"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(settings: Settings, tmp_path: Path) -> Iterator[str]:
    _require_chromium()
    with Workspace.open(settings) as ws, ws._uow() as uow:
        user_service.create_user(
            uow, username="ada", role=UserRole.ADMIN, password=PASSWORD, actor="test"
        )
    port = _free_port()
    env = {**os.environ, "RARETRACE_DATABASE_URL": settings.database_url}
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "raretrace.web.asgi:app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail((tmp_path / "server.log").read_text())
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture
def page(tmp_path: Path) -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            accept_downloads=True,
            viewport={"width": 1360, "height": 900},
        )
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def _shot(page: object, name: str) -> None:
    folder = os.environ.get("RARETRACE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def _sample_zip(tmp_path: Path) -> Path:
    world = world_path()
    target = tmp_path / "world.zip"
    with zipfile.ZipFile(target, "w") as z:
        for csv in sorted(world.glob("*.csv")):
            z.write(csv, f"world/{csv.name}")
    return target


def test_login_import_chart_download(server: str, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto(server + "/")
    expect(page).to_have_url(server + "/login?next=%2F")
    _shot(page, "01-login")
    page.fill('input[name="username"]', "ada")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    expect(page.locator("h1")).to_have_text("Dashboard")

    page.goto(server + "/import")
    page.set_input_files('input[name="file"]', str(_sample_zip(tmp_path)))
    page.check('input[name="replace"]')
    page.click("text=Check the bundle")
    expect(page.locator(".alert-ok")).to_contain_text("is valid")
    _shot(page, "02-import-preview")
    page.click("#confirm-import")
    expect(page.locator(".alert-ok")).to_contain_text("Imported")

    page.goto(server + "/")
    expect(page.locator("figure[data-chart='chart-countries']")).to_have_attribute(
        "data-rendered", "true"
    )
    _shot(page, "03-dashboard")
    product = page.locator("#products tbody tr a").first
    product.click()
    expect(page.locator(".kind-product").first).to_be_visible()
    _shot(page, "04-product")
    page.click("text=Supply network")
    figure = page.locator("figure[data-chart='chart-network']")
    expect(figure).to_have_attribute("data-rendered", "true", timeout=20_000)
    # the chart really drew: one circle mark per node in an SVG
    marks = figure.locator("svg g.mark-symbol.role-mark path")
    assert marks.count() >= 3
    assert marks.count() == page.locator("#nodes tbody tr").count()
    _shot(page, "05-network")

    page.goto(server + "/parts?rare=true")
    _shot(page, "06-parts")
    page.goto(server + "/suppliers")
    _shot(page, "07-suppliers")
    with page.expect_download() as download_info:
        page.click("text=Download CSV")
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.name == "suppliers.csv"
    assert path.read_text(encoding="utf-8").startswith("rank,site,party,party_name")

    page.goto(server + "/admin/users")
    _shot(page, "08-users")


@pytest.fixture
def world(settings: Settings) -> None:
    """The sample world and the fictional sample list, screened once (no browser import)."""
    from raretrace.cli.screen import sample_list_path

    with Workspace.open(settings) as ws:
        ws.load_sample()
        ws.screening.import_list(
            sample_list_path(), fmt="mofcom", list_name="Sample list", actor="test"
        )
        ws.screening.screen_all()


def _login(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/login")
    page.fill('input[name="username"]', "ada")
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')


def _drawn(page, chart: str, selector: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    figure = page.locator(f"figure[data-chart='{chart}']")
    expect(figure).to_have_attribute("data-rendered", "true", timeout=20_000)
    return figure.locator(selector)


def test_part_page_verdict_follows_the_date(world: None, server: str, page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    _login(page, server)
    page.goto(server + "/parts/MAG-SMCO-RPS?as_of=2025-04-03")
    expect(page.locator("#classification .outcome")).to_have_text("not controlled")
    page.fill('input[name="as_of"]', "2025-04-04")
    page.click("form.asof button[type='submit']")
    expect(page.locator("#classification .outcome")).to_have_text("controlled")
    assert "as_of=2025-04-04" in page.url
    page.goto(server + "/parts/VEH-AST-EV")
    bars = _drawn(page, "chart-origin", "svg g.mark-rect.role-mark path")
    assert bars.count() >= 4  # one stacked segment per (element, country) at least
    assert _drawn(page, "chart-content", "svg g.mark-rect.role-mark path").count() >= 3
    _shot(page, "11-product-analysis")


def test_sankey_draws_bands_and_nodes(world: None, server: str, page) -> None:  # type: ignore[no-untyped-def]
    _login(page, server)
    page.goto(server + "/products/VEH-AST-EV/sankey?element=Dy")
    bands = _drawn(page, "chart-sankey", "svg g.mark-path.role-mark path")
    nodes = page.locator("figure[data-chart='chart-sankey'] svg g.mark-rect.role-mark path")
    assert bands.count() == page.locator("#links tbody tr").count() >= 5
    assert nodes.count() >= 5
    _shot(page, "12-sankey")
    page.goto(server + "/suppliers?scope=all")
    assert _drawn(page, "chart-exposure", "svg g.mark-rect.role-mark path").count() >= 10
    _shot(page, "13-supplier-exposure")
    page.goto(server + "/")
    assert _drawn(page, "chart-exposure", "svg g.mark-rect.role-mark path").count() >= 4
    _shot(page, "14-dashboard-compliance")


def test_rules_what_if_switch(world: None, server: str, page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    _login(page, server)
    page.goto(server + "/rules")
    expect(page.locator("table.rules").first).to_be_visible()
    _shot(page, "15-rules")
    page.goto(server + "/rules/flows?as_of=2026-01-15")
    written = int(page.locator("#licence-count").inner_text())
    page.click("#what-if >> text=lifted")
    expect(page.locator("#what-if a[aria-current='true']")).to_have_text("lifted")
    assert int(page.locator("#licence-count").inner_text()) >= written
    _shot(page, "16-rules-flows")
    page.goto(server + "/rules/diff?date_from=2025-04-03&date_to=2025-04-04")
    assert page.locator("#part-changes tbody tr").count() >= 1
    _shot(page, "17-rules-diff")


def test_screening_review_and_decide(world: None, server: str, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    _login(page, server)
    page.goto(server + "/screening")
    open_before = int(page.locator("#open-hits").inner_text())
    assert open_before >= 1
    _shot(page, "18-screening")
    page.locator("#hits a", has_text="Review").first.click()
    assert _drawn(page, "chart-features", "svg g.mark-rect.role-mark path").count() >= 3
    _shot(page, "19-screening-hit")
    page.check("input[value='no-match']")
    page.fill("textarea[name='reason']", "different address and registry number")
    page.click("#decide-form button[type='submit']")
    expect(page.locator("#decision")).to_contain_text("False positive")
    page.goto(server + "/screening")
    assert int(page.locator("#open-hits").inner_text()) == open_before - 1
    with page.expect_download() as info:
        page.click("text=Audit trail (CSV)")
    target = tmp_path / "audit.csv"
    info.value.save_as(target)
    assert "different address and registry number" in target.read_text(encoding="utf-8")


@pytest.fixture
def licence_world(settings: Settings) -> int:
    """The sample world with the demo's draft application and a general licence."""
    from raretrace.domain.licences import Licence, LicenceItem, LicenceType
    from raretrace.services.licensing.service import ItemInput

    today = TEST_TODAY
    with Workspace.open(settings) as ws:
        ws.load_sample()
        v = ws.licensing.create_application(
            exporter="S-HEN-CN-BT", importer="HARZFELD", end_user="S-HAR-PL-KAT",
            items=[ItemInput("MAG-EPS", "1500 kg", "95000.00", "USD")],
            end_use="Rotor magnets for electric power steering motors", actor="test",
        )  # fmt: skip
        ws.licensing.attach(v.application.application_id or 0, "contract", "C-17.pdf", actor="test")
        ws.licensing.add_licence(
            Licence(
                licence_id="L-2026-0815", licence_type=LicenceType.GENERAL,
                exporter="S-HEN-CN-BT", importer="HARZFELD", end_users=("HARZFELD",),
                destinations=("PL",), valid_from=today - timedelta(days=60),
                valid_to=today + timedelta(days=300),
                items=(LicenceItem(1, "MAG-EPS", "EPS magnet", "1C905.a", 2_000_000_000,
                                   Decimal("120000.00"), "USD"),),
            ),
            actor="test",
        )  # fmt: skip
        return v.application.application_id or 0


def test_licences_application_shipment_packet(  # type: ignore[no-untyped-def]
    licence_world: int, server: str, page, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    _login(page, server)
    expect(page.locator("#apps-due")).to_be_visible()
    page.click("nav >> text=Licences")
    expect(page.locator("h1")).to_have_text("Licences")
    _shot(page, "20-licences")
    page.click(f"#applications a[href='/licences/applications/{licence_world}']")
    expect(page.locator("#chain tbody tr").first).to_contain_text("Harzfeld")
    expect(page.locator("#doc-contract")).to_contain_text("attached")
    _shot(page, "21-application")
    with page.expect_download() as info:
        page.click("#packet-pdf")
    pdf = tmp_path / "packet.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    page.goto(server + "/licences/L-2026-0815")
    page.fill("#shipment-form input[name='shipment_id']", "SHP-0042")
    page.fill("#shipment-form input[name='part_id']", "MAG-EPS")
    page.fill("#shipment-form input[name='quantity']", "2500 kg")
    page.fill("#shipment-form input[name='value']", "150000")
    page.click("#shipment-form button[type='submit']")
    expect(page.locator("#ship-result")).to_contain_text("Rejected")
    expect(page.locator("#ship-result")).to_contain_text("over_quantity_balance")
    _shot(page, "22-shipment-rejected")
    page.fill("#shipment-form input[name='shipment_id']", "SHP-0042")
    page.fill("#shipment-form input[name='quantity']", "1850 kg")
    page.fill("#shipment-form input[name='value']", "99000")
    page.click("#shipment-form button[type='submit']")
    expect(page.locator("#ship-result")).to_contain_text("Booked")
    expect(page.locator("#ship-result")).to_contain_text("150 kg")
    _shot(page, "23-shipment-booked")
    page.click("#ship-result a")
    expect(page.locator("#ledger tbody tr")).to_have_count(2)
    expect(page.locator("#balances")).to_contain_text("150 kg")
    _shot(page, "24-licence")
    page.goto(server + "/")
    expect(page.locator("#licences-flagged")).to_contain_text("L-2026-0815")
    _shot(page, "25-dashboard-licences")

    page.goto(server + "/licences/L-2026-0815")
    page.click("#ledger details.reverse summary")
    page.fill("#ledger form.reverse-form input[name='reason']", "booked twice")
    page.click("#ledger form.reverse-form button[type='submit']")
    expect(page.locator("#ledger tbody tr")).to_have_count(3)
    expect(page.locator("#ledger tbody tr").last).to_contain_text("booked twice")
    expect(page.locator("#balances")).to_contain_text("2000 kg")
    expect(page.locator("#ledger form.reverse-form")).to_have_count(0)
    _shot(page, "26-ledger-reversed")


def test_simulation_runs_in_background_and_draws(
    world: None, server: str, page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    _login(page, server)
    page.goto(server + "/simulation")
    _shot(page, "20-simulation")
    page.select_option("select[name='scenario']", "licence_delay_45wd")
    page.fill("input[name='runs']", "200")
    page.click("#start-run")
    # progress is polled by htmx; the page reloads itself with the results
    bars = _drawn(page, "chart-stop", "svg g.mark-rect.role-mark path")
    assert bars.count() == page.locator("#products tbody tr").count() >= 3
    assert _drawn(page, "chart-first-stop", "svg g.mark-rect.role-mark path").count() >= 1
    assert _drawn(page, "chart-inventory", "svg g.mark-line.role-mark path").count() == 1
    expect(page.locator("#causes tbody tr").first).to_contain_text("from")
    _shot(page, "21-simulation-run")
    page.goto(server + "/simulation/dependence")
    assert _drawn(page, "chart-dependence", "svg g.mark-rect.role-mark path").count() >= 4
    _shot(page, "22-dependence")
    page.goto(server + "/")
    _shot(page, "24-dashboard-simulation")
    page.goto(server + "/")
    expect(page.locator("#latest-simulation")).to_contain_text("licence-delay-45wd")
    page.goto(server + "/surveys")
    with page.expect_download() as info:
        page.click("#make-survey-button")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.suffix == ".xlsx" and target.stat().st_size > 1000
    page.goto(server + "/surveys")
    expect(page.locator("#surveys-sent")).to_have_text("1")
    _shot(page, "23-surveys")
