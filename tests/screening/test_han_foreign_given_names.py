"""Chinese renderings of foreign persons with short keys and of Japanese companies in
simplified characters (branch i15u). Real rows of the PRC's countermeasure and
export-control lists (``benchmarks/data/screening/raw/cn_sanctions.csv``), each
Chinese name against that row's English name, all from the tune part of half D
(``screening_quality.part`` of the expected entry: "tune"); PAK HAN SE is the UN
list's (KPi.049), the row an earlier rule was dropped for."""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.native import japanese_forms, native_reading
from raretrace.screening.normalise import readings
from raretrace.screening.transcription import pinyin_shape, read, transcription

PERSON = "Individual"
ORG = "Entity"
ENTRIES = [
    ListEntry("packer", "John Packer", entity_type=PERSON),
    ListEntry("warden", "Kathy J. Warden", entity_type=PERSON),
    ListEntry("teich", "Sarah Teich", entity_type=PERSON),
    ListEntry("healy", "Conor Healy", entity_type=PERSON),
    ListEntry("bry", "Adam Bry", entity_type=PERSON),
    ListEntry("nawabi", "Wahid Nawabi", entity_type=PERSON),
    ListEntry("pak", "PAK HAN SE", ("Kang Myong Chol",), entity_type=PERSON),
    ListEntry("nikko", "NIKKO TOKKI Co., Ltd.", entity_type=ORG),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("test", 1, e) for e in ENTRIES)


def _hits(matcher: Matcher, name: str) -> list[str]:
    return [m.indexed.entry.entry_key for m in matcher.match(Subject(name, None, ""))]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("约翰·帕克", "packer"),  # 'SN BK': four key letters, 约翰 John by convention
        ("凯西·沃登", "warden"),  # Kathy; J. left out
        ("萨拉·泰什", "teich"),
        ("康纳·希利", "healy"),
        ("亚当·布赖", "bry"),
    ],
)
def test_a_short_full_name_with_a_conventional_given_name_is_read(
    matcher: Matcher, name: str, key: str
) -> None:
    assert _hits(matcher, name) == [key]


def test_a_short_full_name_agreeing_in_full_is_read(matcher: Matcher) -> None:
    # 瓦希德·纳瓦比 'ST NB': no conventional given name, but both parts agree in key
    # and shape with Wahid Nawabi
    assert _hits(matcher, "瓦希德·纳瓦比") == ["nawabi"]


def test_a_short_full_name_without_either_is_not_read() -> None:
    # 汉·帕克 'SN BK': 汉 is no conventional rendering of John and does not agree with it
    # in shape, so four key letters are too few
    assert read(transcription("汉·帕克"), ["john", "packer"]) is None  # type: ignore[arg-type]
    assert read(transcription("约翰·帕克"), ["john", "packer"]) is not None  # type: ignore[arg-type]


def test_japanese_characters_of_a_simplified_name() -> None:
    assert japanese_forms("日钢特机") == "日鋼特機"
    assert japanese_forms("日本电磁测器") == "日本電磁測器"
    assert japanese_forms("NIKKO") == "NIKKO"


def test_a_japanese_company_in_simplified_characters_is_read_in_hepburn(
    matcher: Matcher,
) -> None:
    assert native_reading("日钢特机株式会社") == "nikko tokki"
    assert native_reading("日本电磁测器株式会社") == "nippon denji sokki"
    # a kanji-only name with 株式会社 has the Chinese business words translated
    assert native_reading("川重岐阜工程株式会社") == "kawashige gifu engineering"
    assert _hits(matcher, "日钢特机株式会社") == ["nikko"]


def test_ko_and_go_keep_their_vowel_in_a_renderings_shape() -> None:
    # 科 is the tables' ko (克 is k or ke): bi-di-ko-fei-er, as Bütikofer is said
    assert pinyin_shape(("bi", "di", "ke", "fei", "er"), "彼蒂科菲尔") == "BVTVKVFVL"
    assert pinyin_shape(("bi", "di", "ke", "fei", "er"), "彼蒂克菲尔") == "BVTVKFVL"


def test_a_surname_alone_with_ko_is_read() -> None:
    matcher = Matcher(
        [IndexedEntry("test", 1, ListEntry("butikofer", "Reinhard Bütikofer", entity_type=PERSON))]
    )
    assert _hits(matcher, "彼蒂科菲尔") == ["butikofer"]


def test_nihon_beside_nippon() -> None:
    assert readings("日本电磁测器株式会社") == (
        "日本电磁测器株式会社",
        "nippon denji sokki",
        "nihon denji sokki",
    )
    matcher = Matcher(
        [IndexedEntry("test", 1, ListEntry("nds", "Nihon Denji Sokki Co., Ltd", entity_type=ORG))]
    )
    assert _hits(matcher, "日本电磁测器株式会社") == ["nds"]


def test_a_consonant_with_er_before_a_consonant_is_heard_as_the_tables_write_it() -> None:
    # Gershman: ger is 格 alone, as the tables write it (格什曼 ge-shi-man)
    matcher = Matcher(
        [IndexedEntry("test", 1, ListEntry("gershman", "Carl Gershman", entity_type=PERSON))]
    )
    assert _hits(matcher, "格什曼") == ["gershman"]


def test_the_tail_of_a_german_legal_form_is_no_word_to_sound() -> None:
    # Chemie-Handelsgesellschaft mbH: 化工 chemie, 贸易 handels-, gesellschaft mbH the
    # legal form; 安特拉科 is Antraco alone
    matcher = Matcher(
        [
            IndexedEntry(
                "test",
                1,
                ListEntry("antraco", "Antraco Chemie-Handelsgesellschaft mbH", entity_type=ORG),
            )
        ]
    )
    assert _hits(matcher, "安特拉科化工贸易有限公司") == ["antraco"]


def test_a_final_el_after_a_consonant_is_heard_as_its_syllable_and_er() -> None:
    # Turkel: tur 特, kel 克尔 (as Merkel 默克尔); The TIGER (an alias of Suhayl HASSAN
    # on the UK list) reads 0.93 only
    matcher = Matcher(
        [
            IndexedEntry("test", 1, ListEntry("turkel", "Nury Turkel", entity_type=PERSON)),
            IndexedEntry(
                "test", 1, ListEntry("hassan", "Suhayl HASSAN", ("The TIGER",), entity_type=PERSON)
            ),
        ]
    )
    assert _hits(matcher, "特克尔") == ["turkel"]
