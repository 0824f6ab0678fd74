"""Element content per unit of every node, by level sweeps over the CSR matrix.

``X = L + A X`` where ``L`` holds the declared content of leaf nodes (parts without BOM
lines: ``mass_kg * mass_fraction``). Nodes are ordered by level, so each level is one
sparse-times-dense product over the rows of that level; no node is visited twice.

Leaves without a declared composition (or without a mass) have *unknown content*: they
contribute zero kg but are counted in ``unknown_units`` (units of unknown-content inputs
per unit of the node), so a result is never silently complete.

**Declared content above an incomplete BOM.** A part can have both BOM lines and a
declared composition (a supplier's material declaration of a sub-assembly whose BOM we
only partly know). Its content per element is then the larger of the two: what the BOM
explains, plus the *residual* (declared minus explained) added at that node, which
origin attributes to the node itself. The declaration covers the whole part, so such a
node has no unknown content of its own inputs (``unknown_units`` 0). When the BOM
explains more than the declaration, the BOM wins (nothing is taken away); a
difference under ``kernels.RESIDUAL_RTOL`` (0.01 %) of the declared kg is taken as
rounding of the declared fractions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix

from raretrace.analytics.kernels import PARALLEL_LOCK, jitted
from raretrace.analytics.matrices import F64, I64, Bool, CompiledNetwork

__all__ = ["Rollup", "rollup", "sweep_down", "sweep_up"]


@dataclass(frozen=True, slots=True)
class Rollup:
    """kg of each element per unit of each node, and the unknown-content measure."""

    elements: tuple[str, ...]
    content_kg: F64  # (n_nodes, n_elements)
    unknown_units: F64  # (n_nodes,) units of unknown-content leaves per unit; 0 = complete
    residual_node: I64  # nodes with inputs and a declared composition (ascending) ...
    residual_kg: F64  # ... kg per unit declared there beyond what the inputs explain

    def residual(self) -> F64:
        """(n_nodes, n_elements) kg per unit that entered at each node beyond its inputs
        (zero for nodes without a declared composition above their BOM)."""
        out = np.zeros_like(self.content_kg)
        out[self.residual_node] = self.residual_kg
        return out


def _block(c: CompiledNetwork, lo: int, hi: int, *, reverse: bool) -> csr_matrix:
    indptr = c.rev_indptr if reverse else c.fwd_indptr
    indices = c.rev_indices if reverse else c.fwd_indices
    data = c.rev_data if reverse else c.fwd_data
    a, b = int(indptr[lo]), int(indptr[hi])
    return csr_matrix(
        (data[a:b], indices[a:b], indptr[lo : hi + 1] - a), shape=(hi - lo, c.n_nodes)
    )


def sweep_up(c: CompiledNetwork, init: F64, fixed: Bool | None = None) -> F64:
    """Solve ``X = init + A X`` bottom-up; rows where ``fixed`` keep ``init`` as is."""
    x = np.array(init, dtype=np.float64, order="C", copy=True)
    lp = c.level_ptr
    for k in range(1, c.n_levels):
        lo, hi = int(lp[k]), int(lp[k + 1])
        out = x[lo:hi] + _block(c, lo, hi, reverse=False) @ x
        if fixed is not None:
            keep = fixed[lo:hi]
            out[keep] = init[lo:hi][keep]
        x[lo:hi] = out
    return x


def sweep_down(c: CompiledNetwork, demand: F64) -> F64:
    """Solve ``D = demand + A^T D`` top-down: units of each node needed for ``demand``."""
    d = np.array(demand, dtype=np.float64, copy=True)
    lp = c.level_ptr
    for k in range(c.n_levels - 2, -1, -1):
        lo, hi = int(lp[k]), int(lp[k + 1])
        d[lo:hi] += _block(c, lo, hi, reverse=True) @ d
    return d


#: From this many nodes up, ``rollup`` shares each level among threads by default.
PARALLEL_FROM = 200_000


def rollup(
    c: CompiledNetwork,
    elements: tuple[str, ...] | None = None,
    *,
    parallel: bool | None = None,
) -> Rollup:
    """Content of ``elements`` (default: every element with a declared composition).

    ``parallel`` shares the rows of each level among numba's threads (``prange``); the
    result is the same bit for bit, since each row is summed by one thread in CSR order.
    ``None`` (default) uses it from ``PARALLEL_FROM`` nodes up: at 1M parts on 2 idle
    cores it takes 0.07 s against 0.13 s (under heavy load from other jobs the two are
    level); small networks are done before threads would start. See
    ``benchmarks/README.md``.
    """
    net = c.net
    chosen = net.elements if elements is None else elements
    index = {e: i for i, e in enumerate(net.elements)}
    col = np.full(len(net.elements), -1, np.int32)
    for j, e in enumerate(chosen):
        if e in index:
            col[index[e]] = j
    x = np.zeros((c.n_nodes, len(chosen) + 1))
    res_row = c.residual_row
    n_res = int(res_row.max(initial=-1)) + 1
    res = np.zeros((n_res, len(chosen) + 1))
    args = (
        c.level_ptr,
        c.fwd_indptr,
        c.fwd_indices,
        c.fwd_data,
        c.node_part,
        c.part_has_bom,
        ~c.part_known,
        c.comp_ptr,
        col[c.comp_element],
        c.comp_kg,
        res_row,
        res,
        x,
    )
    if parallel is None:
        parallel = c.n_nodes >= PARALLEL_FROM
    if parallel:
        with PARALLEL_LOCK:
            jitted("rollup_parallel")(*args)
    else:
        jitted("rollup")(*args)
    keep = res[:, :-1].any(axis=1)
    if keep.any():
        res_node, res_kg = np.flatnonzero(res_row >= 0)[keep], res[keep, :-1]
    else:
        res_node, res_kg = np.zeros(0, np.int64), np.zeros((0, len(chosen)))
    return Rollup(tuple(chosen), x[:, :-1], x[:, -1], res_node, res_kg)
