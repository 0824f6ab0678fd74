"""SQL implementation of ``ports.RatesRepository``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from raretrace.domain.currency import ExchangeRates, StoredRates
from raretrace.storage.sql.rates_tables import ExchangeRatesRow


def _utc(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _stored(r: ExchangeRatesRow) -> StoredRates:
    rates = {c: Decimal(v) for c, v in json.loads(r.rates).items()}
    return StoredRates(
        ExchangeRates(r.base, r.as_of, r.source, rates),
        r.name,
        r.sha256,
        r.stored_by,
        _utc(r.stored_at),
        r.rates_id,
    )


class SqlRatesRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, stored: StoredRates) -> StoredRates:
        x = stored.rates
        row = ExchangeRatesRow(
            name=stored.name,
            sha256=stored.sha256,
            base=x.base,
            as_of=x.as_of,
            source=x.source,
            rates=json.dumps({c: str(v) for c, v in sorted(x.rates.items())}),
            stored_by=stored.stored_by,
            stored_at=stored.stored_at,
        )
        self._session.add(row)
        self._session.flush()
        return _stored(row)

    def get(self, rates_id: int) -> StoredRates | None:
        row = self._session.get(ExchangeRatesRow, rates_id)
        return None if row is None else _stored(row)

    def all(self) -> list[StoredRates]:
        """Every stored table, newest first."""
        rows = self._session.scalars(
            select(ExchangeRatesRow).order_by(ExchangeRatesRow.rates_id.desc())
        )
        return [_stored(r) for r in rows]
