"""Each kind of name difference the matcher must handle, one real-shaped case each.

List rows are real CSL / SDN names (public US government data); the party-side names
are the variants supplier masters hold. Expectations are stated as hit / no hit at the
default threshold, and for explanations as the words a reviewer reads.
"""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import DEFAULT_THRESHOLD, IndexedEntry, Matcher
from raretrace.screening.explain import against, shown, summary
from raretrace.screening.normalise import normalise, phonetic_key, strip_list_noise

ENTRIES = [
    ListEntry("gg", "Gulf Gate Shipping Co. LLC", countries=("AE",)),
    ListEntry("gpb", "GAZPROMBANK OAO", countries=("RU",)),
    ListEntry("shv", "AKTSIONERNOE OBSHCHESTVO SHVABE", countries=("RU",)),
    ListEntry(
        "sino",
        "Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof",
    ),
    ListEntry("gv", "VILLARREAL, Guillermo Eduardo", entity_type="Individual", countries=("MX",)),
    ListEntry("kim", "KIM, Jong Un", entity_type="Individual", countries=("KP",)),
    ListEntry("c13", "China Electronics Technology Group Corporation 13th Research Institute"),
    ListEntry("aaspt", "Academy of Aerospace Solid Propulsion Technology", countries=("CN",)),
    ListEntry("dd", "DANDONG TIANFU TRADE CO., LTD.", countries=("CN",)),
    ListEntry("ms", "MISHKIN, Alexander Yevgeniyevich", entity_type="Individual"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("L", None, e) for e in ENTRIES)


def keys(matcher: Matcher, name: str, country: str = "") -> set[str]:
    found = matcher.match(Subject(name, None, country), DEFAULT_THRESHOLD)
    return {m.indexed.entry.entry_key for m in found}


@pytest.mark.parametrize(
    ("name", "country", "key"),
    [
        ("Gulf Gate Shipping Co. LLC Dubai Branch", "AE", "gg"),  # branch words weak
        ("GAZPROMBANK OAO, St. Petersburg Branch", "RU", "gpb"),
        ("AKTSIONERNOE OBSCHESTVO SHVABE", "RU", "shv"),  # other romanisations
        ("AKCIONERNOE OBSHESTVO SHVABE", "RU", "shv"),
        ("АО Швабе", "RU", "shv"),  # Cyrillic, with the legal form
        ("Sinobright Import and Export Company", "", "sino"),  # list noise stripped
        ("Guillermo E. Villarreal", "MX", "gv"),  # middle initial
        ("김정은", "", "kim"),  # Hangul, syllable by syllable, Gim -> Kim
        ("丹东天富贸易有限公司", "CN", "dd"),  # Han via pinyin, 贸易 -> trade
        ("Aleksandr Yevgenyevich Mishkin", "", "ms"),  # given-name romanisation
    ],
)
def test_variants_hit(matcher: Matcher, name: str, country: str, key: str) -> None:
    assert key in keys(matcher, name, country)


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("China Electronics Technology Group Corporation 54th Research Institute", "CN"),
        ("Academy of Aerospace Liquid Propulsion Technology", "CN"),
        ("Gulf Gate Spedition LLC Dubai Branch", "AE"),
        ("Guillermo Villarreal Trading LLC", "MX"),  # a company, the entry a person
        ("Pedro VILLARREAL", "MX"),  # given names differ
    ],
)
def test_hard_negatives_do_not_hit(matcher: Matcher, name: str, country: str) -> None:
    assert keys(matcher, name, country) == set()


def test_near_misses_say_why(matcher: Matcher) -> None:
    found = matcher.match(
        Subject("China Electronics Technology Group Corporation 54th Research Institute"), 0.3
    )
    c13 = next(m for m in found if m.indexed.entry.entry_key == "c13")
    assert "different number: 54 vs 13" in summary(c13.features)
    assert all(f.contribution != 0 or f.feature == "name_tokens" for f in shown(c13.features))

    (person,) = [
        m
        for m in matcher.match(Subject("Guillermo Villarreal Trading LLC", None, "MX"), 0.1)
        if m.indexed.entry.entry_key == "gv"
    ]
    assert any(r.startswith("person vs company") for r in against(person.features))

    (given,) = [
        m
        for m in matcher.match(Subject("Pedro VILLARREAL", None, "MX"), 0.1)
        if m.indexed.entry.entry_key == "gv"
    ]
    assert "given names differ: pedro vs eduardo, guillermo" in summary(given.features)


def test_normalisation_pieces() -> None:
    assert normalise("AKCIONERNOE OBSCHESTVO SHVABE").tokens == ("shvabe",)
    assert normalise("CETC 13th Research Institute").tokens == (
        "cetc",
        "13",
        "research",
        "institute",
    )
    assert normalise("김정은").tokens == ("kim", "jong", "un")
    assert strip_list_noise("X Co; and any successor, sub-unit, or subsidiary thereof") == "X Co"
    assert phonetic_key("aleksandr") == phonetic_key("alexander")
    assert phonetic_key("abu") == phonetic_key("abou")
    assert phonetic_key("hengda") != phonetic_key("hengtai")  # metaphone alone: both HNKT
