"""One party listed on several lists, told by its identity numbers (passport, national
ID, UN reference), not by its spelling: real rows of the SDN, UN and UK OFSI lists
(benchmarks/data/screening/raw, turned into CSL rows by the labelled set's make_set)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from raretrace.domain.screening import ListEntry, ListFormat, Subject
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.ids import (
    ambiguous_identity,
    identity_keys,
    parse_csl_ids,
    shared_identity,
)
from raretrace.screening.matcher import Match
from raretrace.screening.siblings import group_siblings
from raretrace.services.formats.party_lists import read_list
from raretrace.workspace import Workspace

SET = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "screening"
RAW = SET / "raw"

#: real entries: SDN entity numbers, UN reference numbers, UK OFSI group IDs
KEYS = {
    # one person on three lists: the SDN's spelling differs, its national ID is the UN's
    "12787",  # SDN AL-GHAMDI, Othman
    "QDi.292",  # UN OTHMAN AHMED OTHMAN AL-GHAMDI
    "OFSI-12012",  # UK, citing QDi.292
    # the UK lists him under his real name, citing the UN's reference number
    "8886",  # SDN ZULKARNAEN
    "QDi.187",  # UN ZULKARNAEN
    "OFSI-8636",  # UK ARIS SUMARSONO
    # one passport number, written with and without its leading zeros
    "12845",  # SDN HAMSHO, Muhammad, passport 002954347
    "OFSI-11933",  # UK Mohammed HAMCHO, passport 2954347
    # two persons of one name, with other passports
    "25492",  # SDN SAEEDI, Mohammed, passport W40899252
    "10689",  # SDN SAEED, Muhammad, passports BE5978421, A5250088
    # two persons to whom the UN list gives the same passports
    "IRi.003",  # UN AZIM AGHAJANI
    "IRi.041",  # UN ALI AKBAR TABATABAEI
}


@pytest.fixture(scope="module")
def rows() -> dict[str, dict[str, str]]:
    sys.path.insert(0, str(SET))
    try:
        import make_set  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(SET))
    everything = [
        *make_set.build_list(),
        *make_set.build_un(),
        *make_set.build_uk(),
    ]
    found = {r["entity_number"]: r for r in everything if r["entity_number"] in KEYS}
    assert set(found) == KEYS
    return found


@pytest.fixture(scope="module")
def entries(rows: dict[str, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> list:  # type: ignore[type-arg]
    path = tmp_path_factory.mktemp("lists") / "list.csv"
    sys.path.insert(0, str(SET))
    try:
        import make_set
    finally:
        sys.path.remove(str(SET))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, make_set.CSL_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows.values())
    return read_list(path, ListFormat.CSL).entries


@pytest.fixture(scope="module")
def matcher(entries: list[ListEntry]) -> Matcher:
    return Matcher(IndexedEntry("lists", 1, e) for e in entries)


def _by_key(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {e.entry_key: e for e in entries}


@pytest.mark.slow
def test_the_raw_rows_numbers_are_kept(
    rows: dict[str, dict[str, str]], entries: list[ListEntry]
) -> None:
    # SDN remark "... National ID No. 1089516791 ..."; UN
    # INDIVIDUAL_DOCUMENT and REFERENCE_NUMBER; UK "Other Information" "(UN Ref):QDi.292."
    assert rows["12787"]["ids"] == "National ID No., 1089516791"
    assert rows["QDi.292"]["ids"] == "UN Ref, QDi.292; National ID No., 1089516791, SA"
    assert rows["OFSI-12012"]["ids"] == "National ID No., 1089516791; UN Ref, QDi.292"
    assert rows["12845"]["ids"] == "Passport, 002954347"
    # the CSL importer keeps them as (scheme, number)
    by_key = _by_key(entries)
    assert ("national_id", "1089516791") in by_key["12787"].ids
    assert by_key["QDi.292"].ids == (("un_ref", "QDI292"), ("national_id", "1089516791"))
    assert ("un_ref", "QDI187") in by_key["OFSI-8636"].ids
    assert by_key["IRi.041"].ids == (
        ("un_ref", "IRI041"),
        ("passport", "9003213"),
        ("passport", "6620505"),
    )


@pytest.mark.slow
def test_one_person_on_three_lists_is_one_hit(matcher: Matcher) -> None:
    (m,) = matcher.match(Subject("Othman Ahmed Othman al-Ghamdi", None, ""))
    assert m.indexed.entry.entry_key == "QDi.292"
    assert {s.entry.entry_key for s in m.siblings} == {"OFSI-12012", "12787"}
    note = m.features[-1]
    assert (note.feature, note.contribution) == ("siblings", 0.0)
    assert "also listed under the same name: OTHMAN AHMED OTHMAN AL-GHAMDI" in note.detail
    assert "also listed as AL-GHAMDI, Othman (lists 12787, 0.8" in note.detail
    assert note.detail.endswith("): same national ID number 1089516791 on both lists")


@pytest.mark.slow
def test_a_uk_entry_citing_the_un_reference_is_the_same_party(matcher: Matcher) -> None:
    # the UK lists ZULKARNAEN under his real name, ARIS SUMARSONO (QDi.187)
    (m,) = matcher.match(Subject("Zulkarnaen", None, ""))
    assert {m.indexed.entry.entry_key, *(s.entry.entry_key for s in m.siblings)} == {
        "8886",
        "QDi.187",
        "OFSI-8636",
    }
    assert "ARIS SUMARSONO (lists OFSI-8636" in m.features[-1].detail
    assert "same UN reference QDI187 on both lists" in m.features[-1].detail


@pytest.mark.slow
def test_a_passport_number_without_its_leading_zeros_is_the_same(matcher: Matcher) -> None:
    (m,) = matcher.match(Subject("Muhammad Hamsho", None, ""))
    assert m.indexed.entry.entry_key == "12845"
    assert [s.entry.entry_key for s in m.siblings] == ["OFSI-11933"]
    assert m.features[-1].detail.endswith(": same passport number 2954347 on both lists")


@pytest.mark.slow
def test_two_persons_with_other_passports_stay_two_hits(matcher: Matcher) -> None:
    found = matcher.match(Subject("SAEEDI, Mohammed", None, ""))
    assert [m.indexed.entry.entry_key for m in found] == ["25492", "10689"]
    assert all(m.siblings == () for m in found)


@pytest.mark.slow
def test_a_number_one_list_gives_two_entries_makes_no_party(entries: list[ListEntry]) -> None:
    by_key = _by_key(entries)
    aghajani, tabatabaei = by_key["IRi.003"], by_key["IRi.041"]
    assert shared_identity(aghajani.ids, tabatabaei.ids) == (
        "same passport number 6620505; same passport number 9003213"
    )
    ambiguous = ambiguous_identity((e.source, e.ids) for e in entries)
    assert ambiguous == {("passport", "9003213"), ("passport", "6620505")}
    found = [Match(IndexedEntry("lists", 1, e), e.name, 0.9, ()) for e in (aghajani, tabatabaei)]
    assert group_siblings(found, ambiguous=ambiguous) == found
    # without the one-list clause they would be one hit
    (one,) = group_siblings(found)
    assert one.siblings == (found[1].indexed,)


@pytest.mark.slow
def test_the_benchmark_counts_them_as_one_party(entries: list[ListEntry]) -> None:
    sys.path.insert(0, str(SET.parents[1]))
    try:
        import screening_quality  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(SET.parents[1]))
    groups = screening_quality.by_numbers(entries)
    assert groups["12787"] == {"12787", "QDi.292", "OFSI-12012"}
    assert groups["OFSI-8636"] == {"QDi.187", "OFSI-8636"}
    assert groups["12845"] == {"12845", "OFSI-11933"}
    assert "25492" not in groups or groups["25492"] == {"25492"}
    assert groups["IRi.003"] == {"IRi.003"}


def test_identity_keys() -> None:
    assert identity_keys(
        [
            ("passport", "002954347"),  # leading zeros set aside
            ("passport", "D 000974"),  # letters kept, spaces not
            ("national_id", "0075258"),  # too short without its zeros
            ("un_ref", "QDi.028."),
            ("tax", "5030056754"),  # registers number independently
            ("passport", "ABCDEFG"),  # no digit
        ]
    ) == (("passport", "2954347"), ("passport", "D000974"), ("un_ref", "QDI028"))


def test_csl_cells_with_identity_documents() -> None:
    assert parse_csl_ids("UN Ref, QDi.292; National ID No., 1089516791, SA") == (
        ("un_ref", "QDI292"),
        ("national_id", "1089516791"),
    )


def test_csl_import_names_what_it_does_not_keep() -> None:
    parsed = read_list(RAW / "csl_2024.csv", ListFormat.CSL)
    assert ("passport", "836238033") in {i for e in parsed.entries for i in e.ids}
    # dates of birth are kept now (i15l), so the notes no longer name them
    assert sorted(d for e in parsed.entries for d in e.dates_of_birth) == [
        "1955",
        "1958",
        "1978-12-05",
        "1980-02-08",
    ]
    assert not [n for n in parsed.notes if "dates_of_birth" in n]
    (left,) = [n for n in parsed.notes if n.startswith("15 parts of the ids column")]
    assert "Gender 2" in left and "Website 1" in left


def test_ftm_identity_properties_are_kept(tmp_path: Path) -> None:
    # the UN's OTHMAN AHMED OTHMAN AL-GHAMDI as OpenSanctions writes a person
    person = {
        "id": "un-sc-QDi.292",
        "schema": "Person",
        "properties": {
            "name": ["OTHMAN AHMED OTHMAN AL-GHAMDI"],
            "idNumber": ["1089516791"],
            "passportNumber": ["D 000974"],
            "unscId": ["QDi.292"],
        },
    }
    path = tmp_path / "entities.ftm.json"
    path.write_text(json.dumps(person) + "\n", encoding="utf-8")
    (entry,) = read_list(path, ListFormat.FTM).entries
    assert set(entry.ids) == {
        ("national_id", "1089516791"),
        ("passport", "D000974"),
        ("un_ref", "QDI292"),
    }


@pytest.mark.slow
def test_stored_and_screened_as_one_party(
    rows: dict[str, dict[str, str]], workspace: Workspace, tmp_path: Path
) -> None:
    # the numbers survive storage (SQLite and PostgreSQL) and group the stored hits
    sys.path.insert(0, str(SET))
    try:
        import make_set
    finally:
        sys.path.remove(str(SET))
    path = tmp_path / "csl.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, make_set.CSL_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows[k] for k in ("12787", "QDi.292", "OFSI-12012"))
    workspace.screening.import_list(path, fmt="csl", list_name="lists")
    (hit,) = workspace.screening.screen_name("Othman Ahmed Othman al-Ghamdi").hits
    # UN and UK list him under one name and score alike: either leads
    assert hit.entry.entry_key in ("QDi.292", "OFSI-12012")
    assert ("national_id", "1089516791") in hit.entry.ids
    assert ("un_ref", "QDI292") in hit.entry.ids
    (note,) = [f for f in hit.features if f.feature == "siblings"]
    assert "also listed under the same name: OTHMAN AHMED OTHMAN AL-GHAMDI" in note.detail
    assert "also listed as AL-GHAMDI, Othman (lists 12787, " in note.detail
    assert note.detail.endswith("): same national ID number 1089516791 on both lists")
