"""Time-stepped Monte Carlo simulation of disruptions through stock (numba kernel).

**Model.** Time runs in steps of ``step_days``. Every affected node (``disruptions.Plan``)
runs at its planned rate; stock is kept per input link at the buyer, in days of the
buyer's consumption. In each step a link delivers ``supply = open x p_supplier`` of its
normal flow (``open``: the share of the step the link is not closed by an embargo, a
pending or denied licence; ``p_supplier``: the supplier's own output share this step),
plus what an alternative source has ramped up to. A node makes

    p = min(1, outage_open, min over links of (stock + supply x step) / step)

of its planned output (it stops when any needed input runs out; a partial step counts
in proportion). Stock is then ``stock + supply x step - p x step``, refilled by an extra
``recovery_rate x supply x step`` while below its safety level and never above it (or
above the starting stock, if higher). A node below full output passes that on to its
users in the same step. Loss = ``(1 - p) x step`` days of output.

**Sparsity.** A node is only computed in a step when something reaches it: a closure on
one of its links or its outage (the step's *items*), a supplier below full output, or
its own stock still refilling. Everything else is at full output by construction, so
the work follows the disruption, not the size of the network.

``run_batch`` simulates a batch of runs; ``reference_batch`` is the same model written
as a plain per-node loop over the whole network (used by tests and the benchmark to
check the kernel exactly).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock
from typing import Any

import numpy as np

from raretrace.analytics.disruptions import Plan, RunItems
from raretrace.analytics.matrices import F64, I64, CompiledNetwork

__all__ = ["BatchOutput", "reference_batch", "run_batch"]

_JIT: dict[str, Callable[..., Any]] = {}
_LOCK = Lock()
EPS = 1e-6


@dataclass(frozen=True, slots=True)
class BatchOutput:
    """What one batch of runs produced (``runs`` = runs in the batch)."""

    first_stop: np.ndarray[Any, Any]  # (runs, n_track) day of the first shortfall, NaN = none
    days_lost: np.ndarray[Any, Any]  # (runs, n_track) days of planned output lost
    node_stops: I64  # (n_local,) runs in which the node fell short
    node_lost: F64  # (n_local,) days lost, summed over runs
    cause_lost: F64  # (n_links + n_local,) value of tracked output lost, by root cause
    need: np.ndarray[Any, Any]  # (runs, n_cand) most stock (days) short on covered links
    watch_p: np.ndarray[Any, Any]  # (runs, n_watch, n_steps) output share
    watch_stock: np.ndarray[Any, Any]  # (runs, n_watch, n_steps) least input stock, days


def _kernel() -> Callable[..., Any]:
    fn = _JIT.get("sim")
    if fn is None:
        with _LOCK:
            fn = _JIT.get("sim")
            if fn is None:
                import numba

                global _catch_up
                _catch_up = numba.njit(cache=True, nogil=True, error_model="numpy")(catch_up)
                fn = numba.njit(cache=True, nogil=True, error_model="numpy")(simulate_kernel)
                _JIT["sim"] = fn
    return fn


def run_batch(p: Plan, items: RunItems, dtype: type[np.floating[Any]] = np.float32) -> BatchOutput:
    """Simulate the runs of ``items`` on plan ``p`` (state in ``dtype``)."""
    runs = len(items.ptr) - 1
    out = _alloc(p, runs, dtype)
    if p.n_nodes:
        _kernel()(
            p.e_ptr, p.e_src, p.e_buyer, p.e_init.astype(dtype), p.e_safety.astype(dtype),
            p.e_alt_cap.astype(dtype), p.e_alt_ramp.astype(dtype), p.u_ptr, p.u_node,
            p.level, p.n_levels, _positions(p.track_local, p.n_nodes),
            _positions(p.cand, p.n_links), _positions(p.watch_local, p.n_nodes),
            p.track_weight, float(p.step_days), p.n_steps, float(p.recovery_rate),
            items.ptr, items.target, items.lo, items.hi, items.frac.astype(dtype),
            out.first_stop, out.days_lost, out.node_stops, out.node_lost, out.cause_lost,
            out.need, out.watch_p, out.watch_stock,
        )  # fmt: skip
    return out


def _alloc(p: Plan, runs: int, dtype: type[np.floating[Any]]) -> BatchOutput:
    nt = len(p.track)
    nw = len(p.watch_local)
    return BatchOutput(
        first_stop=np.full((runs, nt), np.nan, dtype),
        days_lost=np.zeros((runs, nt), dtype),
        node_stops=np.zeros(p.n_nodes, np.int64),
        node_lost=np.zeros(p.n_nodes),
        cause_lost=np.zeros(p.n_links + p.n_nodes),
        need=np.zeros((runs, len(p.cand)), dtype),
        watch_p=np.ones((runs, nw, p.n_steps), dtype),
        watch_stock=np.zeros((runs, nw, p.n_steps), dtype),
    )


def _positions(idx: np.ndarray[Any, Any], n: int) -> np.ndarray[Any, Any]:
    pos = np.full(n, -1, np.int64)
    ok = idx >= 0
    pos[idx[ok]] = np.flatnonzero(ok)
    return pos


def simulate_kernel(
    e_ptr: Any, e_src: Any, e_buyer: Any, e_init: Any, e_safety: Any, e_alt_cap: Any,
    e_alt_ramp: Any, u_ptr: Any, u_node: Any, level: Any, n_levels: int, track_pos: Any,
    cand_pos: Any, watch_pos: Any, track_weight: Any, step: float,
    n_steps: int, rate: float, it_ptr: Any, it_target: Any, it_lo: Any, it_hi: Any,
    it_frac: Any, first_stop: Any, days_lost: Any, node_stops: Any, node_lost: Any,
    cause_lost: Any, need: Any, watch_p: Any, watch_stock: Any,
) -> None:  # fmt: skip
    """See the module docstring. Plain Python over arrays; compiled by numba."""
    na = e_ptr.shape[0] - 1
    ne = e_src.shape[0]
    one = np.ones(1, e_init.dtype)[0]
    zero = one - one
    fstep = step
    frate = rate
    inv = e_init.copy()
    backlog = np.zeros(ne, e_init.dtype)
    alt_start = np.full(ne, -1.0)
    edge_cause = np.full(ne, -1, np.int64)
    upd = np.full(ne, -1, np.int64)  # last step whose update the link's state holds
    sup = np.ones(ne, e_init.dtype)
    open_e = np.ones(ne, e_init.dtype)
    cap = np.ones(na, e_init.dtype)
    p = np.ones(na, e_init.dtype)
    p_stamp = np.zeros(na, np.int64)
    queued = np.zeros(na, np.int64)
    root = np.full(na, -1, np.int64)
    stop_run = np.full(na, -1, np.int64)
    touched = np.full(na, -1, np.int64)
    touched_list = np.zeros(na, np.int64)
    # a bucket queue per level: nodes are pushed at most once per step
    lvl_count = np.zeros(n_levels + 1, np.int64)
    for i in range(na):
        lvl_count[level[i] + 1] += 1
    lvl_off = np.cumsum(lvl_count)
    lvl_n = np.zeros(n_levels, np.int64)
    stack = np.zeros(max(na, 1), np.int64)
    n_watch = watch_p.shape[1]
    watch_nodes = np.zeros(n_watch, np.int64)
    for i in range(na):
        if watch_pos[i] >= 0:
            watch_nodes[watch_pos[i]] = i
    stamp = 0
    for b in range(it_ptr.shape[0] - 1):
        # expand this run's items into per-step records (counting sort by step)
        a0 = it_ptr[b]
        a1 = it_ptr[b + 1]
        per_step = np.zeros(n_steps + 1, np.int64)
        for k in range(a0, a1):
            s0 = math.floor(it_lo[k] / step)
            s1 = n_steps if it_hi[k] >= n_steps * step else math.ceil(it_hi[k] / step)
            for s in range(max(s0, 0), min(s1, n_steps)):
                per_step[s + 1] += 1
        rec_ptr = np.cumsum(per_step)
        n_rec = rec_ptr[n_steps]
        rec_target = np.zeros(n_rec, np.int64)
        rec_closed = np.zeros(n_rec, e_init.dtype)
        fill = rec_ptr[:n_steps].copy()
        for k in range(a0, a1):
            s0 = math.floor(it_lo[k] / step)
            s1 = n_steps if it_hi[k] >= n_steps * step else math.ceil(it_hi[k] / step)
            for s in range(max(s0, 0), min(s1, n_steps)):
                lo = max(it_lo[k], s * step)
                hi = min(it_hi[k], (s + 1) * step)
                j = fill[s]
                fill[s] += 1
                rec_target[j] = it_target[k]
                rec_closed[j] = it_frac[k] * ((hi - lo) / step)
        n_touched = 0
        for t in range(n_steps):
            stamp += 1
            day = t * step
            for j in range(rec_ptr[t], rec_ptr[t + 1]):
                tg = rec_target[j]
                if tg < ne:
                    open_e[tg] *= one - rec_closed[j]
                    node = e_buyer[tg]
                else:
                    node = tg - ne
                    cap[node] *= one - rec_closed[j]
                if queued[node] != stamp:
                    queued[node] = stamp
                    stack[lvl_off[level[node]] + lvl_n[level[node]]] = node
                    lvl_n[level[node]] += 1
            for lv in range(n_levels):
                q = 0
                while q < lvl_n[lv]:
                    n = stack[lvl_off[lv] + q]
                    q += 1
                    if touched[n] != b:
                        touched[n] = b
                        touched_list[n_touched] = n
                        n_touched += 1
                    pmin = cap[n]
                    lim = -1
                    for k in range(e_ptr[n], e_ptr[n + 1]):
                        _catch_up(k, t - 1, upd, inv, backlog, e_safety, one, zero, fstep, frate)
                        src = e_src[k]
                        ps = one
                        if src >= 0 and p_stamp[src] == stamp:
                            ps = p[src]
                        s_k = open_e[k] * ps
                        if e_alt_cap[k] > zero:
                            if s_k < one and alt_start[k] < 0.0:
                                alt_start[k] = day
                            if alt_start[k] >= 0.0:
                                ramp = 1.0
                                if e_alt_ramp[k] > zero:
                                    ramp = min(1.0, (day - alt_start[k]) / e_alt_ramp[k])
                                s_k = min(one, s_k + e_alt_cap[k] * ramp)
                        sup[k] = s_k
                        ratio = (inv[k] + s_k * fstep) / fstep
                        if ratio < pmin:
                            pmin = ratio
                            lim = k
                    pn = max(zero, min(one, pmin))
                    for k in range(e_ptr[n], e_ptr[n + 1]):
                        s_k = sup[k]
                        old = inv[k]
                        safety = e_safety[k]
                        if s_k == one and pn == one:
                            new = old
                            if new < safety:
                                new = min(safety, new + frate * fstep)
                        else:
                            new = old + s_k * fstep - pn * fstep
                            if new < safety:
                                new = min(safety, new + frate * s_k * fstep)
                            else:
                                new = min(new, max(safety, old))
                        inv[k] = new
                        upd[k] = t
                        bl = max(zero, backlog[k] + (one - s_k) * fstep - frate * s_k * fstep)
                        backlog[k] = bl
                        if cand_pos[k] >= 0 and bl > need[b, cand_pos[k]]:
                            need[b, cand_pos[k]] = bl
                        if s_k < one:
                            src = e_src[k]
                            if open_e[k] < one:
                                edge_cause[k] = k
                            elif src >= 0 and p_stamp[src] == stamp and root[src] >= 0:
                                edge_cause[k] = root[src]
                    if pn < one - EPS:
                        p[n] = pn
                        p_stamp[n] = stamp
                        if lim < 0:
                            root[n] = ne + n
                        elif edge_cause[lim] >= 0:
                            root[n] = edge_cause[lim]
                        else:
                            root[n] = lim
                        lost = (one - pn) * fstep
                        node_lost[n] += lost
                        if stop_run[n] != b:
                            stop_run[n] = b
                            node_stops[n] += 1
                        j = track_pos[n]
                        if j >= 0:
                            days_lost[b, j] += lost
                            if math.isnan(first_stop[b, j]):
                                first_stop[b, j] = day + pn * fstep
                            cause_lost[root[n]] += lost * track_weight[j]
                        for u in range(u_ptr[n], u_ptr[n + 1]):
                            v = u_node[u]
                            if queued[v] != stamp:
                                queued[v] = stamp
                                stack[lvl_off[level[v]] + lvl_n[level[v]]] = v
                                lvl_n[level[v]] += 1
                lvl_n[lv] = 0
            for w in range(n_watch):
                n = watch_nodes[w]
                if touched[n] != b:
                    touched[n] = b
                    touched_list[n_touched] = n
                    n_touched += 1
                if p_stamp[n] == stamp:
                    watch_p[b, w, t] = p[n]
                least = np.inf
                for k in range(e_ptr[n], e_ptr[n + 1]):
                    _catch_up(k, t, upd, inv, backlog, e_safety, one, zero, fstep, frate)
                    least = min(least, inv[k])
                watch_stock[b, w, t] = least
            for j in range(rec_ptr[t], rec_ptr[t + 1]):
                tg = rec_target[j]
                if tg < ne:
                    open_e[tg] = one
                else:
                    cap[tg - ne] = one
        for i in range(n_touched):
            n = touched_list[i]
            for k in range(e_ptr[n], e_ptr[n + 1]):
                inv[k] = e_init[k]
                upd[k] = -1
                backlog[k] = zero
                alt_start[k] = -1.0
                edge_cause[k] = -1
            root[n] = -1


def catch_up(
    k: int, t: int, upd: Any, inv: Any, backlog: Any, e_safety: Any, one: Any, zero: Any,
    fstep: float, frate: float,
) -> None:  # fmt: skip
    """Bring link ``k`` from its last update to the end of step ``t``, for steps in which
    it was not computed: full supply and full output, so stock refills and the backlog
    drains, by the very operations a computed step would do."""
    safety = e_safety[k]
    for _ in range(upd[k], t):
        if inv[k] < safety:
            inv[k] = min(safety, inv[k] + frate * fstep)
        if backlog[k] > zero:
            backlog[k] = max(zero, backlog[k] + (one - one) * fstep - frate * one * fstep)
        if inv[k] >= safety and backlog[k] <= zero:
            break
    upd[k] = max(upd[k], t)


_catch_up: Callable[..., Any] = catch_up


# -- reference: the same model as a straightforward per-node loop ---------------------


def reference_batch(c: CompiledNetwork, p: Plan, items: RunItems) -> tuple[F64, F64]:
    """First-stop day and days lost per tracked node and run, by visiting every node of
    the whole network in every step (Python floats; for checks, slow)."""
    n = c.n_nodes
    runs = len(items.ptr) - 1
    step = p.step_days
    ne = p.n_links
    # every forward edge, with the plan's stock where the plan keeps the link
    init = np.full(c.nnz, 0.0)
    safety = np.full(c.nnz, 0.0)
    alt_cap = np.zeros(c.nnz)
    alt_ramp = np.zeros(c.nnz)
    init[p.e_global] = p.e_init
    safety[p.e_global] = p.e_safety
    alt_cap[p.e_global] = p.e_alt_cap
    alt_ramp[p.e_global] = p.e_alt_ramp
    track_of = {int(g): j for j, g in enumerate(p.track.tolist())}
    first = np.full((runs, len(p.track)), np.nan)
    lost = np.zeros((runs, len(p.track)))
    indptr = c.fwd_indptr.tolist()
    indices = c.fwd_indices.tolist()
    for b in range(runs):
        inv = init.tolist()
        alt_start = [-1.0] * c.nnz
        closed_edge: dict[tuple[int, int], float] = {}
        closed_node: dict[tuple[int, int], float] = {}
        for k in range(int(items.ptr[b]), int(items.ptr[b + 1])):
            tg, lo, hi, fr = (int(items.target[k]), float(items.lo[k]), float(items.hi[k]),
                              float(items.frac[k]))  # fmt: skip
            for t in range(p.n_steps):
                a, z = max(lo, t * step), min(hi, (t + 1) * step)
                if z > a:
                    key = (int(p.e_global[tg]) if tg < ne else int(p.nodes[tg - ne]), t)
                    store = closed_edge if tg < ne else closed_node
                    store[key] = store.get(key, 1.0) * (1.0 - fr * ((z - a) / step))
        for t in range(p.n_steps):
            day = t * step
            out = [1.0] * n
            for node in range(n):
                pmin = closed_node.get((node, t), 1.0)
                sups = []
                for k in range(indptr[node], indptr[node + 1]):
                    s_k = closed_edge.get((k, t), 1.0) * out[indices[k]]
                    if alt_cap[k] > 0:
                        if s_k < 1.0 and alt_start[k] < 0:
                            alt_start[k] = day
                        if alt_start[k] >= 0:
                            ramp = 1.0
                            if alt_ramp[k] > 0:
                                ramp = min(1.0, (day - alt_start[k]) / alt_ramp[k])
                            s_k = min(1.0, s_k + alt_cap[k] * ramp)
                    sups.append(s_k)
                    pmin = min(pmin, (inv[k] + s_k * step) / step)
                pn = max(0.0, min(1.0, pmin))
                for i, k in enumerate(range(indptr[node], indptr[node + 1])):
                    s_k, old = sups[i], inv[k]
                    if s_k == 1.0 and pn == 1.0:
                        new = (
                            old
                            if old >= safety[k]
                            else min(safety[k], old + p.recovery_rate * step)
                        )
                    else:
                        new = old + s_k * step - pn * step
                        if new < safety[k]:
                            new = min(safety[k], new + p.recovery_rate * s_k * step)
                        else:
                            new = min(new, max(safety[k], old))
                    inv[k] = new
                if pn < 1.0 - EPS:
                    out[node] = pn
                    j = track_of.get(node, -1)
                    if j >= 0:
                        lost[b, j] += (1.0 - pn) * step
                        if math.isnan(first[b, j]):
                            first[b, j] = day + pn * step
    return first, lost
