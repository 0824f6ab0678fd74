"""Read every network table, every column, in primary-key order, as pyarrow arrays (for
``storage.snapshot.TableSnapshot``): plain DB-API rows fetched in chunks and turned into
arrow arrays a chunk at a time, so that no domain record and no SQLAlchemy row is built.

The values are what the repository's ``load()`` reads, before its conversions: booleans
as integers (cast in SQL), exact decimals as their stored text, NULL as NULL.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import Table
from sqlalchemy.orm import Session

from raretrace.storage.snapshot import FLOAT, INT, SCHEMA
from raretrace.storage.sql.tables import NETWORK_ROWS

_FETCH_ROWS = 65_536
_TYPES = {FLOAT: pa.float64(), INT: pa.int64()}


def read_tables(session: Session) -> dict[str, dict[str, Any]]:
    """``{table: {column: pyarrow array}}``, rows in primary-key order (the session's
    transaction: call ``read_snapshot`` first for one consistent read)."""
    conn = session.connection()
    dbapi: Any = conn.connection.dbapi_connection
    assert dbapi is not None
    quote = conn.dialect.identifier_preparer.quote
    out: dict[str, dict[str, Any]] = {}
    cur = dbapi.cursor()
    try:
        for name, cols in SCHEMA.items():
            table = NETWORK_ROWS[name].__table__
            assert isinstance(table, Table)
            select = ", ".join(
                f"CAST({quote(c)} AS INTEGER)" if kind == INT else quote(c) for c, kind in cols
            )
            order = ", ".join(quote(c.name) for c in table.primary_key.columns)
            row_type = pa.struct([(c, _TYPES.get(kind, pa.large_string())) for c, kind in cols])
            cur.execute(f"SELECT {select} FROM {quote(table.name)} ORDER BY {order}")
            chunks = []
            while rows := cur.fetchmany(_FETCH_ROWS):
                chunks.append(pa.array(rows, type=row_type))
            data = pa.concat_arrays(chunks) if chunks else pa.array([], type=row_type)
            out[name] = {c: v for (c, _), v in zip(cols, data.flatten(), strict=True)}
    finally:
        cur.close()
    return out
