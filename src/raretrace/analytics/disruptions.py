"""Turn a ``Scenario`` and a ``CompiledNetwork`` into a ``Plan`` of plain arrays, and
draw the random part of each Monte Carlo run (``draw_items``).

Only the part of the network that a scenario can reach is simulated: the *affected*
nodes are the buyers of every supply link a rule covers, the nodes of sites with an
outage, and everything downstream of them. Their input links are kept when the
supplier is affected too or the link is covered by a rule; every other input never
runs short (its supplier is never disrupted), so it is left out.

A *link* here is an edge of the compiled network: (buyer node) <- (supplier node),
i.e. the flow of one part from one site to another (or within a site). Stock is kept
per link at the buyer, in days of the buyer's consumption at its planned rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from raretrace.analytics.disruption_reach import (
    controlled_parts,
    diversion_share,
    downstream,
    items_mask,
)
from raretrace.analytics.holdings import (
    alternatives,
    demand_factors,
    demand_rates,
    spare_capacity,
    stock_days,
    watched_nodes,
)
from raretrace.analytics.matrices import (
    F64,
    I32,
    I64,
    Bool,
    CompiledNetwork,
)
from raretrace.analytics.scenarios import (
    Clock,
    EmpiricalLeadTime,
    FixedLeadTime,
    Items,
    Licensing,
    LognormalLeadTime,
    Scenario,
)
from raretrace.domain.calendar import WorkingCalendar

__all__ = ["Items", "Plan", "RunItems", "draw_items", "plan"]


@dataclass(frozen=True, slots=True)
class Plan:
    """Arrays the simulation kernel needs; ``nodes``/``e_global`` map back to the
    compiled network."""

    step_days: float
    n_steps: int
    recovery_rate: float
    last_step_days: float  # the last step's length (the horizon is what was asked for)
    nodes: I64  # local -> global node index (ascending, so inputs come first)
    level: I32  # compact level of each local node
    n_levels: int
    e_ptr: I64  # input links of local node i: e_ptr[i]:e_ptr[i+1]
    e_src: I32  # local supplier node, -1 = never disrupted
    e_buyer: I32  # local buyer node
    e_global: I64  # position in the compiled forward CSR
    e_init: F64  # starting stock, days
    e_safety: F64  # level refilled to, days
    e_alt_cap: F64  # alternative source: share of the need it can cover (0 = none)
    e_alt_ramp: F64  # ... reached after this many days (both the same on a group's links)
    n_gptr: I64  # part groups of local node i: n_gptr[i]:n_gptr[i+1]
    g_ptr: I64  # links of group g: g_ptr[g]:g_ptr[g+1] (the sources of one input part)
    e_w: F64  # the link's share of its group's flow (a group's shares sum to 1)
    e_spare: F64  # spare capacity of the link's source, share of the group's need
    e_spare_ramp: F64  # ... reached after this many days
    u_ptr: I64  # local users of local node i: u_node[u_ptr[i]:u_ptr[i+1]]
    u_node: I32
    rate: F64  # planned units per day of every global node
    track: I64  # global product nodes with demand (reported per run)
    track_local: I32  # their local index, -1 = not affected
    track_weight: F64  # value per day of planned output (units/day x unit value)
    cand: I32  # local links covered by a rule (stock needs are measured there)
    watch_local: I32  # local nodes whose curves are kept
    # deterministic part of the closures (embargoes), as items
    fixed_target: I64
    fixed_lo: F64
    fixed_hi: F64
    fixed_frac: F64
    e_transit: F64  # days in transit on each link (closures reach the buyer this late)
    vary: bool  # demand varies over time (``fac`` holds the factors)
    fac: F64  # (n_nodes, n_steps): each node's planned rate in each step / its base rate
    # random rules
    lic: tuple[LicenceRule, ...]
    outages: tuple[OutageRule, ...]

    @property
    def n_nodes(self) -> int:
        return int(self.nodes.shape[0])

    @property
    def n_links(self) -> int:
        return int(self.e_src.shape[0])


@dataclass(frozen=True, slots=True)
class LicenceRule:
    edges: I64  # local links
    start: float
    kind: str
    params: F64
    samples: F64
    working: F64 | None  # calendar day offset of the k-th working day (k = index)
    denial: F64  # per link
    reapply: bool
    origin: float  # day the lead time counts from (submission; default the rule's start)


@dataclass(frozen=True, slots=True)
class OutageRule:
    nodes: I64  # local nodes
    lo: float
    hi: float
    probability: float


def _none_i() -> I64:
    return np.zeros(0, np.int64)


def _none_f() -> F64:
    return np.zeros(0)


@dataclass(frozen=True, slots=True)
class RunItems:
    """Closures of one batch of runs: the ``shared_*`` ones are in every run (the
    scenario's embargoes; first in each run's order), and run ``b`` has its own
    ``ptr[b]:ptr[b+1]``. A target below ``n_links`` is a link; ``n_links + i`` is local
    node ``i`` (an outage)."""

    ptr: I64
    target: I64
    lo: F64
    hi: F64
    frac: F64
    shared_target: I64 = field(default_factory=_none_i)
    shared_lo: F64 = field(default_factory=_none_f)
    shared_hi: F64 = field(default_factory=_none_f)
    shared_frac: F64 = field(default_factory=_none_f)

    def expanded(self) -> RunItems:
        """The same closures with the shared ones copied into every run (first)."""
        runs = len(self.ptr) - 1
        ns = len(self.shared_target)
        if ns == 0:
            return self
        own = np.diff(self.ptr)
        ptr = np.zeros(runs + 1, np.int64)
        np.cumsum(own + ns, out=ptr[1:])
        at_shared = (ptr[:-1, None] + np.arange(ns)[None, :]).ravel()
        at_own = np.repeat(ptr[:-1] + ns, own) + (np.arange(len(self.target)) -
                                                  np.repeat(self.ptr[:-1], own))  # fmt: skip

        def put(shared: Any, mine: Any) -> Any:
            out = np.empty(int(ptr[-1]), mine.dtype)
            out[at_shared] = np.tile(shared, runs)
            out[at_own] = mine
            return out

        return RunItems(ptr, put(self.shared_target, self.target),
                        put(self.shared_lo, self.lo), put(self.shared_hi, self.hi),
                        put(self.shared_frac, self.frac))  # fmt: skip


def plan(
    c: CompiledNetwork,
    s: Scenario,
    calendar: WorkingCalendar | None = None,
    transit_days: F64 | None = None,
    verdicts: list[np.ndarray[Any, Any] | None] | None = None,
) -> Plan:
    """Select the affected subnetwork and lay out the kernel's arrays. ``calendar`` is
    China's working-day calendar (``services.calendar``) covering the scenario's dates;
    it is needed when a licence rule counts working days. ``transit_days`` (per edge of
    the compiled forward CSR; used when the scenario counts goods in transit) delays
    every closure of a link by its days in transit. ``verdicts[i]`` (per edge of the
    compiled forward CSR, the outcome's value as text) gives licence rule ``i``'s
    per-link denial probabilities through its ``denial_by_verdict``."""
    net = c.net
    n = c.n_nodes
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(c.fwd_indptr))
    cols = c.fwd_indices.astype(np.int64)
    sup_c = net.site_country[c.node_site[cols]]
    buy_c = net.site_country[c.node_site[rows]]
    sup_party = net.site_party[c.node_site[cols]]
    buy_party = net.site_party[c.node_site[rows]]
    edge_part = c.node_part[cols]
    controlled = controlled_parts(c, tuple(s.controlled_elements))
    country = {code: i for i, code in enumerate(net.countries)}
    party = {str(p): i for i, p in enumerate(net.party_ids)}
    part_index = {str(p): i for i, p in enumerate(net.part_ids)}

    def codes(names: list[str], index: dict[str, int]) -> I64:
        return np.array([index.get(x, -2) for x in names], np.int64)

    def scope(rule: Licensing | object) -> Bool:
        exporters = codes(getattr(rule, "exporters", []), country)
        dests = codes(getattr(rule, "destinations", []), country)
        parties = codes(getattr(rule, "parties", []), party)
        m = sup_c != buy_c  # exports only
        if len(exporters):
            m &= np.isin(sup_c, exporters)
        if len(dests):
            m &= np.isin(buy_c, dests)
        if len(parties):
            m &= np.isin(sup_party, parties) | np.isin(buy_party, parties)
        parts = getattr(rule, "parts", [])
        if parts:
            m &= np.isin(edge_part, codes(parts, part_index))
        else:
            m &= items_mask(getattr(rule, "items", Items.ALL), c, controlled)[edge_part]
        return np.asarray(m, bool)

    covered = np.zeros(len(rows), bool)
    lic_edges: list[I64] = []
    for rule in s.licensing:
        e = np.flatnonzero(scope(rule))
        lic_edges.append(e)
        covered[e] = True
    emb: list[tuple[I64, F64, float, float]] = []
    for em in s.embargoes:
        lo, hi = em.window.days(s.start)
        m = scope(em)
        frac = m.astype(np.float64)
        if em.anti_diversion and em.destinations:
            frac = np.maximum(frac, diversion_share(c, rows, cols, em, country))
        e = np.flatnonzero(frac > 0)
        emb.append((e, frac[e], lo, hi))
        covered[e] = True
    out_nodes: list[tuple[I64, float, float, float]] = []
    site_index = {str(x): i for i, x in enumerate(net.site_ids)}
    for o in s.outages:
        if o.site is not None:
            hit = c.node_site == site_index.get(o.site, -2)
        else:
            hit = net.site_party[c.node_site] == party.get(str(o.party), -2)
        lo, hi = o.window.days(s.start)
        out_nodes.append((np.flatnonzero(hit).astype(np.int64), lo, hi, o.probability))

    seeds = np.zeros(n, bool)
    seeds[rows[covered]] = True
    for nodes, *_ in out_nodes:
        seeds[nodes] = True
    affected = downstream(c, seeds)
    local = np.full(n, -1, np.int64)
    nodes = np.flatnonzero(affected).astype(np.int64)
    local[nodes] = np.arange(len(nodes))
    keep = affected[rows] & (affected[cols] | covered)
    # Split supply: every source of a kept link's input part is kept with it (a source
    # that is never disrupted still delivers its share), and the sources of one part
    # lie side by side (a group).
    n_parts = len(net.part_ids)
    gkey = rows * n_parts + c.node_part[cols]
    keep |= affected[rows] & np.isin(gkey, gkey[keep])
    e_global = np.flatnonzero(keep).astype(np.int64)
    e_global = e_global[np.lexsort((e_global, gkey[e_global]))]  # by buyer, part, CSR
    e_buyer = local[rows[e_global]].astype(np.int32)
    e_src = local[cols[e_global]].astype(np.int32)
    e_ptr = np.zeros(len(nodes) + 1, np.int64)
    np.cumsum(np.bincount(e_buyer, minlength=len(nodes)), out=e_ptr[1:])
    e_local = np.full(len(rows), -1, np.int64)
    e_local[e_global] = np.arange(len(e_global))

    demand, rate = demand_rates(c, s)
    vary, fac = demand_factors(c, s, nodes, rate)
    init, safety = stock_days(c, s, e_global, rows[e_global], cols[e_global], rate)
    alt_cap, alt_ramp = alternatives(c, s, rows[e_global], cols[e_global])
    spare, spare_ramp = spare_capacity(c, s, rows[e_global], cols[e_global])
    ge = gkey[e_global]
    new_group = np.ones(len(ge), bool)
    new_group[1:] = ge[1:] != ge[:-1]
    g_ptr = np.append(np.flatnonzero(new_group), len(ge)).astype(np.int64)
    g_id = np.cumsum(new_group) - 1
    flow = c.fwd_data[e_global]
    g_flow = np.add.reduceat(flow, g_ptr[:-1]) if len(ge) else np.zeros(0)
    e_w = np.where(g_flow[g_id] > 0, flow / np.where(g_flow[g_id] > 0, g_flow[g_id], 1), 1.0)
    single = np.diff(g_ptr) == 1
    e_w[g_ptr[:-1][single]] = 1.0
    n_gptr = np.zeros(len(nodes) + 1, np.int64)
    np.cumsum(np.bincount(e_buyer[g_ptr[:-1]], minlength=len(nodes)), out=n_gptr[1:])

    has_src = e_src >= 0
    order = np.argsort(e_src[has_src], kind="stable")
    u_node = e_buyer[has_src][order]
    u_src = e_src[has_src][order]
    pair = np.unique(u_src.astype(np.int64) * max(len(nodes), 1) + u_node)
    u_src = (pair // max(len(nodes), 1)).astype(np.int32)
    u_node = (pair % max(len(nodes), 1)).astype(np.int32)
    u_ptr = np.zeros(len(nodes) + 1, np.int64)
    np.cumsum(np.bincount(u_src, minlength=len(nodes)), out=u_ptr[1:])

    lv = c.node_level()[nodes]
    _, level = np.unique(lv, return_inverse=True)
    track = np.flatnonzero(demand > 0).astype(np.int64)
    value = np.nan_to_num(net.part_value[c.node_part[track]], nan=1.0)
    watch = watched_nodes(c, s.watch)

    transit = np.zeros(len(e_global))
    if s.count_in_transit and transit_days is not None:
        transit = np.nan_to_num(np.asarray(transit_days, np.float64)[e_global], nan=0.0)
    fixed = [(e_local[e], f, lo + transit[e_local[e]], hi + transit[e_local[e]])
             for e, f, lo, hi in emb]  # fmt: skip
    lic = tuple(
        _licence_rule(
            s, r, e_local[e], calendar, None if verdicts is None else verdicts[i], e_global
        )
        for i, (r, e) in enumerate(zip(s.licensing, lic_edges, strict=True))
    )
    outages = tuple(OutageRule(local[x] + len(e_global), lo, hi, p) for x, lo, hi, p in out_nodes)
    return Plan(
        step_days=float(s.step_days),
        n_steps=s.n_steps,
        recovery_rate=float(s.recovery_rate),
        last_step_days=s.last_step_days,
        nodes=nodes,
        level=level.astype(np.int32),
        n_levels=int(level.max()) + 1 if len(level) else 0,
        e_ptr=e_ptr,
        e_src=e_src,
        e_buyer=e_buyer,
        e_global=e_global,
        e_init=init,
        e_safety=safety,
        e_alt_cap=alt_cap,
        e_alt_ramp=alt_ramp,
        n_gptr=n_gptr,
        g_ptr=g_ptr,
        e_w=e_w,
        e_spare=spare,
        e_spare_ramp=spare_ramp,
        u_ptr=u_ptr,
        u_node=u_node,
        rate=rate,
        track=track,
        track_local=local[track].astype(np.int32),
        track_weight=demand[track] * value,
        cand=np.flatnonzero(covered[e_global]).astype(np.int32),
        watch_local=local[watch][local[watch] >= 0].astype(np.int32),
        fixed_target=np.concatenate([x[0] for x in fixed] or [np.zeros(0, np.int64)]),
        fixed_frac=np.concatenate([x[1] for x in fixed] or [np.zeros(0)]),
        fixed_lo=np.concatenate([x[2] for x in fixed] or [np.zeros(0)]),
        fixed_hi=np.concatenate([x[3] for x in fixed] or [np.zeros(0)]),
        e_transit=transit,
        vary=vary,
        fac=fac,
        lic=lic,
        outages=outages,
    )


def draw_items(p: Plan, rng: np.random.Generator, runs: int) -> RunItems:
    """The closures of ``runs`` runs: embargoes (the same in every run), licence delays
    and denials, and outages, in that order within a run."""
    parts: list[tuple[I64, F64, F64, F64]] = [
        (
            np.zeros((runs, 0), np.int64),
            np.zeros((runs, 0)),
            np.zeros((runs, 0)),
            np.zeros((runs, 0)),
        )
    ]  # per rule: (runs, k) arrays; an empty one first, for batches without rules
    for r in p.lic:
        k = len(r.edges)
        wait = _lead_times(r, rng, (runs, k))
        denied = rng.random((runs, k)) < r.denial
        if r.reapply:
            # re-filed applications: every round draws for all (runs, k) (the random
            # stream does not depend on who is still denied) but uses only the denied
            idx = np.flatnonzero(denied)
            flat = wait.reshape(-1)
            for _ in range(50):
                if not len(idx):
                    break
                flat[idx] += _lead_times(r, rng, (runs, k), idx)
                p_deny = r.denial[idx % k]
                idx = idx[rng.random((runs, k)).reshape(-1)[idx] < p_deny]
            flat[idx] = np.inf
        else:
            wait = np.where(denied, np.inf, wait)
        hi = np.maximum(r.start, _calendar(r, wait))
        lag = p.e_transit[r.edges][None, :] if len(p.e_transit) else np.zeros((1, k))
        parts.append((
            np.broadcast_to(r.edges, (runs, k)), r.start + lag + np.zeros((runs, k)), hi + lag,
            np.ones((runs, k)),
        ))  # fmt: skip
    for o in p.outages:
        hit = rng.random(runs) < o.probability
        k = len(o.nodes)
        keep = np.repeat(hit[:, None], k, axis=1)
        parts.append((
            np.where(keep, o.nodes[None, :], -1), np.full((runs, k), o.lo),
            np.full((runs, k), o.hi), np.ones((runs, k)),
        ))  # fmt: skip
    if len(parts) > 2:
        target, lo, hi, frac = (np.concatenate([x[i] for x in parts], axis=1) for i in range(4))
    else:
        target, lo, hi, frac = parts[-1]
    ok = (target >= 0) & (hi > lo)
    counts = ok.sum(axis=1)
    ptr = np.zeros(runs + 1, np.int64)
    np.cumsum(counts, out=ptr[1:])
    keep = (p.fixed_target >= 0) & (p.fixed_hi > p.fixed_lo)
    return RunItems(ptr, target[ok].astype(np.int64), lo[ok], hi[ok], frac[ok],
                    p.fixed_target[keep].astype(np.int64), p.fixed_lo[keep],
                    p.fixed_hi[keep], p.fixed_frac[keep])  # fmt: skip


def _lead_times(
    r: LicenceRule, rng: np.random.Generator, shape: tuple[int, int], idx: I64 | None = None
) -> F64:  # fmt: skip
    """Lead times for ``shape``, or only at flat positions ``idx`` of it (the same
    draws are taken from ``rng`` either way)."""
    if r.kind == "fixed":
        return np.full(shape if idx is None else len(idx), r.params[0])
    if r.kind == "lognormal":
        z = rng.standard_normal(shape)
        if idx is not None:
            z = z.reshape(-1)[idx]
        x = r.params[0] * np.exp(r.params[1] * z)
        return np.asarray(np.minimum(x, r.params[2]), np.float64)
    d = rng.choice(r.samples, size=shape)
    return np.asarray(d if idx is None else d.reshape(-1)[idx], np.float64)


def _calendar(r: LicenceRule, wait: F64) -> F64:
    """The day (from the scenario start) the licence is in hand, from lead times
    counted from the submission on the rule's clock (a fractional working day counts
    as a whole one; a count beyond the calendar's years never comes)."""
    if r.working is None:
        return r.origin + wait
    finite = np.isfinite(wait)
    k = np.ceil(np.where(finite, wait, 0)).astype(np.int64)
    inside = finite & (k < len(r.working))
    return np.where(inside, r.working[np.minimum(k, len(r.working) - 1)], np.inf)


def _licence_rule(
    s: Scenario,
    r: Licensing,
    edges: I64,
    cal: WorkingCalendar | None,
    verdicts: np.ndarray[Any, Any] | None,
    e_global: I64,
) -> LicenceRule:
    lt = r.lead_time
    if isinstance(lt, FixedLeadTime):
        kind, params, samples = "fixed", np.array([lt.days]), np.zeros(0)
    elif isinstance(lt, LognormalLeadTime):
        cap = lt.max_days if lt.max_days is not None else np.inf
        kind, params, samples = "lognormal", np.array([lt.median_days, lt.sigma, cap]), np.zeros(0)
    else:
        assert isinstance(lt, EmpiricalLeadTime)
        kind, params, samples = "empirical", np.zeros(0), np.array(lt.days)
    start = s.day_of(r.start)
    origin = start if r.submitted is None else s.day_of(r.submitted)
    working = None
    if r.clock is Clock.WORKING:
        if cal is None:
            raise ValueError("a working-day clock needs the working-day calendar")
        working = working_day_ends(s, origin, cal)
    denial = np.full(len(edges), r.denial_probability)
    if r.denial_by_verdict and verdicts is not None:
        for verdict, prob in r.denial_by_verdict.items():
            denial[verdicts[e_global[edges]] == verdict.value] = prob
    return LicenceRule(edges, start, kind, params, samples, working, denial, r.reapply,
                       origin)  # fmt: skip


def working_day_ends(s: Scenario, origin: float, cal: WorkingCalendar) -> F64:
    """``out[k]``: the day (counted from the scenario start) after the k-th working day
    following day ``origin`` on ``cal`` (``cal.add_working_days(D, k) + 1 day``; the
    day ``origin`` itself is not counted), for every k the calendar's years hold."""
    first = s.date_of(origin)
    if first is None:
        raise ValueError("a working-day clock needs the scenario's 'start' date")
    out = [origin]
    d = first
    last = (
        date(cal.last_year, 12, 31)
        if cal.last_year is not None
        else first + timedelta(days=int(s.horizon_days) * 4 + 400)
    )
    while d < last:
        d += timedelta(days=1)
        if cal.is_working_day(d):
            out.append(origin + float((d - first).days) + 1.0)
    return np.array(out)


def estimated_years(s: Scenario, cal: WorkingCalendar) -> list[int]:
    """Years of the horizon, on a working-day rule's clock, whose holiday arrangement
    China had not published (the calendar's weekdays-and-holidays estimate is used)."""
    if s.start is None or not any(r.clock is Clock.WORKING for r in s.licensing):
        return []
    first = min([s.start, *(r.submitted for r in s.licensing if r.submitted is not None)])
    end = s.start + timedelta(days=float(s.horizon_days))
    return [y for y in range(first.year, end.year + 1) if cal.estimated(date(y, 12, 31))]
