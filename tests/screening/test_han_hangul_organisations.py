"""Chinese and Korean organisation names against their real romanised or English
listings (``translate``): traditional characters (海能機械), Chinese places as optional
words (瑞丰新材 / Xinxiang Ruifeng New Materials), ordinals in Chinese numerals (第十三),
more trade words (进出口, 货运代理, 科贸, 工业大学), and Hangul names of organisations
(합장강무역회사 / Hapjanggang Trading Corporation). The names are real rows of
``benchmarks/data/screening`` (EU annexes, UK OFSI list, CSL, ``cn_sanctions``; half A to
C, and the tune parts of E and F)."""

from __future__ import annotations

import pytest

from factories import hit_keys, list_matcher
from raretrace.domain.screening import ListEntry
from raretrace.screening import Matcher
from raretrace.screening.normalise import readings
from raretrace.screening.translate import han_units, hangul_units, simplified, units

ORG = "Entity"
PERSON = "Individual"
ENTRIES = [
    ListEntry("haineng", "HAINENG MACHINERY (HONG KONG) CO., LIMITED", entity_type=ORG),
    ListEntry(
        "ruifeng",
        "Xinxiang Richful Lubricant Additive Company",
        ("Xinxiang Ruifeng New Materials Co., Ltd",),
        ORG,
    ),
    ListEntry("xichao", "Beijing Xichao International Technology and Trade", entity_type=ORG),
    ListEntry("youbang", "Shenzhen Youbang Shida Freight Forwarding Co. Ltd.", entity_type=ORG),
    ListEntry("biguang", "Shenzhen Biguang Trading Co. Ltd", entity_type=ORG),
    ListEntry(
        "ningbo",
        "NINGBO NEW CENTURY IMPORT AND EXPORT COMPANY, LTD.",
        ("NEW CENTURY IMPORT AND EXPORT CO. LTD",),
        ORG,
    ),
    ListEntry("benin", "NINGBO BENIN MACHINE TOOL CO., LTD", entity_type=ORG),
    ListEntry("gdut", "Guangdong University of Technology", entity_type=ORG),
    ListEntry("yusha", "Yusha Group Co. Ltd.", entity_type=ORG),
    ListEntry(
        "cetc13",
        "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)",
        entity_type=ORG,
    ),
    ListEntry(
        "cetc54",
        "China Electronics Technology Group Corp. 54th Research Institute",
        entity_type=ORG,
    ),
    ListEntry("icdf", "International Cooperation and Development Fund", entity_type=ORG),
    ListEntry("hapjanggang", "Hapjanggang Trading Corporation", entity_type=ORG),
    ListEntry("rocket", "Ministry of Rocket Industry", ("Rocket Industry Department",), ORG),
    ListEntry("koryo", "AIR KORYO", ("AIRKORYO",), ORG),
    ListEntry("ri", "RI Yong Gil", ("RI Yong Gi", "YI Yo'ng-kil"), PERSON),
    ListEntry("wu", "Rosalia Wu", ("Wu Szu-yao",), PERSON),
    # parties these names must not reach (false hits seen while the rules were made)
    ListEntry("shanghai", "SHANGHAI TECHNOLOGY TRADING CO., LTD.", entity_type=ORG),
    ListEntry("wuhan", "WUHAN TONGSHENG TECHNOLOGY CO., LTD", entity_type=ORG),
    ListEntry("karnes", "7 KARNES", entity_type=ORG),
    ListEntry("startrade", "STAR TRADE GHANA LIMITED", entity_type=ORG),
    ListEntry("chengxing", "BEIJING CHENGXING TRADING CO. LTD.", entity_type=ORG),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return list_matcher(ENTRIES)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # traditional characters: 機械 is 机械 (machinery); Hong Kong optional
        ("海能機械(香港)有限公司", "haineng"),
        # a place the listed name has and the Chinese name leaves out, and the other way
        ("瑞丰新材", "ruifeng"),
        ("北京汐潮国际科贸有限公司", "xichao"),
        ("深圳友邦仕达货运代理有限公司", "youbang"),
        # 市 (city) after the place
        ("深圳市比广贸易有限公司", "biguang"),
        # a place both have is compared by its sound with the rest
        ("宁波贝宁机床有限公司", "benin"),
        ("宁波新世纪进出口有限公司", "ningbo"),
        ("广东工业大学", "gdut"),
        # only optional words (集团): the sound run finds the candidates
        ("玉沙集团有限公司", "yusha"),
        # an ordinal in Chinese numerals; the listed acronym in brackets set aside
        ("中国电子科技集团公司第十三研究所", "cetc13"),
        # traditional characters, every word translated
        ("國際合作發展基金會", "icdf"),
        # Hangul organisations: 무역 trading, 공업 industry, 부 ministry, 항공 air
        ("합장강무역회사", "hapjanggang"),
        ("로케트공업부", "rocket"),
        ("고려항공", "koryo"),
        # a Korean person's name also read as Revised Romanisation writes it (Gil)
        ("리영길", "ri"),
        # Wade-Giles ssu as Taiwan's names write it (Szu)
        ("吴思瑶", "wu"),
    ],
)
def test_real_names_hit_their_listing(matcher: Matcher, name: str, key: str) -> None:
    assert key in hit_keys(matcher, name)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # two different places never match (Beijing is not Shanghai)
        ("北京汐潮国际科贸有限公司", "shanghai"),
        ("北京汐潮国际科贸有限公司", "startrade"),
        # the thirteenth institute is not the fifty-fourth
        ("中国电子科技集团公司第十三研究所", "cetc54"),
        # a glossary word of several characters is not read by its sound (卫星 satellite)
        ("天眼卫星科技", "wuhan"),
        ("美国光子公司", "karnes"),
        ("北京成星贸易有限公司", "startrade"),
    ],
)
def test_names_do_not_reach_other_parties(matcher: Matcher, name: str, key: str) -> None:
    assert key not in hit_keys(matcher, name)


def test_traditional_characters_are_cut_as_simplified_and_read_as_written() -> None:
    assert simplified("興華國際") == "兴华国际"
    got = [(u.kind, u.text) for u in han_units("香港通亞電子有限公司")]
    assert got == [("word", "香港"), ("sound", "通亞"), ("word", "電子")]


def test_places_and_ordinals_are_units() -> None:
    (place, *_rest) = han_units("深圳市比广贸易有限公司")
    assert place.place and place.text == "深圳" and ("shenzhen",) in place.senses
    assert ("latin", "13") in [(u.kind, u.text) for u in han_units("第十三研究所")]
    assert ("latin", "108") in [(u.kind, u.text) for u in han_units("第一百零八厂")]


def test_hangul_organisations_are_cut_into_words_and_sounds() -> None:
    got = [(u.kind, u.text) for u in hangul_units("합장강무역회사")]
    assert got == [("sound", "합장강"), ("word", "무역")]
    assert units("리영길")[1] == "hangul"
    assert "ri yong gil" in readings("리영길")
