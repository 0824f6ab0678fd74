"""Matcher: variants hit with explanations; look-alikes do not; quality on the eval set."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from raretrace.domain.screening import ListEntry, ListFormat, Subject
from raretrace.screening import DEFAULT_THRESHOLD, IndexedEntry, Matcher
from raretrace.screening.evaluation import LabelledQuery, evaluate
from raretrace.screening.features import FEATURES
from raretrace.services.formats.party_lists import read_list

DATA = Path(__file__).parent / "data"

ENTRIES = [
    ListEntry("1", "Gulf Gate Shipping Co. LLC", countries=("AE",), addresses=("Dubai, AE",)),
    ListEntry("2", "Gulf Gate Spedition GmbH", countries=("AT",)),
    ListEntry("3", "GAZPROMBANK OAO", aliases=("GPB, OAO",), countries=("RU",)),
    ListEntry("4", "赣州金龙稀土有限公司", aliases=("Ganzhou Jinlong Xitu Co., Ltd.",)),
    ListEntry("5", "Gulf Eagle Contracting (GEC)", countries=("AE",)),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("test", 1, e) for e in ENTRIES)


@pytest.mark.parametrize(
    ("query", "country", "expected"),
    [
        ("Gulf Gate Shipping", "AE", "1"),  # suffix dropped
        ("Shipping Gulf Gate L.L.C.", "", "1"),  # reordered, dotted form
        ("Gulf Gate Shiping Co", "", "1"),  # typo
        ("Газпромбанк", "RU", "3"),  # Cyrillic, word break
        ("Gazprom Bank", "", "3"),  # word break
        ("赣州金龙稀土", "CN", "4"),  # Chinese characters vs pinyin
        ("Ganzhou Jin Long Xi Tu", "", "4"),  # pinyin syllables split
        ("GEC", "AE", "5"),  # acronym
    ],
)
def test_variants_hit(matcher: Matcher, query: str, country: str, expected: str) -> None:
    found = matcher.match(Subject(query, None, country))
    assert [m.indexed.entry.entry_key for m in found][:1] == [expected]


@pytest.mark.parametrize(
    "query",
    ["Gulf Gate Sea Cargo", "Gulf Gate Logistics LLC", "Gazprom Neft", "Gulf Eagle Trading"],
)
def test_look_alikes_do_not_hit(matcher: Matcher, query: str) -> None:
    assert matcher.match(Subject(query)) == []


def test_explanation_adds_up_to_the_score(matcher: Matcher) -> None:
    (m,) = matcher.match(Subject("Gulf Gate Shiping", None, "AT"), threshold=0.7)
    names = {f.feature for f in m.features}
    assert names == {f.name for f in FEATURES}
    total = sum(f.contribution for f in m.features)
    assert m.score == pytest.approx(min(1.0, total), abs=1e-3)
    country = next(f for f in m.features if f.feature == "country")
    assert country.contribution < 0  # AT is not AE: a mismatch lowers the score
    tokens = next(f for f in m.features if f.feature == "name_tokens")
    assert "shiping~shipping" in tokens.detail


def test_threshold_is_respected(matcher: Matcher) -> None:
    loose = matcher.match(Subject("Gulf Gate Spedition Shipping"), threshold=0.5)
    strict = matcher.match(Subject("Gulf Gate Spedition Shipping"), threshold=0.95)
    assert len(loose) >= 2
    assert all(m.score >= 0.95 for m in strict)


def test_empty_or_form_only_names_do_not_crash(matcher: Matcher) -> None:
    assert matcher.match(Subject("   ")) == []
    assert matcher.match(Subject("Co., Ltd.")) == []


def test_quality_on_the_evaluation_set() -> None:
    entries = [
        IndexedEntry("csl", None, e)
        for e in read_list(DATA / "csl_sample.csv", ListFormat.CSL).entries
    ]
    entries += [
        IndexedEntry("mofcom", None, e)
        for e in read_list(DATA / "mofcom_sample.csv", ListFormat.MOFCOM).entries
    ]
    with (DATA / "pairs.csv").open(encoding="utf-8") as fh:
        queries = [LabelledQuery(**row) for row in csv.DictReader(fh)]
    assert len(queries) > 300
    ev = evaluate(Matcher(entries), queries, DEFAULT_THRESHOLD)
    assert ev.recall >= 0.95, ev.misses
    assert ev.precision >= 0.9, ev.false_alarms
