"""Where-used (downstream) and upstream reach over the compiled network, with paths.

Downstream from a set of start nodes follows the reverse matrix (node -> the nodes that
use it); ``quantity[n]`` is the number of units of the start nodes' output in one unit
of ``n`` along all paths. Upstream follows the forward matrix; ``quantity[n]`` is the
number of units of ``n`` in one unit of the start. ``tier`` counts site changes (supply
hops) from the nearest start: 0 at the start's own site.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from threading import Lock
from typing import Any

import numpy as np

from raretrace.analytics.kernels import is_loaded, jitted
from raretrace.analytics.matrices import F64, I64, Bool, CompiledNetwork

__all__ = ["Direction", "Path", "Reach", "Tracer", "paths"]


class Direction(StrEnum):
    DOWN = "down"  # to the users: where is this used?
    UP = "up"  # to the inputs: what goes into this?


@dataclass(frozen=True, slots=True)
class Reach:
    direction: Direction
    starts: I64
    nodes: I64  # sorted in propagation order (starts side first)
    quantity: F64
    tier: I64


@dataclass(frozen=True, slots=True)
class Path:
    """Nodes from a start to an end; ``hop_qty[i]`` = units of ``nodes[i]`` (down) or
    ``nodes[i + 1]`` (up) per unit of the next node towards the product."""

    nodes: tuple[int, ...]
    hop_qty: tuple[float, ...]

    @property
    def quantity(self) -> float:
        return float(np.prod(self.hop_qty)) if self.hop_qty else 1.0


#: Until the numba kernel is loaded, a Tracer answers reaches in Python (``_small_reach``)
#: while they find this many nodes in all: loading numba and a cached kernel costs a
#: fresh process 0.5-1.5 s on the development box, far more than the few small queries
#: of a command-line trace (see benchmarks/README). A larger reach, or more queries
#: (a batch, a server), load the kernel, which is ~100x faster per query once loaded.
SMALL_REACH = 50_000


class Tracer:
    """Reach queries over one compiled network; reuses scratch arrays (thread-safe).

    ``small``: how many nodes reaches may find in all without loading numba (the same
    results bit for bit; see ``SMALL_REACH``); 0 always uses the kernel."""

    def __init__(self, c: CompiledNetwork, small: int = SMALL_REACH) -> None:
        self.c = c
        self.small = small  # what is left of the budget
        n = c.n_nodes
        self._mark = np.zeros(n, np.int32)
        self._qty = np.zeros(n, np.float64)
        self._tier = np.zeros(n, np.int64)
        self._queue = np.zeros(n, np.int64)
        self._epoch = 0
        self._lock = Lock()
        self._no_stop = np.zeros(n, np.bool_)

    @cached_property
    def entry(self) -> Bool:
        """``c.is_entry()``, computed once (the stop of every upward origin walk)."""
        return self.c.is_entry()

    def reach_in_python(
        self, starts: I64, direction: Direction, stop: Bool | None, limit: int
    ) -> Reach | None:
        """``reach`` without numba (the kernel's operations in the same order, so the
        same result bit for bit), or None when it would find more than ``limit`` nodes."""
        c = self.c
        starts = np.asarray(starts, np.int64)
        if direction is Direction.DOWN:
            mat = (c.rev_indptr, c.rev_indices, c.rev_data)
        else:
            mat = (c.fwd_indptr, c.fwd_indices, c.fwd_data)
        found = _visit(*mat[:2], starts, stop, limit)
        if found is None:
            return None
        return Reach(direction, starts, *_small_reach(
            *mat, c.node_site, starts, found, stop, direction is Direction.DOWN
        ))  # fmt: skip

    def reach(self, starts: I64, direction: Direction, stop: Bool | None = None) -> Reach:
        c = self.c
        starts = np.asarray(starts, np.int64)
        if direction is Direction.DOWN:
            mat = (c.rev_indptr, c.rev_indices, c.rev_data)
        else:
            mat = (c.fwd_indptr, c.fwd_indices, c.fwd_data)
        if self.small > 0 and not is_loaded("reach"):
            small = self.reach_in_python(starts, direction, stop, self.small)
            self.small = 0 if small is None else self.small - len(small.nodes)
            if small is not None:
                return small
        with self._lock:
            self._epoch += 1
            if self._epoch >= 2**31 - 1:
                self._mark[:] = 0
                self._epoch = 1
            nodes, qty, tier = jitted("reach")(
                *mat,
                c.node_site,
                starts,
                self._no_stop if stop is None else stop,
                self._mark,
                self._epoch,
                self._queue,
                self._qty,
                self._tier,
                direction is Direction.DOWN,
            )
        return Reach(direction, starts, nodes, qty, tier)


def _visit(indptr: I64, indices: Any, starts: I64, stop: Bool | None, limit: int) -> I64 | None:
    """Nodes reachable from ``starts`` (breadth first, by numpy frontiers; ``stop``
    nodes other than starts are reached, not expanded), ascending; None when more than
    ``limit``."""
    found = np.unique(starts)
    if len(found) > limit:
        return None
    frontier = found
    while len(frontier):
        expand = frontier if stop is None else frontier[~stop[frontier] | np.isin(frontier, starts)]
        lo, hi = indptr[expand], indptr[expand + 1]
        n = hi - lo
        if not n.sum():
            break
        offsets = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
        nxt = np.unique(indices[offsets])
        frontier = np.setdiff1d(nxt, found, assume_unique=True)
        found = np.union1d(found, frontier)
        if len(found) > limit:
            return None
    return found.astype(np.int64)


def _small_reach(
    indptr: I64,
    indices: Any,
    data: F64,
    node_site: Any,
    starts: I64,
    found: I64,
    stop: Bool | None,
    ascending: bool,
) -> tuple[I64, F64, I64]:
    """``kernels.reach_kernel``'s propagation in Python over the ``found`` nodes: the
    same operations in the same order, so the same quantities bit for bit."""
    order = found if ascending else found[::-1]
    nodes = order.tolist()
    start_set = set(starts.tolist())
    qty = dict.fromkeys(nodes, 0.0)
    tier = dict.fromkeys(nodes, 1 << 30)
    for s in start_set:
        qty[s] = 1.0
        tier[s] = 0
    stopped = set() if stop is None else set(order[stop[order]].tolist()) - start_set
    ptr = indptr[order].tolist()
    end = indptr[order + 1].tolist()
    sites = node_site[order].tolist()
    site_of = dict(zip(nodes, sites, strict=True))
    for v, a, b, sv in zip(nodes, ptr, end, sites, strict=True):
        if v in stopped or a == b:
            continue
        qv, tv = qty[v], tier[v]
        for u, w in zip(indices[a:b].tolist(), data[a:b].tolist(), strict=True):
            qty[u] += w * qv
            hop = tv + (1 if site_of[u] != sv else 0)
            if hop < tier[u]:
                tier[u] = hop
    return (
        order.copy(),
        np.array([qty[v] for v in nodes], np.float64),
        np.array([tier[v] for v in nodes], np.int64),
    )


def paths(
    c: CompiledNetwork, r: Reach, *, limit: int = 200, stop: Bool | None = None
) -> list[Path]:
    """Up to ``limit`` paths from the starts to the ends of ``r`` (products for down,
    entry points or leaves for up), depth first."""
    if r.direction is Direction.DOWN:
        indptr, indices, data = c.rev_indptr, c.rev_indices, c.rev_data
    else:
        indptr, indices, data = c.fwd_indptr, c.fwd_indices, c.fwd_data
    inside = set(r.nodes.tolist())
    starts = set(r.starts.tolist())
    out: list[Path] = []
    for s in r.starts.tolist():
        stack: list[tuple[tuple[int, ...], tuple[float, ...]]] = [((s,), ())]
        while stack and len(out) < limit:
            nodes, qty = stack.pop()
            v = nodes[-1]
            nxt: list[tuple[int, float]] = []
            if stop is None or not stop[v] or v in starts:
                lo, hi = int(indptr[v]), int(indptr[v + 1])
                nxt = [
                    (int(u), float(w))
                    for u, w in zip(indices[lo:hi], data[lo:hi], strict=True)
                    if int(u) in inside
                ]
            if not nxt:
                out.append(Path(nodes, qty))
                continue
            for u, w in reversed(nxt):
                stack.append(((*nodes, u), (*qty, w)))
        if len(out) >= limit:
            break
    return out
