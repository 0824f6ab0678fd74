"""The batch path (``match_many``) gives exactly what the one-subject path (``match``) gives."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from raretrace.domain.screening import ListEntry, ListFormat, Subject
from raretrace.screening import IndexedEntry, Match, Matcher
from raretrace.screening.blocking import BlockingIndex
from raretrace.screening.features import name_value, score_names
from raretrace.screening.normalise import normalise
from raretrace.screening.prefilter import _letter_bags
from raretrace.services.formats.party_lists import read_list

DATA = Path(__file__).parent / "data"
SYLLABLES = [c + v for c in "bdgklmnprstz" for v in ("a", "e", "i", "o", "u", "ai")]
GENERIC = ["Trading", "Technology", "Group", "International", "Metals"]
FORMS = ["Co., Ltd.", "LLC", "GmbH", "JSC", "OOO", "S.A.", ""]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _synthetic(seed: int) -> tuple[list[IndexedEntry], list[Subject]]:
    """A small vocabulary, so that names share words and candidate counts tie often;
    300 entries with 'Trading', so that a common key exceeds the blocking limit."""
    rng = random.Random(seed)
    vocab = [_word(rng) for _ in range(400)]
    entries = []
    for i in range(900):
        words = rng.sample(vocab, rng.randint(1, 3))
        if i < 300:
            words.append("Trading")
        elif rng.random() < 0.4:
            words.append(rng.choice(GENERIC))
        alias = (f"{words[0]} {rng.choice(GENERIC)}",) if rng.random() < 0.2 else ()
        name = f"{' '.join(words)} {rng.choice(FORMS)}".strip()
        country = (rng.choice(["CN", "RU", "AE"]),)
        entries.append(IndexedEntry("syn", 1, ListEntry(f"E{i}", name, alias, country)))
    # the same name on a second list: equal scores, the entry order decides
    entries.append(IndexedEntry("other", 2, entries[0].entry))
    subjects = []
    for i in range(700):
        kind = rng.random()
        if kind < 0.3:  # a listed name, reordered, with a typo or another form
            words = rng.choice(entries).entry.name.split()
            rng.shuffle(words)
            if rng.random() < 0.5:
                w = rng.randrange(len(words))
                words[w] = words[w][:-1] + "x"
            name = " ".join(words)
        elif kind < 0.35:
            name = "Trading"  # only a common word
        elif kind < 0.38:
            name = " ".join(rng.sample(vocab, 40))  # > 53 blocking keys: counted one by one
        else:
            name = " ".join([*rng.sample(vocab, rng.randint(1, 3)), rng.choice(GENERIC)])
        country = rng.choice(["CN", "RU", "AE", ""])
        addresses = ("Dubai, AE",) if rng.random() < 0.1 else ()
        subjects.append(Subject(name, f"P{i}", country, addresses))
    subjects += [Subject("   "), Subject("Co., Ltd."), subjects[0], Subject(subjects[1].name)]
    return entries, subjects


def _as_data(matches: list[Match]) -> list[tuple[object, ...]]:
    return [
        (m.indexed.list_name, m.indexed.entry.entry_key, m.matched_name, m.score, m.features)
        for m in matches
    ]


def _assert_same(matcher: Matcher, subjects: list[Subject], threshold: float, block: int) -> int:
    batch = list(matcher.match_many(subjects, threshold, block=block))
    assert [s for s, _ in batch] == subjects
    hits = 0
    for subject, found in batch:
        assert _as_data(found) == _as_data(matcher.match(subject, threshold)), subject
        hits += len(found)
    return hits


@pytest.mark.parametrize("threshold", [0.8, 0.6])
def test_batch_equals_single_on_synthetic_names(threshold: float) -> None:
    entries, subjects = _synthetic(7)
    matcher = Matcher(entries)
    hits = _assert_same(matcher, subjects, threshold, block=256)
    assert hits > 100  # the comparison covers many hits


def test_batch_equals_single_on_the_evaluation_set() -> None:
    entries = [
        IndexedEntry("csl", None, e)
        for e in read_list(DATA / "csl_sample.csv", ListFormat.CSL).entries
    ]
    entries += [
        IndexedEntry("mofcom", None, e)
        for e in read_list(DATA / "mofcom_sample.csv", ListFormat.MOFCOM).entries
    ]
    with (DATA / "pairs.csv").open(encoding="utf-8") as fh:
        subjects = [Subject(r["query"], None, r["country"]) for r in csv.DictReader(fh)]
    matcher = Matcher(entries)
    assert _assert_same(matcher, subjects, 0.8, block=100) > 200
    assert _assert_same(matcher, subjects, 0.5, block=10_000) > 200


def test_vectorised_candidates_are_the_counted_ones_in_the_same_order() -> None:
    entries, subjects = _synthetic(11)
    names = [normalise(n) for ie in entries for n in ie.entry.names]
    index = BlockingIndex(names)
    assert index.postings["t:trading"].__len__() > index.max_df  # the fallback is exercised
    queries = [q for s in subjects if (q := normalise(s.name)).tokens]
    assert max(len(index._usable(q)) for q in queries) > 53  # long names too
    rows, cands = index.top_candidates(queries, 25)
    for q, query in enumerate(queries):
        assert cands[rows == q].tolist() == index.candidates(query, 25), query.original


def test_name_value_is_the_explained_value() -> None:
    """Hits are scored by ``name_value`` and explained by ``score_names``: same number."""
    entries, subjects = _synthetic(3)
    matcher = Matcher(entries)
    names = [normalise(n) for ie in entries[:50] for n in ie.entry.names]
    queries = [normalise(s.name) for s in subjects[:60]]
    weights, default = matcher._weights, matcher._unknown_weight
    for q in queries:
        for e in names:
            for floor in (0.0, 0.7, 0.95):
                explained = score_names(q, e, weights, default, floor).value
                assert name_value(q, e, weights, default, floor) == explained


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text("abcxyz019é中 ", min_size=1, max_size=12), min_size=1, max_size=3),
    st.lists(st.text("abcxyz019é中 ", min_size=1, max_size=12), min_size=1, max_size=3),
)
def test_letter_bound_is_an_upper_bound_of_ratio(xs: list[str], ys: list[str]) -> None:
    x, y = "".join(xs), "".join(ys)
    (bx, _), (by, _) = _letter_bags([x], [tuple(xs)]), _letter_bags([y], [tuple(ys)])
    common = int(np.minimum(bx[0, :37], by[0, :37]).sum())
    assert fuzz.ratio(x, y) <= 200.0 * common / (len(x) + len(y)) + 1e-9
