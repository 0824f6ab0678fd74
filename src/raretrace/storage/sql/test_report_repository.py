"""Recorded laboratory test reports (append-only; the latest per part counts)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from raretrace.domain.test_reports import TestReport
from raretrace.storage.sql.classification_tables import TestReportRow


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _report(r: TestReportRow) -> TestReport:
    return TestReport(
        r.part_id,
        r.dy_tb_fraction,
        r.laboratory,
        r.reference,
        r.tested_on,
        r.recorded_by,
        _utc(r.recorded_at),
        r.report_id,
    )


class SqlTestReportRepository:
    __test__ = False

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, report: TestReport) -> TestReport:
        row = TestReportRow(
            part_id=report.part_id,
            dy_tb_fraction=report.dy_tb_fraction,
            laboratory=report.laboratory,
            reference=report.reference,
            tested_on=report.tested_on,
            recorded_by=report.recorded_by,
            recorded_at=report.recorded_at,
        )
        self._session.add(row)
        self._session.flush()
        return _report(row)

    def all(self) -> list[TestReport]:
        rows = self._session.scalars(
            select(TestReportRow).order_by(TestReportRow.tested_on, TestReportRow.report_id)
        )
        return [_report(r) for r in rows]

    def latest(self) -> dict[str, TestReport]:
        """The latest report per part (by test date, then by when it was recorded)."""
        return {r.part_id: r for r in self.all()}
