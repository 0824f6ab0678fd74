"""What every tracing report is built from: the compiled engine, provenance, data
quality, and node lookups by part id."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np

from raretrace.analytics.matrices import CompiledNetwork
from raretrace.analytics.rollup import Rollup
from raretrace.analytics.where_used import Tracer
from raretrace.errors import NotFoundError

__all__ = [
    "DataQuality",
    "Engine",
    "Provenance",
    "nodes_of_part",
    "opt",
    "planned_units",
    "quality",
]


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
    #: "site/part: Tb +0.04 kg" where a declared composition holds more than the BOM
    #: explains (the BOM is incomplete there; the residual is counted at that node).
    #: At most ``NAMED_RESIDUALS`` are named; ``declared_above_bom_nodes`` counts all.
    declared_above_bom: list[str] = field(default_factory=list)
    declared_above_bom_nodes: int = 0


@dataclass(frozen=True, slots=True)
class Engine:
    """A compiled network and what is derived from it once (default rollup, tracer)."""

    revision: int
    compiled: CompiledNetwork
    content: Rollup
    tracer: Tracer
    key: str = ""  # the network stamp it was compiled from (cache key)


#: Nodes with declared content above their BOM named in ``DataQuality``.
NAMED_RESIDUALS = 100


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
    r = eng.content
    residual = []
    for row, n in enumerate(r.residual_node[:NAMED_RESIDUALS].tolist()):
        kg = r.residual_kg[row]
        named = ", ".join(f"{e} +{kg[j]:.4g} kg" for j, e in enumerate(r.elements) if kg[j] > 0)
        residual.append(f"{c.label(n)}: {named}")
    return DataQuality(parts, count, partial, residual, len(r.residual_node))


def nodes_of_part(c: CompiledNetwork, part: str, site: str | None = None) -> np.ndarray:
    net = c.net
    at = int(np.searchsorted(net.part_ids, part))  # ids are sorted (code point order)
    if at >= len(net.part_ids) or net.part_ids[at] != part:
        hit = np.flatnonzero(net.part_ids == part)  # not sorted after all: look at all
        if not len(hit):
            raise NotFoundError(f"no part {part!r} in the workspace")
        at = int(hit[0])
    nodes = np.flatnonzero(c.node_part == at)
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


def opt(x: float) -> float | None:
    """``None`` for NaN (not known), else a plain float."""
    return None if np.isnan(x) else float(x)
