"""Where-used report: everything downstream (or upstream) of a part, site or party,
with tiers, quantities and paths."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from raretrace.analytics.matrices import PRODUCT, CompiledNetwork
from raretrace.analytics.where_used import Direction, paths
from raretrace.errors import NotFoundError
from raretrace.services.tracing.compiled import Engine, Provenance, nodes_of_part

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
    #: Every node reached, and those per tier; ``rows`` holds the first ``max_rows`` of
    #: them in (tier, site, part) order when the caller asked for fewer.
    total_rows: int = 0
    tier_counts: dict[int, int] = field(default_factory=dict)


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
    eng: Engine,
    query: str,
    *,
    direction: Direction,
    limit: int,
    provenance: Provenance,
    max_rows: int | None = None,
) -> WhereUsedResult:
    """``max_rows``: build only the first rows (a table shows a few hundred of the
    229,040 nodes a most-shared leaf reaches at 1M parts); None: all."""
    c = eng.compiled
    net = c.net
    matched, starts = resolve(c, query)
    stop = c.is_entry() if direction is Direction.UP else None
    reach = eng.tracer.reach(starts.astype(np.int64), direction, stop)
    found = paths(c, reach, limit=limit + 1, stop=stop)
    # Column by column (a most-shared leaf reaches 229,040 nodes at 1M parts), ordered
    # by (tier, site, part): ids are sorted, so their indices order them as the strings.
    site, part = c.node_site[reach.nodes], c.node_part[reach.nodes]
    order = np.lexsort((part, site, reach.tier))
    tiers, tier_n = np.unique(reach.tier, return_counts=True)
    if max_rows is not None:
        order = order[:max_rows]
    site, part = site[order], part[order]
    countries = np.array(net.countries, dtype=object)[net.site_country[site]]
    rows = list(
        map(
            ReachRow,
            net.site_ids[site].tolist(),
            net.party_ids[net.site_party[site]].tolist(),
            countries.tolist(),
            net.part_ids[part].tolist(),
            reach.tier[order].tolist(),
            reach.quantity[order].tolist(),
        )
    )
    if direction is Direction.DOWN:
        ends = reach.nodes[net.part_kind[c.node_part[reach.nodes]] == PRODUCT].tolist()
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
        total_rows=len(reach.nodes),
        tier_counts=dict(zip(tiers.tolist(), tier_n.tolist(), strict=True)),
    )
