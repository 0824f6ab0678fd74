"""Blocking: which indexed names a subject is compared with at all.

Every indexed name is filed under a few *blocking keys* (its words, the first and last
four letters of long words, the first six letters of the name without spaces, its
initials). A subject's candidates are the names sharing the most *rare* keys with it:
each shared key counts its rarity over the list (``key_weight``, an inverse document
frequency in whole steps), so a rare surname's keys outweigh those of a common given
name and patronymic (Aleksandr Viktorovich Moor: the names sharing only "Aleksandr
Viktorovich" no longer crowd out the one listed as Alexander Viktorovich MOOR). Keys
found in more than ``max_df`` names (common words) are not used, unless the subject has
nothing else: then its two rarest keys are.

``candidates`` does this for one subject with a ``Counter``; ``top_candidates`` for
many at once with a sparse product (subjects x keys, holding the keys' weights) @
(keys x names) and one sort, and picks the same names in the same order: most weight
shared, then lowest name position.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from itertools import chain

import numpy as np
import numpy.typing as npt
from scipy import sparse

from raretrace.screening.normalise import BRANCH_WORDS, NormalName, phonetic_key

#: Steps per unit of ``log(1 + names / df)`` in ``key_weight``
_WEIGHT_SCALE = 4
_ROWS_PER_PRODUCT = 4096  #: subjects per sparse product (bounds its memory)

IntArray = npt.NDArray[np.int64]


def _word_keys(word: str) -> tuple[str, ...]:
    """A word's keys: itself, its first and last four letters, its phonetic key
    (``Konkord`` from Cyrillic finds ``Concord``). Branch words give none: they are weak
    evidence and would crowd out the candidates of the name they follow."""
    if word in BRANCH_WORDS:
        return ()
    key = phonetic_key(word) if len(word) >= 4 else ""
    extra = ("m:" + key,) if len(key) >= 5 else ()
    if len(word) >= 5:
        return ("t:" + word, "p:" + word[:4], "s:" + word[-4:], *extra)
    return ("t:" + word, *extra)


def _whole_name_keys(name: NormalName) -> list[str]:
    keys = []
    if len(name.compact) >= 6:
        keys.append("c:" + name.compact[:6])
    if len(name.tokens) == 1 and len(name.tokens[0]) >= 3:
        keys.append("i:" + name.tokens[0])
    elif len(name.initials) >= 3:
        keys.append("i:" + name.initials)
    return keys


def blocking_keys(name: NormalName) -> set[str]:
    keys = {k for t in name.tokens for k in _word_keys(t)}
    keys.update(_whole_name_keys(name))
    return keys


def key_weight(df: int, n_names: int) -> int:
    """What one shared key of ``df`` names (of ``n_names``) counts for in choosing
    candidates: its inverse document frequency ``log(1 + n / df)`` in whole quarter
    steps, at least 1 (integers, so that both paths add them up exactly)."""
    return max(1, round(_WEIGHT_SCALE * math.log(1.0 + n_names / max(df, 1))))


class BlockingIndex:
    """Postings of blocking keys over a fixed list of normalised names."""

    def __init__(self, names: Sequence[NormalName]) -> None:
        postings: dict[str, list[int]] = {}
        for n, norm in enumerate(names):
            for key in blocking_keys(norm):
                postings.setdefault(key, []).append(n)
        self.postings = postings
        self.max_df = max(200, max(len(names), 1) // 100)
        self._n_names = len(names)
        # key ids in key order, so that sorting ids sorts keys
        self._keys = sorted(postings)
        self._key_ids = {k: i for i, k in enumerate(self._keys)}
        self._key_df = [len(postings[k]) for k in self._keys]
        n_names = max(len(names), 1)
        self._key_weight = [key_weight(df, n_names) for df in self._key_df]
        self._word_key_ids: dict[str, tuple[int, ...]] = {}  # cache, per word
        self._key_names: sparse.csr_array | None = None  # built on first batch use

    def _usable(self, query: NormalName) -> list[tuple[int, int]]:
        """(key id, document frequency) of the keys to count, in counting order."""
        ids, df, word_ids = self._key_ids, self._key_df, self._word_key_ids
        found_ids: set[int] = set()
        for word in query.tokens:
            if (of_word := word_ids.get(word)) is None:
                if len(word_ids) > 1_000_000:
                    word_ids.clear()
                of_word = tuple(i for k in _word_keys(word) if (i := ids.get(k)) is not None)
                word_ids[word] = of_word
            found_ids.update(of_word)
        found_ids.update(i for k in _whole_name_keys(query) if (i := ids.get(k)) is not None)
        found = [(i, df[i]) for i in sorted(found_ids)]
        usable = [kd for kd in found if kd[1] <= self.max_df]
        if not usable and found:  # only very common words: the two rarest keys
            usable = sorted(found, key=lambda kd: kd[1])[:2]
        return usable

    def candidates(self, query: NormalName, limit: int) -> list[int]:
        """The (at most ``limit``) names sharing the most key weight with ``query``,
        best first (ties: lowest position first)."""
        counts: Counter[int] = Counter()
        for key_id, _ in self._usable(query):
            weight = self._key_weight[key_id]
            for n in self.postings[self._keys[key_id]]:
                counts[n] += weight
        ranked = sorted(counts.items(), key=lambda nw: (-nw[1], nw[0]))
        return [n for n, _ in ranked[:limit]]

    def _matrix(self) -> sparse.csr_array:
        if self._key_names is None:
            lengths = np.fromiter(self._key_df, dtype=np.int64, count=len(self._key_df))
            indptr = np.concatenate(([0], np.cumsum(lengths)))
            indices = np.fromiter(
                chain.from_iterable(self.postings[k] for k in self._keys),
                dtype=np.int64,
                count=int(indptr[-1]),
            )
            data = np.ones(len(indices), dtype=np.int64)
            shape = (len(self._key_df), self._n_names)
            self._key_names = sparse.csr_array((data, indices, indptr), shape=shape)
        return self._key_names

    def top_candidates(
        self, queries: Sequence[NormalName], limit: int
    ) -> tuple[IntArray, IntArray]:
        """``candidates`` for every query: parallel arrays (query index, name index),
        grouped by query in query order, each query's names best first."""
        rows: list[int] = []
        cols: list[int] = []
        for q, query in enumerate(queries):
            usable = self._usable(query)
            rows.extend([q] * len(usable))
            cols.extend(k for k, _ in usable)
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        weights = np.array(self._key_weight, dtype=np.int64)[cols]
        q_keys = sparse.csr_array(
            (weights, (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
            shape=(len(queries), len(self._key_df)),
        )
        key_names = self._matrix()
        out_q: list[IntArray] = []
        out_n: list[IntArray] = []
        for start in range(0, len(queries), _ROWS_PER_PRODUCT):
            block = q_keys[start : start + _ROWS_PER_PRODUCT]
            top_q, top_n = self._top_of_product(sparse.csr_array(block @ key_names), limit)
            out_q.append(top_q + start)
            out_n.append(top_n)
        return np.concatenate(out_q), np.concatenate(out_n)

    def _top_of_product(self, counts: sparse.csr_array, limit: int) -> tuple[IntArray, IntArray]:
        """Per row, the ``limit`` columns with the most weight, then lowest column: the
        order of ``candidates``."""
        sizes = np.diff(counts.indptr)
        row = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        col = counts.indices.astype(np.int64)
        value = counts.data.astype(np.int64)
        n_names = max(self._n_names, 1)
        top = int(value.max(initial=0)) + 1
        span = top * n_names
        if len(sizes) * span >= 2**62:  # too big for one int64 sort key
            order = np.lexsort((col, -value, row))[_first(counts.indptr, sizes, limit)]
            return row[order], col[order]
        # one int64 sort key per pair: row, then weight (most first), then column
        ordered = np.sort(row * span + (top - value) * n_names + col)
        ordered = ordered[_first(counts.indptr, sizes, limit)]
        return ordered // span, ordered % n_names


def _first(indptr: IntArray, sizes: IntArray, limit: int) -> IntArray:
    """Positions of the first ``limit`` pairs of each row, in pairs grouped by row
    (``indptr``, ``sizes``: where each row starts, how many it has)."""
    kept = np.minimum(sizes, limit)
    kept_starts = np.cumsum(kept) - kept
    first = np.repeat(indptr[:-1].astype(np.int64) - kept_starts, kept)
    return first + np.arange(len(first))


__all__ = ["BlockingIndex", "blocking_keys", "key_weight"]
