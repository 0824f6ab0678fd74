"""Entries listed under one name, and names compared by their consonants.

``group_siblings``: hits on entries whose matched names are the same once legal forms,
stop words and word order are set aside (STROYTRANSGAZ OJSC / LLC) become one hit naming
the others. ``SkeletonIndex``: names in Arabic or Hebrew script, written mostly without
vowels, compared with listed names by their consonant skeletons.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from raretrace.domain.screening import FeatureContribution
from raretrace.screening.feature_weights import CONSONANTS
from raretrace.screening.normalise import NormalName, consonants, normalise

if TYPE_CHECKING:
    from raretrace.screening.matcher import Match

#: Fewest consonants a skeleton needs to be compared: three-consonant skeletons are
#: shared by too many names (hms: Hamas, Hamms, Homs).
SKELETON_MIN = 4


def _order(m: Match) -> tuple[float, str]:
    return (-m.score, m.indexed.entry.name)


def group_siblings(found: list[Match], forms: frozenset[str] = frozenset()) -> list[Match]:
    """One match per group of entries whose matched names are the same once legal
    forms, stop words and word order are set aside (a company listed as OJSC and as
    LLC, an entry repeated by another list): the best-scoring one, naming the others in
    ``siblings`` and in a ``siblings`` feature (nothing added to the score). An
    analyst reviews the group once; which sibling a party is stays for the review.
    Among siblings of equal score, the one whose legal form the subject's name
    (legal ``forms``) also has leads ("Stroytransgaz LLC": the LLC). ``found`` is
    best first; so is the result."""
    if len(found) < 2:
        return found
    first: dict[tuple[str, frozenset[str]], int] = {}
    groups: list[list[Match]] = []
    for m in found:
        norm = normalise(m.matched_name)
        key = (norm.sorted_text, norm.designators)
        if key[0] and key in first:
            groups[first[key]].append(m)
        else:
            first[key] = len(groups)
            groups.append([m])
    if len(groups) == len(found):
        return found
    out = []
    for group in groups:
        if forms and len(group) > 1:
            lead = next(
                (
                    m
                    for m in group
                    if m.score == group[0].score
                    and forms & set(normalise(m.matched_name).legal_forms)
                ),
                group[0],
            )
            group.remove(lead)
            group.insert(0, lead)
        best, *others = group
        if others:
            listed = "; ".join(
                f"{o.indexed.entry.name} ({o.indexed.list_name} {o.indexed.entry.entry_key}, "
                f"{o.score:.2f})"
                for o in others
            )
            note = FeatureContribution(
                "siblings",
                0.0,
                float(len(others)),
                0.0,
                f"also listed under the same name: {listed}",
            )
            best = replace(
                best,
                siblings=tuple(o.indexed for o in others),
                features=(*best.features, note),
            )
        out.append(best)
    return sorted(out, key=_order)


class SkeletonIndex:
    """Consonant skeleton -> positions of the names that have it (a listed
    "SURNAME, Given" also under "Given Surname")."""

    def __init__(self, names: Iterable[tuple[str, NormalName]]) -> None:
        self._by_key: dict[str, list[int]] = {}
        for n, (listed, norm) in enumerate(names):
            keys = {consonants(norm.compact)}
            if "," in listed:  # SURNAME, Given is written Given Surname
                surname, given = listed.split(",", 1)
                keys.add(consonants(normalise(f"{given} {surname}").compact))
            for k in keys:
                if len(k) >= SKELETON_MIN:
                    self._by_key.setdefault(k, []).append(n)

    def add_to(
        self, query: NormalName, scored: list[tuple[int, float]]
    ) -> tuple[list[tuple[int, float]], set[int]]:
        """For a name in Arabic or Hebrew script: ``scored`` (name position, name score)
        with the names whose skeleton equals its own (``SKELETON_MIN`` consonants or
        more) valued at ``CONSONANTS`` where their name score is lower; and which those
        are."""
        key = consonants(query.compact)
        if not query.abjad or len(key) < SKELETON_MIN:
            return scored, set()
        found = self._by_key.get(key, [])
        if not found:
            return scored, set()
        values = dict(scored)
        skeletal = {n for n in found if values.get(n, 0.0) < CONSONANTS.weight}
        for n in skeletal:
            values[n] = CONSONANTS.weight
        return list(values.items()), skeletal


__all__ = ["SKELETON_MIN", "SkeletonIndex", "group_siblings"]
