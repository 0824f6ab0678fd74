"""The dashboard's network summary computed from the array snapshot of the tables.

``summarise_index`` gives exactly what ``bundles.summarise`` gives for the same revision
(a test compares them field by field, order included), without building the network as
records: at 1M parts those are several GB and minutes of a worker's first request.
Counts are in ``Counter.most_common`` order (by count, ties in order of first
appearance); id lists in code point order, as Python's ``sorted``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.network import TABLES
from raretrace.domain.parts import PartKind
from raretrace.services.network.bundles import NetworkSummary, summarise
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.services.network.catalogue_snapshot import RARE_MASK, key_per_row
from raretrace.storage.snapshot import TableSnapshot, arrow_text

__all__ = ["summarise_index", "summarise_snapshot"]


def summarise_index(idx: NetworkIndex) -> NetworkSummary:
    """The summary of the index's network, from its snapshot when it has one."""
    if idx.snapshot is not None:
        return summarise_snapshot(idx.snapshot)
    return summarise(idx.network)


def summarise_snapshot(snap: TableSnapshot) -> NetworkSummary:
    parties, parts = snap.columns["parties"], snap.columns["parts"]
    kinds = _most_common(parts["kind"])
    return NetworkSummary(
        counts={t: snap.count(t) for t in TABLES},
        parties_by_country=_most_common(parties["country"]),
        parties_by_role=_roles(parties["roles"]),
        parts_by_kind=kinds,
        bom_depth=_bom_depth(snap),
        declared_rare_earths=_declared(snap),
        product_rare_earths=_products(snap) if PartKind.PRODUCT.value in kinds else {},
    )


def _encoded(col: Any) -> tuple[list[Any], np.ndarray]:
    """(distinct values in order of first appearance, code of each row)."""
    enc = arrow_text(col).dictionary_encode()  # dictionary in order of first appearance
    codes = np.asarray(enc.indices.fill_null(-1).to_numpy(zero_copy_only=False), np.int64)
    values: list[Any] = enc.dictionary.to_pylist()
    if (codes < 0).any():  # NULLs count as None, where they first appear
        values.append(None)
        codes = np.where(codes < 0, len(values) - 1, codes)
    return values, codes


def _tally(col: Any) -> tuple[list[Any], np.ndarray, np.ndarray]:
    """(distinct values, how many rows hold each, the first row holding each)."""
    values, codes = _encoded(col)
    counts = np.bincount(codes, minlength=len(values))
    first = np.full(len(values), len(codes), np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    return values, counts, first


def _most_common(col: Any) -> dict[Any, int]:
    values, counts, first = _tally(col)
    order = np.lexsort((first, -counts))
    return {values[i]: int(counts[i]) for i in order.tolist() if counts[i]}


def _roles(col: Any) -> dict[str, int]:
    """Roles are stored joined by ';'. Walking the distinct strings in order of first
    appearance inserts each role where ``Counter.update`` over the parties would."""
    values, counts, first = _tally(col)
    acc: dict[str, int] = {}
    for i in np.argsort(first, kind="stable").tolist():
        for role in (values[i] or "").split(";"):
            if role:
                acc[role] = acc.get(role, 0) + int(counts[i])
    ranked = sorted(acc.items(), key=lambda kv: -kv[1])  # stable: ties keep first appearance
    return dict(ranked)


def _bom_edges(snap: TableSnapshot) -> tuple[np.ndarray, np.ndarray]:
    """(parent row, child row) of every BOM line whose parts are both in the table."""
    parent = key_per_row(snap, "bom_by_parent")
    child = key_per_row(snap, "bom_by_child")
    ok = (parent >= 0) & (child >= 0)
    return parent[ok], child[ok]


def _bom_depth(snap: TableSnapshot) -> int:
    """Number of BOM levels (a part with no children is level 1), one sweep per level."""
    parent, child = _bom_edges(snap)
    if not len(parent):
        return 0
    by_parent = np.argsort(parent, kind="stable")
    parent, child = parent[by_parent], child[by_parent]
    starts = np.flatnonzero(np.r_[True, parent[1:] != parent[:-1]])
    heads = parent[starts]
    depth = np.ones(snap.count("parts"), np.int64)
    for _ in range(len(depth) + 1):
        deeper = np.maximum.reduceat(depth[child], starts) + 1
        if np.array_equal(deeper, depth[heads]):
            break
        depth[heads] = deeper
    in_bom = np.zeros(len(depth), bool)
    in_bom[parent] = True
    in_bom[child] = True
    return int(depth[in_bom].max())


def _id_rank(snap: TableSnapshot) -> np.ndarray:
    """Rank of each part row when ids are sorted in code point order."""
    order = snap.id_order["parts"]
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    return rank


def _ids(snap: TableSnapshot, rows: np.ndarray) -> list[str]:
    ids = snap.columns["parts"]["part_id"]
    return [ids.get(int(r)) for r in rows.tolist()]


def _declared(snap: TableSnapshot) -> dict[str, list[str]]:
    comp = snap.columns["composition"]
    if not len(comp["element"]):
        return {}
    values, codes = _encoded(comp["element"])
    positive = comp["mass_fraction"].values > 0
    if comp["mass_fraction"].valid is not None:
        positive &= comp["mass_fraction"].valid
    part = key_per_row(snap, "composition_by_part")
    rank = _id_rank(snap)
    code_of = {v: i for i, v in enumerate(values)}
    out: dict[str, list[str]] = {}
    for element in RARE_EARTHS:
        if element not in code_of:
            continue
        rows = np.unique(part[(codes == code_of[element]) & positive & (part >= 0)])
        if len(rows):
            out[element] = _ids(snap, rows[np.argsort(rank[rows])])
    return out


def _products(snap: TableSnapshot) -> dict[str, list[str]]:
    values, codes = _encoded(snap.columns["parts"]["kind"])
    rows = np.flatnonzero(codes == values.index(PartKind.PRODUCT.value))
    rows = rows[np.argsort(_id_rank(snap)[rows])]
    mask = snap.extras[RARE_MASK]
    bits = [(e, 1 << i) for i, e in enumerate(RARE_EARTHS)]
    return {
        pid: [e for e, b in bits if int(m) & b]
        for pid, m in zip(_ids(snap, rows), mask[rows].tolist(), strict=True)
    }
