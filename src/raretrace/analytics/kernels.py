"""The hot loops, compiled with numba on first use (and cached on disk by numba).

Written as plain Python over arrays so they also read as the specification; ``jitted``
compiles them lazily, so importing raretrace does not import numba. ``prange`` is the
builtin ``range`` here; the ``*_parallel`` variants are compiled with numba's ``prange``
in its place, so a level's rows are shared among the threads (``NUMBA_NUM_THREADS``).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from threading import Lock
from typing import Any

import numpy as np

#: Declared kg that exceed what the BOM explains by no more than this fraction of
#: themselves are taken as explained: declarations give mass fractions to about four
#: significant digits (0.8713 for Dy in Dy2O3), so smaller differences are rounding of
#: the declaration, not material from elsewhere (the sample world's oxides differ from
#: their BOM by ~3e-7 relative).
RESIDUAL_RTOL = 1e-4
_COMPILED: dict[str, Callable[..., Any]] = {}
_LOCK = Lock()
#: Serialises calls of the parallel kernels: numba's fallback ``workqueue`` threading
#: layer must not be entered from two threads at once.
PARALLEL_LOCK = Lock()
prange = range


def is_loaded(name: str) -> bool:
    """Kernel ``name`` is compiled or loaded in this process already."""
    return name in _COMPILED


def jitted(name: str) -> Callable[..., Any]:
    """The numba-compiled version of kernel ``name`` (see ``_KERNELS``)."""
    fn = _COMPILED.get(name)
    if fn is None:
        with _LOCK:
            fn = _COMPILED.get(name)
            if fn is None:
                import numba

                py = _KERNELS[name.removesuffix("_parallel")]
                if name.endswith("_parallel"):
                    scope = {**py.__globals__, "prange": numba.prange}
                    py = types.FunctionType(py.__code__, scope, name)
                    py.__qualname__ = py.__name__ = f"{name}_kernel"
                    fn = numba.njit(cache=True, nogil=True, parallel=True)(py)
                else:
                    fn = numba.njit(cache=True, nogil=True)(py)
                _COMPILED[name] = fn
    return fn


def rollup_kernel(
    level_ptr: Any,
    indptr: Any,
    indices: Any,
    data: Any,
    node_part: Any,
    has_bom: Any,
    unknown: Any,
    comp_ptr: Any,
    comp_col: Any,
    comp_kg: Any,
    res_row: Any,
    res: Any,
    x: Any,
) -> None:
    """``x[i] = sum_j A[i, j] x[j]`` level by level (inputs first; the rows of one level
    are independent); leaves get their declared content; the last column of ``x``
    counts unknown-content leaf units.

    A node with inputs whose part also has a declared composition (``res_row[i] >= 0``)
    holds at least the declared kg of each element: what its inputs do not explain is
    added at the node and written to ``res[res_row[i]]`` (the residual), and the
    declaration makes its content known (unknown count 0). Differences within
    ``RESIDUAL_RTOL`` of the declared kg are rounding, not a residual.
    """
    last = x.shape[1] - 1
    for lvl in range(level_ptr.shape[0] - 1):
        for i in prange(level_ptr[lvl], level_ptr[lvl + 1]):
            a = indptr[i]
            b = indptr[i + 1]
            p = node_part[i]
            if a == b:
                if not has_bom[p]:
                    for k in range(comp_ptr[p], comp_ptr[p + 1]):
                        col = comp_col[k]
                        if col >= 0:
                            x[i, col] += comp_kg[k]
                    if unknown[p]:
                        x[i, last] = 1.0
                continue
            for k in range(a, b):
                j = indices[k]
                w = data[k]
                for e in range(last + 1):
                    x[i, e] += w * x[j, e]
            r = res_row[i]
            if r >= 0:
                for k in range(comp_ptr[p], comp_ptr[p + 1]):
                    col = comp_col[k]
                    if col >= 0:
                        d = comp_kg[k] - x[i, col]
                        if d > RESIDUAL_RTOL * comp_kg[k]:  # not rounding noise
                            x[i, col] = comp_kg[k]
                            res[r, col] = d
                x[i, last] = 0.0


def reach_kernel(
    indptr: Any,
    indices: Any,
    data: Any,
    node_site: Any,
    starts: Any,
    stop: Any,
    mark: Any,
    epoch: int,
    queue: Any,
    qty: Any,
    tier: Any,
    ascending: bool,
) -> tuple[Any, Any, Any]:
    """Nodes reachable from ``starts`` along the rows of the CSR matrix.

    ``stop`` nodes (other than starts) are reached but not expanded. Returns the reached
    nodes (sorted in propagation order), the quantity per unit of start along all paths,
    and the tier (number of site changes) from the nearest start.

    ``mark`` is a visited map shared between calls: ``epoch`` marks a node reached in
    this call, ``-epoch`` a start; ``queue``, ``qty`` and ``tier`` are scratch arrays
    of the network's size. Node indices are a topological order (inputs first), so the
    reached nodes are put in order by a scan of the marks, or a sort when few.
    """
    n_found = 0
    for s in starts:
        if mark[s] != -epoch:
            mark[s] = -epoch
            queue[n_found] = s
            n_found += 1
    n_starts = n_found
    i = 0
    while i < n_found:
        v = queue[i]
        i += 1
        if i > n_starts and stop[v]:
            continue
        for k in range(indptr[v], indptr[v + 1]):
            u = indices[k]
            if mark[u] != epoch and mark[u] != -epoch:
                mark[u] = epoch
                queue[n_found] = u
                n_found += 1
    order = np.empty(n_found, dtype=np.int64)
    if n_found:
        lo = queue[0]
        hi = queue[0]
        for t in range(n_found):
            lo = min(lo, queue[t])
            hi = max(hi, queue[t])
        if hi - lo < 32 * n_found:
            t = 0
            for v in range(lo, hi + 1):
                if mark[v] == epoch or mark[v] == -epoch:
                    order[t] = v
                    t += 1
        else:
            order[:] = np.sort(queue[:n_found])
    if not ascending:
        order = order[::-1].copy()
    for v in order:
        qty[v] = 0.0
        tier[v] = 1 << 30
    for t in range(n_starts):
        qty[queue[t]] = 1.0
        tier[queue[t]] = 0
    for v in order:
        if stop[v] and mark[v] != -epoch:
            continue
        qv = qty[v]
        tv = tier[v]
        sv = node_site[v]
        for k in range(indptr[v], indptr[v + 1]):
            u = indices[k]
            qty[u] += data[k] * qv
            hop = tv + (1 if node_site[u] != sv else 0)
            if hop < tier[u]:
                tier[u] = hop
    out_qty = np.empty(n_found, dtype=np.float64)
    out_tier = np.empty(n_found, dtype=np.int64)
    for t in range(n_found):
        out_qty[t] = qty[order[t]]
        out_tier[t] = tier[order[t]]
    return order, out_qty, out_tier


def counting_order(keys: Any, n_keys: int) -> tuple[Any, Any]:
    """Stable order of ``keys`` (integers in ``[0, n_keys)``) by counting sort, and the
    start of each key's run in that order (``ptr``, ``n_keys + 1`` long)."""
    ptr = np.zeros(n_keys + 1, dtype=np.int64)
    for k in keys:
        ptr[k + 1] += 1
    for i in range(n_keys):
        ptr[i + 1] += ptr[i]
    fill = ptr[:-1].copy()
    order = np.empty(keys.shape[0], dtype=np.int64)
    for i in range(keys.shape[0]):
        k = keys[i]
        order[fill[k]] = i
        fill[k] += 1
    return order, ptr


_KERNELS: dict[str, Callable[..., Any]] = {
    "rollup": rollup_kernel,
    "reach": reach_kernel,
    "counting_order": counting_order,
}
