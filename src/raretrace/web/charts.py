"""Charts as data: pure functions from service results to Vega-Lite specs (dicts).

Pages embed the spec as JSON and the vendored vega-embed renders it; JSON twins return
the same spec.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.parts import CompositionLine
from raretrace.services.upstream import UpstreamNetwork

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
_FONT = {"font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"}
CONFIG: dict[str, Any] = {
    "view": {"stroke": None},
    "axis": {"labelFont": _FONT["font"], "titleFont": _FONT["font"], "grid": False},
    "legend": {"labelFont": _FONT["font"], "titleFont": _FONT["font"]},
    "text": _FONT,
}


def country_bar(parties_by_country: dict[str, int]) -> dict[str, Any]:
    """Horizontal bar chart of parties per country."""
    values = [{"country": c, "parties": n} for c, n in parties_by_country.items()]
    return {
        "$schema": SCHEMA,
        "description": "Parties per country",
        "data": {"values": values},
        "mark": {"type": "bar", "cornerRadiusEnd": 3, "color": "#2f6f8f"},
        "encoding": {
            "y": {"field": "country", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "parties", "type": "quantitative", "title": "parties"},
            "tooltip": [{"field": "country"}, {"field": "parties"}],
        },
        "width": "container",
        "height": {"step": 18},
        "config": CONFIG,
    }


def composition_bar(lines: Sequence[CompositionLine]) -> dict[str, Any] | None:
    """Declared mass fraction per element; rare earths highlighted."""
    if not lines:
        return None
    values = [
        {
            "element": c.element,
            "percent": round(c.mass_fraction * 100, 6),
            "group": "rare earth" if c.element in RARE_EARTHS else "other",
        }
        for c in lines
    ]
    return {
        "$schema": SCHEMA,
        "description": "Declared composition (mass %)",
        "data": {"values": values},
        "mark": {"type": "bar", "cornerRadiusEnd": 3},
        "encoding": {
            "y": {"field": "element", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "percent", "type": "quantitative", "title": "mass %"},
            "color": {
                "field": "group",
                "type": "nominal",
                "scale": {"domain": ["rare earth", "other"], "range": ["#c2410c", "#94a3b8"]},
                "legend": {"orient": "bottom", "title": None},
            },
            "tooltip": [{"field": "element"}, {"field": "percent", "format": ".4~f"}],
        },
        "width": "container",
        "height": {"step": 20},
        "config": CONFIG,
    }


def network_spec(net: UpstreamNetwork) -> dict[str, Any]:
    """Tiers left to right (raw materials left, the product right), one point per
    (site, part) node coloured by country, edges as rules whose width grows with the
    (log) flow they carry per product unit: mass where known, else units."""
    last = max((n.tier for n in net.nodes), default=0)
    rows: dict[int, int] = defaultdict(int)
    pos: dict[str, tuple[int, int]] = {}
    for node in net.nodes:  # nodes come sorted by tier, country, part
        pos[node.node_id] = (last - node.tier, rows[node.tier])
        rows[node.tier] += 1
    tallest = max(rows.values(), default=1)
    nodes = [
        {
            "id": n.node_id,
            "x": pos[n.node_id][0],
            "y": pos[n.node_id][1] + (tallest - rows[n.tier]) / 2,
            "part": n.part_name,
            "part_id": n.part_id,
            "site": n.site_name,
            "party": n.party,
            "country": n.country or "unknown",
            "units": n.units,
            "mass_kg": n.mass_kg,
            "rare_earths": ", ".join(n.rare_earths),
            "label": _short(n.part_name, 22),
        }
        for n in net.nodes
    ]
    weights = [e.mass_kg if e.mass_kg is not None else e.units for e in net.edges]
    positive = [w for w in weights if w > 0]
    lo, hi = (min(positive), max(positive)) if positive else (1.0, 1.0)
    edges = []
    for edge, w in zip(net.edges, weights, strict=True):
        if edge.source not in pos or edge.target not in pos:
            continue
        (x, y), (x2, y2) = pos[edge.source], pos[edge.target]
        offset_a = (tallest - rows[last - x]) / 2
        offset_b = (tallest - rows[last - x2]) / 2
        edges.append(
            {
                "x": x, "y": y + offset_a, "x2": x2, "y2": y2 + offset_b,
                "part_id": edge.part_id, "units": edge.units, "mass_kg": edge.mass_kg,
                "width": _width(w, lo, hi),
            }
        )  # fmt: skip
    x_scale = {"domain": [-0.3, last + 0.3]}
    y_scale = {"domain": [tallest - 0.5, -0.5]}
    axis_x = {
        "title": "tier (raw materials → product)",
        "tickMinStep": 1,
        "labelExpr": f"datum.value == {last} ? 'product' : 'tier ' + ({last} - datum.value)",
    }
    return {
        "$schema": SCHEMA,
        "description": f"Upstream supply network of {net.product_id}",
        "width": max(360, 170 * (last + 1)),
        "height": max(160, 30 * tallest),
        "layer": [
            {
                "data": {"values": edges},
                "mark": {"type": "rule", "color": "#94a3b8", "opacity": 0.8},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "scale": x_scale, "axis": axis_x},
                    "y": {"field": "y", "type": "quantitative", "scale": y_scale, "axis": None},
                    "x2": {"field": "x2"},
                    "y2": {"field": "y2"},
                    "strokeWidth": {"field": "width", "type": "quantitative", "scale": None},
                    "tooltip": [
                        {"field": "part_id", "title": "part"},
                        {"field": "units", "title": "units per product", "format": ".4~g"},
                        {"field": "mass_kg", "title": "kg per product", "format": ".4~g"},
                    ],
                },
            },
            {
                "data": {"values": nodes},
                "mark": {"type": "circle", "size": 260, "stroke": "white", "strokeWidth": 1.5},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative"},
                    "y": {"field": "y", "type": "quantitative"},
                    "color": {
                        "field": "country",
                        "type": "nominal",
                        "scale": {"scheme": "tableau10"},
                        "legend": {"title": "country", "orient": "right"},
                    },
                    "tooltip": [
                        {"field": "part", "title": "part"},
                        {"field": "site", "title": "site"},
                        {"field": "party", "title": "party"},
                        {"field": "country", "title": "country"},
                        {"field": "units", "title": "units per product", "format": ".4~g"},
                        {"field": "rare_earths", "title": "rare earths"},
                    ],
                    "href": {"field": "href"},
                },
                "transform": [{"calculate": "'/parts/' + datum.part_id", "as": "href"}],
            },
            {
                "data": {"values": nodes},
                "mark": {"type": "text", "dy": -15, "fontSize": 11, "color": "#1e293b"},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative"},
                    "y": {"field": "y", "type": "quantitative"},
                    "text": {"field": "label"},
                },
            },
        ],
        "config": CONFIG,
    }


def _width(value: float, lo: float, hi: float) -> float:
    if value <= 0:
        return 1.0
    if hi <= lo:
        return 4.0
    return round(1.0 + 9.0 * math.log(value / lo) / math.log(hi / lo), 2)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
