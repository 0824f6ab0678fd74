"""The network tables of one revision as arrays: built once per network stamp, kept on
disk as ``.npy`` files and mapped read-only by every process that needs them.

A ``TableSnapshot`` holds every column of every network table in primary-key order (the
order ``NetworkRepository.load`` returns): text as one UTF-8 byte array with offsets,
numbers as ``float64``/``int64``, each with a validity mask where NULLs occur. Records
(``Part``, ``Site``, ``BomLine`` ...) are built only when asked for, one at a time, by
the same conversions the repository applies, so a record read here equals the one
``load()`` gives. Ids are found by binary search in a permutation that sorts them in
code point order; rows referring to a part or site are grouped by it (a stable sort,
so a group lists its rows in table order).

On disk (``save`` / ``load``): one folder per stamp, written into a temporary folder and
renamed into place (atomic; concurrent writers: the first rename wins), with a
``meta.json`` naming every file, its size and its shape. A folder that does not match
its meta data in any way is not used (``load`` returns None and the caller rebuilds).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from raretrace.domain.network import TABLES, Network
from raretrace.storage.records import FAST_COLUMNS, from_row, from_rows

TEXT, FLOAT, INT = "text", "float", "int"
FORMAT = 1

#: Every column of every network table, in the order records are built from.
SCHEMA: dict[str, tuple[tuple[str, str], ...]] = {
    "parties": (
        ("party_id", TEXT), ("name", TEXT), ("country", TEXT), ("roles", TEXT),
        ("military_end_user", INT), ("owner_party_id", TEXT), ("ownership_pct", FLOAT),
        ("notes", TEXT), ("name_zh", TEXT), ("address", TEXT), ("address_zh", TEXT),
        ("uscc", TEXT), ("contact", TEXT), ("telephone", TEXT), ("branch_of_party_id", TEXT),
    ),
    "sites": (
        ("site_id", TEXT), ("party_id", TEXT), ("name", TEXT), ("country", TEXT),
        ("city", TEXT), ("notes", TEXT),
    ),
    "parts": (
        ("part_id", TEXT), ("name", TEXT), ("kind", TEXT), ("uom", TEXT), ("mass_kg", FLOAT),
        ("unit_value", TEXT), ("currency", TEXT), ("hs_code", TEXT), ("form", TEXT),
        ("magnet_type", TEXT), ("notes", TEXT), ("source", TEXT), ("name_zh", TEXT),
    ),
    "composition": (
        ("part_id", TEXT), ("element", TEXT), ("mass_fraction", FLOAT), ("source", TEXT),
    ),
    "bom": (("parent_part_id", TEXT), ("child_part_id", TEXT), ("quantity", FLOAT)),
    "supply": (
        ("supplier_site_id", TEXT), ("part_id", TEXT), ("buyer_site_id", TEXT),
        ("share", FLOAT), ("lead_time_days", INT),
    ),
    "production": (("site_id", TEXT), ("part_id", TEXT), ("units_per_year", FLOAT)),
}  # fmt: skip

#: Where ``unit_value`` stands in a parts row (``FAST_COLUMNS``, which ``SCHEMA``
#: follows for the tables read positionally; a test checks it).
_UNIT_VALUE = FAST_COLUMNS["parts"].index("unit_value")


def cols_of(table: str) -> tuple[str, ...]:
    return tuple(n for n, _ in SCHEMA[table])


#: Tables whose first column is an id looked up by value.
ID_TABLES = ("parties", "sites", "parts")
#: Extras holding a table's ids sorted, as a fixed-width array (binary search in C),
#: kept where no id is longer than this many characters.
SORTED_IDS, SORTED_IDS_UP_TO = "sorted_ids.", 64
#: Groupings: name -> (table, (column referring to a part/site, ...)); a pair of
#: columns groups by (first, second).
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "bom_by_parent": ("bom", ("parent_part_id",)),
    "bom_by_child": ("bom", ("child_part_id",)),
    "composition_by_part": ("composition", ("part_id",)),
    "supply_by_part": ("supply", ("part_id",)),
    "supply_by_buyer": ("supply", ("buyer_site_id", "part_id")),
    "production_by_part": ("production", ("part_id",)),
}
#: Which id table a referring column's values are rows of.
_REFERS = {
    "parent_part_id": "parts", "child_part_id": "parts", "part_id": "parts",
    "buyer_site_id": "sites", "site_id": "sites", "supplier_site_id": "sites",
}  # fmt: skip


class SnapshotError(ValueError):
    """A snapshot folder that does not match its meta data."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column: ``values`` (float64 / int64, or the UTF-8 bytes of text), ``offsets``
    (text only: n + 1 positions in ``values``), ``valid`` (None: no NULLs)."""

    kind: str
    values: np.ndarray
    offsets: np.ndarray | None = None
    valid: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.offsets) - 1 if self.offsets is not None else len(self.values)

    def get(self, i: int) -> Any:
        if self.valid is not None and not self.valid[i]:
            return None
        if self.offsets is not None:
            return self.text_bytes(i).decode("utf-8")
        v = self.values[i]
        return int(v) if self.kind == INT else float(v)

    def text_bytes(self, i: int) -> bytes:
        assert self.offsets is not None
        return bytes(self.values[int(self.offsets[i]) : int(self.offsets[i + 1])])


def column_from_arrow(kind: str, array: Any) -> Column:
    """A pyarrow array (text, float or integer values; NULLs allowed) as a ``Column``."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    n = len(array)
    valid = None
    if array.null_count:
        valid = np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=np.bool_)
    if kind == TEXT:
        a = array.cast(pa.large_string())
        buffers = a.buffers()
        offsets = np.frombuffer(buffers[1], dtype=np.int64)[a.offset : a.offset + n + 1]
        data = (
            np.frombuffer(buffers[2], dtype=np.uint8)
            if buffers[2] is not None
            else np.zeros(0, np.uint8)
        )
        start = int(offsets[0]) if n else 0
        end = int(offsets[-1]) if n else 0
        offs = (offsets - start if start else offsets) if n else np.zeros(1, np.int64)
        return Column(TEXT, data[start:end], offs, valid)  # views of the arrow buffers
    if kind == FLOAT:
        filled = pc.fill_null(array.cast(pa.float64()), np.nan)
        return Column(
            FLOAT, np.array(filled.to_numpy(zero_copy_only=False), np.float64), None, valid
        )
    filled = pc.fill_null(array.cast(pa.int64()), 0)
    return Column(INT, np.array(filled.to_numpy(zero_copy_only=False), np.int64), None, valid)


def arrow_text(col: Column) -> Any:
    """A text column as a pyarrow ``large_string`` array over the same memory."""
    import pyarrow as pa

    assert col.offsets is not None
    validity = None
    nulls = 0
    if col.valid is not None:
        validity = pa.py_buffer(np.packbits(col.valid, bitorder="little"))
        nulls = int(len(col.valid) - col.valid.sum())
    return pa.LargeStringArray.from_buffers(
        len(col), pa.py_buffer(col.offsets), pa.py_buffer(col.values), validity, nulls
    )


@dataclass(frozen=True, slots=True)
class Grouping:
    """Rows of a table grouped by an integer key: ``order`` lists row numbers by key
    (stable: table order within a key), ``keys`` the key of each listed row."""

    order: np.ndarray
    keys: np.ndarray

    def rows(self, key: int) -> np.ndarray:
        lo, hi = np.searchsorted(self.keys, (key, key + 1))
        return self.order[lo:hi]

    def first_seen(self) -> np.ndarray:
        """The keys (>= 0), each once, in the order of their first row in the table."""
        ok = self.keys >= 0
        keys, first = np.unique(self.keys[ok], return_index=True)
        rows = self.order[ok][first]
        return keys[np.argsort(rows, kind="stable")]


class TableSnapshot:
    """Every network table of one stamp as arrays (see the module docstring)."""

    def __init__(
        self,
        stamp: str,
        revision: int,
        columns: dict[str, dict[str, Column]],
        id_order: dict[str, np.ndarray],
        groups: dict[str, Grouping],
        extras: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.stamp = stamp
        self.revision = revision
        self.columns = columns
        self.id_order = id_order
        self.groups = groups
        self.extras: dict[str, np.ndarray] = dict(extras or {})

    # -- building ---------------------------------------------------------------------

    @classmethod
    def build(
        cls, stamp: str, revision: int, tables: Mapping[str, Mapping[str, Any]]
    ) -> TableSnapshot:
        """From pyarrow arrays (``tables[table][column]``, rows in primary-key order)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        columns = {
            table: {name: column_from_arrow(kind, tables[table][name]) for name, kind in cols}
            for table, cols in SCHEMA.items()
        }
        id_order = {}
        ids = {}
        extras: dict[str, np.ndarray] = {}
        for table in ID_TABLES:
            first = SCHEMA[table][0][0]
            ids[table] = arrow_text(columns[table][first])
            order = pc.sort_indices(ids[table]) if len(ids[table]) else pa.array([], pa.uint64())
            id_order[table] = np.asarray(order.to_numpy(zero_copy_only=False), dtype=np.int64)
            longest = pc.max(pc.utf8_length(ids[table])).as_py() if len(ids[table]) else 0
            if longest <= SORTED_IDS_UP_TO:  # then also as one fixed-width array
                values = ids[table].take(order).to_numpy(zero_copy_only=False)
                extras[f"{SORTED_IDS}{table}"] = values.astype(f"U{max(longest, 1)}")

        # Rows referred to, by (table, column): one ``index_in`` per id table (it hashes
        # the ids once), over all the columns referring to it.
        wanted = sorted({(t, c) for t, cols in GROUPS.values() for c in cols})
        refs: dict[tuple[str, str], np.ndarray] = {}
        for target in ID_TABLES:
            which = [(t, c) for t, c in wanted if _REFERS[c] == target]
            if not which:
                continue
            arrays = [arrow_text(columns[t][c]) for t, c in which]
            found = pc.index_in(
                pa.chunked_array(arrays, type=pa.large_string()), value_set=ids[target]
            )
            rows = np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), np.int64)
            ends = np.cumsum([len(a) for a in arrays])[:-1]
            refs.update(zip(which, np.split(rows, ends), strict=True))

        groups = {}
        n_parts = len(columns["parts"]["part_id"])
        for name, (table, cols) in GROUPS.items():
            key = refs[(table, cols[0])]
            if len(cols) == 2:
                second = refs[(table, cols[1])]
                key = np.where((key >= 0) & (second >= 0), key * max(n_parts, 1) + second, -1)
            order = np.argsort(key, kind="stable")
            groups[name] = Grouping(order.astype(np.int64), key[order])
        return cls(stamp, revision, columns, id_order, groups, extras)

    # -- records ----------------------------------------------------------------------

    def count(self, table: str) -> int:
        return len(self.columns[table][SCHEMA[table][0][0]])

    def value(self, table: str, column: str, row: int) -> Any:
        return self.columns[table][column].get(row)

    def row_of(self, table: str, key: str) -> int:
        """The row of id ``key`` in ``table`` (parties, sites, parts), or -1."""
        order = self.id_order[table]
        fixed = self.extras.get(SORTED_IDS + table)
        if fixed is not None:
            at = int(np.searchsorted(fixed, key))
            return int(order[at]) if at < len(fixed) and fixed[at] == key else -1
        col = self.columns[table][SCHEMA[table][0][0]]
        want = key.encode("utf-8", "surrogatepass")
        lo, hi = 0, len(order)
        while lo < hi:
            mid = (lo + hi) // 2
            if col.text_bytes(int(order[mid])) < want:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(order) and col.text_bytes(int(order[lo])) == want:
            return int(order[lo])
        return -1

    def record(self, table: str, row: int) -> Any:
        """Row ``row`` of ``table`` as the domain record ``load()`` builds for it."""
        cols = self.columns[table]
        v = [cols[name].get(row) for name, _ in SCHEMA[table]]
        if table in FAST_COLUMNS:  # same column order as the repository's positional read
            if table == "parts" and v[_UNIT_VALUE] is not None:
                v[_UNIT_VALUE] = Decimal(v[_UNIT_VALUE])  # kept as its text here
            return from_rows(table, (v,))[0]
        return from_row(table, SimpleNamespace(**dict(zip(cols_of(table), v, strict=True))))

    def records(self, table: str, rows: Sequence[int] | np.ndarray) -> list[Any]:
        return [self.record(table, int(r)) for r in rows]

    def network(self) -> Network:
        """Every table as records: the ``Network`` that ``load()`` returns."""
        net = Network()
        for table in TABLES:
            setattr(net, table, self.records(table, range(self.count(table))))
        return net

    # -- disk -------------------------------------------------------------------------

    def save(self, folder: Path) -> bool:
        """Write to ``folder`` atomically (a temporary folder renamed into place);
        False when another process wrote it first or it cannot be written."""
        try:
            tmp = Path(tempfile.mkdtemp(prefix=".tmp-snapshot-", dir=folder.parent))
        except OSError:
            return False
        try:
            files: dict[str, Any] = {}

            def put(name: str, array: np.ndarray) -> None:
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
                files[name] = [
                    os.path.getsize(tmp / f"{name}.npy"),
                    list(array.shape),
                    array.dtype.str,
                ]

            for table, cols in self.columns.items():
                for name, col in cols.items():
                    put(f"{table}.{name}.values", col.values)
                    if col.offsets is not None:
                        put(f"{table}.{name}.offsets", col.offsets)
                    if col.valid is not None:
                        put(f"{table}.{name}.valid", col.valid)
            for table, order in self.id_order.items():
                put(f"id.{table}", order)
            for name, g in self.groups.items():
                put(f"group.{name}.order", g.order)
                put(f"group.{name}.keys", g.keys)
            for name, array in self.extras.items():
                put(f"extra.{name}", array)
            meta = {
                "format": FORMAT,
                "stamp": self.stamp,
                "revision": self.revision,
                "rows": {t: self.count(t) for t in SCHEMA},
                "files": files,
            }
            (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            os.replace(tmp, folder)
            return True
        except (OSError, ValueError):  # no space, or another process renamed first
            shutil.rmtree(tmp, ignore_errors=True)
            return False

    @classmethod
    def load(cls, folder: Path, stamp: str) -> TableSnapshot | None:
        """The snapshot in ``folder`` if it is complete, consistent and of ``stamp``."""
        try:
            return cls._load(folder, stamp)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    @classmethod
    def _load(cls, folder: Path, stamp: str) -> TableSnapshot:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("stamp") != stamp:
            raise SnapshotError("another format or stamp")
        files = meta["files"]

        def get(name: str) -> np.ndarray:
            size, shape, dtype = files[name]
            path = folder / f"{name}.npy"
            if os.path.getsize(path) != size:
                raise SnapshotError(f"{path.name}: size")
            array: np.ndarray = np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)
            if list(array.shape) != shape or array.dtype.str != dtype:
                raise SnapshotError(f"{path.name}: shape or type")
            return array

        def opt(name: str) -> np.ndarray | None:
            return get(name) if name in files else None

        rows = meta["rows"]
        columns: dict[str, dict[str, Column]] = {}
        for table, cols in SCHEMA.items():
            n = int(rows[table])
            columns[table] = {}
            for name, kind in cols:
                prefix = f"{table}.{name}"
                col = Column(
                    kind, get(prefix + ".values"), opt(prefix + ".offsets"), opt(prefix + ".valid")
                )
                _check(col, n, prefix)
                columns[table][name] = col
        id_order = {t: get(f"id.{t}") for t in ID_TABLES}
        for t in ID_TABLES:
            if len(id_order[t]) != rows[t]:
                raise SnapshotError(f"id.{t}: length")
        groups = {}
        for name, (table, _) in GROUPS.items():
            g = Grouping(get(f"group.{name}.order"), get(f"group.{name}.keys"))
            if len(g.order) != rows[table] or len(g.keys) != rows[table]:
                raise SnapshotError(f"group.{name}: length")
            groups[name] = g
        extras = {n[len("extra.") :]: get(n) for n in files if n.startswith("extra.")}
        for t in ID_TABLES:
            if SORTED_IDS + t in extras and len(extras[SORTED_IDS + t]) != rows[t]:
                raise SnapshotError(f"{SORTED_IDS}{t}: length")
        return cls(stamp, int(meta["revision"]), columns, id_order, groups, extras)


def _check(col: Column, n: int, name: str) -> None:
    if col.kind == TEXT:
        if col.offsets is None or len(col.offsets) != n + 1:
            raise SnapshotError(f"{name}: offsets")
        if n and (int(col.offsets[0]) != 0 or int(col.offsets[-1]) != len(col.values)):
            raise SnapshotError(f"{name}: offsets do not span the text")
    elif len(col.values) != n:
        raise SnapshotError(f"{name}: length")
    if col.valid is not None and len(col.valid) != n:
        raise SnapshotError(f"{name}: validity")
