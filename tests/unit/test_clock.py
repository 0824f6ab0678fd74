"""One clock: China Standard Time days, fixed clocks, no wall-clock reads in the code,
and working-day calendars that do not depend on the day they are built."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import raretrace
from raretrace.domain.applications import Application, AppStatus, StatusChange
from raretrace.domain.clock import CHINA_TZ, FixedClock, SystemClock, china_day
from raretrace.errors import InputError
from raretrace.services.calendar import calendar_covering, china_calendar
from raretrace.services.licensing.service import calendar_for
from raretrace.settings import Settings
from raretrace.workspace import clock_for

SRC = Path(raretrace.__file__).parent


def test_china_day_boundaries() -> None:
    # 16:00 UTC is midnight in Beijing (UTC+8, no daylight saving)
    assert china_day(datetime(2026, 12, 5, 15, 59, 59, tzinfo=UTC)) == date(2026, 12, 5)
    assert china_day(datetime(2026, 12, 5, 16, 0, 0, tzinfo=UTC)) == date(2026, 12, 6)
    # an aware time in another zone: 23:30 in New York on 5 Dec is 12:30 on 6 Dec in Beijing
    ny = timezone(timedelta(hours=-5))
    assert china_day(datetime(2026, 12, 5, 23, 30, tzinfo=ny)) == date(2026, 12, 6)
    # the date Announcement No. 18 took effect, in the first hour of the day in Beijing
    assert china_day(datetime(2025, 4, 4, 0, 30, tzinfo=CHINA_TZ)) == date(2025, 4, 4)
    with pytest.raises(ValueError, match="naive"):
        china_day(datetime(2026, 12, 6, 4, 0))


def test_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime(2026, 12, 6, 12, 0, tzinfo=CHINA_TZ))
    assert clock.now() == datetime(2026, 12, 6, 4, 0, tzinfo=UTC)
    assert clock.now().tzinfo is UTC and clock.today() == date(2026, 12, 6)
    clock.advance(timedelta(hours=12))
    assert clock.today() == date(2026, 12, 7)
    with pytest.raises(ValueError, match="aware"):
        FixedClock(datetime(2026, 12, 6))
    assert SystemClock().now().tzinfo is UTC


def test_clock_for_settings() -> None:
    fixed = clock_for(Settings(fixed_now=datetime(2027, 1, 1, 0, 0, tzinfo=UTC)))
    assert fixed.today() == date(2027, 1, 1) and fixed.now().hour == 0
    assert isinstance(clock_for(Settings(fixed_now=None)), SystemClock)


def test_submission_day_is_the_china_day() -> None:
    """07:00 in Beijing is 23:00 UTC the day before: the submission day (and so the
    45-working-day deadline) follows Beijing."""
    at = datetime(2026, 12, 1, 7, 0, tzinfo=CHINA_TZ)
    app = Application(1, "X", "Y", "Y", "PL", (), "", "", "single", "ann-2025-18", 45,
                      datetime(2026, 12, 6, tzinfo=UTC), "a",
                      (StatusChange(AppStatus.SUBMITTED, at.astimezone(UTC), "a", ""),))  # fmt: skip
    assert app.submitted_on == date(2026, 12, 1)


def test_deadline_does_not_depend_on_when_it_is_computed() -> None:
    """A 2025 application's due date is the same computed in 2025 or in 2028 (the
    calendar used to be built for today-2..today+2 only)."""
    start = date(2025, 9, 15)
    then = calendar_for(date(2025, 9, 20), start).add_working_days(start, 45)
    later = calendar_for(date(2028, 6, 1), start).add_working_days(start, 45)
    assert then == later == china_calendar(2025, 2026).add_working_days(start, 45)
    # by hand: Sep 16-30: 11 weekdays + Sun 28 Sep (adjusted) = 12; Oct 1-8 National Day;
    # Oct 9-31: 17 weekdays + Sat 11 Oct (adjusted) = 18 (30); Nov 3-21: 15 (45)
    assert then == date(2025, 11, 21)


def test_calendar_refuses_years_it_has_no_data_for() -> None:
    cal = calendar_covering(date(2025, 4, 4))
    assert cal.first_year == 2025 and cal.last_year == 2027
    with pytest.raises(InputError, match="outside the working-day calendar"):
        cal.is_working_day(date(2024, 12, 31))


_WALL_CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"),
               ("datetime", "today"), ("time", "time")}  # fmt: skip
#: Files allowed to read the wall clock, and why.
_ALLOWED = {
    "domain/clock.py": "SystemClock is the one reader of the wall clock",
}


TESTS = Path(__file__).resolve().parents[1]


def test_nothing_reads_the_wall_clock_but_the_clock() -> None:
    """Neither the code nor the tests read the wall clock (the tests run at TEST_NOW;
    CI runs them again two years ahead under faketime)."""
    offenders = []
    for path in [*sorted(SRC.rglob("*.py")), *sorted(TESTS.rglob("*.py"))]:
        rel = path.relative_to(SRC if path.is_relative_to(SRC) else TESTS.parent).as_posix()
        if rel in _ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and (node.func.value.id, node.func.attr) in _WALL_CLOCK
            ):
                offenders.append(f"{rel}:{node.lineno} {node.func.value.id}.{node.func.attr}()")
            if (
                rel.startswith("tests/")
                and rel != "tests/unit/test_clock.py"
                and isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "SystemClock"
            ):
                offenders.append(f"{rel}:{node.lineno} SystemClock() in a test")
    assert offenders == [], "read the time from the workspace clock instead"
