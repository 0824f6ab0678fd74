"""Names a list translates: Chinese renderings of foreign companies and persons (as
the PRC's MOFCOM and MFA lists write them, OpenSanctions ``cn_sanctions``), Japanese
companies written in Chinese, and Arabic organisation names (UN list), matched on
their real Latin listings by glossary words and sound keys (``translate``,
``phonetic``)."""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.phonetic import (
    english_key,
    pinyin_key,
    pinyin_like,
    sound_similarity,
    syllable_key,
)
from raretrace.screening.translate import arabic_units, han_units, render, units

PERSON = "Individual"
ORG = "Entity"
ENTRIES = [
    ListEntry("gaas", "General Atomics Aeronautical Systems", entity_type=ORG),
    ListEntry("tbe", "Teledyne Brown Engineering, Inc.", entity_type=ORG),
    ListEntry("hii", "Huntington Ingalls Industries Inc.", entity_type=ORG),
    ListEntry("l3h", "L3Harris Maritime Services", entity_type=ORG),
    ListEntry("lmt", "Lockheed Martin Corporation", entity_type=ORG),
    ListEntry("rtx", "Raytheon Missiles & Defense", entity_type=ORG),
    ListEntry("ngc", "Northrop Grumman Systems Corporation", entity_type=ORG),
    ListEntry("gdms", "General Dynamics Mission Systems", entity_type=ORG),
    ListEntry("mhiae", "Mitsubishi Heavy Industries Aero Engines, Ltd.", entity_type=ORG),
    ListEntry("bartholomew", "Carolyn Bartholomew", entity_type=PERSON),
    ListEntry("hunjin", "Hunjin TRADING Co.", entity_type=ORG),
    ListEntry("hongda", "DANDONG HONGDA TRADE CO. LTD.", entity_type=ORG),
    ListEntry("aqi", "AL-QAIDA IN IRAQ", entity_type=ORG),
    ListEntry("lifg", "LIBYAN ISLAMIC FIGHTING GROUP", entity_type=ORG),
    ListEntry("hqn", "HAQQANI NETWORK", entity_type=ORG),
    # listed with its own Chinese name: the ordinary path matches it, not a rendering
    ListEntry("tfd", "Taiwan Foundation for Democracy", ("台湾民主基金会",), entity_type=ORG),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("test", 1, e) for e in ENTRIES)


def _hits(matcher: Matcher, name: str) -> dict[str, str]:
    """entry key -> the translated feature's detail, for each hit."""
    return {
        m.indexed.entry.entry_key: next(f.detail for f in m.features if f.feature == "translated")
        for m in matcher.match(Subject(name, None, ""))
    }


# --- sound keys ------------------------------------------------------------------------


def test_pinyin_syllables_keep_the_initial_class_and_a_nasal_final() -> None:
    assert syllable_key("lang") == "LN"  # l -> L, -ng -> N
    assert syllable_key("er") == "L"  # 尔, the usual rendering of a final r or l
    assert syllable_key("xi") == "S"  # 希: English h before i (Healy 希利)
    assert syllable_key("yue") == ""  # glide and vowel: nothing
    assert syllable_key("zhang") == "KN"  # zh folds with g, k, j
    assert syllable_key("bu") == syllable_key("pu") == "B"


def test_pinyin_keys_of_real_renderings() -> None:
    assert pinyin_key("特励达") == "TLT"  # te li da
    assert pinyin_key("布朗") == "BLN"  # bu lang
    assert pinyin_key("洛克希德") == "LKST"  # luo ke xi de
    assert pinyin_key("格鲁曼") == "KLMN"  # ge lu man
    assert pinyin_key("康纳") == "KN"  # kang na: one n


def test_english_keys_follow_the_same_classes() -> None:
    assert english_key("lockheed") == "LKST"  # ck -> K, h -> S, d -> T
    assert english_key("teledyne") == "TLTN"
    assert english_key("grumman") == "KLMN"  # doubled m once
    assert english_key("gershman") == "KSMN"  # r before a consonant dropped
    assert english_key("huntington") == "SNTNTN"  # ng before a consonant: one N
    assert english_key("ingalls") == "NKLS"  # ng before a vowel: N and K
    assert english_key("pompeo") == "BNB"  # m before p: a nasal coda (蓬 peng)
    assert english_key("sarah") == "SL"  # final h silent


def test_sound_similarity_tolerates_a_dropped_consonant() -> None:
    # 特励达·布朗 drops the n of Teledyne
    assert sound_similarity("TLTBLN", "TLTNBLN") == pytest.approx(0.923, abs=1e-3)
    assert sound_similarity("LKSTMTN", "LKSTMTN") == 1.0
    assert sound_similarity("", "LKST") == 0.0


def test_pinyin_like_words() -> None:
    assert pinyin_like("xianghe") and pinyin_like("dandong") and pinyin_like("li")
    assert not pinyin_like("leidos") and not pinyin_like("lockheed") and not pinyin_like("kyong")


# --- segmentation ----------------------------------------------------------------------


def test_a_chinese_name_is_cut_into_sounds_glossary_words_and_latin() -> None:
    parts = [(u.kind, u.text) for u in han_units("特励达·布朗工程公司")]
    assert parts == [("sound", "特励达"), ("sound", "布朗"), ("word", "工程")]  # 公司 set aside
    parts = [(u.kind, u.text) for u in han_units("L3哈里斯海事服务公司")]
    assert parts == [("latin", "l3"), ("sound", "哈里斯"), ("word", "海事"), ("word", "服务")]
    words = han_units("通用原子航空系统公司")
    assert [u.kind for u in words] == ["word"] * 4
    assert ("aeronautical",) in words[2].senses and ("systems",) in words[3].senses


def test_an_arabic_name_is_cut_into_glossary_words_and_skeletons() -> None:
    company, kawthar = arabic_units("شركة الكوثر")
    assert (company.kind, company.senses) == ("word", (("company",),))
    assert (kawthar.kind, kawthar.key) == ("sound", "ktr")  # kwthr: w dropped, th -> t
    # الجماعة: article and ta marbuta set aside before the glossary
    assert arabic_units("الجماعة")[0].senses == (("group",),)
    # kana or Hangul: read (``native``), not translated
    assert units("トヨタ自動車株式会社") == ((), "")


def test_a_glossary_word_must_find_its_sense() -> None:
    query, script = units("雷神导弹系统公司")  # Raytheon Missile Systems
    assert render(query, ("raytheon", "missile", "systems"), script) is not None
    assert render(query, ("raytheon", "space", "systems"), script) is None  # 导弹 missing


# --- matching ------------------------------------------------------------------------------


def test_translated_and_sounded_company_names_hit_their_listing(matcher: Matcher) -> None:
    assert _hits(matcher, "通用原子航空系统公司") == {
        "gaas": "translated: 通用 general, 原子 atomics, 航空 aeronautical, 系统 systems"
    }
    assert _hits(matcher, "特励达·布朗工程公司") == {
        "tbe": "translated: 工程 engineering; by sound: 特励达·布朗 'TLTBLN' ~ teledyne brown "
        "'TLTNBLN' (0.92)"
    }
    assert set(_hits(matcher, "亨廷顿·英格尔斯工业公司")) == {"hii"}
    assert _hits(matcher, "L3哈里斯海事服务公司") == {
        "l3h": "translated: 海事 maritime, 服务 services; as written: l3; by sound: 哈里斯 'SLS' "
        "~ harris 'SLS' (1.00)"
    }
    assert set(_hits(matcher, "洛克希德·马丁公司")) == {"lmt"}
    assert set(_hits(matcher, "诺斯罗普·格鲁曼系统公司")) == {"ngc"}


def test_a_japanese_company_in_chinese_is_read_in_hepburn(matcher: Matcher) -> None:
    detail = _hits(matcher, "三菱重工航空发动机株式会社")["mhiae"]
    assert "航空 aero" in detail and "发动机 engines" in detail
    assert "三菱 'mitsubishi' ~ mitsubishi" in detail


def test_a_foreign_person_in_chinese_hits_by_sound(matcher: Matcher) -> None:
    assert set(_hits(matcher, "卡罗琳·巴塞洛缪")) == {"bartholomew"}


def test_arabic_organisation_names_hit_their_translation(matcher: Matcher) -> None:
    detail = _hits(matcher, "الجماعة الاسلامية المقاتلة الليبية")["lifg"]
    assert detail.startswith("translated: الجماعة group")
    assert set(_hits(matcher, "القاعده في العراق")) == {"aqi"}  # القاعده by sound, kd
    assert set(_hits(matcher, "شبکه حقانی")) == {"hqn"}  # Persian letters folded


# --- what must not match ---------------------------------------------------------------


def test_same_glossary_words_other_sounds_do_not_match(matcher: Matcher) -> None:
    # Northrop Grumman Systems vs the listed Raytheon / General Dynamics ... Systems:
    # 系统 agrees, the sounds do not
    assert "rtx" not in _hits(matcher, "诺斯罗普·格鲁曼系统公司")
    assert "gdms" not in _hits(matcher, "诺斯罗普·格鲁曼系统公司")
    # 雷神 (Raytheon) engineering is not Teledyne Brown Engineering
    assert _hits(matcher, "雷神工程公司") == {}
    # General Dynamics Land Systems: 陆上 (land) is not in the listed Mission Systems
    assert _hits(matcher, "通用动力陆上系统公司") == {}


def test_part_of_the_sounds_is_not_enough(matcher: Matcher) -> None:
    # Huntington alone is not Huntington Ingalls
    assert _hits(matcher, "亨廷顿工业公司") == {}
    # a surname alone: not enough to name a person
    assert _hits(matcher, "巴塞洛缪") == {}


def test_persons_and_companies_do_not_match_by_sound_alone(matcher: Matcher) -> None:
    # John Cantillon's rendering sounds like Hunjin Trading (a company)
    assert "hunjin" not in _hits(matcher, "约翰·坎蒂伦")


def test_chinese_names_listed_in_pinyin_are_left_to_the_ordinary_path(matcher: Matcher) -> None:
    # 丹东祥和 (Xianghe) sounds close to Dandong Hongda once glossed, but the listing is
    # pinyin: the letters decide (and they differ)
    assert _hits(matcher, "丹东祥和贸易有限公司") == {}


def test_entries_with_a_name_in_the_script_are_not_rendered(matcher: Matcher) -> None:
    found = {
        m.indexed.entry.entry_key: m for m in matcher.match(Subject("台湾民主基金会", None, ""))
    }
    assert set(found) == {"tfd"}
    translated = next(f for f in found["tfd"].features if f.feature == "translated")
    assert translated.contribution == 0.0  # matched by its own Chinese name


def test_batch_screening_gives_the_same_translated_hits(matcher: Matcher) -> None:
    names = [
        "特励达·布朗工程公司",
        "卡罗琳·巴塞洛缪",
        "شبکه حقانی",
        "雷神工程公司",
        "Lockheed Martin",
    ]
    subjects = [Subject(n, None, "") for n in names]
    batch = [found for _, found in matcher.match_many(subjects)]
    assert batch == [matcher.match(s) for s in subjects]
    assert [len(found) for found in batch] == [1, 1, 1, 0, 1]
