"""The kernel that simulates the closures every run shares once (a baseline) and starts
each run's nodes from it gives the same bits as simulating every run from the start
(``sim_reference.plain_batch``, the kernel as it was), in float32 and float64."""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tracing_networks import compiled, magnet_chain, random_networks

from raretrace.analytics.disruptions import Plan, RunItems, draw_items, plan
from raretrace.analytics.scenarios import Scenario
from raretrace.analytics.sim_reference import plain_batch
from raretrace.analytics.simulate import BatchOutput, run_batch


def assert_same(a: BatchOutput, b: BatchOutput) -> None:
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        assert x.dtype == y.dtype, f.name
        np.testing.assert_array_equal(x, y, err_msg=f.name, strict=True)


def both(p: Plan, items: RunItems, **kw: int) -> None:
    for dtype in (np.float32, np.float64):
        assert_same(run_batch(p, items, dtype, **kw), plain_batch(p, items, dtype))


def scenario(step: str, **kw: object) -> Scenario:
    base: dict[str, object] = {"name": "t", "step": step, "horizon_days": 120}
    base.update(kw)
    return Scenario.model_validate(base)


def track_all(p: Plan) -> Plan:
    n = len(p.nodes)
    return replace(p, track=p.nodes, track_local=np.arange(n, dtype=np.int32),
                   track_weight=np.linspace(1.0, 2.0, n))  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    random_networks(),
    st.sampled_from(["day", "week"]),
    st.integers(0, 30),  # stock
    st.integers(0, 60),  # embargo from
    st.integers(1, 80),  # embargo length
    st.integers(0, 100),  # licences start
    st.floats(0.0, 0.6),  # outage probability
    st.integers(0, 3),  # site of the outage, seed
    st.booleans(),  # demand profile
)
def test_same_bits_as_every_run_from_the_start(
    net: object, step: str, stock: int, e_from: int, e_len: int, l_start: int,
    p_out: float, pick: int, profile: bool,
) -> None:  # fmt: skip
    """Embargoes (shared), licences with denials starting before, inside or after the
    embargo, a random outage, an alternative, spare capacity, safety stock above the
    starting stock, a demand profile and a watched node, daily and weekly steps."""
    c = compiled(net)  # type: ignore[arg-type]
    sites = [str(x) for x in c.net.site_ids]
    parts = [str(x) for x in c.net.part_ids]
    node = c.label(int(np.argmax(c.node_level())))
    s = scenario(
        step,
        default_stock_days=stock,
        embargoes=[{"exporters": ["CN"], "window": {"from": e_from, "to": e_from + e_len}},
                   {"exporters": ["JP"], "destinations": ["DE"],
                    "window": {"from": e_from + 5, "to": e_from + 9.5}}],
        licensing=[{"exporters": ["CN", "JP"], "items": "all", "start": l_start,
                    "denial_probability": 0.3, "reapply": pick % 2 == 0,
                    "lead_time": {"kind": "lognormal", "median_days": 12, "sigma": 0.8}}],
        outages=[{"site": sites[pick % len(sites)], "probability": p_out,
                  "window": {"from": 20, "to": 33.5}}],
        alternatives=[{"part": parts[0], "ramp_up_days": 10, "capacity_share": 0.4}],
        stock=[{"part": parts[-1], "days": stock / 2, "safety_days": stock + 5}],
        demand=[{"product": x, "units_per_week": 7,
                 "profile": [{"from": 30, "factor": 2.0}, {"from": 70, "factor": 0.5}]}
                for x in parts[-1:] if profile],
        watch=[node],
    )  # fmt: skip
    p = track_all(plan(c, s))
    items = draw_items(p, np.random.default_rng(pick), 6)
    both(p, items)
    both(p, items, snapshot_bytes=0)  # no snapshots kept: nodes that differ start at 0


def test_magnet_chain_with_every_kind_of_closure() -> None:
    c = compiled(magnet_chain())
    for step in ["day", "week"]:
        s = scenario(
            step,
            default_stock_days=20,
            embargoes=[{"exporters": ["CN"], "destinations": ["DE"],
                        "window": {"from": 10, "to": 55}}],
            licensing=[{"exporters": ["CN"], "items": "all", "start": 55,
                        "denial_probability": 0.3, "reapply": True,
                        "lead_time": {"kind": "lognormal", "median_days": 25, "sigma": 0.7}}],
            alternatives=[{"part": "MAGNET", "ramp_up_days": 30, "capacity_share": 0.5}],
            stock=[{"site": "S-OEM", "part": "MOTOR", "days": 5, "safety_days": 15}],
            watch=["S-OEM/CAR", "S-TIER1/MOTOR"],
        )  # fmt: skip
        p = track_all(plan(c, s))
        items = draw_items(p, np.random.default_rng(5), 30)
        assert len(items.shared_target) > 0
        both(p, items)


def test_shared_closures_or_the_same_ones_in_every_run() -> None:
    """The embargo as shared closures, or copied into every run (nothing shared), or
    with one run's copy changed: always the plain kernel's results."""
    c = compiled(magnet_chain())
    s = scenario("day", default_stock_days=10,
                 embargoes=[{"exporters": ["CN"], "window": {"from": 5, "to": 40}}],
                 licensing=[{"exporters": ["CN"], "items": "all", "start": 40,
                             "lead_time": {"kind": "fixed", "days": 6}}])  # fmt: skip
    p = track_all(plan(c, s))
    items = draw_items(p, np.random.default_rng(0), 3)
    assert len(items.shared_target) > 0
    flat = items.expanded()
    assert len(flat.shared_target) == 0
    assert len(flat.target) == len(items.target) + 3 * len(items.shared_target)
    both(p, items)
    both(p, flat)
    assert_same(run_batch(p, items), run_batch(p, flat))
    hi = flat.hi.copy()
    hi[flat.ptr[1]] += 9.0  # the second run's first closure ends later
    odd = replace(flat, hi=hi)
    both(p, odd)
    assert not np.array_equal(run_batch(p, odd).days_lost, run_batch(p, flat).days_lost)


@pytest.mark.parametrize("runs", [0, 1])
def test_no_runs_and_one_run(runs: int) -> None:
    c = compiled(magnet_chain())
    s = scenario("week", embargoes=[{"exporters": ["CN"], "window": {"from": 5, "to": 40}}])
    p = plan(c, s)
    both(p, draw_items(p, np.random.default_rng(0), runs))
