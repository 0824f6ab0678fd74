"""Explanations a reviewer reads: what counted for and against a hit, in words.

Features that contributed nothing are left out; the negative evidence is said plainly
("given names differ", "person vs company", "different number: 13 vs 54") before the
word-level detail.
"""

from __future__ import annotations

from collections.abc import Sequence

from raretrace.domain.screening import FeatureContribution

#: Features that explain the name comparison itself: shown even at zero.
_ALWAYS = frozenset({"name_tokens", "ownership", "siblings"})


def shown(features: Sequence[FeatureContribution]) -> tuple[FeatureContribution, ...]:
    """The features worth showing: those that added or took something (and the word
    match, which says which words paired)."""
    return tuple(f for f in features if f.contribution != 0.0 or f.feature in _ALWAYS)


def against(features: Sequence[FeatureContribution]) -> list[str]:
    """The evidence against a match, in words, strongest first."""
    negative = sorted((f for f in features if f.contribution < 0), key=lambda f: f.contribution)
    out = [f.detail or f.feature for f in negative]
    for f in features:
        if f.feature == "name_tokens" and "; unmatched: " in f.detail:
            left = f.detail.split("; unmatched: ", 1)[1].split(";", 1)[0]
            if left and left != "-":
                out.append(f"words not matched: {left}")
    return out


def summary(features: Sequence[FeatureContribution]) -> str:
    """One line: the evidence against, or that the names agree."""
    reasons = against(features)
    return "; ".join(reasons) if reasons else "names agree"


__all__ = ["against", "shown", "summary"]
