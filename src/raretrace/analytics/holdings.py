"""What a scenario says the network holds and must make, as per-link and per-node
arrays for the plan: starting and safety stock, alternative sources and spare
capacity, demand (and how it varies over time), and the watched nodes."""

from __future__ import annotations

import numpy as np

from raretrace.analytics.matrices import F64, I64, PRODUCT, CompiledNetwork
from raretrace.analytics.rollup import sweep_down
from raretrace.analytics.scenarios import DemandChange, Scenario

__all__ = [
    "UNLIMITED",
    "alternatives",
    "demand_factors",
    "demand_rates",
    "spare_capacity",
    "stock_days",
    "watched_nodes",
]

#: stand-in for "no stock limit" (days)
UNLIMITED = 1e9


def demand_rates(c: CompiledNetwork, s: Scenario) -> tuple[F64, F64]:
    """Planned units/day of each product node (``demand``) and of every node (``rate``)."""
    net = c.net
    demand = np.zeros(c.n_nodes)
    is_product = net.part_kind[c.node_part] == PRODUCT
    if not s.demand:
        prod = c.find(net.prod_site, net.prod_part)
        ok = (prod >= 0) & np.isfinite(net.prod_units)
        ok &= is_product[np.maximum(prod, 0)]
        np.add.at(demand, prod[ok], net.prod_units[ok] / 365.0)
    else:
        part_index = {str(p): i for i, p in enumerate(net.part_ids)}
        site_index = {str(x): i for i, x in enumerate(net.site_ids)}
        for d in s.demand:
            p = part_index.get(d.product, -1)
            nodes = np.flatnonzero(c.node_part == p)
            if d.site is not None:
                nodes = nodes[c.node_site[nodes] == site_index.get(d.site, -2)]
            if len(nodes):
                demand[nodes] += d.per_day() / len(nodes)
    return demand, sweep_down(c, demand)


def demand_factors(c: CompiledNetwork, s: Scenario, nodes: I64, rate: F64) -> tuple[bool, F64]:
    """Per affected node and step: its planned rate over the step (time-weighted) over
    its base rate, from the demand profiles pushed down the network."""
    if not any(d.profile for d in s.demand):
        return False, np.ones((1, 1))
    net = c.net
    part_index = {str(p): i for i, p in enumerate(net.part_ids)}
    site_index = {str(x): i for i, x in enumerate(net.site_ids)}
    ends = [min((t + 1) * s.step_days, s.horizon_days) for t in range(s.n_steps)]
    starts = [t * s.step_days for t in range(s.n_steps)]
    fac = np.ones((len(nodes), s.n_steps))
    cache: dict[tuple[float, ...], F64] = {}
    for t, (a, b) in enumerate(zip(starts, ends, strict=True)):
        demand = np.zeros(c.n_nodes)
        for d in s.demand:
            prod = np.flatnonzero(c.node_part == part_index.get(d.product, -1))
            if d.site is not None:
                prod = prod[c.node_site[prod] == site_index.get(d.site, -2)]
            if len(prod):
                demand[prod] += d.per_day() * mean_factor(s, d.profile, a, b) / len(prod)
        key = tuple(demand[demand > 0].tolist())
        if key not in cache:
            cache[key] = sweep_down(c, demand)[nodes]
        base = rate[nodes]
        fac[:, t] = np.where(base > 0, cache[key] / np.where(base > 0, base, 1.0), 1.0)
    return True, fac


def mean_factor(s: Scenario, profile: list[DemandChange], a: float, b: float) -> float:
    """Time-weighted demand factor over ``[a, b)`` (1 before the first change)."""
    changes = sorted((s.day_of(ch.from_), ch.factor) for ch in profile)
    points = [(-np.inf, 1.0), *changes]
    total = 0.0
    for i, (day, f) in enumerate(points):
        nxt = points[i + 1][0] if i + 1 < len(points) else np.inf
        lo, hi = max(a, day), min(b, nxt)
        if hi > lo:
            total += f * (hi - lo)
    return total / (b - a) if b > a else 1.0


def stock_days(
    c: CompiledNetwork, s: Scenario, edges: I64, buyer: I64, src: I64, rate: F64
) -> tuple[F64, F64]:
    net = c.net
    k = len(buyer)
    init = np.full(k, s.default_stock_days)
    safety = np.full(k, np.nan)
    site = c.node_site[buyer]
    part = c.node_part[src]
    use = c.fwd_data[edges] * rate[buyer]  # units/day through each link
    key = site.astype(np.int64) * len(net.part_ids) + part
    inverse = np.unique(key, return_inverse=True)[1]
    need = np.bincount(inverse, weights=use)[inverse]  # of the part at the site
    site_index = {str(x): i for i, x in enumerate(net.site_ids)}
    part_index = {str(p): i for i, p in enumerate(net.part_ids)}
    with np.errstate(divide="ignore", invalid="ignore"):
        for st in s.stock:
            m = np.ones(k, bool)
            if st.site is not None:
                m &= site == site_index.get(st.site, -2)
            if st.part is not None:
                m &= part == part_index.get(st.part, -2)
            if st.days is not None:
                init[m] = st.days
            else:
                init[m] = np.where(need[m] > 0, float(st.units or 0.0) / need[m], UNLIMITED)
            if st.safety_days is not None:
                safety[m] = st.safety_days
            elif st.safety_units is not None:
                safety[m] = np.where(need[m] > 0, st.safety_units / need[m], UNLIMITED)
            else:
                safety[m] = np.nan
    init = np.minimum(init, UNLIMITED)
    safety = np.where(np.isnan(safety), init, np.minimum(safety, UNLIMITED))
    return init, safety


def alternatives(c: CompiledNetwork, s: Scenario, buyer: I64, src: I64) -> tuple[F64, F64]:
    net = c.net
    cap = np.zeros(len(buyer))
    ramp = np.zeros(len(buyer))
    site_index = {str(x): i for i, x in enumerate(net.site_ids)}
    part_index = {str(p): i for i, p in enumerate(net.part_ids)}
    for a in s.alternatives:
        m = c.node_part[src] == part_index.get(a.part, -2)
        if a.site is not None:
            m &= c.node_site[buyer] == site_index.get(a.site, -2)
        cap[m] = a.capacity_share
        ramp[m] = a.ramp_up_days
    return cap, ramp


def spare_capacity(c: CompiledNetwork, s: Scenario, buyer: I64, src: I64) -> tuple[F64, F64]:
    net = c.net
    extra = np.zeros(len(buyer))
    ramp = np.zeros(len(buyer))
    site_index = {str(x): i for i, x in enumerate(net.site_ids)}
    part_index = {str(p): i for i, p in enumerate(net.part_ids)}
    for a in s.spare_capacity:
        m = c.node_part[src] == part_index.get(a.part, -2)
        m &= c.node_site[src] == site_index.get(a.supplier, -2)
        if a.buyer is not None:
            m &= c.node_site[buyer] == site_index.get(a.buyer, -2)
        extra[m] = a.extra_share
        ramp[m] = a.ramp_up_days
    return extra, ramp


def watched_nodes(c: CompiledNetwork, names: list[str]) -> I64:
    """Nodes named ``site/part``."""
    net = c.net
    site_index = {str(x): i for i, x in enumerate(net.site_ids)}
    part_index = {str(p): i for i, p in enumerate(net.part_ids)}
    pairs = [name.split("/", 1) for name in names if "/" in name]
    site = np.array([site_index.get(a, -1) for a, _ in pairs], np.int64)
    part = np.array([part_index.get(b, -1) for _, b in pairs], np.int64)
    found = c.find(np.maximum(site, 0), np.maximum(part, 0))
    return found[(found >= 0) & (site >= 0) & (part >= 0)].astype(np.int64)
