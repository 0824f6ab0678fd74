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

from raretrace.analytics.csr import csr_kernel, spans_kernel
from raretrace.analytics.key_lookup import find_keys, group_of

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
#: ``rollup_kernel`` asks for the input row of the edge this far ahead in its stream of
#: edges: far enough for the row to arrive from memory by then, near enough to stay in
#: cache (16-40 were best at 1M parts on the 2-core development box, 2026-12-07; asking
#: by rows ahead instead, each row's edges in a loop of their own, cost 5 ms more) ...
PREFETCH_EDGES = 24
#: ... when its output is at least this large: below, the rows stay in cache and the
#: prefetches save nothing (20k parts, 1.9 MB: 0.2 ms of CPU either way; 100k, 9.7 MB:
#: 1.7 ms without against 1.4 ms with; load ~4, the cache shared with other jobs; the
#: kernel before 2026-12-07 lost 40 % at 20k to its prefetches).
PREFETCH_FROM_BYTES = 8 << 20
#: ``sweep_block`` asks for the composition of the level-0 node this far ahead.
PREFETCH_NODES = 16
#: ``rollup_kernel`` sums a row in an accumulator of this many columns (a stack array:
#: in registers once the column count is known when compiling); wider rows are summed
#: in blocks of this many columns.
COL_BLOCK = 32
#: ``rollup_kernel`` writes the seeds (pre-summed content) of this many rows at a time,
#: just before it sums them, so that the rows are in cache when it does.
ROWS_PER_CHUNK = 256
#: Column count the rollup kernel is compiled for (0: read from ``x`` at run time);
#: ``jitted(name, cols)`` compiles a variant with it fixed (see ``jitted``).
COLS = 0


def is_loaded(name: str) -> bool:
    """Kernel ``name`` is compiled or loaded in this process already."""
    return name in _COMPILED


def jitted(name: str, cols: int = 0) -> Callable[..., Any]:
    """The numba-compiled version of kernel ``name`` (see ``_KERNELS``).

    ``cols`` > 0 compiles a variant in which the global ``COLS`` is that constant (the
    rollup's column count): its loops over the columns are then unrolled and its
    accumulator kept in registers. Each variant is compiled once and kept in numba's
    disk cache under a name of its own."""
    key = f"{name}@{cols}" if cols else name
    fn = _COMPILED.get(key)
    if fn is None:
        with _LOCK:
            fn = _COMPILED.get(key)
            if fn is None:
                import numba

                py = _KERNELS[name.removesuffix("_parallel")]
                scope = {
                    **py.__globals__,
                    "prefetch": _numba_prefetch(),
                    "scratch": _numba_scratch(),
                    "COLS": cols,
                }
                parallel = name.endswith("_parallel")
                if parallel:
                    scope["prange"] = numba.prange
                qualname = f"{name}_kernel" if parallel else py.__name__
                if cols:
                    qualname = f"{qualname}_c{cols}"
                py = types.FunctionType(py.__code__, scope, qualname)
                py.__qualname__ = py.__name__ = qualname
                fn = numba.njit(cache=True, nogil=True, parallel=parallel)(py)
                _COMPILED[key] = fn
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


def scratch(n: int) -> Any:
    """A float64 work array of ``n`` (a constant) items, contents undefined: here a
    numpy array; in the compiled kernels an array on the stack (see
    ``_numba_scratch``), which LLVM keeps in registers where its indices are known."""
    return np.empty(n)


def _numba_scratch() -> Any:
    """``scratch`` for numba: ``alloca`` of ``n`` doubles in the kernel's entry block
    (``n`` must be a literal or a constant global), wrapped as a 1-d C array without
    a meminfo. The kernel must not let the array escape (return or store it)."""
    global _SCRATCH
    if _SCRATCH is None:
        from numba import types as nt
        from numba.core import cgutils
        from numba.extending import intrinsic
        from numba.np.arrayobj import populate_array

        @intrinsic
        def scratch_intrinsic(typingctx: Any, n: Any) -> Any:  # noqa: ARG001 (numba passes it)
            if not isinstance(n, nt.IntegerLiteral):
                return None
            arr_t = nt.Array(nt.float64, 1, "C")

            def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:  # noqa: ARG001
                size = context.get_constant(nt.intp, n.literal_value)
                ptr = cgutils.alloca_once(  # type: ignore[no-untyped-call]
                    builder, context.get_value_type(nt.float64), size=size
                )
                ary = context.make_array(arr_t)(context, builder)
                itemsize = context.get_constant(nt.intp, 8)
                populate_array(
                    ary,
                    data=ptr,
                    shape=cgutils.pack_array(builder, [size]),  # type: ignore[no-untyped-call]
                    strides=cgutils.pack_array(builder, [itemsize]),  # type: ignore[no-untyped-call]
                    itemsize=itemsize,
                    meminfo=None,
                )
                return ary._getvalue()

            return arr_t(n), codegen

        _SCRATCH = scratch_intrinsic
    return _SCRATCH


_SCRATCH: Any = None


def rollup_kernel(
    level_ptr: Any,
    res_row: Any,
    res: Any,
    x: Any,
    seed_ptr: Any,
    seed_pos: Any,
    seed_kg: Any,
    up_ptr: Any,
    up_idx: Any,
    up_w: Any,
    decl_ptr: Any,
    decl_col: Any,
    decl_kg: Any,
    ahead: int,
) -> None:
    """``x[i] = sum_j A[i, j] x[j]`` level by level (inputs first; the rows of one level
    are independent); leaves get their declared content; the last column of ``x``
    counts unknown-content leaf units. ``x`` comes in zeroed.

    What depends only on the network comes from ``sweep_block``: the *seeds*, non-zero
    (flat position in ``x``, value) entries holding the leaves' content (level 0) and,
    for each row above, the sum of its leading leaf inputs in CSR order, summed exactly
    as the loop below would (``seed_ptr``: level 0's, then each row's); and the rows'
    inputs above level 0 (``up_ptr``, ``up_idx``, ``up_w``; row ``i``'s are
    ``up_ptr[i - n0]:up_ptr[i - n0 + 1]``, in CSR order). The sweep writes the seeds of
    ``ROWS_PER_CHUNK`` rows, then sums each of those rows from its seed, input by input
    in CSR order, in an accumulator (``scratch``) written back once; it asks for the
    input row of the edge ``ahead`` edges on (0: none, for an ``x`` that fits in cache).
    The same additions in the same order as summing every input from zero, so the same
    result bit for bit.

    A node with inputs whose part also has a declared composition (``res_row[i] >= 0``)
    holds at least the declared kg of each element (its composition lines among the
    chosen elements, in order: ``decl_ptr[r]:decl_ptr[r + 1]`` of ``decl_col`` and
    ``decl_kg``, from ``sweep_block``): what its inputs do not explain is added at the
    node and written to ``res[res_row[i]]`` (the residual), and the declaration makes
    its content known (unknown count 0). Differences within ``RESIDUAL_RTOL`` of the
    declared kg are rounding, not a residual.
    """
    width = COLS if COLS else x.shape[1]
    last = width - 1
    flat = x.reshape(-1)
    n0 = level_ptr[1] if level_ptr.shape[0] > 1 else 0
    for k in range(seed_ptr[0], seed_ptr[1] if seed_ptr.shape[0] > 1 else 0):
        flat[seed_pos[k]] = seed_kg[k]
    end = up_idx.shape[0] - 1
    has_res = res.shape[0] > 0  # without residual rows, res_row is not read
    for lvl in range(1, level_ptr.shape[0] - 1):
        lo = level_ptr[lvl]
        hi = level_ptr[lvl + 1]
        for chunk in prange((hi - lo + ROWS_PER_CHUNK - 1) // ROWS_PER_CHUNK):
            c0 = lo + chunk * ROWS_PER_CHUNK
            c1 = min(c0 + ROWS_PER_CHUNK, hi)
            for k in range(seed_ptr[c0 - n0 + 1], seed_ptr[c1 - n0 + 1]):
                flat[seed_pos[k]] = seed_kg[k]
            acc = scratch(COL_BLOCK)
            for i in range(c0, c1):
                a = up_ptr[i - n0]
                b = up_ptr[i - n0 + 1]
                if a < b:
                    for cb in range(0, width, COL_BLOCK):
                        m = min(COL_BLOCK, width - cb)
                        for e in range(m):
                            acc[e] = x[i, cb + e]
                        for k in range(a, b):
                            if ahead > 0:
                                t = up_idx[min(k + ahead, end)]
                                prefetch(x, t, 0)
                                prefetch(x, t, last)
                            j = up_idx[k]
                            w = up_w[k]
                            for e in range(m):
                                acc[e] += w * x[j, cb + e]
                        for e in range(m):
                            x[i, cb + e] = acc[e]
                r = res_row[i] if has_res else -1
                if r >= 0:
                    for k in range(decl_ptr[r], decl_ptr[r + 1]):
                        col = decl_col[k]
                        d = decl_kg[k] - x[i, col]
                        if d > RESIDUAL_RTOL * decl_kg[k]:  # not rounding noise
                            x[i, col] = decl_kg[k]
                            res[r, col] = d
                    x[i, last] = 0.0


def sweep_block(
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
    x0: Any,
    seed_ptr: Any,
    seed_pos: Any,
    seed_kg: Any,
    up_ptr: Any,
    up_idx: Any,
    up_w: Any,
    res_row: Any,
    decl_ptr: Any,
    decl_col: Any,
    decl_kg: Any,
) -> tuple[int, int, int]:
    """What ``rollup_kernel`` reads instead of the leaves' compositions and rows; returns
    how many seeds, inputs and declared lines it wrote.

    The seeds: the declared content of each level-0 node (a part without BOM: its
    composition's kg per element, 1.0 in the last column if its content is unknown),
    then for each node above, the sum of its leading leaf inputs in CSR order, as
    non-zero (flat position ``node * width + column``, value) entries in node order,
    ``seed_ptr`` giving level 0's and then each upper row's. And each upper row's inputs
    above level 0 in CSR order (``up_ptr``, ``up_idx``, ``up_w``). And for each node
    with inputs and a declared composition (residual row ``r = res_row[i]``), its
    composition lines among the chosen elements, in order (``decl_ptr[r]:decl_ptr[r +
    1]``: ``decl_col``, ``decl_kg``), so that the sweep does not look them up by part.
    Depends only on the network and the chosen elements, so it is built once.

    The caller passes the arrays, large enough for every seed and input there could be
    (numpy maps large ones lazily: only what is written is touched), and ``x0`` zeroed,
    ``(level-0 nodes, width)``: the leaves' content as the rows above read it."""
    width = x0.shape[1]
    last = width - 1
    n = level_ptr[level_ptr.shape[0] - 1] if level_ptr.shape[0] else 0
    n0 = level_ptr[1] if level_ptr.shape[0] > 1 else 0
    t = 0
    # The parts of level-0 nodes are scattered over the part arrays: ask for a node's
    # composition pointer PREFETCH_NODES nodes ahead and for its lines half as far
    # ahead (73 -> 29 ms at 1M parts); 1-d arrays as (n, 1) for ``prefetch``.
    ptr2 = comp_ptr.reshape((-1, 1))
    bom2 = has_bom.reshape((-1, 1))
    col2 = comp_col.reshape((-1, 1))
    kg2 = comp_kg.reshape((-1, 1))
    half = PREFETCH_NODES // 2
    for i in range(n0):
        if i + PREFETCH_NODES < n0:
            p = node_part[i + PREFETCH_NODES]
            prefetch(ptr2, p, 0)
            prefetch(bom2, p, 0)
        if i + half < n0:
            k = comp_ptr[node_part[i + half]]
            if k < comp_kg.shape[0]:
                prefetch(col2, k, 0)
                prefetch(kg2, k, 0)
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
                seed_pos[t] = i * width + e
                seed_kg[t] = x0[i, e]
                t += 1
    seed_ptr[0] = 0
    seed_ptr[1] = t
    up_ptr[0] = 0
    acc = np.zeros(width)
    u = 0
    for i in range(n0, n):
        k = indptr[i]
        acc[:] = 0.0
        while k < indptr[i + 1] and indices[k] < n0:
            ahead = k + PREFETCH_EDGES
            if ahead < indices.shape[0] and indices[ahead] < n0:
                prefetch(x0, indices[ahead], 0)
                prefetch(x0, indices[ahead], last)
            j = indices[k]
            w = data[k]
            for e in range(width):
                acc[e] += w * x0[j, e]
            k += 1
        for e in range(width):
            if acc[e] != 0.0:
                seed_pos[t] = i * width + e
                seed_kg[t] = acc[e]
                t += 1
        seed_ptr[i - n0 + 2] = t
        while k < indptr[i + 1]:
            up_idx[u] = indices[k]
            up_w[u] = data[k]
            u += 1
            k += 1
        up_ptr[i - n0 + 1] = u
    d = 0
    decl_ptr[0] = 0
    for i in range(n):
        r = res_row[i]
        if r >= 0:
            p = node_part[i]
            for k in range(comp_ptr[p], comp_ptr[p + 1]):
                if comp_col[k] >= 0:
                    decl_col[d] = comp_col[k]
                    decl_kg[d] = comp_kg[k]
                    d += 1
            decl_ptr[r + 1] = d
    return t, u, d


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
    "sweep_block": sweep_block,
    "reach": reach_kernel,
    "counting_order": counting_order,
    "find_keys": find_keys,
    "group_of": group_of,
    "spans_kernel": spans_kernel,
    "csr_kernel": csr_kernel,
}
