"""Export licences (pure): types, items with exact limits, validity and scope.

Quantities are mass in integer **milligrams**; values are ``Decimal`` with an ISO
currency code. ``parse_mass`` turns user text ("12.5 kg", "300 g", "2 t") into
milligrams exactly, or raises a located ``InputError``.

Per the 2024 Dual-Use Regulations as summarised in the regime fact sheet (§2, quality
B): a *single* licence covers one export of specified items to one end user, is valid
up to one year and lapses once that export is done; a *general* licence covers several
exports to one or more named end users and is valid up to three years (about one year
in the 2025 rare-earth practice). Whether partial shipments against a single licence are
allowed was not found (fact sheet §8.4); raretrace treats a single licence as used up by
its first (not reversed) shipment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from raretrace.errors import InputError, Problem

MG_PER_UNIT = {"mg": 1, "g": 1_000, "kg": 1_000_000, "t": 1_000_000_000}
#: Longest validity per licence type in days, from the fact sheet §2 (quality B).
MAX_VALIDITY_DAYS = {"single": 366, "general": 3 * 365 + 1}

#: What a licence number may not hold. It becomes a URL path segment
#: (``/licences/<id>``) and part of file names, where these characters make a link
#: resolve elsewhere: the same set as network ids (``services.network.validation.ID_FORBIDDEN``)
#: and the web form's pattern. Control characters (terminal escapes, line breaks) too.
LICENCE_ID_FORBIDDEN = frozenset("/?#\\%")
_CONTROL_IN_ID = re.compile("[\x00-\x1f\x7f-\x9f]")

_MASS = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class LicenceType(StrEnum):
    SINGLE = "single"
    GENERAL = "general"


def parse_mass(text: str, *, where: str = "quantity", default_unit: str | None = None) -> int:
    """Mass text -> integer milligrams, exactly. Negative, zero or non-mass units fail."""
    raw = text.strip()
    if default_unit and re.fullmatch(r"[+-]?\d+(?:\.\d+)?", raw):
        raw = f"{raw} {default_unit}"
    m = _MASS.match(raw)
    if not m:
        raise InputError(
            f"{where}: {text!r} is not a mass",
            [Problem(where, None, None, "write a number and a unit: mg, g, kg or t")],
        )
    number, unit = Decimal(m.group(1)), m.group(2).lower()
    if unit not in MG_PER_UNIT:
        raise InputError(
            f"{where}: unit {m.group(2)!r} is not a mass unit",
            [Problem(where, None, None, "licence quantities are mass: use mg, g, kg or t")],
        )
    mg = number * MG_PER_UNIT[unit]
    if mg != mg.to_integral_value():
        raise InputError(f"{where}: {text!r} is finer than one milligram")
    if mg <= 0:
        raise InputError(
            f"{where}: quantity must be positive", [Problem(where, None, None, f"got {text!r}")]
        )
    return int(mg)


def parse_money(text: str, *, where: str = "value") -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise InputError(f"{where}: {text!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise InputError(f"{where}: value must be zero or positive, got {text!r}")
    return value


def check_currency(code: str, *, where: str = "currency") -> str:
    code = code.strip().upper()
    if not _CURRENCY.match(code):
        raise InputError(f"{where}: {code!r} is not a three-letter ISO 4217 currency code")
    return code


def format_mass(mg: int) -> str:
    """Exact, human-readable: kg with up to 6 decimals, trailing zeros dropped."""
    sign = "-" if mg < 0 else ""
    kg, rest = divmod(abs(mg), 1_000_000)
    if not rest:
        return f"{sign}{kg} kg"
    return f"{sign}{kg}.{rest:06d}".rstrip("0") + " kg"


@dataclass(frozen=True, slots=True)
class LicenceItem:
    """One licensed item: a part with its limits. ``item_no`` is 1-based."""

    item_no: int
    part_id: str
    description: str
    control_code: str
    mass_mg: int
    value: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Licence:
    licence_id: str  # the licence number as issued
    licence_type: LicenceType
    exporter: str
    importer: str
    end_users: tuple[str, ...]
    destinations: tuple[str, ...]  # ISO 3166 alpha-2
    valid_from: date
    valid_to: date
    items: tuple[LicenceItem, ...]
    application_id: int | None = None
    notes: str = ""

    def item(self, part_id: str) -> LicenceItem | None:
        return next((i for i in self.items if i.part_id == part_id), None)

    def valid_on(self, d: date) -> bool:
        return self.valid_from <= d <= self.valid_to


def licence_id_problem(licence_id: str) -> str | None:
    """Why ``licence_id`` cannot be a licence number, else ``None``."""
    bad = sorted({c for c in licence_id if c in LICENCE_ID_FORBIDDEN})
    if bad:
        return (
            f"{licence_id!r} contains {' '.join(bad)}; a licence number may not contain / ? # \\ %"
        )
    if m := _CONTROL_IN_ID.search(licence_id):
        return (
            f"{licence_id!r} holds the control character U+{ord(m.group()):04X} at "
            f"position {m.start() + 1}"
        )
    if licence_id.strip(".") == "":
        return f"{licence_id!r} is only dots"
    return None


def validate_licence(lic: Licence, *, where: str = "licence") -> tuple[list[Problem], list[str]]:
    """(errors, warnings). Errors block saving; warnings are shown to the user."""
    errors: list[Problem] = []
    warnings: list[str] = []

    def err(column: str, message: str) -> None:
        errors.append(Problem(where, None, column, message))

    if not lic.licence_id.strip():
        err("licence_id", "is empty")
    elif why := licence_id_problem(lic.licence_id):
        err("licence_id", why)
    if lic.valid_to < lic.valid_from:
        err("valid_to", f"{lic.valid_to} is before valid_from {lic.valid_from}")
    if not lic.end_users:
        err("end_users", "a licence names at least one end user")
    if not lic.destinations:
        err("destinations", "a licence names at least one destination country")
    for c in lic.destinations:
        if not re.fullmatch(r"[A-Z]{2}", c):
            err("destinations", f"{c!r} is not an ISO 3166 alpha-2 country code")
    if not lic.items:
        err("items", "a licence covers at least one item")
    seen: set[str] = set()
    for it in lic.items:
        if it.mass_mg <= 0:
            err(f"item {it.item_no}", "quantity must be positive")
        if it.value < 0:
            err(f"item {it.item_no}", "value must not be negative")
        if it.part_id in seen:
            err(f"item {it.item_no}", f"part {it.part_id!r} appears twice")
        seen.add(it.part_id)
    if lic.licence_type is LicenceType.SINGLE and len(lic.end_users) > 1:
        err("end_users", "a single licence names one end user")
    days = (lic.valid_to - lic.valid_from).days
    if days > MAX_VALIDITY_DAYS[lic.licence_type.value]:
        warnings.append(
            f"validity {days} days is longer than the "
            f"{'1 year' if lic.licence_type is LicenceType.SINGLE else '3 years'} "
            "the 2024 Dual-Use Regulations allow per secondary sources; check the licence"
        )
    return errors, warnings
