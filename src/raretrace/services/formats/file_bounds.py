"""Bounds shared by every reader of outside files (bundles, surveys, RMI templates,
IPC-1752A, restricted-party lists, ERP exports).

- ``ProblemLog``: collects located problems up to ``MAX_PROBLEMS`` and counts the rest,
  so a file with two million bad rows costs two million counter increments, not two
  million ``Problem`` objects; ``problems()`` ends with "... and N more".
- ``clip``: a value quoted in a message is cut to ``MAX_QUOTED`` characters (a 100 MB
  cell is never echoed whole to a terminal or a web page).
- ``control_character``: the first C0/C1 control character of a text (terminal escape
  sequences, NUL ...), for readers that refuse them with a located problem.
- ``scan_xlsx``: checks a workbook *before* a spreadsheet library parses it: unpacked
  size, macros, and by streaming each sheet's XML in chunks, rows per sheet and cells
  per row (and, on request, the rightmost column holding a value, so that a reader that
  builds the sheet's whole rectangle, as calamine does, is never handed one value in
  A1 and one in XFD50000); it also lists merged ranges (read-only parsing cannot see
  them) and, on request, which cells hold a value under a percentage number format
  (read from ``xl/styles.xml``). A 300 MB zip bomb or a 5 M-cell header row is refused
  after reading a few megabytes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from raretrace.errors import Problem

#: Most problems listed for one read; the rest are counted.
MAX_PROBLEMS = 500
#: After this many problems a reader stops: the file is hopeless, reading on only costs.
STOP_AFTER_PROBLEMS = 20_000
#: Longest value quoted in a message, in characters.
MAX_QUOTED = 80
#: Largest total a workbook may unpack to (10 x the default 20 MiB upload limit, as
#: for zipped CSV uploads in ``services.formats.uploads``).
MAX_XLSX_UNPACKED = 200 * 1024**2
#: Largest shared-string table (openpyxl holds it in memory whole).
MAX_SHARED_STRINGS = 48 * 1024**2
#: Cells a row may hold (Excel's own limit is 16,384 columns).
MAX_CELLS_PER_ROW = 16_384
#: Rows a sheet may hold (Excel's own limit).
EXCEL_MAX_ROWS = 1_048_576
#: Longest cell accepted in a CSV file, in characters.
MAX_CELL_CHARS = 131_072

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_IN_ID = re.compile("[\x00-\x1f\x7f-\x9f]")


def clip(value: object, limit: int = MAX_QUOTED, *, quote: bool = True) -> str:
    """``repr`` of a value (its text when ``quote`` is false), cut to ``limit``
    characters with the length it had."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return repr(text) if quote else text
    cut = repr(text[:limit]) if quote else text[:limit]
    return f"{cut}... ({len(text):,} characters)"


def control_character(text: str, *, multiline: bool = True) -> str | None:
    """A message naming the first control character in ``text``, or ``None``.
    ``multiline``: tab, line feed and carriage return are allowed (free text)."""
    m = (_CONTROL if multiline else _CONTROL_IN_ID).search(text)
    if m is None:
        return None
    return (
        f"holds the control character U+{ord(m.group()):04X} at position {m.start() + 1} "
        "(terminal escape sequences and other control characters are not accepted)"
    )


class TooManyProblems(Exception):
    """Raised by ``ProblemLog.append`` past ``STOP_AFTER_PROBLEMS``: the reader stops;
    whoever owns the log catches it and reports ``log.problems()``."""


class ProblemLog(list[Problem]):
    """Located problems, at most ``limit`` kept; the rest only counted, up to ``stop``
    (then ``TooManyProblems`` stops the reader). A ``list`` so a reader typed
    ``list[Problem]`` can be handed one; ``len`` counts every problem."""

    def __init__(self, limit: int = MAX_PROBLEMS, stop: int = STOP_AFTER_PROBLEMS) -> None:
        super().__init__()
        self.limit = limit
        self.stop = stop
        self.more = 0
        self.stopped = False

    def append(self, problem: Problem) -> None:
        if super().__len__() < self.limit:
            super().append(problem)
            return
        self.more += 1
        if len(self) >= self.stop:
            self.stopped = True
            raise TooManyProblems

    def extend(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            self.append(p)

    def __len__(self) -> int:
        return super().__len__() + self.more

    def __bool__(self) -> bool:
        return super().__len__() > 0

    def problems(self, file: str = "") -> list[Problem]:
        """The kept problems, and one more line saying how many were not listed."""
        kept = list(self)
        if not self.more:
            return kept
        more = f"... and {self.more:,} more problem(s) not listed"
        if self.stopped:
            more += f"; reading stopped after {len(self):,} problems"
        return [*kept, Problem(file or kept[0].file, None, None, more)]


_MORE = re.compile(r"^\.\.\. and ([\d,]+) more problem\(s\) not listed")


def counted(problems: Iterable[Problem]) -> int:
    """How many problems a list stands for, counting its "... and N more" line."""
    total = 0
    for p in problems:
        m = _MORE.match(p.message)
        total += int(m.group(1).replace(",", "")) if m else 1
    return total


# --------------------------------------------------------------------------- xlsx

_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TOKEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|v|is|f|mergeCell)(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d{1,9})"')
_REF = re.compile(rb'\bref="([A-Za-z]{1,3}\d{1,7}(?::[A-Za-z]{1,3}\d{1,7})?)"')
_CELL_REF = re.compile(rb'\br="([A-Za-z]{1,3})\d')
_STYLE = re.compile(rb'\bs="(\d{1,6})"')
_CHUNK = 1 << 20
#: Built-in number formats that show a percentage (ECMA-376 part 1, 18.8.30: 9 is "0%",
#: 10 is "0.00%").
_BUILTIN_PERCENT = frozenset({9, 10})


@dataclass(slots=True)
class SheetScan:
    name: str
    rows: int = 0
    last_row: int = 0
    merged: list[str] = field(default_factory=list)
    #: Rightmost 1-based column holding a value (only when the scan was asked to bound it).
    max_column: int = 0
    #: Row -> bit mask of the 1-based columns (bit ``column``) whose value is shown as a
    #: percentage (only when the scan was asked for them).
    percent: dict[int, int] = field(default_factory=dict)

    def is_percent(self, row: int, column: int) -> bool:
        return bool(self.percent.get(row, 0) >> column & 1)


@dataclass(slots=True)
class XlsxScan:
    sheets: dict[str, SheetScan] = field(default_factory=dict)  #: by sheet name

    def merged_range(self, sheet: str, row: int, column: int) -> str | None:
        """The merged range covering (row, 1-based column) other than at its top-left."""
        found = self.sheets.get(sheet)
        for ref in found.merged if found else ():
            if ":" not in ref:
                continue
            (c1, r1), (c2, r2) = (cell_position(part) for part in ref.split(":"))
            if r1 <= row <= r2 and c1 <= column <= c2 and (row, column) != (r1, c1):
                return ref
        return None


def column_number(letters: bytes | str) -> int:
    """1-based column number of column letters (``A`` -> 1, ``XFD`` -> 16384)."""
    col = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.upper().decode():
        col = col * 26 + (ord(ch) - 64)
    return col


def column_letters(column: int) -> str:
    """Column letters of a 1-based column number."""
    out = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def cell_position(ref: str) -> tuple[int, int]:
    """(1-based column, row) of a cell reference such as ``B7``."""
    letters = "".join(ch for ch in ref if ch.isalpha()).upper()
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch) - 64)
    return col, int("".join(ch for ch in ref if ch.isdigit()))


def _safe_parser() -> Any:
    from lxml import etree  # type: ignore[import-untyped]

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _parse(archive: zipfile.ZipFile, member: str, limit: int = 16 * 1024**2) -> Any:
    from lxml import etree

    if archive.getinfo(member).file_size > limit:
        raise ValueError(f"{member} is implausibly large")
    data = archive.read(member)
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data[:4096].upper():
        raise ValueError(f"{member} declares a DTD or entities; refused")
    return etree.fromstring(data, _safe_parser())


def _workbook_parts(archive: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:
    """(sheet name -> member path, styles member or ``None``), from workbook.xml and
    its relationships."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        return {}, None
    rels: dict[str, str] = {}
    styles: str | None = None
    rels_path = "xl/_rels/workbook.xml.rels"
    if rels_path in names and archive.getinfo(rels_path).file_size < 4 * 1024**2:
        for el in _parse(archive, rels_path):
            target = el.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            rels[el.get("Id", "")] = str(PurePosixPath(path))
            if el.get("Type", "").endswith("/styles") and rels[el.get("Id", "")] in names:
                styles = rels[el.get("Id", "")]
    if styles is None and "xl/styles.xml" in names:
        styles = "xl/styles.xml"
    out: dict[str, str] = {}
    for el in _parse(archive, "xl/workbook.xml").iter():
        if isinstance(el.tag, str) and (el.tag.endswith("}sheet") or el.tag == "sheet"):
            rid = el.get(f"{{{_NS_REL}}}id", "")
            if rid in rels and rels[rid] in names:
                out[el.get("name", "")] = rels[rid]
    return out, styles


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> member path, from workbook.xml and its relationships."""
    return _workbook_parts(archive)[0]


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def percent_styles(archive: zipfile.ZipFile, member: str | None) -> frozenset[int]:
    """Indexes of the cell formats (a cell's ``s``) whose number format shows a
    percentage: built-in 9 and 10, or a custom format code holding ``%`` (the test
    openpyxl's ``number_format`` readers used)."""
    if member is None:
        return frozenset()
    root = _parse(archive, member)
    custom: dict[int, str] = {}
    found: set[int] = set()
    for el in root:
        if _local(el.tag) == "numFmts":
            for fmt in el:
                if _local(fmt.tag) == "numFmt" and (fmt.get("numFmtId") or "").isdigit():
                    custom[int(fmt.get("numFmtId"))] = fmt.get("formatCode") or ""
    for el in root:
        if _local(el.tag) == "cellXfs":
            xfs = [xf for xf in el if _local(xf.tag) == "xf"]
            for index, xf in enumerate(xfs):
                fid = xf.get("numFmtId") or "0"
                number = int(fid) if fid.isdigit() else 0
                if number in custom:
                    if "%" in custom[number]:
                        found.add(index)
                elif number in _BUILTIN_PERCENT:
                    found.add(index)
    return frozenset(found)


def scan_xlsx(
    path: Path,
    label: str,
    problems: ProblemLog | list[Problem],
    *,
    max_rows: int = EXCEL_MAX_ROWS,
    max_cells_per_row: int = MAX_CELLS_PER_ROW,
    max_unpacked: int = MAX_XLSX_UNPACKED,
    sheets: Iterable[str] | None = None,
    max_columns: int | None = None,
    percent: bool = False,
) -> XlsxScan | None:
    """Check a workbook before parsing it; append problems and return ``None`` when it
    must be refused. ``sheets``: names (any case) to scan; default all.
    ``max_columns``: refuse a sheet with a value right of that column (and record each
    sheet's ``max_column``). ``percent``: record which cells hold a value under a
    percentage number format (``SheetScan.percent``; needs ``max_columns``)."""
    scan = XlsxScan()
    before = len(problems)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            if total > max_unpacked:
                problems.append(
                    Problem(
                        label,
                        None,
                        None,
                        f"workbook unpacks to {total:,} bytes, over the {max_unpacked:,} limit",
                    )
                )
                return None
            if any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
                message = "workbook contains macros; save it as .xlsx without macros"
                problems.append(Problem(label, None, None, message))
                return None
            shared = [i for i in infos if i.filename.lower().endswith("sharedstrings.xml")]
            if any(i.file_size > MAX_SHARED_STRINGS for i in shared):
                message = f"the workbook's shared strings are over {MAX_SHARED_STRINGS:,} bytes"
                problems.append(Problem(label, None, None, message))
                return None
            wanted = {s.lower() for s in sheets} if sheets is not None else None
            paths, styles = _workbook_parts(archive)
            bounds = _Bounds(
                max_rows,
                max_cells_per_row,
                max_unpacked,
                max_columns,
                percent_styles(archive, styles) if percent and max_columns else frozenset(),
            )
            for name, member in paths.items():
                if wanted is not None and name.strip().lower() not in wanted:
                    continue
                where = f"{label} [sheet {name}]"
                sheet = SheetScan(name)
                scan.sheets[name] = sheet
                if not _scan_sheet(archive, member, where, sheet, problems, bounds):
                    return None
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError) as exc:
        problems.append(Problem(label, None, None, f"not a readable .xlsx workbook ({exc})"))
        return None
    except Exception as exc:  # defusedxml refusals, zlib errors: a refusal, never a crash
        problems.append(Problem(label, None, None, f"cannot be read safely: {exc}"))
        return None
    return scan if len(problems) == before else None


@dataclass(frozen=True, slots=True)
class _Bounds:
    max_rows: int
    max_cells: int
    max_unpacked: int
    max_columns: int | None
    percent_styles: frozenset[int]


def _scan_sheet(
    archive: zipfile.ZipFile,
    member: str,
    where: str,
    sheet: SheetScan,
    problems: ProblemLog | list[Problem],
    bounds: _Bounds,
) -> bool:
    """Stream one sheet's XML: cells per row, and rows *with a value* (rows of styled
    empty cells, as spreadsheets pad sheets, are not counted but stay within Excel's
    1,048,576); with ``bounds.max_columns``, the rightmost column holding a value."""
    max_rows, max_cells = bounds.max_rows, bounds.max_cells
    max_columns, styles = bounds.max_columns, bounds.percent_styles
    cells = 0
    seen = 0
    tail = b""
    row_number = 0
    row_has_value = False
    cell_attrs = b""  #: attributes of the cell being read
    last_valued: tuple[bytes, int] = (b"", 0)  #: (attributes, position) of the row's last value
    percent_cell = False  #: the cell being read is percent-formatted

    def column_of(attrs: bytes, position: int) -> int:
        ref = _CELL_REF.search(attrs)
        return column_number(ref.group(1)) if ref else position

    def too_wide(column: int) -> bool:
        message = (
            f"a value in column {column_letters(column)} ({column:,}), right of the "
            f"{max_columns} columns read; delete what is beyond the table"
        )
        problems.append(Problem(where, row_number or None, column_letters(column), message))
        return False

    def finish_row() -> bool:
        if row_has_value:
            sheet.rows += 1
            sheet.last_row = row_number
            if sheet.rows > max_rows or row_number > max_rows:
                message = f"more than {max_rows:,} rows; refused before reading"
                if max_rows < EXCEL_MAX_ROWS:
                    message += " (send a bigger table as CSV)"
                problems.append(Problem(where, row_number, None, message))
                return False
            if max_columns is not None:
                column = column_of(*last_valued)
                if column > max_columns:
                    return too_wide(column)
                sheet.max_column = max(sheet.max_column, column)
        return True

    with archive.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            seen += len(chunk)
            if seen > bounds.max_unpacked:
                problems.append(Problem(where, None, None, "sheet unpacks beyond the limit"))
                return False
            data = tail + chunk
            # keep an unfinished tag for the next chunk
            cut = data.rfind(b"<")
            if cut != -1 and data.find(b">", cut) == -1 and len(data) - cut < 65536:
                data, tail = data[:cut], data[cut:]
            else:
                tail = b""
            for m in _TOKEN.finditer(data):
                kind = m.group(1)
                if kind == b"c":
                    cells += 1
                    if cells > max_cells:
                        message = (
                            f"row {row_number} has more than {max_cells:,} cells; "
                            "refused before reading"
                        )
                        problems.append(Problem(where, row_number or None, None, message))
                        return False
                    if max_columns is not None:
                        cell_attrs = m.group(2)
                        if styles:
                            style = _STYLE.search(cell_attrs)
                            percent_cell = style is not None and int(style.group(1)) in styles
                elif kind in (b"v", b"is", b"f"):
                    row_has_value = True
                    if max_columns is not None:
                        last_valued = (cell_attrs, cells)
                        if percent_cell and kind != b"f":
                            percent_cell = False
                            column = column_of(cell_attrs, cells)
                            if column > max_columns:
                                return too_wide(column)
                            mask = sheet.percent.get(row_number, 0)
                            sheet.percent[row_number] = mask | (1 << column)
                elif kind == b"row":
                    if not finish_row():
                        return False
                    cells = 0
                    row_has_value = False
                    percent_cell = False
                    number = _ROW_NUMBER.search(m.group(2))
                    row_number = int(number.group(1)) if number else row_number + 1
                    if row_number > EXCEL_MAX_ROWS:
                        message = f"row {row_number:,} is beyond Excel's {EXCEL_MAX_ROWS:,} rows"
                        problems.append(Problem(where, None, None, message))
                        return False
                else:
                    ref = _REF.search(m.group(2))
                    if ref and len(sheet.merged) < 10_000:
                        sheet.merged.append(ref.group(1).decode().upper())
    return finish_row()
