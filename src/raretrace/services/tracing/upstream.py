"""The upstream supply network of one product: which site makes which part for whom,
tier by tier, with the flow each edge carries per unit of the product.

Nodes are *(site, part)* pairs (see ``domain.network``). A node's children come from
the supply links of its buying site (split by ``share``), or from the site itself when
it produces the child; a need covered by neither becomes an "unknown source" node, so
gaps in the data are visible instead of hidden. Flows are linear, so they are
propagated once in topological order. This is a view for people; tracing's rollups are
the authority for content and origin.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass

from raretrace.domain.network import SupplyLink
from raretrace.services.network.catalogue import NetworkIndex

UNKNOWN_SITE = ""

NodeKey = tuple[str, str]  # (site_id or "", part_id)


@dataclass(frozen=True, slots=True)
class FlowNode:
    node_id: str
    site_id: str
    part_id: str
    part_name: str
    site_name: str
    party: str
    country: str
    tier: int
    units: float
    mass_kg: float | None
    rare_earths: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FlowEdge:
    source: str
    target: str
    part_id: str
    units: float
    mass_kg: float | None


@dataclass(frozen=True, slots=True)
class UpstreamNetwork:
    product_id: str
    product_name: str
    nodes: list[FlowNode]
    edges: list[FlowEdge]
    tiers: int
    truncated: bool


def node_id(key: NodeKey) -> str:
    return f"{key[0] or '?'}/{key[1]}"


def upstream(
    idx: NetworkIndex, product_id: str, *, max_nodes: int = 120, rare_earth_paths: bool = True
) -> UpstreamNetwork:
    """The network upstream of ``product_id``, at most ``max_nodes`` nodes (breadth first).

    With ``rare_earth_paths`` (and a product that carries rare earths) only BOM children
    with rare earths declared in or below them are followed: the chains from the mines.
    """
    follow_all = not (rare_earth_paths and product_id in idx.rare_earths)
    product = idx.part(product_id)
    roots = [(pr.site_id, product_id) for pr in idx.production_by_part.get(product_id, ())]
    if not roots:
        roots = sorted(
            {(s.supplier_site_id, product_id) for s in idx.supply_by_part.get(product_id, ())}
        )
    if not roots:
        roots = [(UNKNOWN_SITE, product_id)]
    # parent node -> [(child node, child units per parent unit)]
    out_edges: dict[NodeKey, list[tuple[NodeKey, float]]] = defaultdict(list)
    queue = deque(roots)
    truncated = False
    seen = set(roots)
    while queue:
        key = queue.popleft()
        site, parent_part = key
        resold = _resold(idx, site, parent_part)
        if resold:
            # A trader (or any site that buys the part and does not make it): follow the
            # same part to where it was bought, not the part's BOM (made elsewhere).
            for s in resold:
                src = (s.supplier_site_id, parent_part)
                if src not in seen:
                    if len(seen) >= max_nodes:
                        truncated = True
                        continue
                    seen.add(src)
                    queue.append(src)
                out_edges[key].append((src, s.share))
            continue
        for line in idx.children.get(parent_part, ()):
            child = line.child_part_id
            if not follow_all and child not in idx.rare_earths:
                continue
            links = idx.supply_by_buyer.get((site, child), []) if site else []
            sources: list[tuple[NodeKey, float]] = [
                ((s.supplier_site_id, child), s.share) for s in links
            ]
            covered = sum(s.share for s in links)
            if (
                site
                and covered < 1 - 1e-9
                and any(pr.site_id == site for pr in idx.production_by_part.get(child, ()))
            ):
                sources.append(((site, child), 1 - covered))
            elif not sources:
                sources.append(((UNKNOWN_SITE, child), 1.0))
            for src, share in sources:
                if src not in seen:
                    if len(seen) >= max_nodes:
                        truncated = True
                        continue
                    seen.add(src)
                    queue.append(src)
                out_edges[key].append((src, line.quantity * share))
    units = _propagate(roots, out_edges)
    # Tiers by longest path, so that every edge points one or more tiers to the right.
    tier = _longest_tiers(roots, out_edges)
    nodes = []
    for key in seen:
        site, part_id = key
        node_part = idx.parts.get(part_id)
        site_name, party, country = idx.site_label(site) if site else ("unknown source", "", "")
        mass = node_part.mass_kg if node_part else None
        nodes.append(
            FlowNode(
                node_id(key), site, part_id, node_part.name if node_part else part_id, site_name,
                party,
                country, tier.get(key, 0), units.get(key, 0.0),
                None if mass is None else mass * units.get(key, 0.0),
                idx.rare_earths.get(part_id, ()),
            )
        )  # fmt: skip
    nodes.sort(key=lambda n: (n.tier, n.country, n.part_id, n.site_id))
    edges = []
    for parent, kids in out_edges.items():
        for source, per_unit in kids:
            flow = units.get(parent, 0.0) * per_unit
            source_part = idx.parts.get(source[1])
            kg = None
            if source_part is not None and source_part.mass_kg is not None:
                kg = source_part.mass_kg * flow
            edges.append(FlowEdge(node_id(source), node_id(parent), source[1], flow, kg))
    return UpstreamNetwork(
        product_id, product.name, nodes, edges, max(tier.values(), default=0) + 1, truncated
    )


def _topological(
    roots: list[NodeKey], out_edges: dict[NodeKey, list[tuple[NodeKey, float]]]
) -> list[NodeKey]:
    indegree: dict[NodeKey, int] = defaultdict(int)
    nodes: set[NodeKey] = set(roots)
    for parent, kids in out_edges.items():
        nodes.add(parent)
        for child, _ in kids:
            indegree[child] += 1
            nodes.add(child)
    ready = deque(n for n in nodes if indegree[n] == 0)
    order = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for child, _ in out_edges.get(node, ()):
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    return order


def _propagate(
    roots: list[NodeKey], out_edges: dict[NodeKey, list[tuple[NodeKey, float]]]
) -> dict[NodeKey, float]:
    units: dict[NodeKey, float] = defaultdict(float)
    for r in roots:
        units[r] = 1.0 / len(roots)
    for node in _topological(roots, out_edges):
        for child, per_unit in out_edges.get(node, ()):
            units[child] += units[node] * per_unit
    return dict(units)


def _resold(idx: NetworkIndex, site: str | None, part_id: str) -> list[SupplyLink]:
    """The links a site buys ``part_id`` through, when the site does not make it."""
    if not site:
        return []
    if any(pr.site_id == site for pr in idx.production_by_part.get(part_id, ())):
        return []
    return [s for s in idx.supply_by_buyer.get((site, part_id), []) if s.supplier_site_id != site]


def _longest_tiers(
    roots: list[NodeKey], out_edges: dict[NodeKey, list[tuple[NodeKey, float]]]
) -> dict[NodeKey, int]:
    tier: dict[NodeKey, int] = dict.fromkeys(roots, 0)
    for node in _topological(roots, out_edges):
        for child, _ in out_edges.get(node, ()):
            tier[child] = max(tier.get(child, 0), tier.get(node, 0) + 1)
    return tier
