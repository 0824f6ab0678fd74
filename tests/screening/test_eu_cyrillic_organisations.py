"""Organisation names in Cyrillic as the EU's sanctions annexes print them (``benchmarks/
data/screening/raw/eu_oj/*.csv.gz``: 32006R0765 Belarus, 32014R0269 Ukraine, 32014R0833
Russia), against their real English listings, all rows of half F's *tune* part
(``screening_quality.part`` of their entry keys): Latin look-alike letters and the
Belarusian apostrophe inside Cyrillic words, Belarusian, Kazakh and Latin legal forms,
a listed abbreviation the Cyrillic name spells out, and ordinary words of the annexes'
names (``translate``, ``translation_tables``)."""

from __future__ import annotations

import pytest

from factories import hit_keys, list_matcher
from raretrace.domain.screening import ListEntry
from raretrace.screening import Matcher
from raretrace.screening.translate import cyrillic_units, render, units

ORG = "Entity"
ENTRIES = [
    ListEntry("I.B-18", "Republican unitary enterprise ‘TSENTRKURORT’", entity_type=ORG),
    ListEntry("I.B-21", "Open Joint Stock Company ‘Hotel Planeta’", entity_type=ORG),
    ListEntry("I.B-26", "State Production Association ‘Belorusneft’", entity_type=ORG),
    ListEntry("I.ENTITIES-394", "NPO BAZALT", entity_type=ORG),
    ListEntry("I.ENTITIES-399", "Non-governmental organisation ‘Delfini’", entity_type=ORG),
    ListEntry(
        "I.ENTITIES-516", "Limited Liability Company “Eliars”", ("LLC Eliars",), entity_type=ORG
    ),
    ListEntry(
        "I.ENTITIES-545",
        "Limited Liability Company ‘Trading House ‘Lobaev Arms’’",
        entity_type=ORG,
    ),
    ListEntry("IV-666", "Da Group 22", ("«DA GROUP 22»",), entity_type=ORG),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return list_matcher(ENTRIES)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # the listing translates the first word (Republican), transliterates the name
        ("Республиканское унитарное предприятие ‘ЦЕНТРКУРОРТ’", "I.B-18"),
        # Belarusian, with the Latin i the Journal prints inside Cyrillic words
        ("Рэспублiканскае унiтарнае прадпрыемства ‘ЦЭНТРКУРОРТ’", "I.B-18"),
        # a legal form in Latin letters (OAO), an ordinary word translated (hotel)
        ("OAO ‘Гостиница Планета’", "I.B-21"),
        ("ААТ ‘Гасцiнiца Планета’", "I.B-21"),
        # the Belarusian apostrophe inside a word (аб'яднанне: association)
        ("Дзяржаўнае вытворчае аб'яднанне ‘Беларуснафта’", "I.B-26"),
        # the listing abbreviates what the name spells out (NPO)
        ("Научно-производственное объединение ‘Базальт’", "I.ENTITIES-394"),
        ("Общественная организация ‘Дельфины’", "I.ENTITIES-399"),
        # a Latin c for the Cyrillic preposition с
        ("Общество c ограниченной ответственностью “Элиарс”", "I.ENTITIES-516"),
        ("ООО Торговый Дом Лобаев Армс", "I.ENTITIES-545"),
        # a Kazakh legal form (limited liability partnership)
        ("«DA GROUP 22» Жауапкершілігі Шектеулі Серіктестігі", "IV-666"),
    ],
)
def test_eu_cyrillic_organisation_names_hit_their_listing(
    matcher: Matcher, name: str, key: str
) -> None:
    assert key in hit_keys(matcher, name)


def test_another_organisation_of_the_same_kind_is_not_reached(matcher: Matcher) -> None:
    # NPO spelled out, but another name: not NPO BAZALT
    assert hit_keys(matcher, "Научно-производственное объединение ‘Алмаз’") == set()
    # a hotel of another name is not Hotel Planeta
    assert hit_keys(matcher, "ООО ‘Гостиница Космос’") == set()


def test_an_abbreviation_spelled_out_alone_is_no_match() -> None:
    # Муромский приборостроительный завод spells MPZ, which many plants do
    query, script = units("Акционерное общество ‘Муромский приборостроительный завод’")
    assert render(query, ("mpz",), script, company=True) is None
    # with a name beside it, it counts
    query, script = units("Научно-производственное объединение ‘Базальт’")
    found = render(query, ("npo", "bazalt"), script, company=True)
    assert found is not None
    assert "научно производственное объединение npo" in found.translated


def test_look_alikes_apostrophes_initials_and_language_labels_are_read() -> None:
    texts = [u.text for u in cyrillic_units("Рэспублiканскае унiтарнае прадпрыемства")]
    assert texts == ["рэспубліканскае", "унітарнае", "прадпрыемства"]
    assert [u.text for u in cyrillic_units("аб'яднанне")] == ["абяднанне"]
    # a person's initials are one word, as a list's "P.D." normalises to "pd"
    assert "пд" in [u.text for u in cyrillic_units("МКБ ‘Факел’ имени академика П. Д. Грушина")]
    # "Russian:" before the name is the list's label, OAO a legal form
    assert [u.text for u in cyrillic_units("Russian: Росгвардия")] == ["росгвардия"]
    assert [u.kind for u in cyrillic_units("OAO ‘Гостиница Планета’")] == ["word", "sound"]
