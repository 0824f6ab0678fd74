"""``NetworkIndex`` over an array snapshot of the network tables (one per revision,
mapped from the workspace's disk cache and shared by every process on the host).

The index answers the same look-ups as one built from a ``Network`` (a test compares
every mapping on the sample world) without holding the network as records: a record
is built when it is looked up. The rare earths declared in or below each part are one
bit mask per part (``snapshot_extras``, computed once when the snapshot is built and
stored with it). ``list_parts`` filters the part columns with vectorised operations.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

import numpy as np

from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.network import Network
from raretrace.domain.parts import PartKind
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.storage.snapshot import TableSnapshot
from raretrace.storage.snapshot_views import RecordsById, RecordsByRef

__all__ = [
    "RareEarths",
    "cross_border_links",
    "index_of_snapshot",
    "key_per_row",
    "list_part_rows",
    "planned_product_ids",
    "snapshot_extras",
    "supply_from",
]

_BIT = {e: 1 << i for i, e in enumerate(RARE_EARTHS)}
RARE_MASK = "rare_earths_below"


def snapshot_extras(snap: TableSnapshot) -> dict[str, np.ndarray]:
    """Arrays derived from the tables that the index needs: per part row, the bits
    (``RARE_EARTHS`` order) of the rare earths declared with a positive fraction in the
    part or in any part below it in the BOM."""
    from raretrace.storage.snapshot import arrow_text

    n = snap.count("parts")
    comp = snap.columns["composition"]
    rows_by_part = key_per_row(snap, "composition_by_part")
    element = arrow_text(comp["element"]).dictionary_encode()
    bits_of = np.array([_BIT.get(e, 0) for e in element.dictionary.to_pylist()], np.uint32)
    codes = np.asarray(element.indices.to_numpy(zero_copy_only=False))
    bits = bits_of[codes] if len(codes) else np.zeros(0, np.uint32)
    fraction = comp["mass_fraction"].values
    valid = comp["mass_fraction"].valid
    positive = fraction > 0
    if valid is not None:
        positive &= valid
    keep = positive & (bits > 0) & (rows_by_part >= 0)
    own = np.zeros(n, np.uint32)
    np.bitwise_or.at(own, rows_by_part[keep], bits[keep])
    # Up the BOM until nothing changes (one step per BOM level).
    parent = key_per_row(snap, "bom_by_parent")
    child = key_per_row(snap, "bom_by_child")
    ok = (parent >= 0) & (child >= 0)
    parent, child = parent[ok], child[ok]
    by_parent = np.argsort(parent, kind="stable")
    parent, child = parent[by_parent], child[by_parent]
    starts = np.flatnonzero(np.r_[True, parent[1:] != parent[:-1]]) if len(parent) else parent
    below = own.copy()
    for _ in range(n + 1):
        if not len(parent):
            break
        reduced = np.bitwise_or.reduceat(below[child], starts)
        heads = parent[starts]
        merged = below[heads] | reduced
        if np.array_equal(merged, below[heads]):
            break
        below[heads] = merged
    return {RARE_MASK: below}


def key_per_row(snap: TableSnapshot, group: str) -> np.ndarray:
    """The key (row of the part or site referred to) of every row of the group's table."""
    g = snap.groups[group]
    key = np.empty(len(g.order), np.int64)
    key[g.order] = g.keys
    return key


class RareEarths(Mapping[str, tuple[str, ...]]):
    """part id -> rare earths in or below it (only parts that have some)."""

    def __init__(self, snap: TableSnapshot) -> None:
        self._snap = snap
        self._mask = snap.extras[RARE_MASK]

    def __getitem__(self, key: str) -> tuple[str, ...]:
        row = self._snap.row_of("parts", key) if isinstance(key, str) else -1
        bits = int(self._mask[row]) if row >= 0 else 0
        if not bits:
            raise KeyError(key)
        return tuple(e for e in RARE_EARTHS if bits & _BIT[e])

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        row = self._snap.row_of("parts", key)
        return row >= 0 and bool(self._mask[row])

    def __iter__(self) -> Iterator[str]:
        ids = self._snap.columns["parts"]["part_id"]
        return (ids.get(int(i)) for i in np.flatnonzero(self._mask))

    def __len__(self) -> int:
        return int(np.count_nonzero(self._mask))


def index_of_snapshot(snap: TableSnapshot, network: Callable[[], Network]) -> NetworkIndex:
    """An index whose look-ups read ``snap`` (built with ``snapshot_extras``);
    ``network`` loads the whole network if a view asks for ``idx.network``."""
    return NetworkIndex(
        snap.revision, network, parts=RecordsById(snap, "parts"),
        sites=RecordsById(snap, "sites"), parties=RecordsById(snap, "parties"),
        children=RecordsByRef(snap, "bom_by_parent"), parents=RecordsByRef(snap, "bom_by_child"),
        composition=RecordsByRef(snap, "composition_by_part"),
        supply_by_part=RecordsByRef(snap, "supply_by_part"),
        supply_by_buyer=RecordsByRef(snap, "supply_by_buyer"),
        production_by_part=RecordsByRef(snap, "production_by_part"),
        rare_earths=RareEarths(snap), snapshot=snap,
    )  # fmt: skip


def list_part_rows(
    snap: TableSnapshot,
    *,
    kind: PartKind | None,
    needle: str,
    rare_earths_only: bool,
    element: str,
) -> np.ndarray:
    """Rows of the parts that pass the filters of ``catalogue.list_parts``, by part id
    (code point order). ``needle`` is already stripped and lower-cased; ids and names
    are lower-cased as Python does (by Arrow for ASCII text, else by Python)."""
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    from raretrace.storage.snapshot import arrow_text

    cols = snap.columns["parts"]
    n = snap.count("parts")
    keep = np.ones(n, dtype=bool)
    if kind is not None:
        keep &= _bools(pc.equal(arrow_text(cols["kind"]), kind.value))
    if rare_earths_only:
        keep &= snap.extras[RARE_MASK] != 0
    if element:
        comp = snap.columns["composition"]
        hit = _bools(pc.equal(arrow_text(comp["element"]), element))
        hit &= comp["mass_fraction"].values > 0
        if comp["mass_fraction"].valid is not None:
            hit &= comp["mass_fraction"].valid
        rows = key_per_row(snap, "composition_by_part")[hit]
        declares = np.zeros(n, dtype=bool)
        declares[rows[rows >= 0]] = True
        keep &= declares
    if needle:
        keep &= _contains(cols["part_id"], needle, keep) | _contains(cols["name"], needle, keep)
    order = snap.id_order["parts"]
    found: np.ndarray = order[keep[order]]
    return found


def _bools(array: Any) -> np.ndarray:
    import pyarrow.compute as pc

    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _contains(col: Any, needle: str, rows: np.ndarray) -> np.ndarray:
    """Which values hold ``needle`` once lower-cased (only ``rows`` are looked at)."""
    import pyarrow.compute as pc

    from raretrace.storage.snapshot import arrow_text

    text = arrow_text(col)
    ascii_ = _bools(pc.string_is_ascii(text))
    found = np.zeros(len(col), dtype=bool)
    if needle.isascii():
        found = _bools(pc.match_substring(pc.ascii_lower(text), needle)) & ascii_
    for i in np.flatnonzero(rows & ~ascii_).tolist():
        value = col.get(i)
        found[i] = value is not None and needle in value.lower()
    return found


def cross_border_links(snap: TableSnapshot) -> list[tuple[str, str, str]]:
    """(part, supplier site, buyer site) of every supply link whose two sites are in
    different countries, in table order (as ``Network.supply``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from raretrace.storage.snapshot import arrow_text

    sites, supply = snap.columns["sites"], snap.columns["supply"]
    if not len(supply["part_id"]):
        return []
    ids = arrow_text(sites["site_id"])
    country = arrow_text(sites["country"]).dictionary_encode()
    codes = np.asarray(country.indices.to_numpy(zero_copy_only=False), np.int64)

    def country_of(column: str) -> np.ndarray:
        row = pc.index_in(arrow_text(supply[column]), value_set=ids)
        if row.null_count:  # the foreign keys rule this out
            raise ValueError(f"a supply link names a site that is not in the snapshot ({column})")
        return codes[np.asarray(row.to_numpy(zero_copy_only=False), np.int64)]

    keep = pa.array(country_of("supplier_site_id") != country_of("buyer_site_id"))
    part, supplier, buyer = (
        arrow_text(supply[c]).filter(keep).to_pylist()
        for c in ("part_id", "supplier_site_id", "buyer_site_id")
    )
    return list(zip(part, supplier, buyer, strict=True))


def supply_from(snap: TableSnapshot, site_ids: Collection[str]) -> list[Any]:
    """The supply links (records, in table order) whose supplier is one of ``site_ids``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from raretrace.storage.snapshot import arrow_text

    supplier = arrow_text(snap.columns["supply"]["supplier_site_id"])
    if not len(supplier) or not site_ids:
        return []
    wanted = pa.array(sorted(site_ids), pa.large_string())
    hit = pc.fill_null(pc.is_in(supplier, value_set=wanted), False)
    rows = np.flatnonzero(np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool))
    return snap.records("supply", rows)


def planned_product_ids(snap: TableSnapshot) -> list[str]:
    """Ids of the products with a production plan row, in code point order."""
    from raretrace.storage.snapshot import arrow_text

    planned = set(arrow_text(snap.columns["production"]["part_id"]).to_pylist())
    rows = list_part_rows(
        snap, kind=PartKind.PRODUCT, needle="", rare_earths_only=False, element=""
    )
    ids = snap.columns["parts"]["part_id"]
    return [pid for pid in (ids.get(int(r)) for r in rows) if pid in planned]
