"""Ukrainian and Belarusian names in their national romanisations, and Persian letter
values, on real names of the UK OFSI Consolidated List (benchmarks/data/screening/raw,
half E's tuning part): the non-Latin name the list gives against its romanised listing."""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import DEFAULT_THRESHOLD, IndexedEntry, Matcher
from raretrace.screening.normalise import normalise, readings
from raretrace.screening.slavic import language, national_reading

ENTRIES = [
    ListEntry("filipchuk", "Pavlo Ihorovych FILIPCHUK", entity_type="Individual"),
    ListEntry("gusachenka", "Siarhei Aliaksandravich GUSACHENKA", entity_type="Individual"),
    ListEntry("belaruskali", 'OPEN JOINT STOCK COMPANY "BELARUSKALI"', entity_type="Entity"),
    ListEntry("khaki", "Reza KHAKI", entity_type="Individual"),
    ListEntry("barati", "Morteza BARATI", entity_type="Individual"),
    ListEntry("dawwa", "Ali DAWWA", entity_type="Individual"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("test", 1, e) for e in ENTRIES)


def _keys(matcher: Matcher, name: str) -> list[str]:
    found = matcher.match(Subject(name, None, ""), DEFAULT_THRESHOLD)
    return [m.indexed.entry.entry_key for m in found]


def test_language_is_told_by_the_letters_only_it_writes() -> None:
    assert language("ФІЛІПЧУК ПАВЛО ІГОРОВИЧ") == "uk"  # і, no ы/э
    assert language("Андрэй Яўгенавіч КРЫВАШЭЕЎ") == "be"  # ў
    # a Latin i for Cyrillic і (as the list writes it) still tells Belarusian beside э
    assert language("Сяргей Аляксандравiч ГУСАЧЭНКА") == "be"
    assert language("Сергей Анатольевич Соловьев") == ""  # Russian: anyascii reads it
    assert language("Reza KHAKI") == ""


def test_national_reading_follows_the_passport_romanisation() -> None:
    assert national_reading("ФІЛІПЧУК ПАВЛО ІГОРОВИЧ") == "filipchuk pavlo ihorovych"
    assert national_reading("Сяргей Аляксандравiч ГУСАЧЭНКА") == (
        "siarhei aliaksandravich husachenka"
    )
    assert national_reading("Ходотов Євген Гаррійович") == "khodotov yevhen harriiovych"
    assert national_reading("Сергей Иванов") is None
    assert readings("ФІЛІПЧУК ПАВЛО ІГОРОВИЧ") == (
        "ФІЛІПЧУК ПАВЛО ІГОРОВИЧ",
        "filipchuk pavlo ihorovych",
    )


def test_ukrainian_and_belarusian_names_hit_their_listing(matcher: Matcher) -> None:
    assert _keys(matcher, "ФІЛІПЧУК ПАВЛО ІГОРОВИЧ") == ["filipchuk"]
    assert _keys(matcher, "Сяргей Аляксандравiч ГУСАЧЭНКА") == ["gusachenka"]
    # Belarusian legal form (Adkrytae aktsyianernae tavarystva: open joint-stock company)
    assert _keys(matcher, 'Адкрытае акцыянернае таварыства "Беларуськалiй"') == ["belaruskali"]
    # another given name and patronymic is another person
    assert _keys(matcher, "ФІЛІПЧУК ОЛЕКСАНДР МИКОЛАЙОВИЧ") == []


def test_persian_letters_read_with_persian_sounds(matcher: Matcher) -> None:
    # ض is z in Persian (رضا Reza), d in Arabic (ضوا Dawwa)
    assert normalise("رضا خاکی").tokens == ("rz", "khky")
    assert normalise("علي ضوا").tokens == ("ly", "dw")
    assert _keys(matcher, "رضا خاکی") == ["khaki"]
    assert _keys(matcher, "مرتضی براتی") == ["barati"]
    # another surname is another person
    assert _keys(matcher, "رضا براتی") == []


ORGS = [
    ListEntry("chmk", "CHELYABINSK METALLURGICAL PLANT", entity_type="Entity"),
    ListEntry("arp", "JSC 558 AIRCRAFT REPAIR PLANT", entity_type="Entity"),
    ListEntry("novikom", "JOINT-STOCK COMMERCIAL BANK NOVIKOMBANK", entity_type="Entity"),
    ListEntry("tambov", "FEDERAL STATE ENTERPRISE TAMBOV POWDER PLANT", entity_type="Entity"),
]


@pytest.fixture(scope="module")
def org_matcher() -> Matcher:
    return Matcher(IndexedEntry("test", 1, e) for e in ORGS)


def test_russian_names_of_organisations_are_translated(org_matcher: Matcher) -> None:
    from raretrace.screening.translate import cyrillic_units

    kinds = [
        (u.kind, u.senses[:1]) for u in cyrillic_units("Челябинский металлургический комбинат")
    ]
    assert kinds == [("sound", ()), ("word", (("metallurgical",),)), ("word", (("plant",),))]
    assert _keys(org_matcher, "Челябинский металлургический комбинат") == ["chmk"]
    assert _keys(org_matcher, "558 АВИАЦИОННЫЙ РЕМОНТНЫЙ ЗАВОД") == ["arp"]
    assert _keys(org_matcher, "558 АВІЯЦЫЙНЫ РАМОНТНЫ ЗАВОД") == ["arp"]  # Belarusian
    assert _keys(org_matcher, "Акционерный Коммерческий Банк НОВИКОМБАНК") == ["novikom"]
    # казенное (state-owned) translated; Тамбовский read as the town, Tambov
    tambov = "Федеральное казенное предприятие Тамбовский пороховой завод"
    assert _keys(org_matcher, tambov) == ["tambov"]
    assert _keys(org_matcher, "Федеральное казенное предприятие Пермский пороховой завод") == []
    # another town's plant, another number: not the listed party
    assert _keys(org_matcher, "Магнитогорский металлургический комбинат") == []
    assert _keys(org_matcher, "559 АВИАЦИОННЫЙ РЕМОНТНЫЙ ЗАВОД") == []


def test_russian_reading_spells_as_western_lists_do() -> None:
    from raretrace.screening.slavic import russian_reading

    # е after a soft sign or vowel: ye; ий at the end: y (anyascii: "vasil'ev", "valeriy")
    assert russian_reading("Валерий Николаевич ВАСИЛЬЕВ") == "valery nikolayevich vasilyev"
    assert russian_reading("Артём Юрьевич ЧАЙКА") == "artyom yuryevich chayka"
    assert russian_reading("ФІЛІПЧУК ПАВЛО ІГОРОВИЧ") is None  # Ukrainian: national reading
    entries = [
        ListEntry("vasilyev", "Valery Nikolayevich VASILYEV", entity_type="Individual"),
        ListEntry("vorobyov", "Andrei Yuryevich VOROBYOV", entity_type="Individual"),
        ListEntry("yas", "Y.A.S. CO LTD.", entity_type="Entity"),
    ]
    matcher = Matcher(IndexedEntry("test", 1, e) for e in entries)
    assert _keys(matcher, "Валерий Николаевич ВАСИЛЬЕВ") == ["vasilyev"]
    assert _keys(matcher, "Андрей Юрьевич Воробьев") == ["vorobyov"]
    # another given name and patronymic: another person
    assert _keys(matcher, "Андрей Николаевич ВАСИЛЬЕВ") == []
    # a name with a patronymic is a person's: its initials (yas) are no acronym
    assert _keys(matcher, "Юрий Аркадьевич СТАНКЕВИЧ") == []
    assert normalise("Yury Arkadyevich STANKEVICH").initials == ""
    assert normalise("Roman ABRAMOVICH").initials == "ra"  # two words: may be a surname


def test_persian_names_of_state_bodies_are_translated() -> None:
    entries = [
        ListEntry("fajr", "FAJR INDUSTRIAL GROUP", entity_type="Entity"),
        ListEntry("scrc", "SUPREME COUNCIL OF THE CULTURAL REVOLUTION", entity_type="Entity"),
    ]
    matcher = Matcher(IndexedEntry("test", 1, e) for e in entries)
    # گروه group, صنایع industries; فجر by sound (fjr)
    assert _keys(matcher, "گروه صنایع فجر") == ["fajr"]
    assert _keys(matcher, "شورای عالی انقلاب فرهنگی") == ["scrc"]
    # another name by sound, another body: not the listed one
    assert _keys(matcher, "گروه صنایع شهید همت") == []
    assert _keys(matcher, "شورای عالی امنیت ملی") == []  # Supreme National Security Council
