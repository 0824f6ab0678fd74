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
    name_value,
    score_address,
    score_country,
    score_names,
)
from raretrace.screening.ids import ambiguous_identity, compare_ids, index_key
from raretrace.screening.normalise import (
    NormalName,
    alternative_readings,
    name_variants,
    normalise,
    readings,
    skeleton,
)
from raretrace.screening.phonetic import pinyin_like
from raretrace.screening.prefilter import Prefilter
from raretrace.screening.siblings import SkeletonIndex, any_order, group_siblings
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
    #: (STROYTRANSGAZ OJSC / LLC / GROUP), or sharing an identity number (a passport,
    #: a UN reference number), which this subject also reached: one hit names them
    #: all (see ``siblings.group_siblings``)
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
                if person:
                    norm = replace(norm, initials="", initials_ok=False, person=True)
                elif len(norm.tokens) == 1 and norm.tokens[0] in spelled:
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
        #: identity numbers one list (list name and sub-list) carries on two of its
        #: entries: they make no two hits one party (``siblings.group_siblings``)
        self._ambiguous = ambiguous_identity(
            (f"{ie.list_name}\x1f{ie.entry.source}", ie.entry.ids)
            for ie in self.entries
            if ie.entry.ids
        )
        self._entry_names: dict[int, list[int]] = {}
        if self._by_id:
            for n, (i, _, _) in enumerate(self._names):
                self._entry_names.setdefault(i, []).append(n)
        self._unknown_weight = idf(1, total)
        self._entry_index = {id(ie): i for i, ie in enumerate(self.entries)}
        #: the cheap whole-name check before scoring (its arrays built on first use)
        self._prefilter = Prefilter([norm for _, _, norm in self._names])
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
                [i for i, _, _ in self._names],
            )
        rendered = self._translations.find(subject.name)
        if not rendered:
            return []
        scored = [(n, r.value) for n, r in rendered.items()]
        best = max((m.score for m in found), default=0.0)
        query = normalise(subject.name)
        if query.legal_forms and "han" in scripts_of((subject.name,)):
            # one pinyin syllable is no legal form (蓬佩奥 peng pei ao: not AO)
            forms = tuple(f for f in query.legal_forms if " " in f or not pinyin_like(f))
            query = replace(query, legal_forms=forms)
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
                    key = skeleton(query)
                    if key == skeleton(norm):
                        same = "same"
                    elif any_order(query) == any_order(norm) != "":
                        same = "same (words in another order)"
                    else:
                        same = "similar"
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
            plausible = self._prefilter.plausible(query, candidates, string_floor)
            scored = self._with_ids(subject, query, self._name_scores(query, plausible, name_floor))
            scored, skeletal = self._with_consonants(query, scored)
            found += self._matches(subject, query, scored, threshold, skeletal)
            if found and alternative_readings(subject.name):
                break
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
            keep = self._prefilter.plausible_pairs(with_tokens, rows, cands, string_floor)
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
                    if found and alternative_readings(subject.name):
                        break
                found += self._translated(subject, threshold, found)
                yield subject, self._merge(found, subject.name)

    def _merge(self, found: list[Match], name: str) -> list[Match]:
        """Each entry's best match over the subject's readings (of ``name``), best
        first, siblings (same name, or a shared identity number) grouped."""
        if len(found) < 2:
            return found
        best: dict[int, Match] = {}
        for m in found:
            idx = self._entry_index[id(m.indexed)]
            if idx not in best or m.score > best[idx].score:
                best[idx] = m
        return group_siblings(
            sorted(best.values(), key=_order),
            frozenset(normalise(name).legal_forms),
            self._ambiguous,
        )


__all__ = [
    "DEFAULT_THRESHOLD",
    "REVIEW_THRESHOLD",
    "IndexedEntry",
    "Match",
    "Matcher",
    "blocking_keys",
]
