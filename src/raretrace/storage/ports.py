"""What the services need from storage, as Protocols. ``storage.sql`` implements them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from raretrace.domain.network import Network


class NetworkRepository(Protocol):
    """The supply network of one workspace."""

    def load(self) -> Network:
        """Every network record, as domain objects."""
        ...

    def counts(self) -> dict[str, int]:
        """Row count per network table (see ``domain.network.TABLES``)."""
        ...

    def upsert(self, network: Network) -> None:
        """Insert the records, replacing those with the same key."""
        ...

    def clear(self) -> None:
        """Delete every network record."""
        ...

    def bulk_insert_rows(
        self, table: str, columns: list[str], rows: Iterator[tuple[object, ...]]
    ) -> int:
        """Fast path for large loads into an empty table. Returns the row count."""
        ...

    def revision(self) -> int:
        """A number that changes whenever the network changes (for caches)."""
        ...

    def bump_revision(self) -> int: ...


class UnitOfWork(Protocol):
    """One transaction, already begun by the caller's ``with`` block (commit on success,
    roll back on exception)."""

    @property
    def network(self) -> NetworkRepository: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


__all__ = ["NetworkRepository", "UnitOfWork"]
