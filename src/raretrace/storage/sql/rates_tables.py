"""Exchange-rate tables users stored (``domain.currency.StoredRates``), registered on the
shared metadata. The rates are JSON text (currency -> exact decimal string) so the schema
is identical on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from raretrace.storage.sql.tables import Base


class ExchangeRatesRow(Base):
    __tablename__ = "exchange_rates"
    rates_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    base: Mapped[str] = mapped_column(String(3))
    as_of: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    rates: Mapped[str] = mapped_column(Text)
    stored_by: Mapped[str] = mapped_column(String(200))
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
