"""A branch designation is one piece of weak evidence: the branch words and the one
place they name, after them ("Branch in Moscow") or, when none follow, before them ("St.
Petersburg Branch"), never across the end of the company's name (a legal form).

List rows are real: the UK OFSI Consolidated List of 10 April 2025 (GAZPROMBANK and its
Russian name), the SDN / SSI list (GAZPROMBANK OAO, GAZPROMBANK LEASING ZAO, TET KHAM (S)
PTE. LTD., ROSARIO NIEBLA CARDOZA A. EN P. and the person NIEBLA CORDOZA, Rosario, who
share an R.F.C. number), and MOFCOM's export-control list of 24 July 2026 (Lafert S.p.A.).
"""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import DEFAULT_THRESHOLD, IndexedEntry, Matcher
from raretrace.screening.features import branch_phrases
from raretrace.screening.normalise import normalise

ENTRIES = [
    ListEntry("uk-gpb", "GAZPROMBANK", aliases=("Газпромбанк (АО)",), countries=("RU",)),
    ListEntry("sdn-gpb", "GAZPROMBANK OAO", countries=("RU",)),
    ListEntry(
        "ssi-gpbl",
        "GAZPROMBANK LEASING ZAO",
        aliases=("CLOSED JOINT-STOCK COMPANY GAZPROMBANK LIZING",),
        countries=("RU",),
    ),
    ListEntry("tk", "TET KHAM (S) PTE. LTD.", countries=("SG",)),
    ListEntry("tkc", "TET KHAM CONSTRUCTION COMPANY LIMITED", countries=("MM",)),
    ListEntry("rnc", "ROSARIO NIEBLA CARDOZA A. EN P.", countries=("MX",)),
    ListEntry("rnp", "NIEBLA CORDOZA, Rosario", entity_type="Individual", countries=("MX",)),
    ListEntry("lafert", "Lafert S.p.A.", countries=("IT",)),
    ListEntry("gd", "General Dynamics", countries=("US",)),
    ListEntry("gdit", "General Dynamics Information Technology", countries=("US",)),
    ListEntry("gdms", "General Dynamics Mission Systems", countries=("US",)),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("L", None, e) for e in ENTRIES)


def hits(matcher: Matcher, name: str) -> set[str]:
    found = matcher.match(Subject(name, None, ""), DEFAULT_THRESHOLD)
    # one hit names the entries listed under the same name (GAZPROMBANK, GAZPROMBANK OAO)
    return {ie.entry.entry_key for m in found for ie in (m.indexed, *m.siblings)}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # the first example, against the UK's one-word listing
        ("GAZPROMBANK OAO, St. Petersburg Branch", "uk-gpb"),
        ("Газпромбанк, филиал в Санкт-Петербурге", "uk-gpb"),
        ("Газпромбанк, Санкт-Петербургский филиал", "uk-gpb"),
        ("Gazprombank Moscow Representative Office", "uk-gpb"),
        ("Lafert S.p.A. Dubai Representative Office", "lafert"),
        # a form before the branch words ends the name ("Pte. Ltd. Branch")
        ("TET KHAM (S) PTE. LTD. Branch in Dubai", "tk"),
    ],
)
def test_branch_of_a_listed_party_is_a_hit(matcher: Matcher, name: str, expected: str) -> None:
    assert expected in hits(matcher, name)


@pytest.mark.parametrize(
    ("name", "expected", "not_expected"),
    [
        # the word before the branch words belongs to the name, not to the place
        ("GAZPROMBANK LEASING ZAO Branch in Moscow", "ssi-gpbl", {"sdn-gpb", "uk-gpb"}),
        ("General Dynamics Mission Systems Branch Office Dubai", "gdms", {"gd"}),
        ("General Dynamics Information Technology Branch in Dubai", "gdit", {"gd"}),
        # a listed person has no branches
        ("ROSARIO NIEBLA CARDOZA A. EN P. Culiacan Branch", "rnc", {"rnp"}),
    ],
)
def test_the_name_before_the_branch_words_still_counts(
    matcher: Matcher, name: str, expected: str, not_expected: set[str]
) -> None:
    found = hits(matcher, name)
    assert expected in found
    assert not found & not_expected


def _phrases(name: str, listed_words: int) -> list[list[str]]:
    norm = normalise(name)
    free = set(range(listed_words, len(norm.tokens)))
    return [[norm.tokens[i] for i in p] for p in branch_phrases(norm.tokens, free, norm.after_form)]


def test_branch_phrase_names_one_place_on_one_side() -> None:
    assert _phrases("Gazprombank St. Petersburg Branch", 1) == [["st", "petersburg", "branch"]]
    assert _phrases("Gazprombank Leasing Branch in Moscow", 1) == [["branch", "in", "moscow"]]
    assert _phrases("Gazprombank filial v Sankt-Peterburge", 1) == [
        ["filial", "v", "sankt", "peterburge"]
    ]
    assert _phrases("X Dubai Liaison Office", 1) == [["dubai", "liaison", "office"]]
    # never across the end of the company's name
    assert _phrases("Pars Oil and Gas Company - Tehran Office", 2) == [["tehran", "office"]]
