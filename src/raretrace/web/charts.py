"""Charts as data: pure functions from service results to Vega-Lite specs (dicts).

Pages embed the spec as JSON and the vendored vega-embed renders it; JSON twins return
the same spec.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.parts import CompositionLine
from raretrace.services.tracing.upstream import UpstreamNetwork

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
_FONT = {"font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"}
CONFIG: dict[str, Any] = {
    "view": {"stroke": None},
    "axis": {"labelFont": _FONT["font"], "titleFont": _FONT["font"], "grid": False},
    "legend": {"labelFont": _FONT["font"], "titleFont": _FONT["font"]},
    "text": _FONT,
}


_UNSAFE = dict.fromkeys((*range(0, 32), 127, 133, 8232, 8233), " ")


def clean_spec(value: Any) -> Any:
    """``value`` with control characters and U+2028/U+2029 in every string turned into
    spaces. Vega compiles sort lists and labels into expressions, where a line separator
    inside a string broke the parser (a product named with U+2028 blanked the dashboard's
    main chart for everyone)."""
    if isinstance(value, str):
        return value.translate(_UNSAFE)
    if isinstance(value, dict):
        return {clean_spec(k): clean_spec(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_spec(v) for v in value]
    return value


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
    # Only tiers that hold nodes get a column (no empty column at the left).
    tiers = sorted({n.tier for n in net.nodes}, reverse=True)
    column = {t: i for i, t in enumerate(tiers)}
    last = max(len(tiers) - 1, 0)
    rows: dict[int, int] = defaultdict(int)
    pos: dict[str, tuple[int, int]] = {}
    for node in net.nodes:  # nodes come sorted by tier, country, part
        pos[node.node_id] = (column[node.tier], rows[node.tier])
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
        offset_a = (tallest - rows[tiers[x]]) / 2
        offset_b = (tallest - rows[tiers[x2]]) / 2
        edges.append(
            {
                "x": x, "y": y + offset_a, "x2": x2, "y2": y2 + offset_b,
                "part_id": edge.part_id, "units": edge.units, "mass_kg": edge.mass_kg,
                "width": _width(w, lo, hi),
            }
        )  # fmt: skip
    tier_labels = ["product" if t == 0 else f"tier {t}" for t in tiers]
    x_scale = {"domain": [-0.3, last + 0.3]}
    y_scale = {"domain": [tallest - 0.5, -0.5]}
    axis_x = {
        "title": "tier (raw materials → product)",
        "tickMinStep": 1,
        "labelExpr": f"{json.dumps(tier_labels)}[datum.value] || ''",
    }
    return {
        "$schema": SCHEMA,
        "description": f"Upstream supply network of {net.product_id}",
        # The card's width: the product column and the legend stay in view.
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
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
                        "legend": {"title": "country", "orient": "bottom", "columns": 8},
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


# -- tracing, classification and screening charts ---------------------------------------

VEGA_SCHEMA = "https://vega.github.io/schema/vega/v6.json"
_CONTROLLED_COLOURS = {
    "domain": ["controlled", "other rare earth"],
    "range": ["#c2410c", "#f4b183"],
}


def content_bar(content_kg: dict[str, float], controlled: Sequence[str]) -> dict[str, Any] | None:
    """Rolled-up rare-earth content per unit (grams), controlled elements highlighted."""
    values = [
        {
            "element": e,
            "grams": round(kg * 1000, 6),
            "group": "controlled" if e in controlled else "other rare earth",
        }
        for e, kg in content_kg.items()
        if e in RARE_EARTHS and kg > 0
    ]
    if not values:
        return None
    return {
        "$schema": SCHEMA,
        "description": "Rolled-up rare-earth content per unit",
        "data": {"values": values},
        "mark": {"type": "bar", "cornerRadiusEnd": 3},
        "encoding": {
            "y": {"field": "element", "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": "grams", "type": "quantitative", "title": "grams per unit"},
            "color": {
                "field": "group",
                "type": "nominal",
                "scale": _CONTROLLED_COLOURS,
                "legend": {"orient": "bottom", "title": None},
            },
            "tooltip": [
                {"field": "element"},
                {"field": "grams", "title": "g per unit", "format": ".4~g"},
            ],
        },
        "width": "container",
        "height": {"step": 22},
        "config": CONFIG,
    }


def origin_stack(origin: dict[str, list[tuple[str, str, float]]]) -> dict[str, Any] | None:
    """Share of each element by the country (and party) where it enters the chain.

    ``origin`` maps element -> [(country, party, share)]."""
    values = [
        {"element": e, "country": country or "?", "party": party, "share": round(share, 6)}
        for e, rows in origin.items()
        for country, party, share in rows
        if share > 0
    ]
    if not values:
        return None
    return {
        "$schema": SCHEMA,
        "description": "Origin of each rare earth by entry-point country",
        "data": {"values": values},
        "mark": {"type": "bar", "stroke": "white", "strokeWidth": 1},
        "encoding": {
            "y": {"field": "element", "type": "nominal", "title": None},
            "x": {
                "aggregate": "sum",
                "field": "share",
                "type": "quantitative",
                "title": "share of content",
                "axis": {"format": ".0%"},
                "scale": {"domain": [0, 1]},
            },
            "color": {
                "field": "country",
                "type": "nominal",
                "scale": {"scheme": "tableau10"},
                "legend": {"orient": "bottom", "title": "entry-point country"},
            },
            "order": {"field": "share", "type": "quantitative", "sort": "descending"},
            "tooltip": [
                {"field": "element"},
                {"field": "country"},
                {"field": "party"},
                {"field": "share", "format": ".1%"},
            ],
        },
        "width": "container",
        "height": {"step": 24},
        "config": CONFIG,
    }


def stacked_kg(
    rows: Sequence[tuple[str, str, dict[str, float]]], title: str, *, unit: str = "kg per year"
) -> dict[str, Any] | None:
    """Horizontal bars, one per (label, tooltip name), stacked by element; ``rows`` is
    [(label, name, element -> kg)] in the order to show."""
    values = [
        {"label": label, "name": name, "element": e, "kg": round(kg, 6)}
        for label, name, by_element in rows
        for e, kg in by_element.items()
        if kg > 0
    ]
    if not values:
        return None
    order = [label for label, _, _ in rows]
    return {
        "$schema": SCHEMA,
        "description": title,
        "data": {"values": values},
        "mark": {"type": "bar", "stroke": "white", "strokeWidth": 0.5},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": order, "title": None},
            "x": {"aggregate": "sum", "field": "kg", "type": "quantitative", "title": unit},
            "color": {
                "field": "element",
                "type": "nominal",
                "scale": {"scheme": "category10"},
                "legend": {"orient": "bottom", "title": None},
            },
            "tooltip": [
                {"field": "name"},
                {"field": "element"},
                {"field": "kg", "title": unit, "format": ",.4~g"},
            ],
        },
        "width": "container",
        "height": {"step": 22},
        "config": CONFIG,
    }


def feature_bar(
    features: Sequence[tuple[str, float]], score: float, threshold: float
) -> dict[str, Any]:
    """What each matching feature added to a screening score, with the threshold."""
    values = [{"feature": f, "contribution": round(c, 4)} for f, c in features]
    values.append({"feature": "= score", "contribution": round(score, 4)})
    order = [f for f, _ in features] + ["= score"]
    return {
        "$schema": SCHEMA,
        "description": "Score contributions by feature",
        "width": "container",
        "height": {"step": 24},
        "layer": [
            {
                "data": {"values": values},
                "mark": {"type": "bar", "cornerRadiusEnd": 3},
                "encoding": {
                    "y": {"field": "feature", "type": "nominal", "sort": order, "title": None},
                    "x": {
                        "field": "contribution",
                        "type": "quantitative",
                        "title": "added to the score",
                        "scale": {"domain": [min(0.0, *(c for _, c in features)), 1]},
                    },
                    "color": {
                        "condition": {"test": "datum.feature == '= score'", "value": "#0f2f3f"},
                        "value": "#2f6f8f",
                    },
                    "tooltip": [{"field": "feature"}, {"field": "contribution"}],
                },
            },
            {
                "data": {"values": [{"threshold": threshold}]},
                "mark": {"type": "rule", "color": "#c2410c", "strokeDash": [4, 3], "size": 2},
                "encoding": {"x": {"field": "threshold", "type": "quantitative"}},
            },
        ],
        "config": CONFIG,
    }


_SIM_HEIGHT = {"stop_probability": {"step": 22}, "first_stop_day": 220}


def simulation_charts(specs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The simulation service's ``chart_specs()`` in the app's look: same data and
    encodings, this Vega-Lite version, container width, the app's fonts and colours."""
    out: dict[str, dict[str, Any]] = {}
    for key, spec in specs.items():
        s = {**spec, "$schema": SCHEMA, "width": "container", "config": CONFIG}
        s["description"] = s.pop("title", key)
        s["height"] = _SIM_HEIGHT.get(key, 240)
        if "usermeta" in spec and "empty" in spec["usermeta"]:
            s["height"] = 60  # a note saying why there is nothing to draw
        elif "facet" in spec:
            # small multiples: a facet cannot take the container's width
            del s["width"], s["height"]
            inner = dict(s["spec"])
            inner["mark"] = {"type": "bar", "cornerRadiusEnd": 2, "color": "#b45309"}
            enc = dict(inner["encoding"])
            enc["x"] = {**enc["x"], "title": "day of the first stoppage"}
            inner["encoding"] = enc
            s["spec"] = inner
        elif key == "stop_probability":
            s["mark"] = {"type": "bar", "cornerRadiusEnd": 3, "color": "#b45309"}
            enc = dict(s["encoding"])
            enc["y"] = {**enc["y"], "title": None}
            enc["x"] = {**enc["x"], "title": "probability of a stoppage", "axis": {"format": "%"}}
            enc["tooltip"] = [
                {"field": "product"},
                {"field": "stop_probability", "format": ".1%", "title": "probability"},
            ]
            s["encoding"] = enc
        elif key == "stock_needed":
            s["height"] = {"step": 18}
        elif key.startswith("stock:"):
            layers = [dict(layer) for layer in s["layer"]]
            layers[0]["mark"] = {"type": "area", "opacity": 0.25, "color": "#2f6f8f"}
            layers[1]["mark"] = {"type": "line", "color": "#2f6f8f", "strokeWidth": 2}
            enc = dict(layers[1]["encoding"])
            enc["x"] = {**enc["x"], "title": "day"}
            enc["tooltip"] = [
                {"field": "day"},
                {"field": "p10", "format": ".1f", "title": "P10"},
                {"field": "p50", "format": ".1f", "title": "P50"},
                {"field": "p90", "format": ".1f", "title": "P90"},
            ]
            layers[1]["encoding"] = enc
            s["layer"] = layers
        out[key] = s
    return out


def dependence_chart(rows: Sequence[tuple[str, str, str, float, float | None]]) -> dict[str, Any]:
    """(stage, element, top country, your share %, world share % of that country):
    grouped bars, one pair per stage and element."""
    values: list[dict[str, Any]] = []
    for stage, element, country, ours, world in rows:
        label = f"{stage} · {element} ({country})"
        values.append({"row": label, "who": "your network", "share": round(ours, 2)})
        if world is not None:
            values.append({"row": label, "who": "world", "share": round(world, 2)})
    return {
        "$schema": SCHEMA,
        "description": "Share of the top country of your network, yours vs the world's",
        "data": {"values": values},
        "mark": {"type": "bar", "cornerRadiusEnd": 3},
        "encoding": {
            "y": {"field": "row", "type": "nominal", "title": None, "sort": None},
            "yOffset": {"field": "who"},
            "x": {
                "field": "share",
                "type": "quantitative",
                "title": "share of the top country, %",
                "scale": {"domain": [0, 100]},
            },
            "color": {
                "field": "who",
                "type": "nominal",
                "scale": {"domain": ["your network", "world"], "range": ["#c2410c", "#94a3b8"]},
                "legend": {"orient": "bottom", "title": None},
            },
            "tooltip": [{"field": "row"}, {"field": "who"}, {"field": "share", "format": ".1f"}],
        },
        "width": "container",
        "height": {"step": 12},
        "config": CONFIG,
    }
