"""SQL repositories behind the storage ports."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from raretrace.domain.network import TABLES, Network
from raretrace.storage.records import FAST_COLUMNS, from_row, from_rows, to_row
from raretrace.storage.sql.tables import NETWORK_ROWS, MetaRow

if TYPE_CHECKING:  # pyarrow: imported by the cold read only
    from raretrace.analytics.tables import TableColumns

_BATCH = 50_000
#: SQLite page cache while bulk loading (KiB; pages are only allocated as used).
_BULK_CACHE_KIB = 512 * 1024


def _table(name: str) -> Table:
    table = NETWORK_ROWS[name].__table__
    assert isinstance(table, Table)
    return table


class SqlNetworkRepository:
    """The network tables of one database, used inside one Session (transaction)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def load(self) -> Network:
        net = Network()
        for name in TABLES:
            table = _table(name)
            order = table.primary_key.columns
            if name in FAST_COLUMNS:  # the big tables: plain tuples, built positionally
                cols = [table.c[c] for c in FAST_COLUMNS[name]]
                found = self._session.execute(select(*cols).order_by(*order)).all()
                setattr(net, name, from_rows(name, found))
                continue
            rows = self._session.execute(select(table).order_by(*order))
            setattr(net, name, [from_row(name, r) for r in rows])
        return net

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for name in NETWORK_ROWS:
            query = select(func.count()).select_from(_table(name))
            out[name] = int(self._session.execute(query).scalar_one())
        return out

    def upsert(self, network: Network) -> None:
        dialect = self._session.get_bind().dialect.name
        for name in TABLES:
            records = getattr(network, name)
            if not records:
                continue
            table = _table(name)
            keys = [c.name for c in table.primary_key.columns]
            cols = [c.name for c in table.columns if c.name not in keys]
            for chunk in _chunks((to_row(name, r) for r in records), 5_000):
                stmt: Any
                if dialect == "postgresql":
                    from sqlalchemy.dialects import postgresql

                    stmt = postgresql.insert(table)
                elif dialect == "sqlite":
                    from sqlalchemy.dialects import sqlite

                    stmt = sqlite.insert(table)
                else:  # pragma: no cover - only the two supported back ends
                    raise NotImplementedError(dialect)
                stmt = stmt.on_conflict_do_update(
                    index_elements=keys, set_={c: stmt.excluded[c] for c in cols}
                )
                self._session.execute(stmt, chunk)

    def clear(self) -> None:
        for name in reversed(TABLES):
            if name == "parties":
                # Self-reference: cut ownership links before deleting parties.
                self._session.execute(
                    _table(name).update().values(owner_party_id=None, branch_of_party_id=None)
                )
            self._session.execute(delete(_table(name)))

    def bulk_insert_rows(
        self, table: str, columns: list[str], rows: Iterator[tuple[object, ...]]
    ) -> int:
        """Insert many rows fast: driver-level executemany (SQLite) or COPY (PostgreSQL).

        On SQLite the table's secondary (non-key) indexes are dropped first and built
        once at the end, in the same transaction, and the page cache is raised. On
        PostgreSQL the indexes stay: deferred foreign-key checks queued by COPY forbid
        ``CREATE INDEX`` before commit, and COPY is fast with them in place.
        """
        tbl = _table(table)
        conn = self._session.connection()
        indexes: list[Any] = []
        if conn.dialect.name == "sqlite":
            indexes = sorted(tbl.indexes, key=lambda ix: str(ix.name))
            for index in indexes:
                index.drop(conn)
            # Not shrunk afterwards: that would spill the transaction's dirty pages early.
            conn.exec_driver_sql(f"PRAGMA cache_size = -{_BULK_CACHE_KIB}")
        n = self._insert_rows(tbl, columns, rows)
        for index in indexes:
            index.create(conn)
        return n

    def _insert_rows(
        self, tbl: Table, columns: list[str], rows: Iterator[tuple[object, ...]]
    ) -> int:
        conn = self._session.connection()
        dialect = conn.dialect.name
        n = 0
        if dialect == "postgresql":
            raw = conn.connection.driver_connection
            assert raw is not None
            cols = ", ".join(columns)
            with raw.cursor() as cur, cur.copy(f"COPY {tbl.name} ({cols}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
                    n += 1
            return n
        if dialect == "sqlite":
            placeholders = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {tbl.name} ({', '.join(columns)}) VALUES ({placeholders})"
            raw_conn = conn.connection.driver_connection
            assert raw_conn is not None
            cur = raw_conn.cursor()
            while True:
                batch = list(islice(rows, _BATCH))
                if not batch:
                    break
                cur.executemany(sql, batch)
                n += len(batch)
            cur.close()
            return n
        stmt = insert(tbl)  # pragma: no cover
        for chunk in _chunks((dict(zip(columns, r, strict=True)) for r in rows), _BATCH):
            self._session.execute(stmt, chunk)
            n += len(chunk)
        return n

    def revision(self) -> int:
        row = self._session.get(MetaRow, "revision")
        return int(row.value) if row else 0

    def versions(self) -> tuple[int, int]:
        """(network revision, data version) in one round trip; the data version moves
        with every committed write of any kind (``SqlUnitOfWork``)."""
        rows = self._session.execute(
            select(MetaRow.key, MetaRow.value).where(MetaRow.key.in_(("revision", "data_version")))
        ).all()
        found = {k: int(v) for k, v in rows}
        return found.get("revision", 0), found.get("data_version", 0)

    def columns(self, *, committed: bool = False) -> TableColumns:
        from raretrace.storage.sql.columns import read_columns

        return read_columns(self._session, committed=committed)

    def table_columns(self) -> dict[str, dict[str, Any]]:
        from raretrace.storage.sql.snapshot_read import read_tables

        return read_tables(self._session)

    def bump_revision(self) -> int:
        row = self._session.get(MetaRow, "revision")
        if row is None:
            row = MetaRow(key="revision", value="0")
            self._session.add(row)
        row.value = str(int(row.value) + 1)
        token = self._session.get(MetaRow, "revision_token")
        if token is None:
            token = MetaRow(key="revision_token", value="")
            self._session.add(token)
        token.value = uuid.uuid4().hex
        self._session.flush()
        return int(row.value)

    def read_snapshot(self) -> None:
        # PostgreSQL's default READ COMMITTED takes a snapshot per statement; REPEATABLE
        # READ keeps the first one for the transaction. SQLite's BEGIN (see engine.py)
        # already reads one snapshot.
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.connection(execution_options={"isolation_level": "REPEATABLE READ"})

    def stamp(self) -> tuple[int, str]:
        rows = self._session.execute(
            select(MetaRow.key, MetaRow.value).where(
                MetaRow.key.in_(("revision", "revision_token"))
            )
        ).all()
        found = dict(rows)
        rev = int(found.get("revision", 0))
        token = found.get("revision_token")
        if token is None:  # written before tokens existed: fall back to row counts
            token = "n" + "-".join(str(n) for n in self.counts().values())
        return rev, f"r{rev}-{token}"


def _chunks(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(items)
    while True:
        chunk = list(islice(it, size))
        if not chunk:
            return
        yield chunk
