"""Read the cells of a returned survey workbook, bounded and with located problems.

Before openpyxl parses anything, ``file_bounds.scan_xlsx`` checks the unpacked size,
macros, rows per sheet and cells per row by streaming the sheet XML, and lists merged
ranges. Cells are read with their number format: a percentage typed the Excel way
(``0.9%`` is stored as 0.009 with a ``0.0%`` format) is read as the percentage it shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from raretrace.errors import InputError, Problem
from raretrace.services.formats import file_bounds
from raretrace.services.formats.file_bounds import (
    ProblemLog,
    TooManyProblems,
    clip,
    control_character,
)
from raretrace.services.survey.layout import (
    DECLARATION_KEYS,
    HEADER_ROW,
    MAX_ROWS,
    MAX_WORKBOOK_BYTES,
    SHEETS,
    Col,
)

# --------------------------------------------------------------------------- read


@dataclass(slots=True)
class Sheet:
    label: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass(slots=True)
class RawSurvey:
    path: str
    sha256: str
    declaration: dict[str, tuple[int, str]] = field(default_factory=dict)
    sheets: dict[str, Sheet] = field(default_factory=dict)


#: Columns holding a percentage (a cell formatted as % shows x %, stores x / 100).
PERCENT_COLUMNS = frozenset({"percent_of_part", "percent_of_magnet"})
#: Columns holding a fraction 0-1 (a cell formatted as % stores exactly that fraction).
FRACTION_COLUMNS = frozenset({"share"})
#: Widest sheet read (our sheets have at most 10 columns; extra ones are reported).
MAX_COLUMNS = 40


class _Cell:
    """One cell's value with what its number format says."""

    __slots__ = ("percent", "value")

    def __init__(self, value: Any, percent: bool) -> None:
        self.value = value
        self.percent = percent


def _text(value: Any) -> str:
    if isinstance(value, _Cell):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _num(x: float) -> str:
    return f"{x:.12g}"


def read_workbook(path: Path, name: str | None = None) -> RawSurvey:
    """The cells of a returned workbook; raise ``InputError`` with every located problem.
    ``name``: what the file is called in problems and in the stored answers (default: the
    path), e.g. the name of an uploaded file rather than where it was staged.

    Refuses: files over ``MAX_WORKBOOK_BYTES``, zip bombs, macros (``vbaProject.bin``),
    formulas (never evaluated), sheets over ``MAX_ROWS`` rows or rows of more than
    ``file_bounds.MAX_CELLS_PER_ROW`` cells (both before parsing), control characters,
    merged cells in answer rows, percentage-formatted cells where a plain number is
    meant. Blank rows never end a sheet: every row up to ``MAX_ROWS`` is read.
    At most ``file_bounds.MAX_PROBLEMS`` problems are listed; the rest are counted.
    """
    label = name or str(path)
    problems = ProblemLog()

    def fail() -> InputError:
        return InputError(
            f"{label}: the survey has {len(problems)} problem(s)", problems.problems(label)
        )

    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_WORKBOOK_BYTES else b""
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror})") from None
    if size > MAX_WORKBOOK_BYTES:
        problems.append(
            Problem(label, None, None, f"file is {size} bytes, over the {MAX_WORKBOOK_BYTES} limit")
        )
        raise fail()
    raw = RawSurvey(label, hashlib.sha256(data).hexdigest())
    scan = file_bounds.scan_xlsx(path, label, problems, max_rows=MAX_ROWS)
    if scan is None:
        raise fail()
    with path.open("rb") as handle:  # we close it even when openpyxl raises
        try:
            _read_book(handle, label, raw, problems, scan)
        except TooManyProblems:
            raise fail() from None
    if problems:
        raise fail()
    return raw


def _read_book(
    handle: Any, label: str, raw: RawSurvey, problems: ProblemLog, scan: file_bounds.XlsxScan
) -> None:
    import openpyxl

    from raretrace.services.formats import rmi_templates

    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # any parser failure is a refusal, not a crash
        problems.append(Problem(label, None, None, f"not a readable .xlsx workbook ({exc})"))
        return

    try:
        names = {n.strip().lower(): n for n in book.sheetnames}
        template = rmi_templates.identify(book)
        if template is not None:
            problems.append(Problem(label, None, None, template.not_a_survey()))
            return
        if "declaration" not in names:
            problems.append(
                Problem(
                    label, None, None, "no Declaration sheet: is this a raretrace survey workbook?"
                )
            )
        else:
            _read_declaration(book[names["declaration"]], label, raw, problems)
        for sheet_name, cols in SHEETS.items():
            if sheet_name.lower() not in names:
                problems.append(Problem(label, None, None, f"sheet {sheet_name!r} is missing"))
                continue
            where = f"{label} [sheet {sheet_name}]"
            real = names[sheet_name.lower()]
            raw.sheets[sheet_name] = _read_table(book[real], where, cols, problems, scan, real)
    except TooManyProblems:
        raise
    except Exception as exc:
        problems.append(Problem(label, None, None, f"cannot be read safely: {clip(str(exc))}"))
    finally:
        book.close()


def _rows(sheet: Any, max_col: int) -> Iterator[tuple[int, list[Any]]]:
    """Non-blank rows (1-based index, cells); a cell's value is wrapped in ``_Cell``
    when its number format is a percentage. The sheet's size was bounded by the scan."""
    for row in sheet.iter_rows(max_col=max_col):
        values: list[Any] = []
        index = 0
        for cell in row:
            index = getattr(cell, "row", None) or index
            v = getattr(cell, "value", None)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                fmt = getattr(cell, "number_format", "") or ""
                if "%" in fmt:
                    v = _Cell(v, True)
            values.append(v)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if not index:
            continue
        yield index, values


def _is_formula(v: Any) -> bool:
    return isinstance(v, str) and v.startswith("=") and len(v) > 1


def _read_declaration(sheet: Any, label: str, raw: RawSurvey, problems: ProblemLog) -> None:
    where = f"{label} [sheet Declaration]"
    known = {k for k, _, _ in DECLARATION_KEYS}
    for i, values in _rows(sheet, 3):
        if i <= HEADER_ROW:
            continue
        key = _text(values[0] if values else None)
        value = values[2] if len(values) > 2 else None
        if not key:
            continue
        if key not in known:
            problems.append(Problem(where, i, "key", f"unknown key {clip(key)}"))
        elif _is_formula(value):
            problems.append(
                Problem(where, i, "answer", "formulas are not evaluated; type the value")
            )
        elif isinstance(value, _Cell):
            problems.append(Problem(where, i, "answer", "formatted as a percentage; type text"))
        else:
            text = _text(value)
            bad = control_character(text)
            if bad:
                problems.append(Problem(where, i, "answer", bad))
                continue
            raw.declaration[key] = (i, text)


def _cell_value(name: str, v: Any, where: str, i: int, problems: ProblemLog) -> str | None:
    """The text of one answer cell, or ``None`` after recording why it is refused."""
    if _is_formula(v):
        problems.append(Problem(where, i, name, "formulas are not evaluated; type the value"))
        return None
    if isinstance(v, _Cell):
        shown = _num(v.value * 100)
        if name in PERCENT_COLUMNS:
            return shown
        if name in FRACTION_COLUMNS:
            return _num(v.value)
        problems.append(
            Problem(
                where,
                i,
                name,
                f"the cell is formatted as a percentage ({shown}%); "
                "this column takes a plain number: remove the % format",
            )
        )
        return None
    text = _text(v)
    bad = control_character(text)
    if bad:
        problems.append(Problem(where, i, name, bad))
        return None
    return text


def _read_table(
    sheet: Any,
    where: str,
    cols: tuple[Col, ...],
    problems: ProblemLog,
    scan: file_bounds.XlsxScan,
    sheet_name: str,
) -> Sheet:
    out = Sheet(where)
    header: list[str] | None = None
    for i, values in _rows(sheet, min(len(cols) + 10, MAX_COLUMNS)):
        if i < HEADER_ROW:
            continue
        if i == HEADER_ROW:
            header = [_text(v).lower() for v in values]
            names = {c.name for c in cols}
            for h in header:
                if h and h not in names:
                    problems.append(Problem(where, i, clip(h, 40, quote=False), "unknown column"))
            for c in cols:
                if c.name not in header:
                    problems.append(Problem(where, i, c.name, "column is missing"))
            continue
        if header is None:
            break
        row: dict[str, str] = {}
        for ci, (name, v) in enumerate(zip(header, values, strict=False), start=1):
            if not name:
                continue
            if v is None:
                merged = scan.merged_range(sheet_name, i, ci)
                if merged:
                    problems.append(
                        Problem(
                            where,
                            i,
                            name,
                            f"the cell is inside the merged cells {merged}, so it reads as "
                            "empty: unmerge them and type the value in each row",
                        )
                    )
                    continue
            text = _cell_value(name, v, where, i, problems)
            if text is not None:
                row[name] = text
        out.rows.append((i, row))
    if header is None:
        problems.append(Problem(where, HEADER_ROW, None, "header row (row 3) is missing"))
    return out
