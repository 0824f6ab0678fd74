"""Survey campaign tables: workbooks sent to suppliers and the answers applied.

Registered on the shared ``Base.metadata``. Assertions are stored as JSON text so the
schema is identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from raretrace.storage.sql.tables import Base


class SurveyRequestRow(Base):
    __tablename__ = "survey_requests"
    request_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    supplier_party_id: Mapped[str] = mapped_column(String(200), index=True)
    campaign: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_date: Mapped[date] = mapped_column(Date)
    file: Mapped[str] = mapped_column(Text)
    #: The workbook as sent, so it can be downloaded again (NULL before migration 0007).
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    workbook: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)


class SurveyResponseRow(Base):
    __tablename__ = "survey_responses"
    response_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    supplier_party_id: Mapped[str] = mapped_column(String(200), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    file: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    held: Mapped[int] = mapped_column(Integer, default=0)
    assertions: Mapped[str] = mapped_column(Text)
