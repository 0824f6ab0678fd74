"""Japanese (kana) and Thai names read in the spellings Latin lists use: Hepburn via
pykakasi, RTGS via pythainlp."""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.native import native_reading
from raretrace.screening.normalise import readings

ENTRIES = [
    ListEntry("tel", "TOKYO ELECTRON LIMITED", countries=("JP",)),
    ListEntry("toyota", "TOYOTA MOTOR CORPORATION", countries=("JP",)),
    ListEntry("mhi", "MITSUBISHI HEAVY INDUSTRIES, LTD.", countries=("JP",)),
    ListEntry("aum", "AUM SHINRIKYO"),
    ListEntry("ktb", "KRUNG THAI BANK PUBLIC COMPANY LIMITED", countries=("TH",)),
    ListEntry("bbl", "BANGKOK BANK PUBLIC COMPANY LIMITED", countries=("TH",)),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("test", 1, e) for e in ENTRIES)


def _hits(matcher: Matcher, name: str) -> list[tuple[str, float]]:
    return [(m.indexed.entry.entry_key, m.score) for m in matcher.match(Subject(name, None, ""))]


def test_japanese_reading_is_hepburn_with_list_vowels_forms_and_glosses() -> None:
    # 東京 toukyou -> tokyo (ou folded), エレクトロン glossed, 株式会社 a legal form
    assert native_reading("東京エレクトロン株式会社") == "tokyo electron"
    # 自動車 motor; the reading is added, the (Chinese-read) name stays
    assert readings("トヨタ自動車株式会社") == ("トヨタ自動車株式会社", "toyota motor")
    # juukougyou: 重工業 is glossed whole; 三菱 mitsubishi. Kanji only, but 株式会社 is a
    # form only Japanese uses, so the name is read as Japanese
    assert native_reading("三菱重工業株式会社") == "mitsubishi heavy industries"
    # katakana read as a foreign word (branch i15x): ム's final u dropped, ou folded
    assert native_reading("オウム シンリキョウ") == "om shinrikyo"


def test_kanji_only_names_without_a_japanese_form_stay_chinese() -> None:
    assert native_reading("丹东天富贸易有限公司") is None
    assert readings("蔡其昌") == ("蔡其昌", "tsai chi chang")


def test_japanese_names_hit_their_latin_listings(matcher: Matcher) -> None:
    assert _hits(matcher, "東京エレクトロン株式会社") == [("tel", 1.0)]
    assert _hits(matcher, "トヨタ自動車株式会社") == [("toyota", 1.0)]
    assert _hits(matcher, "三菱重工業株式会社") == [("mhi", 1.0)]
    ((key, score),) = _hits(matcher, "オウム真理教")  # omu vs aum: close, not equal
    assert key == "aum" and 0.8 <= score < 1.0


def test_other_japanese_names_do_not_hit(matcher: Matcher) -> None:
    assert _hits(matcher, "日産自動車株式会社") == []  # Nissan Motor, not Toyota Motor
    assert _hits(matcher, "トヨタ紡織株式会社") == []  # Toyota Boshoku
    assert _hits(matcher, "東京ガス株式会社") == []  # Tokyo Gas


def test_thai_reading_is_rtgs_with_legal_forms_set_aside() -> None:
    assert native_reading("ธนาคารกรุงไทย") == "bank krungthai"
    # บริษัท ... จำกัด (มหาชน): company ... public limited, set aside
    assert native_reading("บริษัท ไทยออยล์ จำกัด (มหาชน)") == "thaioi"


def test_thai_name_hits_its_transliterated_listing(matcher: Matcher) -> None:
    ((key, score),) = _hits(matcher, "ธนาคารกรุงไทย")  # Krung Thai Bank
    assert key == "ktb" and score >= 0.8
    # ธนาคารกรุงเทพ is listed as Bangkok Bank, a translation: not reached
    assert _hits(matcher, "ธนาคารกรุงเทพ") == []


def test_romanised_japanese_and_thai_legal_forms_are_set_aside() -> None:
    from raretrace.screening.normalise import normalise

    toyota = normalise("Toyota Jidosha Kabushikigaisha")
    assert toyota.tokens == ("toyota", "jidosha")
    assert toyota.legal_forms == ("kabushikigaisha",)
    assert normalise("Tokyo Keiki Godo Kaisha").tokens == ("tokyo", "keiki")
    # RTGS as pythainlp writes บริษัท ... จำกัด (มหาชน)
    assert normalise("Brisat Thaioi Chamkat (Mahatn)").tokens == ("thaioi",)


def test_japanese_name_in_simplified_chinese_has_its_chinese_business_words_glossed() -> None:
    # as the PRC's lists write Japanese companies (OpenSanctions cn_sanctions): 业 and 车
    # have no Japanese reading, so 重机械工业 and 汽车 are read as Chinese words
    assert native_reading("住友重机械工业株式会社") == "sumitomo heavy industries"
    assert native_reading("日野汽车株式会社") == "hino motors"
    matcher = Matcher(
        IndexedEntry("test", 1, e)
        for e in (
            ListEntry("shi", "Sumitomo Heavy Industries, Ltd.", countries=("JP",)),
            ListEntry("hino", "Hino Motors, Ltd.", countries=("JP",)),
        )
    )
    assert _hits(matcher, "住友重机械工业株式会社") == [("shi", 1.0)]
    assert _hits(matcher, "日野汽车株式会社") == [("hino", 1.0)]
    # a name in Japanese characters keeps the Japanese glossary only: 汽車 is not 汽车
    assert native_reading("日野汽車株式会社") == "hino kisha"
