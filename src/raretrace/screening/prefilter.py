"""The cheap check before a candidate name is scored: whole-name similarity.

A candidate the blocking index found is scored only when its whole name is similar
enough to the query's to be able to reach the threshold: rapidfuzz ``ratio`` of the
sorted words or of the letters without spaces at least the floor, or one name the
other's initials, or one name held whole in the other (``Gulf Gate Shipping`` in ``Gulf
Gate Shipping Dubai Branch``). ``plausible`` checks one query's candidates;
``plausible_pairs`` many (query, candidate) pairs at once, first dropping the pairs
whose letters in common (as multisets) bound the ratio below the floor, then one
``cpdist`` call per metric.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from raretrace.screening.features import initials_match, spelled_run
from raretrace.screening.normalise import NormalName


def spelled_match(query: NormalName, listed: NormalName) -> bool:
    """A name written with initials ("Dobrodeev O.B.") against a listed person's: its
    other words all in the listed name, and each word of initials the first letters of
    consecutive listed words (Oleg Borisovich DOBRODEEV)."""
    if not listed.person:
        return False
    words = listed.tokens
    rest = [t for i, t in enumerate(query.tokens) if i not in query.initials_at]
    if not rest or any(t not in words for t in rest):
        return False
    everywhere = range(len(words))
    return all(
        spelled_run(query.tokens[i], words, everywhere) is not None for i in query.initials_at
    )


class Prefilter:
    """The indexed names' texts, letter counts and initials, built on first use."""

    def __init__(self, norms: Sequence[NormalName]) -> None:
        self._norms = list(norms)
        self._initial_ids: dict[str, int] | None = None
        self._sorted_texts: npt.NDArray[np.object_] | None = None
        self._compacts: npt.NDArray[np.object_] | None = None
        self._name_bags: npt.NDArray[np.int32] | None = None
        self._name_words: npt.NDArray[np.int64] | None = None
        self._name_initials = np.zeros(0, dtype=np.int64)
        self._name_single = np.zeros(0, dtype=np.int64)

    def plausible(self, query: NormalName, candidates: list[int], floor: float) -> list[int]:
        """Candidates whose whole-name similarity reaches ``floor`` (one C call per metric)."""
        names = self._norms
        keep: set[int] = set()
        for attr, text in (("sorted_text", query.sorted_text), ("compact", query.compact)):
            choices = [getattr(names[n], attr) for n in candidates]
            found = process.extract(
                text, choices, scorer=fuzz.ratio, score_cutoff=floor, limit=None
            )
            keep.update(candidates[i] for _, _, i in found)
        keep.update(n for n in candidates if initials_match(query, names[n]))
        if query.initials_at:
            keep.update(n for n in candidates if spelled_match(query, names[n]))
        if candidates:
            q_bags, _ = _letter_bags([query.compact], [query.tokens])
            n_bags, _ = self._bags()
            cand = np.array(candidates, dtype=np.int64)
            rows = np.zeros(len(candidates), dtype=np.int64)
            mask = self._contained_pairs([query], q_bags, n_bags, rows, cand)
            keep.update(cand[mask].tolist())
        return [n for n in candidates if n in keep]

    def plausible_pairs(
        self,
        queries: Sequence[NormalName],
        rows: npt.NDArray[np.int64],
        cands: npt.NDArray[np.int64],
        floor: float,
    ) -> npt.NDArray[np.bool_]:
        """``plausible`` for (query, candidate) pairs: a mask over the pairs.

        rapidfuzz ``ratio`` is 200 * LCS / (sum of lengths), and the longest common
        subsequence has at most as many letters as the two names have in common (as
        multisets), so pairs for which that bound is below ``floor`` are dropped
        before the ``cpdist`` calls without changing the result.
        """
        if len(rows) == 0:
            return np.zeros(0, dtype=np.bool_)
        keep = np.zeros(len(rows), dtype=np.bool_)
        q_bags, q_words = _letter_bags([q.compact for q in queries], [q.tokens for q in queries])
        n_bags, n_words = self._bags()
        common = np.zeros(len(rows), dtype=np.int64)
        for start in range(0, len(rows), _PAIRS_PER_CHUNK):
            r, c = rows[start : start + _PAIRS_PER_CHUNK], cands[start : start + _PAIRS_PER_CHUNK]
            common[start : start + len(r)] = np.minimum(q_bags[r, :37], n_bags[c, :37]).sum(axis=1)
        letters = q_bags[rows, 37].astype(np.int64) + n_bags[cands, 37]
        spaces = q_words[rows] - 1, n_words[cands] - 1
        # one-ulp margin: rapidfuzz's float may round the other way
        upper = {
            "compact": 200.0 * common / letters,
            "sorted_text": 200.0
            * (common + np.minimum(*spaces))
            / (letters + spaces[0] + spaces[1]),
        }
        for attr, texts in zip(("sorted_text", "compact"), self._texts(), strict=True):
            todo = np.flatnonzero(upper[attr] >= floor - 1e-9)
            mine = np.array([getattr(q, attr) for q in queries], dtype=object)
            ratios = _pair_scores(mine[rows[todo]], texts[cands[todo]], fuzz.ratio, floor)
            keep[todo[ratios >= floor]] = True
        initials, single = self._initials_arrays()
        ids = self._initial_ids or {}
        q_initials = np.array([ids.get(q.initials, -3) for q in queries], dtype=np.int64)
        q_single = np.array([ids.get(_single(q), -4) for q in queries], dtype=np.int64)
        keep |= initials[cands] == q_single[rows]
        keep |= single[cands] == q_initials[rows]
        keep |= self._contained_pairs(queries, q_bags, n_bags, rows, cands)
        spelled = [k for k, q in enumerate(queries) if q.initials_at]
        if spelled:  # few queries write a person's names as initials: one by one
            for p in np.flatnonzero(np.isin(rows, spelled)):
                if not keep[p] and spelled_match(queries[rows[p]], self._norms[cands[p]]):
                    keep[p] = True
        return keep

    def _contained_pairs(
        self,
        queries: Sequence[NormalName],
        q_bags: npt.NDArray[np.int32],
        n_bags: npt.NDArray[np.int32],
        rows: npt.NDArray[np.int64],
        cands: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.bool_]:
        """Pairs in which one name may hold the other whole (``Gulf Gate Shipping`` in
        ``Gulf Gate Shipping Dubai Branch``): nearly all the shorter name's letters are
        in the longer (a cheap bound), and rapidfuzz ``token_set_ratio`` of the two
        names' words reaches ``CONTAINED_RATIO``."""
        out = _contained(q_bags, n_bags, rows, cands)
        todo = np.flatnonzero(out)
        if len(todo):
            texts = self._texts()[0]
            mine = np.array([q.sorted_text for q in queries], dtype=object)
            ratios = _pair_scores(
                mine[rows[todo]], texts[cands[todo]], fuzz.token_set_ratio, CONTAINED_RATIO
            )
            out[todo[ratios < CONTAINED_RATIO]] = False
        return out

    def _texts(self) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
        """Per indexed name, its sorted words and its letters without spaces."""
        if self._sorted_texts is None or self._compacts is None:
            norms = self._norms
            self._sorted_texts = np.array([n.sorted_text for n in norms], dtype=object)
            self._compacts = np.array([n.compact for n in norms], dtype=object)
        return self._sorted_texts, self._compacts

    def _bags(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """``_letter_bags`` of the indexed names."""
        if self._name_bags is None or self._name_words is None:
            norms = self._norms
            self._name_bags, self._name_words = _letter_bags(
                [n.compact for n in norms], [n.tokens for n in norms]
            )
        return self._name_bags, self._name_words

    def _initials_arrays(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Per indexed name, ids of its initials and of its single word (for
        ``initials_match``); -1 / -2 where it has none."""
        if self._initial_ids is None:
            ids: dict[str, int] = {}
            self._name_initials = np.array(
                [
                    ids.setdefault(norm.initials, len(ids)) if norm.initials else -1
                    for norm in self._norms
                ],
                dtype=np.int64,
            )
            self._name_single = np.array(
                [
                    ids.setdefault(s, len(ids)) if (s := _single(norm)) else -2
                    for norm in self._norms
                ],
                dtype=np.int64,
            )
            self._initial_ids = ids
        return self._name_initials, self._name_single


_PAIRS_PER_CHUNK = 200_000
#: letter classes of ``_letter_bags``: a-z, 0-9, anything else
_BAG_CLASS = np.full(256, 36, dtype=np.int64)
_BAG_CLASS[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)] = np.arange(36)


def _letter_bags(
    compacts: Sequence[str], tokens: Sequence[tuple[str, ...]]
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
    """Per name, how often each letter class occurs in it (37 columns) plus its length
    in characters (last column), and its number of words. Merging letters into one class ("anything
    else", and each byte of a non-ASCII letter) can only raise the common count, so the
    bound built on it stays an upper bound."""
    data = [c.encode() for c in compacts]
    n_bytes = np.fromiter((len(d) for d in data), dtype=np.int64, count=len(data))
    owner = np.repeat(np.arange(len(data), dtype=np.int64), n_bytes)
    letters = _BAG_CLASS[np.frombuffer(b"".join(data), dtype=np.uint8)]
    counts = np.bincount(owner * 37 + letters, minlength=len(data) * 37).reshape(-1, 37)
    n_chars = np.fromiter((len(c) for c in compacts), dtype=np.int64, count=len(compacts))
    bags = np.concatenate((counts, n_chars[:, None]), axis=1).astype(np.int32)
    words = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    return bags, words


#: Share of the shorter name's letters the longer must hold for a pair to be kept as a
#: possible containment ("Gulf Gate Shipping" in "Gulf Gate Shipping Dubai Branch").
CONTAINED_LETTERS = 0.9
#: rapidfuzz token_set_ratio a pair kept as a possible containment must reach.
CONTAINED_RATIO = 85.0


def _contained(
    q_bags: npt.NDArray[np.int32],
    n_bags: npt.NDArray[np.int32],
    rows: npt.NDArray[np.int64],
    cands: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    """Pairs whose shorter name's letters (as a multiset) are nearly all in the longer."""
    out = np.zeros(len(rows), dtype=np.bool_)
    for start in range(0, len(rows), _PAIRS_PER_CHUNK):
        r, c = rows[start : start + _PAIRS_PER_CHUNK], cands[start : start + _PAIRS_PER_CHUNK]
        qb, nb = q_bags[r], n_bags[c]
        common = np.minimum(qb[:, :37], nb[:, :37]).sum(axis=1)
        shorter = np.minimum(qb[:, 37], nb[:, 37])
        out[start : start + len(r)] = (shorter >= 3) & (common >= CONTAINED_LETTERS * shorter)
    return out


def _single(name: NormalName) -> str:
    """The name's only word when ``initials_match`` may compare it with initials, else ""."""
    return name.tokens[0] if len(name.tokens) == 1 and len(name.tokens[0]) >= 3 else ""


__all__ = ["CONTAINED_LETTERS", "CONTAINED_RATIO", "Prefilter"]


def _pair_scores(
    left: npt.NDArray[np.object_], right: npt.NDArray[np.object_], scorer: Any, cutoff: float
) -> npt.NDArray[np.float64]:
    """``scorer`` of each pair ``(left[i], right[i])`` (0 below ``cutoff``), on every core."""
    out: npt.NDArray[np.float64] = process.cpdist(
        left.tolist(), right.tolist(), scorer=scorer, score_cutoff=cutoff,
        dtype=np.float64, workers=-1,
    )  # fmt: skip
    return out
