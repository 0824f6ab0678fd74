"""PostgreSQL: the network tables aggregated on two connections at once, for the
tracing engine's cold start (``storage.sql.columns``).

Each table's columns are aggregated by the server (``string_agg``), which is most of
the read's time; a second backend aggregates the supply links, composition and
production (about half of the work) while the session's own connection does the rest. The second
connection reads under the session's snapshot (``pg_export_snapshot`` and ``SET
TRANSACTION SNAPSHOT``), so both see the very same rows; that needs a session in
REPEATABLE READ (one snapshot for the whole transaction, as the engine's is) that has
written nothing (its own rows are not in the exported snapshot). Otherwise everything is
read on the session's connection.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from sqlalchemy import Connection

#: Tables aggregated on the second connection (2.8 s of the server's 5.2 at 1M parts).
_SECOND = frozenset({"supply_links", "production", "composition"})
_SNAPSHOT_ID = re.compile(r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+")

Reader = Callable[[Any, Executor, Sequence[Any]], dict[str, Any]]


def read_postgres_in_two(
    conn: Connection, decoder: Executor, tables: Sequence[Any], read: Reader
) -> dict[str, Any]:
    """``read(dbapi, decoder, tables)`` for two halves of ``tables``, one of them on a
    second connection under the session's snapshot where that sees the same rows."""
    dbapi: Any = conn.connection.dbapi_connection
    with dbapi.cursor() as cur:
        cur.execute(
            "SELECT pg_export_snapshot(), txid_current_if_assigned(),"
            " current_setting('transaction_isolation')"
        )
        snapshot, writing, isolation = cur.fetchone()
    if writing is not None or isolation not in ("repeatable read", "serializable"):
        return read(dbapi, decoder, tables)
    if not _SNAPSHOT_ID.fullmatch(snapshot):  # inlined in SQL below
        return read(dbapi, decoder, tables)
    second = [t for t in tables if t[0] in _SECOND]
    first = [t for t in tables if t[0] not in _SECOND]
    raw = conn.engine.raw_connection()  # same URL and options as the session's
    try:
        other: Any = raw.dbapi_connection
        other.rollback()  # a fresh transaction (a pre-ping may have opened one)
        with other.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-columns-2") as pool:
            more = pool.submit(read, other, decoder, second)
            out = read(dbapi, decoder, first)
            out.update(more.result())
        other.rollback()
    finally:
        raw.close()
    return out
