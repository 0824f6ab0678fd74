"""Organisation names in Cyrillic and Arabic script that lists translate, as the UK OFSI
list writes them in its "Name Non-Latin Script" column (``benchmarks/data/screening/raw/
ofsi_conlist_2025-04-10.xlsx``) and the UN list in ``NAME_ORIGINAL_SCRIPT``, against
their real English listings (``translate``): compounds, abbreviations, stress marks,
bracketed acronyms, legal forms on either side, and organisations matched by sound."""

from __future__ import annotations

import pytest

from factories import hit_keys, list_matcher
from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import Matcher
from raretrace.screening.translate import cyrillic_units, organisation, units

ORG = "Entity"
PERSON = "Individual"
ENTRIES = [
    ListEntry("crocus", "CROCUS NANO ELECTRONICS", entity_type=ORG),
    ListEntry("rti", "RADIOTECHNICAL AND INFORMATION SYSTEMS CONCERN", entity_type=ORG),
    ListEntry("rvc", "RUSSIAN VENTURE COMPANY", entity_type=ORG),
    ListEntry("uac", "PUBLIC JOINT STOCK COMPANY “UNITED AIRCRAFT CORPORATION”", entity_type=ORG),
    ListEntry("espanola", "PMC ESPANOLA", entity_type=ORG),
    ListEntry("pemp", "PRECISE ELECTRO-MECHANICS PLANT", entity_type=ORG),
    ListEntry("toplivo", "TOPLIVO BUNKERING COMPANY", entity_type=ORG),
    ListEntry("ubrd", "URAL BANK FOR RECONSTRUCTION AND DEVELOPMENT", entity_type=ORG),
    ListEntry("belinvest", "LIMITED LIABILITY COMPANY BELINVEST-ENGINEERING", entity_type=ORG),
    ListEntry("mechel", "MECHEL-STEEL MANAGEMENT OOO", entity_type=ORG),
    ListEntry("alkhaleej", "ALKHALEEJ BANK CO LTD", ("GULF BANK COMPANY LIMITED",), ORG),
    ListEntry("monolink", "MONOLINK GROUP FZCO", entity_type=ORG),
    ListEntry("tradive", "TRADIVE GENERAL TRADING LLC", entity_type=ORG),
    ListEntry("wagner", "WAGNER GROUP", ("CHVK VAGNER", "PMC VAGNER"), ORG),
    ListEntry("moex", "PUBLIC JOINT STOCK COMPANY MOSCOW EXCHANGE GROUP", entity_type=ORG),
    ListEntry("minotor", "MINOTOR-SERVICE ENTERPRISE", entity_type=ORG),
    ListEntry("tmtech", "LIMITED LIABILITY COMPANY TM TECH", entity_type=ORG),
    ListEntry("perm", "STATE-OWNED ENTERPRISE PERM POWDER PLANT", entity_type=ORG),
    ListEntry("stanex", "STANEX GROUP LIMITED LIABILITY PARTNERSHIP", entity_type=ORG),
    ListEntry("neo", "NEW EASTERN OUTLOOK", entity_type=ORG),
    ListEntry("kamaz", "KAMAZ", ("KAMA AUTOMOBILE PLANT",), ORG),
    ListEntry("metallinvest", "PJSC JSCB METALLINVESTBANK", entity_type=ORG),
    ListEntry("shengyin", "DONGGUAN SHENGYIN CNC EQUIPMENT CO., LTD", entity_type=ORG),
    ListEntry(
        "parsun",
        "SUZHOU PARSUN POWER MACHINE CO., LTD.",
        ("SUZHOU BAISHENG POWER MACHINERY CO., LTD.",),
        ORG,
    ),
    ListEntry("hanjin", "HANJIN SHIPPING CO LTD", entity_type=ORG),
    # parties these names must not reach (false hits seen while the rules were made)
    ListEntry("cables", "CABLES NACIONALES S.A.", entity_type=ORG),
    ListEntry("chongbong", "CHONGBONG SHIPPING CO LTD", entity_type=ORG),
    ListEntry("kirov", "Sergei KIROV", entity_type=PERSON),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return list_matcher(ENTRIES)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # compounds: нано + электроника, электро + механика
        ("КРОКУС НАНОЭЛЕКТРОНИКА", "crocus"),
        ("Завод точной электромеханики", "pemp"),
        # a company-kind word the other side leaves out (concern; корпорация, компания)
        ("Радиотехнические и Информационные Системы", "rti"),
        ("Публичное акционерное общество «Объединённая авиастроительная корпорация»", "uac"),
        # a bracketed acronym is not a word of the name
        ("Российская венчурная компания (РВК)", "rvc"),
        # an abbreviation of the organisation's kind: ЧВК, private military company, PMC
        ("ЧВК Española", "espanola"),
        # an organisation matched by its sounds: компания, ООО
        ("Топливо-бункерная компания", "toplivo"),
        ("ООО Мечел-Сталь Менеджмент", "mechel"),
        ("БЕЛИНВЕСТ-инжиниринг", "belinvest"),
        # the soft sign is no letter of the town (Уральск, Ural)
        ("Уральский банк реконструкции и развития", "ubrd"),
        # letters folded across transliterations (в for w) and a case ending dropped
        ("Группа Вагнера", "wagner"),
        ("Публичное акционерное общество Группа Московская Биржа", "moex"),
        ("Ка́мский автомоби́льный заво́д", "kamaz"),
        # enterprise, JSCB on the listed side only; federal on the Russian side only
        ("Минотор-Сервис", "minotor"),
        ("ПАО АКБ Металлинвестбанк", "metallinvest"),
        ("Федеральное казенное предприятие Пермский пороховой завод", "perm"),
        # тех (tech), товарищество (a legal form), новое (new)
        ("ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ ТМ ТЕХ", "tmtech"),
        ('ТОВАРИЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "STANEX GROUP”', "stanex"),
        ("Новое восточное обозрение", "neo"),
        # Chinese parties listed half in pinyin, half translated (数控 CNC, 机器 machinery)
        ("东莞圣寅数控设备有限公司", "shengyin"),
        ("苏州百胜动力机器股份有限公司", "parsun"),
        # Arabic: the legal form المحدودة (limited), abbreviation letters (ش.م.ح, ذ)
        ("شركة بنك الخليج المحدودة", "alkhaleej"),
        ("مجموعة مونولينك ش.م.ح", "monolink"),
        ("تريدف للتجارة العامة ذ", "tradive"),
    ],
)
def test_real_organisation_names_hit_their_listing(matcher: Matcher, name: str, key: str) -> None:
    assert key in hit_keys(matcher, name)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # an organisation word does not make other sounds match (seen as false hits)
        ("Группа Вагнера", "cables"),
        ("Группа Вагнера", "moex"),
        # the pinyin letters must be alike, not only a glossary word
        ("苏州百胜动力机器股份有限公司", "shengyin"),
        ("东莞圣寅数控设备有限公司", "hanjin"),
        ("Авиакомпания Сибирь", "chongbong"),
    ],
)
def test_organisation_sounds_do_not_reach_other_parties(
    matcher: Matcher, name: str, key: str
) -> None:
    assert key not in hit_keys(matcher, name)


def test_a_cyrillic_person_is_not_rendered_by_sound(matcher: Matcher) -> None:
    hits = matcher.match(Subject("Сергей Киров", None, ""))
    assert all(f.contribution == 0 for m in hits for f in m.features if f.feature == "translated")


def test_stress_marks_compounds_and_abbreviations_are_read() -> None:
    got = [(u.kind, u.text) for u in cyrillic_units("Ка́мский автомоби́льный заво́д")]
    assert got == [("sound", "камский"), ("word", "автомобильный"), ("word", "завод")]
    got = [(u.text, u.senses[0]) for u in cyrillic_units("авиаремонтный") if u.kind == "word"]
    assert got == [("авиа", ("aircraft",)), ("авиаремонтный"[4:], ("repair",))]
    (nii,) = cyrillic_units("НИИ")
    assert ("research", "institute") in nii.senses


def test_an_organisation_is_told_by_its_legal_form_or_an_organisation_word() -> None:
    for name, expected in [
        ("ООО Гидромаш", True),  # legal form
        ("Топливо-бункерная компания", True),  # компания
        ("شركة قاطرخي", True),  # شركة
        ("Сергей Киров", False),
        ("حسن نبيل", False),
    ]:
        query, script = units(name)
        assert organisation(name, query, script) is expected, name
