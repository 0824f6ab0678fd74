"""Classification tables: recorded laboratory test reports (Dy + Tb content)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from raretrace.storage.sql.tables import Base, DecimalText


class TestReportRow(Base):
    __tablename__ = "test_reports"
    __test__ = False
    report_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    part_id: Mapped[str] = mapped_column(String(200), index=True)
    dy_tb_fraction: Mapped[Decimal] = mapped_column(DecimalText)
    laboratory: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(Text)
    tested_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
