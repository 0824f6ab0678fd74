"""Element flows into one product, edge by edge: what the product page's Sankey chart
draws, for the web app and the Python API (``TracingService.sankey``) alike.

Edge flow = units of the supplying node per product unit x the element content per unit
of that node (tracing's site-level rollup; the part's declared content for a node the
compiled network does not hold). Nodes that carry none of the chosen element are left
out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from raretrace.domain.elements import ANNOUNCEMENT_18_ELEMENTS, RARE_EARTHS
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.services.tracing.compiled import Engine
from raretrace.services.tracing.upstream import upstream

#: Nodes of the upstream network drawn at most (breadth first from the product).
MAX_NODES = 400


@dataclass(frozen=True, slots=True)
class FlowNode:
    node_id: str
    part_id: str
    part_name: str
    site_name: str
    party: str
    country: str
    tier: int
    #: kg of the element through the node per product unit (the larger of in and out)
    kg: float


@dataclass(frozen=True, slots=True)
class FlowLink:
    source: str
    target: str
    part_id: str
    #: kg of the element on the edge per product unit
    kg: float


@dataclass(frozen=True, slots=True)
class ElementFlows:
    product_id: str
    product_name: str
    #: the element shown ("" when the product carries no rare earth)
    element: str
    #: rare earths with a flow into the product, in the periodic order
    elements: list[str]
    #: planned units per year over every site making the product (None: no plan)
    units_per_year: float | None
    #: kg of the element per product unit
    kg_per_product: float
    nodes: list[FlowNode]
    links: list[FlowLink]
    #: the upstream network had more than ``MAX_NODES`` nodes
    truncated: bool
    #: every country of the upstream network (a colour per country whatever the element)
    countries: list[str]
    #: the deepest tier (the product is tier 0)
    last_tier: int


def element_flows(
    idx: NetworkIndex, engine: Engine, product_id: str, element: str = ""
) -> ElementFlows:
    """kg of ``element`` per unit of the product on every edge of its upstream network.

    Without ``element`` (or one that does not flow), the controlled element with the
    most mass is shown (Nd, uncontrolled, is often the largest); any element if none is
    controlled."""
    product = idx.part(product_id)
    net = upstream(idx, product_id, max_nodes=MAX_NODES)
    c, r = engine.compiled, engine.content
    site_ix = {s: i for i, s in enumerate(c.net.site_ids.tolist())}
    part_ix = {p: i for i, p in enumerate(c.net.part_ids.tolist())}
    present = [e for e in r.elements if e in RARE_EARTHS]
    per_unit: dict[str, dict[str, float]] = {}
    for n in net.nodes:
        row = -1
        if n.site_id in site_ix and n.part_id in part_ix:
            found = c.find(
                np.array([site_ix[n.site_id]], np.int64), np.array([part_ix[n.part_id]], np.int64)
            )
            row = int(found[0])
        if row >= 0:
            per_unit[n.node_id] = {
                e: float(r.content_kg[row, r.elements.index(e)]) for e in present
            }
        else:
            part = idx.parts.get(n.part_id)
            mass = part.mass_kg if part and part.mass_kg else 0.0
            declared = {x.element: x.mass_fraction for x in idx.composition.get(n.part_id, ())}
            per_unit[n.node_id] = {e: mass * declared.get(e, 0.0) for e in present}
    totals: dict[str, float] = dict.fromkeys(present, 0.0)
    for edge in net.edges:
        for e, kg in per_unit.get(edge.source, {}).items():
            totals[e] += edge.units * kg
    elements = [e for e in RARE_EARTHS if totals.get(e, 0.0) > 0]
    controlled = [e for e in elements if e in ANNOUNCEMENT_18_ELEMENTS]
    chosen = (
        element
        if element in elements
        else (max(controlled or elements, key=totals.__getitem__) if elements else "")
    )
    links = [
        FlowLink(
            edge.source,
            edge.target,
            edge.part_id,
            edge.units * per_unit.get(edge.source, {}).get(chosen, 0.0),
        )
        for edge in net.edges
    ]
    links = [lk for lk in links if lk.kg > 0]
    inflow: dict[str, float] = defaultdict(float)
    outflow: dict[str, float] = defaultdict(float)
    for lk in links:
        outflow[lk.source] += lk.kg
        inflow[lk.target] += lk.kg
    nodes = [
        FlowNode(
            n.node_id, n.part_id, n.part_name, n.site_name, n.party, n.country, n.tier,
            max(inflow.get(n.node_id, 0.0), outflow.get(n.node_id, 0.0)),
        )
        for n in net.nodes
        if n.node_id in inflow or n.node_id in outflow
    ]  # fmt: skip
    planned = sum(pr.units_per_year or 0.0 for pr in idx.production_by_part.get(product_id, ()))
    return ElementFlows(
        product_id=product_id,
        product_name=product.name,
        element=chosen,
        elements=elements,
        units_per_year=planned or None,
        kg_per_product=sum(inflow.get(n.node_id, 0.0) for n in net.nodes if n.tier == 0),
        nodes=nodes,
        links=links,
        truncated=net.truncated,
        countries=sorted({n.country or "?" for n in net.nodes}),
        last_tier=max((n.tier for n in net.nodes), default=0),
    )
