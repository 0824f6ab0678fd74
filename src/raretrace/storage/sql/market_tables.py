"""Price tables users imported (``domain.market.StoredPrices``), registered on the
shared metadata. The points are JSON text so the schema is the same on SQLite and
PostgreSQL; a stored table never changes (append-only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from raretrace.storage.sql.tables import Base


class MarketPricesRow(Base):
    __tablename__ = "market_prices"
    prices_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    points: Mapped[int] = mapped_column(Integer)
    rows: Mapped[str] = mapped_column(Text)
    stored_by: Mapped[str] = mapped_column(String(200))
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
