"""The rates CSV file: both ways of quoting a rate, every problem located by file, row
and column, nothing half-read; stored tables keep their numbers exactly.

Every rate here is made-up test data: raretrace ships no exchange rates."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal
from pathlib import Path

import pytest

from factories import TEST_NOW
from raretrace.errors import InputError, NotFoundError
from raretrace.services.rates.tables import parse_rates_csv, read_rates_csv
from raretrace.workspace import Workspace

GOOD = b"""currency,base_per_unit,base,as_of,source
JPY,0.0064,USD,2026-11-27,test data (made up)
eur,1.10,USD,2026-11-27,test data (made up)
"""


def _problems(data: bytes, name: str = "rates.csv") -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(InputError) as info:
        parse_rates_csv(data, name)
    assert all(p.file == name for p in info.value.problems)
    assert "nothing was read" in str(info.value).splitlines()[0]
    return [(p.row, p.column, p.message) for p in info.value.problems]


def test_base_per_unit_file() -> None:
    parsed = parse_rates_csv(GOOD, "rates.csv")
    rates = parsed.rates
    assert (rates.base, rates.as_of, rates.source) == (
        "USD",
        date(2026, 11, 27),
        "test data (made up)",
    )
    assert rates.rates == {"JPY": Decimal("0.0064"), "EUR": Decimal("1.10")}
    assert rates.rate("JPY") == pytest.approx(0.0064) and rates.rate("USD") == 1.0
    assert len(parsed.sha256) == 64


def test_units_per_base_is_inverted_exactly_enough() -> None:
    data = b"\xef\xbb\xbfsource,as_of,base,currency,units_per_base\r\nmade up,2026-11-27,EUR,USD,1.25\r\n"
    rates = parse_rates_csv(data, "ecb-style.csv").rates  # BOM, CRLF, any column order
    assert rates.base == "EUR" and rates.rates["USD"] == Decimal("0.8")


def test_header_problems_are_located() -> None:
    assert _problems(b"") == [
        (None, None, "empty file; expected the columns "
                     "currency, base_per_unit (or units_per_base), base, as_of, source")
    ]  # fmt: skip
    got = _problems(b"currency,rate,base,source\nJPY,1,USD,x\n")
    assert (1, "rate", "unknown column; expected currency, base_per_unit (or units_per_base), "
                       "base, as_of, source") in got  # fmt: skip
    assert (1, "as_of", "column missing") in got
    assert (1, None, "give the rates in a base_per_unit or units_per_base column") in got
    both = _problems(b"currency,base_per_unit,units_per_base,base,as_of,source\n")
    assert both == [(1, "units_per_base", "give base_per_unit or units_per_base, not both")]


def test_every_bad_cell_is_reported_at_once() -> None:
    data = b"""currency,base_per_unit,base,as_of,source
JPY,0.0064,USD,2026-11-27,made up
EURO,0.9,USD,2026-11-27,made up
EUR,"1,10",USD,2026-11-27,made up
GBP,-1,USD,2026-11-27,made up
CHF,NaN,USD,2026-11-27,made up
JPY,0.0065,USD,2026-11-27,made up
USD,1,USD,2026-11-27,made up
CNY,0.14,USD,2026-11-28,other source
SEK,1e999,USD,2026-11-27,made up
NOK,0.09,USD
"""
    assert _problems(data) == [
        (3, "currency", "'EURO' is not a three-letter ISO 4217 currency code"),
        (4, "base_per_unit", "'1,10' is not a number (use a decimal point, not a comma)"),
        (5, "base_per_unit", "'-1': a rate must be a positive number"),
        (6, "base_per_unit", "'NaN': a rate must be a positive number"),
        (7, "currency", "JPY already given in row 2"),
        (8, "currency", "USD is the base currency (1 by definition)"),
        (9, "as_of", "'2026-11-28' differs from row 2 ('2026-11-27')"),
        (9, "source", "'other source' differs from row 2 ('made up')"),
        (10, "base_per_unit", "'1e999' is out of range for a rate"),
        (11, None, "3 cells; the header has 5"),
    ]


def test_shared_columns_must_be_valid() -> None:
    got = _problems(b"currency,base_per_unit,base,as_of,source\nJPY,1,US,27.11.2026,\n")
    assert got == [
        (2, "base", "'US' is not a three-letter ISO 4217 currency code"),
        (2, "as_of", "'27.11.2026' is not a date (YYYY-MM-DD)"),
        (2, "source", "empty: say where the rates come from"),
    ]


def test_not_text_or_no_rows() -> None:
    assert _problems(b"currency,base_per_unit\n\xff\xfe\n")[0][:2] == (2, None)
    assert _problems(b"a\x00b")[0][2] == "contains NUL bytes; it is not a CSV file"
    header_only = b"currency,base_per_unit,base,as_of,source\n\n"
    assert _problems(header_only) == [(None, None, "no rates: the file has a header and no rows")]
    assert "over the" in _problems(b"x" * (1024 * 1024 + 1))[0][2]


def test_read_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "rates.csv"
    path.write_bytes(GOOD)
    assert read_rates_csv(path).rates["JPY"] == Decimal("0.0064")
    with pytest.raises(InputError, match="cannot be read"):
        read_rates_csv(tmp_path / "missing.csv")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"currency,base_per_unit,base,as_of,source\nJPY,x,USD,2026-11-27,s\n")
    with pytest.raises(InputError) as info:
        read_rates_csv(bad)
    assert (
        str(info.value.problems[0]) == f"{bad}, row 2, column 'base_per_unit': 'x' is not a number"
    )


def test_stored_tables_keep_their_numbers(workspace: Workspace) -> None:
    first = workspace.store_rates(GOOD, "rates.csv", actor="ada")
    second = workspace.store_rates(GOOD.replace(b"0.0064", b"0.00641"), "later.csv", actor="bo")
    assert [s.rates_id for s in workspace.stored_rates()] == [second.rates_id, first.rates_id]
    again = workspace.rates(first.rates_id or 0)
    assert again == first and again.rates.rates["EUR"] == Decimal("1.10")
    assert again.stored_by == "ada" and again.stored_at.tzinfo is UTC
    assert again.stored_at == TEST_NOW
    with pytest.raises(InputError):
        workspace.store_rates(b"currency\n", "bad.csv", actor="ada")
    assert len(workspace.stored_rates()) == 2  # nothing stored from a bad file
    with pytest.raises(NotFoundError):
        workspace.rates(999)
