"""Blocking: which indexed names a subject is compared with at all.

Every indexed name is filed under a few *blocking keys* (its words, the first and last
four letters of long words, the first six letters of the name without spaces, its
initials). A subject's candidates are the names sharing the most keys with it. Keys
found in more than ``max_df`` names (common words) are not used, unless the subject has
nothing else: then its two rarest keys are.

``candidates`` does this for one subject with a ``Counter``; ``top_candidates`` for
many at once with a sparse product (subjects x keys) @ (keys x names) and one sort, and
picks the same names in the same order, ties included: ``Counter.most_common`` keeps
first-seen order among equal counts, and a name is first seen in the first of the
subject's key lists (in key order) that holds it, at its position there (lists are in
name order). So each key of a subject contributes the bit ``2 ** (52 - rank)``: the
product's sum per (subject, name) has as many bits set as shared keys, and its highest
bit is the rank of the first shared key. Subjects with more than 53 usable keys (very
long names) take the one-subject path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain

import numpy as np
import numpy.typing as npt
from scipy import sparse

from raretrace.screening.normalise import BRANCH_WORDS, NormalName, phonetic_key

_BITS = 53  #: keys per subject that the float64 highest-bit trick handles exactly
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
        """The (at most ``limit``) names sharing the most keys with ``query``, best first."""
        keys = sorted(blocking_keys(query))  # sorted: ties are broken the same way each run
        lists = [p for k in keys if (p := self.postings.get(k))]
        if not lists:
            return []
        usable = [p for p in lists if len(p) <= self.max_df]
        if not usable:  # only very common words: fall back to the two rarest keys
            usable = sorted(lists, key=len)[:2]
        counts = Counter(chain.from_iterable(usable))
        return [n for n, _ in counts.most_common(limit)]

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
        bits: list[int] = []
        slow: list[int] = []
        for q, query in enumerate(queries):
            usable = self._usable(query)
            if len(usable) > _BITS:
                slow.append(q)
                continue
            rows.extend([q] * len(usable))
            cols.extend(k for k, _ in usable)
            bits.extend(1 << (_BITS - 1 - rank) for rank in range(len(usable)))
        out_q: list[IntArray] = []
        out_n: list[IntArray] = []
        if rows:
            q_keys = sparse.csr_array(
                (
                    np.array(bits, dtype=np.int64),
                    (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)),
                ),
                shape=(len(queries), len(self._key_df)),
            )
            key_names = self._matrix()
            for start in range(0, len(queries), _ROWS_PER_PRODUCT):
                block = q_keys[start : start + _ROWS_PER_PRODUCT]
                top_q, top_n = self._top_of_product(sparse.csr_array(block @ key_names), limit)
                out_q.append(top_q + start)
                out_n.append(top_n)
        for q in slow:
            found = self.candidates(queries[q], limit)
            out_q.append(np.full(len(found), q, dtype=np.int64))
            out_n.append(np.array(found, dtype=np.int64))
        if not out_q:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        q_all, n_all = np.concatenate(out_q), np.concatenate(out_n)
        order = np.argsort(q_all, kind="stable")  # the slow queries back in their place
        return q_all[order], n_all[order]

    def _top_of_product(self, counts: sparse.csr_array, limit: int) -> tuple[IntArray, IntArray]:
        """Per row, the ``limit`` columns with most bits set, then highest top bit, then
        lowest column: the order of ``Counter.most_common`` in ``candidates``."""
        sizes = np.diff(counts.indptr)
        row = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        col = counts.indices.astype(np.int64)
        value = counts.data.astype(np.int64)
        shared = np.bitwise_count(value).astype(np.int64)
        first_rank = _BITS - np.frexp(value.astype(np.float64))[1]  # value < 2**53: exact
        n_names = max(self._n_names, 1)
        within = ((_BITS + 1 - shared) * (_BITS + 1) + first_rank) * n_names + col
        span = (_BITS + 2) * (_BITS + 1) * n_names
        ordered = np.sort(row * span + within)
        # the first ``limit`` of each row: row start + 0, 1, ... (kept - 1)
        kept = np.minimum(sizes, limit)
        kept_starts = np.cumsum(kept) - kept
        first = np.repeat(counts.indptr[:-1].astype(np.int64) - kept_starts, kept)
        ordered = ordered[first + np.arange(len(first))]
        return ordered // span, ordered % n_names


__all__ = ["BlockingIndex", "blocking_keys"]
