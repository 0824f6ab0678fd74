"""One person on two lists, told by the same name and the same date of birth; two
persons of one name, told apart by dates of birth years apart. Real rows of the SDN,
UN and UK OFSI lists (benchmarks/data/screening/raw, turned into CSL rows by the
labelled set's make_set), read by the CSL importer."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from raretrace.domain.screening import ListEntry, ListFormat, Subject
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.siblings import names_agree
from raretrace.services.formats.party_lists import read_list
from raretrace.services.formats.un_list import read_un
from raretrace.workspace import Workspace

SET = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "screening"
RAW = SET / "raw"

KEYS = {
    # one person, no number in common: the same name and the same date of birth
    "15890",  # SDN PECHEGIN, Andrey I., "DOB 24 Sep 1965"
    "OFSI-13876",  # UK Andrey Ivanovich PECHEGIN, DOB 24/09/1965
    "16935",  # SDN PONOMARYOV, Vyacheslav, "DOB 02 May 1965"
    "OFSI-12970",  # UK Viacheslav PONOMARIOV, DOB 02/05/1965
    # a date range is no full date: not joined by a date
    "18529",  # SDN DEIF, Muhammed, "DOB 01 Jan 1963 to 31 Dec 1965"
    # two persons of one name, born 15 years apart
    "12211",  # SDN KIM, Yong Chol, circa 1947; circa 1946
    "OFSI-12439",  # UK Yong Chol KIM, 1946
    "17614",  # SDN KIM, Yong Chol, 18 Feb 1962
    "KPi.024",  # UN KIM YONG CHOL, 1962-02-18
    "OFSI-13334",  # UK KIM YONG CHOL, 18/02/1962, citing KPi.024
    # one person, the year mistyped on one list: one day of the year, still one party
    "16398",  # SDN MARKELOV, Viktor Aleksandrovich, 15 Dec 1967
    "OFSI-14104",  # UK Viktor Aleksandrovich MARKELOV, 15/12/1957
}


def _make_set():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(SET))
    try:
        import make_set  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(SET))
    return make_set


@pytest.fixture(scope="module")
def rows() -> dict[str, dict[str, str]]:
    make_set = _make_set()
    everything = [*make_set.build_list(), *make_set.build_un(), *make_set.build_uk()]
    found = {r["entity_number"]: r for r in everything if r["entity_number"] in KEYS}
    assert set(found) == KEYS
    return found


def _write(rows: list[dict[str, str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, _make_set().CSL_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def entries(
    rows: dict[str, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> list[ListEntry]:
    path = _write(list(rows.values()), tmp_path_factory.mktemp("lists") / "list.csv")
    return read_list(path, ListFormat.CSL).entries


@pytest.fixture(scope="module")
def matcher(entries: list[ListEntry]) -> Matcher:
    return Matcher(IndexedEntry("lists", 1, e) for e in entries)


def _by_key(entries: list[ListEntry]) -> dict[str, ListEntry]:
    return {e.entry_key: e for e in entries}


@pytest.mark.slow
def test_the_raw_rows_dates_are_kept(
    rows: dict[str, dict[str, str]], entries: list[ListEntry]
) -> None:
    # as each list writes them (make_set), as the CSL importer keeps them
    assert rows["15890"]["dates_of_birth"] == "24 Sep 1965"
    assert rows["OFSI-13876"]["dates_of_birth"] == "24/09/1965"
    assert rows["12211"]["dates_of_birth"] == "circa 1947; circa 1946"
    assert rows["KPi.024"]["dates_of_birth"] == "1962-02-18"
    by_key = _by_key(entries)
    assert by_key["15890"].dates_of_birth == ("1965-09-24",)
    assert by_key["OFSI-13876"].dates_of_birth == ("1965-09-24",)
    assert by_key["12211"].dates_of_birth == ("1947~", "1946~")
    assert by_key["18529"].dates_of_birth == ("1963-01-01/1965-12-31",)


def test_names_agree_by_initial_spelling_and_patronymic() -> None:
    assert names_agree(["PECHEGIN, Andrey I."], ["Andrey Ivanovich PECHEGIN"])
    assert names_agree(["PONOMARYOV, Vyacheslav"], ["Viacheslav PONOMARIOV"])
    assert names_agree(["DEIF, Muhammed"], ["Muhammad DEIF"])
    # one whole word is not enough, nor another given name
    assert not names_agree(["KIM, Y."], ["KIM, Yong Chol"])
    assert not names_agree(["PONOMARYOV, Vyacheslav"], ["Valery Andreevich PONOMARYOV"])


@pytest.mark.slow
def test_the_same_name_and_date_of_birth_on_two_lists_is_one_hit(matcher: Matcher) -> None:
    (m,) = matcher.match(Subject("Andrey Ivanovich Pechegin", None, ""))
    assert m.indexed.entry.entry_key == "OFSI-13876"
    assert [s.entry.entry_key for s in m.siblings] == ["15890"]
    note = m.features[-1]
    assert (note.feature, note.contribution) == ("siblings", 0.0)
    assert note.detail.startswith("also listed as PECHEGIN, Andrey I. (lists 15890, ")
    assert note.detail.endswith("): same name and date of birth 1965-09-24 on both lists")


@pytest.mark.slow
def test_a_date_range_joins_nothing(matcher: Matcher) -> None:
    # DEIF's SDN row gives a range; the UK row is not in this list: one hit, no sibling
    (m,) = matcher.match(Subject("Muhammed Deif", None, ""))
    assert m.indexed.entry.entry_key == "18529" and m.siblings == ()


@pytest.mark.slow
def test_two_persons_of_one_name_born_years_apart_stay_two_hits(matcher: Matcher) -> None:
    found = matcher.match(Subject("Kim Yong Chol", None, ""))
    groups = [{m.indexed.entry.entry_key, *(s.entry.entry_key for s in m.siblings)} for m in found]
    assert sorted(groups, key=len) == [
        {"12211", "OFSI-12439"},  # born circa 1947 / 1946
        {"17614", "KPi.024", "OFSI-13334"},  # born 1962-02-18
    ]
    notes = {
        m.indexed.entry.entry_key: f.detail
        for m in found
        for f in m.features
        if f.feature == "siblings"
    }
    assert notes["KPi.024"].endswith(
        "; not the same party as KIM, Yong Chol (lists 12211, 1.00): born 1962-02-18 vs "
        "1947~, 1946~"
    )
    assert notes["12211"] == (
        "also listed under the same name: Yong Chol KIM (lists OFSI-12439, 1.00); not the "
        "same party as KIM YONG CHOL (lists KPi.024, 1.00): born 1947~, 1946~ vs 1962-02-18"
    )


@pytest.mark.slow
def test_a_mistyped_birth_year_keeps_one_person_one_hit(matcher: Matcher) -> None:
    (m,) = matcher.match(Subject("Viktor Aleksandrovich Markelov", None, ""))
    assert {m.indexed.entry.entry_key, *(s.entry.entry_key for s in m.siblings)} == {
        "16398",
        "OFSI-14104",
    }


@pytest.mark.slow
def test_batch_and_one_subject_screening_group_alike(matcher: Matcher) -> None:
    subjects = [
        Subject(name, None, "")
        for name in (
            "Andrey Ivanovich Pechegin",
            "Vyacheslav Ponomaryov",
            "Kim Yong Chol",
            "Viktor Aleksandrovich Markelov",
        )
    ]
    for subject, found in matcher.match_many(subjects):
        assert found == matcher.match(subject)


@pytest.mark.slow
def test_the_benchmark_counts_them_alike(entries: list[ListEntry]) -> None:
    sys.path.insert(0, str(SET.parents[1]))
    try:
        import screening_quality  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(SET.parents[1]))
    born = screening_quality.by_births(entries)
    assert born["15890"] == {"OFSI-13876"} and born["16935"] == {"OFSI-12970"}
    assert "18529" not in born
    same = screening_quality._same(entries)
    assert "OFSI-13876" in same["15890"]
    # the name rules join the two KIM, Yong Chol; their dates keep them apart, while
    # the UN reference number keeps the 1962 one on three lists together
    assert "17614" not in same["12211"] and "12211" not in same["17614"]
    assert {"KPi.024", "OFSI-13334"} <= same["17614"]
    assert "OFSI-14104" in same["16398"]
    without = screening_quality._same(entries, births=False)
    assert "17614" in without["12211"] and "OFSI-13876" not in without["15890"]


def test_the_un_list_keeps_its_dates_of_birth() -> None:
    problems: list = []  # type: ignore[type-arg]
    un = read_un((RAW / "un_consolidated.xml").read_bytes(), "un.xml", problems)
    assert problems == []
    by_key = {e.entry_key: e for e in un.entries}
    assert by_key["KPi.024"].dates_of_birth == ("1962-02-18",)
    assert "born" not in by_key["KPi.024"].remarks
    assert sum(bool(e.dates_of_birth) for e in un.entries) == 664
    # not a date: kept in the remarks, named in the notes with its line
    assert "born 24/06/1402 (Hijri Calendar)" in by_key["QDi.291"].remarks
    (note,) = [n for n in un.notes if "dates of birth" in n]
    assert note.startswith("4 dates of birth are not dates, kept in the remarks")
    assert "INDIVIDUAL_DATE_OF_BIRTH (QDi.291): '24/06/1402 (Hijri Calendar)'" in note


def test_ftm_birth_dates_are_kept_and_bad_ones_named(tmp_path: Path) -> None:
    # the UN's KIM YONG CHOL as OpenSanctions writes a person, one date mistyped
    person = {
        "id": "un-sc-KPi.024",
        "schema": "Person",
        "properties": {"name": ["KIM YONG CHOL"], "birthDate": ["1962-02-18", "1962-02-31"]},
    }
    path = tmp_path / "entities.ftm.json"
    path.write_text(json.dumps(person) + "\n", encoding="utf-8")
    parsed = read_list(path, ListFormat.FTM)
    assert parsed.entries[0].dates_of_birth == ("1962-02-18",)
    assert (
        "1 dates of birth are not dates and were not kept: "
        "line 1 properties.birthDate: '1962-02-31'"
    ) in parsed.notes


def test_a_csl_cell_that_is_no_date_is_named_not_raised(
    rows: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    row = dict(rows["15890"], dates_of_birth="24 Sep 1965; about forty")
    parsed = read_list(_write([row], tmp_path / "csl.csv"), ListFormat.CSL)
    assert parsed.entries[0].dates_of_birth == ("1965-09-24",)
    assert (
        "1 dates of birth are not dates and were not kept: row 2 dates_of_birth: 'about forty'"
    ) in parsed.notes


@pytest.mark.slow
def test_stored_screened_and_shown(
    rows: dict[str, dict[str, str]], workspace: Workspace, tmp_path: Path
) -> None:
    # the dates survive storage (SQLite and PostgreSQL) and group the stored hits
    path = _write([rows["15890"], rows["OFSI-13876"]], tmp_path / "csl.csv")
    report = workspace.screening.import_list(path, fmt="csl", list_name="lists")
    assert not [n for n in report.notes if "dates_of_birth" in n]
    (hit,) = workspace.screening.screen_name("Andrey Ivanovich Pechegin").hits
    assert hit.entry.entry_key == "OFSI-13876" and hit.entry.dates_of_birth == ("1965-09-24",)
    (note,) = [f for f in hit.features if f.feature == "siblings"]
    assert note.detail.endswith("same name and date of birth 1965-09-24 on both lists")
