"""The bundle workbook reader (issue #20): calamine reads the values after the streamed
pre-scan has bounded the sheets; the scan also supplies merged ranges and which cells
are percentage-formatted (calamine gives no number formats)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from factories import TINY, write_bundle_files
from raretrace.errors import BundleError
from raretrace.services.formats.bundle import MAX_XLSX_COLUMNS, read_bundle, write_bundle
from raretrace.services.formats.file_bounds import percent_styles

PARTIES = ["party_id", "name", "country", "roles", "military_end_user"]


def _problems(path: Path) -> list[str]:
    with pytest.raises(BundleError) as info:
        read_bundle(path)
    return [str(p) for p in info.value.problems]


def _parties_book(tmp_path: Path, rows: list[list[object]], name: str = "p.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "parties"
    sheet.append(PARTIES)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_merged_cells_in_a_bundle_sheet_are_named(tmp_path: Path) -> None:
    path = _parties_book(tmp_path, [["P1", "One GmbH", "DE"], ["P2", "Two SA", "FR"]])
    book = openpyxl.load_workbook(path)
    book["parties"].merge_cells("B2:C2")  # P1's country now reads as empty
    book.save(path)
    found = _problems(path)
    assert any("[sheet parties], row 2" in p and "cells B2:C2 are merged" in p for p in found)


def test_a_value_far_right_of_the_table_is_refused_before_reading(tmp_path: Path) -> None:
    # calamine builds the sheet's whole rectangle: one value in column CZ of row 3 would
    # make it 104 columns wide (and one in XFD50000, 819 M cells): the scan refuses it.
    path = _parties_book(tmp_path, [["P1", "One GmbH", "DE"], ["P2", "Two SA", "FR"]])
    book = openpyxl.load_workbook(path)
    book["parties"]["CZ3"] = "stray note"
    book.save(path)
    found = _problems(path)
    assert len(found) == 1
    assert "[sheet parties], row 3, column 'CZ'" in found[0]
    assert f"right of the {MAX_XLSX_COLUMNS} columns read" in found[0]


def test_a_value_right_of_the_header_is_reported_not_dropped(tmp_path: Path) -> None:
    # it was dropped without a word (openpyxl and calamine both give rows as wide as the
    # sheet, so the row never looked longer than the header)
    path = _parties_book(tmp_path, [["P1", "One GmbH", "DE", "", "", "", "JP"]])
    found = _problems(path)
    assert len(found) == 1
    assert "row 2" in found[0] and "a value ('JP') in column 7, which has no header" in found[0]


def test_a_table_placed_lower_and_to_the_right_keeps_its_rows_and_columns(
    tmp_path: Path,
) -> None:
    # calamine starts its rows at row 1 but its columns at the first one holding a value
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "parties"
    for col, head in enumerate(PARTIES, start=2):
        sheet.cell(row=3, column=col, value=head)
    for col, value in enumerate(["P1", "One GmbH", "DE"], start=2):
        sheet.cell(row=4, column=col, value=value)
    for col, value in enumerate(["P2", "Two SA", "XX"], start=2):
        sheet.cell(row=6, column=col, value=value)
    path = tmp_path / "shifted.xlsx"
    book.save(path)
    found = _problems(path)
    assert len(found) == 1 and "row 6, column 'country'" in found[0], found
    sheet.cell(row=6, column=4, value="FR")
    book.save(path)
    parties = read_bundle(path).network.parties
    assert [(p.party_id, p.country) for p in parties] == [("P1", "DE"), ("P2", "FR")]


def test_whole_numbers_read_as_typed(tmp_path: Path) -> None:
    # calamine gives every number as a float: a party id typed as 12345 is "12345"
    path = _parties_book(tmp_path, [[12345, 2026, "DE", "", False], [7.5, "Half", "FR"]])
    ids = sorted(p.party_id for p in read_bundle(path).network.parties)
    assert ids == ["12345", "7.5"]
    name = next(p.name for p in read_bundle(path).network.parties if p.party_id == "12345")
    assert name == "2026"


def test_escaped_control_characters_are_decoded_and_refused(tmp_path: Path) -> None:
    # Excel stores ESC in a string as _x001B_ and shows it decoded; openpyxl read it as the
    # literal text "_x001B_", so the escape sequence got in. It is decoded now, and refused.
    path = _parties_book(tmp_path, [["P1", "Evil_x001B_]0;pwned_x0007_ Ltd", "DE"]])
    found = _problems(path)
    assert any("row 2, column 'name'" in p and "control character U+001B" in p for p in found), (
        found
    )


def _with_sheet_xml(good: Path, path: Path, sheet_xml: bytes) -> Path:
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            dst.writestr(item, data)
    return path


def test_merges_hiding_millions_of_cells_are_refused(tmp_path: Path) -> None:
    good = _parties_book(tmp_path, [["P1", "One GmbH", "DE"]], "good.xlsx")
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>P%d</t></is></c>'
        b'<c r="E%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i, i, i)
        for i in range(2, 50_001)
    )
    merges = b"".join(b'<mergeCell ref="A2:E%d"/>' % (50_000 - i) for i in range(3))
    xml = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>party_id</t></is></c></row>'
        + rows
        + b'</sheetData><mergeCells count="3">'
        + merges
        + b"</mergeCells></worksheet>"
    )
    found = _problems(_with_sheet_xml(good, tmp_path / "merged.xlsx", xml))
    assert any("merged ranges hide more than 200,000 cells" in p for p in found), found


def test_percent_styles_follow_built_in_and_custom_formats(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    formats = ["0%", "0.00%", "0.0%", "#,##0.00", "General", '0.0" pct"%']
    for row, fmt in enumerate(formats, start=1):
        sheet.cell(row=row, column=1, value=0.5).number_format = fmt
    path = tmp_path / "styles.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        found = percent_styles(archive, "xl/styles.xml")
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    styled = {}
    for row in range(1, len(formats) + 1):
        at = xml.index(f'r="A{row}"')
        attrs = xml[at : xml.index(">", at)]
        styled[formats[row - 1]] = int(attrs.split('s="')[1].split('"')[0]) if 's="' in attrs else 0
    assert {fmt for fmt, s in styled.items() if s in found} == {
        "0%",
        "0.00%",
        "0.0%",
        '0.0" pct"%',
    }


def test_round_trip_of_a_written_workbook_is_lossless(tmp_path: Path) -> None:
    net = read_bundle(write_bundle_files(tmp_path / "src", TINY)).network
    path = tmp_path / "tiny.xlsx"
    write_bundle(net, path)
    assert read_bundle(path).network == net
