"""The Market page in Debian's chromium: the three charts draw (price path, cost by
year stacked by element, horizon by stage). Fixtures are the browser suite's."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "e2e"))
from test_browser import _drawn, _login, _shot, page, server, world  # noqa: F401

pytestmark = pytest.mark.browser


def test_market_page_draws_its_charts(world: None, server: str, page) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    _login(page, server)
    page.goto(server + "/market?product=VEH-AST-EV&scenario=replay-2011")
    expect(page.locator("h2").first).to_contain_text("VEH-AST-EV")
    bars = _drawn(page, "chart-market-cost", "svg g.mark-rect.role-mark path")
    assert bars.count() >= 10 * 3  # ten plan years, three or more elements each
    assert _drawn(page, "chart-market-prices", "svg g.mark-line.role-mark path").count() >= 4
    # Horizon: one cell per stage and year (4 stages x 11 years).
    assert _drawn(page, "chart-market-horizon", "svg g.mark-rect.role-mark path").count() == 44
    assert page.locator("#cost-table tbody tr").count() == 10
    _shot(page, "20-market")
