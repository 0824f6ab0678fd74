"""Candidates chosen by the rarity of the blocking keys they share, and East Slavic
given names in the spellings of several romanisations. Real names of the UK OFSI
consolidated list (``benchmarks/data/screening/raw``): its Cyrillic names beside the
listed Latin ones."""

from __future__ import annotations

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.blocking import BlockingIndex, key_weight
from raretrace.screening.features import token_similarity
from raretrace.screening.normalise import normalise
from raretrace.screening.slavic import slavic_key

PERSON = "Individual"
#: Surnames of people listed as "Aleksandr Viktorovich X" and the like; the common
#: given name and patronymic share more keys with a query than a rare surname does
_SURNAMES = [
    "Gusev", "Ryzhenkov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Vasiliev",
    "Sokolov", "Mikhailov", "Novikov", "Fedorov", "Morozov", "Volkov", "Alekseev",
    "Lebedev", "Semenov", "Egorov", "Pavlov", "Kozlov", "Stepanov", "Nikolaev",
    "Orlov", "Andreev", "Makarov", "Nikitin", "Zakharov", "Zaitsev", "Soloviev",
]  # fmt: skip


def _entries() -> list[IndexedEntry]:
    people = [
        ListEntry(f"P{i}", f"Aleksandr Viktorovich {s.upper()}", entity_type=PERSON)
        for i, s in enumerate(_SURNAMES)
    ]
    people.append(ListEntry("OFSI-moor", "Alexander Viktorovich MOOR", entity_type=PERSON))
    return [IndexedEntry("ofsi", 1, e) for e in people]


def test_a_rare_key_counts_for_more_than_a_common_one() -> None:
    assert key_weight(1, 10_000) > key_weight(100, 10_000) > key_weight(5_000, 10_000) >= 1


def test_a_rare_surname_is_not_crowded_out_by_a_common_given_name() -> None:
    entries = _entries()
    names = [normalise(ie.entry.name) for ie in entries]
    index = BlockingIndex(names)
    query = normalise("Aleksandr Viktorovich Moor")
    moor = len(entries) - 1
    # 28 names share "Aleksandr Viktorovich" whole; MOOR only "moor" and "Viktorovich"
    assert moor in index.candidates(query, 25)
    assert index.candidates(query, 25)[0] == moor
    _, cands = index.top_candidates([query], 25)
    assert cands.tolist() == index.candidates(query, 25)
    # and the matcher, whose 25 candidates it is, hits it from the Cyrillic name
    matcher = Matcher(entries)
    found = matcher.match(Subject("Александр Викторович Моор", None, ""))
    assert [m.indexed.entry.entry_key for m in found] == ["OFSI-moor"]


def test_romanisations_of_one_slavic_name_share_a_key() -> None:
    # Юлия: Yuliya (BGN/PCGN), Julia (German, Polish); Артём: Artyom, Artem (ё as е);
    # Юрий: Yuriy, Yurii, Yury, Yuri; Алексей: Aleksey, Aleksei, Alexei
    assert slavic_key("yuliya") == slavic_key("julia") == "yulia"
    assert slavic_key("artyom") == slavic_key("artem") == "artem"
    assert len({slavic_key(w) for w in ("yuriy", "yurii", "yury", "yuri")}) == 1
    assert len({slavic_key(w) for w in ("aleksey", "aleksei", "alexei")}) == 1
    assert token_similarity("yuliya", "julia") == 0.9
    # other names stay apart
    assert slavic_key("yulian") != slavic_key("yuliya")
    assert slavic_key("artur") != slavic_key("artem")


def test_a_listed_slavic_name_in_another_romanisation_hits() -> None:
    listed = [
        ListEntry("OFSI-saranova", "Julia Vladimirovna SARANOVA", entity_type=PERSON),
        ListEntry("OFSI-sheykin", "Artyom Gennadievich SHEYKIN", entity_type=PERSON),
    ]
    matcher = Matcher(IndexedEntry("ofsi", 1, e) for e in listed)

    def keys(name: str) -> list[str]:
        return [m.indexed.entry.entry_key for m in matcher.match(Subject(name, None, ""))]

    assert keys("Юлия Владимировна Саранова") == ["OFSI-saranova"]
    assert keys("Артем Геннадьевич Шейкин") == ["OFSI-sheykin"]
