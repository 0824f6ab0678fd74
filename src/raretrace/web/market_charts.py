"""Vega-Lite specs of the Market page: price path, cost per unit by year stacked by
element, and capacity outside China by stage against your need. Pure functions of the
service results (same style and config as ``charts``)."""

from __future__ import annotations

import math
from typing import Any

from raretrace.web.charts import CONFIG, SCHEMA

__all__ = ["cost_stack", "horizon_chart", "price_lines"]


def price_lines(
    prices: dict[str, dict[int, float | None]],
    base: dict[str, dict[int, float | None]],
    currency: str,
) -> dict[str, Any] | None:
    """One line per element (scenario solid, base dashed), log scale: Dy and Ce differ
    by three orders of magnitude."""
    values = [
        {"element": e, "year": y, "price": p, "path": path}
        for path, grid in (("scenario", prices), ("base", base))
        for e, by_year in grid.items()
        for y, p in by_year.items()
        if p is not None and p > 0
    ]
    if not values:
        return None
    return {
        "$schema": SCHEMA,
        "description": f"Price path, {currency} per kg",
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": None},
            "y": {
                "field": "price",
                "type": "quantitative",
                "scale": {"type": "log"},
                "title": f"{currency} per kg (log scale)",
            },
            "color": {"field": "element", "type": "nominal", "scale": {"scheme": "category10"}},
            "strokeDash": {
                "field": "path",
                "type": "nominal",
                "sort": ["scenario", "base"],
                "legend": {"title": None},
            },
            "tooltip": [
                {"field": "element"},
                {"field": "year"},
                {"field": "path"},
                {"field": "price", "format": ",.2f"},
            ],
        },
        "width": "container",
        "height": 240,
        "config": CONFIG,
    }


def cost_stack(years: list[tuple[int, dict[str, float]]], currency: str) -> dict[str, Any] | None:
    """Cost per unit by year, stacked by element."""
    values = [
        {"year": y, "element": e, "cost": round(v, 6)}
        for y, by_el in years
        for e, v in by_el.items()
        if v > 0
    ]
    if not values:
        return None
    return {
        "$schema": SCHEMA,
        "description": f"Rare-earth cost per unit, {currency}",
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": None},
            "y": {
                "aggregate": "sum",
                "field": "cost",
                "type": "quantitative",
                "title": f"{currency} per unit",
            },
            "color": {"field": "element", "type": "nominal", "scale": {"scheme": "category10"}},
            "tooltip": [
                {"field": "year"},
                {"field": "element"},
                {"field": "cost", "format": ",.2f", "title": currency},
            ],
        },
        "width": "container",
        "height": 240,
        "config": CONFIG,
    }


def horizon_chart(years: list[int], stages: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Stage (rows) by year (columns): the share of your need (t, all elements) that
    capacity outside China could cover if you were first in line (the least covered
    element in the tooltip),
    with the pro-rata share of the world line in the tooltip where there is one.
    ``stages``: [{stage, unit, capacity: {k: [t by year]}, need: {k: t}, covered,
    world_share}]."""
    values: list[dict[str, Any]] = []
    for s in stages:
        if not s["need"]:
            continue
        for i, y in enumerate(years):
            cover = {
                k: min(1.0, s["capacity"][k][i] / t) if t > 0 else 1.0 for k, t in s["need"].items()
            }
            worst = min(cover, key=lambda k: cover[k])
            share = s.get("world_share")
            v = s["covered"][i]
            values.append({
                "stage": s["stage"], "year": y, "cover": round(v, 4),
                "limiting": f"{worst} {100 * cover[worst]:.0f}%",
                "label": f"{math.floor(1000 * v) / 10:g}%",
                "pro_rata": None if share is None else round(share[i], 4),
            })  # fmt: skip
    if not values:
        return None
    order = ["mining", "separation", "metal", "magnet"]
    enc_x = {"field": "year", "type": "ordinal", "title": None}
    enc_y = {"field": "stage", "type": "nominal", "sort": order, "title": None}
    return {
        "$schema": SCHEMA,
        "description": "Share of your need capacity outside China could cover, by stage and year",
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "rect", "stroke": "white"},
             "encoding": {"x": enc_x, "y": enc_y,
                          "color": {"field": "cover", "type": "quantitative",
                                    "scale": {"domain": [0, 1], "scheme": "redyellowgreen"},
                                    "legend": {"title": "covered",
                                               "format": ".0%"}},
                          "tooltip": [{"field": "stage"}, {"field": "year"},
                                      {"field": "label", "title": "you first in line"},
                                      {"field": "limiting", "title": "least covered"},
                                      {"field": "pro_rata", "format": ".1%",
                                       "title": "pro rata (world line)"}]}},
            {"mark": {"type": "text", "fontSize": 11},
             "encoding": {"x": enc_x, "y": enc_y, "text": {"field": "label"}}},
        ],
        "width": "container",
        "height": {"step": 34},
        "config": CONFIG,
    }  # fmt: skip
