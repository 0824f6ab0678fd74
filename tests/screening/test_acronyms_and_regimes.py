"""False hits of the labelled set's halves C, D and F (tune parts) read one by one
(branch i15r): initials that stand for a listed acronym only where the name is written
in Cyrillic, one way, and a quoted name's own; one person listed once per regime on one
list, and names of three words or more whose short words agree, joined by the same
full date of birth. The rows are real: the labelled set's list entries
(benchmarks/data/screening/list.csv, from the SDN, UN, UK OFSI lists and the EU
annexes) and its queries."""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.siblings import names_agree, one_list

EU = "EU Official Journal sanctions annexes (OpenSanctions eu_journal_sanctions)"
SDN = "Specially Designated Nationals (SDN) - Treasury Department"
UK = "UK HM Treasury OFSI Consolidated List"
PRC = "PRC countermeasure / export control lists"

ENTRIES = [
    # listed acronyms and the names they stand for (EU annexes)
    ListEntry(
        "EU-32014R0833-IV-343",
        "Sukhoi Civil Aircraft",
        aliases=("AO GSS",),
        entity_type="Entity",
        source=EU,
        programs=("EU-RUS",),
    ),
    ListEntry(
        "EU-32014R0833-IV-379-VTK",
        "VTK Ltd",
        entity_type="Entity",
        source=EU,
        programs=("EU-RUS",),
    ),
    ListEntry(
        "EU-32014R0269-I.ENTITIES-379",
        "JSC Design Bureau of Mechanical Engineering",
        aliases=("JSC KBM",),
        entity_type="Entity",
        source=EU,
        programs=("EU-UKR",),
    ),
    ListEntry("OFSI-15734", "LLC CST", aliases=("LLC TSST", "ZALA AERO GROUP"), source=UK),
    ListEntry(
        "IRe.036",
        "KHATAM AL-ANBIYA CONSTRUCTION HEADQUARTERS (KAA)",
        entity_type="Entity",
        source="UN Security Council Consolidated List",
    ),
    # listed names whose initials a bare acronym spells
    ListEntry(
        "17255",
        "MYTISHCHINSKI MASHINOSTROITELNY ZAVOD, OAO",
        aliases=("JSC MYTISHCHINSKI MACHINE-BUILDING PLANT",),
        entity_type="Entity",
        countries=("RU",),
        source=SDN,
    ),
    ListEntry("b3b1d4e8b0a668ed", "Aoki Seimitsu Kogyo Co., Ltd.", source=PRC),
    ListEntry("8106ec6093fffa5e", "TDK Corporation", source=PRC),
    ListEntry(
        "EU-32014R0833-IV-783",
        "OOO TD KHIMMED",
        aliases=("OOO TORGOVYY DOM KHIMMED", "LLC Chimmed", "Chimmed Group"),
        entity_type="Entity",
        source=EU,
        programs=("EU-RUS",),
    ),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("lists", 1, e) for e in ENTRIES)


def _keys(matcher: Matcher, name: str) -> list[str]:
    return [m.indexed.entry.entry_key for m in matcher.match(Subject(name, None, ""))]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # F tune: a Russian name and its Russian acronym, romanised letter by letter
        ("Акционерное Общество «Гражданские Самолеты Сухого»", "EU-32014R0833-IV-343"),
        (
            "Общество с Ограниченной Ответственностью «Ваша Топливная Компания»",
            "EU-32014R0833-IV-379-VTK",
        ),
    ],
)
def test_a_cyrillic_name_meets_its_listed_acronym(
    matcher: Matcher, query: str, expected: str
) -> None:
    assert _keys(matcher, query) == [expected]


@pytest.mark.parametrize(
    "query",
    [
        # Latin letters: initials meet a listed acronym by chance (D, A-C: hard negatives)
        "Calle Serna Trading Co., Ltd.",
        "KHATTALAH Ahmad Abu",
        # a bare acronym against listed names by their initials (F tune)
        "ОАО ‘ММЗ’",
        "ООО ‘АСК’",
        # descriptive words and a quoted name: КБ «Микроб» (F tune)
        "Конструкторское бюро ‘Микроб’",
    ],
)
def test_initials_that_are_no_acronym_do_not_hit(matcher: Matcher, query: str) -> None:
    assert _keys(matcher, query) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # D tune: TDK, not Torgovyy Dom Khimmed by its initials
        ("TDK株式会社", "8106ec6093fffa5e"),
        # F tune: ТД «Химмед», not TDK Corporation
        ("ООО ТОРГОВЫЙ ДОМ ‘ХИММЕД", "EU-32014R0833-IV-783"),
    ],
)
def test_only_the_party_itself_hits(matcher: Matcher, query: str, expected: str) -> None:
    assert _keys(matcher, query) == [expected]


def test_one_list_under_two_regimes_is_two_lists() -> None:
    # the EU lists Igor Yuryevich CHAIKA under the Ukraine and the Moldova regulations
    assert not one_list(EU, ("EU-UKR",), EU, ("EU-MDA",))
    assert one_list(EU, ("EU-UKR",), EU, ("EU-UKR", "EU-RUS"))
    # no regime given on one side: one list, as before
    assert one_list(SDN, (), SDN, ("SDGT",))
    assert not one_list(SDN, ("SDGT",), UK, ("SDGT",))


def test_one_person_under_two_regimes_of_one_list_is_one_hit() -> None:
    chaika = [
        ListEntry(
            "EU-32014R0269-I.PERSONS-1509",
            "Igor Yurievich CHAIKA",
            aliases=("Igor Yurievich CHAYKA",),
            entity_type="Individual",
            source=EU,
            programs=("EU-UKR",),
            dates_of_birth=("1988-12-13",),
        ),
        ListEntry(
            "EU-32023R0888-I.A-4",
            "Igor Yuryevich CHAIKA",
            aliases=("Igor Yuryevich CHAYKA",),
            entity_type="Individual",
            source=EU,
            programs=("EU-MDA",),
            dates_of_birth=("1988-12-13",),
        ),
    ]
    matcher = Matcher(IndexedEntry("lists", 1, e) for e in chaika)
    (m,) = matcher.match(Subject("Игорь Юрьевич ЧАЙКА", None, ""))
    keys = {m.indexed.entry.entry_key, *(s.entry.entry_key for s in m.siblings)}
    assert keys == {"EU-32014R0269-I.PERSONS-1509", "EU-32023R0888-I.A-4"}
    assert "same name and date of birth 1988-12-13" in m.features[-1].detail


def test_short_words_agree_in_names_of_three_words_or_more() -> None:
    # the SDN and the UN list, both born 1960-04-21 / 1961-03-01
    assert names_agree(["AHMAD, Zaki Izzat Zaki"], ["ZAKI EZAT ZAKI AHMED"])
    assert names_agree(["YUSUF, Hani al-Sayid Al-Sibai"], ["HANI AL-SAYYID AL-SEBAI YUSIF"])
    # two words: three consonants still needed ("Abu Yasir", an alias of the UN's
    # TARKHAN ISMAILOVICH GAZIEV, is not SARRIA-DIAZ, Rafael A, born the same day)
    assert not names_agree(["SARRIA-DIAZ, Rafael A"], ["Abu Yasir"])
