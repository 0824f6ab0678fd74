"""Compile a supply network into CSR matrices over (site, part) nodes.

Input is ``NetworkArrays``: every network table as integer-coded numpy columns (ids are
indices into sorted id arrays). ``compile_network`` turns it into a
``CompiledNetwork``:

- **nodes**: every (site, part) where the site produces the part (a production row, or
  being the supplier of a supply link), ordered by *level* (0 = no inputs) so that every
  input of a node has a smaller index than the node itself;
- **forward matrix** ``A`` (CSR, node -> input nodes): ``A[n, m]`` is the number of units
  of ``m`` that go into one unit of ``n``, i.e. BOM ``quantity`` times the supply
  ``share`` of the link that brings the child part from ``m``'s site;
- the **reverse matrix** ``A^T`` (CSR, node -> the nodes that use it).

Sourcing rule for node (S, P) and BOM line (P -> C, q): the supply links into S for C
split q by their shares; if S produces C itself, S covers the rest (1 - sum of shares).
If S does not produce C and the shares sum to less than one, the shares are normalised
(the unknown remainder is assumed to look like the known part) and the need is reported
as *partially sourced*. A need with no supply link at all is sourced from a stand-in
``UNKNOWN`` site (country ``??``) that makes the part and its BOM descendants: content
still rolls up from the part's BOM and compositions, and the origin says "unknown".
Supply links whose shares are all zero are a ``NetworkError``.

Resale: when the site of node (S, P) has no production row for P but is itself
supplied with P (a trader or distributor that buys P and sells it on), the node's
inputs are P from those suppliers, split by their normalised shares, instead of P's
BOM. Such a *pass-through* node is never an entry point: origin looks through it to the
site that made the material. (A site with a production row for P makes what it sells;
the P it also buys goes into its own BOM needs, as above.)
"""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from raretrace.analytics.csr import csr, spans
from raretrace.analytics.kernels import jitted
from raretrace.analytics.key_lookup import KeyLookup
from raretrace.domain.parts import PartKind
from raretrace.errors import NetworkError

I32 = NDArray[np.int32]
I64 = NDArray[np.int64]
I8 = NDArray[np.int8]
F64 = NDArray[np.float64]
Bool = NDArray[np.bool_]
Str = NDArray[np.str_]

#: Codes of ``NetworkArrays.part_kind``.
KINDS: tuple[PartKind, ...] = tuple(PartKind)
PRODUCT = KINDS.index(PartKind.PRODUCT)
MAGNET = KINDS.index(PartKind.MAGNET)
#: At most this many offending nodes are named in an error message.
NAMED = 10


@dataclass(frozen=True, slots=True)
class NetworkArrays:
    """The network tables as columns. ``*_ids`` are sorted; references are indices
    into them (-1 = dangling). NaN means "not given" in float columns."""

    party_ids: Str
    party_country: I32  # index into countries
    site_ids: Str
    site_party: I32
    site_country: I32
    countries: tuple[str, ...]
    part_ids: Str
    part_kind: I8  # index into KINDS
    part_magnet: Bool  # kind magnet, or a magnet_type other than none
    part_mass_kg: F64  # kg per unit (uom kg without mass: 1.0)
    part_value: F64  # unit value in part_currency
    part_currency: I32  # index into currencies, -1 = none
    currencies: tuple[str, ...]
    elements: tuple[str, ...]
    comp_part: I32
    comp_element: I32  # index into elements
    comp_fraction: F64
    bom_parent: I32
    bom_child: I32
    bom_qty: F64
    sup_supplier: I32
    sup_part: I32
    sup_buyer: I32
    sup_share: F64
    prod_site: I32
    prod_part: I32
    prod_units: F64  # units per year, NaN = no plan


@dataclass(frozen=True, slots=True)
class CompiledNetwork:
    """Nodes, levels and the forward/reverse CSR matrices of a network."""

    net: NetworkArrays
    node_site: I32
    node_part: I32
    level_ptr: I64  # nodes of level k are level_ptr[k]:level_ptr[k+1]
    fwd_indptr: I64
    fwd_indices: I32
    fwd_data: F64
    rev_indptr: I64
    rev_indices: I32
    rev_data: F64
    key_sorted: I64  # site * n_parts + part, sorted, for lookups
    key_node: I32  # node index of key_sorted[i]
    part_has_bom: Bool
    part_known: Bool  # has a declared composition and a mass
    comp_ptr: I64  # composition lines of part p: comp_ptr[p]:comp_ptr[p+1] ...
    comp_element: I32  # ... element index ...
    comp_kg: F64  # ... kg of the element per unit of the part (NaN mass -> 0)
    partial_node: I32  # needs covered by normalised shares < 1 ...
    partial_part: I32  # ... of this child part
    partial_total: F64  # ... with shares summing to this
    node_passthrough: Bool  # the node's site buys its own part (resale / make-or-buy)
    #: Row of each node in the rollup's residual table, -1 for none: nodes with inputs
    #: whose part also declares a composition (see ``rollup``), numbered in node order.
    residual_row: I32

    @property
    def n_nodes(self) -> int:
        return int(self.node_site.shape[0])

    @property
    def n_levels(self) -> int:
        return int(self.level_ptr.shape[0] - 1)

    @property
    def nnz(self) -> int:
        return int(self.fwd_indices.shape[0])

    def node_level(self) -> I32:
        counts = np.diff(self.level_ptr)
        return np.repeat(np.arange(len(counts), dtype=np.int32), counts)

    def is_leaf(self, nodes: NDArray[np.integer] | None = None) -> Bool:
        """Nodes whose part has no BOM lines: content is the declared composition.
        (Of ``nodes`` only, in their order, when given.)"""
        sel = slice(None) if nodes is None else nodes
        return ~self.part_has_bom[self.node_part[sel]] & ~self.node_passthrough[sel]

    def is_entry(self, nodes: NDArray[np.integer] | None = None) -> Bool:
        """Where material enters the chain: a leaf (raw material) or a magnet node.
        (Of ``nodes`` only, in their order, when given.)"""
        sel = slice(None) if nodes is None else nodes
        magnet = self.net.part_magnet[self.node_part[sel]] & ~self.node_passthrough[sel]
        return self.is_leaf(nodes) | magnet

    def node_country(self) -> I32:
        return self.net.site_country[self.node_site]

    def node_party(self) -> I32:
        return self.net.site_party[self.node_site]

    def find(self, site: NDArray[np.integer], part: NDArray[np.integer]) -> I32:
        """Node indices of (site, part) pairs; -1 where there is no such node."""
        n_parts = len(self.net.part_ids)
        keys = site.astype(np.int64) * n_parts + part.astype(np.int64)
        pos = np.searchsorted(self.key_sorted, keys)
        pos = np.minimum(pos, max(len(self.key_sorted) - 1, 0))
        hit = (self.key_sorted[pos] == keys) if len(self.key_sorted) else np.zeros(0, bool)
        return np.where(hit, self.key_node[pos], -1).astype(np.int32)

    def label(self, node: int) -> str:
        """``site/part`` of a node, for messages."""
        return node_label(self.net, int(self.node_site[node]), int(self.node_part[node]))


def node_label(net: NetworkArrays, site: int, part: int) -> str:
    return f"{net.site_ids[site]}/{net.part_ids[part]}"


def index_of(sorted_ids: Str, ids: NDArray[np.str_]) -> I32:
    """Positions of ``ids`` in ``sorted_ids``; -1 for ids that are not there."""
    if len(ids) == 0:
        return np.zeros(0, np.int32)
    if len(sorted_ids) == 0:
        return np.full(len(ids), -1, np.int32)
    pos = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
    return np.where(sorted_ids[pos] == ids, pos, -1).astype(np.int32)


def ranges(starts: I64, counts: I64) -> I64:
    """Concatenation of ``arange(s, s + c)`` for each pair, vectorised."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    ends = np.cumsum(counts)
    offsets = np.repeat(ends - counts, counts)
    return np.repeat(starts, counts) + (np.arange(total, dtype=np.int64) - offsets)


def compile_network(net: NetworkArrays) -> CompiledNetwork:
    """Build nodes, edges (A = quantity x share), levels and CSR matrices.

    Raises ``NetworkError`` for dangling references, needs with no source and cycles,
    naming the nodes involved.

    Steps that do not depend on each other run in a second thread (the BOM and
    composition groupings, one of two key look-ups, the reverse matrix): numpy and the
    kernels release the GIL, so both cores work (at 1M parts the compile is
    memory-bound, one look-up a cache miss after another).
    """
    _check_references(net)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="compile") as side:
        return _compile(net, side)


def _compile(net: NetworkArrays, side: Executor) -> CompiledNetwork:
    n_parts = len(net.part_ids)
    boms = side.submit(_bom_groups, net)
    comps = side.submit(_composition, net)
    # One sort gives the node keys and whether the node's site makes its part: each key
    # appears as 2 * key (a production row) or 2 * key + 1 (a supply link's source).
    tagged = np.sort(
        np.concatenate(
            [
                (net.prod_site.astype(np.int64) * n_parts + net.prod_part) * 2,
                (net.sup_supplier.astype(np.int64) * n_parts + net.sup_part) * 2 + 1,
            ]
        )
    )
    first = np.ones(len(tagged), bool)
    np.not_equal(tagged[1:] >> 1, tagged[:-1] >> 1, out=first[1:])
    keys = tagged[first] >> 1
    makes = (tagged[first] & 1) == 0
    del tagged, first  # (temporaries are dropped as soon as used: peak memory at 1M parts)
    n = len(keys)
    node_site = (keys // n_parts).astype(np.int32)
    node_part = (keys % n_parts).astype(np.int32)

    # Supply links grouped by (buyer, part).
    by_part, _ = stable_order(net.sup_part, n_parts)
    by_buyer, _ = stable_order(net.sup_buyer[by_part], len(net.site_ids))
    s_order = by_part[by_buyer]  # (buyer, part), stable
    s_key = net.sup_buyer[s_order].astype(np.int64) * n_parts + net.sup_part[s_order]
    s_share = net.sup_share[s_order]
    s_src = net.sup_supplier[s_order].astype(np.int64) * n_parts + net.sup_part[s_order]
    node_at = KeyLookup(keys, n_parts)
    s_nodes = side.submit(node_at.find, s_src)  # every supplier (site, part) is a node
    # (buyer, part) groups of links: g_key[g] covers links g_lo[g]:g_lo[g + 1]
    g_start = np.ones(len(s_key), bool)
    np.not_equal(s_key[1:], s_key[:-1], out=g_start[1:])
    g_key = s_key[g_start]
    g_lo = np.append(np.flatnonzero(g_start), len(s_key))
    del s_key, s_src, s_order, g_start
    # Each group's share total summed on its own (a difference of running sums would
    # leave rounding residue such as 1 - 0.9999999999999991 as a phantom own share).
    g_sum = np.add.reduceat(s_share, g_lo[:-1]) if len(s_share) else np.zeros(0)

    # Pass-through nodes: the node's own site is supplied with the node's part.
    group_at = KeyLookup(g_key, n_parts)
    p_lo, p_hi, p_total = group_at.group_range(g_lo, g_sum, keys)
    passthrough = (p_hi > p_lo) & (p_total > 0) & ~makes
    bom_scale = np.where(passthrough, 0.0, 1.0)

    # Needs: one per (node, BOM line of its part), unless the node only resells.
    bom_ptr, bom_child, bom_qty = boms.result()
    per_node = np.where(bom_scale > 0, bom_ptr[node_part + 1] - bom_ptr[node_part], 0)
    need_node = np.repeat(np.arange(n, dtype=np.int64), per_node)
    need_line = spans(bom_ptr[node_part], per_node)
    need_part = bom_child[need_line]
    need_qty = bom_qty[need_line] * bom_scale[need_node]
    del need_line
    need_key = node_site[need_node].astype(np.int64) * n_parts + need_part
    self_at = side.submit(node_at.find, need_key)  # used where ``own`` only
    lo, hi, total = group_at.group_range(g_lo, g_sum, need_key)
    self_pos = self_at.result()
    own = self_pos >= 0

    zero = ~own & (total <= 0) & (hi > lo)
    if zero.any():
        idx = np.flatnonzero(zero)
        named = ", ".join(
            f"{node_label(net, int(node_site[need_node[i]]), int(node_part[need_node[i]]))}"
            f" needs {net.part_ids[need_part[i]]}"
            for i in idx[:NAMED]
        )
        more = f" (and {len(idx) - NAMED} more)" if len(idx) > NAMED else ""
        raise NetworkError(f"{len(idx)} need(s) have only zero-share supply: {named}{more}")
    unsourced = ~own & (hi == lo)
    if unsourced.any():
        buyers = node_site[need_node[unsourced]]
        return _compile(with_unknown_supplier(net, buyers, need_part[unsourced]), side)
    denom = np.where(own, np.maximum(total, 1.0), total)
    partial = ~own & (total < 1.0 - 1e-9)

    k = hi - lo
    s_node = s_nodes.result()
    e_need = np.repeat(np.arange(len(need_key), dtype=np.int64), k)
    e_link = spans(lo, k)
    e_src = s_node[e_link]
    e_w = need_qty[e_need] * s_share[e_link] / denom[e_need]
    own_w = need_qty * np.maximum(1.0 - total, 0.0)
    own_take = own & (own_w > 0)
    # Resale edges: a pass-through node takes its part from its suppliers by share.
    p_node = np.flatnonzero(passthrough)
    p_k = p_hi[p_node] - p_lo[p_node]
    r_node = np.repeat(p_node, p_k)
    r_link = spans(p_lo[p_node], p_k)
    r_w = s_share[r_link] / p_total[r_node]
    rows = np.concatenate([need_node[e_need], need_node[own_take], r_node])
    cols = np.concatenate([e_src, self_pos[own_take], s_node[r_link]])
    vals = np.concatenate([e_w, own_w[own_take], r_w])
    del e_need, e_link, e_src, e_w, r_node, r_link, r_w, lo, hi, k, self_pos, s_node

    level = _levels(net, node_site, node_part, rows, cols, n)
    perm, level_ptr = stable_order(level, int(level.max(initial=0)) + 1)  # new -> old
    inv = np.empty(n, np.int64)
    inv[perm] = np.arange(n)
    rows, cols = inv[rows], inv[cols]
    reverse = side.submit(csr, cols, rows, vals, n)
    fwd = csr(rows, cols, vals, n)
    rev = reverse.result()
    del rows, cols, vals, level, reverse
    key_node = inv.astype(np.int32)  # keys are sorted; key i belongs to old node i
    p_idx = np.flatnonzero(partial)
    part_has_bom = np.diff(bom_ptr) > 0
    known, comp_ptr, comp_element, comp_kg = comps.result()
    return CompiledNetwork(
        net=net,
        node_site=node_site[perm],
        node_part=node_part[perm],
        level_ptr=level_ptr,
        fwd_indptr=fwd[0],
        fwd_indices=fwd[1],
        fwd_data=fwd[2],
        rev_indptr=rev[0],
        rev_indices=rev[1],
        rev_data=rev[2],
        key_sorted=keys,
        key_node=key_node,
        part_has_bom=part_has_bom,
        part_known=known,
        comp_ptr=comp_ptr,
        comp_element=comp_element,
        comp_kg=comp_kg,
        partial_node=inv[need_node[p_idx]].astype(np.int32),
        partial_part=need_part[p_idx].astype(np.int32),
        partial_total=total[p_idx],
        node_passthrough=passthrough[perm],
        residual_row=_residual_rows(part_has_bom & known, node_part[perm], passthrough[perm]),
    )


def _bom_groups(net: NetworkArrays) -> tuple[I64, I32, F64]:
    """BOM lines grouped by parent part: each part's pointer, then children and
    quantities in that order."""
    order, bom_ptr = stable_order(net.bom_parent, len(net.part_ids))
    return bom_ptr, net.bom_child[order], net.bom_qty[order]


def _composition(net: NetworkArrays) -> tuple[Bool, I64, I32, F64]:
    """Parts whose content is known (a composition and a mass), and composition rows
    grouped by part: pointer, element and kg per unit of the part."""
    n_parts = len(net.part_ids)
    known = np.zeros(n_parts, bool)
    known[net.comp_part] = True
    known &= np.isfinite(net.part_mass_kg)
    c_order = np.argsort(net.comp_part, kind="stable")
    comp_ptr = np.zeros(n_parts + 1, np.int64)
    np.cumsum(np.bincount(net.comp_part, minlength=n_parts), out=comp_ptr[1:])
    comp_kg = net.comp_fraction[c_order] * net.part_mass_kg[net.comp_part[c_order]]
    comp_element = net.comp_element[c_order].astype(np.int32)
    return known, comp_ptr, comp_element, np.nan_to_num(comp_kg, nan=0.0)


def _residual_rows(declared_bom: Bool, node_part: I32, passthrough: Bool) -> I32:
    """``CompiledNetwork.residual_row``: 0, 1, ... for the nodes that make a part with
    both BOM lines and a declared composition, -1 elsewhere."""
    has = declared_bom[node_part] & ~passthrough
    rows = np.full(len(node_part), -1, np.int32)
    rows[has] = np.arange(int(has.sum()), dtype=np.int32)
    return rows


#: Site that stands in for "bought from a supplier the network does not name".
UNKNOWN = "(unknown supplier)"
UNKNOWN_COUNTRY = "??"


def with_unknown_supplier(net: NetworkArrays, buyers: I32, parts: I32) -> NetworkArrays:
    """``net`` plus an unknown-supplier site that supplies ``parts`` to ``buyers`` and
    makes all their BOM descendants, so needs with no supply link still roll up."""
    need = np.zeros(len(net.part_ids), bool)
    need[parts] = True
    while True:
        more = np.zeros_like(need)
        more[net.bom_child[need[net.bom_parent]]] = True
        if not (more & ~need).any():
            break
        need |= more
    site = len(net.site_ids)
    countries = (*net.countries, UNKNOWN_COUNTRY)
    add = np.flatnonzero(need).astype(np.int32)
    return replace(
        net,
        party_ids=np.append(net.party_ids, UNKNOWN),
        party_country=np.append(net.party_country, len(countries) - 1).astype(np.int32),
        site_ids=np.append(net.site_ids, UNKNOWN),
        site_party=np.append(net.site_party, len(net.party_ids)).astype(np.int32),
        site_country=np.append(net.site_country, len(countries) - 1).astype(np.int32),
        countries=countries,
        prod_site=np.concatenate([net.prod_site, np.full(len(add), site, np.int32)]),
        prod_part=np.concatenate([net.prod_part, add]),
        prod_units=np.concatenate([net.prod_units, np.full(len(add), np.nan)]),
        sup_supplier=np.concatenate([net.sup_supplier, np.full(len(parts), site, np.int32)]),
        sup_part=np.concatenate([net.sup_part, parts.astype(np.int32)]),
        sup_buyer=np.concatenate([net.sup_buyer, buyers.astype(np.int32)]),
        sup_share=np.concatenate([net.sup_share, np.ones(len(parts))]),
    )


def stable_order(keys: NDArray[np.integer], n_keys: int) -> tuple[I64, I64]:
    """Stable order of integer ``keys`` in ``[0, n_keys)`` and each key's run start
    (a counting sort: linear time, unlike ``argsort``)."""
    # Always int64, so that one compiled version of the kernel is loaded (~0.25 s each).
    order, ptr = jitted("counting_order")(np.ascontiguousarray(keys, dtype=np.int64), n_keys)
    return order, ptr


def _levels(
    net: NetworkArrays, node_site: I32, node_part: I32, rows: I64, cols: I64, n: int
) -> I64:
    """Longest-path level of each node (0 = no inputs), by vectorised Kahn rounds."""
    remaining = np.bincount(rows, minlength=n).astype(np.int64)
    # users of each node (reverse adjacency) in CSR form
    order, uptr = stable_order(cols, n)
    users = rows[order]
    level = np.full(n, -1, np.int64)
    frontier = np.flatnonzero(remaining == 0)
    k = 0
    while len(frontier):
        level[frontier] = k
        counts = uptr[frontier + 1] - uptr[frontier]
        hit = users[spans(uptr[frontier], counts)]
        if len(hit) == 0:
            break
        dec = np.bincount(hit, minlength=n)
        touched = np.flatnonzero(dec)
        remaining[touched] -= dec[touched]
        frontier = touched[remaining[touched] == 0]
        k += 1
    stuck = np.flatnonzero(level < 0)
    if len(stuck):
        cycle = _find_cycle(stuck, rows, cols, level)
        path = " -> ".join(node_label(net, int(node_site[i]), int(node_part[i])) for i in cycle)
        raise NetworkError(f"supply network has a cycle ({len(stuck)} nodes involved): {path}")
    return level


def _find_cycle(stuck: I64, rows: I64, cols: I64, level: I64) -> list[int]:
    """One cycle among the nodes Kahn could not place (each has an unplaced input)."""
    inside = (level[rows] < 0) & (level[cols] < 0)
    nxt: dict[int, int] = {}
    for r, c in zip(rows[inside].tolist(), cols[inside].tolist(), strict=True):
        nxt.setdefault(r, c)
    node = int(stuck[0])
    seen: dict[int, int] = {}
    path: list[int] = []
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = nxt[node]
    return [*path[seen[node] :], node]


def _check_references(net: NetworkArrays) -> None:
    problems: list[str] = []
    checks = (
        ("site", "party", net.site_party),
        ("composition", "part", net.comp_part),
        ("bom", "parent part", net.bom_parent),
        ("bom", "child part", net.bom_child),
        ("supply", "supplier site", net.sup_supplier),
        ("supply", "part", net.sup_part),
        ("supply", "buyer site", net.sup_buyer),
        ("production", "site", net.prod_site),
        ("production", "part", net.prod_part),
    )
    for table, what, refs in checks:
        bad = np.flatnonzero(refs < 0)
        if len(bad):
            rows = ", ".join(str(int(i) + 1) for i in bad[:NAMED])
            problems.append(f"{table} row(s) {rows}: unknown {what}")
    if problems:
        raise NetworkError("dangling references: " + "; ".join(problems))
