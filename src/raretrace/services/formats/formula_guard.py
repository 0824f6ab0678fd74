"""Spreadsheet formula injection: every CSV and XLSX raretrace writes goes through here.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
run as a formula by Excel, LibreOffice and Google Sheets when a CSV is opened (OWASP
"CSV Injection"); openpyxl stores such a string as a live formula in an XLSX.

- CSV: the text gets a leading ``'`` (the OWASP advice; spreadsheets show it as text).
  Numbers are never touched, so ``-5`` stays a number. ``csv_text_back`` undoes the
  quote for files raretrace reads back (bundle export -> import round-trips).
- XLSX: the cell is typed as text (``data_type = "s"``) and keeps its value exactly;
  no ``'`` is added (an XLSX cell has a type, a CSV field has not).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """``value`` safe for a CSV field: formula-like text gets a leading ``'``."""
    return "'" + value if is_formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def csv_text_back(text: str) -> str:
    """A CSV field as written by ``csv_cell``, back to the original text."""
    return text[1:] if text.startswith("'") and is_formula_like(text[1:]) else text


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """``value`` for ``sheet.append`` of an openpyxl write-only sheet: formula-like text
    as a cell typed text (its value unchanged), anything else as it is."""
    if not is_formula_like(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    return [xlsx_cell(sheet, v) for v in values]


def set_text(cell: Any, value: Any) -> None:
    """Set an openpyxl cell (normal workbook) to ``value``, as text when formula-like."""
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
