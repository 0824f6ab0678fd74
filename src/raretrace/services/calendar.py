"""China's working-day calendar, built from the ``holidays`` package.

One calendar object serves every working-day count of the regime: the licence
application's review clock and the simulation's licence lead times. It is built for
the years the dates at hand need (never for "the years around today"), so a deadline
computed for a 2025 application is the same whenever it is computed.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib.metadata import version

import holidays

from raretrace.domain.calendar import WorkingCalendar

#: Years after the last date at hand that a calendar also covers, so that a review
#: period of 45 working days (about nine weeks, longer over Spring Festival) that
#: starts late in a year always ends inside it.
YEARS_AFTER = 2


@lru_cache(maxsize=32)
def china_calendar(first_year: int, last_year: int) -> WorkingCalendar:
    """China's public holidays and adjusted working days (调休) for the given years."""
    years = list(range(first_year, last_year + 1))
    cn = holidays.country_holidays("CN", years=years)
    work = frozenset(d for d in cn.weekend_workdays if first_year <= d.year <= last_year)
    days = frozenset(d for d in cn if isinstance(d, date) and first_year <= d.year <= last_year)
    return WorkingCalendar(
        holidays=days,
        workdays=work,
        confirmed_through=max((d.year for d in cn.weekend_workdays), default=None),
        source=f"holidays {version('holidays')} (China)",
        names={d: str(n) for d, n in cn.items()},
        first_year=first_year,
        last_year=last_year,
    )


def calendar_covering(*days: date | None) -> WorkingCalendar:
    """A calendar for every year from the earliest of ``days`` to ``YEARS_AFTER`` after
    the latest (``None`` entries are skipped; at least one date is needed)."""
    known = [d for d in days if d is not None]
    if not known:
        raise ValueError("calendar_covering needs at least one date")
    return china_calendar(min(known).year, max(known).year + YEARS_AFTER)
