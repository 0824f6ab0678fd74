"""Classification facts read from the array snapshot of the tables: plain
dictionaries built from the columns in one pass, for sweeps that ask about every part
(a record built per look-up costs more than the whole pass at 1M parts)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import numpy as np

from raretrace.domain.parts import Form, MagnetType, PartKind
from raretrace.storage.snapshot import TableSnapshot, arrow_text

__all__ = ["LazyDict", "Traits", "ValueColumns", "children_of", "declared_of", "traits_of"]

V = TypeVar("V")

#: (kind, form, magnet type): what the rules read of a part itself
Traits = tuple[PartKind, Form, MagnetType]


class LazyDict(Mapping[str, V]):
    """A dictionary built on first use."""

    def __init__(self, build: Callable[[], dict[str, V]]) -> None:
        self._build: Callable[[], dict[str, V]] | None = build
        self._d: dict[str, V] = {}

    def _dict(self) -> dict[str, V]:
        if self._build is not None:
            self._d, self._build = self._build(), None
        return self._d

    def __getitem__(self, key: str) -> V:
        return self._dict()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._dict().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._dict()

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())


def _text(snap: TableSnapshot, table: str, column: str) -> list[Any]:
    return list(arrow_text(snap.columns[table][column]).to_pylist())


def _floats(snap: TableSnapshot, table: str, column: str) -> list[float | None]:
    col = snap.columns[table][column]
    out: list[float | None] = col.values.tolist()
    if col.valid is not None:
        for i in np.flatnonzero(~col.valid).tolist():
            out[i] = None
    return out


def traits_of(snap: TableSnapshot) -> dict[str, Traits]:
    kinds = {k.value: k for k in PartKind}
    forms = {f.value: f for f in Form}
    magnets = {m.value: m for m in MagnetType}
    cols = [_text(snap, "parts", c) for c in ("part_id", "kind", "form", "magnet_type")]
    return {pid: (kinds[k], forms[f], magnets[m]) for pid, k, f, m in zip(*cols, strict=True)}


def declared_of(snap: TableSnapshot) -> dict[str, Mapping[str, float]]:
    """part id -> {element: mass fraction}, lines in table order (as the records)."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    parts, elements = _text(snap, "composition", "part_id"), _text(snap, "composition", "element")
    for p, e, f in zip(parts, elements, _floats(snap, "composition", "mass_fraction"), strict=True):
        out[p][e] = f  # type: ignore[assignment]  # NULL stays None, as in the record
    return dict(out.items())


def children_of(snap: TableSnapshot) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for parent, child in zip(
        _text(snap, "bom", "parent_part_id"), _text(snap, "bom", "child_part_id"), strict=True
    ):
        out[parent].append(child)
    return dict(out)


class ValueColumns(Mapping[str, tuple[Decimal | None, str | None]]):
    """part id -> (unit value, currency), read from the snapshot's two columns into one
    dictionary on first use (the value share asks for every input of every node; a
    record per look-up, or a binary search, costs far more than one pass)."""

    def __init__(self, snap: TableSnapshot) -> None:
        self._snap = snap
        self._by_id: dict[str, tuple[str | None, str | None]] | None = None

    def _table(self) -> dict[str, tuple[str | None, str | None]]:
        if self._by_id is None:
            cols = self._snap.columns["parts"]
            ids, values, currencies = (
                arrow_text(cols[c]).to_pylist() for c in ("part_id", "unit_value", "currency")
            )
            self._by_id = dict(zip(ids, zip(values, currencies, strict=True), strict=True))
        return self._by_id

    def __getitem__(self, key: str) -> tuple[Decimal | None, str | None]:
        value, currency = self._table()[key]
        return (None if value is None else Decimal(value)), currency  # as the record has it

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return self._snap.count("parts")
