"""Brute-force reference: content by explicit recursion over every path (no matrices)."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from raretrace.analytics.kernels import RESIDUAL_RTOL
from raretrace.domain.network import Network
from raretrace.domain.parts import MagnetType, PartKind


def nodes(net: Network) -> set[tuple[str, str]]:
    out = {(p.site_id, p.part_id) for p in net.production}
    out |= {(s.supplier_site_id, s.part_id) for s in net.supply}
    return out


def sources(net: Network, site: str, part: str) -> list[tuple[tuple[str, str], float]]:
    """(source node, fraction of the need) for ``site``'s need of ``part``."""
    links = [(s.supplier_site_id, s.share) for s in net.supply
             if s.buyer_site_id == site and s.part_id == part]  # fmt: skip
    total = sum(sh for _, sh in links)
    own = (site, part) in nodes(net)
    if own:
        out = [((sup, part), sh / max(total, 1.0)) for sup, sh in links]
        if total < 1:
            out.append(((site, part), 1 - total))
        return out
    return [((sup, part), sh / total) for sup, sh in links]


def resold_from(net: Network, site: str, part: str) -> list[tuple[tuple[str, str], float]]:
    """Suppliers of a pass-through node (a site that buys and resells ``part``)."""
    if any(p.site_id == site and p.part_id == part for p in net.production):
        return []
    links = [(s.supplier_site_id, s.share) for s in net.supply
             if s.buyer_site_id == site and s.part_id == part]  # fmt: skip
    total = sum(sh for _, sh in links)
    return [((sup, part), sh / total) for sup, sh in links] if total > 0 else []


def content(net: Network, site: str, part: str) -> tuple[dict[str, float], float]:
    """kg per element per unit, and units of unknown-content leaves per unit."""
    resold = resold_from(net, site, part)
    if resold:
        acc0: dict[str, float] = defaultdict(float)
        unknown0 = 0.0
        for (s2, p2), frac in resold:
            sub, unk = content(net, s2, p2)
            for e, kg in sub.items():
                acc0[e] += frac * kg
            unknown0 += frac * unk
        return dict(acc0), unknown0
    bom = [b for b in net.bom if b.parent_part_id == part]
    decl = declared(net, part)
    if not bom:
        return (decl, 0.0) if decl is not None else ({}, 1.0)
    acc, unknown = explained(net, site, part)
    if decl is not None:  # at least the declared content; the declaration covers the part
        for e, kg in decl.items():
            if kg - acc.get(e, 0.0) > RESIDUAL_RTOL * kg:  # rounding of declarations
                acc[e] = kg
        unknown = 0.0
    return acc, unknown


def declared(net: Network, part: str) -> dict[str, float] | None:
    """kg per unit from the part's declared composition; None when unknown."""
    p = net.part(part)
    assert p is not None
    comp = [c for c in net.composition if c.part_id == part]
    mass = p.mass_kg if p.mass_kg is not None else (1.0 if p.uom == "kg" else None)
    if not comp or mass is None:
        return None
    out: dict[str, float] = defaultdict(float)
    for c in comp:
        out[c.element] += c.mass_fraction * mass
    return dict(out)


def explained(net: Network, site: str, part: str) -> tuple[dict[str, float], float]:
    """Content and unknown units that the BOM lines of (site, part) bring in."""
    acc: dict[str, float] = defaultdict(float)
    unknown = 0.0
    for b in net.bom:
        if b.parent_part_id != part:
            continue
        for (s2, p2), frac in sources(net, site, b.child_part_id):
            sub, unk = content(net, s2, p2)
            for e, kg in sub.items():
                acc[e] += b.quantity * frac * kg
            unknown += b.quantity * frac * unk
    return dict(acc), unknown


def is_entry(net: Network, part: str) -> bool:
    p = net.part(part)
    assert p is not None
    has_bom = any(b.parent_part_id == part for b in net.bom)
    return not has_bom or p.kind is PartKind.MAGNET or p.magnet_type is not MagnetType.NONE


def origin(
    net: Network, site: str, part: str, first: bool = True
) -> dict[tuple[str, str], dict[str, float]]:
    """kg per element per unit of (site, part), by entry node (site, part)."""
    out: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    resold = resold_from(net, site, part)
    if resold:
        for (s2, p2), frac in resold:
            for key, kgs in origin(net, s2, p2, first=False).items():
                for e, kg in kgs.items():
                    out[key][e] += frac * kg
        return {k: dict(v) for k, v in out.items()}
    if (not first and is_entry(net, part)) or not any(b.parent_part_id == part for b in net.bom):
        return {(site, part): content(net, site, part)[0]}
    # Declared content beyond what the BOM explains enters here (the residual).
    full, (below, _) = content(net, site, part)[0], explained(net, site, part)
    for e, kg in full.items():
        if kg > below.get(e, 0.0):
            out[(site, part)][e] += kg - below.get(e, 0.0)
    for b in net.bom:
        if b.parent_part_id != part:
            continue
        for (s2, p2), frac in sources(net, site, b.child_part_id):
            for key, kgs in origin(net, s2, p2, first=False).items():
                for e, kg in kgs.items():
                    out[key][e] += b.quantity * frac * kg
    return {k: dict(v) for k, v in out.items()}


def inputs(net: Network, site: str, part: str) -> list[tuple[tuple[str, str], float]]:
    """(input node, units per unit of (site, part)): the edges of the supply network."""
    resold = resold_from(net, site, part)
    if resold:
        return resold
    out: dict[tuple[str, str], float] = defaultdict(float)
    for b in net.bom:
        if b.parent_part_id == part:
            for node, frac in sources(net, site, b.child_part_id):
                out[node] += b.quantity * frac
    return [(node, w) for node, w in out.items() if w > 0]


def paths_down(net: Network, top: tuple[str, str]) -> list[tuple[list[tuple[str, str]], float]]:
    """Every path from ``top`` down through its inputs: (nodes top first, quantity of the
    last node per unit of ``top``)."""
    out: list[tuple[list[tuple[str, str]], float]] = [([top], 1.0)]
    for node, w in inputs(net, *top):
        for nodes, qty in paths_down(net, node):
            out.append(([top, *nodes], w * qty))
    return out


def reach(
    net: Network, start: tuple[str, str], *, up: bool
) -> dict[tuple[str, str], tuple[float, int]]:
    """By path enumeration: every node connected to ``start`` (its inputs, all the way
    down, when ``up``; else every node that uses it), with the units of the input per
    unit of the user summed over all paths, and the fewest site changes on a path."""
    got: dict[tuple[str, str], tuple[float, int]] = {}

    def add(node: tuple[str, str], qty: float, nodes: list[tuple[str, str]]) -> None:
        hops = sum(a[0] != b[0] for a, b in pairwise(nodes))
        q, t = got.get(node, (0.0, 1 << 30))
        got[node] = (q + qty, min(t, hops))

    if up:
        for nodes, qty in paths_down(net, start):
            add(nodes[-1], qty, nodes)
    else:
        for top in nodes_of(net):
            for nodes, qty in paths_down(net, top):
                if nodes[-1] == start:
                    add(top, qty, nodes)
    return got


def nodes_of(net: Network) -> list[tuple[str, str]]:
    return sorted(nodes(net))
