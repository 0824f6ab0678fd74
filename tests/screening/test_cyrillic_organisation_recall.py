"""Organisation names in Cyrillic as the EU's sanctions annexes and the UK list print
them, against their real English listings (rows of the *tune* parts of halves F and E,
``benchmarks/data/screening``):
two Russian words the listing renders as one (научно-исследовательский: research), a
town's adjective (Златоустовский: Zlatoust; Туапсинский: Tuapse; Нижегородский: Nizhny
Novgorod), Belarusian akanye (Лагекс: Logex), a listed name joining two names by a slash,
a language label before a second rendering, a sound run found by its letters where
its sound key parts (Архангел: Archangel), a listed name rendered without what it puts
in parentheses, a one-word name of seven letters or more read as an organisation's."""

from __future__ import annotations

import pytest

from factories import hit_keys, list_matcher
from raretrace.domain.screening import ListEntry
from raretrace.screening import Matcher
from raretrace.screening.normalise import name_variants
from raretrace.screening.translate import cyrillic_units

ORG = "Entity"
ENTRIES = [
    ListEntry(
        "NIIPP",
        "Joint Stock Company ‘Research Institute of Semiconductor Devices’",
        entity_type=ORG,
    ),
    ListEntry("ZLAT", "JSC Zlatoust Machine-Building Plant", entity_type=ORG),
    ListEntry("TUAP", "OJSC Tuapse Ship Repair Plant", entity_type=ORG),
    ListEntry("NOVO", "OA Novorossiyskiy Sudoremontnyy Zavod", entity_type=ORG),
    ListEntry("SOKOL", "Nizhny Novgorod Sokol Aircraft Plant", entity_type=ORG),
    ListEntry("ARCH", "Limited Liability Company “Archangel Center”", entity_type=ORG),
    ListEntry(
        "LEAGUE", "Association ‘League for Assistance to Defence Enterprises’", entity_type=ORG
    ),
    ListEntry("LOGEX", "Logex", entity_type=ORG),
    ListEntry(
        "BTRC",
        "Belteleradio Company / National State Television and Radio Company of the Republic"
        " of Belarus",
        entity_type=ORG,
    ),
    ListEntry("BRSM", "Belarusian Republican Youth Union", entity_type=ORG),
    ListEntry("142", "142nd Separate Electronic Warfare Battalion", entity_type=ORG),
    ListEntry("OKO", "Oko Design Bureau", entity_type=ORG),
    ListEntry("GRINEX", "Grinex", entity_type=ORG),
    ListEntry("ORSHA", "OPEN JOINT STOCK COMPANY ORSHA AIRCRAFT REPAIR PLANT", entity_type=ORG),
    ListEntry("AIRBURG", "Joint Stock Company ‘Airburg’", entity_type=ORG),
    ListEntry("BRIDGE", "Bridgetech LLC", entity_type=ORG),
    ListEntry("VECTOR", "Vector Group LLC", entity_type=ORG),
    ListEntry(
        "KMZ",
        "PJSC ‘Krasnogorsk Plant named after S.A. Zvereva’ (KMZ ‘Zenit’)",
        entity_type=ORG,
    ),
    ListEntry(
        "20ARZ", "Open Joint Stock Company 20 Aviation Repair Plant (20 ARZ)", entity_type=ORG
    ),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return list_matcher(ENTRIES)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # научно and исследовательский both render as research
        (
            "Акционерное Общество ‘Научно Исследовательский Институт Полупроводниковых Приборов’",
            "NIIPP",
        ),
        # a town's adjective adds -ов, -ин to the town's name
        ("Акционерное Общество «Златоустовский Машиностроительный Завод»", "ZLAT"),
        ("Открытое Акционерное Общество «Туапсинский Судоремонтный Завод»", "TUAP"),
        # a place whose adjective is not its name plus an ending
        ("Нижегородский авиастроительный завод ‘Сокол’", "SOKOL"),
        # found by its letters (its sound key begins otherwise than Archangel's)
        ("Общество с ограниченной ответственностью “Архангел-Центр”", "ARCH"),
        # four words of five translated: the fifth's sound counts for its share
        ("Ассоциация ‘Лига Содействия Оборонным Предприятиям’", "LEAGUE"),
        # Belarusian (its legal form tells it) writes the unstressed o as а
        ("ТАА ‘Лагекс’", "LOGEX"),
        # ... also where the name begins (the UK list's row: Orsha found by o for а)
        ("Адкрытае акцыянернае таварыства Аршанскі авіярамонтны завод", "ORSHA"),
        # the listed name holds two names joined by a slash
        ("Нацыянальная дзяржаўная тэлерадыёкампанiя Рэспублiкi Беларусь", "BTRC"),
        # a second rendering after a language label
        (
            "Белорусский республиканский союз молодёжи Belarusian: Беларускі рэспубліканскі"
            " саюз моладзі",
            "BRSM",
        ),
        # радиоэлектронная борьба as electronic warfare, a listed Separate the name lacks
        ("142-й батальон РЭБ", "142"),
        ("142-й батальон радиоэлектронной борьбы", "142"),
        # a short sound run compared by its letters
        ("Конструкторское бюро “Око”", "OKO"),
        # one word without a legal form: an organisation's name, read by its letters
        ("Гринекс", "GRINEX"),
        ("Бриджтех", "BRIDGE"),
        # English ai as эй
        ("Акционерное Общество ‘Эйрбург’", "AIRBURG"),
        # the listed name without what it adds in parentheses
        ("ПАО Красногорский завод им. С.А. Зверева", "KMZ"),
        ("Акционерное Общество «20 Авиационный Ремонтный Завод»", "20ARZ"),
    ],
)
def test_cyrillic_organisation_names_hit_their_listing(
    matcher: Matcher, name: str, key: str
) -> None:
    assert key in hit_keys(matcher, name)


def test_a_plant_of_another_town_is_not_reached(matcher: Matcher) -> None:
    # Туапсинский is Tuapse, not Novorossiysk: only the Tuapse plant
    assert hit_keys(matcher, "Открытое Акционерное Общество «Туапсинский Судоремонтный Завод»") == {
        "TUAP"
    }


def test_akanye_only_in_a_belarusian_name(matcher: Matcher) -> None:
    # with a Russian legal form, лагекс is not read as logex
    assert "LOGEX" not in hit_keys(matcher, "ООО ‘Лагекс’")
    assert not any(u.akanye for u in cyrillic_units("ООО ‘Лагекс’"))
    assert all(u.akanye for u in cyrillic_units("ТАА ‘Лагекс’"))


def test_a_town_adjective_carries_the_town_s_spellings() -> None:
    (unit,) = cyrillic_units("Златоустовский")
    assert unit.reading == "zlatoustov"
    assert "zlatoust" in unit.towns


def test_a_name_joining_two_names_by_a_slash_yields_each() -> None:
    assert name_variants("Sohra Group / Sohra LLC") == (
        "Sohra Group / Sohra LLC",
        "Sohra Group",
        "Sohra LLC",
    )


def test_a_short_one_word_name_is_not_read_alone(matcher: Matcher) -> None:
    # six letters: a word many names share (the UK list's TSK VEKTOR is not Vector Group)
    assert "VECTOR" not in hit_keys(matcher, "ВЕКТОР")
