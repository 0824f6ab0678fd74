"""Chinese renderings of foreign names against their romanised listings: the real
Chinese names the PRC's countermeasure and export-control lists give (OpenSanctions
``cn_sanctions``, ``benchmarks/data/screening/raw/cn_sanctions.csv``), each against
that row's English name, all from the tune part of half D
(``screening_quality.part`` of the expected entry: "tune"). Persons read back by sound
(``transcription``: a full name given · family, a surname alone), organisations half
by sound, half translated (``translate``)."""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Matcher

PERSON = "Individual"
ORG = "Entity"
#: real list rows (cn_sanctions, and the UN list's PAK HAN SE, KPi.049), as listed
ENTRIES = [
    ListEntry("pompeo", "Michael R. Pompeo", entity_type=PERSON),
    ListEntry("bolton", "John R. Bolton", entity_type=PERSON),
    ListEntry("pelosi", "Nancy Pelosi", entity_type=PERSON),
    ListEntry("baeyer", "Eliza von Baeyer", entity_type=PERSON),
    ListEntry("jankowski", "Patrick Edward Jankowski", entity_type=PERSON),
    ListEntry("cantillon", "John Cantillon", entity_type=PERSON),
    ListEntry("roeder", "Roshan Roeder", entity_type=PERSON),
    ListEntry("packer", "John Packer", entity_type=PERSON),
    ListEntry("ross", "Wilbur Louis Ross", entity_type=PERSON),
    ListEntry("nice", "Geoffrey Nice", entity_type=PERSON),
    ListEntry("nobrien", "Neil O'Brien", entity_type=PERSON),
    ListEntry("robrien", "Robert C. O'Brien", entity_type=PERSON),
    ListEntry("pak", "PAK HAN SE", ("Kang Myong Chol",), entity_type=PERSON),
    ListEntry("iwasaki", "Shigeru Iwasaki", ("IWASAKI Shigeru",), entity_type=PERSON),
    ListEntry("rheinmetall", "Rheinmetall AG", entity_type=ORG),
    ListEntry("redcat", "Red Cat Holdings, Inc.", ("Red Cat",), entity_type=ORG),
    ListEntry("summit", "Summit Technologies Inc.", entity_type=ORG),
    ListEntry("freedom", "Freedom House", entity_type=ORG),
    ListEntry("recon", "ReconCraft", entity_type=ORG),
    ListEntry("dedrone", "Dedrone Holdings Inc.", entity_type=ORG),
    ListEntry(
        "taghtiran",
        "TAGHTIRAN",
        ("TAGHTIRAN CO.", "TAGHTIRAN KASHAN", "TAGHTIRAN KASHAN CO."),
        entity_type=ORG,
    ),
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


# --- persons: a surname alone ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key", "sound"),
    [
        ("蓬佩奥", "pompeo", "'pompeo' (pinyin peng-pei-ao"),
        ("博尔顿", "bolton", "'bolton' (pinyin bo-er-dun"),
        ("佩洛西", "pelosi", "'pelosi' (pinyin pei-luo-xi"),
    ],
)
def test_a_surname_alone_is_read_when_it_agrees_in_full(
    matcher: Matcher, name: str, key: str, sound: str
) -> None:
    hits = _hits(matcher, name)
    assert list(hits) == [key]
    assert hits[key].startswith(f"{name} read as the sound of {sound}")
    assert hits[key].endswith("only the surname was given")


def test_a_short_surname_alone_is_not_read(matcher: Matcher) -> None:
    # 尼斯 ni-si, 'N S': Nice, Ness, Nash, Neese ... two consonants name no one
    assert _hits(matcher, "尼斯") == {}


def test_a_surname_two_listed_persons_share_names_neither(matcher: Matcher) -> None:
    # 奥布莱恩 reads as O'Brien in full, but two listed persons are O'Brien
    assert _hits(matcher, "奥布莱恩") == {}


# --- persons: a full name, given · family ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("艾丽莎·冯·拜尔", "baeyer"),  # von heard as f (冯 feng), a final r as 尔
        ("帕特里克·扬科夫斯基", "jankowski"),  # J said y (扬), w as f (夫); Edward left out
        ("约翰·坎蒂伦", "cantillon"),
        ("罗珊·罗德", "roeder"),  # listed name reads as pinyin (ro-shan): still compared
    ],
)
def test_a_full_name_is_read_part_by_part(matcher: Matcher, name: str, key: str) -> None:
    hits = _hits(matcher, name)
    assert list(hits) == [key]
    assert hits[key].startswith(f"{name} read as the sound of ")
    assert "family name" in hits[key]


def test_a_full_name_of_short_keys_is_read_by_its_conventional_given_name(
    matcher: Matcher,
) -> None:
    # 约翰·帕克 'SN BK' agrees by sound with John Packer, and as well with PAK HAN SE
    # (han, pak): four consonants in all are too few to tell them apart, but 约翰 is
    # how Chinese writes John by convention (branch i15u)
    assert list(_hits(matcher, "约翰·帕克")) == ["packer"]


def test_a_japanese_name_in_kanji_is_read_family_name_first(matcher: Matcher) -> None:
    hits = _hits(matcher, "岩崎茂")
    assert list(hits) == ["iwasaki"]
    assert (
        hits["iwasaki"]
        == "岩崎茂 read in Japanese as 'iwasaki shigeru' (Hepburn, family name first)"
    )


# --- organisations: by sound and translation ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "key", "read"),
    [
        ("莱茵金属公司", "rheinmetall", "金属 -metall"),  # a glossary word ends a compound
        ("红猫控股公司", "redcat", "红 red, 猫 cat"),
        ("顶峰科技公司", "summit", "顶峰 summit"),
        ("自由之家", "freedom", "之家 house"),
        ("侦察艇有限责任公司", "recon", "侦察 recon-, 艇 craft"),
        ("迪德罗恩公司", "dedrone", "by sound: 迪德罗恩 'TTLN' ~ dedrone 'TTLN'"),
    ],
)
def test_organisations_half_by_sound_half_translated(
    matcher: Matcher, name: str, key: str, read: str
) -> None:
    hits = _hits(matcher, name)
    assert list(hits) == [key]
    assert read in hits[key]


# --- both paths ------------------------------------------------------------------------------


def test_batch_and_one_subject_paths_agree(matcher: Matcher) -> None:
    names = [
        "蓬佩奥",
        "约翰·坎蒂伦",
        "奥布莱恩",
        "尼斯",
        "莱茵金属公司",
        "约翰·帕克",
        "Nancy Pelosi",
    ]
    subjects = [Subject(n, None, "") for n in names]
    batch = {s.name: [(m.indexed.entry.entry_key, m.score) for m in found] for s, found in
             matcher.match_many(subjects)}  # fmt: skip
    one = {
        s.name: [(m.indexed.entry.entry_key, m.score) for m in matcher.match(s)] for s in subjects
    }
    assert batch == one
    assert batch["蓬佩奥"] == [("pompeo", 0.8)]
