"""Exchange rates supplied by the user: the rates CSV file, and tables kept in the
workspace.

raretrace ships no rates (see ``domain.currency``). A rates file is UTF-8 CSV, one row
per currency, with the columns (in any order)::

    currency,base_per_unit,base,as_of,source
    JPY,0.0064,USD,2026-11-27,Example Bank closing rates 27 Nov 2026

- ``currency``: ISO 4217 code of the currency converted.
- ``base_per_unit``: the value of **one unit of ``currency`` in ``base``** (1 JPY =
  0.0064 USD). Or, instead, ``units_per_base``: how many units of ``currency`` one unit
  of ``base`` buys (1 EUR = 1.05 USD, the way central banks quote reference rates);
  one of the two columns per file, never both.
- ``base``, ``as_of`` (YYYY-MM-DD), ``source`` (where the numbers come from): the same
  on every row, since one file is one table.

Reading collects every located problem (file, row, column) and raises one
``InputError``; nothing is stored unless the whole file is valid. A stored table is never
changed, so its id names the same numbers for as long as the workspace exists.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from raretrace.domain.currency import ExchangeRates, StoredRates
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.services.formats.small_csv import decode_text, read_rows
from raretrace.services.users import accounts as audit
from raretrace.storage.ports import UnitOfWork

__all__ = [
    "COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "RATE_COLUMNS",
    "RatesFile",
    "get_rates",
    "list_rates",
    "parse_rates_csv",
    "read_rates_csv",
    "store_rates",
]

#: Every column of a rates file; exactly one of ``RATE_COLUMNS`` is given.
COLUMNS = ("currency", "base_per_unit", "units_per_base", "base", "as_of", "source")
RATE_COLUMNS = ("base_per_unit", "units_per_base")
_SHARED = ("base", "as_of", "source")
#: A rate table lists at most a few hundred currencies; refuse anything far larger.
MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 1000


@dataclass(frozen=True, slots=True)
class RatesFile:
    """A valid rates file: the table, and the file's name and SHA-256."""

    rates: ExchangeRates
    name: str
    sha256: str


def read_rates_csv(path: Path) -> ExchangeRates:
    """The rates in the CSV file at ``path``; ``InputError`` with every located problem."""
    label = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"{label}: not read",
                [Problem(label, None, None, f"{size} bytes, over the {MAX_FILE_BYTES} limit")],
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror})") from None
    return parse_rates_csv(data, label).rates


def parse_rates_csv(data: bytes, name: str) -> RatesFile:
    """Parse the bytes of a rates file called ``name`` (used in every problem)."""
    problems: list[Problem] = []

    def fail() -> InputError:
        problems.sort(key=lambda p: p.row or 0)  # in file order (stable within a row)
        return InputError(
            f"{name}: the rates file has {len(problems)} problem(s); nothing was read", problems
        )

    text = decode_text(data, name, MAX_FILE_BYTES, problems)
    read = (
        None
        if text is None
        else read_rows(text, name, MAX_ROWS, problems, lambda h: _check_header(h, name, problems))
    )
    if read is None:
        raise fail()
    header, rows = read
    rate_col = next(c for c in RATE_COLUMNS if c in header)
    if not rows and not problems:
        problems.append(Problem(name, None, None, "no rates: the file has a header and no rows"))
    table = _table(rows, rate_col, name, problems)
    if problems or table is None:
        raise fail()
    return RatesFile(table, name, hashlib.sha256(data).hexdigest())


def _check_header(header: list[str], name: str, problems: list[Problem]) -> None:
    if not header or header == [""]:
        problems.append(Problem(name, None, None, f"empty file; expected the columns {_cols()}"))
        return
    seen: set[str] = set()
    for h in header:
        if h not in COLUMNS:
            problems.append(Problem(name, 1, h, f"unknown column; expected {_cols()}"))
        elif h in seen:
            problems.append(Problem(name, 1, h, "column given twice"))
        seen.add(h)
    for c in ("currency", *_SHARED):
        if c not in header:
            problems.append(Problem(name, 1, c, "column missing"))
    given = [c for c in RATE_COLUMNS if c in header]
    if not given:
        problems.append(
            Problem(name, 1, None, "give the rates in a base_per_unit or units_per_base column")
        )
    elif len(given) > 1:
        problems.append(
            Problem(name, 1, given[1], "give base_per_unit or units_per_base, not both")
        )


def _cols() -> str:
    return "currency, base_per_unit (or units_per_base), base, as_of, source"


def _table(
    rows: list[tuple[int, dict[str, str]]], rate_col: str, name: str, problems: list[Problem]
) -> ExchangeRates | None:
    first: dict[str, tuple[int, str]] = {}
    for n, r in rows:
        for c in _SHARED:
            if c not in first:
                first[c] = (n, r[c])
            elif r[c] != first[c][1]:
                problems.append(
                    Problem(
                        name, n, c, f"{r[c]!r} differs from row {first[c][0]} ({first[c][1]!r})"
                    )
                )
    if not rows:
        return None
    n0 = rows[0][0]
    base = _currency(first["base"][1], name, n0, "base", problems)
    as_of: date | None = None
    try:
        as_of = date.fromisoformat(first["as_of"][1])
    except ValueError:
        problems.append(
            Problem(name, n0, "as_of", f"{first['as_of'][1]!r} is not a date (YYYY-MM-DD)")
        )
    source = first["source"][1]
    if not source:
        problems.append(Problem(name, n0, "source", "empty: say where the rates come from"))
    rates: dict[str, Decimal] = {}
    where: dict[str, int] = {}
    for n, r in rows:
        code = _currency(r["currency"], name, n, "currency", problems)
        value = _rate(r[rate_col], name, n, rate_col, problems)
        if code is None or value is None:
            continue
        if code == base:
            problems.append(
                Problem(name, n, "currency", f"{code} is the base currency (1 by definition)")
            )
        elif code in rates:
            problems.append(
                Problem(name, n, "currency", f"{code} already given in row {where[code]}")
            )
        else:
            rates[code] = value if rate_col == "base_per_unit" else Decimal(1) / value
            where[code] = n
    if problems or base is None or as_of is None:
        return None
    try:
        return ExchangeRates(base, as_of, source, rates)
    except ValueError as exc:  # the checks above should leave nothing for it to refuse
        problems.append(Problem(name, None, None, str(exc)))
        return None


def _currency(text: str, name: str, row: int, col: str, problems: list[Problem]) -> str | None:
    code = text.strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        problems.append(
            Problem(name, row, col, f"{text!r} is not a three-letter ISO 4217 currency code")
        )
        return None
    return code


def _rate(text: str, name: str, row: int, col: str, problems: list[Problem]) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        hint = " (use a decimal point, not a comma)" if "," in text else ""
        problems.append(Problem(name, row, col, f"{text!r} is not a number{hint}"))
        return None
    if not value.is_finite() or value <= 0:
        problems.append(Problem(name, row, col, f"{text!r}: a rate must be a positive number"))
        return None
    as_float = float(value)
    if not (1e-300 < as_float < 1e300):
        problems.append(Problem(name, row, col, f"{text!r} is out of range for a rate"))
        return None
    return value


# -- tables kept in the workspace ---------------------------------------------------------


def store_rates(
    uow: UnitOfWork, data: bytes, name: str, *, actor: str, now: datetime
) -> StoredRates:
    """Validate a rates file and keep it in the workspace (all or nothing), with an
    audit-log entry in the same transaction."""
    parsed = parse_rates_csv(data, name)
    stored = uow.rates.add(StoredRates(parsed.rates, name[:255], parsed.sha256, actor, now))
    x = stored.rates
    detail = f"table {stored.rates_id}: {len(x.rates)} rates in {x.base} as of {x.as_of}"
    audit.record(uow, actor, "rates.store", stored.name, f"{detail} ({x.source})")
    return stored


def list_rates(uow: UnitOfWork) -> list[StoredRates]:
    """Every stored rate table, newest first."""
    return uow.rates.all()


def get_rates(uow: UnitOfWork, rates_id: int) -> StoredRates:
    found = uow.rates.get(rates_id)
    if found is None:
        raise NotFoundError(f"no stored exchange rates {rates_id}")
    return found
