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
#: ``rollup_kernel`` asks for the input rows of the row this far ahead: far enough for
#: them to arrive from memory by then, near enough to stay in cache (4-8 was best at
#: 1M parts on the 2-core development box, 2026-12-06) ...
PREFETCH_ROWS = 6
#: ... when its output is at least this large: below, the rows stay in cache and the
#: prefetches cost more than they save (20k parts, 2.5 MB: 0.45 ms of CPU without
#: against 0.64 ms with; 100k, 10 MB: about even; 1M, 101 MB: 61 ms without against
#: 46 ms with; load ~7, the cache shared with other jobs).
PREFETCH_FROM_BYTES = 8 << 20


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
                scope = {**py.__globals__, "prefetch": _numba_prefetch()}
                if name.endswith("_parallel"):
                    scope["prange"] = numba.prange
                    py = types.FunctionType(py.__code__, scope, name)
                    py.__qualname__ = py.__name__ = f"{name}_kernel"
                    fn = numba.njit(cache=True, nogil=True, parallel=True)(py)
                else:
                    py = types.FunctionType(py.__code__, scope, py.__name__)
                    fn = numba.njit(cache=True, nogil=True)(py)
                _COMPILED[name] = fn
    return fn


def prefetch(a: Any, i: int, j: int) -> None:
    """Hint that ``a[i, j]`` will be read soon (a no-op here; in the compiled kernels
    the processor's prefetch instruction, see ``_numba_prefetch``)."""


def _numba_prefetch() -> Any:
    """``prefetch`` for numba: LLVM's ``llvm.prefetch`` (read, high locality) of the
    address of ``a[i, j]`` (a C-contiguous 2-d array), which never faults."""
    global _PREFETCH
    if _PREFETCH is None:
        from llvmlite import ir  # type: ignore[import-untyped]
        from numba import types as nt
        from numba.core import cgutils
        from numba.extending import intrinsic

        @intrinsic
        def prefetch_intrinsic(
            typingctx: Any,  # noqa: ARG001 (numba passes it)
            a: Any,
            i: Any,
            j: Any,
        ) -> Any:
            def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
                ary = context.make_array(sig.args[0])(context, builder, args[0])
                ncols = builder.extract_value(ary.shape, 1)
                row = context.cast(builder, args[1], sig.args[1], nt.intp)
                col = context.cast(builder, args[2], sig.args[2], nt.intp)
                pos = builder.add(builder.mul(row, ncols), col)
                ptr = builder.gep(ary.data, [pos])
                i8p = ir.IntType(8).as_pointer()
                i32 = ir.IntType(32)
                fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
                fn = cgutils.get_or_insert_function(  # type: ignore[no-untyped-call]
                    builder.module, fnty, "llvm.prefetch.p0"
                )
                builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])
                return context.get_dummy_value()

            return nt.void(a, i, j), codegen

        _PREFETCH = prefetch_intrinsic
    return _PREFETCH


_PREFETCH: Any = None


def rollup_kernel(
    level_ptr: Any,
    indptr: Any,
    indices: Any,
    data: Any,
    node_part: Any,
    comp_ptr: Any,
    comp_col: Any,
    comp_kg: Any,
    res_row: Any,
    res: Any,
    x: Any,
    leaf_ptr: Any,
    leaf_col: Any,
    leaf_kg: Any,
    pre_row: Any,
    pre: Any,
    ahead_rows: int,
) -> None:
    """``x[i] = sum_j A[i, j] x[j]`` level by level (inputs first; the rows of one level
    are independent); leaves get their declared content; the last column of ``x``
    counts unknown-content leaf units. ``x`` comes in zeroed.

    The leaves' part (level 0) comes from ``leaf_block``: the non-zero entries of their
    rows (``leaf_ptr``, ``leaf_col``, ``leaf_kg``), in node order, and for each row
    above, the sum over its leading leaf inputs in CSR order (``pre[pre_row[i]]``;
    ``pre_row[i] < 0``: none, or zero), summed exactly as the loop below would. The
    sweep then reads those in order and gathers only the rows of inputs above level 0,
    prefetching those of the row ``ahead_rows`` ahead (0: none, for an ``x`` that fits
    in cache): the same additions in the same order as summing every input, so the
    same result bit for bit.

    A node with inputs whose part also has a declared composition (``res_row[i] >= 0``)
    holds at least the declared kg of each element: what its inputs do not explain is
    added at the node and written to ``res[res_row[i]]`` (the residual), and the
    declaration makes its content known (unknown count 0). Differences within
    ``RESIDUAL_RTOL`` of the declared kg are rounding, not a residual.
    """
    last = x.shape[1] - 1
    n0 = level_ptr[1] if level_ptr.shape[0] > 1 else 0
    for i in prange(n0):
        for k in range(leaf_ptr[i], leaf_ptr[i + 1]):
            x[i, leaf_col[k]] = leaf_kg[k]
    for lvl in range(1, level_ptr.shape[0] - 1):
        hi = level_ptr[lvl + 1]
        for i in prange(level_ptr[lvl], hi):
            ahead = i + ahead_rows
            if ahead_rows > 0 and ahead < hi:
                for k in range(indptr[ahead], indptr[ahead + 1]):
                    j = indices[k]
                    if j >= n0:
                        prefetch(x, j, 0)
                        prefetch(x, j, last)
            a = indptr[i]
            b = indptr[i + 1]
            q = pre_row[i]
            if q >= 0:
                for e in range(last + 1):
                    x[i, e] = pre[q, e]
            while a < b and indices[a] < n0:
                a += 1
            for k in range(a, b):
                j = indices[k]
                w = data[k]
                for e in range(last + 1):
                    x[i, e] += w * x[j, e]
            r = res_row[i]
            if r >= 0:
                p = node_part[i]
                for k in range(comp_ptr[p], comp_ptr[p + 1]):
                    col = comp_col[k]
                    if col >= 0:
                        d = comp_kg[k] - x[i, col]
                        if d > RESIDUAL_RTOL * comp_kg[k]:  # not rounding noise
                            x[i, col] = comp_kg[k]
                            res[r, col] = d
                x[i, last] = 0.0


def leaf_block(
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
    width: int,
) -> tuple[Any, Any, Any, Any, Any]:
    """What ``rollup_kernel`` reads instead of the leaves' compositions and rows: the
    declared content of each level-0 node (a part without BOM: its composition's kg per
    element, 1.0 in the last column if its content is unknown) as non-zero entries in
    node order, and for each node above, the sum of its leading leaf inputs in CSR
    order, in rows of its own (nodes without such inputs, or where it is zero: -1).
    Depends only on the network and the chosen elements, so it is built once."""
    last = width - 1
    n = level_ptr[level_ptr.shape[0] - 1] if level_ptr.shape[0] else 0
    n0 = level_ptr[1] if level_ptr.shape[0] > 1 else 0
    x0 = np.zeros((n0, width))
    n_leaf = 0
    for i in range(n0):
        p = node_part[i]
        if not has_bom[p]:
            for k in range(comp_ptr[p], comp_ptr[p + 1]):
                col = comp_col[k]
                if col >= 0:
                    x0[i, col] += comp_kg[k]
            if unknown[p]:
                x0[i, last] = 1.0
        for e in range(width):
            if x0[i, e] != 0.0:  # NaN included
                n_leaf += 1
    leaf_ptr = np.zeros(n0 + 1, np.int64)
    leaf_col = np.empty(n_leaf, np.int32)
    leaf_kg = np.empty(n_leaf, np.float64)
    t = 0
    for i in range(n0):
        for e in range(width):
            if x0[i, e] != 0.0:
                leaf_col[t] = e
                leaf_kg[t] = x0[i, e]
                t += 1
        leaf_ptr[i + 1] = t
    pre_row = np.full(n, -1, np.int64)
    acc = np.zeros(width)
    n_pre = 0
    for i in range(n0, n):
        k = indptr[i]
        if k < indptr[i + 1] and indices[k] < n0:
            n_pre += 1
    pre = np.zeros((n_pre, width))
    q = 0
    for i in range(n0, n):
        ahead = i + PREFETCH_ROWS
        if ahead < n:
            k = indptr[ahead]
            while k < indptr[ahead + 1] and indices[k] < n0:
                prefetch(x0, indices[k], 0)
                prefetch(x0, indices[k], last)
                k += 1
        k = indptr[i]
        acc[:] = 0.0
        while k < indptr[i + 1] and indices[k] < n0:
            j = indices[k]
            w = data[k]
            for e in range(width):
                acc[e] += w * x0[j, e]
            k += 1
        nonzero = False
        for e in range(width):
            if acc[e] != 0.0:
                nonzero = True
        if nonzero:
            pre[q] = acc
            pre_row[i] = q
            q += 1
    return leaf_ptr, leaf_col, leaf_kg, pre_row, pre[:q].copy()


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
    "leaf_block": leaf_block,
    "reach": reach_kernel,
    "counting_order": counting_order,
}
