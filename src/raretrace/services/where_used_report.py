"""Where-used report: everything downstream (or upstream) of a part, site or party,
with tiers, quantities and paths."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from raretrace.analytics.matrices import PRODUCT, CompiledNetwork
from raretrace.analytics.where_used import Direction, paths
from raretrace.errors import NotFoundError
from raretrace.services.trace_engine import Engine, Provenance, nodes_of_part

__all__ = ["PathRow", "ReachRow", "WhereUsedResult", "resolve", "where_used"]


@dataclass(frozen=True, slots=True)
class ReachRow:
    site: str
    party: str
    country: str
    part: str
    tier: int
    quantity: float


@dataclass(frozen=True, slots=True)
class PathRow:
    nodes: list[str]  # "site/part", from the query towards the end
    hop_quantities: list[float]
    quantity: float


@dataclass(frozen=True, slots=True)
class WhereUsedResult:
    query: str
    matched: str  # part, site or party
    direction: str
    starts: list[str]
    rows: list[ReachRow]
    ends: list[str]  # products (down) or entry points (up)
    paths: list[PathRow]
    paths_truncated: bool
    provenance: Provenance


def resolve(c: CompiledNetwork, query: str) -> tuple[str, np.ndarray]:
    """Start nodes of a part, site or party id (tried in that order)."""
    net = c.net
    if (net.part_ids == query).any():
        return "part", nodes_of_part(c, query)
    sites = np.flatnonzero(net.site_ids == query)
    matched = "site"
    if not len(sites):
        parties = np.flatnonzero(net.party_ids == query)
        if not len(parties):
            raise NotFoundError(f"{query!r} is not a part, site or party of the workspace")
        sites = np.flatnonzero(net.site_party == parties[0])
        matched = "party"
    nodes = np.flatnonzero(np.isin(c.node_site, sites))
    if not len(nodes):
        raise NotFoundError(f"{matched} {query!r} makes nothing in the network")
    return matched, nodes


def where_used(
    eng: Engine, query: str, *, direction: Direction, limit: int, provenance: Provenance
) -> WhereUsedResult:
    c = eng.compiled
    net = c.net
    matched, starts = resolve(c, query)
    stop = c.is_entry() if direction is Direction.UP else None
    reach = eng.tracer.reach(starts.astype(np.int64), direction, stop)
    found = paths(c, reach, limit=limit + 1, stop=stop)
    country, party = c.node_country(), c.node_party()
    rows = [
        ReachRow(
            str(net.site_ids[c.node_site[n]]),
            str(net.party_ids[party[n]]),
            net.countries[country[n]],
            str(net.part_ids[c.node_part[n]]),
            int(t),
            float(q),
        )
        for n, t, q in zip(reach.nodes.tolist(), reach.tier, reach.quantity, strict=True)
    ]
    rows.sort(key=lambda r: (r.tier, r.site, r.part))
    if direction is Direction.DOWN:
        ends = [n for n in reach.nodes.tolist() if net.part_kind[c.node_part[n]] == PRODUCT]
    else:
        ends = sorted({p.nodes[-1] for p in found[:limit]})
    return WhereUsedResult(
        query=query,
        matched=matched,
        direction=direction.value,
        starts=[c.label(n) for n in starts.tolist()],
        rows=rows,
        ends=[c.label(n) for n in ends],
        paths=[
            PathRow([c.label(n) for n in p.nodes], list(p.hop_qty), p.quantity)
            for p in found[:limit]
        ],
        paths_truncated=len(found) > limit,
        provenance=provenance,
    )
