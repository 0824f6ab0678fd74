"""Existing sources of multi-sourced parts, for the value-of-sources analysis: which
supply links to value, and the network as if a buyer had never used one of them."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from raretrace.analytics.csr import csr
from raretrace.analytics.disruptions import Plan
from raretrace.analytics.matrices import F64, I64, CompiledNetwork

__all__ = ["existing_sources", "without_source"]


def existing_sources(p: Plan, node_lost: F64, limit: int) -> tuple[I64, int]:
    """Plan links (local) that are one of several sources of a buyer's input part, in
    groups where a scenario rule covers at least one source: the buyers losing most
    output (``node_lost``, per plan node) first, then in plan order. At most ``limit``
    links; the second value is how many were left out."""
    sizes = np.diff(p.g_ptr)
    covered = np.zeros(p.n_links, bool)
    covered[p.cand] = True
    g_id = np.repeat(np.arange(len(sizes)), sizes)
    hit = np.bincount(g_id, weights=covered, minlength=len(sizes)) > 0
    links = np.flatnonzero((sizes > 1)[g_id] & hit[g_id]).astype(np.int64)
    order = np.argsort(-node_lost[p.e_buyer[links]], kind="stable")
    links = links[order]
    return links[:limit], max(0, len(links) - limit)


def without_source(c: CompiledNetwork, edge: int) -> CompiledNetwork:
    """``c`` as if the buyer of forward edge ``edge`` had never bought from that
    supplier: the edge is gone and the buyer's other sources of the same part carry its
    share, in proportion to theirs (the buyer needs as much of the part as before)."""
    n = c.n_nodes
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(c.fwd_indptr))
    cols = c.fwd_indices.astype(np.int64)
    part = c.node_part[cols]
    same = (rows == rows[edge]) & (part == part[edge])
    same[edge] = False
    data = c.fwd_data.copy()
    other = float(data[same].sum())
    if other > 0:
        data[same] *= (other + float(data[edge])) / other
    keep = np.ones(len(cols), bool)
    keep[edge] = False
    fwd = csr(rows[keep], cols[keep], data[keep], n)
    rev = csr(cols[keep], rows[keep], data[keep], n)
    return replace(c, fwd_indptr=fwd[0], fwd_indices=fwd[1], fwd_data=fwd[2],
                   rev_indptr=rev[0], rev_indices=rev[1], rev_data=rev[2])  # fmt: skip
