"""Bundle and IPC-1752A files as suppliers and attackers send them (issue #20)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from factories import TINY, write_bundle_files
from raretrace.errors import BundleError, InputError
from raretrace.services.formats.bundle import read_bundle, write_bundle
from raretrace.services.formats.ipc1752 import MAX_XML_BYTES, parse_declaration, read_declaration


def _workbook(tmp_path: Path) -> Path:
    book = tmp_path / "good.xlsx"
    write_bundle(read_bundle(write_bundle_files(tmp_path / "src", TINY)).network, book)
    return book


def _problems(path: Path) -> list[str]:
    with pytest.raises(BundleError) as info:
        read_bundle(path)
    return [str(p) for p in info.value.problems]


def test_party_after_a_long_blank_run_is_read(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["parties"]
    for col, value in enumerate(("LATE", "Late Party Ltd", "FR"), start=1):
        sheet.cell(row=1500, column=col, value=value)
    book.save(path)
    parties = {p.party_id for p in read_bundle(path).network.parties}
    assert parties == {"MINE", "SEP", "MAG", "OEM", "LATE"}


def test_percent_formatted_cells_follow_the_column(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    parties, comp, parts = book["parties"], book["composition"], book["parts"]
    head = [c.value for c in parties[1]]
    cell = parties.cell(row=3, column=head.index("ownership_pct") + 1, value=0.51)  # SEP, "51%"
    cell.number_format = "0%"
    head = [c.value for c in comp[1]]
    cell = comp.cell(row=5, column=head.index("mass_fraction") + 1, value=0.009)  # "0.9%"
    cell.number_format = "0.0%"
    book.save(path)
    net = read_bundle(path).network
    sep = next(p for p in net.parties if p.party_id == "SEP")
    assert sep.ownership_pct == pytest.approx(51.0)
    dy = next(c for c in net.composition if c.part_id == "MAGNET" and c.element == "Dy")
    assert dy.mass_fraction == pytest.approx(0.009)
    head = [c.value for c in parts[1]]
    parts.cell(row=2, column=head.index("mass_kg") + 1, value=0.5).number_format = "0%"
    book.save(path)
    found = _problems(path)
    assert any(
        "[sheet parts], row 2, column 'mass_kg'" in p and "formatted as a percentage (50%)" in p
        for p in found
    ), found


def test_control_characters_in_names_are_refused_with_location(tmp_path: Path) -> None:
    files = dict(TINY)
    files["parties.csv"] = TINY["parties.csv"].replace(
        "Example Magnet KK", "Example\x1b]0;owned\x07\x1b[2J Magnet KK"
    )
    found = _problems(write_bundle_files(tmp_path / "b", files))
    assert any(
        "parties.csv, row 4, column 'name'" in p and "U+001B at position 8" in p for p in found
    ), found
    files["parties.csv"] = TINY["parties.csv"].replace("MAG,", "MA\tG,")
    found = _problems(write_bundle_files(tmp_path / "c", files))
    assert any("column 'party_id'" in p and "U+0009" in p for p in found), found


def test_cell_over_the_csv_limit_is_located_not_a_traceback(tmp_path: Path) -> None:
    files = dict(TINY)
    files["parties.csv"] = TINY["parties.csv"] + "BIG," + "x" * 200_000 + ",CN,,,,\n"
    found = _problems(write_bundle_files(tmp_path / "b", files))
    assert any("parties.csv, row 6" in p and "longer than 131,072 characters" in p for p in found)


def test_unterminated_quote_names_where_it_opens(tmp_path: Path) -> None:
    files = dict(TINY)
    files["sites.csv"] = TINY["sites.csv"].replace("S-SEP,SEP,Separation plant", 'S-SEP,SEP,"Sep')
    found = _problems(write_bundle_files(tmp_path / "b", files))
    assert found == [
        f"{tmp_path / 'b' / 'sites.csv'}, row 3: the quoted value that starts on line 3 "
        'is never closed (unterminated ")'
    ]


def test_cp1252_with_a_bom_reports_the_real_byte_and_offset(tmp_path: Path) -> None:
    folder = write_bundle_files(tmp_path / "b", TINY)
    text = TINY["sites.csv"].replace("Kuantan", "Kuantán")
    data = b"\xef\xbb\xbf" + text.encode("cp1252")
    (folder / "sites.csv").write_bytes(data)
    offset = data.index(b"\xe1")
    found = _problems(folder)
    assert any(
        f"sites.csv, row 3: not UTF-8 text (byte 0xe1 at offset {offset})" in p for p in found
    ), found


def test_duplicates_are_capped_and_counted(tmp_path: Path) -> None:
    files = dict(TINY)
    files["parties.csv"] = TINY["parties.csv"] + "MAG,Again,JP,,,,\n" * 3000
    with pytest.raises(BundleError) as info:
        read_bundle(write_bundle_files(tmp_path / "b", files))
    problems = info.value.problems
    assert len(problems) == 500 + 1  # file_bounds.MAX_PROBLEMS, then one 'more' line
    assert problems[-1].message == "... and 2,500 more problem(s) not listed"
    assert "3000 problem(s)" in str(info.value).splitlines()[0]


def test_a_huge_value_is_clipped_in_messages(tmp_path: Path) -> None:
    files = dict(TINY)
    files["parts.csv"] = TINY["parts.csv"].replace(
        "MOTOR,Seat motor,component,ea,0.6", "MOTOR,Seat motor,component,ea," + "9" * 100_000 + "z"
    )
    with pytest.raises(BundleError) as info:
        read_bundle(write_bundle_files(tmp_path / "b", files))
    assert len(str(info.value)) < 1_000
    assert "(100,001 characters)" in str(info.value)


def _zip_with(tmp_path: Path, member: str, chunks: int, chunk: bytes) -> Path:
    good = _workbook(tmp_path)
    out = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(good) as a, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as b:
        for item in a.infolist():
            if item.filename != member:
                b.writestr(item.filename, a.read(item.filename))
        with b.open(member, "w", force_zip64=True) as fh:
            for _ in range(chunks):
                fh.write(chunk)
    return out


def test_xlsx_bomb_refused_by_its_unpacked_size(tmp_path: Path) -> None:
    # ~300 MB of padding in a sheet, a few hundred KB on disk.
    evil = _zip_with(tmp_path, "xl/worksheets/sheet1.xml", 300, b" " * (1 << 20))
    assert evil.stat().st_size < 2 * 1024**2
    found = _problems(evil)
    assert len(found) == 1 and "over the 209,715,200 limit" in found[0], found


def test_header_row_of_millions_of_cells_refused_before_reading(tmp_path: Path) -> None:
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    good = _workbook(tmp_path)
    out = tmp_path / "wide.xlsx"
    with zipfile.ZipFile(good) as a, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as b:
        for item in a.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                b.writestr(item.filename, a.read(item.filename))
        with b.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(head)
            for _ in range(50):
                fh.write(b"<c/>" * 100_000)  # 5 M cells in row 1
            fh.write(b"</row></sheetData></worksheet>")
    found = _problems(out)
    assert len(found) == 1 and "row 1 has more than 16,384 cells" in found[0], found


def test_big_ipc1752_file_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    with big.open("wb") as fh:
        fh.truncate(MAX_XML_BYTES + 1)
    with pytest.raises(InputError) as info:
        read_declaration(big)
    assert "over the 16777216 limit" in info.value.problems[0].message


def test_xsd_errors_name_the_element_not_a_wildcard_path() -> None:
    ns = "http://webstds.ipc.org/175x/2.0"
    text = (
        f'<MainDeclaration xmlns="{ns}" version="2.0"><Product><ProductID itemNumber="P">'
        '<Amount value="1" UOM="g"/></ProductID><Bogus/></Product></MainDeclaration>'
    )
    with pytest.raises(InputError) as info:
        parse_declaration(text.encode(), "d.xml")
    messages = [p.message for p in info.value.problems]
    assert all("*/" not in m and "/*" not in m for m in messages), messages
    assert any("element MainDeclaration/Product/Bogus" in m for m in messages), messages


def test_ipc1752_control_characters_are_refused_with_location() -> None:
    ns = "http://webstds.ipc.org/175x/2.0"
    text = (
        f'<MainDeclaration xmlns="{ns}" version="2.0">\n<Product>\n<ProductID itemNumber="P" '
        'itemName="Magnet\x9b2J"><Amount value="1" UOM="g"/></ProductID></Product>'
        "</MainDeclaration>"
    )
    with pytest.raises(InputError) as info:
        parse_declaration(text.encode(), "d.xml")
    (p,) = info.value.problems
    assert (p.row, p.column) == (3, "ProductID/@itemName") and "U+009B" in p.message
