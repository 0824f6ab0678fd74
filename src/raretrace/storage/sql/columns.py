"""Columnar read of the network tables, for the tracing engine's cold start.

Every column arrives as one pyarrow array, for ``analytics.tables.build_arrays`` to map
ids to indices; nothing creates a Python object per row where the database allows it:

- **PostgreSQL** aggregates each column into one ``bytea`` value on the server: text as
  UTF-8, the values separated by NUL bytes (PostgreSQL text cannot contain NUL, so any
  id is safe: commas, quotes, newlines, non-ASCII), a NULL as the single byte 0xFF (never
  in UTF-8); a float as its 8 big-endian bytes (``float8send``: the stored bits, no text
  round trip), NULL as NaN. The client splits the bytes with numpy. ``COPY ... TO
  STDOUT`` was measured slower: libpq hands over one message per row, and each costs
  psycopg more than a fetched row does. Tables larger than ``_CHUNK_BYTES`` are read as
  several row groups (ranges of heap blocks, one statement, so one snapshot) to stay
  under PostgreSQL's 1 GB limit on a value.
- **SQLite** (no COPY, no binary aggregate) concatenates each text column the same
  way (``group_concat``), which saves a Python string per value; floats are fetched as
  rows (SQLite cannot give their bits, and formatting them exactly as text in SQL is
  slower than fetching) and turned into arrow arrays a chunk of rows at a time.
  Returning integer codes instead of ids (joins on rowids) was measured slower.
- Any other driver: every column fetched as rows, converted a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy.orm import Session

from raretrace.analytics.tables import TableColumns

#: Column kinds: text never NULL, text that may be NULL, float (NULL read as NaN).
_TEXT, _NULLABLE_TEXT, _FLOAT = "text", "text?", "float"
#: PostgreSQL: read a table in row groups of at most this many bytes of heap.
_CHUNK_BYTES = 256 * 1024 * 1024
#: SQLite: rowids per ``group_concat`` (200-character ids stay under its 1 GB limit).
_ROWID_RANGE = 1 << 20
#: SQLite: rows fetched (as Python tuples) before they are turned into arrow arrays.
_FETCH_ROWS = 65_536
_NULL_MARK = 0xFF


class _Col(NamedTuple):
    sql: str
    field: str  # of ``TableColumns``
    kind: str


_TABLES: tuple[tuple[str, tuple[_Col, ...]], ...] = (
    ("parties", (_Col("party_id", "party_id", _TEXT), _Col("country", "party_country", _TEXT))),
    (
        "sites",
        (
            _Col("site_id", "site_id", _TEXT),
            _Col("party_id", "site_party", _TEXT),
            _Col("country", "site_country", _TEXT),
        ),
    ),
    (
        "parts",
        (
            _Col("part_id", "part_id", _TEXT),
            _Col("kind", "part_kind", _TEXT),
            _Col("uom", "part_uom", _TEXT),
            _Col("mass_kg", "part_mass_kg", _FLOAT),
            _Col("unit_value", "part_value", _NULLABLE_TEXT),  # exact decimal as text
            _Col("currency", "part_currency", _NULLABLE_TEXT),
            _Col("magnet_type", "part_magnet_type", _TEXT),
        ),
    ),
    (
        "composition",
        (
            _Col("part_id", "comp_part", _TEXT),
            _Col("element", "comp_element", _TEXT),
            _Col("mass_fraction", "comp_fraction", _FLOAT),
        ),
    ),
    (
        "bom_lines",
        (
            _Col("parent_part_id", "bom_parent", _TEXT),
            _Col("child_part_id", "bom_child", _TEXT),
            _Col("quantity", "bom_qty", _FLOAT),
        ),
    ),
    (
        "supply_links",
        (
            _Col("supplier_site_id", "sup_supplier", _TEXT),
            _Col("part_id", "sup_part", _TEXT),
            _Col("buyer_site_id", "sup_buyer", _TEXT),
            _Col("share", "sup_share", _FLOAT),
        ),
    ),
    (
        "production",
        (
            _Col("site_id", "prod_site", _TEXT),
            _Col("part_id", "prod_part", _TEXT),
            _Col("units_per_year", "prod_units", _FLOAT),
        ),
    ),
)


def read_columns(session: Session, *, committed: bool = False) -> TableColumns:
    """Every network table as columns of pyarrow arrays (rows in rowid order on SQLite,
    heap order on PostgreSQL; ``build_arrays`` sorts the ids).

    ``committed``: the session's transaction has written nothing, so part of the read
    may run on a second connection that sees the same rows: half of the tables under
    the session's exported snapshot on PostgreSQL (``columns_pg``), the float columns at
    the same revision on SQLite (``columns_sqlite``); otherwise everything is read on
    the session's connection.
    (SQLite is not read through a second SQLite library such as ADBC's: two copies of
    SQLite in one process break each other's POSIX locks and can corrupt a WAL database,
    see https://www.sqlite.org/howtocorrupt.html section 2.2.1; a concurrent test hit
    "database disk image is malformed".)

    Reads through the DB-API connection of the session (same transaction). The bytes
    of one table are decoded in a worker thread while the database works on the next
    table (numpy, pyarrow and the drivers release the GIL).
    """
    conn = session.connection()
    dbapi: Any = conn.connection.dbapi_connection
    assert dbapi is not None
    driver = f"{conn.dialect.name}+{conn.dialect.driver}"
    readers: dict[str, Callable[[Any, Executor], dict[str, Any]]] = {
        "postgresql+psycopg": _read_postgres,
        "sqlite+pysqlite": _read_sqlite,
    }
    read = readers.get(driver, _read_rows)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-columns") as decoder:
        if committed and driver == "postgresql+psycopg":
            from raretrace.storage.sql.columns_pg import read_postgres_in_two

            values = read_postgres_in_two(conn, decoder, _TABLES, _read_postgres)
        elif committed and driver == "sqlite+pysqlite":
            from raretrace.storage.sql.columns_sqlite import second_connection

            with second_connection(conn) as other:
                values = _read_sqlite(dbapi, decoder, float_conn=other)
        else:
            values = read(dbapi, decoder)
    return TableColumns(**values)


def _texts(blobs: Sequence[bytes]) -> Any:
    """NUL-separated UTF-8 values (a lone 0xFF = NULL), in one or more blobs, as one
    ``large_string`` array."""
    if not blobs:
        return pa.array([], type=pa.large_string())
    buf = np.frombuffer(b"\x00".join(blobs), dtype=np.uint8)
    is_sep = buf == 0
    sep = np.flatnonzero(is_sep)
    n = len(sep) + 1
    starts = np.empty(n, dtype=np.int64)
    starts[0] = 0
    starts[1:] = sep + 1
    lengths = np.empty(n, dtype=np.int64)
    lengths[:-1] = sep
    lengths[-1] = len(buf)
    lengths -= starts
    one = np.flatnonzero(lengths == 1)
    null = one[buf[starts[one]] == _NULL_MARK]
    validity = None
    if len(null):
        is_sep[starts[null]] = True  # drop the marks with the separators
        lengths[null] = 0
        valid = np.ones(n, dtype=np.bool_)
        valid[null] = False
        validity = pa.py_buffer(np.packbits(valid, bitorder="little"))
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    data = buf[~is_sep]
    arr = pa.LargeStringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(data), validity, len(null)
    )
    arr.validate(full=True)  # UTF-8
    return arr


# -- PostgreSQL ---------------------------------------------------------------------


def _read_postgres(
    dbapi: Any, decoder: Executor, tables: Sequence[tuple[str, tuple[_Col, ...]]] = _TABLES
) -> dict[str, Any]:
    to_bytes = _text_bytes(dbapi)
    decoded: dict[str, Future[Any]] = {}
    with dbapi.cursor() as cur:
        sizes = ", ".join(f"pg_relation_size('{table}')" for table, _ in tables)
        cur.execute(f"SELECT current_setting('block_size')::int8, {sizes}")
        block, *heap = cur.fetchone()
        for (table, cols), size in zip(tables, heap, strict=True):
            chunk = max(1, _CHUNK_BYTES // block)
            cur.execute(_aggregate_sql(table, cols, size // block, chunk, to_bytes), binary=True)
            rows = cur.fetchall()
            for i, col in enumerate(cols):
                blobs = [row[i] for row in rows if row[i] is not None]
                decode = _floats if col.kind == _FLOAT else _texts
                decoded[col.field] = decoder.submit(decode, blobs)
    return {field: future.result() for field, future in decoded.items()}


def _text_bytes(dbapi: Any) -> str:
    """SQL for a text column's UTF-8 bytes: ``textsend`` (the bytes as sent to the
    client: no conversion when the client encoding is UTF-8) or ``convert_to``."""
    if dbapi.info.encoding == "utf-8":
        return "textsend({})"
    return "convert_to({}, 'UTF8')"


def _aggregate_sql(table: str, cols: Sequence[_Col], blocks: int, chunk: int, to_bytes: str) -> str:
    """One row per group of ``chunk`` heap blocks, each column aggregated into a
    ``bytea``; groups by ``ctid`` ranges (a TID range scan each on PostgreSQL 14+),
    joined with UNION ALL so that the whole table is read under one snapshot."""
    aggs = []
    for col in cols:
        if col.kind == _FLOAT:
            aggs.append(f"string_agg(float8send(coalesce({col.sql}::float8, 'NaN')), ''::bytea)")
            continue
        value = to_bytes.format(col.sql)
        if col.kind == _NULLABLE_TEXT:
            value = f"coalesce({value}, '\\x{_NULL_MARK:02x}'::bytea)"
        aggs.append(f"string_agg({value}, '\\x00'::bytea)")
    select = f"SELECT {', '.join(aggs)} FROM {table}"
    if blocks <= chunk:
        return select
    starts = range(0, blocks, chunk)
    parts = []
    for start in starts:
        lower = f"ctid >= '({start},0)'::tid"
        upper = f" AND ctid < '({start + chunk},0)'::tid" if start != starts[-1] else ""
        parts.append(f"{select} WHERE {lower}{upper}")  # the last range is open
    return " UNION ALL ".join(parts)


def _floats(blobs: Sequence[bytes]) -> Any:
    """8-byte big-endian floats (``float8send``) -> a ``float64`` array."""
    values = np.frombuffer(b"".join(blobs), dtype=">f8").astype(np.float64)
    return pa.array(values, type=pa.float64())


# -- SQLite ---------------------------------------------------------------------------


def _read_sqlite(dbapi: Any, decoder: Executor, *, float_conn: Any | None = None) -> dict[str, Any]:
    """Text columns: ``group_concat`` with NUL separators (NULL as the byte 0xFF, as
    above), over ranges of rowids, ascending, each under SQLite's 1 GB limit on a value;
    float columns: fetched rows, in rowid order too, so that the columns line up. A
    text holding NUL itself (SQLite allows it) is noticed by the count of values, and
    that table's text is then fetched as rows.

    ``float_conn``: a second connection that sees the same rows (``columns_sqlite``),
    on which a thread fetches the floats while this one concatenates the texts. Split
    so, the two run side by side (the texts in SQLite without the GIL, the floats
    mostly in Python); split by table instead, both sides' SQLite work contends (at 1M
    parts: 2.6-2.8 s against 5.2 s on one connection, the same CPU time; by table,
    7 s and twice the CPU)."""
    out: dict[str, Any] = {}
    decoded: dict[str, list[Future[Any]]] = {}
    rows: dict[str, int] = {}
    cur = dbapi.cursor()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-floats") as pool:
        floats = None if float_conn is None else pool.submit(_sqlite_floats, float_conn)
        try:
            for table, cols in _TABLES:
                texts = [c for c in cols if c.kind != _FLOAT]
                rows[table] = 0
                for col in texts:
                    decoded[col.field] = []
                # each range is decoded while the next one is concatenated
                for count, blobs in _concatenated(cur, table, texts):
                    rows[table] += count
                    for col, blob in zip(texts, blobs, strict=True):
                        decoded[col.field].append(decoder.submit(_texts, [blob]))
            for field, futures in decoded.items():
                out[field] = _joined([future.result() for future in futures])
            for table, cols in _TABLES:
                texts = [c for c in cols if c.kind != _FLOAT]
                if any(len(out[c.field]) != rows[table] for c in texts):  # a value holds NUL
                    out.update(_fetched(cur, table, texts))
        finally:
            cur.close()
        out.update(_sqlite_floats(dbapi) if floats is None else floats.result())
    return out


def _joined(chunks: Sequence[Any]) -> Any:
    """Text arrays (``_texts``) of consecutive ranges as one array (no copy for one)."""
    if len(chunks) == 1:
        return chunks[0]
    return pa.concat_arrays(chunks) if chunks else _texts([])


def _sqlite_floats(dbapi: Any) -> dict[str, Any]:
    """The float columns of every table, fetched on ``dbapi``."""
    out: dict[str, Any] = {}
    cur = dbapi.cursor()
    try:
        for table, cols in _TABLES:
            out.update(_fetched(cur, table, [c for c in cols if c.kind == _FLOAT]))
    finally:
        cur.close()
    return out


def _concatenated(cur: Any, table: str, cols: Sequence[_Col]) -> Iterator[tuple[int, list[bytes]]]:
    """Per range of rowids, ascending: its number of rows and the blob of each column's
    values."""
    null = f"CAST(X'{_NULL_MARK:02X}' AS TEXT)"
    values = [f"coalesce({c.sql}, {null})" if c.kind == _NULLABLE_TEXT else c.sql for c in cols]
    aggs = ", ".join(f"CAST(group_concat({v}, char(0)) AS BLOB)" for v in values)
    cur.execute(f"SELECT min(rowid) FROM {table}")
    (start,) = cur.fetchone()
    while start is not None:
        end = start + _ROWID_RANGE
        cur.execute(
            f"SELECT count(*), {aggs} FROM {table} WHERE rowid >= ? AND rowid < ?", (start, end)
        )
        count, *found = cur.fetchone()
        if count:
            yield count, found
        cur.execute(f"SELECT min(rowid) FROM {table} WHERE rowid >= ?", (end,))
        (start,) = cur.fetchone()


def _fetched(cur: Any, table: str, cols: Sequence[_Col], order: str = "rowid") -> dict[str, Any]:
    """``cols`` of ``table`` fetched as rows (in rowid order by default)."""
    if not cols:
        return {}
    row_type = pa.struct(
        [(c.field, pa.float64() if c.kind == _FLOAT else pa.large_string()) for c in cols]
    )
    by = f" ORDER BY {order}" if order else ""
    cur.execute(f"SELECT {', '.join(c.sql for c in cols)} FROM {table}{by}")
    chunks = []
    while rows := cur.fetchmany(_FETCH_ROWS):
        chunks.append(pa.array(rows, type=row_type))
    table_rows = pa.concat_arrays(chunks) if chunks else pa.array([], type=row_type)
    return {c.field: v for c, v in zip(cols, table_rows.flatten(), strict=True)}


# -- any other DB-API driver ------------------------------------------------------------


def _read_rows(dbapi: Any, decoder: Executor) -> dict[str, Any]:  # noqa: ARG001
    """Every column fetched as rows: no database-specific SQL."""
    out: dict[str, Any] = {}
    cur = dbapi.cursor()
    try:
        for table, cols in _TABLES:
            out.update(_fetched(cur, table, cols, order=""))
    finally:
        cur.close()
    return out
