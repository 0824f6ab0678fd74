"""Precision and recall of a matcher on labelled pairs (for tests and benchmarks)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from raretrace.domain.screening import Subject
from raretrace.screening.matcher import Matcher


@dataclass(frozen=True, slots=True)
class LabelledQuery:
    """A name to screen and the entry key it should hit ("" for a true non-match)."""

    query: str
    country: str
    expected: str
    variant: str  #: how the query was made (reorder, typo, translit, ...)


@dataclass(frozen=True, slots=True)
class Evaluation:
    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int
    queries: int
    misses: list[LabelledQuery] = field(default_factory=list)
    false_alarms: list[tuple[LabelledQuery, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0


def evaluate(matcher: Matcher, labelled: Iterable[LabelledQuery], threshold: float) -> Evaluation:
    """A hit on the expected entry is a true positive; any other hit a false positive."""
    tp = fp = fn = n = 0
    misses: list[LabelledQuery] = []
    alarms: list[tuple[LabelledQuery, str]] = []
    for q in labelled:
        n += 1
        keys = [
            m.indexed.entry.entry_key
            for m in matcher.match(Subject(q.query, None, q.country), threshold)
        ]
        if q.expected:
            if q.expected in keys:
                tp += 1
            else:
                fn += 1
                misses.append(q)
        for k in keys:
            if k != q.expected:
                fp += 1
                alarms.append((q, k))
    return Evaluation(threshold, tp, fp, fn, n, misses, alarms)


__all__ = ["Evaluation", "LabelledQuery", "evaluate"]
