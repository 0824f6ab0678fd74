"""The stock a disruption simulation says is needed, valued under a price scenario.

``raretrace simulate`` reports, per covered supply link, the days of stock that keep a
shortfall below its target (``stock_needed``: buyer site, part, supplier, days now and
needed). For a product, each such link carries the kg of rare earths its supplier ships
of that part for the product (tracing's flows); holding the days needed bought at base
prices avoids the price rise of the scenario's peak year.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from raretrace.analytics.exposure import flows
from raretrace.analytics.matrices import F64
from raretrace.services.tracing.compiled import Engine

__all__ = ["value_stock_needed"]


def value_stock_needed(
    eng: Engine,
    plan: F64,
    elements: tuple[str, ...],
    price_base: F64,
    price_peak: F64,
    rows: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """One row per link of ``rows`` that carries rare earths for ``plan``: kg held,
    value at base prices and the price rise it avoids (material prices, no margins).
    ``price_*``: price per kg of element (factor included) in ``elements`` order."""
    c, r = eng.compiled, eng.content
    net = c.net
    col = [r.elements.index(e) for e in elements]
    f = flows(c, r, plan)
    out: list[dict[str, Any]] = []
    for row in rows:
        try:
            site = np.flatnonzero(net.site_ids == str(row["supplier"]))
            part = np.flatnonzero(net.part_ids == str(row["part"]))
            days = float(row["stock_days_needed"])
        except (KeyError, TypeError, ValueError):
            continue
        if not len(site) or not len(part) or not np.isfinite(days) or days < 0:
            continue
        node = int(c.find(site[:1], part[:1])[0])
        if node < 0:
            continue
        kg_year = f.shipped[node] * r.content_kg[node, col]
        if kg_year.sum() <= 0:
            continue
        held = kg_year * days / 365.0
        base = float(np.nansum(held * price_base))
        peak = float(np.nansum(held * price_peak))
        out.append(
            {
                "supplier": str(row["supplier"]),
                "part": str(row["part"]),
                "buyer": str(row.get("site", "")),
                "stock_days_now": row.get("stock_days_now"),
                "stock_days_needed": days,
                "kg": {e: float(k) for e, k in zip(elements, held, strict=True) if k > 0},
                "value_at_base": base,
                "price_rise_avoided": peak - base,
            }
        )
    out.sort(key=lambda x: -x["price_rise_avoided"])
    return out
