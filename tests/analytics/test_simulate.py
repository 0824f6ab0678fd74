"""Simulation kernel: a hand-checked chain, the per-node reference, and invariants."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tracing_networks import compiled, magnet_chain, random_networks

from raretrace.analytics.disruptions import draw_items, plan
from raretrace.analytics.results import simulate
from raretrace.analytics.scenarios import Scenario
from raretrace.analytics.sim_reference import reference_batch
from raretrace.analytics.simulate import run_batch
from raretrace.domain.network import Network


def scenario(**kw: object) -> Scenario:
    base: dict[str, object] = {
        "name": "t",
        "step": "day",
        "horizon_days": 120,
        "default_stock_days": 20,
        "runs": 20,
    }
    base.update(kw)
    return Scenario.model_validate(base)


def embargo(days: float, start: float = 0) -> dict[str, object]:
    return {
        "exporters": ["CN"],
        "destinations": ["DE"],
        "window": {"from": start, "to": start + days},
    }


def cn_only_chain() -> Network:
    """The magnet chain with every magnet from CN (no JP second source)."""
    net = magnet_chain()
    net.supply = [
        x for x in net.supply if not (x.part_id == "MAGNET" and "JP" in x.supplier_site_id)
    ]
    net.supply = [replace(x, share=1.0) if x.part_id == "MAGNET" else x for x in net.supply]
    return net


def test_hand_checked_chain() -> None:
    """CN magnets to DE stop for 60 days. The motor maker holds 20 days of magnets, the
    car plant 20 days of motors: the motor line stops on day 20, the car line on day
    40, and both restart on day 60 when magnets flow again. Lost: 20 car-days."""
    c = compiled(cn_only_chain())
    s = scenario(embargoes=[embargo(60)])
    p = plan(c, s)
    out = simulate(p, runs=1, seed=0, dtype="float64")
    assert out.first_stop[0].tolist() == [40.0]
    assert out.days_lost[0].tolist() == [20.0]
    labels = [c.label(int(n)) for n in p.nodes]
    assert labels == ["S-TIER1/MOTOR", "S-OEM/CAR"]
    assert out.node_lost.tolist() == [40.0, 20.0]


def test_hand_checked_chain_with_a_second_source() -> None:
    """As above, but the motor maker buys 40 % of its magnets from JP. Its CN magnets
    (20 days) run out on day 20; days 20-59 it runs on JP alone at 40 %: 40 x 0.6 = 24
    motor-days lost. The car plant's 20 days of motors then drain at 1 - 0.4 - 0.1
    (catch-up: 0.25 x the 40 % that arrives) = 0.5 a day: 0.5 days left on day 59,
    when it makes 0.5 + 0.4 = 0.9 of a day. Lost: 0.1 car-day, first on day 59.9."""
    c = compiled(magnet_chain())
    out = simulate(plan(c, scenario(embargoes=[embargo(60)])), runs=1, seed=0, dtype="float64")
    assert out.first_stop[0, 0] == pytest.approx(59.9)
    assert out.days_lost[0, 0] == pytest.approx(0.1)
    assert out.node_lost.tolist() == pytest.approx([24.0, 0.1])


def test_weekly_steps_agree_with_days_on_whole_weeks() -> None:
    c = compiled(cn_only_chain())
    s = scenario(step="week", embargoes=[embargo(56)], default_stock_days=14)
    out = simulate(plan(c, s), runs=1, seed=0, dtype="float64")
    assert out.first_stop[0].tolist() == [28.0]
    assert out.days_lost[0].tolist() == [28.0]


def test_no_disruption_no_stoppage() -> None:
    c = compiled(magnet_chain())
    out = simulate(plan(c, scenario(default_stock_days=0)), runs=5, seed=1)
    assert np.isnan(out.first_stop).all()
    assert (out.days_lost == 0).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kernel_matches_per_node_loop(seed: int) -> None:
    c = compiled(magnet_chain())
    s = scenario(
        embargoes=[embargo(45, 10)],
        licensing=[
            {
                "exporters": ["CN"],
                "items": "all",
                "denial_probability": 0.3,
                "lead_time": {"kind": "lognormal", "median_days": 25, "sigma": 0.7},
            }
        ],
        alternatives=[{"part": "MAGNET", "ramp_up_days": 30, "capacity_share": 0.5}],
        stock=[{"site": "S-OEM", "part": "MOTOR", "days": 5, "safety_days": 15}],
    )
    p = plan(c, s)
    items = draw_items(p, np.random.default_rng(seed), 8)
    out = run_batch(p, items, np.float64)
    first, lost = reference_batch(c, p, items)
    np.testing.assert_array_equal(out.first_stop, first)
    np.testing.assert_array_equal(out.days_lost, lost)


def lost_for(s: Scenario, seed: int = 3) -> float:
    c = compiled(magnet_chain())
    return float(simulate(plan(c, s), runs=30, seed=seed).days_lost.sum())


@pytest.mark.parametrize("stock", [0, 5, 10, 20, 40])
def test_more_stock_never_more_loss(stock: float) -> None:
    lic = [
        {
            "exporters": ["CN"],
            "items": "all",
            "denial_probability": 0.2,
            "lead_time": {"kind": "lognormal", "median_days": 30, "sigma": 0.5},
        }
    ]
    less = lost_for(scenario(licensing=lic, default_stock_days=stock))
    more = lost_for(scenario(licensing=lic, default_stock_days=stock + 7))
    assert more <= less


@pytest.mark.parametrize("days", [0, 10, 30, 60, 90])
def test_longer_embargo_never_less_loss(days: float) -> None:
    short = lost_for(scenario(embargoes=[embargo(days)]))
    long = lost_for(scenario(embargoes=[embargo(days + 15)]))
    assert long >= short


@settings(max_examples=25, deadline=None)
@given(random_networks(), st.integers(0, 40), st.integers(0, 60), st.integers(0, 30))
def test_invariants_on_random_networks(net: object, stock: int, days: int, extra: int) -> None:
    c = compiled(net)  # type: ignore[arg-type]
    emb = [{"exporters": ["CN"], "window": {"from": 5, "to": 5 + days}}]

    def lost(sc: Scenario) -> float:
        return float(simulate(plan(c, sc), runs=1, seed=0, dtype="float64").days_lost.sum())

    base = lost(scenario(embargoes=emb, default_stock_days=stock))
    assert lost(scenario(default_stock_days=stock)) == 0.0
    assert lost(scenario(embargoes=emb, default_stock_days=stock + extra)) <= base + 1e-9
    longer = [{"exporters": ["CN"], "window": {"from": 5, "to": 5 + days + extra}}]
    assert lost(scenario(embargoes=longer, default_stock_days=stock)) >= base - 1e-9


def test_same_seed_same_result_whatever_the_batching_of_threads() -> None:
    c = compiled(magnet_chain())
    s = scenario(
        licensing=[
            {
                "exporters": ["CN"],
                "items": "all",
                "denial_probability": 0.2,
                "lead_time": {"kind": "empirical", "days": [5, 20, 40, 80]},
            }
        ]
    )
    p = plan(c, s)
    from concurrent.futures import ThreadPoolExecutor

    a = simulate(p, runs=130, seed=7, batch_size=25)
    with ThreadPoolExecutor(2) as pool:
        b = simulate(p, runs=130, seed=7, batch_size=25, map_fn=lambda f, xs: pool.map(f, xs))
    np.testing.assert_array_equal(a.days_lost, b.days_lost)
    np.testing.assert_array_equal(a.first_stop, b.first_stop)
    np.testing.assert_array_equal(a.cause_lost, b.cause_lost)
    assert a.days_lost.sum() > 0


def test_anti_diversion_blocks_third_country_reseller() -> None:
    from raretrace.domain.network import SupplyLink
    from raretrace.domain.parties import Party, Site

    net = magnet_chain()
    net.parties.append(Party("TRADER", "Trader", "NL"))
    net.sites.append(Site("S-TRADER", "TRADER", "Trader", "NL"))
    net.supply = [
        x for x in net.supply if not (x.part_id == "MAGNET" and x.supplier_site_id == "S-MAGCN")
    ]
    net.supply += [
        SupplyLink("S-MAGCN", "MAGNET", "S-TRADER", 1.0),
        SupplyLink("S-TRADER", "MAGNET", "S-TIER1", 0.6),
    ]
    c = compiled(net)
    for flag, expect in [(True, 24.0), (False, 0.0)]:
        # blocked: the trader's 60 % share stops from day 20 to 60 at the motor maker
        em = [{**embargo(60), "anti_diversion": flag}]
        out = simulate(plan(c, scenario(embargoes=em)), runs=1, seed=0, dtype="float64")
        assert out.node_lost.sum() == pytest.approx(expect + (0.1 if flag else 0.0))


@settings(max_examples=30, deadline=None)
@given(random_networks(), st.integers(0, 30), st.integers(0, 2), st.integers(0, 3))
def test_kernel_matches_per_node_loop_on_random_networks(
    net: object, stock: int, site: int, seed: int
) -> None:
    """The node-major kernel against the step-major per-node loop over the whole
    network: embargo, licences with denials, an outage, an alternative source and
    safety stock above the starting stock, on daily and weekly steps."""
    c = compiled(net)  # type: ignore[arg-type]
    sites = [str(x) for x in c.net.site_ids]
    for step in ["day", "week"]:
        s = scenario(
            step=step,
            default_stock_days=stock,
            embargoes=[{"exporters": ["CN"], "window": {"from": 3, "to": 40}}],
            licensing=[
                {
                    "exporters": ["JP", "DE"],
                    "items": "all",
                    "denial_probability": 0.3,
                    "lead_time": {"kind": "lognormal", "median_days": 12, "sigma": 0.8},
                }
            ],
            outages=[
                {"site": sites[site % len(sites)], "window": {"from": 20, "to": 33.5}},
            ],
            alternatives=[{"part": "L0P0", "ramp_up_days": 10, "capacity_share": 0.4}],
            stock=[{"part": "L0P1", "days": stock / 2, "safety_days": stock + 5}],
        )
        p = plan(c, s)
        n = len(p.nodes)  # track every affected node, not only products with demand
        p = replace(p, track=p.nodes, track_local=np.arange(n, dtype=np.int32),
                    track_weight=np.ones(n))  # fmt: skip
        items = draw_items(p, np.random.default_rng(seed), 4)
        out = run_batch(p, items, np.float64)
        first, lost = reference_batch(c, p, items)
        np.testing.assert_array_equal(out.first_stop, first)
        np.testing.assert_array_equal(out.days_lost, lost)


@pytest.mark.parametrize(
    "lead",
    [
        {"kind": "fixed", "days": 45},
        {"kind": "lognormal", "median_days": 10, "sigma": 0.6},
        {"kind": "empirical", "days": [5, 20, 40, 80]},
    ],
)
def test_refiled_licences_draw_as_a_full_redraw_would(lead: dict[str, object]) -> None:
    """Re-filed licences take their extra lead time only where still denied, from the
    same random stream as redrawing every (run, link) each round."""
    from raretrace.analytics.disruptions import _lead_times

    c = compiled(magnet_chain())
    lic = {"exporters": ["CN"], "items": "all", "denial_probability": 0.4, "lead_time": lead,
           "reapply": True}  # fmt: skip
    p = plan(c, scenario(licensing=[lic]))
    (r,) = p.lic
    runs, k = 300, len(r.edges)
    items = draw_items(p, np.random.default_rng(11), runs)
    rng = np.random.default_rng(11)
    wait = _lead_times(r, rng, (runs, k))
    denied = rng.random((runs, k)) < r.denial
    while denied.any():
        wait = np.where(denied, wait + _lead_times(r, rng, (runs, k)), wait)
        denied &= rng.random((runs, k)) < r.denial
    np.testing.assert_array_equal(items.hi.reshape(runs, k), r.start + wait)
