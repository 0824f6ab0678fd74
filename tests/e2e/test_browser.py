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
from pathlib import Path

import pytest

from raretrace.domain.users import UserRole
from raretrace.sample import world_path
from raretrace.services import users as user_service
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
    with Workspace.open(settings) as ws, ws.uow() as uow:
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
    assert path.read_text(encoding="utf-8").startswith("party_id,name,country")

    page.goto(server + "/admin/users")
    _shot(page, "08-users")
