"""Reading and writing supply-network bundles (CSV folder or XLSX workbook).

Reading never raises on the first problem: it collects every located ``Problem`` and
raises one ``BundleError`` at the end. Writing produces exactly the columns of
``columns.SPECS`` so that export -> import is lossless.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from raretrace.domain.network import TABLES, BomLine, Network, Production, SupplyLink, record_key
from raretrace.domain.parties import Party, Site
from raretrace.domain.parts import CompositionLine, Part
from raretrace.errors import BundleError, Problem
from raretrace.services.columns import SPECS

_RECORD_TYPES: dict[str, type] = {
    "parties": Party,
    "sites": Site,
    "parts": Part,
    "composition": CompositionLine,
    "bom": BomLine,
    "supply": SupplyLink,
    "production": Production,
}

#: Characters XML 1.0 (and so a workbook) cannot hold.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: Refuse files larger than this (hostile or mistaken input); 2 GiB.
MAX_FILE_BYTES = 2 * 1024**3


@dataclass(slots=True)
class ReadBundle:
    """A parsed bundle with where each record came from (for located problems)."""

    network: Network
    where: dict[tuple[str, tuple[str, ...]], tuple[str, int]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def locate(self, table: str, key: tuple[str, ...]) -> tuple[str, int | None]:
        return self.where.get((table, key), ("workspace", None))


def read_bundle(path: Path) -> ReadBundle:
    """Read a bundle folder or ``.xlsx`` workbook; raise ``BundleError`` listing all problems."""
    if not path.exists():
        raise BundleError(f"{path}: no such file or folder")
    if path.is_dir():
        sources = _csv_sources(path)
        label = str(path)
    elif path.suffix.lower() == ".xlsx":
        sources = _xlsx_sources(path)
        label = str(path)
    elif path.suffix.lower() == ".csv":
        raise BundleError(
            f"{path}: give the folder that holds the bundle's CSV files, not one file"
        )
    else:
        raise BundleError(f"{path}: a bundle is a folder of CSV files or an .xlsx workbook")
    problems: list[Problem] = []
    out = ReadBundle(Network())
    found = False
    for table, fname, rows in sources:
        found = True
        out.files.append(fname)
        try:
            records = _parse_table(table, fname, rows, problems, out.where)
        except (ValueError, KeyError, OSError) as exc:  # defusedxml refusals are ValueErrors
            problems.append(Problem(fname, None, None, f"cannot be read safely: {exc}"))
            continue
        getattr(out.network, table).extend(records)
    if not found and not problems:
        expected = ", ".join(f"{t}.csv" for t in TABLES)
        problems.append(Problem(label, None, None, f"no bundle tables found (expected {expected})"))
    if problems:
        raise BundleError(
            f"{label}: the bundle has {len(problems)} problem(s); nothing was written", problems
        )
    return out


Rows = Iterator[tuple[int, list[str]]]


def _csv_sources(folder: Path) -> Iterator[tuple[str, str, Rows | Problem]]:
    for table in TABLES:
        file = folder / f"{table}.csv"
        if file.exists():
            yield table, str(file), _csv_rows(file)


def _csv_rows(file: Path) -> Rows | Problem:
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        return Problem(
            str(file), None, None, f"file is {size} bytes, over the {MAX_FILE_BYTES} limit"
        )
    data = file.read_bytes()
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
        return Problem(str(file), line, None, f"not UTF-8 text ({byte}); save the file as UTF-8")
    if "\x00" in content:
        return Problem(str(file), None, None, "file contains NUL bytes; it is not a CSV text file")
    reader = csv.reader(io.StringIO(content, newline=""))
    return ((reader.line_num, row) for row in reader)


def _xlsx_sources(file: Path) -> Iterator[tuple[str, str, Rows | Problem]]:
    # openpyxl parses with defusedxml when it is installed (a dependency of ours), so
    # entity-expansion and external-entity tricks are refused; zip bombs are refused here.
    from zipfile import BadZipFile, ZipFile

    import openpyxl

    try:
        with ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_FILE_BYTES:
            message = f"workbook unpacks to {unpacked} bytes, over the {MAX_FILE_BYTES} limit"
            yield "parties", str(file), Problem(str(file), None, None, message)
            return
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        yield (
            "parties",
            str(file),
            Problem(str(file), None, None, f"not a readable .xlsx workbook ({exc})"),
        )
        return
    try:
        names = {name.strip().lower(): name for name in book.sheetnames}
        for table in TABLES:
            if table in names:
                sheet = book[names[table]]
                label = f"{file} [sheet {names[table]}]"
                yield table, label, _sheet_rows(sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _sheet_rows(rows: Iterable[tuple[Any, ...]]) -> Rows:
    blank_run = 0
    for i, row in enumerate(rows, start=1):
        cells = ["" if v is None else _cell_text(v) for v in row]
        if not any(c.strip() for c in cells):
            blank_run += 1
            if blank_run > 1000:  # a sheet padded with empty rows: stop, don't spin
                return
            continue
        blank_run = 0
        yield i, cells


def _cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _parse_table(
    table: str,
    fname: str,
    rows: Rows | Problem,
    problems: list[Problem],
    where: dict[tuple[str, tuple[str, ...]], tuple[str, int]],
) -> list[Any]:
    if isinstance(rows, Problem):
        problems.append(rows)
        return []
    specs = SPECS[table]
    header_item = next(rows, None)
    if header_item is None:
        problems.append(Problem(fname, None, None, "file is empty (expected a header row)"))
        return []
    _, header = header_item
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    known = {s.name for s in specs}
    bad = False
    for col in names:
        if col and col not in known:
            problems.append(
                Problem(fname, 1, col, f"unknown column (expected some of: {', '.join(known)})")
            )
            bad = True
    for spec in specs:
        if spec.required and spec.name not in names:
            problems.append(Problem(fname, 1, spec.name, "required column is missing"))
            bad = True
    dupes = {n for n in names if n and names.count(n) > 1}
    for col in sorted(dupes):
        problems.append(Problem(fname, 1, col, "column appears more than once"))
        bad = True
    if bad:
        return []
    index = {n: i for i, n in enumerate(names) if n}
    kind = _RECORD_TYPES[table]
    records: list[Any] = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(names):
            problems.append(
                Problem(
                    fname, line, None, f"row has {len(cells)} cells but the header has {len(names)}"
                )
            )
            continue
        values: dict[str, Any] = {}
        ok = True
        for spec in specs:
            i = index.get(spec.name)
            raw = cells[i].strip() if i is not None and i < len(cells) else ""
            if not raw:
                if spec.required:
                    problems.append(Problem(fname, line, spec.name, "value is required"))
                    ok = False
                elif spec.default is not None:
                    values[spec.name] = spec.default
                continue
            try:
                values[spec.name] = spec.parse(raw)
            except ValueError as exc:
                problems.append(Problem(fname, line, spec.name, str(exc)))
                ok = False
        if not ok:
            continue
        rec = kind(**values)
        key = record_key(table, rec)
        if (table, key) in where:
            first = where[(table, key)][1]
            what = " / ".join(key)
            problems.append(
                Problem(
                    fname, line, specs[0].name, f"duplicate key {what!r} (first at row {first})"
                )
            )
            continue
        where[(table, key)] = (fname, line)
        records.append(rec)
    return records


# --------------------------------------------------------------------------- writing


def cell(value: Any) -> str | float | int | bool:
    """The value written for one field (CSV text or spreadsheet cell)."""
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return ";".join(v.value if isinstance(v, StrEnum) else str(v) for v in value)
    if isinstance(value, Decimal):
        return str(value)
    return value  # type: ignore[no-any-return]


def _text(value: Any) -> str:
    v = cell(value)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def write_bundle(network: Network, path: Path) -> list[Path]:
    """Write a CSV folder, or an ``.xlsx`` workbook when ``path`` ends in ``.xlsx``."""
    if path.suffix.lower() == ".xlsx":
        return [_write_xlsx(network, path)]
    path.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table in TABLES:
        names = [s.name for s in SPECS[table]]
        file = path / f"{table}.csv"
        tmp = file.with_suffix(".csv.tmp")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(names)
            w.writerows([_text(getattr(rec, n)) for n in names] for rec in getattr(network, table))
        tmp.replace(file)
        written.append(file)
    return written


def _write_xlsx(network: Network, path: Path) -> Path:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    sheets = {table: _xlsx_rows(network, table, path) for table in TABLES}  # check first
    book = openpyxl.Workbook(write_only=True)
    for table, rows in sheets.items():
        sheet = book.create_sheet(table)
        sheet.append([s.name for s in SPECS[table]])
        for row in rows:
            out: list[Any] = []
            for v in row:
                if isinstance(v, str) and v.startswith("="):
                    # Text, never a formula (openpyxl would store "=..." as one).
                    text_cell = WriteOnlyCell(sheet, value=v)
                    text_cell.data_type = "s"
                    out.append(text_cell)
                else:
                    out.append(v)
            sheet.append(out)
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)
    return path


def _xlsx_rows(network: Network, table: str, path: Path) -> list[list[Any]]:
    """Cell values of one sheet; refuses characters a workbook cannot store."""
    names = [s.name for s in SPECS[table]]
    rows: list[list[Any]] = []
    for line, rec in enumerate(getattr(network, table), start=2):
        row: list[Any] = []
        for n in names:
            raw = getattr(rec, n)
            v = cell(raw)
            if isinstance(raw, Decimal) and _float_exact(raw):
                v = float(raw)
            elif isinstance(v, float) and float(f"{v:.16g}") != v:
                # openpyxl writes 16 significant digits; keep the rare float that needs
                # 17 exact by writing it as text (the reader parses it).
                v = repr(v)
            elif isinstance(v, str) and _NOT_IN_XML.search(v):
                message = "holds a character a workbook cannot store; export as CSV"
                problem = Problem(f"{path} [sheet {table}]", line, n, message)
                raise BundleError(f"{path}: cannot write the workbook", [problem])
            row.append(None if v == "" else v)
        rows.append(row)
    return rows


def _float_exact(d: Decimal) -> bool:
    return Decimal(repr(float(d))) == d
