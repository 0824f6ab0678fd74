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

import weakref
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import TYPE_CHECKING, Any

import numpy as np

from raretrace.analytics.kernels import (
    COL_BLOCK,
    PARALLEL_LOCK,
    PREFETCH_EDGES,
    PREFETCH_FROM_BYTES,
    jitted,
)
from raretrace.analytics.matrices import F64, I64, Bool, CompiledNetwork

if TYPE_CHECKING:  # scipy is imported by the sweeps that use it, not by every rollup
    from scipy.sparse import csr_matrix

__all__ = ["Rollup", "rollup", "sweep_down", "sweep_up", "sweep_up_rows"]


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
    from scipy.sparse import csr_matrix

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


def sweep_up_rows(c: CompiledNetwork, nodes: I64, init: F64, fixed: Bool) -> F64:
    """``sweep_up`` over the rows of ``nodes`` only (ascending, closed upstream: every
    input of a node that is not ``fixed`` is among them); row ``i`` of ``init``, ``fixed``
    and the result is node ``nodes[i]``.

    Each row is summed as scipy's CSR product in ``sweep_up`` sums it (from zero, input
    by input in CSR order, then added to ``init``), one input position at a time over
    the rows of a level, so the result is the same bit for bit; plain numpy, since
    importing scipy costs a command-line trace more than the sweep."""
    x = np.array(init, dtype=np.float64, order="C", copy=True)
    nodes = np.asarray(nodes, np.int64)
    start = c.fwd_indptr[nodes]
    length = np.where(fixed, 0, c.fwd_indptr[nodes + 1] - start)
    lp = np.searchsorted(nodes, c.level_ptr)
    for k in range(1, c.n_levels):
        lo, hi = int(lp[k]), int(lp[k + 1])
        if lo == hi or not length[lo:hi].any():
            continue
        acc = np.zeros((hi - lo, x.shape[1]))
        for p in range(int(length[lo:hi].max())):
            rows = np.flatnonzero(length[lo:hi] > p)
            at = start[lo:hi][rows] + p
            child = np.searchsorted(nodes, c.fwd_indices[at])
            if (child >= len(nodes)).any() or (nodes[child] != c.fwd_indices[at]).any():
                raise ValueError("sweep_up_rows: an input of a row is not among the nodes")
            acc[rows] += c.fwd_data[at][:, None] * x[child]
        x[lo:hi] = np.where(fixed[lo:hi, None], init[lo:hi], x[lo:hi] + acc)
    return x


def sweep_down(c: CompiledNetwork, demand: F64) -> F64:
    """Solve ``D = demand + A^T D`` top-down: units of each node needed for ``demand``."""
    d = np.array(demand, dtype=np.float64, copy=True)
    lp = c.level_ptr
    for k in range(c.n_levels - 2, -1, -1):
        lo, hi = int(lp[k]), int(lp[k + 1])
        d[lo:hi] += _block(c, lo, hi, reverse=True) @ d
    return d


#: From this many nodes up, ``rollup`` would share each level among threads by default.
#: Off (None): on the 2-core development box under the load of other jobs (load
#: average 7-13, 2026-12-06) the ``prange`` variant lost to one thread at 1M parts
#: (0.21 s against 0.18 s) and at 100k (0.19 s against 0.035 s); it only won on idle
#: cores (0.07 s against 0.13 s, issue 3). ``parallel=True`` still asks for it.
PARALLEL_FROM: int | None = None


def rollup(
    c: CompiledNetwork,
    elements: tuple[str, ...] | None = None,
    *,
    parallel: bool | None = None,
) -> Rollup:
    """Content of ``elements`` (default: every element with a declared composition).

    ``parallel`` shares the rows of each level among numba's threads (``prange``); the
    result is the same bit for bit, since each row is summed by one thread in CSR order.
    ``None`` (default) uses it from ``PARALLEL_FROM`` nodes up, which is never at
    present: on a shared 2-core machine it is slower than one thread (see
    ``PARALLEL_FROM`` and ``benchmarks/README.md``).
    """
    chosen = c.net.elements if elements is None else elements
    x = np.zeros((c.n_nodes, len(chosen) + 1))
    res_row = c.residual_row
    n_res = int(res_row.max(initial=-1)) + 1
    res = np.zeros((n_res, len(chosen) + 1))
    block = sweep_block(c, tuple(chosen))
    args = (
        c.level_ptr,
        res_row,
        res,
        x,
        *block,
        PREFETCH_EDGES if x.nbytes >= PREFETCH_FROM_BYTES else 0,
    )
    if parallel is None:
        parallel = PARALLEL_FROM is not None and c.n_nodes >= PARALLEL_FROM
    # A kernel compiled for this column count (up to COL_BLOCK): its accumulator lives
    # in registers (about 12 % faster at 1M parts than reading the count at run time).
    cols = x.shape[1] if x.shape[1] <= COL_BLOCK else 0
    if parallel:
        with PARALLEL_LOCK:
            jitted("rollup_parallel", cols)(*args)
    else:
        jitted("rollup", cols)(*args)
    keep = res[:, :-1].any(axis=1)
    if keep.any():
        res_node, res_kg = np.flatnonzero(res_row >= 0)[keep], res[keep, :-1]
    else:
        res_node, res_kg = np.zeros(0, np.int64), np.zeros((0, len(chosen)))
    return Rollup(tuple(chosen), x[:, :-1], x[:, -1], res_node, res_kg)


#: ``sweep_block`` results of the networks rolled up more than once lately (a few: each
#: is about 60 MB at 1M parts; ``None`` for a network rolled up once so far), with weak
#: references to the arrays they were built from.
_BLOCKS: OrderedDict[tuple[Any, ...], tuple[list[weakref.ref[Any]], tuple[Any, ...] | None]]
_BLOCKS = OrderedDict()
_BLOCKS_KEPT = 2
_BLOCKS_LOCK = Lock()


def sweep_block(c: CompiledNetwork, chosen: tuple[str, ...]) -> tuple[Any, ...]:
    """``kernels.sweep_block`` of ``c`` for these elements (it depends on nothing else).

    Kept from the second rollup of the same network on, while ``c``'s arrays live: the
    product rolls a revision up once (when it compiles it), so the first build is not
    kept (building it is part of that rollup: ~0.12 s of CPU at 1M parts, and that
    first rollup costs less than with the kernel before, see benchmarks/README.md)."""
    deps = (c.level_ptr, c.fwd_indptr, c.fwd_indices, c.fwd_data, c.node_part,
            c.part_has_bom, c.part_known, c.comp_ptr, c.comp_element, c.comp_kg,
            c.residual_row)  # fmt: skip
    key = (*map(id, deps), chosen)
    with _BLOCKS_LOCK:
        hit = _BLOCKS.get(key)
        seen = hit is not None and all(r() is d for r, d in zip(hit[0], deps, strict=True))
        if hit is not None and seen:
            _BLOCKS.move_to_end(key)
            if hit[1] is not None:
                return hit[1]
    index = {e: i for i, e in enumerate(c.net.elements)}
    col = np.full(len(c.net.elements), -1, np.int32)
    for j, e in enumerate(chosen):
        if e in index:
            col[index[e]] = j
    comp_col = col[c.comp_element]
    block = _build_block(c, comp_col, len(chosen) + 1)
    with _BLOCKS_LOCK:
        _BLOCKS[key] = ([weakref.ref(d) for d in deps], block if seen else None)
        _BLOCKS.move_to_end(key)
        while len(_BLOCKS) > _BLOCKS_KEPT:
            _BLOCKS.popitem(last=False)
    if not seen:
        weakref.finalize(c.fwd_indptr, _forget, key)
    return block


def _build_block(c: CompiledNetwork, comp_col: Any, width: int) -> tuple[Any, ...]:
    """``kernels.sweep_block`` into arrays numpy allocates (lazily mapped, large ones
    in huge pages: numba's own allocations are zeroed or faulted page by page, which
    cost more than the rest of the build); returns views of the parts written."""
    n, n0 = c.n_nodes, int(c.level_ptr[1]) if c.n_levels else 0
    seed_ptr = np.empty(n - n0 + 2, np.int64)
    seed_pos = np.empty(n * width, np.int64)
    seed_kg = np.empty(n * width)
    up_ptr = np.empty(n - n0 + 1, np.int64)
    up_idx = np.empty(c.nnz, c.fwd_indices.dtype)
    up_w = np.empty(c.nnz)
    res_part = c.node_part[c.residual_row >= 0]
    n_decl = int((c.comp_ptr[res_part + 1] - c.comp_ptr[res_part]).sum())
    decl_ptr = np.zeros(len(res_part) + 1, np.int64)
    decl_col = np.empty(n_decl, np.int32)
    decl_kg = np.empty(n_decl)
    t, u, d = jitted("sweep_block")(
        c.level_ptr,
        c.fwd_indptr,
        c.fwd_indices,
        c.fwd_data,
        c.node_part,
        c.part_has_bom,
        ~c.part_known,
        c.comp_ptr,
        comp_col,
        c.comp_kg,
        np.zeros((n0, width)),
        seed_ptr,
        seed_pos,
        seed_kg,
        up_ptr,
        up_idx,
        up_w,
        c.residual_row,
        decl_ptr,
        decl_col,
        decl_kg,
    )
    return (seed_ptr, seed_pos[:t], seed_kg[:t], up_ptr, up_idx[:u], up_w[:u],
            decl_ptr, decl_col[:d].copy(), decl_kg[:d].copy())  # fmt: skip


def _forget(key: tuple[Any, ...]) -> None:
    with _BLOCKS_LOCK:
        _BLOCKS.pop(key, None)
