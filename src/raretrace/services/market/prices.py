"""Price tables kept in the workspace: import (all or nothing), list, get."""

from __future__ import annotations

from datetime import datetime

from raretrace.domain.market import PriceTable, StoredPrices
from raretrace.errors import NotFoundError
from raretrace.services.market.data import parse_price_csv, shipped_prices
from raretrace.services.users import accounts as audit
from raretrace.storage.ports import UnitOfWork

__all__ = ["get_prices", "list_prices", "price_table", "store_prices"]


def store_prices(
    uow: UnitOfWork, data: bytes, name: str, *, actor: str, now: datetime
) -> StoredPrices:
    """Check a price CSV (``market_data.parse_price_csv``) and keep it; nothing is
    written when any row is wrong."""
    parsed = parse_price_csv(data, name[:255])
    stored = uow.market.add(StoredPrices(parsed.table, parsed.sha256, actor, now))
    t = stored.table
    elements = sorted({p.element for p in t.points})
    detail = f"price table {stored.prices_id}: {len(t.points)} prices for {', '.join(elements)}"
    audit.record(uow, actor, "prices.store", t.name, detail)
    return stored


def list_prices(uow: UnitOfWork) -> list[StoredPrices]:
    return uow.market.all()


def get_prices(uow: UnitOfWork, prices_id: int) -> StoredPrices:
    stored = uow.market.get(prices_id)
    if stored is None:
        raise NotFoundError(f"no price table {prices_id} in the workspace")
    return stored


def price_table(uow: UnitOfWork, prices_id: int | None) -> PriceTable:
    """A stored table, or the shipped USGS series when ``prices_id`` is None."""
    return shipped_prices() if prices_id is None else get_prices(uow, prices_id).table
