"""Columnar read of SQLite's network tables through ADBC (Arrow Database Connectivity,
``adbc-driver-sqlite``), for the tracing engine's cold start: the driver turns rows into
Arrow columns in C, with no Python object per row or value. At 1M parts it reads the
tables in about half the CPU time of ``storage.sql.columns`` (whose float columns are
fetched as Python rows: SQLite has no way to hand over a float's bits in bulk).

PostgreSQL is not read this way: ``adbc-driver-postgresql`` (``COPY ... (FORMAT
binary)``) took the same wall time as the ``string_agg`` read of ``columns`` at 3x its
CPU time in this process, on a machine whose two cores the server shares.

It reads through a second connection, and SQLite cannot share a snapshot between
connections, so it stands in for the session's own read only when that gives the same
rows:

- the caller says that its transaction has written nothing (``committed=True``):
  a second connection cannot see uncommitted rows;
- the second connection reads the network stamp (revision and its random token,
  ``rt_meta``) in the same read transaction as the tables; unless it equals the
  session's stamp, the read is dropped. Every change of the network moves the token
  (the compiled cache is keyed by it too).

Rows come in rowid order, as in ``columns``. ``read_adbc`` returns None whenever it
cannot answer (no driver installed, not a plain SQLite file, another stamp, a value of
an unexpected type in SQLite's dynamic typing, any driver error); the caller then reads
through the session.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from typing import Any
from urllib.parse import quote

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from sqlalchemy.orm import Session

from raretrace.storage.sql.tables import Base

log = logging.getLogger(__name__)

#: (table, ((SQL column, field of ``TableColumns``, kind), ...)) as in ``columns``.
Tables = Sequence[tuple[str, Sequence[tuple[str, str, str]]]]

#: SQLite: rows per Arrow batch (the driver's default, 1,024, costs ~0.5 s at 1M parts).
_BATCH_ROWS = 65_536
_STAMP_SQL = "SELECT key, value FROM rt_meta WHERE key IN ('revision', 'revision_token')"


def read_adbc(session: Session, tables: Tables) -> dict[str, Any] | None:
    """The columns of ``tables`` (by field), or None where ADBC cannot be used."""
    conn = session.connection()
    dialect = conn.dialect.name
    try:
        if dialect == "sqlite":
            return _read_sqlite(session, tables)
    except Exception as exc:  # any failure: the session's own read answers
        log.info("ADBC read of the network tables failed (%s); reading rows instead", exc)
    return None


def _stamp(rows: Iterable[Sequence[Any]]) -> dict[str, str]:
    return {str(k): str(v) for k, v in rows}


# -- SQLite ---------------------------------------------------------------------------


def _read_sqlite(session: Session, tables: Tables) -> dict[str, Any] | None:
    url = session.connection().engine.url
    path = url.database
    if not path or path == ":memory:" or path.startswith("file:") or url.query:
        return None  # URIs and options: leave them to the session's driver
    try:  # the low-level API: the DB-API module imports pandas (~0.2 s)
        import adbc_driver_sqlite
    except ImportError:
        return None
    want = _stamp(session.connection().exec_driver_sql(_STAMP_SQL).all())
    # Read only (never creates or changes the file); mode=ro still reads the WAL.
    uri = f"file:{quote(path)}?mode=ro"
    # Two connections, one in a worker thread: the driver and Arrow release the GIL.
    second = [t for t in tables if t[0] in _SECOND]
    first = [t for t in tables if t[0] not in _SECOND]
    with closing(adbc_driver_sqlite.connect(uri)) as db, ThreadPoolExecutor(1) as pool:
        other = pool.submit(_read_group, db, want, second)
        out = _read_group(db, want, first)
        more = other.result()
    if out is None or more is None:
        return None
    return out | more


#: Tables read on the second connection (about half of the time: 1.2 s of 2.5 at 1M parts).
_SECOND = frozenset({"supply_links", "production", "composition"})


def _read_group(db: Any, want: dict[str, str], tables: Tables) -> dict[str, Any] | None:
    """``tables`` read in one read transaction of a new connection to ``db``; None if
    its stamp is not ``want`` or a column is not of the expected type."""
    import adbc_driver_manager as adbc

    with closing(adbc.AdbcConnection(db)) as conn:
        _query(conn, "PRAGMA busy_timeout = 30000")  # as the engine's connections wait
        conn.set_autocommit(False)  # BEGIN: the stamp and the tables in one snapshot
        stamp = _query(conn, _STAMP_SQL)
        if _stamp(zip(*(c.to_pylist() for c in stamp.columns), strict=True)) != want:
            return None
        out: dict[str, Any] = {}
        for table, cols in tables:
            # SQLite's driver infers a column's type from its first rows, and would take
            # a NULL there for an integer: a nullable column comes with a flag column.
            nullable = {c.name for c in Base.metadata.tables[table].c if c.nullable}
            select = []
            for sql, _field, kind in cols:
                if sql in nullable:
                    empty = "0.0" if kind == "float" else "''"
                    select.append(f"coalesce({sql}, {empty}), {sql} IS NULL")
                else:
                    select.append(sql)
            got = _query(conn, f"SELECT {', '.join(select)} FROM {table} ORDER BY rowid")
            i = 0
            for sql, field, kind in cols:
                values = _typed(got.column(i), kind)
                if values is None:
                    return None  # a BLOB, or text in a REAL column: the rows path says
                if sql in nullable:
                    flags = got.column(i + 1)
                    if len(flags) and not pa.types.is_integer(flags.type):
                        return None
                    if len(flags) and pc.max(flags).as_py():
                        values = pc.if_else(
                            pc.not_equal(flags, 0), pa.scalar(None, values.type), values
                        )
                        values = values.combine_chunks()
                    i += 1
                out[field] = values
                i += 1
        conn.rollback()
        return out


def _query(conn: Any, sql: str) -> Any:
    """The result of ``sql`` as a pyarrow table."""
    import adbc_driver_manager as adbc

    with closing(adbc.AdbcStatement(conn)) as stmt:
        stmt.set_options(**{"adbc.sqlite.query.batch_rows": str(_BATCH_ROWS)})
        stmt.set_sql_query(sql)
        stream, _ = stmt.execute_query()
        return pa.RecordBatchReader._import_from_c(stream.address).read_all()


def _typed(column: Any, kind: str) -> Any:
    """``column`` as ``large_string`` (text) or ``float64``; None if of another type
    (an empty column's type is a guess of the driver's, so it is cast)."""
    want = pa.float64() if kind == "float" else pa.large_string()
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if column.type == want:
        return column
    if len(column) == 0 or pa.types.is_null(column.type):
        return column.cast(want)
    if kind != "float" and pa.types.is_string(column.type):
        return column.cast(want)
    return None
