"""Cyrillic organisation names with acronyms, and names that tell an organisation by
quotes or "named after", against their real English listings (rows of the *tune* parts
of halves F and E, ``benchmarks/data/screening``): an acronym the listing writes out
or abbreviates in English (ФТИ: Physical-Technical Institute; ОДК: UEC), a name that
gives its own acronym beside its words (МЗКТ - Минский завод колёсных тягачей / MZKT),
Latin capitals that look like Cyrillic ones read as Cyrillic (Остек-CMT / OSTEC-SMT),
a company's one sound run finding its listing by its letters (ООО Сохра / Sohra LLC),
a listed name's own acronym after it (JSC Tula Cartridge Plant, JSC TCP), a quoted name
or one named after a person read as an organisation's (МКБ ‘Факел’ имени академика П. Д.
Грушина)."""

from __future__ import annotations

import pytest

from factories import hit_keys, list_matcher
from raretrace.domain.screening import ListEntry
from raretrace.screening import Matcher
from raretrace.screening.translate import cyrillic_units, organisation, units

ORG = "Entity"
ENTRIES = [
    ListEntry("KLIMOV", "JSC UEC Klimov", entity_type=ORG),
    ListEntry("KUZNETSOV", "PJSC UEC-KUZNETSOV ( ’)", entity_type=ORG),
    ListEntry("GAZPROM-LNG", "LLC Gazprom LNG Technologies", entity_type=ORG),
    ListEntry(
        "IOFFE",
        "Federal State-Financed Institution of Science Physics and Technology Institute Named"
        " After A.F. Ioffe of the Russian Federation Academy of Sciences",
        entity_type=ORG,
        aliases=["Ioffe Institute", "Physical-Technical Institute named after A.F. Ioffe"],
    ),
    ListEntry(
        "SMENA",
        "All Russian Children’s Centre ‘Smena’",
        entity_type=ORG,
        aliases=["All-Russian Children’s Centre ‘Change’"],
    ),
    ListEntry(
        "LENINETZ",
        "Public Joint Stock company “Central Scientific and Production Association ‘Leninetz’ ”",
        entity_type=ORG,
        aliases=["PJSC “CSPA ‘LENINETZ’ ”"],
    ),
    ListEntry("MZKT", "MZKT", entity_type=ORG, aliases=["VOLAT"]),
    ListEntry("TULA", "JSC Tula Cartridge Plant, JSC TCP", entity_type=ORG),
    ListEntry("FAKEL", "MKB ‘Fakel’ named after P.D. Grushin", entity_type=ORG),
    ListEntry("OSTEC-EC", "OSTEC-EC LTD", entity_type=ORG),
    ListEntry("OSTEC-SMT", "OSTEC-SMT LTD", entity_type=ORG),
    ListEntry("OSTEC-TEST", "OSTEC-TEST LTD", entity_type=ORG),
    ListEntry("SOHRA", "Sohra Group / Sohra LLC", entity_type=ORG),
    ListEntry("SOGLASIE", "Limited Liability Company Soglasie Insurance Company", entity_type=ORG),
    # other parties the rules must not reach
    ListEntry("UEC", "UEC", entity_type=ORG),
    ListEntry("IRZ", "IRZ OAO", entity_type=ORG),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return list_matcher(ENTRIES)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # an acronym the listing abbreviates in English, letter by letter
        ("АО ‘ОДК-Климов’", "KLIMOV"),
        ("ПАО ‘ОДК-Кузнецов", "KUZNETSOV"),
        ("ООО Газпром СПГ Технологии", "GAZPROM-LNG"),
        # ... or writes out
        ("ФТИ им. А.Ф. Иоффе", "IOFFE"),
        ("ФГБОУ ВДЦ ‘Смена’", "SMENA"),
        ("ПAО “ЦНПО ‘ЛЕНИНЕЦ’ ”", "LENINETZ"),
        # its last letter the company, which the listing's normalisation sets aside
        ("ООО СК “СОГЛАСИЕ”", "SOGLASIE"),
        # the name gives its acronym beside its words; the listing one of the two
        ("МЗКТ - Минский завод колёсных тягачей", "MZKT"),
        ("Акционерное Общество ‘Тульский Патронный Завод’, АО ‘ТПЗ’", "TULA"),
        # a quoted name, named after a person: an organisation's, matched by its sounds
        ("МКБ ‘Факел’ имени академика П. Д. Грушина", "FAKEL"),
        # listed words folded one by one: the c ending OSTEC is no soft c before EC
        ("OOO “Остек-Эк”", "OSTEC-EC"),
        # Latin capitals that look like Cyrillic ones, hyphened to a Cyrillic word
        ("Общество с ограниченной ответственностью “Остек-CMT”", "OSTEC-SMT"),
        ("Общество с ограниченной ответственностью “Остек-TECT”", "OSTEC-TEST"),
        # found by its letters where its sound key begins otherwise (sokhra: Sohra)
        ("ООО Сохра", "SOHRA"),
    ],
)
def test_cyrillic_acronyms_hit_their_listing(matcher: Matcher, name: str, key: str) -> None:
    assert key in hit_keys(matcher, name)


def test_acronyms_are_capitals_in_lower_case_or_without_vowels() -> None:
    assert [u.acronym for u in cyrillic_units("АО ‘ОДК-Климов’")] == [True, False]
    assert [u.acronym for u in cyrillic_units("АО ДМЗ ИМ. Н.П. ФЕДОРОВА")] == [
        True,
        False,
        False,
    ]
    # a word in capitals in a name all in capitals, with vowels, is a word
    assert not any(u.acronym for u in cyrillic_units("ООО ‘МОРЕ’"))


def test_an_acronym_alone_is_no_evidence(matcher: Matcher) -> None:
    # ОДК abbreviated as UEC, with nothing else of the name: not rendered
    assert "UEC" not in hit_keys(matcher, "АО ‘ОДК’")
    # ИРЗ written as IRZ is the ordinary path's (a listing of another party here)
    assert hit_keys(matcher, "ООО ИРЗ") <= {"IRZ"}


def test_quotes_and_named_after_tell_an_organisation() -> None:
    for name in ("РКБ ‘Глобус’", "МКБ Факел имени академика П. Д. Грушина"):
        assert organisation(name, units(name)[0], "cyrillic")
    # an apostrophe inside a Belarusian or Ukrainian word is no quote
    name = "Сяргей Мар’ян"
    assert not organisation(name, units(name)[0], "cyrillic")
