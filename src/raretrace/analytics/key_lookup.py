"""Look-up of ``site * n_parts + part`` keys in a sorted array of such keys, for the
compiler (``analytics.matrices``).

``np.searchsorted`` costs a binary search per needle, about 20 steps into arrays of
millions, most of them cache misses. Nearly every part is made or bought at one or two
sites, so the keys of the needle's part are found directly (the keys grouped by part,
by counting sort) and compared; only needles whose part has more than one key and that
do not match the first one fall back to the binary search. Same positions as
``searchsorted`` wherever the key is present.
"""

from __future__ import annotations

from typing import Any

import numpy as np

I64 = np.ndarray[Any, np.dtype[np.int64]]


class KeyLookup:
    """Positions of keys in ``keys`` (sorted, unique), -1 where absent."""

    def __init__(self, keys: I64, n_parts: int) -> None:
        from raretrace.analytics.matrices import stable_order

        self.keys = keys
        self.n_parts = n_parts
        self.by_part, self.part_ptr = stable_order(keys % max(n_parts, 1), max(n_parts, 1))

    def find(self, needles: I64) -> I64:
        keys = self.keys
        if len(keys) == 0 or len(needles) == 0:
            return np.full(len(needles), -1, np.int64)
        part = needles % max(self.n_parts, 1)
        lo = self.part_ptr[part]
        count = self.part_ptr[part + 1] - lo
        first = self.by_part[np.minimum(lo, len(keys) - 1)]
        pos = np.where((count > 0) & (keys[first] == needles), first, -1)
        rest = np.flatnonzero((pos < 0) & (count > 1))
        if len(rest):
            at = np.minimum(np.searchsorted(keys, needles[rest]), len(keys) - 1)
            pos[rest] = np.where(keys[at] == needles[rest], at, -1)
        return pos
