"""Dates of birth as identity evidence between list entries.

Lists give a person's date of birth as a full date, a month, a bare year, a range or
an approximate year, and often several ("alt. DOB"). An entry keeps them as text in
a subset of the Library of Congress Extended Date/Time Format (EDTF, ISO 8601-2:2019
level 1), as precise as the list gives them:

- ``1965-03-12`` a day, ``1965-03`` a month, ``1965`` a year;
- ``1965~`` approximately (SDN "circa 1965", UN ``TYPE_OF_DATE`` APPROXIMATELY);
- ``1960/1962`` a range (SDN "1960 to 1962", UN BETWEEN ``FROM_YEAR`` ``TO_YEAR``),
  each end as above (``1953-01-01/1954-12-31``, ``1979~/1982~``).

``read_birth`` turns a list's own writing ("10 Dec 1948", "circa 1951", "00/03/1965",
"Nov. 1973") into that form. ``shared_birth`` and ``births_disagree`` compare two
entries' dates: only the **same full date** (a day, not approximate, not a range) is
evidence *for* one person; a bare year or month agrees with any date within it but is
never enough alone (thousands of listed persons share a birth year). Dates disagree
only when every date of one entry is incompatible with every date of the other, an
approximate date taken as ``APPROXIMATE_YEARS`` either side.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

#: How many years either side an approximate date ("circa 1965") allows.
APPROXIMATE_YEARS = 2
#: Years a date of birth may fall in (outside: a typing error, not a date).
EARLIEST_YEAR, LATEST_YEAR = 1850, 2100

_MONTHS = {
    name: n
    for n in range(1, 13)
    for name in (calendar.month_name[n].lower(), calendar.month_abbr[n].lower())
}
_MONTHS["sept"] = 9

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~?)$")


@dataclass(frozen=True, slots=True)
class Birth:
    """A date of birth in the entry's form (``text``) and the days it allows."""

    text: str
    first: date
    last: date
    #: one day, given exactly (not a month, a year, a range or an approximate date)
    exact: bool


def _bounds(part: str) -> tuple[date, date, bool, bool] | None:
    """(first day, last day, one day, approximate) of one EDTF part, or None."""
    m = _PART.match(part)
    if m is None:
        return None
    year, month, day, approx = int(m[1]), m[2], m[3], bool(m[4])
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    try:
        if day is not None:
            first = last = date(year, int(month or 0), int(day))
        elif month is not None:
            first = date(year, int(month), 1)
            last = date(year, int(month), calendar.monthrange(year, int(month))[1])
        else:
            first, last = date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None
    if approx:
        first = date(max(first.year - APPROXIMATE_YEARS, 1), 1, 1)
        last = date(last.year + APPROXIMATE_YEARS, 12, 31)
    return first, last, day is not None, approx


def parse_birth(text: str) -> Birth | None:
    """The ``Birth`` of a date in the entry's form (see the module), None if it is not
    one."""
    ends = text.split("/")
    if len(ends) > 2:
        return None
    found = [_bounds(e) for e in ends]
    if any(f is None for f in found):
        return None
    bounds = [f for f in found if f is not None]
    first, last = bounds[0][0], bounds[-1][1]
    if first > last:
        return None
    exact = len(bounds) == 1 and bounds[0][2] and not bounds[0][3]
    return Birth(text, first, last, exact)


_APPROX = re.compile(r"^(?:circa|ca\.?|c\.|approx(?:imately|\.)?|about)\s+", re.IGNORECASE)
_RANGE = re.compile(r"\s+(?:to|-|–|and)\s+|(?<=\d{4})\s*[-–/]\s*(?=\d{4}$)", re.IGNORECASE)
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[/.](\d{4})$")
_WORDS = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]+)\.?,?\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _one(text: str) -> str | None:
    """One date as a list writes it -> its EDTF part (no range), or None."""
    text = text.strip().strip(".").strip()
    approx = ""
    if m := _APPROX.match(text):
        approx, text = "~", text[m.end() :]
    day = month = 0
    if m := _ISO.match(text):
        year, month, day = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    elif m := _DMY.match(text):  # 22/08/1990; 00/00/1965 and 00/03/1965 (UK: not known)
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _MY.match(text):  # 09/1962
        month, year = int(m[1]), int(m[2])
    elif (m := _WORDS.match(text)) and m[2].lower() in _MONTHS:  # 10 Dec 1948, Nov. 1973
        day, month, year = int(m[1] or 0), _MONTHS[m[2].lower()], int(m[3])
    else:
        return None
    if not month and day:
        return None
    part = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    part += approx
    return part if _bounds(part) is not None else None


def read_birth(text: str) -> str | None:
    """A date of birth as a list writes it ("10 Dec 1948", "1965-03-12", "circa 1951",
    "1929 to 1930", "01 Jan 1953 to 31 Dec 1954", "circa 1979-1982", "22/08/1990",
    "00/00/1965", "09/1962", "Nov. 1973"; "alt." and "DOB" before it set aside) in the
    entry's form (see the module), None if it is not one."""
    text = " ".join(text.split()).strip(" .;")
    text = re.sub(r"^(?:alt\.\s*)?(?:DOB:?\s*)?", "", text, flags=re.IGNORECASE)
    if not text:
        return None
    approx = bool(_APPROX.match(text))
    ends = _RANGE.split(text, maxsplit=1)
    if len(ends) == 2:
        first, last = _one(ends[0]), _one(ends[1])
        if first is None or last is None:
            return None
        if approx and not last.endswith("~"):
            last += "~"
        found = f"{first}/{last}"
        return found if parse_birth(found) is not None else None
    return _one(text)


def births_of(texts: Iterable[str]) -> list[Birth]:
    """The ``Birth`` of each date in the entry's form, those that are not left out."""
    return [b for t in texts if (b := parse_birth(t)) is not None]


def shared_birth(a: Iterable[str], b: Iterable[str]) -> str:
    """A full date of birth (one day, given exactly) both entries carry, "" if none."""
    theirs = {x.first for x in births_of(b) if x.exact}
    for x in births_of(a):
        if x.exact and x.first in theirs:
            return x.text
    return ""


#: How many years apart (beyond what their precision and "circa" allow) the dates of
#: birth of two entries listed under one name must all be for the entries to be two
#: persons: lists correct a date by a year or two between versions (the SDN's 2018
#: MUDACUMURA, Sylvestre born 1955, the UK's 2025 entry 1954) and mistype a digit
#: (29/06 and 29/09), so nearer dates tell nothing; a generation apart does (the SDN
#: lists two KIM, Yong Chol, born circa 1947 and on 18 Feb 1962). Two full dates on the
#: same day of the year are never apart: a mistyped year (MARKELOV, Viktor
#: Aleksandrovich, 1967-12-15 on the SDN, 1957-12-15 on the UK list).
APART_YEARS = 5


def births_apart(a: Iterable[str], b: Iterable[str]) -> str:
    """The dates, "1947~ vs 1962-02-18", when both entries give dates of birth and
    every date of one is more than ``APART_YEARS`` years from every date of the other;
    "" otherwise (no date on one side, or two dates near enough to be one person's)."""
    mine, theirs = births_of(a), births_of(b)
    if not mine or not theirs:
        return ""
    gap = 365.25 * APART_YEARS
    for x in mine:
        for y in theirs:
            if (y.first - x.last).days <= gap and (x.first - y.last).days <= gap:
                return ""
            if x.exact and y.exact and (x.first.month, x.first.day) == (y.first.month, y.first.day):
                return ""  # one day of the year, the year mistyped (1967-12-15, 1957-12-15)
    return f"{', '.join(x.text for x in mine)} vs {', '.join(y.text for y in theirs)}"


def births_disagree(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether both entries give dates of birth and no date of one is compatible with
    any date of the other (the days they allow do not overlap)."""
    mine, theirs = births_of(a), births_of(b)
    if not mine or not theirs:
        return False
    return not any(x.first <= y.last and y.first <= x.last for x in mine for y in theirs)


__all__ = [
    "APART_YEARS",
    "APPROXIMATE_YEARS",
    "Birth",
    "births_apart",
    "births_disagree",
    "births_of",
    "parse_birth",
    "read_birth",
    "shared_birth",
]
