"""Vega-Lite specs of the Market page: price path, cost per unit by year stacked by
element, and capacity outside China by stage against your need. Pure functions of the
service results (same style and config as ``charts``)."""

from __future__ import annotations

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
    """Per stage (facets): capacity outside China by year for each element line, and a
    rule at your need. ``stages``: [{stage, unit, capacity: {k: [t by year]}, need: {k: t}}]."""
    values: list[dict[str, Any]] = []
    for s in stages:
        for k, series in s["capacity"].items():
            need = s["need"].get(k)
            for y, t in zip(years, series, strict=True):
                values.append(
                    {
                        "stage": s["stage"],
                        "unit": s["unit"],
                        "what": k,
                        "year": y,
                        "capacity": t,
                        "need": need,
                    }
                )
    if not values:
        return None
    return {
        "$schema": SCHEMA,
        "description": "Capacity outside China by stage against your need (t per year)",
        "data": {"values": values},
        "facet": {
            "row": {
                "field": "stage",
                "type": "nominal",
                "sort": ["mining", "separation", "metal", "magnet"],
                "title": None,
            }
        },
        "spec": {
            "layer": [
                {
                    "mark": {"type": "line", "point": True},
                    "encoding": {
                        "x": {"field": "year", "type": "ordinal", "title": None},
                        "y": {
                            "field": "capacity",
                            "type": "quantitative",
                            "title": "t per year",
                            "scale": {"type": "symlog"},
                        },
                        "color": {"field": "what", "type": "nominal", "title": "capacity for"},
                        "tooltip": [
                            {"field": "stage"},
                            {"field": "what"},
                            {"field": "year"},
                            {"field": "capacity", "format": ",.0f"},
                            {"field": "unit"},
                        ],
                    },
                },
                {
                    "mark": {"type": "tick", "color": "black", "thickness": 2},
                    "encoding": {
                        "x": {"field": "year", "type": "ordinal"},
                        "y": {"field": "need", "type": "quantitative"},
                        "detail": {"field": "what"},
                        "tooltip": [
                            {"field": "what"},
                            {"field": "need", "format": ",.3g", "title": "your need, t/yr"},
                        ],
                    },
                },
            ],
            "width": 520,
            "height": 120,
        },
        "resolve": {"scale": {"y": "independent"}},
        "config": CONFIG,
    }
