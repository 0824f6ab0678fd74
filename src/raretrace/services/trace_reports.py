"""Tracing results as plain dataclasses (ids, not indices), built from a compiled engine."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import numpy as np

from raretrace.analytics.exposure import NO_TIER, flows
from raretrace.analytics.matrices import PRODUCT, CompiledNetwork
from raretrace.analytics.origin import controlled_value, origin
from raretrace.analytics.rollup import Rollup
from raretrace.analytics.where_used import Direction, Tracer, paths
from raretrace.domain.elements import RARE_EARTHS
from raretrace.errors import NotFoundError


@dataclass(frozen=True, slots=True)
class Provenance:
    """What a result was computed from, so that a report can say so."""

    database: str
    revision: int
    as_of: date | None
    parameters: dict[str, Any]
    package_version: str
    computed_at: datetime


@dataclass(frozen=True, slots=True)
class DataQuality:
    """What the numbers cannot see: reported with every result, never hidden."""

    unknown_content_parts: list[str] = field(default_factory=list)  # leaves w/o composition
    unknown_content_nodes: int = 0  # nodes whose content includes unknown inputs
    partially_sourced: list[str] = field(default_factory=list)  # "site needs part (70 %)"


@dataclass(frozen=True, slots=True)
class Engine:
    """A compiled network and what is derived from it once (default rollup, tracer)."""

    revision: int
    compiled: CompiledNetwork
    content: Rollup
    tracer: Tracer


@dataclass(frozen=True, slots=True)
class OriginShare:
    country: str
    party: str
    site: str
    kg_per_unit: float
    share: float


@dataclass(frozen=True, slots=True)
class NodeTrace:
    site: str
    party: str
    country: str
    part: str
    units_per_year: float | None
    content_kg: dict[str, float]  # per unit, elements with content only
    unknown_inputs_per_unit: float  # units of unknown-content inputs; 0 = complete
    controlled_kg: float
    origin: dict[str, list[OriginShare]]  # element -> entry points, largest first
    controlled_value: float | None  # of controlled-content inputs, per unit
    controlled_value_share: float | None  # of the part's unit value
    origin_value_share: float | None  # the same, inputs entering in origin_country only


@dataclass(frozen=True, slots=True)
class TraceResult:
    product: str
    controlled: tuple[str, ...]
    origin_country: str
    nodes: list[NodeTrace]
    quality: DataQuality
    provenance: Provenance


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


@dataclass(frozen=True, slots=True)
class ExposureRow:
    rank: int
    site: str
    party: str
    country: str
    tier: int
    parts: list[str]
    kg_per_year: dict[str, float]
    total_kg_per_year: float
    products: list[str] | None  # None when too many products to track


@dataclass(frozen=True, slots=True)
class ExposureResult:
    product: str | None
    controlled: tuple[str, ...]
    plan: dict[str, float]  # "site/part" -> units per year
    rows: list[ExposureRow]
    quality: DataQuality
    provenance: Provenance
    unplanned_products: list[str] = field(default_factory=list)


def quality(eng: Engine, nodes: np.ndarray | None = None) -> DataQuality:
    c = eng.compiled
    net = c.net
    leaf_unknown = ~c.part_known & ~c.part_has_bom
    used = np.zeros(len(net.part_ids), bool)
    used[c.node_part] = True
    parts = net.part_ids[leaf_unknown & used].tolist()
    unk = eng.content.unknown_units > 0
    partial = [
        f"{net.site_ids[c.node_site[n]]} needs {net.part_ids[p]} ({t:.0%} sourced)"
        for n, p, t in zip(c.partial_node, c.partial_part, c.partial_total, strict=True)
    ]
    count = int(unk.sum()) if nodes is None else int(unk[nodes].sum())
    return DataQuality(parts, count, partial)


def nodes_of_part(c: CompiledNetwork, part: str, site: str | None = None) -> np.ndarray:
    net = c.net
    hit = np.flatnonzero(net.part_ids == part)
    if not len(hit):
        raise NotFoundError(f"no part {part!r} in the workspace")
    nodes = np.flatnonzero(c.node_part == hit[0])
    if site is not None:
        nodes = nodes[net.site_ids[c.node_site[nodes]] == site]
    if not len(nodes):
        where = f" at site {site!r}" if site else ""
        raise NotFoundError(f"part {part!r} is not produced or supplied anywhere{where}")
    return nodes


def planned_units(c: CompiledNetwork) -> np.ndarray:
    """Units per year of each node from production rows (NaN: no plan stated)."""
    net = c.net
    units = np.full(c.n_nodes, np.nan)
    node = c.find(net.prod_site, net.prod_part)
    ok = (node >= 0) & np.isfinite(net.prod_units)
    units[node[ok]] = net.prod_units[ok]
    return units


def trace(
    eng: Engine,
    product: str,
    *,
    site: str | None,
    controlled: tuple[str, ...],
    origin_country: str,
    provenance: Provenance,
) -> TraceResult:
    c, r = eng.compiled, eng.content
    net = c.net
    nodes = nodes_of_part(c, product, site)
    value = controlled_value(c, r, controlled, origin_country)
    units = planned_units(c)
    ctrl_cols = [j for j, e in enumerate(r.elements) if e in controlled]
    out: list[NodeTrace] = []
    for n in nodes.tolist():
        o = origin(c, eng.tracer, r, n)
        shares: dict[str, list[OriginShare]] = {}
        for j, e in enumerate(r.elements):
            total = float(r.content_kg[n, j])
            if total <= 0 or e not in RARE_EARTHS:
                continue
            grouped: dict[tuple[str, str], list[Any]] = {}
            for m, kg in zip(o.entry_nodes.tolist(), o.entry_kg[:, j], strict=True):
                if kg <= 0:
                    continue
                key = (net.countries[c.node_country()[m]], str(net.party_ids[c.node_party()[m]]))
                acc = grouped.setdefault(key, [0.0, set()])
                acc[0] += float(kg)
                acc[1].add(str(net.site_ids[c.node_site[m]]))
            rows = [
                OriginShare(country, party, ";".join(sorted(sites)), kg, kg / total)
                for (country, party), (kg, sites) in grouped.items()
            ]
            shares[e] = sorted(rows, key=lambda s: -s.kg_per_unit)
        out.append(
            NodeTrace(
                site=str(net.site_ids[c.node_site[n]]),
                party=str(net.party_ids[c.node_party()[n]]),
                country=net.countries[c.node_country()[n]],
                part=product,
                units_per_year=None if np.isnan(units[n]) else float(units[n]),
                content_kg={
                    e: float(r.content_kg[n, j])
                    for j, e in enumerate(r.elements)
                    if r.content_kg[n, j] > 0
                },
                unknown_inputs_per_unit=float(r.unknown_units[n]),
                controlled_kg=float(r.content_kg[n, ctrl_cols].sum()),
                origin=shares,
                controlled_value=_opt(value.value[n]),
                controlled_value_share=_opt(value.share[n]),
                origin_value_share=_opt(value.origin_share[n]),
            )
        )
    return TraceResult(product, controlled, origin_country, out, quality(eng, nodes), provenance)


def _opt(x: float) -> float | None:
    return None if np.isnan(x) else float(x)


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


def exposure(
    eng: Engine,
    product: str | None,
    *,
    plan: dict[str, float] | None,
    controlled: tuple[str, ...],
    provenance: Provenance,
) -> ExposureResult:
    c, r = eng.compiled, eng.content
    net = c.net
    units = planned_units(c)
    if product is not None:
        targets = nodes_of_part(c, product)
    else:
        targets = np.flatnonzero(net.part_kind[c.node_part] == PRODUCT)
    vec = np.zeros(c.n_nodes)
    vec[targets] = np.nan_to_num(units[targets])
    for part, total in (plan or {}).items():
        nodes = nodes_of_part(c, part)
        stated = np.nan_to_num(units[nodes])
        weights = stated / stated.sum() if stated.sum() > 0 else np.full(len(nodes), 1 / len(nodes))
        vec[nodes] = total * weights
    unplanned = [c.label(n) for n in targets.tolist() if vec[n] <= 0]
    f = flows(c, r, vec)
    cols = [j for j, e in enumerate(r.elements) if e in controlled]
    kg = f.kg_per_year[:, cols]
    hot = np.flatnonzero((kg.sum(axis=1) > 0) & (f.tier < NO_TIER))
    by_site: dict[int, list[int]] = defaultdict(list)
    for n in hot.tolist():
        by_site[int(c.node_site[n])].append(n)
    rows: list[ExposureRow] = []
    for s, members in by_site.items():
        site_kg = kg[members].sum(axis=0)
        products: list[str] | None = None
        if f.products is not None:
            bits = np.bitwise_or.reduce(f.products[members], axis=0)
            k = [i for i in range(len(f.plan_nodes)) if (int(bits[i // 64]) >> (i % 64)) & 1]
            products = sorted({str(net.part_ids[c.node_part[f.plan_nodes[i]]]) for i in k})
        rows.append(
            ExposureRow(
                rank=0,
                site=str(net.site_ids[s]),
                party=str(net.party_ids[net.site_party[s]]),
                country=net.countries[net.site_country[s]],
                tier=int(f.tier[members].min()),
                parts=sorted({str(net.part_ids[c.node_part[n]]) for n in members}),
                kg_per_year={
                    r.elements[j]: float(v) for j, v in zip(cols, site_kg, strict=True) if v > 0
                },
                total_kg_per_year=float(site_kg.sum()),
                products=products,
            )
        )
    rows.sort(key=lambda x: (-x.total_kg_per_year, x.site))
    ranked = [replace(x, rank=i + 1) for i, x in enumerate(rows)]
    return ExposureResult(
        product=product,
        controlled=controlled,
        plan={c.label(n): float(vec[n]) for n in np.flatnonzero(vec > 0).tolist()},
        rows=ranked,
        quality=quality(eng),
        provenance=provenance,
        unplanned_products=unplanned,
    )


@dataclass(frozen=True, slots=True)
class PlanTotals:
    """kg per year of each element for a production plan, per planned node and in all."""

    plan: dict[str, float]  # "site/part" -> units per year
    kg_per_year: dict[str, dict[str, float]]  # "site/part" -> element -> kg/yr
    totals: dict[str, float]
    quality: DataQuality
    provenance: Provenance


def plan_totals(
    eng: Engine, plan: dict[str, float] | None, *, provenance: Provenance
) -> PlanTotals:
    """Totals for ``plan`` (part id -> units/yr) or, by default, the production rows."""
    c, r = eng.compiled, eng.content
    units = planned_units(c)
    vec = np.where(np.isfinite(units) & (c.net.part_kind[c.node_part] == PRODUCT), units, 0.0)
    if plan is not None:
        vec = np.zeros(c.n_nodes)
        for part, total in plan.items():
            nodes = nodes_of_part(c, part)
            vec[nodes] = total / len(nodes)
    planned = np.flatnonzero(vec > 0)
    per = {
        c.label(n): {e: float(vec[n] * r.content_kg[n, j]) for j, e in enumerate(r.elements)}
        for n in planned.tolist()
    }
    totals = (vec[planned, None] * r.content_kg[planned]).sum(axis=0)
    return PlanTotals(
        {c.label(n): float(vec[n]) for n in planned.tolist()},
        per,
        {e: float(v) for e, v in zip(r.elements, totals, strict=True)},
        quality(eng, planned),
        provenance,
    )
