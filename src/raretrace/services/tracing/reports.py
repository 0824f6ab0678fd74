"""Tracing results as plain dataclasses (ids, not indices), built from a compiled engine.

This module holds the per-product trace (content, origin by entry point, controlled-value
shares); where-used and exposure live in ``where_used_report`` and ``exposure_report``,
the shared engine, provenance and data-quality types in ``trace_engine``. All of them
are importable from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from raretrace.analytics.origin import cone, controlled_value, origin
from raretrace.domain.currency import ExchangeRates
from raretrace.domain.elements import RARE_EARTHS
from raretrace.services.tracing.compiled import (
    DataQuality,
    Engine,
    Provenance,
    nodes_of_part,
    opt,
    planned_units,
    quality,
)
from raretrace.services.tracing.exposure import (
    ExposureResult,
    ExposureRow,
    PlanTotals,
    exposure,
    plan_totals,
)
from raretrace.services.tracing.where_used import (
    PathRow,
    ReachRow,
    WhereUsedResult,
    resolve,
    where_used,
)

__all__ = [
    "DataQuality",
    "Engine",
    "ExposureResult",
    "ExposureRow",
    "NodeTrace",
    "OriginShare",
    "PathRow",
    "PlanTotals",
    "Provenance",
    "ReachRow",
    "TraceResult",
    "WhereUsedResult",
    "exposure",
    "nodes_of_part",
    "plan_totals",
    "planned_units",
    "quality",
    "resolve",
    "trace",
    "where_used",
]


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
    value_currency: str | None = None  # of controlled_value: the part's, or the rates' base


@dataclass(frozen=True, slots=True)
class TraceResult:
    product: str
    controlled: tuple[str, ...]
    origin_country: str
    nodes: list[NodeTrace]
    quality: DataQuality
    provenance: Provenance


def trace(
    eng: Engine,
    product: str,
    *,
    site: str | None,
    controlled: tuple[str, ...],
    origin_country: str,
    provenance: Provenance,
    rates: ExchangeRates | None = None,
) -> TraceResult:
    """Content, origin and value shares of the nodes making ``product``. Value shares
    over inputs in other currencies are unknown (None) unless ``rates`` convert them."""
    c, r = eng.compiled, eng.content
    net = c.net
    nodes = nodes_of_part(c, product, site)
    vector = None if rates is None else np.array(rates.vector(net.currencies))
    # Only the cone of the traced nodes: a whole-network sweep for one product is the
    # largest part of a command-line trace at 1M parts.
    value = controlled_value(
        c, r, controlled, origin_country, rates=vector, nodes=cone(eng.tracer, nodes)
    )
    part_currency = net.part_currency[c.node_part]
    units = planned_units(c)
    ctrl_cols = [j for j, e in enumerate(r.elements) if e in controlled]
    node_country, node_party = c.node_country(), c.node_party()
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
                key = (net.countries[node_country[m]], str(net.party_ids[node_party[m]]))
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
                party=str(net.party_ids[node_party[n]]),
                country=net.countries[node_country[n]],
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
                controlled_value=opt(value.value[value.row(n)]),
                controlled_value_share=opt(value.share[value.row(n)]),
                origin_value_share=opt(value.origin_share[value.row(n)]),
                value_currency=rates.base
                if rates is not None
                else (net.currencies[part_currency[n]] if part_currency[n] >= 0 else None),
            )
        )
    return TraceResult(product, controlled, origin_country, out, quality(eng, nodes), provenance)
