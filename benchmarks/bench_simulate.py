"""Disruption simulation: 1,000 runs x 52 weekly steps on a 100,000-part network.

    .venv/bin/python benchmarks/bench_simulate.py [--parts 100000] [--runs 1000]
        [--threads 2] [--small-parts 1500] [--small-runs 10] [--heavy-runs 50]

1. Main case (float32): a two-month embargo on magnets and materials from CN to JP
   (anti-diversion on), then licences with a random delay (lognormal, median 10 days)
   and 5 % denials, re-filed; 30 days of stock everywhere. The kernel (``run_batch``:
   the embargo, which every run shares, is simulated once per batch and each run starts
   from it) is timed against the kernel as it was (``sim_reference.plain_batch``, every
   run from the start) in the same process, tries interleaved, and must give the same
   bits.
2. Check: on a small network the kernel (float64) must equal, exactly, a plain
   per-node Python loop over every node of the whole network (``reference_batch``);
   the speed ratio is extrapolated from that loop's cost per node-step.
3. Heavy case: licences on *every* controlled CN export (most of the synthetic network
   is downstream of one), fewer runs, time per run reported.

Peak memory is the process's maximum resident set (``ru_maxrss``), network included.
The machine is shared: the load average is printed next to every timing, and the main
case also reports the process's CPU time (all threads), which other jobs inflate less.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from common import arrays_from_synth

from raretrace.analytics.disruptions import Plan, draw_items, plan
from raretrace.analytics.matrices import compile_network
from raretrace.analytics.results import batches, combine, simulate
from raretrace.analytics.scenarios import Scenario
from raretrace.analytics.sim_reference import plain_batch, reference_batch
from raretrace.analytics.simulate import BatchOutput, run_batch
from raretrace.services.network.synth import synthesise
from raretrace.services.simulation.runs import scenario_calendar

EMBARGO = {
    "name": "bench-embargo", "step": "week", "horizon_days": 364, "start": "2025-04-04",
    "default_stock_days": 30,
    "embargoes": [{"exporters": ["CN"], "destinations": ["JP"], "items": "magnets",
                   "window": {"from": 30, "to": 91}}],
    "licensing": [{"exporters": ["CN"], "destinations": ["JP"], "items": "magnets", "start": 91,
                   "lead_time": {"kind": "lognormal", "median_days": 10, "sigma": 0.6},
                   "denial_probability": 0.05, "reapply": True}],
}  # fmt: skip
HEAVY = {
    "name": "bench-licences", "step": "week", "horizon_days": 364, "start": "2025-04-04",
    "default_stock_days": 30,
    "licensing": [{"exporters": ["CN"], "items": "controlled", "clock": "working",
                   "lead_time": {"kind": "fixed", "days": 45}, "denial_probability": 0.2,
                   "reapply": True}],
}  # fmt: skip


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def sim_with(p: Plan, runs: int, pool: ThreadPoolExecutor, kernel: Any) -> BatchOutput:
    """``results.simulate`` (same batches and seeds) with the given batch kernel."""

    def one(b: Any) -> BatchOutput:
        rng = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(b.seed, spawn_key=(b.index,)))
        )
        return kernel(p, draw_items(p, rng, b.runs), np.float32)  # type: ignore[no-any-return]

    return combine(list(pool.map(one, batches(runs, 1))))


def identical(a: BatchOutput, b: BatchOutput) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f), equal_nan=True) for f in a.__slots__)


def stats(xs: list[float]) -> str:
    return f"min {min(xs):.2f} / median {statistics.median(xs):.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parts", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--small-parts", type=int, default=1500)
    ap.add_argument("--small-runs", type=int, default=10)
    ap.add_argument("--heavy-runs", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-baseline", action="store_true", help="skip the old kernel")
    a = ap.parse_args()

    # -- 2. exactness on a small network, and the per-node loop's cost ---------------
    small = compile_network(arrays_from_synth(synthesise(a.small_parts, seed=7)))
    ps = plan(small, Scenario.model_validate(EMBARGO))
    items = draw_items(ps, np.random.default_rng(1), a.small_runs)
    run_batch(ps, items, np.float64)  # compile
    t = time.perf_counter()
    fast = run_batch(ps, items, np.float64)
    t_fast_small = time.perf_counter() - t
    t = time.perf_counter()
    first, lost = reference_batch(small, ps, items)
    t_ref = time.perf_counter() - t
    same = np.array_equal(np.nan_to_num(first, nan=-1), np.nan_to_num(fast.first_stop, nan=-1))
    same &= np.array_equal(lost, fast.days_lost)
    per_node_step = t_ref / (small.n_nodes * ps.n_steps * a.small_runs)
    print(f"small: {small.n_nodes:,} nodes, {a.small_runs} runs x {ps.n_steps} steps: "
          f"per-node loop {t_ref:.2f} s ({per_node_step * 1e9:.0f} ns/node-step), kernel "
          f"{t_fast_small * 1000:.1f} ms (ratio {t_ref / t_fast_small:,.0f}x on this case); "
          f"identical: {same}; runs that stop somewhere: "
          f"{int((lost.sum(axis=1) > 0).sum())}/{a.small_runs}; {load()}")  # fmt: skip
    assert same, "kernel and per-node loop disagree"

    # -- 1. the main case ----------------------------------------------------------
    t = time.perf_counter()
    c = compile_network(arrays_from_synth(synthesise(a.parts, seed=42)))
    t_compile = time.perf_counter() - t
    s = Scenario.model_validate(EMBARGO)
    t = time.perf_counter()
    p = plan(c, s)
    t_plan = time.perf_counter() - t
    simulate(p, runs=2, seed=0)  # warm the numba cache
    plain_batch(p, draw_items(p, np.random.default_rng(0), 2))
    kernels = {"new": run_batch} | ({} if a.no_baseline else {"old": plain_batch})
    times: dict[str, list[tuple[float, float, str, str]]] = {k: [] for k in kernels}
    outs: dict[str, BatchOutput] = {}
    rss_new = 0.0
    with ThreadPoolExecutor(a.threads) as pool:
        for _ in range(a.repeat):
            for name, kernel in kernels.items():
                before = load()
                t, cpu = time.perf_counter(), time.process_time()
                outs[name] = sim_with(p, a.runs, pool, kernel)
                w, cpu = time.perf_counter() - t, time.process_time() - cpu
                times[name].append((w, cpu, before, load()))
                rss_new = rss_new or rss_mb()  # after the first try of the new kernel
    out = outs["new"]
    assert identical(out, simulate(p, runs=a.runs, seed=1)), "simulate() and the timed runs differ"
    stopped = (out.node_stops > 0).sum()
    print(f"\n{a.parts:,} parts: {c.n_nodes:,} nodes, {c.nnz:,} links (compile {t_compile:.1f} s)")
    print(f"plan: {p.n_nodes:,} nodes downstream of the disruption, {p.n_links:,} links, "
          f"{len(p.cand):,} covered links ({t_plan:.2f} s)")  # fmt: skip
    print(f"simulate {a.runs:,} runs x {p.n_steps} weekly steps, float32, {a.threads} threads, "
          f"{a.repeat} tries each, interleaved:")  # fmt: skip
    for name, xs in times.items():
        label = "new (shared baseline)" if name == "new" else "old (every run from the start)"
        print(f"  {label}: wall {stats([x[0] for x in xs])}, CPU {stats([x[1] for x in xs])}")
        for i, (w, cpu, l0, l1) in enumerate(xs):
            print(f"    try {i + 1}: {w:.2f} s wall, {cpu:.2f} s CPU (all threads); {l0} -> {l1}")
    if "old" in times:
        ratio = statistics.median(x[1] for x in times["old"]) / statistics.median(
            x[1] for x in times["new"]
        )
        print(f"  ratio old / new (median CPU): {ratio:.2f}x; identical results: "
              f"{identical(outs['new'], outs['old'])}")  # fmt: skip
        assert identical(outs["new"], outs["old"]), "the new kernel and the old one disagree"
    print(f"  peak RSS after the new kernel's first try {rss_new:,.0f} MB, at the end "
          f"{rss_mb():,.0f} MB (process, network included)")  # fmt: skip
    t_sim = min(x[0] for x in times["new"])
    print(f"  nodes short in some run: {stopped:,}; product nodes short: "
          f"{int((out.days_lost.sum(axis=0) > 0).sum())}/{out.days_lost.shape[1]}")  # fmt: skip
    ref_est = per_node_step * c.n_nodes * p.n_steps * a.runs
    print(f"  per-node loop, extrapolated from its cost per node-step on the small case to "
          f"{c.n_nodes:,} nodes x {p.n_steps} x {a.runs:,}: {ref_est / 3600:.1f} h "
          f"-> ratio about {ref_est / t_sim:,.0f}x")  # fmt: skip

    # -- 3. heavy case -----------------------------------------------------------------
    hs = Scenario.model_validate(HEAVY)
    h = plan(c, hs, scenario_calendar(hs))
    cpu_h: dict[str, list[float]] = {k: [] for k in kernels}
    with ThreadPoolExecutor(a.threads) as pool:
        for _ in range(a.repeat):
            for name, kernel in kernels.items():
                t = time.process_time()
                sim_with(h, a.heavy_runs, pool, kernel)
                cpu_h[name].append(time.process_time() - t)
    print(f"\nheavy: licences on all controlled CN exports (nothing shared by the runs): "
          f"{h.n_nodes:,} nodes, {len(h.cand):,} covered links; {a.heavy_runs} runs, CPU "
          f"per run (median of {a.repeat}): " + ", ".join(
              f"{k} {statistics.median(v) / a.heavy_runs * 1000:.0f} ms" for k, v in cpu_h.items())
          + f"; peak RSS {rss_mb():,.0f} MB; {load()}")  # fmt: skip


if __name__ == "__main__":
    main()
