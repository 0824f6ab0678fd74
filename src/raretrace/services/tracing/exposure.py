"""Supplier exposure (ranked suppliers handling controlled elements, kg per year) and
production-plan totals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

import numpy as np

from raretrace.analytics.exposure import NO_TIER, flows
from raretrace.analytics.matrices import PRODUCT
from raretrace.services.tracing.compiled import (
    DataQuality,
    Engine,
    Provenance,
    nodes_of_part,
    planned_units,
    quality,
)

__all__ = ["ExposureResult", "ExposureRow", "PlanTotals", "exposure", "plan_totals"]


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
