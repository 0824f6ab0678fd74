"""Vega-Lite specs of a simulation result, shared by the web app and the CLI's chart
files (data inline; a chart with nothing to draw says why)."""

from __future__ import annotations

from typing import Any

import numpy as np

from raretrace.analytics.results import SimulationResult

__all__ = ["chart_specs"]


def _note(text: str) -> dict[str, Any]:
    """An empty chart that says why it is empty."""
    return {"data": {"values": [{"note": text}]}, "mark": {"type": "text", "fontSize": 13},
            "encoding": {"text": {"field": "note"}}, "usermeta": {"empty": text}}  # fmt: skip


def chart_specs(r: SimulationResult) -> dict[str, dict[str, Any]]:
    """Vega-Lite specs (data inline) for the web app and the CLI's HTML charts. A chart
    with nothing to draw carries a text mark and ``usermeta.empty`` saying why."""
    schema = "https://vega.github.io/schema/vega-lite/v5.json"
    stop = r.stop_probability()
    bars = [{"product": f"{p} @ {s}", "stop_probability": float(v)}
            for p, s, v in zip(r.track_part, r.track_site, stop.tolist(), strict=True)]  # fmt: skip
    first = [{"product": f"{p} @ {s}", "day": float(d)}
             for j, (p, s) in enumerate(zip(r.track_part, r.track_site, strict=True))
             for d in r.first_stop[:, j][np.isfinite(r.first_stop[:, j])].tolist()]  # fmt: skip
    horizon = float(r.scenario.get("horizon_days") or r.step_days * r.n_steps)
    stop_chart: dict[str, Any] = {
        "$schema": schema, "title": "Probability of a stoppage within the horizon",
        "data": {"values": bars}, "mark": "bar",
        "encoding": {"y": {"field": "product", "type": "nominal", "sort": "-x"},
                     "x": {"field": "stop_probability", "type": "quantitative",
                           "scale": {"domain": [0, 1]}}},
    }  # fmt: skip
    if not bars:
        stop_chart = {"$schema": schema, "title": stop_chart["title"],
                      **_note("No product line has planned output in this scenario.")}  # fmt: skip
    # small multiples: one row per product line, the same day axis, its own count axis
    first_chart: dict[str, Any] = {
        "$schema": schema, "title": "Day of the first stoppage (runs that stop), per product line",
        "data": {"values": first},
        "facet": {"row": {"field": "product", "type": "nominal", "title": None,
                          "header": {"labelAngle": 0, "labelAlign": "left"}}},
        "spec": {"width": 420, "height": 60, "mark": "bar",
                 "encoding": {"x": {"field": "day", "type": "quantitative",
                                    "bin": {"maxbins": 30, "extent": [0, horizon]},
                                    "scale": {"domain": [0, horizon]}},
                              "y": {"aggregate": "count", "type": "quantitative",
                                    "title": "runs"}}},
        "resolve": {"scale": {"y": "independent"}},
    }  # fmt: skip
    if not first:
        first_chart = {"$schema": schema, "title": first_chart["title"],
                       **_note("No run stops a product line within the horizon.")}  # fmt: skip
    specs: dict[str, dict[str, Any]] = {"stop_probability": stop_chart,
                                        "first_stop_day": first_chart}  # fmt: skip
    if r.stock_needed:
        target = float(r.scenario.get("stop_probability_target", 0.05))
        links = [{"link": f"{x['part']} from {x['supplier']} to {x['site']} ({x['buyer_part']})",
                  "now": x["stock_days_now"], "needed": x["stock_days_needed"]}
                 for x in r.stock_needed]  # fmt: skip
        specs["stock_needed"] = {
            "$schema": schema,
            "title": f"Stock per link (days) to keep P(shortfall) under {target:.0%}: "
                     "needed (bar) vs now (tick)",
            "data": {"values": links},
            "encoding": {"y": {"field": "link", "type": "nominal", "sort": "-x", "title": None,
                               "axis": {"labelLimit": 400}}},
            "layer": [
                {"mark": {"type": "bar", "opacity": 0.6},
                 "encoding": {"x": {"field": "needed", "type": "quantitative",
                                    "title": "days of stock"}}},
                {"mark": {"type": "tick", "thickness": 3, "color": "black"},
                 "encoding": {"x": {"field": "now", "type": "quantitative"}}},
            ],
        }  # fmt: skip
    for w, name in enumerate(r.watch):
        stock = r.watch_stock[:, w, :]
        lo, mid, hi = (np.quantile(stock, q, axis=0) for q in (0.1, 0.5, 0.9))
        # the stock is the level at the end of step t; day 0 is the starting stock
        init = r.extra.get("watch_init", [])
        start = (
            [{"day": 0.0, "p10": init[w], "p50": init[w], "p90": init[w]}]
            if (w < len(init) and np.isfinite(init[w]))
            else []
        )
        rows = start + [{"day": min(float((t + 1) * r.step_days), horizon), "p10": float(a),
                 "p50": float(m), "p90": float(z)}
                for t, (a, m, z) in enumerate(zip(lo, mid, hi, strict=True))]  # fmt: skip
        specs[f"stock:{name}"] = {
            "$schema": schema, "title": f"Least input stock at {name} (days; P10-P90 band)",
            "data": {"values": rows},
            "layer": [
                {"mark": {"type": "area", "opacity": 0.3},
                 "encoding": {"x": {"field": "day", "type": "quantitative"},
                              "y": {"field": "p10", "type": "quantitative"},
                              "y2": {"field": "p90"}}},
                {"mark": "line", "encoding": {"x": {"field": "day", "type": "quantitative"},
                                              "y": {"field": "p50", "type": "quantitative",
                                                    "title": "stock, days"}}},
            ],
        }  # fmt: skip
    return specs
