"""North Korean organisation names in Hangul begin with the country's own name, 조선
(Chosŏn), which the English listings translate as KOREA: 조선광선은행 is the SDN's KOREA
KWANGSON BANKING CORP, 조선삼정해운 the UK list's KOREA SAMJONG SHIPPING.

List rows are real: the SDN list (c. 2018) and the UK OFSI Consolidated List (10 April
2025), names as they give them.
"""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import DEFAULT_THRESHOLD, IndexedEntry, Matcher

ENTRIES = [
    ListEntry("11581", "KOREA KWANGSON BANKING CORP", countries=("KP",)),
    ListEntry("9523", "KOREA KWANGSONG TRADING CORPORATION", countries=("KP",)),
    ListEntry("uk-samjong", "KOREA SAMJONG SHIPPING", countries=("KP",)),
    ListEntry(
        "uk-ansan",
        "KOREA ANSAN SHIPPING COMPANY",
        aliases=("KOREA ANSAN SHPG CO", "KOREA ANSAN SHPG COMPANY"),
        countries=("KP",),
    ),
    ListEntry("uk-ftb", "FOREIGN TRADE BANK (FTB)", aliases=("KOREA TRADING BANK",)),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("L", None, e) for e in ENTRIES)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("조선광선은행", "11581"),
        ("조선 삼정 해운", "uk-samjong"),
        ("조선안산해운회사", "uk-ansan"),
        ("조선무역은행", "uk-ftb"),
    ],
)
def test_choson_is_korea(matcher: Matcher, name: str, expected: str) -> None:
    found = matcher.match(Subject(name, None, ""), DEFAULT_THRESHOLD)
    assert [m.indexed.entry.entry_key for m in found] == [expected]
