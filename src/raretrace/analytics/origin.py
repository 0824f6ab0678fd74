"""Origin of each element: where it entered the chain, and controlled-value shares.

**Entry point.** Material *enters the chain* at an entry node: a node whose part has no
BOM lines (a raw material or bought-in part with a declared composition), or a magnet
node (a part of kind ``magnet`` or with a magnet type), whichever comes first walking up
from the traced node. So for a motor, Dy is attributed to the magnet maker's site even
if the magnet's own BOM goes down to an oxide; tracing the magnet node itself walks
through it to its raw materials.

A node whose declared composition holds more of an element than its inputs explain (see
``rollup``) is an entry point for that *residual*: the material is known to be in the
part but not where it came from below, so it is attributed to the node's own site.
Every path up from a node ends at an entry node, so the entry and residual masses add
up exactly to the node's rolled-up content (origin shares sum to one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from raretrace.analytics.matrices import F64, I32, I64, Bool, CompiledNetwork
from raretrace.analytics.rollup import Rollup, sweep_up, sweep_up_rows
from raretrace.analytics.where_used import Direction, Tracer

__all__ = ["ControlledValue", "Origin", "cone", "controlled_value", "group_origin", "origin"]


@dataclass(frozen=True, slots=True)
class Origin:
    """kg of each element per unit of ``node``, split by the entry node it came from."""

    node: int
    entry_nodes: I64
    entry_units: F64  # units of the entry node per unit of ``node``
    entry_kg: F64  # (n_entries, n_elements)


def origin(c: CompiledNetwork, tracer: Tracer, r: Rollup, node: int) -> Origin:
    stop = tracer.entry
    reach = tracer.reach(np.array([node], np.int64), Direction.UP, stop)
    ends = stop[reach.nodes] & (reach.nodes != node)
    if c.is_leaf(np.array([node]))[0]:
        ends |= reach.nodes == node
    # Residuals of the nodes walked through (not of the entry nodes, whose whole
    # content is counted already).
    pos = np.searchsorted(r.residual_node, reach.nodes)
    pos = np.minimum(pos, max(len(r.residual_node) - 1, 0))
    has_res = np.zeros(len(reach.nodes), bool)
    if len(r.residual_node):
        has_res = ~ends & (r.residual_node[pos] == reach.nodes)
    take = ends | has_res
    nodes = reach.nodes[take]
    units = reach.quantity[take]
    own = r.content_kg[nodes]
    res_at = has_res[take]
    own[res_at] = r.residual_kg[pos[take][res_at]]
    return Origin(node, nodes, units, units[:, None] * own)


def group_origin(o: Origin, key: I32, n_keys: int) -> F64:
    """kg per element (n_keys, n_elements), summed by ``key[entry node]``."""
    out = np.zeros((n_keys, o.entry_kg.shape[1]))
    np.add.at(out, key[o.entry_nodes], o.entry_kg)
    return out


@dataclass(frozen=True, slots=True)
class ControlledValue:
    """Value of the controlled-content inputs (entry nodes with controlled content) in
    one unit of each node, in the node's own currency."""

    value: F64  # all origins; NaN where inputs are priced in other currencies
    origin_value: F64  # of inputs entering in the chosen origin country
    share: F64  # value / the node's unit value (NaN: no value or mixed currencies)
    origin_share: F64
    unpriced_units: F64  # units of controlled inputs without a unit value, or residual
    #                      controlled content with no named input (then a floor)
    nodes: I64 | None = None  # the node of each row; None: every node, in order

    def row(self, node: int) -> int:
        """The row of ``node`` in the arrays above."""
        if self.nodes is None:
            return node
        i = int(np.searchsorted(self.nodes, node))
        if i >= len(self.nodes) or self.nodes[i] != node:
            raise KeyError(f"node {node} is not in this controlled value's cone")
        return i


def cone(tracer: Tracer, nodes: I64) -> I64:
    """``nodes`` and everything upstream of them up to the entry nodes (included), in
    ascending order: all that their controlled value is computed from."""
    reach = tracer.reach(np.asarray(nodes, np.int64), Direction.UP, tracer.entry)
    return np.sort(reach.nodes)


def controlled_value(
    c: CompiledNetwork,
    r: Rollup,
    controlled: tuple[str, ...],
    origin_country: str,
    *,
    counted: Bool | None = None,
    inputs_only: bool = False,
    rates: F64 | None = None,
    nodes: I64 | None = None,
) -> ControlledValue:
    """Value of the controlled-content entry inputs in one unit of each node.

    ``nodes`` (ascending, closed upstream up to entry nodes: see ``cone``) computes the
    rows of those nodes only, the same bit for bit as the whole-network sweep (each
    row is summed in the same order from the same inputs); without it every node.

    ``counted`` limits the entry nodes whose value counts (e.g. to materials of some
    forms; default: every entry node with controlled content); an entry node that does
    not count still stops the walk. With ``inputs_only`` the node itself is never its
    own input: an entry node (a magnet) reports the value of what went into it, and a
    node without inputs reports NaN (nothing is known about its inputs).

    Values are in the node's own currency: where inputs are priced in another currency
    the value and shares are NaN (unknown: no exchange rate is assumed), never 0. With
    ``rates`` (units of one base currency per unit of each of ``net.currencies``, NaN =
    no rate) every value is converted to that base first; a node or an input whose
    currency has no rate is then NaN.
    """
    net = c.net
    cols = [i for i, e in enumerate(r.elements) if e in controlled]
    sel = slice(None) if nodes is None else np.asarray(nodes, np.int64)
    n_rows = c.n_nodes if nodes is None else len(sel)  # type: ignore[arg-type]
    entry: Bool = c.is_entry(None if nodes is None else sel)  # type: ignore[arg-type]
    carries = entry & (r.content_kg[sel][:, cols].sum(axis=1) > 0)
    if counted is not None:
        carries &= counted[sel]
    n_cur = len(net.currencies)
    part = c.node_part[sel]
    value = net.part_value[part]
    cur = net.part_currency[part]
    priced = np.isfinite(value) & (cur >= 0)
    init = np.zeros((n_rows, 2 * n_cur + 1))
    rows = np.flatnonzero(carries & priced)
    init[rows, cur[rows]] = value[rows]
    country = net.countries.index(origin_country) if origin_country in net.countries else -1
    from_origin = rows[c.net.site_country[c.node_site[sel][rows]] == country]
    init[from_origin, n_cur + cur[from_origin]] = value[from_origin]
    init[carries & ~priced, -1] = 1.0
    # Controlled residual content (declared above what the BOM explains) came in with
    # an input the network does not name, so its value is not known: a floor.
    res_ctl = r.residual_node[r.residual_kg[:, cols].sum(axis=1) > 0]
    if nodes is not None:
        at = np.searchsorted(nodes, res_ctl)
        inside = at < len(nodes)
        inside[inside] = nodes[at[inside]] == res_ctl[inside]
        res_ctl = at[inside]
    init[res_ctl[~entry[res_ctl]], -1] += 1.0
    if nodes is None:
        v = sweep_up(c, init, fixed=entry)
    else:
        if inputs_only:
            raise ValueError("inputs_only needs the whole network (nodes=None)")
        v = sweep_up_rows(c, nodes, init, fixed=entry)
    if inputs_only:
        v = forward_product(c, v)
    if rates is None:
        idx = np.arange(n_rows)
        safe = np.maximum(cur, 0)
        own = np.where(priced, v[idx, safe], np.nan)
        own_origin = np.where(priced, v[idx, n_cur + safe], np.nan)
        mixed = v[:, :n_cur].sum(axis=1) - np.nan_to_num(own) > 1e-12 * np.maximum(1.0, own)
    else:
        rate = np.asarray(rates, dtype=np.float64)
        known = np.isfinite(rate)
        mixed = ((v[:, :n_cur] > 0) & ~known).any(axis=1)
        factor = np.where(known, rate, 0.0)
        value = value * np.append(rate, np.nan)[cur]  # the node's value in the base
        own = np.where(np.isfinite(value), v[:, :n_cur] @ factor, np.nan)
        own_origin = np.where(np.isfinite(value), v[:, n_cur : 2 * n_cur] @ factor, np.nan)
    unknown = mixed
    if inputs_only:
        unknown = mixed | (np.diff(c.fwd_indptr) == 0)
    own = np.where(unknown, np.nan, own)
    own_origin = np.where(unknown, np.nan, own_origin)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(value > 0, own / value, np.nan)
        origin_share = np.where(value > 0, own_origin / value, np.nan)
    return ControlledValue(own, own_origin, share, origin_share, v[:, -1], nodes)


def forward_product(c: CompiledNetwork, x: F64) -> F64:
    """``A x``: for each node, the sum over its inputs of units per unit times ``x``."""
    rows = np.repeat(np.arange(c.n_nodes), np.diff(c.fwd_indptr))
    out = np.zeros_like(x)
    np.add.at(out, rows, c.fwd_data[:, None] * x[c.fwd_indices])
    return out
