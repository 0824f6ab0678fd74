"""Outside files of the market: price CSVs, scenario YAML and project CSVs are refused
with located problems; the shipped data keep a source on every row."""

from __future__ import annotations

import csv

import pytest
from market_cases import OXIDE_PRICES, PROJECTS, SCENARIO

from raretrace.domain.market import ShockStep
from raretrace.errors import InputError
from raretrace.services.market.data import (
    DATA,
    parse_price_csv,
    parse_projects_csv,
    series,
    shipped_prices,
    shipped_projects,
    world_lines,
)
from raretrace.services.market.scenario import (
    SCENARIOS,
    load_price_scenario,
    parse_price_scenario,
    shipped_scenarios,
)


def _problems(exc: pytest.ExceptionInfo[InputError]) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in exc.value.problems]


def test_price_file_ranges_and_days_become_yearly_points() -> None:
    f = parse_price_csv(OXIDE_PRICES.encode(), "prices.csv")
    data, currency = series(f.table, "oxide")
    assert currency == "USD"
    assert data == {"Nd": {2025: 100.0, 2026: 90.0}, "Dy": {2025: 400.0, 2026: 400.0}}
    dy = next(p for p in f.table.points if p.element == "Dy" and p.year == 2025)
    assert (dy.low, dy.high, dy.derived) == (390.0, 410.0, "midpoint of price_low..price_high")
    assert dy.ref == "prices.csv, row 4"


def test_price_file_problems_are_located_and_nothing_is_read() -> None:
    bad = (
        "element,form,basis,date,currency,price_per_kg,source\n"
        "Xx,oxide,,2025,USD,1,s\n"
        "Nd,powder,,2025,USD,1,s\n"
        "Nd,oxide,,25/12/2025,USD,1,s\n"
        "Nd,oxide,,2025,usd1,-3,\n"
        "=cmd,oxide,,2025,USD,1,s\n"
    )
    with pytest.raises(InputError) as exc:
        parse_price_csv(bad.encode(), "bad.csv")
    assert _problems(exc) == [
        (2, "element"),
        (3, "form"),
        (4, "date"),
        (5, "currency"),
        (5, "price_per_kg"),
        (5, "source"),
        (6, "element"),
    ]
    assert (
        str(exc.value.problems[0])
        == "bad.csv, row 2, column 'element': 'Xx' is not a rare earth (or NdPr)"
    )
    with pytest.raises(InputError) as exc:
        parse_price_csv(b"element,price,when\nNd,1,2025\n", "h.csv")
    assert "missing column(s): form, date, currency, price_per_kg, source" in str(exc.value)
    assert "unknown column(s): price, when" in str(exc.value)
    with pytest.raises(InputError, match="not UTF-8"):
        parse_price_csv(b"element\n\xff\xfe", "x.csv")
    with pytest.raises(InputError) as exc:
        parse_price_csv(b"element,form\x00", "n.csv")
    assert [str(p) for p in exc.value.problems] == [
        "n.csv: contains NUL bytes; it is not a CSV file"
    ]
    short = OXIDE_PRICES.splitlines()[0] + "\nNd,oxide\n"
    with pytest.raises(InputError) as exc:
        parse_price_csv(short.encode(), "s.csv")
    assert [(p.row, p.message) for p in exc.value.problems] == [
        (2, f"2 cells; the header has {len(OXIDE_PRICES.splitlines()[0].split(','))}")
    ]
    with pytest.raises(InputError, match="several currencies"):
        series(
            parse_price_csv((OXIDE_PRICES + "Nd,oxide,,2027,EUR,1,,,s\n").encode(), "c.csv").table,
            "oxide",
        )


def test_scenario_parses_and_unknown_keys_are_refused_with_their_line() -> None:
    sc = parse_price_scenario(SCENARIO, "hand.yaml")
    assert (sc.base_year, sc.years, sc.form) == (2025, (2026,), "metal")
    assert sc.pass_through.multiplier("metal") == pytest.approx(1.1)
    assert sc.steps == (ShockStep(("Dy",), 2.0, 73, 2026, 1, "test", ""),)
    bad = SCENARIO.replace("form: metal", "form: metal\ncolour: red").replace(
        "factor: 2", "factor: 2, lenght: 3"
    )
    with pytest.raises(InputError) as exc:
        parse_price_scenario(bad, "bad.yaml")
    found = {(p.row, p.column) for p in exc.value.problems}
    assert (7, "colour") in found
    assert (10, "steps.0.shock.lenght") in found
    with pytest.raises(InputError) as exc:
        parse_price_scenario(
            "name: x\nbase_year: 2025\nfirst_year: 2027\nlast_year: 2026\n"
            "steps:\n  - floor: {elements: [Qq], price_per_kg: 1, first: 1, last: 2}\n",
            "y.yaml",
        )
    msgs = " ".join(p.message for p in exc.value.problems)
    assert "'Qq' is not a rare-earth symbol" in msgs
    with pytest.raises(InputError) as exc:
        parse_price_scenario(SCENARIO + "  - floor: {elements: [Nd], price_per_kg: 5, first: 2026, last: 2026}\n", "f.yaml")  # fmt: skip
    assert "say their currency" in exc.value.problems[0].message
    with pytest.raises(InputError, match="not valid YAML"):
        parse_price_scenario("name: [", "z.yaml")
    bomb = "a: &a [x, x]\n" + "".join(
        f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}, *{'a' if i == 0 else f'b{i - 1}'}]\n"
        for i in range(60)
    )
    with pytest.raises(InputError, match="YAML aliases"):
        parse_price_scenario(bomb, "bomb.yaml")


def test_shipped_scenarios_parse_and_cite_their_sources() -> None:
    assert shipped_scenarios() == [
        "floor-ndpr-110", "replay-2011", "replay-2011-2015", "shock-dy-tb-90d",
    ]  # fmt: skip
    replay = load_price_scenario(SCENARIOS / "replay-2011.yaml")
    factors = {e: k for s in replay.steps for e, k in s.factors.items()}  # type: ignore[union-attr]
    # regime.md §4: Nd oxide 130 -> 260, Dy oxide 118 -> 2,300, Sm oxide 5.20 -> 125.
    assert factors == pytest.approx({"Nd": 2.0, "Pr": 2.0, "Dy": 2300 / 118, "Sm": 125 / 5.20})
    assert all(s.source for s in replay.steps)
    # The collapse compounds the spike with the USGS yearend move from 2011 (midpoints
    # of the MCS 2016 ranges, checked against the shipped series).
    from raretrace.analytics.market import price_path

    collapse = load_price_scenario(SCENARIOS / "replay-2011-2015.yaml")
    usgs: dict[tuple[str, int], float] = {}
    with (DATA / "usgs_rare_earth_oxide_prices.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["edition"] == "MCS2016" and r["product"] in (
                "Neodymium oxide",
                "Dysprosium oxide",
            ):
                point = (
                    r["price_usd_per_kg"] or (float(r["price_low"]) + float(r["price_high"])) / 2
                )
                usgs[(r["product"][:2], int(r["year"]))] = float(point)
    path = price_path(
        {"Nd": {2025: 1.0}, "Dy": {2025: 1.0}}, ("Nd", "Dy"), collapse.years, collapse.steps
    )
    assert path.scenario[1].tolist() == pytest.approx([2.0, 2300 / 118])  # 2027: the spike
    for k, year in enumerate((2012, 2013, 2014, 2015)):
        nd = 2.0 * usgs[("Ne", year)] / usgs[("Ne", 2011)]
        dy = 2300 / 118 * usgs[("Dy", year)] / usgs[("Dy", 2011)]
        assert path.scenario[2 + k].tolist() == pytest.approx([nd, dy])
    assert path.scenario[6:, 0].tolist() == [1.0] * 4
    floor = load_price_scenario(SCENARIOS / "floor-ndpr-110.yaml")
    assert floor.steps[0].price_per_kg == 110  # type: ignore[union-attr]
    assert "§9.5" in floor.steps[0].source


def test_shipped_prices_take_the_newest_edition_and_keep_sources() -> None:
    t = shipped_prices()
    by = {(p.element, p.year): p for p in t.points}
    assert by[("Nd", 2024)].price_per_kg == 56 and "mcs2026" in by[("Nd", 2024)].source
    assert by[("Dy", 2011)].price_per_kg == 1410  # midpoint of 1,400-1,420 (MCS2016)
    assert by[("Dy", 2011)].derived == "midpoint of the USGS range"
    assert by[("Nd", 2015)].price_per_kg == 48  # MCS2019 annual average beats MCS2016 yearend
    assert all(p.source and p.ref for p in t.points)
    with (DATA / "usgs_rare_earth_oxide_prices.csv").open(encoding="utf-8") as f:
        assert all(r["source"] for r in csv.DictReader(f))


def test_shipped_projects_and_world_lines_have_sources() -> None:
    projects = shipped_projects()
    assert all(p.source for p in projects)
    counted = [p for p in projects if p.counted]
    assert all(p.capacity_t is not None and p.country != "China" for p in counted)
    mp = next(p for p in projects if p.project_id == "mp-independence-magnet")
    assert (mp.capacity_t, mp.start_year, mp.ramp_years) == (1000, 2025, 2)
    assert mp.ramp_basis.startswith("assumption (editable)")
    lines = world_lines()
    assert lines["mining"].tonnes == 390000 and lines["magnet"].tonnes == 58152


def test_history_rows_cite_the_regime_sheet() -> None:
    from raretrace.services.market.data import history

    rows = history()
    assert all(r["source"] and r["reference"].startswith("regime.md §") for r in rows)
    assert any("Mountain Pass" in r["event"] and r["date"] == "1998" for r in rows)
    assert any("$110/kg" in r["event"] for r in rows)


def test_projects_file_problems_are_located() -> None:
    assert [p.project_id for p in parse_projects_csv(PROJECTS.encode(), "p.csv")] == [
        "MAG-1",
        "SEP-1",
        "SEP-2",
    ]
    bad = PROJECTS + "MAG-1,smelting,Xx,ten,t,20x7,1,planned,maybe,test\n"
    with pytest.raises(InputError) as exc:
        parse_projects_csv(bad.encode(), "p.csv")
    assert {(p.row, p.column) for p in exc.value.problems} == {
        (5, "project_id"),
        (5, "stage"),
        (5, "elements"),
        (5, "capacity_t_per_year"),
        (5, "counted"),
        (5, "start_year"),
    }
