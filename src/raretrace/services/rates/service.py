"""Exchange rates supplied by the user as one service object
(``Workspace.exchange_rates``): store a checked rates CSV file (audited), list the
stored tables, read one back. Each method opens its own unit of work; the file format
is ``services.rates.tables``."""

from __future__ import annotations

from raretrace.domain.clock import Clock
from raretrace.domain.currency import StoredRates
from raretrace.services.rates import tables as fn
from raretrace.storage.ports import UnitOfWorkFactory


class ExchangeRatesService:
    def __init__(self, uow: UnitOfWorkFactory, *, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def store(self, data: bytes, name: str, *, actor: str) -> StoredRates:
        """Validate a rates CSV file (``services.rates.tables``) and keep the table."""
        with self._uow() as uow:
            return fn.store_rates(uow, data, name, actor=actor, now=self._clock.now())

    def list(self) -> list[StoredRates]:
        """Every stored rate table, newest first."""
        with self._uow() as uow:
            return fn.list_rates(uow)

    def get(self, rates_id: int) -> StoredRates:
        """One stored rate table (``NotFoundError`` if there is none)."""
        with self._uow() as uow:
            return fn.get_rates(uow, rates_id)
