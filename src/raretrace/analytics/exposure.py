"""Supplier exposure: yearly flows of controlled elements through every node.

Given a production plan (units per year of some nodes, normally products), the demand
sweep ``D = plan + A^T D`` gives the units of every node needed per year. A node ships
``D_out = plan + (demand from nodes at other sites)``; own-site use is not counted
again, so a site that makes a magnet and the motor around it reports the Dy once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from raretrace.analytics.matrices import F64, I64, CompiledNetwork
from raretrace.analytics.rollup import Rollup, sweep_down

__all__ = ["Flows", "flows"]

#: Products are tracked per node as bits; above this many, only counts are kept.
MAX_TRACKED_PRODUCTS = 512
NO_TIER = 1 << 30


@dataclass(frozen=True, slots=True)
class Flows:
    demand: F64  # units per year of each node
    shipped: F64  # units per year leaving the node's site (or going into the plan)
    kg_per_year: F64  # (n_nodes, n_elements) kg/yr of each element shipped
    tier: I64  # supply hops from the nearest plan node (NO_TIER: not in the plan's chain)
    plan_nodes: I64
    products: np.ndarray | None  # (n_nodes, words) uint64 bit sets over plan_nodes


def _edges(c: CompiledNetwork) -> tuple[I64, I64, F64]:
    """(child, user, units of child per unit of user) for every edge, in rev order."""
    child = np.repeat(np.arange(c.n_nodes, dtype=np.int64), np.diff(c.rev_indptr))
    return child, c.rev_indices.astype(np.int64), c.rev_data


def flows(c: CompiledNetwork, r: Rollup, plan: F64) -> Flows:
    demand = sweep_down(c, plan)
    child, user, w = _edges(c)
    cross = c.node_site[child] != c.node_site[user]
    shipped = plan + np.bincount(
        child[cross], weights=w[cross] * demand[user[cross]], minlength=c.n_nodes
    )
    plan_nodes = np.flatnonzero(plan > 0)
    tier = np.full(c.n_nodes, NO_TIER, np.int64)
    tier[plan_nodes] = 0
    words = (len(plan_nodes) + 63) // 64
    bits = None
    if len(plan_nodes) <= MAX_TRACKED_PRODUCTS:
        bits = np.zeros((c.n_nodes, max(words, 1)), np.uint64)
        k = np.arange(len(plan_nodes))
        np.bitwise_or.at(
            bits, (plan_nodes, k // 64), np.left_shift(np.uint64(1), (k % 64).astype(np.uint64))
        )
    lp = c.level_ptr
    for lvl in range(c.n_levels - 2, -1, -1):
        a, b = int(c.rev_indptr[lp[lvl]]), int(c.rev_indptr[lp[lvl + 1]])
        ch, us, cr = child[a:b], user[a:b], cross[a:b]
        live = tier[us] < NO_TIER
        ch, us, cr = ch[live], us[live], cr[live]
        np.minimum.at(tier, ch, tier[us] + cr)
        if bits is not None and len(ch):
            np.bitwise_or.at(bits, ch, bits[us])
    kg = shipped[:, None] * r.content_kg
    return Flows(demand, shipped, kg, tier, plan_nodes, bits)
