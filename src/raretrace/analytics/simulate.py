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

**Shared closures.** The closures every run has (embargoes) are simulated once per
batch, as a baseline run; each run takes a node's steps before the first one its own
closures can change, or in which a supplier's output actually differs from the
baseline's, and starts there from the baseline's recorded state (same bits as
simulating the run from the start: before that step the node sees exactly what it saw
in the baseline).

``run_batch`` simulates a batch of runs. ``sim_reference`` keeps the kernel as it was
before runs shared the baseline (``plain_batch``) and the same model written as a plain
per-node loop over the whole network (``reference_batch``); tests and the benchmark
check this kernel against both, exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock
from typing import Any

import numpy as np

from raretrace.analytics.disruptions import Plan, RunItems
from raretrace.analytics.matrices import F64, I64

__all__ = ["BatchOutput", "run_batch"]

_JIT: dict[str, Callable[..., Any]] = {}
_LOCK = Lock()
_HELPERS_LOCK = Lock()
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

                compile_helpers()
                fn = numba.njit(cache=True, nogil=True, error_model="numpy")(simulate_kernel)
                _JIT["sim"] = fn
    return fn


def compile_helpers() -> None:
    """Compile the kernels' helper functions (once; they are looked up as globals)."""
    global _catch_up, _ramp
    with _HELPERS_LOCK:
        if _catch_up is catch_up:
            import numba

            _catch_up = numba.njit(cache=True, nogil=True, error_model="numpy")(catch_up)
            _ramp = numba.njit(cache=True, nogil=True, error_model="numpy")(ramp)


def run_batch(
    p: Plan,
    items: RunItems,
    dtype: type[np.floating[Any]] = np.float32,
    *,
    snapshot_bytes: int | None = None,
) -> BatchOutput:
    """Simulate the runs of ``items`` on plan ``p`` (state in ``dtype``).

    The closures every run shares (``items.shared_*``: the scenario's embargoes) are
    simulated once, as a baseline; each run then starts every node from the baseline's
    state at the first step its own closures (or its suppliers) can change, and takes
    the steps before it from the baseline. The results are those of simulating every
    run from the start, to the bit (``sim_reference.plain_batch``). ``snapshot_bytes``
    caps the baseline's kept link states (default ``SNAPSHOT_BYTES``)."""
    runs = len(items.ptr) - 1
    out = _alloc(p, runs, dtype)
    if not p.n_nodes:
        return out
    kernel = _kernel()
    args = _plan_args(p, dtype)
    na, ne, ns = p.n_nodes, p.n_links, p.n_steps
    shared = (items.shared_target, items.shared_lo, items.shared_hi,
              items.shared_frac.astype(dtype))  # fmt: skip
    # Without shared closures there is nothing to share: every node of a run starts at
    # step 0, as in the plain kernel, and the baseline arrays are never read.
    use_base = len(items.shared_target) > 0
    budget = SNAPSHOT_BYTES if snapshot_bytes is None else snapshot_bytes
    s_rec = _snapshot_steps(p, items, np.dtype(dtype).itemsize, budget) if use_base else 0
    nb, sb, eb = (na, ns, ne) if use_base else (1, 1, 1)
    b_p, b_root, b_short, b_slo, b_shi = _history(nb, sb, dtype)
    b_lost = np.zeros((nb, sb))
    b_first = np.zeros((nb, sb))
    b_inv = np.zeros((s_rec, eb), dtype)
    b_back = np.zeros((s_rec, eb), dtype)
    b_most = np.zeros((s_rec, eb), dtype)
    b_alt = np.zeros((s_rec, eb))
    b_cause = np.zeros((s_rec, eb), np.int64)
    b_most_end = np.zeros(eb, dtype)
    bo = _alloc(p, 1, dtype)
    if use_base:
        # the baseline: one run of the shared closures only, recorded
        none = (np.zeros(2, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0),
                np.zeros(0, dtype))  # fmt: skip
        kernel(
            *args, *none, *shared, True, False, s_rec, b_p, b_root, b_short, b_slo, b_shi,
            b_lost, b_first, *_short_steps(b_short[:0], b_p, b_root, b_lost, b_first),
            b_inv, b_back, b_most, b_alt, b_cause, b_most_end, bo.watch_p[0],
            bo.watch_stock[0], bo.first_stop, bo.days_lost, bo.node_stops, bo.node_lost,
            bo.cause_lost, bo.need, bo.watch_p, bo.watch_stock,
        )  # fmt: skip
    # the runs read the baseline's short steps only: packed by node, in step order
    base_short = _short_steps(b_short, b_p, b_root, b_lost, b_first)
    del b_p, b_root, b_short, b_lost, b_first
    kernel(
        *args, items.ptr, items.target, items.lo, items.hi, items.frac.astype(dtype),
        *shared, False, use_base, s_rec, *_history(na, ns, dtype),
        np.zeros((1, 1)), np.zeros((1, 1)), *base_short, b_inv, b_back, b_most, b_alt,
        b_cause, b_most_end, bo.watch_p[0].copy(), bo.watch_stock[0].copy(),
        out.first_stop, out.days_lost, out.node_stops, out.node_lost, out.cause_lost,
        out.need, out.watch_p, out.watch_stock,
    )  # fmt: skip
    return out


def _short_steps(
    short: np.ndarray[Any, Any], *values: np.ndarray[Any, Any]
) -> tuple[np.ndarray[Any, Any], ...]:
    """A (nodes, steps) history's short steps, packed by node in step order (CSR):
    ``ptr`` (nodes + 1), the steps, then each of ``values`` at those steps."""
    node, step = np.nonzero(short)
    ptr = np.zeros(len(short) + 1, np.int64)
    np.cumsum(np.bincount(node, minlength=len(short)), out=ptr[1:])
    return (ptr, step.astype(np.int64), *(v[node, step] for v in values))


def _plan_args(p: Plan, dtype: type[np.floating[Any]]) -> tuple[Any, ...]:
    return (
        p.e_ptr, p.e_src, p.e_init.astype(dtype), p.e_safety.astype(dtype),
        p.e_alt_cap.astype(dtype), p.e_alt_ramp.astype(dtype), p.n_gptr, p.g_ptr,
        p.e_w.astype(dtype), p.e_spare.astype(dtype), p.e_spare_ramp.astype(dtype),
        p.vary, p.fac,
        p.level, p.n_levels,
        _positions(p.track_local, p.n_nodes),
        _positions(p.cand, p.n_links), _positions(p.watch_local, p.n_nodes),
        p.track_weight, float(p.step_days), float(p.last_step_days), p.n_steps,
        float(p.recovery_rate),
    )  # fmt: skip


def _history(na: int, ns: int, dtype: type[np.floating[Any]]) -> tuple[Any, ...]:
    """Per-run node histories: output share, root cause, short flag, short range."""
    return (
        np.ones((na, ns), dtype),
        np.full((na, ns), -1, np.int32),
        np.zeros((na, ns), np.bool_),
        np.zeros(na, np.int64),
        np.zeros(na, np.int64),
    )


SNAPSHOT_BYTES = 128 * 2**20  # most memory a batch's baseline snapshots may take


def _snapshot_steps(p: Plan, items: RunItems, itemsize: int, budget: int) -> int:
    """Steps of the baseline whose link states are kept: up to the last step in which a
    run's own closure can start (capped by ``budget`` bytes; a node whose runs differ
    later then starts from the last kept step, which gives the same results)."""
    if not len(items.lo):
        return 0
    first = np.floor(items.lo / float(p.step_days))
    last = int(np.clip(first.max(), 0, p.n_steps))
    cap = budget // max(1, p.n_links * (3 * itemsize + 16))
    return min(last, cap)


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
    e_alt_ramp: Any, n_gptr: Any, g_ptr: Any, e_w: Any, e_spare: Any, e_spare_ramp: Any,
    vary: bool, fac: Any,
    level: Any, n_levels: int, track_pos: Any,
    cand_pos: Any, watch_pos: Any, track_weight: Any, step: float, last: float,
    n_steps: int, rate: float, it_ptr: Any, it_target: Any, it_lo: Any, it_hi: Any,
    it_frac: Any, sh_target: Any, sh_lo: Any, sh_hi: Any, sh_frac: Any, rec: bool,
    use_base: bool, s_rec: int,
    p_hist: Any, root_hist: Any, short: Any, s_lo: Any, s_hi: Any,
    b_lost: Any, b_first: Any, bs_ptr: Any, bs_t: Any, bs_p: Any, bs_root: Any, bs_lost: Any,
    bs_first: Any,
    b_inv: Any, b_back: Any, b_most: Any, b_alt: Any, b_cause: Any, b_most_end: Any,
    b_wp: Any, b_ws: Any,
    first_stop: Any, days_lost: Any, node_stops: Any, node_lost: Any,
    cause_lost: Any, need: Any, watch_p: Any, watch_stock: Any,
) -> None:  # fmt: skip
    """See the module docstring. Plain Python over arrays; compiled by numba.

    ``rec``: record the baseline (one run of the shared closures) into the ``b_*``
    arrays, which are then ``p_hist``, ``root_hist``, ``short``, ``s_lo`` and ``s_hi``
    themselves: every node over the whole horizon, each link's state at the end of
    steps ``0:s_rec`` (caught up), and each short step's days lost and first-stop day.
    The ``sh_*`` closures are shared by every run (and come first in each run's order:
    the baseline is one run of them); ``it_*`` are each run's own. With ``use_base``, each
    node takes its steps before ``d`` (the first step in which one of the run's own
    closures or a supplier can differ from the baseline) from the baseline.

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
    flast = last  # the last step may be shorter: the horizon is what was asked for
    horizon = (n_steps - 1) * step + last
    frate = rate
    inv = e_init.copy()
    backlog = np.zeros(ne, e_init.dtype)
    most = np.zeros(ne, e_init.dtype)  # largest backlog of the run so far
    alt_start = np.full(ne, -1.0)
    edge_cause = np.full(ne, -1, np.int64)
    upd = np.full(ne, -1, np.int64)  # last step whose update the link's state holds
    sup = np.ones(ne, e_init.dtype)
    own_e = np.ones(ne)  # float64, as the old per-link ratio was
    g_base = np.ones(max(g_ptr.shape[0] - 1, 1))
    open_e = np.ones(ne, e_init.dtype)
    closed = np.zeros(1, e_init.dtype)
    # per run: output share, root cause and short flag of each node in each step
    # (p_hist, root_hist < 2**31: link or ne + node, short), short steps of node i in
    # s_lo[i]:s_hi[i]; d_run[i]: the node's first step that may differ from the baseline
    d_run = np.zeros(na, np.int64)
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
    # the shared closures grouped by target, once
    nsh = sh_target.shape[0]
    has_sh = nsh > 0
    f_ptr = np.zeros(nt + 1, np.int64)
    f_item = np.zeros(max(nsh, 1), np.int64)
    f_s0 = np.zeros(max(nsh, 1), np.int64)
    f_s1 = np.zeros(max(nsh, 1), np.int64)
    for k in range(nsh):
        f_ptr[sh_target[k] + 1] += 1
        s0 = math.floor(sh_lo[k] / step)
        s1 = n_steps if sh_hi[k] >= horizon else math.ceil(sh_hi[k] / step)
        f_s0[k] = max(s0, 0)
        f_s1[k] = min(s1, n_steps)
    for g in range(nt):
        f_ptr[g + 1] += f_ptr[g]
    t_fill[:] = f_ptr[:nt]
    for k in range(nsh):
        g = sh_target[k]
        f_item[t_fill[g]] = k
        t_fill[g] += 1
    for b in range(it_ptr.shape[0] - 1):
        a0 = it_ptr[b]
        a1 = it_ptr[b + 1]
        t_ptr[:] = 0
        for k in range(a0, a1):
            t_ptr[it_target[k] + 1] += 1
            s0 = math.floor(it_lo[k] / step)
            s1 = n_steps if it_hi[k] >= horizon else math.ceil(it_hi[k] / step)
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
            dn = 0
            if use_base:
                # the first step in which the run's own closures or suppliers can differ
                dn = n_steps
                for j in range(t_ptr[ne + n], t_ptr[ne + n + 1]):
                    i = t_item[j] - a0
                    if i_s0[i] < dn:
                        dn = i_s0[i]
                for k in range(e_ptr[n], e_ptr[n + 1]):
                    for j in range(t_ptr[k], t_ptr[k + 1]):
                        i = t_item[j] - a0
                        if i_s0[i] < dn:
                            dn = i_s0[i]
                    src = e_src[k]
                    if src >= 0 and d_run[src] < dn:
                        dn = d_run[src]
                if dn < n_steps and dn > s_rec:
                    dn = s_rec
            d_run[n] = dn
            s_lo[n] = n_steps
            s_hi[n] = 0
            stopped = False
            if dn > 0:
                # the baseline's steps before dn, with its sums taken in the same order
                for q in range(bs_ptr[n], bs_ptr[n + 1]):
                    t = bs_t[q]
                    if t >= dn:
                        break
                    p_hist[n, t] = bs_p[q]
                    short[n, t] = True
                    root_hist[n, t] = bs_root[q]
                    s_lo[n] = min(s_lo[n], t)
                    s_hi[n] = t + 1
                    root_b = bs_root[q]
                    lost_b = bs_lost[q]
                    node_lost[n] += lost_b
                    if not stopped:
                        stopped = True
                        node_stops[n] += 1
                    j = track_pos[n]
                    if j >= 0:
                        days_lost[b, j] += lost_b
                        if math.isnan(first_stop[b, j]):
                            first_stop[b, j] = bs_first[q]
                        cause_lost[root_b] += lost_b * track_weight[j]
                if w >= 0:
                    for t in range(min(dn, n_steps)):
                        watch_p[b, w, t] = b_wp[w, t]
                        watch_stock[b, w, t] = b_ws[w, t]
            if dn >= n_steps:
                for k in range(e_ptr[n], e_ptr[n + 1]):
                    if cand_pos[k] >= 0 and b_most_end[k] > need[b, cand_pos[k]]:
                        need[b, cand_pos[k]] = b_most_end[k]
                continue
            # the steps in which the node is visited
            t_lo = n_steps
            t_hi = 0
            act[:] = False
            for j in range(f_ptr[ne + n], f_ptr[ne + n + 1]):
                i = f_item[j]
                for s in range(max(f_s0[i], dn), f_s1[i]):
                    act[s] = True
                t_lo = min(t_lo, f_s0[i])
                t_hi = max(t_hi, f_s1[i])
            for j in range(t_ptr[ne + n], t_ptr[ne + n + 1]):
                i = t_item[j] - a0
                for s in range(i_s0[i], i_s1[i]):
                    act[s] = True
                t_lo = min(t_lo, i_s0[i])
                t_hi = max(t_hi, i_s1[i])
            for k in range(e_ptr[n], e_ptr[n + 1]):
                for j in range(f_ptr[k], f_ptr[k + 1]):
                    i = f_item[j]
                    for s in range(max(f_s0[i], dn), f_s1[i]):
                        act[s] = True
                    t_lo = min(t_lo, f_s0[i])
                    t_hi = max(t_hi, f_s1[i])
                for j in range(t_ptr[k], t_ptr[k + 1]):
                    i = t_item[j] - a0
                    for s in range(i_s0[i], i_s1[i]):
                        act[s] = True
                    t_lo = min(t_lo, i_s0[i])
                    t_hi = max(t_hi, i_s1[i])
                src = e_src[k]
                if src >= 0 and s_lo[src] < s_hi[src]:
                    for s in range(max(s_lo[src], dn), s_hi[src]):
                        if short[src, s]:
                            act[s] = True
                    t_lo = min(t_lo, s_lo[src])
                    t_hi = max(t_hi, s_hi[src])
            if w >= 0 or rec:
                t_lo = 0
                t_hi = n_steps
            t_lo = max(t_lo, dn)
            for k in range(e_ptr[n], e_ptr[n + 1]):
                if dn > 0:
                    inv[k] = b_inv[dn - 1, k]
                    upd[k] = dn - 1
                    backlog[k] = b_back[dn - 1, k]
                    most[k] = b_most[dn - 1, k]
                    alt_start[k] = b_alt[dn - 1, k]
                    edge_cause[k] = b_cause[dn - 1, k]
                else:
                    inv[k] = e_init[k]
                    upd[k] = -1
                    backlog[k] = zero
                    most[k] = zero
                    alt_start[k] = -1.0
                    edge_cause[k] = -1
            for t in range(t_lo, t_hi):
                day = t * step
                fs = fstep if t < n_steps - 1 else flast
                fsn = fs * fac[n, t] if vary else fs  # the step's planned flow, in days
                tend = day + fs
                if act[t]:
                    cap = one
                    if has_sh:
                        for j in range(f_ptr[ne + n], f_ptr[ne + n + 1]):
                            i = f_item[j]
                            if f_s0[i] <= t < f_s1[i]:
                                lo = max(sh_lo[i], t * step)
                                hi = min(sh_hi[i], tend)
                                closed[0] = sh_frac[i] * ((hi - lo) / fs)
                                cap *= one - closed[0]
                    for j in range(t_ptr[ne + n], t_ptr[ne + n + 1]):
                        i = t_item[j]
                        if i_s0[i - a0] <= t < i_s1[i - a0]:
                            lo = max(it_lo[i], t * step)
                            hi = min(it_hi[i], tend)
                            closed[0] = it_frac[i] * ((hi - lo) / fs)
                            cap *= one - closed[0]
                    pmin = cap
                    lim = -1
                    for g in range(n_gptr[n], n_gptr[n + 1]):
                        g0 = g_ptr[g]
                        g1 = g_ptr[g + 1]
                        single = g1 - g0 == 1
                        gap_sum = zero
                        worst = -1
                        worst_v = zero
                        cut = False
                        for k in range(g0, g1):
                            if upd[k] < t - 1:
                                if inv[k] < e_safety[k] or backlog[k] > zero:
                                    _catch_up(k, t - 1, upd, inv, backlog, e_safety, one, zero,
                                              fstep, flast, n_steps, frate, n, vary,
                                              fac)  # fmt: skip
                                else:
                                    upd[k] = t - 1
                            op = one
                            if has_sh:
                                for j in range(f_ptr[k], f_ptr[k + 1]):
                                    i = f_item[j]
                                    if f_s0[i] <= t < f_s1[i]:
                                        lo = max(sh_lo[i], t * step)
                                        hi = min(sh_hi[i], tend)
                                        closed[0] = sh_frac[i] * ((hi - lo) / fs)
                                        op *= one - closed[0]
                            for j in range(t_ptr[k], t_ptr[k + 1]):
                                i = t_item[j]
                                if i_s0[i - a0] <= t < i_s1[i - a0]:
                                    lo = max(it_lo[i], t * step)
                                    hi = min(it_hi[i], tend)
                                    closed[0] = it_frac[i] * ((hi - lo) / fs)
                                    op *= one - closed[0]
                            open_e[k] = op
                            src = e_src[k]
                            ps = one
                            if src >= 0 and short[src, t]:
                                ps = p_hist[src, t]
                            s_k = open_e[k] * ps
                            sup[k] = s_k
                            if s_k < one:
                                cut = True
                            own = 1.0 if fsn <= 0.0 else (inv[k] + s_k * fsn) / fsn
                            if own > one:
                                own = one
                            if own < zero:
                                own = zero
                            own_e[k] = own
                            gap = e_w[k] * (one - own)
                            gap_sum += gap
                            if gap > worst_v:
                                worst_v = gap
                                worst = k
                        base = own_e[g0] if single else one - gap_sum
                        if base > one:
                            base = one
                        g_base[g] = base
                        if cut and alt_start[g0] < 0.0:
                            alt_start[g0] = day
                        avail = base
                        if base < one and alt_start[g0] >= 0.0:
                            extra = zero
                            if e_alt_cap[g0] > zero:
                                extra += e_alt_cap[g0] * _ramp(day, alt_start[g0], e_alt_ramp[g0])
                            for k in range(g0, g1):
                                if e_spare[k] > zero:
                                    extra += (
                                        e_spare[k]
                                        * sup[k]
                                        * _ramp(day, alt_start[g0], e_spare_ramp[k])
                                    )
                            avail = min(one, base + extra)
                        if avail < pmin:
                            pmin = avail
                            lim = worst
                    pn = max(zero, min(one, pmin))
                    for g in range(n_gptr[n], n_gptr[n + 1]):
                        g0 = g_ptr[g]
                        g1 = g_ptr[g + 1]
                        base = g_base[g]
                        for k in range(g0, g1):
                            s_k = sup[k]
                            if pn >= base:
                                draw = own_e[k]
                            elif g1 - g0 == 1:
                                draw = pn
                            else:
                                draw = own_e[k] * (pn / base)
                            old = inv[k]
                            safety = e_safety[k]
                            if s_k == one and draw == one:
                                new = old
                                if new < safety:
                                    new = min(safety, new + frate * fsn)
                            else:
                                new = old + s_k * fsn - draw * fsn
                                if new < safety:
                                    new = min(safety, new + frate * s_k * fsn)
                                else:
                                    new = min(new, max(safety, old))
                            inv[k] = new
                            upd[k] = t
                            pre = backlog[k] + (one - s_k) * fsn
                            if pre > most[k]:
                                most[k] = pre
                            backlog[k] = max(zero, pre - frate * s_k * fsn)
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
                        lost = (one - pn) * fsn
                        node_lost[n] += lost
                        if not stopped:
                            stopped = True
                            node_stops[n] += 1
                        j = track_pos[n]
                        if j >= 0:
                            days_lost[b, j] += lost
                            if math.isnan(first_stop[b, j]):
                                first_stop[b, j] = day + pn * fs
                            cause_lost[root_n] += lost * track_weight[j]
                        if rec:
                            b_lost[n, t] = lost
                            b_first[n, t] = day + pn * fs
                if w >= 0:
                    if short[n, t]:
                        watch_p[b, w, t] = p_hist[n, t]
                    least = np.inf
                    for k in range(e_ptr[n], e_ptr[n + 1]):
                        _catch_up(k, t, upd, inv, backlog, e_safety, one, zero, fstep, flast,
                                  n_steps, frate, n, vary, fac)  # fmt: skip
                        least = min(least, inv[k])
                    watch_stock[b, w, t] = least
                if rec and t < s_rec:
                    for k in range(e_ptr[n], e_ptr[n + 1]):
                        _catch_up(k, t, upd, inv, backlog, e_safety, one, zero, fstep, flast,
                                  n_steps, frate, n, vary, fac)  # fmt: skip
                        b_inv[t, k] = inv[k]
                        b_back[t, k] = backlog[k]
                        b_most[t, k] = most[k]
                        b_alt[t, k] = alt_start[k]
                        b_cause[t, k] = edge_cause[k]
            for k in range(e_ptr[n], e_ptr[n + 1]):
                if cand_pos[k] >= 0 and most[k] > need[b, cand_pos[k]]:
                    need[b, cand_pos[k]] = most[k]
                if rec:
                    b_most_end[k] = most[k]
            if use_base:
                # the node's users need only start where its output actually differs
                # from the baseline's (before that, they see exactly what it saw)
                dv = n_steps
                q = bs_ptr[n]
                q1 = bs_ptr[n + 1]
                while q < q1 and bs_t[q] < dn:
                    q += 1
                for t in range(dn, n_steps):
                    in_base = q < q1 and bs_t[q] == t
                    if short[n, t] != in_base or (
                        in_base and (p_hist[n, t] != bs_p[q] or root_hist[n, t] != bs_root[q])
                    ):
                        dv = t
                        break
                    if in_base:
                        q += 1
                d_run[n] = dv
        if not rec:
            for oi in range(na):
                n = order[oi]
                for t in range(s_lo[n], s_hi[n]):
                    short[n, t] = False
                s_lo[n] = 0
                s_hi[n] = 0


def catch_up(
    k: int, t: int, upd: Any, inv: Any, backlog: Any, e_safety: Any, one: Any, zero: Any,
    fstep: float, flast: float, n_steps: int, frate: float, n: int, vary: bool, fac: Any,
) -> None:  # fmt: skip
    """Bring link ``k`` from its last update to the end of step ``t``, for steps in which
    it was not computed: full supply and full output, so stock refills and the backlog
    drains, by the very operations a computed step would do."""
    safety = e_safety[k]
    for s in range(upd[k] + 1, t + 1):
        fs = fstep if s < n_steps - 1 else flast
        if vary:
            fs = fs * fac[n, s]
        if inv[k] < safety:
            inv[k] = min(safety, inv[k] + frate * fs)
        if backlog[k] > zero:
            backlog[k] = max(zero, backlog[k] + (one - one) * fs - frate * one * fs)
        if inv[k] >= safety and backlog[k] <= zero:
            break
    upd[k] = max(upd[k], t)


_catch_up: Callable[..., Any] = catch_up


def ramp(day: float, start: float, days: float) -> float:
    """Share of a source's extra capacity reached on ``day``: linear from 0 at
    ``start`` to 1 after ``days`` (at once when ``days`` is 0)."""
    if days <= 0:
        return 1.0
    return min(1.0, (day - start) / days)


_ramp: Callable[..., Any] = ramp
