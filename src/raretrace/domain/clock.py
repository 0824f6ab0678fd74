"""The one source of "now" (pure, stdlib only).

Nothing in the core or the services reads the wall clock: entry points build one
``Clock`` (``SystemClock`` in production, ``FixedClock`` in tests) and pass it in, and
``Workspace.open(settings, clock=...)`` hands it to every service.

Two kinds of time are kept apart:

* **moments** (``Clock.now()``): timezone-aware UTC datetimes, for record keeping
  (when a row was written, who logged in when);
* **business days of the Chinese regime** (``Clock.today()`` / ``china_day``): the
  calendar day in China Standard Time (UTC+8, no daylight saving), for submission
  days, review deadlines and "as of" dates of the rule packs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol, runtime_checkable

#: China Standard Time: UTC+8 all year (China has not observed daylight saving since 1991).
CHINA_TZ = timezone(timedelta(hours=8), "CST")


def china_day(moment: datetime) -> date:
    """The China Standard Time calendar day of an aware ``moment``.

    A naive datetime is refused: its day would depend on the machine's time zone.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no time zone")
    return moment.astimezone(CHINA_TZ).date()


@runtime_checkable
class Clock(Protocol):
    """Where "now" comes from."""

    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        ...

    def today(self) -> date:
        """Today's date in China Standard Time (the regime's business day)."""
        ...


class SystemClock:
    """The wall clock. Built only by entry points (CLI, web app, ``Workspace.open``)."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return china_day(self.now())

    def __repr__(self) -> str:
        return "SystemClock()"


@dataclass(slots=True)
class FixedClock:
    """A clock that stands still until moved; for tests and reproducible runs."""

    at: datetime = field(default_factory=lambda: datetime(2026, 12, 6, 4, 0, tzinfo=UTC))

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError(f"FixedClock needs an aware datetime, got {self.at.isoformat()}")
        self.at = self.at.astimezone(UTC)

    def now(self) -> datetime:
        return self.at

    def today(self) -> date:
        return china_day(self.at)

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward (or back, with a negative delta)."""
        self.at = self.at + delta

    def set(self, at: datetime) -> None:
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(f"FixedClock needs an aware datetime, got {at.isoformat()}")
        self.at = at.astimezone(UTC)


__all__ = ["CHINA_TZ", "Clock", "FixedClock", "SystemClock", "china_day"]
