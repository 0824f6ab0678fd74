"""Strict scenarios: every unknown id is a located problem, all reported in one run,
exit code 2, and nothing is run; working days on the licence application's calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from raretrace.analytics.disruptions import draw_items, plan, working_day_ends
from raretrace.analytics.matrices import CompiledNetwork
from raretrace.analytics.scenarios import Scenario
from raretrace.cli import app
from raretrace.errors import InputError
from raretrace.services.calendar import china_calendar
from raretrace.services.simulation import runs as simulation
from raretrace.settings import Settings
from raretrace.workspace import Workspace

TYPOS = """\
name: typos
exporters_note: fine
embargoes:
  - exporters: [CHN]
    destinations: [JP, DEU]
    parties: [NOBODY]
    window: {from: 0, to: 30}
outages:
  - site: S-NOWHERE
    window: {from: 0, to: 5}
stock:
  - {site: S-HUA-CN-SH, part: MAG-NOPE, days: 10}
demand:
  - {product: MAG-CAM, units_per_year: 1000}
watch: [S-VEL-DE-HAL/NOPE, justtext]
controlled_elements: [Dy, Xx]
horizon_days: .nan
"""


def test_every_unknown_id_is_located_in_one_run(workspace: Workspace, tmp_path: Path) -> None:
    workspace.load_sample()
    path = tmp_path / "typos.yaml"
    path.write_text(TYPOS, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        workspace.load_scenario(path)
    got = {(p.row, p.column): p.message for p in exc.value.problems}
    assert "nothing was run" in str(exc.value)
    assert all(p.file == "typos.yaml" for p in exc.value.problems)
    assert "did you mean 'CN'" in got[(4, "embargoes.0.exporters.0")]
    assert "unknown country 'DEU'" in got[(5, "embargoes.0.destinations.1")]
    assert "unknown party 'NOBODY'" in got[(6, "embargoes.0.parties.0")]
    assert "unknown site 'S-NOWHERE'" in got[(9, "outages.0.site")]
    assert "unknown part 'MAG-NOPE'" in got[(12, "stock.0.part")]
    assert "is not a product" in got[(14, "demand.0.product")]
    assert "unknown node" in got[(15, "watch.0")]
    assert "site/part" in got[(15, "watch.1")]
    assert "unknown element 'Xx'" in got[(16, "controlled_elements.1")]
    assert (17, "horizon_days") in got  # NaN is not a number of days
    assert (2, "exporters_note") in got  # unknown key
    assert len(got) == 11


def test_a_scenario_object_with_typos_is_not_run(workspace: Workspace) -> None:
    workspace.load_sample()
    s = Scenario.model_validate(
        {"name": "x", "embargoes": [{"exporters": ["CHN"], "window": {"from": 0, "to": 9}}]}
    )
    with pytest.raises(InputError, match="nothing was run") as exc:
        workspace.simulate(s, runs=3)
    assert [p.column for p in exc.value.problems] == ["embargoes.0.exporters.0"]


def test_shipped_scenarios_are_clean_against_the_sample_world(workspace: Workspace) -> None:
    workspace.load_sample()
    for f in simulation.sample_scenarios():
        assert workspace.load_scenario(f).name


def test_cli_exits_2_and_lists_every_problem(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    with Workspace.open(Settings(database_url=url)) as ws:
        ws.load_sample()
    bad = tmp_path / "typos.yaml"
    bad.write_text(TYPOS, encoding="utf-8")
    res = CliRunner().invoke(app, ["simulate", str(bad), "--db", url])
    assert res.exit_code == 2
    assert "No product stops" not in res.output
    assert "embargoes.0.exporters.0" in res.output and "watch.1" in res.output
    assert "11 problem(s)" in res.output


# -- one calendar -------------------------------------------------------------------


def licence_only(start: str, days: int, **extra: object) -> Scenario:
    return Scenario.model_validate({
        "name": "wd", "start": start, "step": "day", "horizon_days": 200, "runs": 1,
        "licensing": [{"exporters": ["CN"], "items": "all", "clock": "working",
                       "lead_time": {"kind": "fixed", "days": days}, **extra}],
    })  # fmt: skip


@pytest.mark.parametrize(
    ("start", "days", "closed"),
    [
        # Wed 1 Apr 2026 + 1 working day = Thu 2 Apr: licence in hand on Fri 3 Apr, so
        # 1 and 2 Apr are lost (the application's clock does not count the start day)
        ("2026-04-01", 1, 2),
        # Mon 15 Sep 2025 + 45 working days: National Day and Mid-Autumn (1-8 Oct off,
        # Sun 28 Sep and Sat 11 Oct worked) -> Wed 21 Nov 2025; 15 Sep to 21 Nov = 68 days
        ("2025-09-15", 45, 68),
        # Fri 4 Apr 2025 is Qingming (off); the 45th working day after it is 11 Jun 2025:
        # 69 days (Labour Day 1-5 May off, Sun 27 Apr worked; Dragon Boat 31 May-2 Jun)
        ("2025-04-04", 45, 69),
    ],
)
def test_working_days_count_as_the_licence_application_does(
    workspace: Workspace, start: str, days: int, closed: int
) -> None:
    s = licence_only(start, days)
    cal = simulation.scenario_calendar(s)
    assert cal is not None
    end = cal.add_working_days(date.fromisoformat(start), days)
    assert (end - date.fromisoformat(start)).days + 1 == closed
    p = plan(_compiled(workspace), s, cal)
    items = draw_items(p, np.random.default_rng(0), 1)
    assert set(items.hi.tolist()) == {float(closed)}


def test_submission_before_the_start_counts_from_the_submission(workspace: Workspace) -> None:
    """Filed on Mon 15 Sep 2025, licensing from Mon 22 Sep: the licence still comes
    68 days after 15 Sep, i.e. on day 61 of a scenario starting 22 Sep."""
    s = licence_only("2025-09-22", 45, submitted="2025-09-15")
    cal = simulation.scenario_calendar(s)
    assert cal is not None
    p = plan(_compiled(workspace), s, cal)
    (r,) = p.lic
    assert r.origin == -7.0
    assert working_day_ends(s, r.origin, cal)[45] == 61.0


def test_estimated_years_are_flagged(workspace: Workspace) -> None:
    """A 2027 start: China had not published 2027's adjusted working days in the
    holidays data we use, so the result says the working days are estimated."""
    workspace.load_sample()
    cal = china_calendar(2027, 2029)
    assert cal.estimated(date(2027, 6, 1))
    s = licence_only("2027-03-01", 30)
    r = workspace.simulate(s, runs=2)
    assert 2027 in r.extra["calendar"]["estimated_years"]
    notes = simulation.summarise(r).notes
    assert any("2027" in n and "estimated" in n for n in notes)


def _compiled(ws: Workspace) -> CompiledNetwork:
    ws.load_sample()
    return ws.tracing.engine().compiled  # type: ignore[no-any-return]


# -- denials that follow the rule verdicts --------------------------------------------


def test_denials_follow_the_rule_verdicts(workspace: Workspace) -> None:
    """Licences denied for sure where the packs say a licence is required on 4 Apr 2025
    (the Ann. 18 links from CN), and never elsewhere: exactly the links whose verdict
    is licence_required get probability 1; a 20-day licence then never comes."""
    workspace.load_sample()
    base = {"name": "v", "start": "2025-04-04", "horizon_days": 120, "step": "day", "runs": 5,
            "licensing": [{"exporters": ["CN"], "items": "controlled",
                           "lead_time": {"kind": "fixed", "days": 20},
                           "denial_by_verdict": {"licence_required": 1.0}}]}  # fmt: skip
    s = Scenario.model_validate(base)
    verdicts = workspace._verdicts_of(date(2025, 4, 4))
    c = _compiled(workspace)
    edges = simulation.edge_values(c, verdicts, "")
    p = plan(c, s, None, None, [edges])
    (r,) = p.lic
    expect = (edges[p.e_global[r.edges]] == "licence_required").astype(float)
    assert expect.sum() > 0
    np.testing.assert_array_equal(r.denial, expect)
    denied = workspace.simulate(s)
    granted = workspace.simulate(
        Scenario.model_validate(
            {**base, "licensing": [{**base["licensing"][0], "denial_by_verdict": {}}]}
        )
    )  # type: ignore[dict-item]
    assert denied.days_lost.sum() > granted.days_lost.sum()


def test_unknown_verdict_is_a_located_problem() -> None:
    text = ("name: x\nstart: 2025-04-04\nlicensing:\n  - lead_time: {kind: fixed, days: 3}\n"
            "    denial_by_verdict: {presumed_denial: 0.9}\n")  # fmt: skip
    with pytest.raises(InputError) as exc:
        simulation.parse_scenario(text, "v.yaml")
    (problem,) = exc.value.problems
    assert problem.row == 5 and "denial_by_verdict" in str(problem.column)
