"""What a disruption scenario reaches in the compiled network (``disruptions.plan``):
parts with controlled content, the items a rule covers, diversion through third-country
resellers, and everything downstream of the links a rule cuts."""

from __future__ import annotations

import numpy as np

from raretrace.analytics.matrices import F64, I64, KINDS, Bool, CompiledNetwork, ranges
from raretrace.analytics.rollup import rollup
from raretrace.analytics.scenarios import Items
from raretrace.domain.parts import PartKind

RAW = KINDS.index(PartKind.RAW_MATERIAL)


def controlled_parts(c: CompiledNetwork, elements: tuple[str, ...]) -> Bool:
    """Parts whose rolled-up content (at any node) has a controlled element; a rule's
    ``controlled`` items are those among magnets and raw materials (metals, oxides,
    alloys), as in MOFCOM/GAC Announcement 2025 No. 18 (regime.md §1)."""
    r = rollup(c, elements)
    hit = r.content_kg.sum(axis=1) > 0
    out = np.zeros(len(c.net.part_ids), bool)
    out[c.node_part[hit]] = True
    return out


def items_mask(items: Items, c: CompiledNetwork, controlled: Bool) -> Bool:
    materials = c.net.part_magnet | (c.net.part_kind == RAW)
    if items is Items.CONTROLLED:
        return np.asarray(controlled & materials, bool)
    if items is Items.MAGNETS:
        return np.asarray(materials, bool)
    return np.ones(len(c.net.part_ids), bool)


def diversion_share(
    c: CompiledNetwork, rows: I64, cols: I64, em: object, country: dict[str, int]
) -> F64:  # fmt: skip
    """Per link: the share of a third-country reseller's supply that comes from an
    exporter, on its links to a destination (0 elsewhere)."""
    net = c.net
    exporters = np.array([country.get(x, -2) for x in getattr(em, "exporters", [])])
    dests = np.array([country.get(x, -2) for x in getattr(em, "destinations", [])])
    node_c = net.site_country[c.node_site]
    from_exp = np.isin(node_c, exporters) if len(exporters) else np.ones(c.n_nodes, bool)
    x = np.zeros(c.n_nodes)
    pt = c.node_passthrough
    w = np.where(pt[rows], c.fwd_data, 0.0)
    for _ in range(c.n_levels):
        contrib = w * np.where(from_exp[cols] & ~pt[cols], 1.0, x[cols])
        x = np.bincount(rows, weights=contrib, minlength=c.n_nodes).astype(np.float64)
    third = pt[cols] & ~np.isin(node_c[cols], dests) & ~from_exp[cols]
    return np.where(third & np.isin(node_c[rows], dests), x[cols], 0.0)


def downstream(c: CompiledNetwork, seeds: Bool) -> Bool:
    mark = seeds.copy()
    frontier = np.flatnonzero(seeds).astype(np.int64)
    while len(frontier):
        counts = c.rev_indptr[frontier + 1] - c.rev_indptr[frontier]
        users = c.rev_indices[ranges(c.rev_indptr[frontier], counts)]
        new = np.unique(users[~mark[users]])
        mark[new] = True
        frontier = new.astype(np.int64)
    return mark
