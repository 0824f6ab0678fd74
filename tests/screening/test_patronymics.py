"""A Russian person's name without the patronymic (given name and surname, as supplier
masters and many documents write it) is the listed person's name: a patronymic one side
leaves out counts as a middle name. Two lists' entries of one name, one with and one
without the patronymic, are one hit, unless the lists give two different patronymics
for the name (two persons) or dates of birth years apart.

List rows are real: the UK OFSI Consolidated List of 10 April 2025 and the SDN list
(c. 2018), names and dates of birth as they give them.
"""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import DEFAULT_THRESHOLD, IndexedEntry, Matcher
from raretrace.screening.matcher import Match

P = "Individual"
UK = [
    ListEntry(
        "OFSI-14361",
        "Yuliya Viktorovna LAZUTKINA",
        aliases=("Юлия Викторовна ЛАЗУТКИНА",),
        entity_type=P,
        dates_of_birth=("1981-11-03",),
    ),
    ListEntry(
        "OFSI-15283", "Said Suleimanovich KERIMOV", entity_type=P, dates_of_birth=("1995-07-06",)
    ),
    ListEntry(
        "OFSI-14976",
        "Suleyman Abusaidovich KERIMOV",
        entity_type=P,
        dates_of_birth=("1966-03-12",),
    ),
    ListEntry(
        "OFSI-13044",
        "Pavel Yurievich GUBAREV",
        aliases=("Pavlo Yuriyovich GUBARIEV", "Pavlo Yuriyovich HUBARIEV"),
        entity_type=P,
        dates_of_birth=("1983-07-05", "1983-03-10"),
    ),
    ListEntry(
        "OFSI-15225", "Andrei Anatolyevich GUBAREV", entity_type=P, dates_of_birth=("1974-10-22",)
    ),
    ListEntry(
        "OFSI-dobrodeev",
        "Oleg Borisovich DOBRODEEV",
        aliases=("Олег Борисович ДОБРОДЕЕВ", "Oleg Borisovich DOBRODEYEV"),
        entity_type=P,
        dates_of_birth=("1959-10-28",),
    ),
    ListEntry("OFSI-12956", "Sergei Ivanovich NEVEROV", entity_type=P),
    ListEntry("OFSI-15123", "Sergey Nikolaevich NEVEROV", entity_type=P),
]
SDN = [
    ListEntry(
        "17256",
        "GUBAREV, Pavel",
        aliases=("HUBARYEV, Pavlo",),
        entity_type=P,
        dates_of_birth=("1983-02-10",),
    ),
    ListEntry("neverov", "NEVEROV, Sergey", entity_type=P),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(
        [IndexedEntry("uk", None, e) for e in UK] + [IndexedEntry("sdn", None, e) for e in SDN]
    )


def found(matcher: Matcher, name: str) -> list[Match]:
    return matcher.match(Subject(name, None, ""), DEFAULT_THRESHOLD)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Yulia Lazutkina", "OFSI-14361"),
        ("Лазуткина Юлия", "OFSI-14361"),
        ("Said Kerimov", "OFSI-15283"),
    ],
)
def test_given_name_and_surname_reach_the_listed_person(
    matcher: Matcher, name: str, expected: str
) -> None:
    keys = [m.indexed.entry.entry_key for m in found(matcher, name)]
    assert keys[0] == expected


def test_another_given_name_is_still_another_person(matcher: Matcher) -> None:
    keys = {m.indexed.entry.entry_key for m in found(matcher, "Suleiman Kerimov")}
    assert "OFSI-15283" not in keys


def test_the_name_with_and_without_patronymic_on_two_lists_is_one_hit(matcher: Matcher) -> None:
    hits = found(matcher, "Павел Юрьевич Губарев")
    assert len(hits) == 1
    assert {hits[0].indexed.entry.entry_key, *(s.entry.entry_key for s in hits[0].siblings)} == {
        "OFSI-13044",
        "17256",
    }
    why = next(f.detail for f in hits[0].features if f.feature == "siblings")
    assert "patronymic on one side only" in why


def test_two_patronymics_for_one_name_are_two_persons(matcher: Matcher) -> None:
    hits = found(matcher, "Сергей Неверов")
    groups = [{m.indexed.entry.entry_key, *(s.entry.entry_key for s in m.siblings)} for m in hits]
    # the SDN's NEVEROV, Sergey is tied to neither of the UK's two Sergey Neverovs
    assert not any({"OFSI-12956", "OFSI-15123"} <= g for g in groups)
    assert not any({"neverov", "OFSI-15123"} <= g for g in groups)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dobrodeev O.B.", "OFSI-dobrodeev"),
        ("O. B. Dobrodeev", "OFSI-dobrodeev"),
        ("Добродеев О.Б.", "OFSI-dobrodeev"),
        ("Kerimov S.S.", "OFSI-15283"),
    ],
)
def test_surname_and_initials_of_given_name_and_patronymic(
    matcher: Matcher, name: str, expected: str
) -> None:
    assert [m.indexed.entry.entry_key for m in found(matcher, name)] == [expected]


def test_one_initial_is_not_enough(matcher: Matcher) -> None:
    # "Kerimov S.": the patronymic still counts when the given name is an initial only
    assert found(matcher, "Kerimov S.") == []
    assert found(matcher, "Dobrodeev A.B.") == []
