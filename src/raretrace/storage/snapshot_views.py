"""Read-only mappings over a ``TableSnapshot``: what ``dict`` look-ups of records gave
(id -> record, id -> the rows referring to it), answered from the arrays."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, ValuesView
from typing import Any, TypeVar

import numpy as np

from raretrace.storage.snapshot import _REFERS, GROUPS, SCHEMA, TableSnapshot

T = TypeVar("T")


class RecordsById(Mapping[str, T]):
    """id -> record of an id table, in table order when iterated."""

    def __init__(self, snap: TableSnapshot, table: str) -> None:
        self._snap, self._table = snap, table

    def __getitem__(self, key: str) -> T:
        row = self._snap.row_of(self._table, key) if isinstance(key, str) else -1
        if row < 0:
            raise KeyError(key)
        rec: T = self._snap.record(self._table, row)
        return rec

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._snap.row_of(self._table, key) >= 0

    def __iter__(self) -> Iterator[str]:
        col = self._snap.columns[self._table][SCHEMA[self._table][0][0]]
        return (col.get(i) for i in range(len(col)))

    def __len__(self) -> int:
        return self._snap.count(self._table)

    def values(self) -> ValuesView[T]:
        return _Records(self)


class _Records(ValuesView[T]):
    """The records of an id table in table order, built as iterated (no look-ups)."""

    _mapping: RecordsById[T]

    def __iter__(self) -> Iterator[T]:
        snap, table = self._mapping._snap, self._mapping._table
        return (snap.record(table, i) for i in range(snap.count(table)))


class RecordsByRef(Mapping[Any, list[Any]]):
    """part/site id (or a (site, part) pair) -> the rows of a table that refer to it,
    in table order; only ids with rows are keys (as a ``defaultdict`` filled in
    table order gave)."""

    def __init__(self, snap: TableSnapshot, group: str) -> None:
        self._snap = snap
        self._table, self._cols = GROUPS[group]
        self._group = snap.groups[group]

    def _key(self, key: Any) -> int:
        snap = self._snap
        if len(self._cols) == 2:
            if not (isinstance(key, tuple) and len(key) == 2):
                return -1
            a, b = key
            if not (isinstance(a, str) and isinstance(b, str)):
                return -1
            ra = snap.row_of(_REFERS[self._cols[0]], a)
            rb = snap.row_of(_REFERS[self._cols[1]], b)
            if ra < 0 or rb < 0:
                return -1
            return ra * max(snap.count("parts"), 1) + rb
        return snap.row_of(_REFERS[self._cols[0]], key) if isinstance(key, str) else -1

    def _rows(self, key: Any) -> np.ndarray:
        k = self._key(key)
        return self._group.rows(k) if k >= 0 else self._group.order[:0]

    def __getitem__(self, key: Any) -> list[Any]:
        rows = self._rows(key)
        if not len(rows):
            raise KeyError(key)
        return self._snap.records(self._table, rows)

    def __contains__(self, key: object) -> bool:
        return bool(len(self._rows(key)))

    def __iter__(self) -> Iterator[Any]:
        snap = self._snap
        keys = self._group.first_seen()
        if len(self._cols) == 2:
            n = max(snap.count("parts"), 1)
            a, b = (_REFERS[c] for c in self._cols)
            ida = snap.columns[a][SCHEMA[a][0][0]]
            idb = snap.columns[b][SCHEMA[b][0][0]]
            return ((ida.get(int(k) // n), idb.get(int(k) % n)) for k in keys)
        ref = _REFERS[self._cols[0]]
        col = snap.columns[ref][SCHEMA[ref][0][0]]
        return (col.get(int(k)) for k in keys)

    def __len__(self) -> int:
        return len(self._group.first_seen())
