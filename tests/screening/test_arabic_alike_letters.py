"""Organisation names in Arabic script against their romanised listings, where the
romanisation writes a letter as an alike one (ق as gh, خ as k, ج as g, ذ as th, ز as s),
and an English word's silent gh (branch i15t). Real rows of the tune parts: the UN list's
``NAME_ORIGINAL_SCRIPT`` (MAKHTAB AL-KHIDAMAT), the UK OFSI list's "Name Non-Latin
Script" (BONYAN DANESH SHARGH, SELSELAT AL THAHAB, DEFENCE INDUSTRIES ORGANISATION) and
the EU annexes' original-script names (Eiger Shipping, Laserchips, Moonlight
Shipmanagement), under ``benchmarks/data/screening/raw/``; and a person's name that a
similar consonant skeleton had taken to a company."""

from __future__ import annotations

import pytest

from factories import hit_keys, list_matcher
from raretrace.domain.screening import ListEntry
from raretrace.screening import Matcher
from raretrace.screening.normalise import name_variants
from raretrace.screening.siblings import alike_letters, alike_similarity

ORG = "Entity"
PERSON = "Individual"
ENTRIES = [
    ListEntry("mak", "MAKHTAB AL-KHIDAMAT", ("MAK", "Al Kifah"), ORG),
    ListEntry("bonyan", "BONYAN DANESH SHARGH PRIVATE COMPANY", entity_type=ORG),
    ListEntry(
        "silsilah",
        "SILSILAH MONEY EXCHANGE COMPANY",
        ("SELSELAT AL THAHAB FOR MONEY EXCHANGE",),
        ORG,
    ),
    ListEntry("eiger", "Eiger Shipping DMCC", entity_type=ORG),
    ListEntry("laserchips", "Laserchips FZCO", entity_type=ORG),
    ListEntry("moonlight", "Moonlight Shipmanagement L.L.C – FZ", entity_type=ORG),
    ListEntry(
        "dio",
        "DEFENCE INDUSTRIES ORGANISATION (DIO)",
        ("DEFENSE INDUSTRIES ORGANIZATION (DIO)",),
        ORG,
    ),
    ListEntry("sazemane", "SAZEMANE SANAYE DEFA", entity_type=ORG),
    # parties these names must not reach (a false hit seen on the tune part)
    ListEntry("synpex", "SYNPEX SHWE COMPANY LTD", entity_type=ORG),
    ListEntry("hossein", "Hossein BAKSHAYESH", entity_type=PERSON),
    ListEntry("haider", "Haider MEHDIGOLI", ("Heidar PASANDIDEH",), PERSON),
    ListEntry("basij", "BASIJ RESISTANCE FORCE", ("BASIJ-E MOSTAZ'AFIN",), ORG),
    # the EU annexes' ways of writing two names in one
    ListEntry("neptunus", "Neptunus LLC/Neptune LLC company", entity_type=ORG),
    ListEntry("ramadan", "Osama RAMADAN a.k.a. Usama", entity_type=PERSON),
    ListEntry("network", "ANSAR AL-MUJAHIDEEN NETWORK - SUB-UNIT NAME", entity_type=ORG),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return list_matcher(ENTRIES)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # خ written k (MAKHTAB, مكتب: the listing reads ك as kh)
        ("مكتب الخدمات", "mak"),
        # Persian ق as gh (شرق: SHARGH)
        ("شرکت بنیان دانش شرق", "bonyan"),
        # ذ as th (الذهب: AL THAHAB)
        ("سلسلة الذهب للصرافة", "silsilah"),
        # ج as g in a foreign name (ايجر: EIGER)
        ("إيجر شيبينغ م.د.م.س", "eiger"),
        # ز as s (ليزر: LASER)
        ("ليزر تشيبس ش م ح", "laserchips"),
        # English gh before t is silent (مونلايت: MOONLIGHT)
        ("مونلايت لادارة السفن ش.ذ.م.م-منطقة", "moonlight"),
        # a name rendered word for word by the glossary is kept beside one read by sound
        ("سازمان صنایع دفاع جمهوری اسلامی ایران", "dio"),
        ("سازمان صنایع دفاع جمهوری اسلامی ایران", "sazemane"),
    ],
)
def test_alike_letters_hit_the_listing(matcher: Matcher, name: str, key: str) -> None:
    assert key in hit_keys(matcher, name)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # a person's skeleton one alike letter from the listing's (خ as k, ق as g)
        ("حسین بخشایش", "hossein"),
        ("حیدر مهدیقلی", "haider"),
    ],
)
def test_alike_letters_in_persons_skeletons(matcher: Matcher, name: str, key: str) -> None:
    assert key in hit_keys(matcher, name)


def test_the_kind_of_a_persian_state_body_may_be_left_out(matcher: Matcher) -> None:
    # سازمان (organisation): the romanised listing leaves it out
    assert "basij" in hit_keys(matcher, "سازمان بسیج مستضعفین")


def test_a_persons_similar_skeleton_is_no_company(matcher: Matcher) -> None:
    # حسین بخشایش "hsnbxss" had reached SYNPEX SHWE "snbxs" (Latin x read as خ)
    assert "synpex" not in hit_keys(matcher, "حسین بخشایش")


def test_alike_similarity_counts_alike_letters_as_common() -> None:
    assert alike_similarity("srk", "srg") == 1.0
    assert alike_similarity("jr", "gr") == 1.0
    assert alike_similarity("mktb", "mxtb") == 1.0
    # an unlike letter, or one missing, still counts against
    assert alike_similarity("srk", "srm") < 0.7
    assert alike_similarity("ab", "abcd") == pytest.approx(2 / 3)
    assert set(alike_letters("k")) == {"k", "g", "x"}


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("شركة نبتونوس المحدودة المسؤولية", "neptunus"),
        ("أسامة رمضان", "ramadan"),
        ("شبكة أنصار المجاهدين", "network"),
    ],
)
def test_names_a_listing_joins_are_read_apart(matcher: Matcher, name: str, key: str) -> None:
    assert key in hit_keys(matcher, name)


def test_name_variants_of_joined_names() -> None:
    assert "Osama RAMADAN" in name_variants("Osama RAMADAN a.k.a. Usama")
    assert "Neptunus LLC" in name_variants("Neptunus LLC/Neptune LLC company")
    assert "ANSAR AL-MUJAHIDEEN NETWORK" in name_variants(
        "ANSAR AL-MUJAHIDEEN NETWORK - SUB-UNIT NAME"
    )
    # a slash between words, or inside a legal form, joins no two names
    assert name_variants("Foo Import/Export Co") == ("Foo Import/Export Co",)
    assert name_variants("ACME A/S") == ("ACME A/S",)
    assert name_variants("X 24/7 Ltd") == ("X 24/7 Ltd",)
