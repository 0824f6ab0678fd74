"""Small CSV files a user uploads (exchange rates, prices, projects): decoded and split
into located rows with every problem named, before any field is read.

Each function appends to the caller's ``problems`` and returns ``None`` when the file
cannot be read further; the caller raises one ``InputError`` with all of them, so nothing
is half read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Sequence

from raretrace.errors import Problem

Row = tuple[int, dict[str, str]]  # (line in the file, stripped cell by column)


def decode_text(data: bytes, name: str, max_bytes: int, problems: list[Problem]) -> str | None:
    """The text of a UTF-8 CSV file (a byte-order mark is allowed), or ``None``."""
    if len(data) > max_bytes:
        problems.append(Problem(name, None, None, f"over the {max_bytes} byte limit"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(Problem(name, line, None, "not UTF-8 text; save the file as UTF-8 CSV"))
        return None
    if "\x00" in text:
        problems.append(Problem(name, None, None, "contains NUL bytes; it is not a CSV file"))
        return None
    return text


def check_columns(
    header: Sequence[str],
    name: str,
    required: Sequence[str],
    known: Collection[str],
    problems: list[Problem],
) -> None:
    """One problem naming the missing required columns, one naming the unknown ones."""
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in known]
    if missing:
        problems.append(Problem(name, 1, None, f"missing column(s): {', '.join(missing)}"))
    if unknown:
        problems.append(Problem(name, 1, None, f"unknown column(s): {', '.join(unknown)}"))


def read_rows(
    text: str,
    name: str,
    max_rows: int,
    problems: list[Problem],
    check_header: Callable[[list[str]], None],
) -> tuple[list[str], list[Row]] | None:
    """The header (cells stripped) and the non-blank rows, or ``None`` when the header
    is refused (``check_header`` appends its problems), the file is not CSV or has over
    ``max_rows`` rows. A row with the wrong number of cells is a problem and skipped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        header = []
    except csv.Error as exc:
        problems.append(Problem(name, 1, None, f"not readable as CSV ({exc})"))
        return None
    before = len(problems)
    check_header(header)
    if len(problems) > before:
        return None
    rows: list[Row] = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= max_rows:
                problems.append(Problem(name, reader.line_num, None, f"over {max_rows} rows"))
                return None
            if len(record) != len(header):
                problems.append(
                    Problem(
                        name,
                        reader.line_num,
                        None,
                        f"{len(record)} cells; the header has {len(header)}",
                    )
                )
                continue
            cells = {h: c.strip() for h, c in zip(header, record, strict=True)}
            rows.append((reader.line_num, cells))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, None, f"not readable as CSV ({exc})"))
        return None
    return header, rows
