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
from threading import Lock

import numpy as np

from raretrace.analytics.kernels import jitted
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


class Tracer:
    """Reach queries over one compiled network; reuses scratch arrays (thread-safe)."""

    def __init__(self, c: CompiledNetwork) -> None:
        self.c = c
        n = c.n_nodes
        self._mark = np.zeros(n, np.int32)
        self._qty = np.zeros(n, np.float64)
        self._tier = np.zeros(n, np.int64)
        self._queue = np.zeros(n, np.int64)
        self._epoch = 0
        self._lock = Lock()
        self._no_stop = np.zeros(n, np.bool_)

    def reach(self, starts: I64, direction: Direction, stop: Bool | None = None) -> Reach:
        c = self.c
        starts = np.asarray(starts, np.int64)
        if direction is Direction.DOWN:
            mat = (c.rev_indptr, c.rev_indices, c.rev_data)
        else:
            mat = (c.fwd_indptr, c.fwd_indices, c.fwd_data)
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
