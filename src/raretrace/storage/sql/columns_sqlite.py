"""SQLite: a second connection for the tracing engine's cold start
(``storage.sql.columns``), on which a thread fetches the float columns while the
session's connection concatenates the texts.

It is a connection of the same engine, so of the same SQLite library: never a second
copy of SQLite in the process (see ``columns.read_columns``). SQLite cannot hand a
snapshot to another connection, so the second one opens its own read transaction and
compares the revision and its token (``rt_meta``; every write of the network tables
changes the token) with the session's: the same stamp, the same rows. None is given
where the stamps differ, where the stamp has no token, where a second connection would
open another database (in memory), or would not run beside the session (a rollback
journal instead of WAL: a writer waiting to commit keeps new readers out, and would
wait for the session); the caller then reads everything on the session's connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

_STAMP = "SELECT key, value FROM rt_meta WHERE key IN ('revision', 'revision_token')"


@contextmanager
def second_connection(conn: Connection) -> Iterator[Any | None]:
    """A DB-API connection in a read transaction that sees the rows ``conn``'s
    transaction sees, or None (see the module's docstring); closed on exit."""
    if not _on_disk(conn.engine.url.database):
        yield None
        return
    dbapi: Any = conn.connection.dbapi_connection
    cur = dbapi.cursor()
    try:
        (mode,) = cur.execute("PRAGMA journal_mode").fetchone()
        stamp = dict(cur.execute(_STAMP).fetchall())  # fixes the session's snapshot
    finally:
        cur.close()
    if str(mode).lower() != "wal" or "revision_token" not in stamp:
        yield None
        return
    raw = conn.engine.raw_connection()  # same file and options as the session's
    try:
        other: Any = raw.dbapi_connection
        cur = other.cursor()
        try:
            if other.in_transaction:
                cur.execute("ROLLBACK")
            cur.execute("BEGIN")  # the driver autocommits (engine.py): a read transaction
            same = dict(cur.execute(_STAMP).fetchall()) == stamp
        finally:
            cur.close()
        try:
            yield other if same else None
        finally:
            other.execute("ROLLBACK")
    finally:
        raw.close()


def _on_disk(database: str | None) -> bool:
    """A database file that another connection opens too (not one in memory)."""
    if not database or database == ":memory:":
        return False
    return not (database.startswith("file:") and "mode=memory" in database)
