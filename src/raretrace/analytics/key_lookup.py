"""Look-up of ``site * n_parts + part`` keys in a sorted array of such keys, for the
compiler (``analytics.matrices``).

``np.searchsorted`` costs a binary search per needle, about 20 steps into arrays of
millions, most of them cache misses. Nearly every part is made or bought at one or two
sites, so the keys of the needle's part are found directly (the keys grouped by part,
by counting sort, stay in key order within a part) and searched: one comparison for
most needles. Same positions as ``searchsorted`` wherever the key is present.

``find_keys`` and ``group_of`` are the loops, compiled by ``kernels.jitted``
(one pass over the needles instead of a dozen numpy passes and their temporaries:
at 1M parts the four look-ups of a compile took 0.49 s in numpy).
"""

from __future__ import annotations

from typing import Any

import numpy as np

I64 = np.ndarray[Any, np.dtype[np.int64]]
F64 = np.ndarray[Any, np.dtype[np.float64]]


class KeyLookup:
    """Positions of keys in ``keys`` (sorted, unique), -1 where absent."""

    def __init__(self, keys: I64, n_parts: int) -> None:
        from raretrace.analytics.matrices import stable_order

        self.keys = np.ascontiguousarray(keys, dtype=np.int64)
        self.n_parts = max(n_parts, 1)
        self.by_part, self.part_ptr = stable_order(self.keys % self.n_parts, self.n_parts)

    def find(self, needles: I64) -> I64:
        from raretrace.analytics.kernels import jitted

        needles = np.ascontiguousarray(needles, dtype=np.int64)
        if len(self.keys) == 0 or len(needles) == 0:
            return np.full(len(needles), -1, np.int64)
        out: I64 = jitted("find_keys")(self.keys, self.by_part, self.part_ptr, needles)
        return out

    def group_range(self, g_lo: I64, g_sum: F64, needles: I64) -> tuple[I64, I64, F64]:
        """For keys that are groups (``keys[g]`` covers items ``g_lo[g]:g_lo[g + 1]``,
        whose values sum to ``g_sum[g]``): each needle's ``lo``, ``hi`` and sum (``lo ==
        hi`` and 0.0 where its key is absent)."""
        from raretrace.analytics.kernels import jitted

        lo, hi, total = jitted("group_of")(self.find(needles), g_lo, g_sum)
        return lo, hi, total


def find_keys(keys: Any, by_part: Any, part_ptr: Any, needles: Any) -> Any:
    """Position of each needle in ``keys`` (-1: absent); ``by_part[part_ptr[p]:
    part_ptr[p + 1]]`` are the positions of part ``p``'s keys, ascending: a binary
    search among them (one step for most parts)."""
    n_parts = part_ptr.shape[0] - 1
    out = np.full(needles.shape[0], -1, dtype=np.int64)
    for i in range(needles.shape[0]):
        x = needles[i]
        a = part_ptr[x % n_parts]
        b = part_ptr[x % n_parts + 1]
        while a < b:
            m = (a + b) // 2
            k = keys[by_part[m]]
            if k == x:
                out[i] = by_part[m]
                break
            if k < x:
                a = m + 1
            else:
                b = m
    return out


def group_of(pos: Any, g_lo: Any, g_sum: Any) -> tuple[Any, Any, Any]:
    """``KeyLookup.group_range`` from the groups' positions (-1: none)."""
    n = pos.shape[0]
    lo = np.zeros(n, dtype=np.int64)
    hi = np.zeros(n, dtype=np.int64)
    total = np.zeros(n, dtype=np.float64)
    for i in range(n):
        g = pos[i]
        if g >= 0:
            lo[i] = g_lo[g]
            hi[i] = g_lo[g + 1]
            total[i] = g_sum[g]
    return lo, hi, total
