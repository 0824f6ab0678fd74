"""Split supply: a buyer's output follows the share of its supply that arrives, and it
shifts volume to its other sources up to their declared spare capacity. Expectations
are computed by hand in each docstring."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tracing_networks import compiled

from raretrace.analytics.disruptions import draw_items, plan
from raretrace.analytics.matrices import CompiledNetwork
from raretrace.analytics.results import simulate
from raretrace.analytics.scenarios import Scenario
from raretrace.analytics.sim_reference import reference_batch
from raretrace.analytics.simulate import run_batch
from raretrace.domain.network import BomLine, Network, Production, SupplyLink
from raretrace.domain.parties import Party, Site
from raretrace.domain.parts import Part, PartKind


def dual(shares: dict[str, float], stock_days: float | None = None) -> CompiledNetwork:
    """A motor plant in DE (one motor a day) buying its one magnet per motor from
    magnet makers in the given countries, with the given supply shares."""
    net = Network()
    for country in [*shares, "DE"]:
        net.parties.append(Party(f"P{country}", f"P{country}", country))
        net.sites.append(Site(f"S-{country}", f"P{country}", f"S-{country}", country))
    net.parts += [
        Part("MAG", "magnet", PartKind.MAGNET, mass_kg=0.5, unit_value=Decimal(40),
             currency="USD"),
        Part("MOTOR", "motor", PartKind.PRODUCT, mass_kg=40, unit_value=Decimal(900),
             currency="USD"),
    ]  # fmt: skip
    net.bom.append(BomLine("MOTOR", "MAG", 1))
    for country, share in shares.items():
        net.supply.append(SupplyLink(f"S-{country}", "MAG", "S-DE", share))
    net.production.append(Production("S-DE", "MOTOR", 365.0))
    return compiled(net)


def sc(**kw: object) -> Scenario:
    base: dict[str, object] = {"name": "t", "step": "day", "horizon_days": 100, "runs": 1,
                               "default_stock_days": 25, "recovery_rate": 0}  # fmt: skip
    base.update(kw)
    return Scenario.model_validate(base)


def cut_cn(days: float, start: float = 0) -> list[dict[str, object]]:
    return [{"exporters": ["CN"], "window": {"from": start, "to": start + days}}]


def run(c: CompiledNetwork, s: Scenario) -> tuple[float, float]:
    out = simulate(plan(c, s), runs=1, seed=0, dtype="float64")
    return float(out.first_stop[0, 0]), float(out.days_lost[0, 0])


def test_fifty_fifty_second_source_keeps_half_the_line() -> None:
    """CN 50 % + JP 50 %, 25 days of stock on each link, CN cut for 40 days: the CN
    link's stock lasts days 0-24; days 25-39 run on JP alone at 50 %: 15 days at 50 %
    = 7.5 days lost, first shortfall on day 25 (reported 25.5: the day plus the part of
    it that was made)."""
    first, lost = run(dual({"CN": 0.5, "JP": 0.5}), sc(embargoes=cut_cn(40)))
    assert lost == pytest.approx(7.5)
    assert first == pytest.approx(25.5)


def test_single_source_stops_completely() -> None:
    """CN only: days 25-39 at 0 % = 15 days lost."""
    first, lost = run(dual({"CN": 1.0}), sc(embargoes=cut_cn(40)))
    assert (first, lost) == (25.0, 15.0)


def test_spare_capacity_with_ramp_up_fills_the_gap() -> None:
    """JP can add 50 % of the need, ramped linearly over 10 days from day 0 (the day
    CN's supply is cut). From day 25 the ramp is complete: the line runs at 100 %."""
    spare = [{"supplier": "S-JP", "part": "MAG", "extra_share": 0.5, "ramp_up_days": 10}]
    _, lost = run(dual({"CN": 0.5, "JP": 0.5}), sc(embargoes=cut_cn(40), spare_capacity=spare))
    assert lost == 0.0


def test_spare_capacity_still_ramping() -> None:
    """No stock, CN cut for 10 days, JP's 50 % spare ramps over 20 days: on day t the
    line runs at 0.5 + 0.5 * t/20, losing 0.5 * (1 - t/20) for t = 0..9:
    0.5 * (10 - 45/20) = 3.875 days."""
    spare = [{"supplier": "S-JP", "part": "MAG", "extra_share": 0.5, "ramp_up_days": 20}]
    _, lost = run(
        dual({"CN": 0.5, "JP": 0.5}),
        sc(embargoes=cut_cn(10), spare_capacity=spare, default_stock_days=0),
    )
    assert lost == pytest.approx(3.875)


def test_alternative_is_capped_and_does_not_refill_on_top() -> None:
    """CN only, no stock, a 50 % alternative at once, recovery 0.25: the line runs at
    exactly 50 % during the 20-day cut (10 days lost), not 62.5 % (50 % plus a
    catch-up of a quarter of it)."""
    alt = [{"part": "MAG", "ramp_up_days": 0, "capacity_share": 0.5}]
    _, lost = run(
        dual({"CN": 1.0}),
        sc(embargoes=cut_cn(20), alternatives=alt, default_stock_days=0, recovery_rate=0.25),
    )
    assert lost == pytest.approx(10.0)


@pytest.mark.parametrize("step", ["day", "week"])
def test_kernel_matches_reference_with_split_supply(step: str) -> None:
    c = dual({"CN": 0.3, "JP": 0.5, "KR": 0.2})
    s = sc(
        step=step,
        embargoes=cut_cn(30, 3),
        licensing=[{"exporters": ["JP"], "items": "all", "denial_probability": 0.3,
                    "lead_time": {"kind": "lognormal", "median_days": 12, "sigma": 0.8}}],
        spare_capacity=[{"supplier": "S-JP", "part": "MAG", "extra_share": 0.3,
                         "ramp_up_days": 14}],
        default_stock_days=6,
        recovery_rate=0.25,
    )  # fmt: skip
    p = plan(c, s)
    items = draw_items(p, np.random.default_rng(4), 12)
    out = run_batch(p, items, np.float64)
    first, lost = reference_batch(c, p, items)
    np.testing.assert_array_equal(out.first_stop, first)
    np.testing.assert_array_equal(out.days_lost, lost)
    assert lost.sum() > 0


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 40), st.integers(0, 80), st.integers(0, 30), st.sampled_from(["day", "week"]),
       st.floats(0, 1))  # fmt: skip
def test_cutting_one_of_two_equal_sources_never_loses_more_than_half(
    stock: int, days: int, start: int, step: str, recovery: float
) -> None:
    s = sc(embargoes=cut_cn(days, start), default_stock_days=stock, step=step,
           recovery_rate=recovery, horizon_days=140)  # fmt: skip
    out = simulate(plan(dual({"CN": 0.5, "JP": 0.5}), s), runs=1, seed=0, dtype="float64")
    closed_steps = out.days_lost[0, 0]
    assert closed_steps <= 0.5 * days + 1e-9


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 40), st.integers(0, 80), st.floats(0.05, 0.95), st.floats(0, 1),
       st.sampled_from(["day", "week"]))  # fmt: skip
def test_adding_a_source_never_loses_more(
    stock: int, days: int, jp: float, recovery: float, step: str
) -> None:
    """The CN-only plant against the same plant that also buys from JP (CN share
    1 - jp): the JP share of the flow is never cut, so no more is lost."""
    s = sc(embargoes=cut_cn(days), default_stock_days=stock, recovery_rate=recovery, step=step)
    one = simulate(plan(dual({"CN": 1.0}), s), runs=1, seed=0, dtype="float64")
    two = simulate(plan(dual({"CN": 1 - jp, "JP": jp}), s), runs=1, seed=0, dtype="float64")
    assert two.days_lost.sum() <= one.days_lost.sum() + 1e-9


# -- honest time steps ----------------------------------------------------------------


def test_weekly_steps_keep_the_asked_horizon() -> None:
    """100 days in weekly steps: 14 weeks and a last step of 2 days. CN only, no
    stock, CN cut for the whole horizon: exactly 100 days lost (not 105)."""
    s = sc(step="week", horizon_days=100, default_stock_days=0, embargoes=cut_cn(1000))
    p = plan(dual({"CN": 1.0}), s)
    assert (p.n_steps, p.last_step_days) == (15, 2.0)
    _, lost = run(dual({"CN": 1.0}), s)
    assert lost == 100.0


def test_stock_needed_is_enough_when_re_run() -> None:
    """The stock the result recommends for the CN link, put back into the scenario,
    keeps the plant's stop probability at or under the target (weekly steps, licence
    delays drawn at random); one week less does not."""
    from raretrace.analytics.results import build_result

    c = dual({"CN": 1.0})
    lic = [{"exporters": ["CN"], "items": "all", "denial_probability": 0.1,
            "lead_time": {"kind": "lognormal", "median_days": 40, "sigma": 0.5}}]  # fmt: skip
    base = {"step": "week", "horizon_days": 364, "licensing": lic, "recovery_rate": 0.25,
            "stop_probability_target": 0.1, "default_stock_days": 10}  # fmt: skip
    s = sc(**base)
    p = plan(c, s)
    out = simulate(p, runs=200, seed=5, dtype="float64")
    r = build_result(c, p, out, scenario={}, seed=5, version="t", revision=None, target=0.1)
    (row,) = r.stock_needed
    need = row["stock_days_needed"]
    assert row["p_short_now"] > 0.1

    def p_stop(days: float) -> float:
        again = sc(**{**base, "stock": [{"site": "S-DE", "part": "MAG", "days": days}]})
        o = simulate(plan(c, again), runs=200, seed=5, dtype="float64")
        return float((o.days_lost[:, 0] > 0).mean())

    assert p_stop(need) <= 0.1
    assert p_stop(need - 7) > 0.1


def test_goods_in_transit_delay_the_stop_by_the_lead_time() -> None:
    """CN only, no stock, 12 days in transit, exports stop on days 5-25: what left CN
    before day 5 still arrives until day 17, so arrivals stop on days 17-37: 20 days
    lost from day 17 (without counting transit: days 5-25)."""
    from raretrace.services.simulation.runs import transit_days

    c = dual({"CN": 1.0})
    lead = transit_days(c, {("S-CN", "MAG", "S-DE"): 12.0})
    assert sorted(lead.tolist()) == [12.0]
    for count, first_day in [(True, 17.0), (False, 5.0)]:
        s = sc(embargoes=cut_cn(20, 5), default_stock_days=0, count_in_transit=count)
        out = simulate(plan(c, s, None, lead), runs=1, seed=0, dtype="float64")
        assert (out.first_stop[0, 0], out.days_lost[0, 0]) == (first_day, 20.0)


def test_value_of_a_second_source() -> None:
    """The 50/50 case: with JP's spare capacity (50 % of the need, at once) the plant
    loses nothing; without it, 7.5 days (15 days at 50 %) of motors at 900 USD and one
    a day: 6,750 USD saved by that source."""
    from raretrace.services.simulation import runs as simulation

    s = sc(embargoes=cut_cn(40),
           spare_capacity=[{"supplier": "S-JP", "part": "MAG", "extra_share": 0.5}])  # fmt: skip
    r = simulation.run(dual({"CN": 0.5, "JP": 0.5}), s, value_of_sources=True)
    (row,) = [x for x in r.extra["source_values"] if x["kind"] == "spare_capacity"]
    assert (row["supplier"], row["part"]) == ("S-JP", "MAG")
    assert (row["days_lost_with"], row["days_lost_without"]) == (0.0, 7.5)
    assert row["value_saved"] == pytest.approx(6750.0)
    assert row in simulation.summarise(r).source_values
    # the JP link itself, spare capacity included, saves all 15 days (13,500 USD)
    (jp,) = [x for x in r.extra["source_values"] if x["kind"] == "existing" and
             x["supplier"] == "S-JP"]  # fmt: skip
    assert (jp["days_lost_without"], jp["value_saved"]) == (15.0, pytest.approx(13500.0))


def test_value_of_existing_sources() -> None:
    """The 50/50 case without spare capacity loses 7.5 days (15 days at 50 %). Without
    the JP source, CN carries the whole need and the plant stops for 15 days: JP saves
    7.5 days (6,750 USD). Without the CN source, JP carries it all and nothing is lost:
    CN costs 7.5 days (-6,750 USD). Both links are valued; nothing is left out."""
    from raretrace.services.simulation import runs as simulation

    r = simulation.run(dual({"CN": 0.5, "JP": 0.5}), sc(embargoes=cut_cn(40)),
                       value_of_sources=True)  # fmt: skip
    rows = {x["supplier"]: x for x in r.extra["source_values"]}
    assert [x["supplier"] for x in r.extra["source_values"]] == ["S-JP", "S-CN"]
    jp, cn = rows["S-JP"], rows["S-CN"]
    assert (jp["kind"], jp["part"], jp["buyer"]) == ("existing", "MAG", "S-DE")
    assert (jp["days_lost_with"], jp["days_lost_without"], jp["days_saved"]) == (7.5, 15.0, 7.5)
    assert jp["value_saved"] == pytest.approx(6750.0)
    assert (cn["days_lost_without"], cn["days_saved"]) == (0.0, -7.5)
    assert cn["value_saved"] == pytest.approx(-6750.0)
    assert simulation.summarise(r).source_values_left_out == 0


def test_without_source_moves_its_share_to_the_others() -> None:
    """70/30 CN/JP: without JP, CN's link carries the whole need (weight 1.0); the
    network is otherwise unchanged."""
    from raretrace.analytics.sources import without_source

    c = dual({"CN": 0.7, "JP": 0.3})
    labels = [c.label(int(x)) for x in c.fwd_indices]
    jp = next(i for i, x in enumerate(labels) if x.startswith("S-JP"))
    cn = next(i for i, x in enumerate(labels) if x.startswith("S-CN"))
    d = without_source(c, jp)
    assert d.nnz == c.nnz - 1
    assert [d.label(int(x)) for x in d.fwd_indices] == [labels[cn]]
    assert d.fwd_data.tolist() == pytest.approx([c.fwd_data[cn] + c.fwd_data[jp]])
    assert d.rev_data.sum() == pytest.approx(d.fwd_data.sum())


@pytest.mark.parametrize(
    ("start", "days", "lost"), [("2026-04-01", 1, 2.0), ("2025-09-15", 45, 68.0)]
)
def test_days_lost_to_a_working_day_licence_without_stock(
    start: str, days: int, lost: float
) -> None:
    """The issue's cases: no stock, a licence of N working days from the start: 1 from
    Wed 1 Apr 2026 loses 1-2 Apr (2 days); 45 from Mon 15 Sep 2025 loses 68 days."""
    from raretrace.services.simulation.runs import scenario_calendar

    s = sc(start=start, default_stock_days=0, horizon_days=120,
           licensing=[{"exporters": ["CN"], "items": "all", "clock": "working",
                       "lead_time": {"kind": "fixed", "days": days}}])  # fmt: skip
    out = simulate(plan(dual({"CN": 1.0}), s, scenario_calendar(s)), runs=1, seed=0)
    assert (out.first_stop[0, 0], out.days_lost[0, 0]) == (0.0, lost)


# -- demand that changes over time ------------------------------------------------------


def test_demand_that_doubles_drains_stock_twice_as_fast() -> None:
    """CN only, 25 days of stock (at one motor a day), CN cut for 40 days, demand
    doubled from day 10: days 0-9 use 10, days 10-16 use 14, day 17 has 1 left of the 2
    it needs (half a day made), days 18-39 make nothing. Lost, in days of the base
    rate: 1 + 22 x 2 = 45 (45 motors), first on day 17.5."""
    demand = [{"product": "MOTOR", "units_per_year": 365, "profile": [{"from": 10, "factor": 2}]}]
    first, lost = run(dual({"CN": 1.0}), sc(embargoes=cut_cn(40), demand=demand))
    assert (first, lost) == (17.5, 45.0)
    _, nothing = run(dual({"CN": 1.0}), sc(demand=demand))
    assert nothing == 0.0


@pytest.mark.parametrize("step", ["day", "week"])
def test_kernel_matches_reference_with_changing_demand(step: str) -> None:
    c = dual({"CN": 0.6, "JP": 0.4})
    demand = [{"product": "MOTOR", "units_per_year": 365,
               "profile": [{"from": 8.5, "factor": 1.7}, {"from": 50, "factor": 0.0},
                           {"from": 60, "factor": 1.2}]}]  # fmt: skip
    s = sc(step=step, embargoes=cut_cn(45, 3), default_stock_days=9, recovery_rate=0.25,
           demand=demand,
           licensing=[{"exporters": ["JP"], "items": "all", "denial_probability": 0.2,
                       "lead_time": {"kind": "lognormal", "median_days": 10, "sigma": 0.8}}])  # fmt: skip
    p = plan(c, s)
    assert p.vary
    items = draw_items(p, np.random.default_rng(2), 10)
    out = run_batch(p, items, np.float64)
    first, lost = reference_batch(c, p, items)
    np.testing.assert_array_equal(out.first_stop, first)
    np.testing.assert_array_equal(out.days_lost, lost)
    assert lost.sum() > 0
