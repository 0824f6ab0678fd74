"""Column specifications of the bundle tables and the parsers of their cells.

One ``ColumnSpec`` per column of ``docs/bundle.md``. A parser takes the cell text
(already stripped; never empty) and returns the value or raises ``ValueError`` with a
message fit for the user.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import pycountry

from raretrace.domain.elements import normalise_symbol
from raretrace.domain.parties import Role
from raretrace.domain.parts import Form, MagnetType, PartKind
from raretrace.domain.uscc import validate_uscc
from raretrace.services.formats.file_bounds import clip, control_character

Parser = Callable[[str], Any]

_COUNTRIES = frozenset(c.alpha_2 for c in pycountry.countries)
_CURRENCIES = frozenset(c.alpha_3 for c in pycountry.currencies)
MAX_ID_LENGTH = 200


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    name: str
    parse: Parser
    required: bool = False
    default: Any = None


def ident(text: str) -> str:
    if len(text) > MAX_ID_LENGTH:
        raise ValueError(f"id longer than {MAX_ID_LENGTH} characters")
    bad = control_character(text, multiline=False)
    if bad:
        raise ValueError(bad)
    return text


def text(value: str) -> str:
    bad = control_character(value)
    if bad:
        raise ValueError(bad)
    return value


def country(value: str) -> str:
    code = value.upper()
    if code not in _COUNTRIES:
        raise ValueError(f"{clip(value)} is not an ISO 3166-1 alpha-2 country code")
    return code


def currency(value: str) -> str:
    code = value.upper()
    if code not in _CURRENCIES:
        raise ValueError(f"{clip(value)} is not an ISO 4217 currency code")
    return code


def element(value: str) -> str:
    symbol = normalise_symbol(value)
    if symbol is None:
        raise ValueError(f"{clip(value)} is not a chemical element symbol")
    return symbol


def boolean(value: str) -> bool:
    low = value.lower()
    if low in {"true", "yes", "y", "1"}:
        return True
    if low in {"false", "no", "n", "0"}:
        return False
    raise ValueError(f"{clip(value)} is not a boolean (use true or false)")


def number(
    *, low: float | None = None, high: float | None = None, low_open: bool = False
) -> Parser:
    """A finite float within [low, high] (or (low, high] when ``low_open``)."""

    def parse(value: str) -> float:
        try:
            x = float(value)
        except ValueError:
            raise ValueError(f"{clip(value)} is not a number") from None
        if not math.isfinite(x):
            raise ValueError(f"{clip(value)} is not a finite number")
        if low is not None and (x <= low if low_open else x < low):
            bound = f"greater than {low:g}" if low_open else f"at least {low:g}"
            raise ValueError(f"{clip(value, quote=False)} must be {bound}")
        if high is not None and x > high:
            raise ValueError(f"{clip(value, quote=False)} must be at most {high:g}")
        return x

    return parse


def integer(*, low: int = 0) -> Parser:
    def parse(value: str) -> int:
        try:
            x = float(value)
        except ValueError:
            raise ValueError(f"{clip(value)} is not a whole number") from None
        if not math.isfinite(x) or x != int(x):
            raise ValueError(f"{clip(value)} is not a whole number")
        if x < low:
            raise ValueError(f"{clip(value, quote=False)} must be at least {low}")
        return int(x)

    return parse


def decimal_amount(value: str) -> Decimal:
    try:
        d = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{clip(value)} is not a decimal number") from None
    if not d.is_finite():
        raise ValueError(f"{clip(value)} is not a finite number")
    if d < 0:
        raise ValueError(f"{clip(value, quote=False)} must not be negative")
    return d


def enum_of(kind: type[StrEnum]) -> Parser:
    allowed = {m.value: m for m in kind}

    def parse(value: str) -> StrEnum:
        key = value.strip().lower().replace(" ", "_").replace("-", "_")
        if key not in allowed:
            raise ValueError(f"{clip(value)} is not one of: {', '.join(allowed)}")
        return allowed[key]

    return parse


def roles(value: str) -> tuple[Role, ...]:
    parse = enum_of(Role)
    out: list[Role] = []
    for piece in value.split(";"):
        if piece.strip():
            role = parse(piece)
            assert isinstance(role, Role)
            out.append(role)
    return tuple(out)


def uscc(value: str) -> str:
    """A unified social credit code (统一社会信用代码), GB 32100-2015 check included."""
    return validate_uscc(value)


_PHONE_CHARS = frozenset("0123456789+-() ./")


def telephone(value: str) -> str:
    """A telephone number: digits with + - ( ) . / and spaces, at least 5 digits; an
    extension may follow "ext" (e.g. ``+86 472 555 0100 ext 12``)."""
    number, _, ext = value.lower().partition("ext")
    bad = sorted({c for c in number if c not in _PHONE_CHARS})
    if bad:
        raise ValueError(f"{value!r} is not a telephone number (unexpected {''.join(bad)!r})")
    if sum(c.isdigit() for c in number) < 5:
        raise ValueError(f"{value!r} is not a telephone number (fewer than 5 digits)")
    if ext and not ext.strip(" .:").isdigit():
        raise ValueError(f"{value!r}: the extension after 'ext' must be digits")
    return value


#: Optional filing particulars of a party (regime.md §9.6 "Exporter identity"): the
#: registered Chinese name and full address, the unified social credit code, contact and
#: telephone. Empty in most rows; a Chinese exporter files under them.
PARTY_FILING_SPECS: tuple[ColumnSpec, ...] = (
    ColumnSpec("name_zh", text, default=""),
    ColumnSpec("address", text, default=""),
    ColumnSpec("address_zh", text, default=""),
    ColumnSpec("uscc", uscc, default=""),
    ColumnSpec("contact", text, default=""),
    ColumnSpec("telephone", telephone, default=""),
)

#: Table name -> column specs, in the order files are written.
SPECS: dict[str, tuple[ColumnSpec, ...]] = {
    "parties": (
        ColumnSpec("party_id", ident, required=True),
        ColumnSpec("name", text, required=True),
        ColumnSpec("country", country, required=True),
        ColumnSpec("roles", roles, default=()),
        ColumnSpec("military_end_user", boolean, default=False),
        ColumnSpec("owner_party_id", ident),
        ColumnSpec("ownership_pct", number(low=0, high=100, low_open=True)),
        ColumnSpec("notes", text, default=""),
        *PARTY_FILING_SPECS,
        ColumnSpec("branch_of_party_id", ident),
    ),
    "sites": (
        ColumnSpec("site_id", ident, required=True),
        ColumnSpec("party_id", ident, required=True),
        ColumnSpec("name", text, required=True),
        ColumnSpec("country", country, required=True),
        ColumnSpec("city", text, default=""),
        ColumnSpec("notes", text, default=""),
    ),
    "parts": (
        ColumnSpec("part_id", ident, required=True),
        ColumnSpec("name", text, required=True),
        ColumnSpec("kind", enum_of(PartKind), required=True),
        ColumnSpec("uom", text, default="ea"),
        ColumnSpec("mass_kg", number(low=0, low_open=True)),
        ColumnSpec("unit_value", decimal_amount),
        ColumnSpec("currency", currency),
        ColumnSpec("hs_code", text, default=""),
        ColumnSpec("form", enum_of(Form), default=Form.OTHER),
        ColumnSpec("magnet_type", enum_of(MagnetType), default=MagnetType.NONE),
        ColumnSpec("notes", text, default=""),
        ColumnSpec("source", text, default=""),
        ColumnSpec("name_zh", text, default=""),  # Chinese name (商品名称), optional
    ),
    "composition": (
        ColumnSpec("part_id", ident, required=True),
        ColumnSpec("element", element, required=True),
        ColumnSpec("mass_fraction", number(low=0, high=1), required=True),
        ColumnSpec("source", text, default=""),
    ),
    "bom": (
        ColumnSpec("parent_part_id", ident, required=True),
        ColumnSpec("child_part_id", ident, required=True),
        ColumnSpec("quantity", number(low=0, low_open=True), required=True),
    ),
    "supply": (
        ColumnSpec("supplier_site_id", ident, required=True),
        ColumnSpec("part_id", ident, required=True),
        ColumnSpec("buyer_site_id", ident, required=True),
        ColumnSpec("share", number(low=0, high=1, low_open=True), required=True),
        ColumnSpec("lead_time_days", integer(low=0)),
    ),
    "production": (
        ColumnSpec("site_id", ident, required=True),
        ColumnSpec("part_id", ident, required=True),
        ColumnSpec("units_per_year", number(low=0)),
    ),
}
