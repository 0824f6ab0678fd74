"""Hostile or broken workbooks are refused with a located message, never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from factories import TINY, write_bundle_files
from raretrace.errors import BundleError
from raretrace.services.formats.bundle import read_bundle, write_bundle

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>
</worksheet>"""


def _good_workbook(tmp_path: Path) -> Path:
    folder = write_bundle_files(tmp_path / "src", TINY)
    book = tmp_path / "good.xlsx"
    write_bundle(read_bundle(folder).network, book)
    return book


def test_entity_expansion_in_a_sheet_is_refused(tmp_path: Path) -> None:
    good = _good_workbook(tmp_path)
    evil = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = LAUGHS.encode()
            dst.writestr(item, data)
    with pytest.raises(BundleError) as info:
        read_bundle(evil)
    messages = [p.message for p in info.value.problems]
    assert any("cannot be read safely" in m or "not a readable" in m for m in messages)


def test_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("this is not a zip file")
    with pytest.raises(BundleError) as info:
        read_bundle(fake)
    assert "not a readable .xlsx workbook" in info.value.problems[0].message


def test_workbook_padded_with_empty_rows_is_read_quickly(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "parties"
    sheet.append(["party_id", "name", "country"])
    sheet.append(["P1", "One GmbH", "DE"])
    sheet.cell(row=200_000, column=1, value=None)
    sheet.cell(row=200_000, column=3, value="")
    sheet["B3"] = "=1+1"  # a formula without a cached value reads as empty
    path = tmp_path / "padded.xlsx"
    book.save(path)
    bundle = read_bundle(path)
    assert [p.party_id for p in bundle.network.parties] == ["P1"]


def test_workbook_export_refuses_characters_xml_cannot_hold(tmp_path: Path) -> None:
    folder = write_bundle_files(tmp_path / "src", TINY)
    net = read_bundle(folder).network
    from dataclasses import replace

    net.parts[0] = replace(net.parts[0], name="bad \ufffe name")
    with pytest.raises(BundleError) as info:
        write_bundle(net, tmp_path / "out.xlsx")
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (2, "name")
    assert not (tmp_path / "out.xlsx").exists()


def test_text_that_looks_like_a_formula_round_trips_as_text(tmp_path: Path) -> None:
    folder = write_bundle_files(tmp_path / "src", TINY)
    net = read_bundle(folder).network
    from dataclasses import replace

    net.parts[0] = replace(net.parts[0], name="=HYPERLINK(1)")
    write_bundle(net, tmp_path / "out.xlsx")
    again = read_bundle(tmp_path / "out.xlsx").network
    assert again.parts[0].name == "=HYPERLINK(1)"
