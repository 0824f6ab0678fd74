"""Japanese katakana renderings of foreign organisations' names read back as the
foreign words (branch i15x): rows of half G's tune part (Japan METI's Japanese names
against their English listing, ``raw/jp_meti``)."""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.native import native_reading, native_readings

ORG = "organisation"
ENTRIES = [
    ListEntry("IV-593", "RG Solutions Limited", entity_type=ORG),
    ListEntry("IV-632", "Win Key Limited", ("Win Key", "Win Ket Ltd"), entity_type=ORG),
    ListEntry("IV-656", "DEXP International Limited", entity_type=ORG),
    ListEntry("OFSI-14978", "JSC ZELENODOLSK SHIPYARD", entity_type=ORG),
    ListEntry("OFSI-15021", "KRONSHTADT", ("KRONSTADT",), entity_type=ORG),
    ListEntry("V-r379", "AGAT - SYSTEM", entity_type=ORG),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("test", 1, e) for e in ENTRIES)


def test_katakana_is_read_as_the_foreign_word() -> None:
    # the middle dot (halfwidth ･ too) breaks words; small kana join the kana before
    # them (ウィ wi); the long-vowel mark is left out; 有限会社 is a legal form
    assert native_reading("ウィン･キー有限会社") == "win ki"
    # the sokuon left out, a final ト read t, シュ's u dropped before a consonant
    assert native_reading("株式会社クロンシュタット") == "kronshtat"
    # the u Japanese adds after a consonant, dropped; katakana business words glossed
    assert native_reading("RGソリューションズ有限会社") == "rg solutions"
    assert native_reading("トルダン・インダストリー有限会社") == "tordan industry"
    # ラ行 is a foreign r or l: read r, l, and each word's first r with the later ones l
    assert native_readings("ゼレノドリスク造船所") == (
        "zerenodorisk shipyard",
        "zelenodolisk shipyard",
        "zerenodolisk shipyard",
    )
    assert native_readings("クルィロフ")[-1] == "krilof"  # Krylov
    # the u is kept before ハ行, a foreign kh or h (Lukhovitsky, G tune's RSK MiG row)
    assert "luhovitsi aviation plant" in native_readings("ルホヴィツィ航空工場")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("RGソリューションズ有限会社", "IV-593"),
        ("ウィン･キー", "IV-632"),
        ("DEXPインターナショナル有限会社", "IV-656"),
        ("ゼレノドリスク造船所", "OFSI-14978"),
        ("株式会社クロンシュタット", "OFSI-15021"),
        ("アガトシステム", "V-r379"),
    ],
)
def test_katakana_names_hit_their_listing(matcher: Matcher, name: str, key: str) -> None:
    assert key in {m.indexed.entry.entry_key for m in matcher.match(Subject(name, None, ""))}


@pytest.mark.parametrize(
    "name",
    # half G's hard negatives: the distinctive word replaced by a filler word
    ["RGリンドクヴィスト有限会社", "ハルヴォルセン･キー有限会社", "株式会社クインタラ"],
)
def test_another_distinctive_word_is_no_match(matcher: Matcher, name: str) -> None:
    assert matcher.match(Subject(name, None, "")) == []
