"""Reading the sheets of a bundle workbook (``.xlsx``) as rows of cell texts.

The sheets' XML is first scanned by ``file_bounds.scan_xlsx`` (unpacked size, rows per
sheet, cells per row, the rightmost column holding a value, merged ranges, and which
cells are percentage-formatted: calamine gives no number formats), then calamine (the
Rust reader, through ``python-calamine``) reads the values. On the largest sheet an
upload may hold (50,000 rows) calamine is about 6x faster than openpyxl's read-only
mode in CPU time (``benchmarks/bench_bundle_xlsx.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from raretrace.domain.network import TABLES
from raretrace.errors import Problem
from raretrace.services.formats.file_bounds import SheetScan, cell_position, clip, scan_xlsx

#: Rows one sheet of a bundle workbook may hold (bigger networks travel as CSV: reading
#: a workbook costs ~20x more time and memory per row than CSV).
MAX_XLSX_ROWS = 50_000
#: Rightmost column a bundle sheet may hold a value in (the widest table has 15).
MAX_XLSX_COLUMNS = 64


class LocatedError(ValueError):
    """A reader stopped at a line of its file (bad encoding, unterminated quote ...)."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class PercentText(str):
    """A spreadsheet cell shown as a percentage: the text of the stored fraction."""

    __slots__ = ()


Rows = Iterator[tuple[int, list[str]]]


def xlsx_sources(file: Path) -> Iterator[tuple[str, str, Rows | Problem]]:
    """(table, label, rows or the ``Problem`` refusing them) per bundle sheet found.
    Calamine expands no DTD or entity; it builds each sheet's whole rectangle, which is
    why the scan bounds the sheet's width first."""
    log: list[Problem] = []
    scan = scan_xlsx(
        file,
        str(file),
        log,
        sheets=TABLES,
        max_rows=MAX_XLSX_ROWS,
        max_columns=MAX_XLSX_COLUMNS,
        percent=True,
    )
    if scan is None:
        yield "parties", str(file), log[0]
        return
    book = _open_calamine(file)
    if isinstance(book, Problem):
        yield "parties", str(file), book
        return
    try:
        names = {name.strip().lower(): name for name in book.sheet_names}
        for table in TABLES:
            if table in names:
                name = names[table]
                label = f"{file} [sheet {name}]"
                found = scan.sheets.get(name)
                if found is None:
                    yield table, label, Problem(label, None, None, "sheet could not be read")
                    continue
                yield table, label, _sheet_rows(book, name, found)
    finally:
        book.close()


def _open_calamine(file: Path) -> Any:
    """An open calamine workbook, or the ``Problem`` saying why not."""
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_path(str(file))
    except Exception as exc:  # any parser failure is a refusal, not a crash
        message = f"not a readable .xlsx workbook ({clip(exc)})"
    except BaseException as exc:  # a Rust panic surfaces as PanicException(BaseException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        message = f"cannot be read safely ({clip(exc)})"
    return Problem(str(file), None, None, message)


def _sheet_rows(book: Any, name: str, scan: SheetScan) -> Rows:
    """Non-blank rows of a sheet (every one: a run of blank rows does not end it; the
    scan bounded the sheet's size). Percentage-formatted numbers become ``PercentText``;
    a cell hidden by a merge raises ``LocatedError`` naming the merge."""
    try:
        sheet = book.get_sheet_by_name(name)
        start = sheet.start
        rows = sheet.iter_rows()
    except BaseException as exc:  # CalamineError, or a Rust panic (PanicException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        raise LocatedError(None, f"cannot be read safely: {clip(exc)}") from None
    if start is None:
        return
    # calamine pads the rows above the first value but not the columns left of it
    pad = [""] * start[1]
    merged = _merged_cells(scan)
    first = start[1] + 1  #: column of values[0]
    for index, values in enumerate(rows, start=1):
        cells = pad + [v if type(v) is str else _cell_text(v) for v in values]
        if not any(c.strip() for c in cells):
            continue
        mask = scan.percent.get(index, 0)
        if mask:
            for col, v in enumerate(values, start=first):
                numeric = isinstance(v, (int, float)) and not isinstance(v, bool)
                if numeric and mask >> col & 1:
                    cells[col - 1] = PercentText(cells[col - 1])
        if merged:
            for col, v in enumerate(values, start=first):
                ref = merged.get((index, col)) if v == "" else None
                if ref:
                    raise LocatedError(
                        index,
                        f"cells {ref} are merged, so all but the first read as empty: "
                        "unmerge them and type the value in each cell",
                    )
        yield index, cells


#: Most cells that merged ranges of one bundle sheet may hide (a bundle has no reason to
#: merge cells; a hostile sheet could merge millions).
MAX_MERGED_CELLS = 200_000


def _merged_cells(scan: SheetScan) -> dict[tuple[int, int], str]:
    """(row, column) -> merged range, for every cell a merge hides (all but its top-left)."""
    hidden: dict[tuple[int, int], str] = {}
    for ref in scan.merged:
        if ":" not in ref:
            continue
        (c1, r1), (c2, r2) = (cell_position(part) for part in ref.split(":"))
        r2, c2 = min(r2, scan.last_row), min(c2, max(scan.max_column, c1))
        if (r2 - r1 + 1) * (c2 - c1 + 1) + len(hidden) > MAX_MERGED_CELLS:
            message = (
                f"merged ranges hide more than {MAX_MERGED_CELLS:,} cells; "
                "unmerge them and type the value in each cell"
            )
            raise LocatedError(None, message)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    hidden.setdefault((r, c), ref)
    return hidden


def _cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # calamine gives every number as a float; a whole number reads as it was typed
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return str(datetime.combine(value, time()))
    return str(value)
