"""Working-day clock (pure). The holiday calendar comes in from the service edge.

A ``WorkingCalendar`` knows the public holidays (days off that would otherwise be
working days) and the adjusted working days (调休: weekend days that are working days
because a holiday was moved). Everything else is Monday-Friday working, Saturday and
Sunday off.

China publishes each year's holiday arrangement late in the previous year, so a
calendar only *knows* the years for which make-up working days were published:
``confirmed_through`` is the last such year. A deadline after it is an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from raretrace.errors import InputError, Problem


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()  # weekend days that are working days
    confirmed_through: int | None = None  # last year with a published arrangement
    source: str = ""
    names: dict[date, str] = field(default_factory=dict, compare=False)
    #: Years the holiday data covers (None: no bound, e.g. a hand-made calendar).
    first_year: int | None = None
    last_year: int | None = None

    def covers(self, d: date) -> bool:
        """True when ``d`` lies in the years this calendar holds holiday data for."""
        lo = self.first_year if self.first_year is not None else d.year
        hi = self.last_year if self.last_year is not None else d.year
        return lo <= d.year <= hi

    def _check(self, d: date) -> None:
        if not self.covers(d):
            raise InputError(
                f"{d.isoformat()} lies outside the working-day calendar "
                f"({self.first_year}-{self.last_year})",
                [Problem("working days", None, None, f"no holiday data for {d.year}")],
            )

    def is_working_day(self, d: date) -> bool:
        self._check(d)
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
        if days < 0:
            raise InputError(
                "working days must not be negative",
                [Problem("working days", None, None, f"got {days}")],
            )
        d, left = start, days
        while left:
            d += timedelta(days=1)
            if self.is_working_day(d):
                left -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        n, d = 0, start
        while d < end:
            d += timedelta(days=1)
            n += self.is_working_day(d)
        return n

    def estimated(self, d: date) -> bool:
        """True when ``d`` falls in a year whose arrangement was not yet published."""
        return self.confirmed_through is None or d.year > self.confirmed_through
