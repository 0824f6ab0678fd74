"""Names in Arabic and Persian script against the EU's listings of them (half F's tune
part, ``benchmarks/data/screening``): the family name printed first in capitals
(POURANVARI Youssef), the Persian vav read v (Vali, Vahid, Ravari) while Afghan names
keep w (Wazir), and organisations with Arabic and Persian legal forms (م.م.ح, ش م ح,
با مسئولیت محدود), common nouns (فرقة division) and English words written by sound
(سيرفيسز services). Real rows: the EU annexes' names in their original script."""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.normalise import normalise, persian_reading, readings
from raretrace.screening.siblings import abjad_onsets, given_first, latin_onsets, onsets_agree

PERSON = "Individual"
ENTRIES = [
    ListEntry("EU-esmaeli", "ESMAELI Vali", entity_type=PERSON),
    ListEntry("SDN-ismail", "'ALI, Isma'il", entity_type=PERSON),
    ListEntry("EU-pouranvari", "POURANVARI Youssef", ("POURANVARI Youssuf",), entity_type=PERSON),
    ListEntry("EU-ravari", "Reza HAMIDIRAVARI", ("Reza HAMIDI RAVARI",), entity_type=PERSON),
    ListEntry("EU-jomeiri", "JOMEIRI Fathollah", entity_type=PERSON),
    ListEntry("UN-wazir", "AHMED JAN WAZIR AKHTAR MOHAMMAD", entity_type=PERSON),
    ListEntry("EU-nouri", "Ali Zare NOURI", entity_type=PERSON),
    ListEntry("EU-ghiasi", "Seyed Hashem GHIASI", ("Hashem GHIASI",), entity_type=PERSON),
    ListEntry("EU-murad", "The Sultan Murad Division"),
    ListEntry("EU-turboshaft", "Turboshaft FZE", ("Black Metal FZE",)),
    ListEntry("EU-success", "Success Aviation Services FZC", ("Success Aviation Services FZCO",)),
    ListEntry("EU-sahab", "Samane Gostar Sahab Pardaz Private Limited Company", ("Sahab Pardaz",)),
    ListEntry("UN-nusrah", "AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT"),
    ListEntry(
        "OFSI-morality",
        "MORALITY POLICE",
        ("GUIDANCE PATROL", "IRAN MORALITY POLICE", "MORALITY SECURITY POLICE"),
    ),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("eval", 1, e) for e in ENTRIES)


def _keys(matcher: Matcher, name: str) -> list[str]:
    return [m.indexed.entry.entry_key for m in matcher.match(Subject(name, None, ""))]


def test_a_surname_printed_first_in_capitals_is_turned() -> None:
    assert given_first("KHAN MOHAMMADI Hodjatoleslam Ali") == "Hodjatoleslam Ali KHAN MOHAMMADI"
    assert given_first("HASAN, Bilal") == " Bilal HASAN"
    # given names first, or all in capitals: as written
    assert given_first("Reza HAMIDIRAVARI") is None
    assert given_first("AHMED JAN WAZIR") is None


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("یوسف پورانوارﻯ", "EU-pouranvari"),  # Youssef POURANVARI
        ("فتح الله جمیرى", "EU-jomeiri"),  # Fathollah JOMEIRI
    ],
)
def test_eu_names_family_name_first_hit(matcher: Matcher, name: str, key: str) -> None:
    assert _keys(matcher, name) == [key]


def test_persian_vav_is_read_v_before_w(matcher: Matcher) -> None:
    assert persian_reading("ولی اسماعیلی") == "ڤلی اسماعیلی"
    assert readings("رضا حمیدی راوری") == ("رضا حمیدی راڤری", "رضا حمیدی راوری")
    assert persian_reading("علي حسن") is None  # no Persian letter: Arabic, w
    # Vali ESMAELI, not 'ALI, Isma'il (whose skeleton the reading with w shares)
    assert _keys(matcher, "ولی اسماعیلی") == ["EU-esmaeli"]
    assert _keys(matcher, "رضا حمیدی راوری") == ["EU-ravari"]
    # an Afghan name in the same letters still reads w where v finds nothing
    assert _keys(matcher, "احمد جان وزیر اختر محمد") == ["UN-wazir"]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("فرقة السلطان مراد", "EU-murad"),  # firqa: division
        ("توربو شافت م.م.ح", "EU-turboshaft"),  # FZE written letter by letter
        ("ساكسيس افييشن سيرفيسز ش م ح", "EU-success"),  # aviation, services by sound
        ("شرکت سامان گستر سحاب پرداز با مسئولیت محدود", "EU-sahab"),  # limited liability
        ("جبهة النصرة لأهل الشام", "UN-nusrah"),  # Nusrah: ta marbuta written -ah
        ("گشت ارشاد", "OFSI-morality"),  # guidance patrol
        ("پلیس امنیت اخلاقی", "OFSI-morality"),  # morality security police
    ],
)
def test_arabic_and_persian_organisations_hit(matcher: Matcher, name: str, key: str) -> None:
    assert _keys(matcher, name) == [key]


ONSET_ENTRIES = [
    ListEntry("EU-hosseini", "Hamid HOSSEINI", entity_type=PERSON),
    ListEntry("SDN-ahmad", "AHMAD, Hasan", entity_type=PERSON),
    ListEntry("UN-ahmadi", "MOHAMMAD AHMADI", entity_type=PERSON),
    ListEntry("SDN-hamid", "HAMID, Mahmoud", entity_type=PERSON),
    ListEntry("UN-mati", "MOHAMMADULLAH MATI", entity_type=PERSON),
    ListEntry("UN-sundus", "Sundus Abd Al-Ghafur", entity_type=PERSON),
]


@pytest.fixture(scope="module")
def onset_matcher() -> Matcher:
    return Matcher(IndexedEntry("eval", 1, e) for e in ONSET_ENTRIES)


def test_word_onsets_of_abjad_and_latin_names() -> None:
    assert abjad_onsets("حمید حسینی") == ("C", "C")
    assert abjad_onsets("سندس عبد الغفور") == ("C", "V", "?")
    assert latin_onsets(normalise("Ahmad Hasan").tokens) == ("V", "C")
    assert latin_onsets(normalise("Sundus Abd Al-Ghafur").tokens) == ("C", "V", "?")
    assert latin_onsets(normalise("Mahfouz Ould al-Walid").tokens) == ("C", "?", "?")
    assert not onsets_agree(("C", "C"), ("V", "C"))
    assert onsets_agree(("C", "V", "C"), ("C", "C"))  # a compound: first words alike


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("حمید حسینی", "EU-hosseini"),  # not AHMAD, Hasan: Ahmad's alef is not written
        ("محمد احمدی", "UN-ahmadi"),  # not Mahmoud HAMID: احمدی begins with a vowel
        ("محمد الله مطيع", "UN-mati"),
        ("سندس عبد الغفور", "UN-sundus"),
    ],
)
def test_a_vowel_arabic_script_writes_tells_names_apart(
    onset_matcher: Matcher, name: str, key: str
) -> None:
    assert _keys(onset_matcher, name) == [key]


GLIDE_ENTRIES = [
    ListEntry("UN-lounici", "DJAMEL LOUNICI", ("Jamal Lounici",), entity_type=PERSON),
    ListEntry("SDN-yunes", "Jamal YUNES", ("Jamal YOUNES",), entity_type=PERSON),
    ListEntry("UN-fazal", "FAZAL RAHIM", ("Fazel Rahim", "Fazil Rahim"), entity_type=PERSON),
    ListEntry("UN-yassine", "YASSINE CHEKKOURI", entity_type=PERSON),
    ListEntry("SDN-saqr", "SAQR, Sinan", entity_type=PERSON),
    ListEntry("OFSI-sayyed", "Khayr al-Din AL-SAYYED", entity_type=PERSON),
]


@pytest.fixture(scope="module")
def glide_matcher() -> Matcher:
    return Matcher(IndexedEntry("eval", 1, e) for e in GLIDE_ENTRIES)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # a word's own l is no article, yeh begins Yunes, French c before i is s
        ("جمال لونيسي", "UN-lounici"),
        ("ياسين شكوري", "UN-yassine"),  # not SAQR, Sinan: ي begins Yassine
        ("فضل رحيم", "UN-fazal"),  # ض read z as Persian and Urdu read it
        ("،السيد الدين خير", "OFSI-sayyed"),  # an Arabic comma is no letter
    ],
)
def test_glides_and_the_article_tell_names_apart(
    glide_matcher: Matcher, name: str, key: str
) -> None:
    assert _keys(glide_matcher, name) == [key]


def test_a_title_is_left_out_only_where_the_name_with_it_finds_nothing(
    matcher: Matcher,
) -> None:
    assert readings("سید علی زارع نورى") == ("سید علی زارع نورى", "علی زارع نورى")
    assert readings("الشيخ محمد") == ("الشيخ محمد",)  # one word left: no reading
    assert _keys(matcher, "سید علی زارع نورى") == ["EU-nouri"]  # Seyyed Ali Zare NOURI
    assert _keys(matcher, "سید هاشم غیاثی") == ["EU-ghiasi"]
