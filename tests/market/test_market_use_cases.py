"""Cost exposure and horizon on the hand case, and the CLI, the JSON API and the web
page giving the same numbers."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from market_cases import METAL_PRICES, OXIDE_PRICES, PROJECTS, SCENARIO, bundle
from openpyxl import load_workbook
from typer.testing import CliRunner

from raretrace.analytics.market import oxide_factor
from raretrace.cli import app as cli_app
from raretrace.domain.clock import FixedClock
from raretrace.errors import InputError
from raretrace.services.market.data import parse_projects_csv
from raretrace.services.market.scenario import parse_price_scenario
from raretrace.services.users import accounts as user_service
from raretrace.settings import Settings
from raretrace.web.app import create_app
from raretrace.workspace import Workspace

runner = CliRunner()
F_ND, F_DY = oxide_factor("Nd"), oxide_factor("Dy")


@pytest.fixture
def ws(settings: Settings, tmp_path: Path) -> Iterator[Workspace]:
    w = Workspace.open(settings, clock=FixedClock(datetime(2026, 3, 1, tzinfo=UTC)))
    w.import_bundle(bundle(tmp_path))
    yield w
    w.close()


def test_metal_prices_one_margin_and_a_shock_by_hand(ws: Workspace) -> None:
    stored = ws.store_prices(METAL_PRICES.encode(), "metal.csv", actor="test")
    assert stored.prices_id is not None
    r = ws.market_exposure(
        "PROD", parse_price_scenario(SCENARIO, "hand.yaml"), prices_id=stored.prices_id
    )
    # One PROD: 0.6 kg Nd, 0.1 kg Dy. Base 2025: (0.6 x 100 + 0.1 x 400) x 1.1 = 110.
    # 2026: Nd 150; Dy 400 x (1 + (2 - 1) x 73/365) = 480 -> (90 + 48) x 1.1 = 151.8.
    assert r.content_kg == pytest.approx({"Nd": 0.6, "Dy": 0.1})
    (y,) = r.years
    assert y.year == 2026 and r.peak_year == 2026
    assert y.cost_per_unit == pytest.approx(151.8)
    assert y.by_element == pytest.approx({"Nd": 99.0, "Dy": 52.8})
    assert y.increase_per_unit == pytest.approx(41.8)
    assert y.increase_pct == pytest.approx(38.0)
    assert y.share_of_value == pytest.approx(0.1518)  # of the 1,000 USD product
    assert y.cost_per_year == pytest.approx(151_800)
    assert y.increase_per_year == pytest.approx(41_800)
    # Suppliers (tracing's exposure table, priced, no pass-through): the magnet plant
    # ships 2,000 magnets = 600 kg Nd + 100 kg Dy a year.
    mag = next(s for s in r.suppliers if s.site == "S-MAG")
    assert (mag.tier, mag.country) == (1, "JP")
    assert mag.base_cost_per_year == pytest.approx(600 * 100 + 100 * 400)
    assert mag.peak_cost_per_year == pytest.approx(600 * 150 + 100 * 480)
    assert r.provenance.parameters["prices"] == f"price table {stored.prices_id} (metal.csv)"
    assert r.provenance.parameters["scenario"] == "hand case"
    assert any("illustrative" in line for line in r.illustrative)
    assert [(x["element"], x["year"], x["row"]) for x in r.price_rows] == [
        ("Dy", 2025, "metal.csv, row 4"), ("Dy", 2026, "metal.csv, row 5"),
        ("Nd", 2025, "metal.csv, row 2"), ("Nd", 2026, "metal.csv, row 3"),
    ]  # fmt: skip


def test_stock_value_and_unknown_prices(ws: Workspace) -> None:
    stored = ws.store_prices(
        METAL_PRICES.replace(
            "Dy,metal,test,2025,USD,400,test data\nDy,metal,test,2026,USD,400,test data\n", ""
        ).encode(),
        "nd.csv",
        actor="t",
    )
    r = ws.market_exposure(
        "PROD", parse_price_scenario(SCENARIO, "h.yaml"), prices_id=stored.prices_id, stock_days=73
    )
    assert r.unpriced == ["Dy"]
    assert r.years[0].cost_per_unit == pytest.approx(0.6 * 150 * 1.1)  # Dy unknown, not priced
    assert any("cost is unknown, not zero" in line for line in r.illustrative)
    # 73 days of 600 kg Nd a year = 120 kg, bought at 100 before it costs 150, x 1.1.
    assert r.stock is not None
    assert r.stock["kg"]["Nd"] == pytest.approx(120)
    assert r.stock["price_rise_avoided"] == pytest.approx(120 * 50 * 1.1)


def test_import_is_all_or_nothing(ws: Workspace) -> None:
    with pytest.raises(InputError):
        ws.store_prices((METAL_PRICES + "Nd,metal,,2027,USD,x,s\n").encode(), "bad.csv", actor="t")
    assert ws.stored_prices() == []


def test_horizon_by_hand(ws: Workspace) -> None:
    projects = parse_projects_csv(PROJECTS.encode(), "p.csv")
    h = ws.market_horizon(product="PROD", first_year=2026, last_year=2028, projects=projects)
    st = {s.stage: s for s in h.stages}
    # 2 t of magnets a year; MAG-1 (3 t from 2027, 1-year ramp): 0, 1.5, 3 -> 2028.
    assert st["magnet"].need_t == pytest.approx({"magnets": 2.0})
    assert st["magnet"].capacity_t["magnets"] == [0.0, 1.5, 3.0]
    assert st["magnet"].stage_first_year == 2028
    # Separation: Nd 600 kg a year = 0.6 x F_ND t oxide; SEP-1 (0.7 t, operating) covers
    # it from the start; Dy has only SEP-2, which is not counted: never.
    assert st["separation"].need_t["Nd"] == pytest.approx(0.6 * F_ND)
    assert st["separation"].first_year == {"Nd": 2026, "Dy": None}
    assert st["separation"].stage_first_year is None
    nd, dy = 0.6 * F_ND, 0.1 * F_DY
    assert st["separation"].covered_share == pytest.approx([nd / (nd + dy)] * 3)
    assert st["magnet"].covered_share == pytest.approx([0.0, 0.75, 1.0])
    assert st["mining"].stage_first_year is None and st["metal"].unit == "t metal"
    assert st["magnet"].world_share == pytest.approx([0.0, 1.5 / 58152, 3.0 / 58152])
    assert [p.project_id for p in h.not_counted] == ["SEP-2"]
    # China's sourced share of each stage rides along: IEA's 2030 base case for separation.
    proj = [x for x in st["separation"].china_share if x["year"] == "2030"]
    assert [x["share_pct"] for x in proj] == ["77"] and proj[0]["source"].startswith("https://")
    assert st["separation"].china_summary.endswith("77% (2030, IEA, projection)")
    assert st["metal"].china_share == []
    # Default years: the clock's year and ten more; the shipped projects.
    d = ws.market_horizon(product="PROD")
    assert (d.years[0], d.years[-1]) == (2026, 2036)
    assert d.provenance.parameters["projects"].endswith("projects_outside_china.csv (shipped)")


def _expected_floor(margin: float = 1.0) -> dict[int, float]:
    # floor-ndpr-110 on OXIDE_PRICES: Nd 2025 100; 2026 90 -> floored to 110 through 2034;
    # 2035 holds 90. Dy 400 every year. Oxide-equivalent kg: 0.6 F_ND, 0.1 F_DY.
    nd = dict.fromkeys(range(2026, 2035), 110.0) | {2035: 90.0}
    return {y: (0.6 * F_ND * p + 0.1 * F_DY * 400) * margin for y, p in nd.items()}


def test_cli_api_and_web_give_the_same_numbers(settings: Settings, tmp_path: Path) -> None:
    db = settings.database_url
    with Workspace.open(settings) as w:
        w.import_bundle(bundle(tmp_path))
    prices = tmp_path / "prices.csv"
    prices.write_text(OXIDE_PRICES, encoding="utf-8")
    res = runner.invoke(cli_app, ["prices", "import", str(prices), "--db", db, "--by", "tester"])
    assert res.exit_code == 0, res.output
    assert "stored price table 1: 5 prices for Dy, Nd" in res.stdout
    res = runner.invoke(cli_app, ["prices", "list", "--db", db, "--json"])
    assert json.loads(res.stdout)[0]["stored_by"] == "tester"
    res = runner.invoke(
        cli_app,
        [
            "market",
            "exposure",
            "PROD",
            "--scenario",
            "floor-ndpr-110",
            "--prices-id",
            "1",
            "--db",
            db,
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    cli = {y["year"]: y["cost_per_unit"] for y in json.loads(res.stdout)["years"]}
    expected = _expected_floor()
    assert cli == pytest.approx(expected)
    res = runner.invoke(
        cli_app,
        [
            "market",
            "exposure",
            "PROD",
            "--scenario",
            "floor-ndpr-110",
            "--prices-id",
            "1",
            "--db",
            db,
        ],
    )
    assert res.exit_code == 0 and "US NdPr floor" in res.stdout
    res = runner.invoke(
        cli_app, ["market", "exposure", "PROD", "--scenario", "no-such", "--db", db]
    )
    assert res.exit_code != 0 and "cannot read price scenario" in (res.stdout + res.stderr)

    application = create_app(settings)
    with application.state.workspace._uow() as uow:
        user_service.create_user(
            uow,
            username="viewer",
            role=user_service.UserRole.VIEWER,
            password="correct horse battery",
            actor="test",
        )
    client = TestClient(application, base_url="https://testserver")
    page = client.get("/login")
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    client.post(
        "/login",
        data={
            "username": "viewer",
            "password": "correct horse battery",
            "csrf_token": token.group(1),
            "next": "/",
        },
    )
    q = "product=PROD&scenario=floor-ndpr-110&prices_id=1"
    api = client.get(f"/api/v1/market?{q}")
    assert api.status_code == 200, api.text
    body = api.json()
    assert {y["year"]: y["cost_per_unit"] for y in body["years"]} == pytest.approx(expected)
    assert body["charts"]["cost"]["mark"]["type"] == "bar"
    assert body["provenance"]["parameters"]["prices"] == "price table 1 (prices.csv)"
    html = client.get(f"/market?{q}")
    assert html.status_code == 200
    assert f"{expected[2026]:,.2f}" in html.text and f"{expected[2035]:,.2f}" in html.text
    # One pass-through margin (alloy -> magnet 10 %) from the page's inputs.
    m = client.get(f"/api/v1/market?{q}&magnet=0.1").json()
    assert {y["year"]: y["cost_per_unit"] for y in m["years"]} == pytest.approx(
        _expected_floor(1.1)
    )
    x = client.get(f"/market.xlsx?{q}")
    assert x.status_code == 200
    wb = load_workbook(io.BytesIO(x.content))
    rows = list(wb["cost_by_year"].iter_rows(values_only=True))
    assert rows[0][:2] == ("year", "cost_per_unit")
    assert {r[0]: r[1] for r in rows[1:]} == pytest.approx(expected)
    assert client.get("/api/v1/market?product=NOPE").status_code == 404
    # The horizon: the CLI and the API agree (shipped projects, this year + 10).
    res = runner.invoke(cli_app, ["market", "horizon", "--product", "PROD", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    cli_h = {s["stage"]: s for s in json.loads(res.stdout)["stages"]}
    api_h = {s["stage"]: s for s in body["horizon"]}
    assert body["horizon_years"] == json.loads(res.stdout)["years"]
    for stage in ("mining", "separation", "metal", "magnet"):
        assert api_h[stage]["need_t"] == pytest.approx(cli_h[stage]["need_t"])
        assert api_h[stage]["first_year"] == cli_h[stage]["first_year"]
    assert api_h["magnet"]["need_t"] == pytest.approx({"magnets": 2.0})
    projects = tmp_path / "projects.csv"
    projects.write_text(PROJECTS, encoding="utf-8")
    res = runner.invoke(cli_app, ["market", "horizon", "--product", "PROD", "--from", "2026",
                                  "--to", "2028", "--projects", str(projects), "--db", db])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "magnet: capacity outside China covers your need from 2028" in res.stdout
    application.state.workspace.close()


def test_excel_cells_are_never_formulas() -> None:
    from raretrace.web.routes.market import _safe

    assert _safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _safe("@x") == "'@x" and _safe("-1") == "'-1" and _safe(-1.0) == -1.0


def test_demo_section_on_the_sample_world(workspace: Workspace) -> None:
    from raretrace.cli import output
    from raretrace.cli.market import render_market_demo

    workspace.load_sample()
    with output.console.capture() as cap:
        render_market_demo(workspace)
    text = cap.get()
    for product in ("VEH-AST-EV", "VEH-AST-ICE", "VEH-CVR-EV", "DEF-SERVO"):
        assert product in text
    assert "2011 replay" in text and "2027" in text
    for stage in ("mining", "separation", "metal", "magnet"):
        assert stage in text
    # The EV's metal stage: no capacity figure outside China in the shipped data.
    assert "metal: no capacity outside China in the data covers your" in text


def test_cli_shipped_prices_and_projects_file(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'm.db'}"
    res = runner.invoke(cli_app, ["market", "scenarios"])
    assert res.exit_code == 0 and "replay-2011" in res.stdout and "§9.5" in res.stdout
    res = runner.invoke(cli_app, ["prices", "list", "--shipped", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    points = json.loads(res.stdout)["points"]
    dy = next(p for p in points if p["element"] == "Dy" and p["year"] == 2011)
    assert (dy["price_per_kg"], dy["low"], dy["high"]) == (1410, 1400, 1420)
    out = tmp_path / "projects.csv"
    res = runner.invoke(cli_app, ["market", "projects", "--out", str(out)])
    assert res.exit_code == 0 and out.read_bytes().startswith(b"project_id,company")
    res = runner.invoke(cli_app, ["market", "projects", "--out", str(out)])
    assert res.exit_code != 0  # never overwrites
    bad = tmp_path / "bad.csv"
    bad.write_text(PROJECTS + "X,metal,all,-1,t,,0,planned,yes,s\n", encoding="utf-8")
    res = runner.invoke(cli_app, ["market", "horizon", "--projects", str(bad), "--db", db])
    assert res.exit_code == 2
    assert "bad.csv, row 5, column 'capacity_t_per_year'" in (res.stdout + res.stderr)


def test_stock_the_simulation_says_is_needed_is_valued(ws: Workspace) -> None:
    from raretrace.services.jobs import queue as jobs

    stored = ws.store_prices(METAL_PRICES.encode(), "metal.csv", actor="test")
    rows = [
        {"site": "S-OEM", "part": "MAG", "supplier": "S-MAG", "stock_days_now": 10.0,
         "stock_days_needed": 73.0, "p_short_now": 0.5},
        {"site": "S-X", "part": "NOPE", "supplier": "S-MAG", "stock_days_needed": 5.0},
    ]  # fmt: skip
    jobs.start(ws._uow, "simulation", "test run", {}, "test", lambda report: {"stock_needed": rows})
    assert jobs.wait_all()
    r = ws.market_exposure(
        "PROD", parse_price_scenario(SCENARIO, "h.yaml"), prices_id=stored.prices_id
    )
    assert r.simulation_run is not None and "test run" in r.simulation_run
    (x,) = r.simulation_stock  # the unknown part is skipped
    # S-MAG ships 600 kg Nd + 100 kg Dy a year for PROD; 73 days = 120 kg Nd + 20 kg Dy,
    # bought at 100 and 400 before they cost 150 and 480 (metal prices, no margins).
    assert x["kg"] == pytest.approx({"Nd": 120.0, "Dy": 20.0})
    assert x["value_at_base"] == pytest.approx(120 * 100 + 20 * 400)
    assert x["price_rise_avoided"] == pytest.approx(120 * 50 + 20 * 80)
    off = ws.market_exposure("PROD", parse_price_scenario(SCENARIO, "h.yaml"), prices_id=stored.prices_id, simulation_stock=False)  # fmt: skip
    assert off.simulation_stock == [] and off.simulation_run is None


def test_every_product_at_once_equals_one_by_one(ws: Workspace) -> None:
    stored = ws.store_prices(METAL_PRICES.encode(), "metal.csv", actor="test")
    sc = parse_price_scenario(SCENARIO, "hand.yaml")
    o = ws.market_overview(sc, prices_id=stored.prices_id)
    (row,) = o.rows
    assert (row.node, row.product, row.units_per_year) == ("S-OEM/PROD", "PROD", 1000.0)
    assert row.cost_per_unit == pytest.approx({2025: 110.0, 2026: 151.8})
    assert (row.peak_year, row.increase_per_unit) == (2026, pytest.approx(41.8))
    assert o.increase_per_year_total == pytest.approx(41_800)
    one = ws.market_exposure("PROD", sc, prices_id=stored.prices_id)
    assert one.years[0].cost_per_unit == pytest.approx(row.cost_per_unit[2026])


def test_web_price_import_for_editors(settings: Settings, tmp_path: Path) -> None:
    import re

    with Workspace.open(settings) as w:
        w.import_bundle(bundle(tmp_path))
    application = create_app(settings)
    with application.state.workspace._uow() as uow:
        for name, role in (("ed", user_service.UserRole.EDITOR), ("vi", user_service.UserRole.VIEWER)):  # fmt: skip
            user_service.create_user(uow, username=name, role=role, password="correct horse battery", actor="t")  # fmt: skip

    def client(name: str) -> tuple[TestClient, str]:
        c = TestClient(application, base_url="https://testserver")
        tok = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
        assert tok
        c.post("/login", data={"username": name, "password": "correct horse battery",
                               "csrf_token": tok.group(1), "next": "/"})  # fmt: skip
        page = c.get("/market?product=PROD")
        tok = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert tok
        return c, tok.group(1)

    ed, token = client("ed")
    bad = ed.post("/market/prices", data={"csrf_token": token},
                  files={"file": ("bad.csv", b"element,form,date,currency,price_per_kg,source\nNd,oxide,2025,USD,x,s\n")})  # fmt: skip
    assert bad.status_code == 422 and "price_per_kg" in bad.text
    ok = ed.post("/market/prices", data={"csrf_token": token}, follow_redirects=False,
                 files={"file": ("oxide.csv", OXIDE_PRICES.encode())})  # fmt: skip
    assert ok.status_code == 303 and ok.headers["location"] == "/market?prices_id=1"
    listed = ed.get("/api/v1/market/prices").json()["tables"]
    assert [(t["prices_id"], t["name"], t["points"]) for t in listed] == [(1, "oxide.csv", 5)]
    vi, token = client("vi")
    assert vi.post("/market/prices", data={"csrf_token": token},
                   files={"file": ("o.csv", OXIDE_PRICES.encode())}).status_code == 403  # fmt: skip
    assert 'id="upload-prices"' not in vi.get("/market?product=PROD").text
    application.state.workspace.close()


def test_share_of_value_across_currencies_needs_rates(settings: Settings, tmp_path: Path) -> None:
    from market_cases import BUNDLE

    from factories import write_bundle_files

    eur = dict(BUNDLE)
    eur["parts.csv"] = BUNDLE["parts.csv"].replace("PROD,Test product,product,ea,10,1000,USD", "PROD,Test product,product,ea,10,1000,EUR")  # fmt: skip
    with Workspace.open(settings) as w:
        w.import_bundle(write_bundle_files(tmp_path / "eur", eur))
        stored = w.store_prices(METAL_PRICES.encode(), "metal.csv", actor="t")
        sc = parse_price_scenario(SCENARIO, "hand.yaml")
        r = w.market_exposure("PROD", sc, prices_id=stored.prices_id)
        assert r.years[0].share_of_value is None
        assert any("give a rate table with base USD" in line for line in r.illustrative)
        rates = w.store_rates(
            b"currency,base_per_unit,base,as_of,source\nEUR,1.1,USD,2026-11-27,test data (made up)\n",
            "fx.csv", actor="t",
        )  # fmt: skip
        r = w.market_exposure("PROD", sc, prices_id=stored.prices_id, rates=rates.rates)
        assert r.unit_value == pytest.approx(1100.0)  # 1,000 EUR at 1.1 USD
        assert r.years[0].share_of_value == pytest.approx(151.8 / 1100)


def test_relative_scenarios_fit_any_currency_absolute_ones_must_match(ws: Workspace) -> None:
    eur = ws.store_prices(METAL_PRICES.replace(",USD,", ",EUR,").encode(), "eur.csv", actor="t")
    r = ws.market_exposure(
        "PROD", parse_price_scenario(SCENARIO, "h.yaml"), prices_id=eur.prices_id
    )
    assert r.currency == "EUR" and r.years[0].cost_per_unit == pytest.approx(151.8)
    assert r.years[0].share_of_value is None  # the product is valued in USD
    floor = parse_price_scenario(
        SCENARIO.replace("form: metal", "form: metal\ncurrency: USD"), "f.yaml"
    )
    with pytest.raises(
        InputError, match=r"the scenario is in USD but the prices of eur\.csv are in EUR"
    ):
        ws.market_exposure("PROD", floor, prices_id=eur.prices_id)
