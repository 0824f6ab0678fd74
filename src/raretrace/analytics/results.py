"""Simulation results: arrays with their coordinates and provenance, and the pure
summaries drawn from them (stop probability, first-stop and days-lost distributions,
units and value lost, ranked causes, stock needed).

``simulate(plan, runs, seed, batch_size, map_fn)`` splits the runs into fixed-size
batches; batch ``i`` draws from ``SeedSequence(seed).spawn(...)[i]``, so the result
depends only on (plan, runs, seed, batch_size), never on how batches are spread over
threads, processes or Dask workers. ``map_fn`` is the only thing that differs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from raretrace.analytics.disruptions import Plan, draw_items
from raretrace.analytics.matrices import F64, CompiledNetwork
from raretrace.analytics.simulate import BatchOutput, run_batch

__all__ = ["Batch", "SimulationResult", "combine", "link_of", "run_one", "simulate"]

BATCH_SIZE = 50


@dataclass(frozen=True, slots=True)
class Batch:
    index: int
    runs: int
    seed: int


def batches(runs: int, seed: int, batch_size: int = BATCH_SIZE) -> list[Batch]:
    n = -(-runs // batch_size)
    return [Batch(i, min(batch_size, runs - i * batch_size), seed) for i in range(n)]


def run_one(p: Plan, b: Batch, dtype: str = "float32") -> BatchOutput:
    """Simulate one batch; its random stream is child ``b.index`` of ``b.seed``."""
    seq = np.random.SeedSequence(b.seed, spawn_key=(b.index,))
    rng = np.random.Generator(np.random.PCG64(seq))
    return run_batch(p, draw_items(p, rng, b.runs), np.dtype(dtype).type)


MapFn = Callable[[Callable[[Batch], BatchOutput], list[Batch]], Iterable[BatchOutput]]


def simulate(
    p: Plan,
    runs: int,
    seed: int,
    *,
    batch_size: int = BATCH_SIZE,
    map_fn: MapFn | None = None,
    dtype: str = "float32",
) -> BatchOutput:
    """All runs, in batch order, whatever ``map_fn`` (default: in this thread)."""
    todo = batches(runs, seed, batch_size)
    fn = map_fn or (lambda f, xs: map(f, xs))
    return combine(list(fn(lambda b: run_one(p, b, dtype), todo)))


def combine(outs: list[BatchOutput]) -> BatchOutput:
    """Batches in order -> one output (sums are taken in batch order: reproducible)."""
    first = outs[0]
    node_lost = np.zeros_like(first.node_lost)
    cause = np.zeros_like(first.cause_lost)
    stops = np.zeros_like(first.node_stops)
    for o in outs:
        node_lost += o.node_lost
        cause += o.cause_lost
        stops += o.node_stops
    return BatchOutput(
        first_stop=np.concatenate([o.first_stop for o in outs]),
        days_lost=np.concatenate([o.days_lost for o in outs]),
        node_stops=stops,
        node_lost=node_lost,
        cause_lost=cause,
        need=np.concatenate([o.need for o in outs]),
        watch_p=np.concatenate([o.watch_p for o in outs]),
        watch_stock=np.concatenate([o.watch_stock for o in outs]),
    )


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """Per-run arrays over tracked product nodes plus aggregates, with coordinates and
    provenance (``scenario`` is the scenario as a plain dict)."""

    scenario: dict[str, Any]
    seed: int
    runs: int
    version: str
    revision: int | None
    step_days: float
    n_steps: int
    track_site: list[str]  # coords of the tracked axis
    track_part: list[str]
    track_rate: F64  # planned units/day
    track_value: F64  # unit value (NaN = none)
    track_currency: list[str]
    first_stop: F64  # (runs, n_track)
    days_lost: F64  # (runs, n_track)
    node_site: list[str]  # coords of the simulated (affected) nodes
    node_part: list[str]
    node_stop_probability: F64
    node_days_lost_mean: F64
    causes: list[dict[str, Any]]  # ranked
    stock_needed: list[dict[str, Any]]
    watch: list[str]
    watch_p: F64  # (runs, n_watch, n_steps)
    watch_stock: F64
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def units_lost(self) -> F64:
        return self.days_lost * self.track_rate[None, :]

    @property
    def value_lost(self) -> F64:
        return self.units_lost * self.track_value[None, :]

    def stop_probability(self) -> F64:
        return (self.days_lost > 0).mean(axis=0) if self.runs else np.zeros(0)


def build_result(
    c: CompiledNetwork,
    p: Plan,
    out: BatchOutput,
    *,
    scenario: dict[str, Any],
    seed: int,
    version: str,
    revision: int | None,
    target: float,
    top: int = 15,
) -> SimulationResult:
    """Coordinates, ranked causes and stock needed for a combined output."""
    net = c.net
    runs = int(out.days_lost.shape[0])
    track_nodes = p.track
    value = net.part_value[c.node_part[track_nodes]]
    cur = net.part_currency[c.node_part[track_nodes]]
    currency = [net.currencies[i] if i >= 0 else "" for i in cur.tolist()]
    nodes = p.nodes
    return SimulationResult(
        scenario=scenario,
        seed=seed,
        runs=runs,
        version=version,
        revision=revision,
        step_days=p.step_days,
        n_steps=p.n_steps,
        track_site=[str(net.site_ids[s]) for s in c.node_site[track_nodes]],
        track_part=[str(net.part_ids[x]) for x in c.node_part[track_nodes]],
        track_rate=p.rate[track_nodes],
        track_value=value.astype(np.float64),
        track_currency=currency,
        first_stop=out.first_stop.astype(np.float64),
        days_lost=out.days_lost.astype(np.float64),
        node_site=[str(net.site_ids[s]) for s in c.node_site[nodes]],
        node_part=[str(net.part_ids[x]) for x in c.node_part[nodes]],
        node_stop_probability=out.node_stops / max(runs, 1),
        node_days_lost_mean=out.node_lost / max(runs, 1),
        causes=_causes(c, p, out.cause_lost, top),
        stock_needed=_stock_needed(c, p, out.need, target, top),
        watch=[c.label(int(p.nodes[i])) for i in p.watch_local],
        watch_p=out.watch_p.astype(np.float64),
        watch_stock=out.watch_stock.astype(np.float64),
        extra={"watch_init": [float(p.e_init[p.e_ptr[i] : p.e_ptr[i + 1]].min(initial=np.inf))
                              for i in p.watch_local.tolist()]},
    )  # fmt: skip


def link_of(c: CompiledNetwork, p: Plan, k: int) -> tuple[str, str, str, str]:
    """(supplier site, part, buyer site, the buyer's part it goes into) of link ``k``."""
    net = c.net
    buyer = int(p.nodes[p.e_buyer[k]])
    g = int(p.e_global[k])
    src = int(c.fwd_indices[g])
    site, part = net.site_ids, net.part_ids
    return (str(site[c.node_site[src]]), str(part[c.node_part[src]]),
            str(site[c.node_site[buyer]]), str(part[c.node_part[buyer]]))  # fmt: skip


def _causes(c: CompiledNetwork, p: Plan, lost: F64, top: int) -> list[dict[str, Any]]:
    """Root causes by tracked value lost: a closed link (supplier, part, buyer) or a
    site outage."""
    total = float(lost.sum())
    rows: list[dict[str, Any]] = []
    for k in np.argsort(-lost, kind="stable")[:top].tolist():
        if lost[k] <= 0:
            break
        share = float(lost[k] / total) if total > 0 else 0.0
        if k < p.n_links:
            sup, part, buyer, made = link_of(c, p, k)
            rows.append({"kind": "link", "supplier": sup, "part": part, "buyer": buyer,
                         "buyer_part": made, "share": share})  # fmt: skip
        else:
            node = int(p.nodes[k - p.n_links])
            rows.append({"kind": "outage", "supplier": str(c.net.site_ids[c.node_site[node]]),
                         "part": str(c.net.part_ids[c.node_part[node]]), "buyer": "",
                         "buyer_part": "", "share": share})  # fmt: skip
    return rows


def _stock_needed(
    c: CompiledNetwork, p: Plan, need: F64, target: float, top: int
) -> list[dict[str, Any]]:
    """Per covered link: the least stock (days) with which the link runs short in at
    most ``target`` of the runs. A run's need on a link is its largest running deficit
    before the step's catch-up (``backlog + (1 - supply) x step``): starting (and safety)
    stock at or above it never leaves the link unable to deliver its normal flow, at
    the step resolution. The smallest stock meeting the target is the
    ``1 - target`` quantile taken on the observed needs (inverted CDF: an actual run's
    need, never an interpolation below it)."""
    if need.size == 0:
        return []
    q = np.quantile(need.astype(np.float64), 1.0 - target, axis=0, method="inverted_cdf")
    now = p.e_init[p.cand]
    gap = q - now
    rows = []
    for j in np.argsort(-gap, kind="stable")[:top].tolist():
        if gap[j] <= 0:
            break
        sup, part, buyer, made = link_of(c, p, int(p.cand[j]))
        rows.append({"site": buyer, "buyer_part": made, "part": part, "supplier": sup,
                     "stock_days_now": float(now[j]), "stock_days_needed": float(q[j]),
                     "p_short_now": float((need[:, j] > now[j]).mean())})  # fmt: skip
    return rows


def quantiles(x: F64, qs: tuple[float, ...] = (0.5, 0.9, 0.99)) -> list[float]:
    if x.size == 0:
        return [0.0 for _ in qs]
    return [float(v) for v in np.quantile(x, qs)]
