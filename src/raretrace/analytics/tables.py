"""Build ``NetworkArrays`` from the network tables given as id columns.

Storage reads columns (``storage.sql.columns``, as pyarrow arrays) and the services
convert in-memory ``Network`` records (``columns_of``, as lists); both end here, so ids
are mapped to indices in one place and a dangling reference is reported with the ids
involved. The mapping is vectorised (pyarrow): ids are sorted in code point order (as
Python sorts ``str``) and references are looked up with ``index_in``; categorical
columns (kind, country, currency, ...) are dictionary-encoded and only their few
distinct values are mapped in Python.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from raretrace.analytics.arrow_texts import texts_to_numpy
from raretrace.analytics.matrices import KINDS, NAMED, NetworkArrays
from raretrace.domain.network import Network
from raretrace.domain.parts import MagnetType, PartKind
from raretrace.errors import NetworkError

#: A column: a sequence of values (``None`` = not given) or a pyarrow array of them.
Column: TypeAlias = Sequence[Any] | pa.Array


@dataclass(slots=True)
class TableColumns:
    """The network tables column by column (as read from a database or a file).

    Each column is a list/tuple or a pyarrow array. Text columns hold ``str``; float
    columns ``float``, ``None`` or NaN (both mean "not given"); ``part_value`` is a
    ``Decimal``, numeric text or ``None``; ``part_currency`` is ``None`` or ``""`` where
    there is none.
    """

    party_id: Column = field(default_factory=list)
    party_country: Column = field(default_factory=list)
    site_id: Column = field(default_factory=list)
    site_party: Column = field(default_factory=list)
    site_country: Column = field(default_factory=list)
    part_id: Column = field(default_factory=list)
    part_kind: Column = field(default_factory=list)
    part_uom: Column = field(default_factory=list)
    part_mass_kg: Column = field(default_factory=list)
    part_value: Column = field(default_factory=list)
    part_currency: Column = field(default_factory=list)
    part_magnet_type: Column = field(default_factory=list)
    comp_part: Column = field(default_factory=list)
    comp_element: Column = field(default_factory=list)
    comp_fraction: Column = field(default_factory=list)
    bom_parent: Column = field(default_factory=list)
    bom_child: Column = field(default_factory=list)
    bom_qty: Column = field(default_factory=list)
    sup_supplier: Column = field(default_factory=list)
    sup_part: Column = field(default_factory=list)
    sup_buyer: Column = field(default_factory=list)
    sup_share: Column = field(default_factory=list)
    prod_site: Column = field(default_factory=list)
    prod_part: Column = field(default_factory=list)
    prod_units: Column = field(default_factory=list)


def columns_of(net: Network) -> TableColumns:
    """The columns of an in-memory network."""
    return TableColumns(
        party_id=[p.party_id for p in net.parties],
        party_country=[p.country for p in net.parties],
        site_id=[s.site_id for s in net.sites],
        site_party=[s.party_id for s in net.sites],
        site_country=[s.country for s in net.sites],
        part_id=[p.part_id for p in net.parts],
        part_kind=[p.kind.value for p in net.parts],
        part_uom=[p.uom for p in net.parts],
        part_mass_kg=[p.mass_kg for p in net.parts],
        part_value=[p.unit_value for p in net.parts],
        part_currency=[p.currency for p in net.parts],
        part_magnet_type=[p.magnet_type.value for p in net.parts],
        comp_part=[c.part_id for c in net.composition],
        comp_element=[c.element for c in net.composition],
        comp_fraction=[c.mass_fraction for c in net.composition],
        bom_parent=[b.parent_part_id for b in net.bom],
        bom_child=[b.child_part_id for b in net.bom],
        bom_qty=[b.quantity for b in net.bom],
        sup_supplier=[s.supplier_site_id for s in net.supply],
        sup_part=[s.part_id for s in net.supply],
        sup_buyer=[s.buyer_site_id for s in net.supply],
        sup_share=[s.share for s in net.supply],
        prod_site=[p.site_id for p in net.production],
        prod_part=[p.part_id for p in net.production],
        prod_units=[p.units_per_year for p in net.production],
    )


def _text(values: Column) -> Any:
    """``values`` as one contiguous pyarrow text array (``large_string``)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values if values.type == pa.large_string() else values.cast(pa.large_string())
    return pa.array(values, type=pa.large_string())


def _floats(values: Column) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Floats, ``None`` -> NaN (``Decimal`` and numeric text are parsed, correctly
    rounded as ``float()`` does)."""
    if not isinstance(values, pa.Array | pa.ChunkedArray):
        return np.array(values, dtype=np.float64) if len(values) else np.zeros(0, np.float64)
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        try:
            values = values.cast(pa.float64())
        except pa.ArrowInvalid:  # text Arrow does not read; let Python say what is wrong
            return _floats(values.to_pylist())
    values = pc.fill_null(values.cast(pa.float64()), np.nan)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    out: np.ndarray[Any, np.dtype[np.float64]] = values.to_numpy(
        zero_copy_only=False, writable=True
    )
    return out


def _coded(values: Column, code: Callable[[Any], Any], dtype: type) -> np.ndarray[Any, Any]:
    """``code(value)`` for every value of a column with few distinct values: ``code``
    is called once per distinct value (``None`` included), then spread by index."""
    enc = pc.dictionary_encode(_text(values), null_encoding="encode")
    table: np.ndarray[Any, Any] = np.array([code(v) for v in enc.dictionary.to_pylist()], dtype)
    out: np.ndarray[Any, Any] = table[enc.indices.to_numpy(zero_copy_only=False)]
    return out


def _distinct(*columns: Column) -> list[Any]:
    """The distinct values of the columns (``None`` included if present)."""
    seen: set[Any] = set()
    for values in columns:
        seen.update(pc.unique(_text(values)).to_pylist())
    return list(seen)


@dataclass(frozen=True, slots=True)
class _Ids:
    """One id column, sorted: the ids as pyarrow and numpy arrays, and the order."""

    sorted: Any  # pa.LargeStringArray
    order: np.ndarray[Any, np.dtype[np.int64]]  # sorted = ids[order]
    array: np.ndarray[Any, np.dtype[np.str_]]

    @classmethod
    def of(cls, values: Column) -> _Ids:
        ids = _text(values)
        order = pc.sort_indices(ids)  # stable; UTF-8 byte order = code point order
        ordered = ids.take(order)
        return cls(ordered, order.to_numpy().astype(np.int64), texts_to_numpy(ordered))


#: The reference columns: (field of ``TableColumns``, kind of id it refers to), in the
#: order their dangling ids are reported.
_REFERENCES = (
    ("site_party", "party"),
    ("comp_part", "part"),
    ("bom_parent", "part"),
    ("bom_child", "part"),
    ("sup_supplier", "site"),
    ("sup_part", "part"),
    ("sup_buyer", "site"),
    ("prod_site", "site"),
    ("prod_part", "part"),
)


def _references(
    cols: TableColumns, ids: Mapping[str, Any]
) -> dict[str, np.ndarray[Any, np.dtype[np.int32]]]:
    """Index of every reference in the sorted ids of its kind (-1 = dangling), by field
    of ``cols``. All columns referring to one kind are looked up in one ``index_in``
    call, which hashes the ids once; a value equal to the one in the row before
    (composition and BOM lines come grouped by part, supply links by supplier) is not
    looked up again. Kinds are looked up in two threads (pyarrow releases the GIL): parts
    in one, sites and parties in the other. Raises ``NetworkError`` naming dangling
    ids."""
    out: dict[str, np.ndarray[Any, np.dtype[np.int32]]] = {}
    missing: dict[str, list[str]] = {}
    kinds = sorted(ids, key=lambda kind: kind != "part")  # the biggest first
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="references") as pool:
        for found, dangling in pool.map(lambda k: _lookup(cols, k, ids[k]), kinds):
            out.update(found)
            missing.update(dangling)
    problems = []
    for name, kind in _REFERENCES:
        if name in missing:
            names = missing[name]
            more = f" (and {len(names) - NAMED} more)" if len(names) > NAMED else ""
            problems.append(f"unknown {kind}(s) {', '.join(map(repr, names[:NAMED]))}{more}")
    if problems:
        raise NetworkError("dangling references: " + "; ".join(problems))
    return out


def _lookup(
    cols: TableColumns, kind: str, value_set: Any
) -> tuple[dict[str, np.ndarray[Any, np.dtype[np.int32]]], dict[str, list[str]]]:
    """The references to ``kind`` (see ``_references``), and their dangling ids."""
    out: dict[str, np.ndarray[Any, np.dtype[np.int32]]] = {}
    missing: dict[str, list[str]] = {}
    names = [name for name, k in _REFERENCES if k == kind]
    columns = [_text(getattr(cols, name)) for name in names]
    heads = [_run_heads(column) for column in columns]
    found = pc.index_in(
        pa.chunked_array(
            [c.filter(h) if h is not None else c for c, h in zip(columns, heads, strict=True)],
            type=pa.large_string(),
        ),
        value_set=value_set,
    )
    idx = pc.fill_null(found, -1).to_numpy().astype(np.int32)
    ends = np.cumsum(
        [len(c) if h is None else int(h.sum()) for c, h in zip(columns, heads, strict=True)]
    )
    for name, column, head, part in zip(
        names, columns, heads, np.split(idx, ends[:-1]), strict=True
    ):
        if head is not None:  # spread each run's index over the run
            part = part[np.cumsum(head) - 1]
        out[name] = part
        if found.null_count and (part < 0).any():
            dangling = column.filter(pa.array(part < 0))
            missing[name] = sorted(pc.unique(dangling).to_pylist())
    return out, missing


def _run_heads(column: Any) -> np.ndarray[Any, np.dtype[np.bool_]] | None:
    """Where a value differs from the one before (the first value always does); None
    where runs are too short to be worth it (fewer than ~1 in 8 values repeat)."""
    n = len(column)
    if n < 2:
        return None
    head = np.ones(n, np.bool_)
    same = pc.equal(column.slice(1), column.slice(0, n - 1))
    head[1:] = ~pc.fill_null(same, False).to_numpy(zero_copy_only=False)
    return head if head.sum() < n * 7 // 8 else None


def release_memory() -> None:
    """Give memory freed after the read back to the system before compiling: what
    pyarrow's pool keeps (the columns read, ~0.5 GB at 1M parts), and on glibc what
    the reading threads' malloc arenas keep (~0.3 GB of decoding buffers on PostgreSQL),
    which the compiler's thread would not reuse."""
    pa.default_memory_pool().release_unused()
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def build_arrays(cols: TableColumns) -> NetworkArrays:
    """Map ids to indices (sorted id arrays) and decode the categorical columns.

    The ids of parts are sorted beside those of sites and parties, and the columns of
    values are decoded beside the look-up of references (``_references``): pyarrow and
    numpy release the GIL, so the two cores share the work.

    Raises ``NetworkError`` naming the ids of dangling references.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="build-arrays") as pool:
        small = pool.submit(lambda: (_Ids.of(cols.party_id), _Ids.of(cols.site_id)))
        parts = _Ids.of(cols.part_id)
        parties, sites = small.result()
        values = pool.submit(_values, cols)
        ref = _references(
            cols, {"party": parties.sorted, "site": sites.sorted, "part": parts.sorted}
        )
        v = values.result()
    p_order, s_order, t_order = parties.order, sites.order, parts.order
    return NetworkArrays(
        party_ids=parties.array,
        party_country=v.party_country[p_order],
        site_ids=sites.array,
        site_party=ref["site_party"][s_order],
        site_country=v.site_country[s_order],
        countries=v.countries,
        part_ids=parts.array,
        part_kind=v.part_kind[t_order],
        part_magnet=v.part_magnet[t_order],
        part_mass_kg=v.part_mass_kg[t_order],
        part_value=v.part_value[t_order],
        part_currency=v.part_currency[t_order],
        currencies=v.currencies,
        elements=v.elements,
        comp_part=ref["comp_part"],
        comp_element=v.comp_element,
        comp_fraction=v.comp_fraction,
        bom_parent=ref["bom_parent"],
        bom_child=ref["bom_child"],
        bom_qty=v.bom_qty,
        sup_supplier=ref["sup_supplier"],
        sup_part=ref["sup_part"],
        sup_buyer=ref["sup_buyer"],
        sup_share=v.sup_share,
        prod_site=ref["prod_site"],
        prod_part=ref["prod_part"],
        prod_units=v.prod_units,
    )


@dataclass(frozen=True, slots=True)
class _Values:
    """The columns of values, decoded, in row order (rows of parties, sites and parts
    not yet in id order)."""

    countries: tuple[str, ...]
    party_country: np.ndarray[Any, np.dtype[np.int32]]
    site_country: np.ndarray[Any, np.dtype[np.int32]]
    part_kind: np.ndarray[Any, np.dtype[np.int8]]
    part_magnet: np.ndarray[Any, np.dtype[np.bool_]]
    part_mass_kg: np.ndarray[Any, np.dtype[np.float64]]
    part_value: np.ndarray[Any, np.dtype[np.float64]]
    part_currency: np.ndarray[Any, np.dtype[np.int32]]
    currencies: tuple[str, ...]
    elements: tuple[str, ...]
    comp_element: np.ndarray[Any, np.dtype[np.int32]]
    comp_fraction: np.ndarray[Any, np.dtype[np.float64]]
    bom_qty: np.ndarray[Any, np.dtype[np.float64]]
    sup_share: np.ndarray[Any, np.dtype[np.float64]]
    prod_units: np.ndarray[Any, np.dtype[np.float64]]


def _values(cols: TableColumns) -> _Values:
    countries = tuple(sorted(_distinct(cols.party_country, cols.site_country)))
    c_index = {c: i for i, c in enumerate(countries)}
    kind_code = {k.value: i for i, k in enumerate(KINDS)}
    kinds = _coded(cols.part_kind, kind_code.__getitem__, np.int8)
    none_type = MagnetType.NONE.value
    magnet = (kinds == KINDS.index(PartKind.MAGNET)) | _coded(
        cols.part_magnet_type, lambda v: v != none_type, np.bool_
    )
    mass = _floats(cols.part_mass_kg)
    uom_kg = _coded(cols.part_uom, lambda u: u.strip().lower() == "kg", np.bool_)
    mass = np.where(np.isnan(mass) & uom_kg, 1.0, mass) if len(mass) else mass
    currencies = tuple(sorted(c for c in _distinct(cols.part_currency) if c))
    cur_index: Mapping[str | None, int] = {c: i for i, c in enumerate(currencies)}
    elements = tuple(sorted(_distinct(cols.comp_element)))
    e_index = {e: i for i, e in enumerate(elements)}
    return _Values(
        countries=countries,
        party_country=_coded(cols.party_country, c_index.__getitem__, np.int32),
        site_country=_coded(cols.site_country, c_index.__getitem__, np.int32),
        part_kind=kinds,
        part_magnet=magnet,
        part_mass_kg=mass,
        part_value=_floats(cols.part_value),
        part_currency=_coded(cols.part_currency, lambda c: cur_index.get(c, -1), np.int32),
        currencies=currencies,
        elements=elements,
        comp_element=_coded(cols.comp_element, e_index.__getitem__, np.int32),
        comp_fraction=_floats(cols.comp_fraction),
        bom_qty=_floats(cols.bom_qty),
        sup_share=_floats(cols.sup_share),
        prod_units=_floats(cols.prod_units),
    )
