"""Blocking index and matcher: screen many subjects against many list entries fast.

All-pairs comparison of 100k parties with 50k entries is 5e9 pairs; instead every
indexed name is filed under a few *blocking keys* (its words, the first and last four
letters of long words, the first six letters of the name without spaces, its
initials). A subject is compared only with the names that share the most keys with
it (at most ``max_candidates``), and a cheap rapidfuzz check drops those that cannot
reach the threshold before the explained score is computed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain

from rapidfuzz import fuzz, process

from raretrace.domain.screening import FeatureContribution, ListEntry, Subject
from raretrace.screening.features import (
    MAX_BONUS,
    NAME_STRING,
    NAME_TOKENS,
    idf,
    initials_match,
    score_address,
    score_country,
    score_names,
)
from raretrace.screening.normalise import NormalName, name_variants, normalise

#: Default score a hit must reach; chosen on the labelled evaluation set
#: (``tests/screening/data``, see ``benchmarks/README.md``).
DEFAULT_THRESHOLD = 0.80

#: A candidate whose whole-name similarity (rapidfuzz token_sort_ratio, or ratio without
#: spaces) is below this is not scored. A heuristic, not a bound: a pair this unlike
#: in letters practically never shares >= 85 % of its words, which the threshold
#: would then demand. Measured on the evaluation set, it loses no true hit.
QUICK_FLOOR = 60.0


@dataclass(frozen=True, slots=True)
class IndexedEntry:
    """A list entry with the list (and stored version) it comes from."""

    list_name: str
    version_id: int | None
    entry: ListEntry


@dataclass(frozen=True, slots=True)
class Match:
    """The best-scoring name of one entry for one subject, with its explanation."""

    indexed: IndexedEntry
    matched_name: str
    score: float
    features: tuple[FeatureContribution, ...]


def blocking_keys(name: NormalName) -> set[str]:
    keys = {"t:" + t for t in name.tokens}
    for t in name.tokens:
        if len(t) >= 5:
            keys.add("p:" + t[:4])
            keys.add("s:" + t[-4:])
    if len(name.compact) >= 6:
        keys.add("c:" + name.compact[:6])
    if len(name.tokens) == 1 and len(name.tokens[0]) >= 3:
        keys.add("i:" + name.tokens[0])
    elif len(name.initials) >= 3:
        keys.add("i:" + name.initials)
    return keys


class Matcher:
    """An in-memory index over list entries. Pure: build it, then ask it."""

    def __init__(self, entries: Iterable[IndexedEntry], *, max_candidates: int = 25) -> None:
        self.entries: list[IndexedEntry] = list(entries)
        self.max_candidates = max_candidates
        #: (entry index, name as listed, normalised name)
        self._names: list[tuple[int, str, NormalName]] = []
        for i, ie in enumerate(self.entries):
            for listed in ie.entry.names:
                for variant in name_variants(listed):
                    norm = normalise(variant)
                    if norm.tokens:
                        self._names.append((i, variant, norm))
        postings: dict[str, list[int]] = {}
        word_df: Counter[str] = Counter()
        for n, (_, _, norm) in enumerate(self._names):
            word_df.update(set(norm.tokens))
            for key in blocking_keys(norm):
                postings.setdefault(key, []).append(n)
        self._postings = postings
        total = max(len(self._names), 1)
        self._weights = {w: idf(df, total) for w, df in word_df.items()}
        self._unknown_weight = idf(1, total)
        self._max_df = max(200, total // 100)

    def __len__(self) -> int:
        return len(self.entries)

    def _candidates(self, query: NormalName) -> list[int]:
        keys = sorted(blocking_keys(query))  # sorted: ties are broken the same way each run
        lists = [p for k in keys if (p := self._postings.get(k))]
        if not lists:
            return []
        usable = [p for p in lists if len(p) <= self._max_df]
        if not usable:  # only very common words: fall back to the two rarest keys
            usable = sorted(lists, key=len)[:2]
        counts = Counter(chain.from_iterable(usable))
        return [n for n, _ in counts.most_common(self.max_candidates)]

    def _plausible(self, query: NormalName, candidates: list[int], floor: float) -> list[int]:
        """Candidates whose whole-name similarity reaches ``floor`` (one C call per metric)."""
        names = self._names
        keep: set[int] = set()
        for attr, text in (("sorted_text", query.sorted_text), ("compact", query.compact)):
            choices = [getattr(names[n][2], attr) for n in candidates]
            found = process.extract(
                text, choices, scorer=fuzz.ratio, score_cutoff=floor, limit=None
            )
            keep.update(candidates[i] for _, _, i in found)
        keep.update(n for n in candidates if initials_match(query, names[n][2]))
        return [n for n in candidates if n in keep]

    def match(self, subject: Subject, threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
        """Entries whose score reaches ``threshold``, best first (one match per entry)."""
        best: dict[int, Match] = {}
        name_floor = threshold - MAX_BONUS
        string_floor = max(
            QUICK_FLOOR, (name_floor - NAME_TOKENS.weight) / NAME_STRING.weight * 100.0
        )
        query = normalise(subject.name)
        if query.tokens:
            candidates = self._plausible(query, self._candidates(query), string_floor)
            for n in candidates:
                idx, listed, norm = self._names[n]
                names = score_names(query, norm, self._weights, self._unknown_weight, name_floor)
                if names.value < name_floor:
                    continue
                entry = self.entries[idx].entry
                support = (
                    score_country(subject.country, entry.countries),
                    score_address(subject.addresses, entry.addresses),
                )
                score = min(1.0, max(0.0, names.value + sum(f.contribution for f in support)))
                if score < threshold:
                    continue
                if idx not in best or score > best[idx].score:
                    feats = (*names.features, *support)
                    best[idx] = Match(self.entries[idx], listed, round(score, 4), feats)
        return sorted(best.values(), key=lambda m: (-m.score, m.indexed.entry.name))

    def match_many(
        self, subjects: Sequence[Subject], threshold: float = DEFAULT_THRESHOLD
    ) -> Iterator[tuple[Subject, list[Match]]]:
        for subject in subjects:
            yield subject, self.match(subject, threshold)


__all__ = ["DEFAULT_THRESHOLD", "IndexedEntry", "Match", "Matcher", "blocking_keys"]
