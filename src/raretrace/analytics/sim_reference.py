"""Reference implementations the simulation kernel is checked against (tests and
``benchmarks/bench_simulate.py``; never used to produce results).

- ``plain_batch``: the split-supply kernel as it was before runs shared their common
  prefix (``simulate.run_batch`` must give the same bits, in float32 and float64, on any
  plan and runs; it is also the benchmark's baseline).
- ``reference_batch``: the same model as a plain per-node loop over every node of the
  whole network in every step (Python floats; slow).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from threading import Lock
from typing import Any

import numpy as np

from raretrace.analytics import simulate as sim
from raretrace.analytics.disruptions import Plan, RunItems
from raretrace.analytics.matrices import F64, CompiledNetwork
from raretrace.analytics.simulate import EPS, BatchOutput, _alloc, _positions

__all__ = ["plain_batch", "reference_batch"]

_JIT: dict[str, Callable[..., Any]] = {}
_LOCK = Lock()


def _plain_kernel() -> Callable[..., Any]:
    fn = _JIT.get("plain")
    if fn is None:
        with _LOCK:
            fn = _JIT.get("plain")
            if fn is None:
                import numba

                sim.compile_helpers()
                global _catch_up, _ramp
                _catch_up = sim._catch_up
                _ramp = sim._ramp
                fn = numba.njit(cache=True, nogil=True, error_model="numpy")(plain_kernel)
                _JIT["plain"] = fn
    return fn


def plain_batch(
    p: Plan, items: RunItems, dtype: type[np.floating[Any]] = np.float32
) -> BatchOutput:
    """``simulate.run_batch`` as it was before runs shared their common prefix."""
    items = items.expanded()
    runs = len(items.ptr) - 1
    out = _alloc(p, runs, dtype)
    if p.n_nodes:
        _plain_kernel()(
            p.e_ptr, p.e_src, p.e_init.astype(dtype), p.e_safety.astype(dtype),
            p.e_alt_cap.astype(dtype), p.e_alt_ramp.astype(dtype), p.n_gptr, p.g_ptr,
            p.e_w.astype(dtype), p.e_spare.astype(dtype), p.e_spare_ramp.astype(dtype),
            p.vary, p.fac,
            p.level, p.n_levels,
            _positions(p.track_local, p.n_nodes),
            _positions(p.cand, p.n_links), _positions(p.watch_local, p.n_nodes),
            p.track_weight, float(p.step_days), float(p.last_step_days), p.n_steps,
            float(p.recovery_rate),
            items.ptr, items.target, items.lo, items.hi, items.frac.astype(dtype),
            out.first_stop, out.days_lost, out.node_stops, out.node_lost, out.cause_lost,
            out.need, out.watch_p, out.watch_stock,
        )  # fmt: skip
    return out


def plain_kernel(
    e_ptr: Any, e_src: Any, e_init: Any, e_safety: Any, e_alt_cap: Any,
    e_alt_ramp: Any, n_gptr: Any, g_ptr: Any, e_w: Any, e_spare: Any, e_spare_ramp: Any,
    vary: bool, fac: Any,
    level: Any, n_levels: int, track_pos: Any,
    cand_pos: Any, watch_pos: Any, track_weight: Any, step: float, last: float,
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
                fs = fstep if t < n_steps - 1 else flast
                fsn = fs * fac[n, t] if vary else fs  # the step's planned flow, in days
                tend = day + fs
                if act[t]:
                    cap = one
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
                if w >= 0:
                    if short[n, t]:
                        watch_p[b, w, t] = p_hist[n, t]
                    least = np.inf
                    for k in range(e_ptr[n], e_ptr[n + 1]):
                        _catch_up(k, t, upd, inv, backlog, e_safety, one, zero, fstep, flast,
                                  n_steps, frate, n, vary, fac)  # fmt: skip
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


def reference_batch(c: CompiledNetwork, p: Plan, items: RunItems) -> tuple[F64, F64]:
    """First-stop day and days lost per tracked node and run, by visiting every node of
    the whole network in every step (Python floats; for checks, slow)."""
    items = items.expanded()
    n = c.n_nodes
    runs = len(items.ptr) - 1
    step = p.step_days
    ne = p.n_links
    # every forward edge, with the plan's stock where the plan keeps the link
    init = np.full(c.nnz, 0.0)
    safety = np.full(c.nnz, 0.0)
    alt_cap = np.zeros(c.nnz)
    alt_ramp = np.zeros(c.nnz)
    spare = np.zeros(c.nnz)
    spare_ramp = np.zeros(c.nnz)
    init[p.e_global] = p.e_init
    safety[p.e_global] = p.e_safety
    alt_cap[p.e_global] = p.e_alt_cap
    alt_ramp[p.e_global] = p.e_alt_ramp
    spare[p.e_global] = p.e_spare
    spare_ramp[p.e_global] = p.e_spare_ramp
    track_of = {int(g): j for j, g in enumerate(p.track.tolist())}
    fac_of = {int(g): p.fac[i].tolist() for i, g in enumerate(p.nodes.tolist())} if p.vary else {}
    first = np.full((runs, len(p.track)), np.nan)
    lost = np.zeros((runs, len(p.track)))
    indptr = c.fwd_indptr.tolist()
    indices = c.fwd_indices.tolist()
    data = c.fwd_data.tolist()
    part = c.node_part.tolist()
    # each node's input links grouped by part (the sources of one input), with shares
    groups: list[list[list[int]]] = []
    weight = [1.0] * c.nnz
    for node in range(n):
        by_part: dict[int, list[int]] = {}
        for k in range(indptr[node], indptr[node + 1]):
            by_part.setdefault(part[indices[k]], []).append(k)
        gs = [by_part[x] for x in sorted(by_part)]
        for g in gs:
            total = sum(data[k] for k in g)
            if len(g) > 1 and total > 0:
                for k in g:
                    weight[k] = data[k] / total
        groups.append(gs)
    for b in range(runs):
        inv = init.tolist()
        g_start: dict[int, float] = {}
        closed_edge: dict[tuple[int, int], float] = {}
        closed_node: dict[tuple[int, int], float] = {}
        for k in range(int(items.ptr[b]), int(items.ptr[b + 1])):
            tg, lo, hi, fr = (int(items.target[k]), float(items.lo[k]), float(items.hi[k]),
                              float(items.frac[k]))  # fmt: skip
            for t in range(p.n_steps):
                fs = step if t < p.n_steps - 1 else p.last_step_days
                a, z = max(lo, t * step), min(hi, t * step + fs)
                if z > a:
                    key = (int(p.e_global[tg]) if tg < ne else int(p.nodes[tg - ne]), t)
                    store = closed_edge if tg < ne else closed_node
                    store[key] = store.get(key, 1.0) * (1.0 - fr * ((z - a) / fs))
        for t in range(p.n_steps):
            day = t * step
            fs0 = step if t < p.n_steps - 1 else p.last_step_days
            out = [1.0] * n
            for node in range(n):
                fs = fs0 * fac_of[node][t] if p.vary and node in fac_of else fs0
                pmin = closed_node.get((node, t), 1.0)
                sup: dict[int, float] = {}
                own: dict[int, float] = {}
                base_of: list[float] = []
                for g in groups[node]:
                    for k in g:
                        sup[k] = closed_edge.get((k, t), 1.0) * out[indices[k]]
                        own[k] = 1.0 if fs <= 0 else max(0.0, min(1.0, (inv[k] + sup[k] * fs) / fs))
                    if len(g) == 1:
                        base = own[g[0]]
                    else:
                        base = min(1.0, 1.0 - sum(weight[k] * (1.0 - own[k]) for k in g))
                    base_of.append(base)
                    if any(sup[k] < 1.0 for k in g) and g[0] not in g_start:
                        g_start[g[0]] = day
                    avail = base
                    if base < 1.0 and g[0] in g_start:
                        st = g_start[g[0]]
                        extra = alt_cap[g[0]] * _ramp_py(day, st, alt_ramp[g[0]])
                        extra += sum(spare[k] * sup[k] * _ramp_py(day, st, spare_ramp[k])
                                     for k in g if spare[k] > 0)  # fmt: skip
                        avail = min(1.0, base + extra)
                    pmin = min(pmin, avail)
                pn = max(0.0, min(1.0, pmin))
                for g, base in zip(groups[node], base_of, strict=True):
                    for k in g:
                        s_k, old = sup[k], inv[k]
                        if pn >= base:
                            draw = own[k]
                        elif len(g) == 1:
                            draw = pn
                        else:
                            draw = own[k] * (pn / base)
                        if s_k == 1.0 and draw == 1.0:
                            new = (
                                old
                                if old >= safety[k]
                                else min(safety[k], old + p.recovery_rate * fs)
                            )
                        else:
                            new = old + s_k * fs - draw * fs
                            if new < safety[k]:
                                new = min(safety[k], new + p.recovery_rate * s_k * fs)
                            else:
                                new = min(new, max(safety[k], old))
                        inv[k] = new
                if pn < 1.0 - EPS:
                    out[node] = pn
                    j = track_of.get(node, -1)
                    if j >= 0:
                        lost[b, j] += (1.0 - pn) * fs
                        if math.isnan(first[b, j]):
                            first[b, j] = day + pn * fs0
    return first, lost


def _ramp_py(day: float, start: float, days: float) -> float:
    return 1.0 if days <= 0 else min(1.0, (day - start) / days)


_catch_up: Callable[..., Any] = sim.catch_up
_ramp: Callable[..., Any] = sim.ramp
