"""Reading and writing supply-network bundles (CSV folder or XLSX workbook).

Reading never raises on the first problem: it collects every located ``Problem`` and
raises one ``BundleError`` at the end. Writing produces exactly the columns of
``columns.SPECS`` so that export -> import is lossless.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from raretrace.domain.network import TABLES, BomLine, Network, Production, SupplyLink, record_key
from raretrace.domain.parties import Party, Site
from raretrace.domain.parts import CompositionLine, Part
from raretrace.errors import BundleError, Problem
from raretrace.services.formats.bundle_xlsx import (  # re-exported: the workbook limits
    MAX_XLSX_COLUMNS,
    MAX_XLSX_ROWS,
    LocatedError,
    PercentText,
    Rows,
    xlsx_sources,
)
from raretrace.services.formats.columns import SPECS
from raretrace.services.formats.file_bounds import (
    MAX_CELL_CHARS,
    ProblemLog,
    TooManyProblems,
    clip,
)
from raretrace.services.formats.formula_guard import csv_cell, csv_text_back, xlsx_row

__all__ = [
    "MAX_XLSX_COLUMNS",
    "MAX_XLSX_ROWS",
    "LocatedError",
    "PercentText",
    "ReadBundle",
    "cell",
    "read_bundle",
    "write_bundle",
]

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
_CHUNK = 1 << 20


@dataclass(slots=True)
class ReadBundle:
    """A parsed bundle with where each record came from (for located problems)."""

    network: Network
    where: dict[tuple[str, tuple[str, ...]], tuple[str, int]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def locate(self, table: str, key: tuple[str, ...]) -> tuple[str, int | None]:
        return self.where.get((table, key), ("workspace", None))


def read_bundle(path: Path) -> ReadBundle:
    """Read a bundle folder or ``.xlsx`` workbook; raise ``BundleError`` listing all problems
    (at most ``file_bounds.MAX_PROBLEMS``, then how many more)."""
    if not path.exists():
        raise BundleError(f"{path}: no such file or folder")
    if path.is_dir():
        sources = _csv_sources(path)
        label = str(path)
    elif path.suffix.lower() == ".xlsx":
        sources = xlsx_sources(path)
        label = str(path)
    elif path.suffix.lower() == ".csv":
        raise BundleError(
            f"{path}: give the folder that holds the bundle's CSV files, not one file"
        )
    else:
        raise BundleError(f"{path}: a bundle is a folder of CSV files or an .xlsx workbook")
    problems = ProblemLog()
    out = ReadBundle(Network())
    found = False
    for table, fname, rows in sources:
        found = True
        out.files.append(fname)
        try:
            records = _parse_table(table, fname, rows, problems, out.where)
        except TooManyProblems:
            break
        except LocatedError as exc:
            problems.append(Problem(fname, exc.line, None, exc.message))
            continue
        except (ValueError, KeyError, OSError) as exc:  # defusedxml refusals are ValueErrors
            problems.append(Problem(fname, None, None, f"cannot be read safely: {clip(exc)}"))
            continue
        getattr(out.network, table).extend(records)
    if not found and not problems:
        expected = ", ".join(f"{t}.csv" for t in TABLES)
        problems.append(Problem(label, None, None, f"no bundle tables found (expected {expected})"))
    if problems:
        raise BundleError(
            f"{label}: the bundle has {len(problems)} problem(s); nothing was written",
            problems.problems(label),
        )
    return out


#: Columns whose value is a percentage (a cell formatted as % stores value / 100).
PERCENT_COLUMNS = frozenset({"ownership_pct"})
#: Columns whose value is a fraction 0-1 (a cell formatted as % stores exactly that).
FRACTION_COLUMNS = frozenset({"mass_fraction", "share"})


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
    return _csv_records(file)


def _csv_records(file: Path) -> Rows:
    """Records of a UTF-8 CSV file, streamed; a ``LocatedError`` names the line of a bad
    byte, of an unterminated quote or of a cell over ``MAX_CELL_CHARS``."""
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(_utf8_lines(file), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            text = str(exc)
            if "field larger than field limit" in text:
                spans = reader.line_num > start
                hint = (
                    f"; the value starts on line {start}: is a closing quote missing?"
                    if spans
                    else ""
                )
                message = f"a cell is longer than {MAX_CELL_CHARS:,} characters{hint}"
                raise LocatedError(reader.line_num if not spans else start, message) from None
            if "unexpected end of data" in text or "EOF" in text:
                message = (
                    f'the quoted value that starts on line {start} is never closed (unterminated ")'
                )
                raise LocatedError(start, message) from None
            raise LocatedError(reader.line_num, f"not valid CSV: {text}") from None
        yield reader.line_num, row


def _utf8_lines(file: Path) -> Iterator[str]:
    """The file's lines, decoded as UTF-8 (a leading byte-order mark dropped) in
    1 MiB chunks; a bad byte raises ``LocatedError`` with its line and file offset."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0  #: file offset of the chunk being decoded
    newlines = 0  #: line feeds before it
    pending = ""
    with file.open("rb") as fh:
        chunk = fh.read(_CHUNK)
        if chunk.startswith(codecs.BOM_UTF8):
            chunk, offset = chunk[3:], 3
        while True:
            final = not chunk
            buffered = decoder.getstate()[0]
            try:
                text = decoder.decode(chunk, final)
            except UnicodeDecodeError as exc:
                at = offset - len(buffered) + exc.start
                line = newlines + exc.object.count(b"\n", 0, exc.start) + 1
                byte = f"byte 0x{exc.object[exc.start]:02x} at offset {at}"
                message = f"not UTF-8 text ({byte}); save the file as UTF-8"
                raise LocatedError(line, message) from None
            if "\x00" in text:
                line = newlines + chunk.count(b"\n", 0, chunk.find(b"\x00")) + 1
                raise LocatedError(line, "file contains NUL bytes; it is not a CSV text file")
            newlines += chunk.count(b"\n")
            offset += len(chunk)
            pending += text
            if final:
                if pending:
                    yield pending
                return
            lines = io.StringIO(pending, newline="").readlines()
            pending = ""
            if lines and (not lines[-1].endswith(("\n", "\r")) or lines[-1].endswith("\r")):
                pending = lines.pop()  # unfinished line (or a CR whose LF may follow)
            if len(pending) > MAX_CELL_CHARS * 16:
                raise LocatedError(
                    newlines + 1, f"a line is longer than {MAX_CELL_CHARS * 16:,} characters"
                )
            yield from lines
            chunk = fh.read(_CHUNK)


def _percent_cell(name: str, cell: str) -> str:
    """The text a percentage-formatted cell stands for in column ``name``."""
    fraction = float(cell)
    if name in FRACTION_COLUMNS:
        return cell
    if name in PERCENT_COLUMNS:
        return f"{fraction * 100:.12g}"
    raise ValueError(
        f"the cell is formatted as a percentage ({fraction * 100:.12g}%); this column "
        "takes a plain number: remove the % format"
    )


def _parse_table(
    table: str,
    fname: str,
    rows: Rows | Problem,
    problems: ProblemLog,
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
    header_line, header = header_item
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    known = {s.name for s in specs}
    bad = False
    for col in names:
        if col and col not in known:
            problems.append(
                Problem(
                    fname,
                    header_line,
                    clip(col, 40, quote=False),
                    f"unknown column (expected some of: {', '.join(known)})",
                )
            )
            bad = True
    for spec in specs:
        if spec.required and spec.name not in names:
            problems.append(Problem(fname, header_line, spec.name, "required column is missing"))
            bad = True
    dupes = {n for n in names if n and names.count(n) > 1}
    for col in sorted(dupes):
        problems.append(
            Problem(fname, header_line, clip(col, 40, quote=False), "column appears more than once")
        )
        bad = True
    if bad:
        return []
    index = {n: i for i, n in enumerate(names) if n}
    unnamed = [i for i, n in enumerate(names) if not n]
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
        stray = next((i for i in unnamed if i < len(cells) and cells[i].strip()), None)
        if stray is not None:
            # (a workbook's rows are as wide as its widest row, so a value right of the
            # header comes here, not above; it used to be dropped without a word)
            message = (
                f"a value ({clip(cells[stray], 40)}) in column {stray + 1}, which has no "
                "header: name the column or delete the value"
            )
            problems.append(Problem(fname, line, None, message))
            continue
        values: dict[str, Any] = {}
        ok = True
        for spec in specs:
            i = index.get(spec.name)
            cell = cells[i] if i is not None and i < len(cells) else ""
            raw = csv_text_back(cell.strip())
            if not raw:
                if spec.required:
                    problems.append(Problem(fname, line, spec.name, "value is required"))
                    ok = False
                elif spec.default is not None:
                    values[spec.name] = spec.default
                continue
            try:
                if isinstance(cell, PercentText):
                    raw = _percent_cell(spec.name, raw)
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
            what = clip(" / ".join(key))
            problems.append(
                Problem(fname, line, specs[0].name, f"duplicate key {what} (first at row {first})")
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


def _csv_text(value: Any) -> str:
    """A CSV field; text that a spreadsheet would run as a formula gets a ``'``, which
    the import takes off again (``csv_text_back``), so bundles round-trip."""
    text = _text(value)
    return csv_cell(text) if isinstance(value, str) else text


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
            w.writerows(
                [_csv_text(getattr(rec, n)) for n in names] for rec in getattr(network, table)
            )
        tmp.replace(file)
        written.append(file)
    return written


def _write_xlsx(network: Network, path: Path) -> Path:
    import openpyxl

    sheets = {table: _xlsx_rows(network, table, path) for table in TABLES}  # check first
    book = openpyxl.Workbook(write_only=True)
    for table, rows in sheets.items():
        sheet = book.create_sheet(table)
        sheet.append([s.name for s in SPECS[table]])
        for row in rows:
            # Text, never a formula (openpyxl would store "=..." as one).
            sheet.append(xlsx_row(sheet, row))
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
