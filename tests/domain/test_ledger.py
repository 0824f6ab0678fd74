"""Pure ledger, licence, calendar and application rules (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from raretrace.domain.applications import (
    Application,
    AppStatus,
    StatusChange,
    check_transition,
    deadline,
)
from raretrace.domain.calendar import WorkingCalendar
from raretrace.domain.ledger import (
    DrawdownRequest,
    EntryKind,
    LedgerEntry,
    ViolationCode,
    balances,
    check_drawdown,
    issue_entries,
)
from raretrace.domain.licences import (
    Licence,
    LicenceItem,
    LicenceType,
    format_mass,
    parse_mass,
    validate_licence,
)
from raretrace.errors import InputError
from raretrace.services.calendar import china_calendar

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def licence(kind: LicenceType = LicenceType.GENERAL, kg: int = 10) -> Licence:
    return Licence(
        licence_id="L-1",
        licence_type=kind,
        exporter="HENGDA",
        importer="HARZFELD",
        end_users=("HARZFELD",),
        destinations=("PL",),
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
        items=(LicenceItem(1, "MAG-EPS", "magnet", "1C905.a", kg * 1_000_000,
                           Decimal("1000.00"), "USD"),),
    )  # fmt: skip


def req(mg: int = 1_000_000, **kw: object) -> DrawdownRequest:
    base: dict[str, object] = {
        "licence_id": "L-1", "part_id": "MAG-EPS", "mass_mg": mg, "value": Decimal("100.00"),
        "currency": "USD", "shipment_id": "S1", "shipped_on": date(2026, 6, 1),
        "destination": "PL", "end_user": "HARZFELD",
    }  # fmt: skip
    base.update(kw)
    return DrawdownRequest(**base)  # type: ignore[arg-type]


def drawdown(entry_id: int, r: DrawdownRequest) -> LedgerEntry:
    return LedgerEntry(entry_id, r.licence_id, 1, EntryKind.DRAWDOWN, r.mass_mg, r.value,
                       r.currency, r.shipment_id, r.shipped_on, r.destination, r.end_user,
                       T0, "a", "ship")  # fmt: skip


@pytest.mark.parametrize(
    ("text", "mg"),
    [("10 kg", 10_000_000), ("0.001 g", 1), ("2 t", 2_000_000_000), ("12.5", 12_500_000),
     ("1.000001 kg", 1_000_001)],
)  # fmt: skip
def test_parse_mass_is_exact(text: str, mg: int) -> None:
    assert parse_mass(text, default_unit="kg") == mg


@pytest.mark.parametrize("text", ["-1 kg", "0 kg", "5 pcs", "kg", "0.0001 g", "1e3 kg"])
def test_parse_mass_rejects(text: str) -> None:
    with pytest.raises(InputError):
        parse_mass(text)


def test_format_mass() -> None:
    assert format_mass(1_500_000) == "1.5 kg"
    assert format_mass(10_000_000) == "10 kg"
    assert format_mass(-1) == "-0.000001 kg"


def test_balance_is_exact_over_many_small_drawdowns() -> None:
    lic = licence(kg=1)
    entries = issue_entries(lic, at=T0, actor="a", reason="issued")
    r = req(mg=1_000, value=Decimal("0.10"))  # 1 g, 0.10 USD each
    entries += [drawdown(i, r) for i in range(1, 1001)]
    (b,) = balances(lic, entries)
    assert b.remaining_mg == 0
    assert b.remaining_value == Decimal("900.00")
    assert check_drawdown(lic, entries, req(mg=1, value=Decimal(0)))[0].code is (
        ViolationCode.OVER_QUANTITY
    )


def test_violations_named() -> None:
    lic = licence()
    entries = issue_entries(lic, at=T0, actor="a", reason="issued")
    assert check_drawdown(lic, entries, req()) == []
    bad = req(mg=11_000_000, value=Decimal("2000"), shipped_on=date(2027, 1, 1),
              destination="US", end_user="OTHER")  # fmt: skip
    codes = {v.code for v in check_drawdown(lic, entries, bad)}
    assert codes == {
        ViolationCode.OVER_QUANTITY, ViolationCode.OVER_VALUE, ViolationCode.OUTSIDE_VALIDITY,
        ViolationCode.DESTINATION, ViolationCode.END_USER,
    }  # fmt: skip
    assert check_drawdown(lic, entries, req(part_id="X"))[0].code is ViolationCode.UNKNOWN_ITEM
    assert check_drawdown(lic, entries, req(currency="EUR"))[0].code is ViolationCode.CURRENCY


def test_single_licence_lapses_once_used_and_reversal_restores() -> None:
    lic = licence(LicenceType.SINGLE)
    entries = [*issue_entries(lic, at=T0, actor="a", reason="issued"), drawdown(2, req())]
    assert [v.code for v in check_drawdown(lic, entries, req(shipment_id="S2"))] == [
        ViolationCode.SINGLE_USED
    ]
    rev = LedgerEntry(3, "L-1", 1, EntryKind.REVERSAL, 1_000_000, Decimal("100.00"), "USD",
                      "S1", date(2026, 6, 1), "PL", "HARZFELD", T0, "b", "wrong", reverses=2)  # fmt: skip
    (b,) = balances(lic, [*entries, rev])
    assert b.drawn_mg == 0
    assert check_drawdown(lic, [*entries, rev], req(shipment_id="S2")) == []


def test_licence_validation() -> None:
    lic = licence()
    errors, _ = validate_licence(lic)
    assert errors == []
    errors, _ = validate_licence(replace(lic, valid_to=date(2025, 1, 1), destinations=("pl",)))
    assert {p.column for p in errors} == {"valid_to", "destinations"}
    _, warnings = validate_licence(replace(lic, licence_type=LicenceType.SINGLE,
                                           valid_to=date(2027, 6, 1)))  # fmt: skip
    assert warnings and "1 year" in warnings[0]


def test_china_calendar_make_up_days_and_holidays() -> None:
    cal = china_calendar(2025, 2026)
    assert cal.is_working_day(date(2025, 1, 26))  # Sunday, adjusted working day
    assert not cal.is_working_day(date(2025, 1, 29))  # Spring Festival
    assert not cal.is_working_day(date(2025, 10, 1))  # National Day
    assert cal.is_working_day(date(2025, 10, 11))  # Saturday, adjusted working day
    # 45 working days from 2025-09-01 cross the National Day week and its make-up days
    due = cal.add_working_days(date(2025, 9, 1), 45)
    assert cal.working_days_between(date(2025, 9, 1), due) == 45
    # by hand: Sep 2-30 = 21 weekdays + Sun 28 Sep = 22; Oct 1-8 off, Oct 9-31 = 17
    # weekdays + Sat 11 Oct = 18 (40); Nov 3-7 = 5 (45)
    assert due == date(2025, 11, 7)


def test_calendar_plain_weekdays() -> None:
    cal = WorkingCalendar()
    assert cal.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Fri -> Mon
    assert cal.working_days_between(date(2026, 3, 9), date(2026, 3, 6)) == -1
    with pytest.raises(InputError):
        cal.add_working_days(date(2026, 3, 6), -1)


def _app(history: tuple[StatusChange, ...] = ()) -> Application:
    return Application(1, "S-HEN-CN-BT", "HARZFELD", "HARZFELD", "PL", (), "", "", "single",
                       "ann-2025-18", 45, T0, "a", history)  # fmt: skip


def test_workflow_and_deadline_flags() -> None:
    cal = china_calendar(2025, 2026)
    app = _app()
    with pytest.raises(InputError, match="cannot go from draft to approved"):
        check_transition(app, AppStatus.APPROVED, T0)
    # An application entered in raretrace today may have been submitted last month: the
    # record's creation time does not bound the events (only earlier events do).
    check_transition(app, AppStatus.SUBMITTED, datetime(2026, 1, 1, tzinfo=UTC))
    sub = _app((StatusChange(AppStatus.SUBMITTED, T0, "a", ""),))
    with pytest.raises(InputError, match="out of order"):
        check_transition(sub, AppStatus.APPROVED, T0 - timedelta(seconds=1))
    with pytest.raises(InputError, match="in the future"):
        check_transition(sub, AppStatus.APPROVED, T0 + timedelta(days=2), T0 + timedelta(days=1))
    check_transition(sub, AppStatus.APPROVED, T0 + timedelta(days=1), T0 + timedelta(days=1))
    d = deadline(sub, cal, date(2026, 3, 2))
    assert d.due_on == cal.add_working_days(date(2026, 3, 2), 45)
    assert not d.overdue and not d.due_soon
    assert deadline(sub, cal, d.due_on).due_soon
    late = deadline(sub, cal, date(2026, 12, 1))
    assert late.overdue and late.remaining is not None and late.remaining < 0
    done = _app((*sub.history, StatusChange(AppStatus.APPROVED, T0, "b", "")))
    assert not deadline(done, cal, date(2026, 12, 1)).overdue
