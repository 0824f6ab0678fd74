"""Country concentration by stage: HHI and top-country shares of sourced world figures
(passed in as data), next to the workspace's own origin shares from tracing.

World figures come from the caller (``services.simulation.dependence`` reads the shipped copies of
``shared/data``); nothing here knows a number. Where a source gives only some countries,
the HHI is a *lower bound* (the rest could be spread thinly) and is marked so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from raretrace.analytics.matrices import F64, Bool, CompiledNetwork
from raretrace.analytics.rollup import Rollup
from raretrace.analytics.where_used import Direction, Tracer

__all__ = ["Concentration", "StageOrigin", "concentration", "hhi", "stage_origin"]

STAGES: tuple[str, ...] = ("mining", "separation", "metal", "magnets")


def hhi(shares: F64) -> float:
    """Herfindahl-Hirschman index of shares given in percent (0..10,000)."""
    s = np.asarray(shares, np.float64)
    return float((s * s).sum())


@dataclass(frozen=True, slots=True)
class Concentration:
    stage: str
    countries: list[str]
    shares_pct: list[float]  # as sourced
    hhi: float
    complete: bool  # shares cover (about) 100 %: the HHI is exact, else a lower bound
    top_country: str
    top_share_pct: float


def concentration(stage: str, countries: list[str], shares_pct: list[float]) -> Concentration:
    s = np.asarray(shares_pct, np.float64)
    top = int(np.argmax(s)) if len(s) else -1
    return Concentration(
        stage=stage,
        countries=list(countries),
        shares_pct=[float(x) for x in s],
        hhi=hhi(s),
        complete=bool(abs(s.sum() - 100.0) <= 2.0),  # rounded totals
        top_country=countries[top] if top >= 0 else "",
        top_share_pct=float(s[top]) if top >= 0 else 0.0,
    )


@dataclass(frozen=True, slots=True)
class StageOrigin:
    """kg of ``element`` per unit of the traced nodes, by country of the stage's site."""

    stage: str
    element: str
    countries: list[str]
    kg: F64
    share_pct: F64
    hhi: float


def stage_origin(
    c: CompiledNetwork,
    tracer: Tracer,
    content: Rollup,
    starts: np.ndarray,
    weights: F64,
    stage_mask: Bool,
    stage: str,
    element: str,
) -> StageOrigin:
    """Walk up from ``starts`` (weighted, e.g. planned units) to the first node of the
    stage on every path; sum the element's kg there by the site's country."""
    col = content.elements.index(element) if element in content.elements else -1
    n_c = len(c.net.countries)
    kg = np.zeros(n_c)
    if col >= 0:
        for start, w in zip(np.asarray(starts).tolist(), weights.tolist(), strict=True):
            r = tracer.reach(np.array([start], np.int64), Direction.UP, stage_mask)
            hit = stage_mask[r.nodes]
            nodes = r.nodes[hit]
            np.add.at(
                kg, c.node_country()[nodes], w * r.quantity[hit] * content.content_kg[nodes, col]
            )
    total = kg.sum()
    share = 100.0 * kg / total if total > 0 else np.zeros(n_c)
    keep = np.flatnonzero(kg > 0)
    keep = keep[np.argsort(-kg[keep], kind="stable")]
    return StageOrigin(
        stage=stage,
        element=element,
        countries=[c.net.countries[i] for i in keep.tolist()],
        kg=kg[keep],
        share_pct=share[keep],
        hhi=hhi(share[keep]),
    )
