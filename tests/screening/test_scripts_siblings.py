"""Native scripts reaching Latin listings (pinyin, Wade-Giles, consonant skeletons) and
hits on entries listed under the same name grouped into one."""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.explain import shown
from raretrace.screening.normalise import consonants, normalise, readings

ENTRIES = [
    ListEntry("dandong", "DANDONG TIANFU TRADE CO., LTD.", countries=("CN",)),
    ListEntry("tsai", "Tsai Chi-chang", entity_type="Individual", countries=("TW",)),
    ListEntry("tejarat", "BANK TEJARAT", countries=("IR",)),
    ListEntry("hamms", "HAMMS CORP"),
    ListEntry("stg-ojsc", "STROYTRANSGAZ OJSC", countries=("RU",)),
    ListEntry("stg-llc", "STROYTRANSGAZ LLC", countries=("RU",)),
    ListEntry("stg-m", "STROYTRANSGAZ-M", countries=("RU",)),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("test", 1, e) for e in ENTRIES)


def _keys(found: list) -> list[str]:  # type: ignore[type-arg]
    return [m.indexed.entry.entry_key for m in found]


def test_han_name_hits_its_pinyin_listing(matcher: Matcher) -> None:
    # 丹东 Dandong, 天富 Tianfu (pinyin), 贸易 trade (glossary), 有限公司 a legal form
    (m,) = matcher.match(Subject("丹东天富贸易有限公司", None, ""))
    assert m.indexed.entry.entry_key == "dandong"
    assert m.score == 1.0
    assert "trade" in m.features[0].detail


def test_han_name_read_in_wade_giles_hits_a_taiwanese_listing(matcher: Matcher) -> None:
    # 蔡其昌: pinyin "cai qi chang", Wade-Giles "Ts'ai Ch'i-ch'ang"; listed as Tsai Chi-chang
    assert readings("蔡其昌") == ("蔡其昌", "tsai chi chang")
    (m,) = matcher.match(Subject("蔡其昌", None, ""))
    assert m.indexed.entry.entry_key == "tsai"
    assert m.features[0].detail == "matched: tsai, chi, chang; unmatched: -"
    # another given name does not reach the listed person
    assert matcher.match(Subject("蔡其明", None, "")) == []


def test_latin_and_other_scripts_have_one_reading() -> None:
    assert readings("Tsai Chi-chang") == ("Tsai Chi-chang",)
    assert readings("Газпром") == ("Газпром",)


def test_arabic_name_hits_its_latin_listing_by_consonants(matcher: Matcher) -> None:
    # بانک تجارت is written without its vowels: b-n-k t-j-r-t
    assert consonants("banktejarat") == "bnktjrt"
    (m,) = matcher.match(Subject("بانک تجارت", None, ""))
    assert m.indexed.entry.entry_key == "tejarat"
    assert m.score == 0.85
    assert [(f.feature, f.contribution) for f in shown(m.features)][-1] == ("consonants", 0.85)


def test_short_consonant_skeletons_are_not_compared(matcher: Matcher) -> None:
    # حماس is h-m-s: three consonants are shared by too many names (HAMMS CORP)
    assert matcher.match(Subject("حماس", None, "")) == []


def test_entries_listed_under_the_same_name_are_one_hit(matcher: Matcher) -> None:
    found = matcher.match(Subject("Stroytransgaz", None, "RU"))
    # OJSC and LLC: the same name once the legal form is set aside -> one hit naming
    # both; STROYTRANSGAZ-M (a designator) is another entity and no hit at all
    assert _keys(found) == ["stg-llc"]
    (m,) = found
    assert [s.entry.entry_key for s in m.siblings] == ["stg-ojsc"]
    note = m.features[-1]
    assert (note.feature, note.contribution) == ("siblings", 0.0)
    assert (
        note.detail == "also listed under the same name: STROYTRANSGAZ OJSC (test stg-ojsc, 1.00)"
    )
    assert note in shown(m.features)


def test_the_sibling_with_the_subjects_legal_form_leads(matcher: Matcher) -> None:
    (m,) = matcher.match(Subject("Stroytransgaz OJSC", None, "RU"))
    assert m.indexed.entry.entry_key == "stg-ojsc"
    assert [s.entry.entry_key for s in m.siblings] == ["stg-llc"]


def test_batch_gives_the_same_grouped_and_script_hits(matcher: Matcher) -> None:
    subjects = [
        Subject(n, None, c)
        for n, c in (
            ("蔡其昌", "TW"),
            ("بانک تجارت", "IR"),
            ("СТРОЙТРАНСГАЗ", "RU"),
            ("Stroytransgaz OJSC", "RU"),
        )
    ]
    batch = [found for _, found in matcher.match_many(subjects)]
    assert batch == [matcher.match(s) for s in subjects]
    assert [_keys(f) for f in batch] == [["tsai"], ["tejarat"], ["stg-llc"], ["stg-ojsc"]]


@pytest.mark.parametrize(
    ("name", "text", "forms"),
    [
        ("Cubic Coporation", "cubic", ("corporation",)),
        ("ENEOS Coproration", "eneos", ("corporation",)),
        # (AKTSIONERNE is a word of a form itself: Ukrainian akcionerne tovarystvo)
        ("AKTTSIONERNOE OBSHCHESTVO SHVABE", "shvabe", ("aktsionernoe obshchestvo",)),
        ("AVIA GROUP TERMINAL LIMITED LIAABILITY COMPANY", "avia group terminal",
         ("limited liability company",)),
        # not where a legal form stands: a word of the name
        ("Limites Brands", "limites brands", ()),
        ("CSBC Corportion, Taiwan", "csbc corportion taiwan", ()),
    ],
)  # fmt: skip
def test_misspelt_legal_form_words_are_set_aside(
    name: str, text: str, forms: tuple[str, ...]
) -> None:
    norm = normalise(name)
    assert (norm.text, norm.legal_forms) == (text, forms)


def test_a_misspelt_legal_form_does_not_block_a_hit() -> None:
    matcher = Matcher([IndexedEntry("test", 1, ListEntry("cubic", "Cubic Corporation"))])
    (m,) = matcher.match(Subject("Cubic Coporation", None, ""))
    assert (m.indexed.entry.entry_key, m.score) == ("cubic", 1.0)
