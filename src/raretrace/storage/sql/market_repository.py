"""SQL implementation of ``ports.MarketRepository`` (imported price tables)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from raretrace.domain.market import PricePoint, PriceTable, StoredPrices
from raretrace.storage.sql.market_tables import MarketPricesRow


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _stored(r: MarketPricesRow) -> StoredPrices:
    points = tuple(PricePoint(**p) for p in json.loads(r.rows))
    return StoredPrices(
        PriceTable(r.name, points), r.sha256, r.stored_by, _utc(r.stored_at), r.prices_id
    )


class SqlMarketRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, stored: StoredPrices) -> StoredPrices:
        t = stored.table
        row = MarketPricesRow(
            name=t.name,
            sha256=stored.sha256,
            points=len(t.points),
            rows=json.dumps([asdict(p) for p in t.points]),
            stored_by=stored.stored_by,
            stored_at=stored.stored_at,
        )
        self._session.add(row)
        self._session.flush()
        return _stored(row)

    def get(self, prices_id: int) -> StoredPrices | None:
        row = self._session.get(MarketPricesRow, prices_id)
        return None if row is None else _stored(row)

    def all(self) -> list[StoredPrices]:
        """Every stored table, newest first."""
        rows = self._session.scalars(
            select(MarketPricesRow).order_by(MarketPricesRow.prices_id.desc())
        )
        return [_stored(r) for r in rows]
