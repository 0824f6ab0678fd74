"""Blocking index and matcher: screen many subjects against many list entries fast.

All-pairs comparison of 100k parties with 50k entries is 5e9 pairs; instead every
indexed name is filed under a few *blocking keys* (``blocking``). A subject is compared
only with the names that share the most keys with it (at most ``max_candidates``), a
cheap rapidfuzz check drops those that cannot reach the threshold, the name score is
computed for the rest, and the explained score only for what reaches the threshold.

``match`` screens one subject; ``match_many`` screens a batch and gives the same
result for each subject: it normalises and scores each distinct name once, finds the
candidates of all names with one sparse product per block, and runs the rapidfuzz
check over all (name, candidate) pairs in one ``cpdist`` call.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from raretrace.domain.screening import FeatureContribution, ListEntry, Subject
from raretrace.screening.blocking import BlockingIndex, blocking_keys
from raretrace.screening.evidence import (
    id_feature,
    is_person,
    score_entity_type,
    score_extra_words,
    score_person_names,
)
from raretrace.screening.feature_weights import CONSONANTS, TRANSLATED
from raretrace.screening.features import (
    MAX_BONUS,
    NAME_STRING,
    NAME_TOKENS,
    idf,
    initials_match,
    name_value,
    score_address,
    score_country,
    score_names,
)
from raretrace.screening.ids import compare_ids, index_key
from raretrace.screening.normalise import (
    NormalName,
    consonants,
    name_variants,
    normalise,
    readings,
)
from raretrace.screening.siblings import SkeletonIndex, group_siblings
from raretrace.screening.translate import Rendering, scripts_of, translatable
from raretrace.screening.translation_index import TranslationIndex

#: Default score a hit must reach; chosen on the labelled evaluation set
#: (``tests/screening/data``, see ``benchmarks/README.md``).
DEFAULT_THRESHOLD = 0.80
#: Default lower bound of the review band: near misses between it and the threshold
#: are listed separately for a reviewer (``--review``).
REVIEW_THRESHOLD = 0.65

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
    #: other entries listed under the same name once legal forms are set aside
    #: (STROYTRANSGAZ OJSC / LLC / GROUP), which this subject also reached: one hit
    #: names them all (see ``siblings.group_siblings``)
    siblings: tuple[IndexedEntry, ...] = ()


_NO_CONSONANTS = FeatureContribution(CONSONANTS.name, CONSONANTS.weight, 0.0, 0.0, "")
_NO_TRANSLATION = FeatureContribution(TRANSLATED.name, TRANSLATED.weight, 0.0, 0.0, "")


def _order(m: Match) -> tuple[float, str]:
    return (-m.score, m.indexed.entry.name)


class Matcher:
    """An in-memory index over list entries. Pure: build it, then ask it."""

    def __init__(self, entries: Iterable[IndexedEntry], *, max_candidates: int = 25) -> None:
        self.entries: list[IndexedEntry] = list(entries)
        self.max_candidates = max_candidates
        #: (entry index, name as listed, normalised name)
        self._names: list[tuple[int, str, NormalName]] = []
        for i, ie in enumerate(self.entries):
            found = [
                (variant, norm)
                for listed in ie.entry.names
                for variant in name_variants(listed)
                if (norm := normalise(variant)).tokens
            ]
            person = is_person(ie.entry)
            spelled = {norm.initials for _, norm in found if norm.initials}
            for variant, norm in found:
                # initials do not stand for a listed person, nor for an acronym the entry
                # spells out (a query with other words is not that entry: BIF is
                # Benevolence International Foundation, not Bosanska Idealna Futura)
                if person or (len(norm.tokens) == 1 and norm.tokens[0] in spelled):
                    norm = replace(norm, initials="", initials_ok=False)
                self._names.append((i, variant, norm))
        self._blocking = BlockingIndex([norm for _, _, norm in self._names])
        word_df: Counter[str] = Counter()
        for _, _, norm in self._names:
            word_df.update(set(norm.tokens))
        total = max(len(self._names), 1)
        self._weights = {w: idf(df, total) for w, df in word_df.items()}
        #: registration number -> entries carrying it (a shared number makes a candidate)
        self._by_id: dict[str, list[int]] = {}
        for i, ie in enumerate(self.entries):
            for scheme, value in ie.entry.ids:
                self._by_id.setdefault(index_key(scheme, value), []).append(i)
        self._entry_names: dict[int, list[int]] = {}
        if self._by_id:
            for n, (i, _, _) in enumerate(self._names):
                self._entry_names.setdefault(i, []).append(n)
        self._unknown_weight = idf(1, total)
        self._entry_index = {id(ie): i for i, ie in enumerate(self.entries)}
        # built on first batch use
        self._initial_ids: dict[str, int] | None = None
        self._sorted_texts: npt.NDArray[np.object_] | None = None
        self._compacts: npt.NDArray[np.object_] | None = None
        self._name_bags: npt.NDArray[np.int32] | None = None
        self._name_words: npt.NDArray[np.int64] | None = None
        self._name_initials = np.zeros(0, dtype=np.int64)
        self._name_single = np.zeros(0, dtype=np.int64)
        #: consonant skeletons of the names (built on first use by a name in an abjad)
        self._skeletons: SkeletonIndex | None = None
        #: listed names for names a list translates (built on first use by one)
        self._translations: TranslationIndex | None = None

    def __len__(self) -> int:
        return len(self.entries)

    @staticmethod
    def _floors(threshold: float) -> tuple[float, float]:
        """(name score, rapidfuzz ratio) a candidate must reach to be able to hit."""
        name_floor = threshold - MAX_BONUS
        string_floor = max(
            QUICK_FLOOR, (name_floor - NAME_TOKENS.weight) / NAME_STRING.weight * 100.0
        )
        return name_floor, string_floor

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
        if candidates:
            q_bags, _ = _letter_bags([query.compact], [query.tokens])
            n_bags, _ = self._bags()
            cand = np.array(candidates, dtype=np.int64)
            rows = np.zeros(len(candidates), dtype=np.int64)
            mask = self._contained_pairs([query], q_bags, n_bags, rows, cand)
            keep.update(cand[mask].tolist())
        return [n for n in candidates if n in keep]

    def _name_scores(
        self, query: NormalName, candidates: Iterable[int], name_floor: float
    ) -> list[tuple[int, float]]:
        """(candidate, name score) of the candidates whose name score reaches the floor."""
        out = []
        for n in candidates:
            value = name_value(
                query, self._names[n][2], self._weights, self._unknown_weight, name_floor
            )
            if value >= name_floor:
                out.append((n, value))
        return out

    def _with_ids(
        self, subject: Subject, query: NormalName, scored: list[tuple[int, float]]
    ) -> list[tuple[int, float]]:
        """``scored`` plus every name of the entries sharing a registration number with
        the subject, whatever their name score (the number is the evidence)."""
        if not subject.ids or not self._by_id:
            return scored
        have = {n for n, _ in scored}
        extra = []
        for scheme, value in subject.ids:
            for idx in self._by_id.get(index_key(scheme, value), ()):
                for n in self._entry_names.get(idx, ()):
                    if n not in have:
                        have.add(n)
                        value_n = name_value(
                            query, self._names[n][2], self._weights, self._unknown_weight, 0.0
                        )
                        extra.append((n, value_n))
        return [*scored, *extra]

    def _with_consonants(
        self, query: NormalName, scored: list[tuple[int, float]]
    ) -> tuple[list[tuple[int, float]], set[int]]:
        """``SkeletonIndex.add_to`` over this matcher's names (index built on first use)."""
        if not query.abjad:
            return scored, set()
        if self._skeletons is None:
            self._skeletons = SkeletonIndex((listed, norm) for _, listed, norm in self._names)
        return self._skeletons.add_to(query, scored)

    def _translated(self, subject: Subject, threshold: float, found: list[Match]) -> list[Match]:
        """Matches of a name in Chinese characters or Arabic script on listed names in
        Latin letters that render it by translation and sound (``translate``), those
        scoring at least as high as the best match already ``found`` (a rendering is
        weaker evidence than a name that reads as the listed one)."""
        if not translatable(subject.name):
            return []
        if self._translations is None:
            self._translations = TranslationIndex(
                ((listed, norm) for _, listed, norm in self._names),
                [scripts_of(self.entries[i].entry.names) for i, _, _ in self._names],
                [is_person(self.entries[i].entry) for i, _, _ in self._names],
            )
        rendered = self._translations.find(subject.name)
        if not rendered:
            return []
        scored = [(n, r.value) for n, r in rendered.items()]
        best = max((m.score for m in found), default=0.0)
        query = normalise(subject.name)
        out = self._matches(subject, query, scored, threshold, (), rendered)
        return [m for m in out if m.score >= best]

    def _matches(
        self,
        subject: Subject,
        query: NormalName,
        scored: Sequence[tuple[int, float]],
        threshold: float,
        skeletal: Collection[int] = (),
        rendered: Mapping[int, Rendering] | None = None,
    ) -> list[Match]:
        """Add the supporting evidence to the name scores; explain what reaches ``threshold``.
        ``skeletal``: names scored by their consonants (``_with_consonants``);
        ``rendered``: names scored as translations (``_translated``)."""
        rendered = rendered or {}
        best: dict[int, Match] = {}
        name_floor = threshold - MAX_BONUS
        for n, value in scored:
            idx, listed, norm = self._names[n]
            entry = self.entries[idx].entry
            support = (
                score_country(subject.country, entry.countries),
                score_address(subject.addresses, entry.addresses),
                score_entity_type(query, entry),
            )
            score = value + sum(f.contribution for f in support)
            id_evidence = compare_ids(
                subject.ids,
                entry.ids,
                subject_country=subject.country,
                entry_countries=entry.countries,
            )
            if score < threshold and (id_evidence is None or not id_evidence.equal):
                continue
            # an equal number may carry a name below the floor: explain it exactly
            floor = 0.0 if id_evidence is not None and id_evidence.equal else name_floor
            names = score_names(query, norm, self._weights, self._unknown_weight, floor)
            name_feats = names.features
            by_consonants, by_translation = _NO_CONSONANTS, _NO_TRANSLATION
            if n in rendered or n in skeletal:  # these stand for the name's words
                name_feats = tuple(replace(f, contribution=0.0) for f in name_feats)
                given = score_person_names("", listed, entry)
                extra = score_extra_words(query, norm, "")
                if n in rendered:
                    r = rendered[n]
                    by_translation = replace(
                        by_translation, value=r.similarity, contribution=value, detail=r.detail()
                    )
                else:
                    key = consonants(query.compact)
                    same = "same" if key == consonants(norm.compact) else "similar"
                    detail = f"{same} consonants '{key}' as '{norm.compact}'"
                    by_consonants = replace(
                        by_consonants, value=1.0, contribution=value, detail=detail
                    )
            else:
                given = score_person_names(names.features[0].detail, listed, entry, query)
                extra = score_extra_words(query, norm, names.features[0].detail)
            score = score + given.contribution + extra.contribution
            by_id = id_feature(id_evidence, score)
            score = min(1.0, max(0.0, score + by_id.contribution))
            if score < threshold:
                continue
            if idx not in best or score > best[idx].score:
                feats = (*name_feats, *support, given, extra, by_id, by_consonants, by_translation)
                best[idx] = Match(self.entries[idx], listed, round(score, 4), feats)
        return sorted(best.values(), key=_order)

    def match(self, subject: Subject, threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
        """Entries whose score reaches ``threshold``, best first (one match per entry;
        entries listed under the same name grouped, see ``siblings.group_siblings``)."""
        name_floor, string_floor = self._floors(threshold)
        found: list[Match] = []
        for reading in readings(subject.name):
            query = normalise(reading)
            if not query.tokens:
                continue
            candidates = self._blocking.candidates(query, self.max_candidates)
            plausible = self._plausible(query, candidates, string_floor)
            scored = self._with_ids(subject, query, self._name_scores(query, plausible, name_floor))
            scored, skeletal = self._with_consonants(query, scored)
            found += self._matches(subject, query, scored, threshold, skeletal)
        found += self._translated(subject, threshold, found)
        return self._merge(found, subject.name)

    def match_many(
        self,
        subjects: Sequence[Subject],
        threshold: float = DEFAULT_THRESHOLD,
        *,
        block: int = 20_000,
    ) -> Iterator[tuple[Subject, list[Match]]]:
        """``(subject, match(subject))`` for each subject, in order, computed in batches
        of ``block`` distinct names (see the module docstring)."""
        name_floor, string_floor = self._floors(threshold)
        scored: dict[str, list[tuple[int, float]]] = {}
        for start in range(0, len(subjects), block):
            part = subjects[start : start + block]
            new = list(dict.fromkeys(r for s in part for r in readings(s.name) if r not in scored))
            queries = [normalise(name) for name in new]
            with_tokens = [q for q in queries if q.tokens]
            rows, cands = self._blocking.top_candidates(with_tokens, self.max_candidates)
            keep = self._plausible_pairs(with_tokens, rows, cands, string_floor)
            rows, cands = rows[keep], cands[keep]
            bounds = np.searchsorted(rows, np.arange(len(with_tokens) + 1))
            cand_list = cands.tolist()
            for q, query in enumerate(with_tokens):
                cands_q = cand_list[bounds[q] : bounds[q + 1]]
                scored[query.original] = self._name_scores(query, cands_q, name_floor)
            for name in new:
                scored.setdefault(name, [])
            for subject in part:
                found: list[Match] = []
                for reading in readings(subject.name):
                    found_scores = scored[reading]
                    query = normalise(reading)
                    if not found_scores and not subject.ids and not query.abjad:
                        continue
                    found_scores = self._with_ids(subject, query, found_scores)
                    found_scores, skeletal = self._with_consonants(query, found_scores)
                    found += self._matches(subject, query, found_scores, threshold, skeletal)
                found += self._translated(subject, threshold, found)
                yield subject, self._merge(found, subject.name)

    def _merge(self, found: list[Match], name: str) -> list[Match]:
        """Each entry's best match over the subject's readings (of ``name``), best
        first, siblings grouped."""
        if len(found) < 2:
            return found
        best: dict[int, Match] = {}
        for m in found:
            idx = self._entry_index[id(m.indexed)]
            if idx not in best or m.score > best[idx].score:
                best[idx] = m
        return group_siblings(
            sorted(best.values(), key=_order), frozenset(normalise(name).legal_forms)
        )

    def _plausible_pairs(
        self,
        queries: Sequence[NormalName],
        rows: npt.NDArray[np.int64],
        cands: npt.NDArray[np.int64],
        floor: float,
    ) -> npt.NDArray[np.bool_]:
        """``_plausible`` for (query, candidate) pairs: a mask over the pairs.

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
            ratios = process.cpdist(
                mine[rows[todo]].tolist(),
                texts[cands[todo]].tolist(),
                scorer=fuzz.ratio,
                score_cutoff=floor,
                dtype=np.float64,
                workers=-1,
            )
            keep[todo[ratios >= floor]] = True
        initials, single = self._initials_arrays()
        ids = self._initial_ids or {}
        q_initials = np.array([ids.get(q.initials, -3) for q in queries], dtype=np.int64)
        q_single = np.array([ids.get(_single(q), -4) for q in queries], dtype=np.int64)
        keep |= initials[cands] == q_single[rows]
        keep |= single[cands] == q_initials[rows]
        keep |= self._contained_pairs(queries, q_bags, n_bags, rows, cands)
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
            ratios = process.cpdist(
                mine[rows[todo]].tolist(),
                texts[cands[todo]].tolist(),
                scorer=fuzz.token_set_ratio,
                score_cutoff=CONTAINED_RATIO,
                dtype=np.float64,
                workers=-1,
            )
            out[todo[ratios < CONTAINED_RATIO]] = False
        return out

    def _texts(self) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
        """Per indexed name, its sorted words and its letters without spaces."""
        if self._sorted_texts is None or self._compacts is None:
            norms = [norm for _, _, norm in self._names]
            self._sorted_texts = np.array([n.sorted_text for n in norms], dtype=object)
            self._compacts = np.array([n.compact for n in norms], dtype=object)
        return self._sorted_texts, self._compacts

    def _bags(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """``_letter_bags`` of the indexed names."""
        if self._name_bags is None or self._name_words is None:
            norms = [norm for _, _, norm in self._names]
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
                    for _, _, norm in self._names
                ],
                dtype=np.int64,
            )
            self._name_single = np.array(
                [
                    ids.setdefault(s, len(ids)) if (s := _single(norm)) else -2
                    for _, _, norm in self._names
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


__all__ = [
    "DEFAULT_THRESHOLD",
    "REVIEW_THRESHOLD",
    "IndexedEntry",
    "Match",
    "Matcher",
    "blocking_keys",
]
