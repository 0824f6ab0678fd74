"""Survey answers as suppliers really send them (issue #20): percentages typed the
Excel way, rows after long blank runs, a rewritten supplier id, control characters,
merged cells, oversized sheets, RMI templates sent instead of the survey."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from factories import TINY, write_bundle_files
from raretrace.errors import InputError
from raretrace.services.survey import read_workbook
from raretrace.workspace import Workspace

TWO = dict(TINY)
TWO["parties.csv"] = TINY["parties.csv"] + "MAG2,Second Magnet Co,VN,magnet_maker,,,\n"
TWO["sites.csv"] = TINY["sites.csv"] + "S-MAG2,MAG2,Second magnet plant,VN,\n"
TWO["parts.csv"] = TINY["parts.csv"] + "RING,Ring magnet,magnet,ea,0.02,,,,magnet,ndfeb\n"
TWO["supply.csv"] = TINY["supply.csv"] + "S-MAG2,RING,S-OEM,1,45\n"


@pytest.fixture
def ws(workspace: Workspace, tmp_path: Path) -> Workspace:
    workspace.import_bundle(write_bundle_files(tmp_path / "world", TWO))
    return workspace


def make(ws: Workspace, tmp_path: Path, supplier: str = "MAG") -> Path:
    path = tmp_path / f"{supplier}.xlsx"
    ws.make_survey(supplier, path, now=datetime(2026, 1, 1, tzinfo=UTC))
    return path


def put(path: Path, sheet: str, row: int, values: dict[str, Any], fmt: str = "") -> None:
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    header = [c.value for c in ws[3]]
    for key, value in values.items():
        cell = ws.cell(row=row, column=header.index(key) + 1, value=value)
        if fmt and isinstance(value, float):
            cell.number_format = fmt
    book.save(path)


def declare(path: Path, **answers: Any) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["Declaration"]
    for r in range(4, sheet.max_row + 1):
        key = sheet.cell(row=r, column=1).value
        if key in answers:
            sheet.cell(row=r, column=3, value=answers[key])
    book.save(path)


def problems(ws: Workspace, path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        ws.read_surveys([path], apply=True)
    return [str(p) for p in info.value.problems]


def dy_of_magnet(ws: Workspace) -> float:
    return next(
        c.mass_fraction
        for c in ws.network().composition
        if c.part_id == "MAGNET" and c.element == "Dy"
    )


def test_percent_typed_the_excel_way_is_read_as_the_percentage_shown(
    ws: Workspace, tmp_path: Path
) -> None:
    path = make(ws, tmp_path)
    put(path, "Parts", 4, {"part_mass_g": 50, "magnet_mass_g": 40})
    book = openpyxl.load_workbook(path)
    book["Content"].delete_rows(4, 10)
    book.save(path)
    # The supplier types "0.9%": Excel stores 0.009 with a percent format.
    put(path, "Content", 4, {"part_id": "MAGNET", "element": "Dy", "percent_of_magnet": 0.009},
        fmt="0.0%")  # fmt: skip
    put(path, "Content", 5, {"part_id": "MAGNET", "element": "Nd", "percent_of_part": 0.3},
        fmt="0%")  # fmt: skip
    ws.read_surveys([path], apply=True)
    # 0.9 % of a 40 g magnet in a 50 g part: 0.009 * 40 / 50 = 0.0072 (not 7.2e-05).
    assert dy_of_magnet(ws) == pytest.approx(0.0072, rel=1e-9)
    nd = next(c for c in ws.network().composition if c.part_id == "MAGNET" and c.element == "Nd")
    assert nd.mass_fraction == pytest.approx(0.3, rel=1e-9)


def test_percent_format_on_a_plain_number_column_is_refused(ws: Workspace, tmp_path: Path) -> None:
    path = make(ws, tmp_path)
    put(path, "Parts", 4, {"part_mass_g": 0.5}, fmt="0%")
    found = problems(ws, path)
    assert any(
        "[sheet Parts], row 4, column 'part_mass_g'" in p and "formatted as a percentage" in p
        for p in found
    ), found


def test_rows_after_a_long_blank_run_are_read(ws: Workspace, tmp_path: Path) -> None:
    path = make(ws, tmp_path)
    put(path, "Parts", 4, {"part_mass_g": 50})
    put(path, "Content", 1500, {"part_id": "MAGNET", "element": "Tb", "percent_of_part": "0.5"})
    raw = read_workbook(path)
    rows = raw.sheets["Content"].rows
    assert (1500, "Tb") in [(i, r["element"]) for i, r in rows]


def test_rewritten_supplier_id_is_refused(ws: Workspace, tmp_path: Path) -> None:
    path = make(ws, tmp_path)
    make(ws, tmp_path, "MAG2")
    before = ws.network()
    # MAG claims to be MAG2 (also surveyed) to change MAGNET, which MAG2 does not supply.
    declare(path, supplier_party_id="MAG2")
    put(path, "Parts", 4, {"part_mass_g": 99})
    found = problems(ws, path)
    assert any(
        "[sheet Parts], row 4, column 'part_id'" in p
        and "'MAG2' does not supply part 'MAGNET'" in p
        for p in found
    ), found
    # A supplier that was never sent this campaign's survey.
    declare(path, supplier_party_id="SEP")
    found = problems(ws, path)
    assert any("no survey of campaign 'rare-earths' was sent to 'SEP'" in p for p in found), found
    assert ws.network() == before


def test_control_characters_are_refused_with_location(ws: Workspace, tmp_path: Path) -> None:
    path = make(ws, tmp_path)
    put(
        path,
        "NextTier",
        4,
        # U+009B is the 8-bit CSI: "\x9b2J" clears a terminal; openpyxl lets it through.
        {"company_name": "Evil\x9b2J Co", "country": "CN", "supplies_part_id": "X1"},
    )
    found = problems(ws, path)
    assert any(
        "[sheet NextTier], row 4, column 'company_name'" in p and "U+009B" in p for p in found
    ), found


def test_merged_cells_are_named(ws: Workspace, tmp_path: Path) -> None:
    path = make(ws, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["Sources"]
    sheet["A4"], sheet["B4"] = "MAGNET", "separator"
    sheet["C4"], sheet["D4"] = "Sep Co", "CN"
    sheet.merge_cells("C4:D4")  # country now reads as empty
    book.save(path)
    found = problems(ws, path)
    assert any(
        "[sheet Sources], row 4, column 'country'" in p and "merged cells C4:D4" in p for p in found
    ), found


def _with_sheet_xml(src: Path, dst: Path, member: str, xml: bytes) -> Path:
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for item in a.infolist():
            b.writestr(item.filename, xml if item.filename == member else a.read(item.filename))
    return dst


def _parts_member(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    index = book.sheetnames.index("Parts") + 1
    return f"xl/worksheets/sheet{index}.xml"


NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


def test_too_many_rows_refused_before_reading(ws: Workspace, tmp_path: Path) -> None:
    good = make(ws, tmp_path)
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>P</t></is></c></row>' % (i, i)
        for i in range(1, 25_001)
    )
    bad = _with_sheet_xml(
        good, tmp_path / "long.xlsx", _parts_member(good), NS + rows + b"</sheetData></worksheet>"
    )
    with pytest.raises(InputError) as info:
        read_workbook(bad)
    (p,) = info.value.problems
    assert p.row == 20_001 and "more than 20,000 rows; refused before reading" in p.message


def test_wide_header_row_refused_before_reading(ws: Workspace, tmp_path: Path) -> None:
    good = make(ws, tmp_path)
    cells = b"<c/>" * 20_000
    bad = _with_sheet_xml(
        good,
        tmp_path / "wide.xlsx",
        _parts_member(good),
        NS + b'<row r="3">' + cells + b"</row></sheetData></worksheet>",
    )
    with pytest.raises(InputError) as info:
        read_workbook(bad)
    (p,) = info.value.problems
    assert p.row == 3 and "more than 16,384 cells" in p.message


def test_problem_count_is_capped_and_the_rest_counted(ws: Workspace, tmp_path: Path) -> None:
    path = make(ws, tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["Parts"]
    for r in range(5, 5 + 1200):
        sheet.cell(row=r, column=1, value="MAGNET")  # 1,200 duplicates of row 4
    book.save(path)
    with pytest.raises(InputError) as info:
        ws.read_surveys([path])
    listed = info.value.problems
    assert len(listed) == 501
    assert listed[-1].message == "... and 700 more problem(s) not listed"


def test_huge_value_is_not_echoed_whole(ws: Workspace, tmp_path: Path) -> None:
    path = make(ws, tmp_path)
    put(path, "Parts", 4, {"magnet_type": "x" * 30_000})
    with pytest.raises(InputError) as info:
        ws.read_surveys([path])
    assert len(str(info.value)) < 2_000
    assert any("(30,000 characters)" in p.message for p in info.value.problems)


def test_formula_like_ids_are_written_as_text(ws: Workspace, tmp_path: Path) -> None:
    bundle = dict(TWO)
    bundle["parts.csv"] = (
        TWO["parts.csv"] + '"=HYPERLINK(""evil.example"")",Evil,magnet,ea,0.01,,,,,\n'
    )
    bundle["supply.csv"] = TWO["supply.csv"] + 'S-MAG,"=HYPERLINK(""evil.example"")",S-OEM,1,\n'
    ws.import_bundle(write_bundle_files(tmp_path / "evil", bundle), replace=True)
    path = make(ws, tmp_path)
    with zipfile.ZipFile(path) as z:
        sheets = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in sheets  # no live formula anywhere
    book = openpyxl.load_workbook(path)
    ids = [c.value for c in book["Parts"]["A"]]
    assert '=HYPERLINK("evil.example")' in ids
    assert book["Parts"]["A5"].data_type == "s" or book["Parts"]["A4"].data_type == "s"
