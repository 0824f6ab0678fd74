"""The UK OFSI Consolidated List (``--format uk``), read from the real workbook of
10 April 2025 kept with the screening benchmark and from the same rows as OFSI's CSV
layout, and from hostile or wrong files."""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from functools import cache
from pathlib import Path

import openpyxl
import pytest

from raretrace.domain.screening import ListFormat, Subject
from raretrace.errors import InputError
from raretrace.screening import IndexedEntry, Matcher
from raretrace.services.formats.mofcom_lists import country_code
from raretrace.services.formats.party_lists import detect_format, read_list
from raretrace.services.formats.uk_list import COLUMNS
from raretrace.workspace import Workspace

RAW = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "screening" / "raw"
UK = RAW / "ofsi_conlist_2025-04-10.xlsx"


@pytest.fixture(scope="module")
def uk_list() -> dict[str, object]:
    parsed = read_list(UK, ListFormat.UK)
    return {"parsed": parsed, "by_key": {e.entry_key: e for e in parsed.entries}}


@cache
def _workbook_rows() -> tuple[tuple[str, ...], ...]:
    book = openpyxl.load_workbook(UK, read_only=True)
    try:
        return tuple(
            tuple("" if v is None else str(v) for v in row)
            for row in book.worksheets[0].iter_rows(values_only=True)
        )
    finally:
        book.close()


def _rows() -> list[list[str]]:
    """The real workbook's rows as text (a fresh copy each call)."""
    return [list(row) for row in _workbook_rows()]


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_every_group_of_the_real_workbook_is_one_entry(uk_list: dict) -> None:
    parsed = uk_list["parsed"]
    # 18,796 rows of 4,686 distinct Group IDs: 3,662 persons, 1,009 entities, 15 ships
    kinds = [e.entity_type for e in parsed.entries]
    assert (kinds.count("Individual"), kinds.count("Entity"), kinds.count("Ship")) == (
        3662,
        1009,
        15,
    )
    assert parsed.published == date(2025, 4, 10)  # the "Last Updated" row


def test_a_person_keeps_names_scripts_countries_and_numbers(uk_list: dict) -> None:
    e = uk_list["by_key"]["13302"]
    assert e.name == "ZAURBEK SALIMOVICH GUCHAEV"
    assert e.aliases == ("Заурбек Салимович Гучаев",)  # Name Non-Latin Script
    # the 'Low quality' aliases and their Cyrillic forms are for the reviewer only
    assert "Азиз" not in e.aliases and "AZIZ" not in e.aliases
    assert "low-quality alias: Азиз" in e.remarks
    assert set(e.ids) == {
        ("passport", "622641887"),
        ("national_id", "8304661431"),
        ("un_ref", "QDI367"),  # "(UN Ref):QDi.367" in Other Information
    }
    assert e.dates_of_birth == ("1975-09-07",)  # DOB 07/09/1975
    # "00/00/1963": the year only
    assert uk_list["by_key"]["6908"].dates_of_birth == ("1963",)
    # "(1) 223611 (2) C00146605": two passports
    azzouz = uk_list["by_key"]["13312"]
    assert {("passport", "223611"), ("passport", "C00146605")} <= set(azzouz.ids)


def test_an_entity_keeps_its_registration_numbers_by_kind(uk_list: dict) -> None:
    salyut = uk_list["by_key"]["16767"]
    # "(1) OGRN – 1125261000040 (2) INN – 5261079332 (3) KPP - 526101001": the KPP is
    # a branch's tax code, not the company's number
    assert set(salyut.ids) == {("ogrn", "1125261000040"), ("inn", "5261079332")}
    zapchast = uk_list["by_key"]["16636"]
    assert zapchast.ids == (("registration", "170440031562"),)  # Kazakhstan BIN
    assert "ТОО ЗАПЧАСТЬ ТРЕЙД" in zapchast.aliases
    assert zapchast.countries == ("KZ",)
    ship = uk_list["by_key"]["13651"]
    assert ship.entity_type == "Ship" and ("imo", "7408873") in ship.ids


def test_countries_are_iso_codes_and_qualifiers_are_not_dropped(uk_list: dict) -> None:
    # "Congo (Democratic Republic)" is CD, never the Republic of the Congo (CG)
    assert country_code("Congo (Democratic Republic)") == "CD"
    assert country_code("Iraq (previous address)") == "IQ"
    assert country_code("Russian Federation (as at November 2010)") == "RU"
    assert country_code("Iran (Islamic Republic of)") == "IR"
    assert country_code("UK") == "GB"
    assert set(uk_list["by_key"]["16383"].countries) == {"UG", "CD"}
    assert not any("CG" in e.countries for e in uk_list["parsed"].entries)
    notes = " | ".join(uk_list["parsed"].notes)
    assert "country names with no ISO code, kept in the remarks:" in notes
    assert "Kosovo (7)" in notes and "Gaza (12)" in notes


def test_a_cyrillic_name_finds_the_entry(uk_list: dict) -> None:
    matcher = Matcher(IndexedEntry("UK", None, e) for e in uk_list["parsed"].entries)
    found = matcher.match(Subject("ТОО Запчасть Трейд", None, "KZ"), 0.8)
    assert [m.indexed.entry.entry_key for m in found][:1] == ["16636"]


def test_the_csv_layout_reads_the_same_entries(uk_list: dict, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "ConList.csv", _rows())
    assert detect_format(path) is ListFormat.UK
    parsed = read_list(path, ListFormat.UK)
    assert parsed.entries == uk_list["parsed"].entries
    assert parsed.published == date(2025, 4, 10)


def test_the_workbook_is_told_from_its_header(tmp_path: Path) -> None:
    assert detect_format(UK) is ListFormat.UK
    other = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["company", "country"])  # type: ignore[union-attr]
    book.save(other)
    with pytest.raises(InputError) as err:
        detect_format(other)
    assert "not the UK OFSI list" in err.value.problems[0].message


def _small(rows: list[list[str]]) -> list[list[str]]:
    """The 'Last Updated' row, the header and the real rows of group 15672."""
    return rows[:2] + [r for r in rows[2:] if r[-1] == "15672"]


@pytest.mark.parametrize(
    ("edit", "row", "column", "says"),
    [
        (lambda rows: rows[1].__setitem__(35, "Group"), 2, "Group ID", "required column"),
        (lambda rows: rows[1].append("Website"), 2, "Website", "unknown column"),
        (lambda rows: rows[2].__setitem__(28, "Aircraft"), 3, "Group Type", "not a group type"),
        (lambda rows: rows[3].__setitem__(28, "Entity"), 4, "Group Type", "is Individual at row 3"),
        (lambda rows: rows[2].__setitem__(0, "MITH\x1bOO"), 3, "Name 6", "control character"),
        (lambda rows: rows[0].__setitem__(1, "31/02/2025"), 1, "Last Updated", "not a dd/mm"),
        (lambda rows: rows[2].__setitem__(35, ""), 3, "Group ID", "empty Group ID"),
        (lambda rows: rows.pop(1), 2, None, "expected OFSI's 'Last Updated' row"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_read(
    tmp_path: Path, edit, row: int, column: str | None, says: str
) -> None:
    rows = _small(_rows())
    edit(rows)
    path = _write_csv(tmp_path / "ConList.csv", rows)
    with pytest.raises(InputError) as err:
        read_list(path, ListFormat.UK)
    problem = err.value.problems[0]
    assert (problem.row, problem.column) == (row, column), err.value.problems
    assert says in problem.message and problem.file == str(path)


def test_a_date_of_birth_that_is_no_date_is_named_in_the_notes(tmp_path: Path) -> None:
    rows = _small(_rows())
    rows[2][10] = "31/02/1970"  # DOB of the group's first row
    parsed = read_list(_write_csv(tmp_path / "ConList.csv", rows), ListFormat.UK)
    assert parsed.entries[0].dates_of_birth == ()
    assert "born 31/02/1970" in parsed.entries[0].remarks
    assert any("row 3 DOB (group 15672): '31/02/1970'" in n for n in parsed.notes), parsed.notes


def test_a_workbook_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = tmp_path / "ConList.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as fh:  # 210 MB unpacked, ~200 KB here
            for _ in range(210):
                fh.write(b" " * (1 << 20))
    assert bomb.stat().st_size < 2 * 1024**2
    with pytest.raises(InputError) as err:
        read_list(bomb, ListFormat.UK)
    assert "over the" in err.value.problems[0].message and "limit" in err.value.problems[0].message


def test_import_takes_the_list_date_from_the_file(workspace: Workspace) -> None:
    report = workspace.screening.import_list(UK, list_name="UK OFSI")
    assert report.version.version_date == date(2025, 4, 10)
    assert report.version.entry_count == 4686
    assert report.version.format is ListFormat.UK


def test_the_columns_are_ofsis_header() -> None:
    assert list(COLUMNS) == [c.strip() for c in _rows()[1]]
