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
one of its links or its outage, or a supplier below full output. Everything else is at
full output by construction, so the work follows the disruption, not the size of the
network. Stock that refills after a disruption is caught up lazily, by the very
operations a computed step would do, when the link is next computed or watched.

**Order.** The kernel is node-major: in each run every affected node is simulated over
the whole horizon, in level order, reading its suppliers' short steps (output share and
root cause) from per-run histories. A node's result depends only on its suppliers'
outputs and its own closures, so this gives the same numbers as a step-major loop; only
``cause_lost``, a sum over tracked nodes, is added up in another (fixed) order.

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
            p.e_ptr, p.e_src, p.e_init.astype(dtype), p.e_safety.astype(dtype),
            p.e_alt_cap.astype(dtype), p.e_alt_ramp.astype(dtype), p.level, p.n_levels,
            _positions(p.track_local, p.n_nodes),
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
    e_ptr: Any, e_src: Any, e_init: Any, e_safety: Any, e_alt_cap: Any,
    e_alt_ramp: Any, level: Any, n_levels: int, track_pos: Any,
    cand_pos: Any, watch_pos: Any, track_weight: Any, step: float,
    n_steps: int, rate: float, it_ptr: Any, it_target: Any, it_lo: Any, it_hi: Any,
    it_frac: Any, first_stop: Any, days_lost: Any, node_stops: Any, node_lost: Any,
    cause_lost: Any, need: Any, watch_p: Any, watch_stock: Any,
) -> None:  # fmt: skip
    """See the module docstring. Plain Python over arrays; compiled by numba.

    Node-major: in each run, every node is simulated over the whole horizon before its
    users (level order), reading its suppliers' short steps (output share and root
    cause) from per-run histories. Per node, the operations and their order are those
    of a step-major loop that visits the node in exactly the steps where a closure
    covers it or a supplier is short."""
    na = e_ptr.shape[0] - 1
    ne = e_src.shape[0]
    one = np.ones(1, e_init.dtype)[0]
    zero = one - one
    fstep = step
    frate = rate
    inv = e_init.copy()
    backlog = np.zeros(ne, e_init.dtype)
    most = np.zeros(ne, e_init.dtype)  # largest backlog of the run so far
    alt_start = np.full(ne, -1.0)
    edge_cause = np.full(ne, -1, np.int64)
    upd = np.full(ne, -1, np.int64)  # last step whose update the link's state holds
    sup = np.ones(ne, e_init.dtype)
    open_e = np.ones(ne, e_init.dtype)
    closed = np.zeros(1, e_init.dtype)
    # per run: output share, root cause and short flag of each node in each step
    p_hist = np.ones((na, n_steps), e_init.dtype)
    root_hist = np.full((na, n_steps), -1, np.int32)  # link or ne + node, < 2**31
    short = np.zeros((na, n_steps), np.bool_)
    s_lo = np.zeros(na, np.int64)  # short steps of node i lie in s_lo[i]:s_hi[i]
    s_hi = np.zeros(na, np.int64)
    act = np.zeros(n_steps, np.bool_)
    # nodes in level order (stable), so every supplier is done before its users
    lvl_count = np.zeros(n_levels + 1, np.int64)
    for i in range(na):
        lvl_count[level[i] + 1] += 1
    lvl_off = np.cumsum(lvl_count)
    order = np.zeros(na, np.int64)
    for i in range(na):
        order[lvl_off[level[i]]] = i
        lvl_off[level[i]] += 1
    # a run's closures grouped by target (links, then nodes), in item order
    nt = ne + na
    t_ptr = np.zeros(nt + 1, np.int64)
    t_fill = np.zeros(nt, np.int64)
    t_item = np.zeros(max(it_target.shape[0], 1), np.int64)
    i_s0 = np.zeros(max(it_target.shape[0], 1), np.int64)
    i_s1 = np.zeros(max(it_target.shape[0], 1), np.int64)
    for b in range(it_ptr.shape[0] - 1):
        a0 = it_ptr[b]
        a1 = it_ptr[b + 1]
        t_ptr[:] = 0
        for k in range(a0, a1):
            t_ptr[it_target[k] + 1] += 1
            s0 = math.floor(it_lo[k] / step)
            s1 = n_steps if it_hi[k] >= n_steps * step else math.ceil(it_hi[k] / step)
            i_s0[k - a0] = max(s0, 0)
            i_s1[k - a0] = min(s1, n_steps)
        for g in range(nt):
            t_ptr[g + 1] += t_ptr[g]
        t_fill[:] = t_ptr[:nt]
        for k in range(a0, a1):
            g = it_target[k]
            t_item[t_fill[g]] = k
            t_fill[g] += 1
        for oi in range(na):
            n = order[oi]
            w = watch_pos[n]
            # the steps in which the node is visited
            t_lo = n_steps
            t_hi = 0
            act[:] = False
            for j in range(t_ptr[ne + n], t_ptr[ne + n + 1]):
                i = t_item[j] - a0
                for s in range(i_s0[i], i_s1[i]):
                    act[s] = True
                t_lo = min(t_lo, i_s0[i])
                t_hi = max(t_hi, i_s1[i])
            for k in range(e_ptr[n], e_ptr[n + 1]):
                for j in range(t_ptr[k], t_ptr[k + 1]):
                    i = t_item[j] - a0
                    for s in range(i_s0[i], i_s1[i]):
                        act[s] = True
                    t_lo = min(t_lo, i_s0[i])
                    t_hi = max(t_hi, i_s1[i])
                src = e_src[k]
                if src >= 0 and s_lo[src] < s_hi[src]:
                    for s in range(s_lo[src], s_hi[src]):
                        if short[src, s]:
                            act[s] = True
                    t_lo = min(t_lo, s_lo[src])
                    t_hi = max(t_hi, s_hi[src])
            s_lo[n] = n_steps
            s_hi[n] = 0
            if w >= 0:
                t_lo = 0
                t_hi = n_steps
            if t_lo >= t_hi:
                continue
            for k in range(e_ptr[n], e_ptr[n + 1]):
                inv[k] = e_init[k]
                upd[k] = -1
                backlog[k] = zero
                most[k] = zero
                alt_start[k] = -1.0
                edge_cause[k] = -1
            stopped = False
            for t in range(t_lo, t_hi):
                day = t * step
                if act[t]:
                    cap = one
                    for j in range(t_ptr[ne + n], t_ptr[ne + n + 1]):
                        i = t_item[j]
                        if i_s0[i - a0] <= t < i_s1[i - a0]:
                            lo = max(it_lo[i], t * step)
                            hi = min(it_hi[i], (t + 1) * step)
                            closed[0] = it_frac[i] * ((hi - lo) / step)
                            cap *= one - closed[0]
                    pmin = cap
                    lim = -1
                    for k in range(e_ptr[n], e_ptr[n + 1]):
                        if upd[k] < t - 1:
                            if inv[k] < e_safety[k] or backlog[k] > zero:
                                _catch_up(k, t - 1, upd, inv, backlog, e_safety, one, zero,
                                          fstep, frate)  # fmt: skip
                            else:
                                upd[k] = t - 1
                        op = one
                        for j in range(t_ptr[k], t_ptr[k + 1]):
                            i = t_item[j]
                            if i_s0[i - a0] <= t < i_s1[i - a0]:
                                lo = max(it_lo[i], t * step)
                                hi = min(it_hi[i], (t + 1) * step)
                                closed[0] = it_frac[i] * ((hi - lo) / step)
                                op *= one - closed[0]
                        open_e[k] = op
                        src = e_src[k]
                        ps = one
                        if src >= 0 and short[src, t]:
                            ps = p_hist[src, t]
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
                        if bl > most[k]:
                            most[k] = bl
                        if s_k < one:
                            src = e_src[k]
                            if open_e[k] < one:
                                edge_cause[k] = k
                            elif src >= 0 and short[src, t] and root_hist[src, t] >= 0:
                                edge_cause[k] = root_hist[src, t]
                    if pn < one - EPS:
                        p_hist[n, t] = pn
                        short[n, t] = True
                        s_lo[n] = min(s_lo[n], t)
                        s_hi[n] = t + 1
                        if lim < 0:
                            root_n = ne + n
                        elif edge_cause[lim] >= 0:
                            root_n = edge_cause[lim]
                        else:
                            root_n = lim
                        root_hist[n, t] = root_n
                        lost = (one - pn) * fstep
                        node_lost[n] += lost
                        if not stopped:
                            stopped = True
                            node_stops[n] += 1
                        j = track_pos[n]
                        if j >= 0:
                            days_lost[b, j] += lost
                            if math.isnan(first_stop[b, j]):
                                first_stop[b, j] = day + pn * fstep
                            cause_lost[root_n] += lost * track_weight[j]
                if w >= 0:
                    if short[n, t]:
                        watch_p[b, w, t] = p_hist[n, t]
                    least = np.inf
                    for k in range(e_ptr[n], e_ptr[n + 1]):
                        _catch_up(k, t, upd, inv, backlog, e_safety, one, zero, fstep, frate)
                        least = min(least, inv[k])
                    watch_stock[b, w, t] = least
            for k in range(e_ptr[n], e_ptr[n + 1]):
                if cand_pos[k] >= 0 and most[k] > need[b, cand_pos[k]]:
                    need[b, cand_pos[k]] = most[k]
        for oi in range(na):
            n = order[oi]
            for t in range(s_lo[n], s_hi[n]):
                short[n, t] = False
            s_lo[n] = 0
            s_hi[n] = 0


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
