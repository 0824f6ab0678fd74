"""The two hot loops, compiled with numba on first use (and cached on disk by numba).

Written as plain Python over arrays so they also read as the specification; ``jitted``
compiles them lazily, so importing raretrace does not import numba.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import Any

import numpy as np

_COMPILED: dict[str, Callable[..., Any]] = {}
_LOCK = Lock()


def jitted(name: str) -> Callable[..., Any]:
    """The numba-compiled version of kernel ``name`` (``rollup`` or ``reach``)."""
    fn = _COMPILED.get(name)
    if fn is None:
        with _LOCK:
            fn = _COMPILED.get(name)
            if fn is None:
                import numba

                fn = numba.njit(cache=True, nogil=True)(_KERNELS[name])
                _COMPILED[name] = fn
    return fn


def rollup_kernel(
    indptr: Any,
    indices: Any,
    data: Any,
    node_part: Any,
    has_bom: Any,
    unknown: Any,
    comp_ptr: Any,
    comp_col: Any,
    comp_kg: Any,
    x: Any,
) -> None:
    """``x[i] = sum_j A[i, j] x[j]`` in node order (inputs first); leaves get their
    declared content; the last column of ``x`` counts unknown-content leaf units."""
    last = x.shape[1] - 1
    for i in range(node_part.shape[0]):
        a = indptr[i]
        b = indptr[i + 1]
        if a == b:
            p = node_part[i]
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


def reach_kernel(
    indptr: Any,
    indices: Any,
    data: Any,
    node_site: Any,
    starts: Any,
    stop: Any,
    mark: Any,
    epoch: int,
    qty: Any,
    tier: Any,
    ascending: bool,
) -> tuple[Any, Any, Any]:
    """Nodes reachable from ``starts`` along the rows of the CSR matrix.

    ``stop`` nodes (other than starts) are reached but not expanded. Returns the reached
    nodes (sorted in propagation order), the quantity per unit of start along all paths,
    and the tier (number of site changes) from the nearest start.
    """
    nodes = [np.int64(0) for _ in range(0)]
    for s in starts:
        if mark[s] != epoch:
            mark[s] = epoch
            nodes.append(np.int64(s))
    n_starts = len(nodes)
    i = 0
    while i < len(nodes):
        v = nodes[i]
        i += 1
        if i > n_starts and stop[v]:
            continue
        for k in range(indptr[v], indptr[v + 1]):
            u = indices[k]
            if mark[u] != epoch:
                mark[u] = epoch
                nodes.append(np.int64(u))
    order = np.array(nodes, dtype=np.int64)
    is_start = np.zeros(order.shape[0], dtype=np.bool_)
    is_start[:n_starts] = True
    for v in order:
        qty[v] = 0.0
        tier[v] = 1 << 30
    for s in order[:n_starts]:
        qty[s] = 1.0
        tier[s] = 0
    perm = np.argsort(order)
    if not ascending:
        perm = perm[::-1]
    order = order[perm]
    is_start = is_start[perm]
    for t in range(order.shape[0]):
        v = order[t]
        if stop[v] and not is_start[t]:
            continue
        for k in range(indptr[v], indptr[v + 1]):
            u = indices[k]
            qty[u] += data[k] * qty[v]
            hop = tier[v] + (1 if node_site[u] != node_site[v] else 0)
            if hop < tier[u]:
                tier[u] = hop
    return order, qty[order].copy(), tier[order].copy()


_KERNELS: dict[str, Callable[..., Any]] = {"rollup": rollup_kernel, "reach": reach_kernel}
