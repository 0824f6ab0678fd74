"""The Sankey chart of element flows (Vega spec): columns from mines to the product,
link width in kg, colour by country."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from raretrace.web.charts import _FONT, VEGA_SCHEMA


@dataclass(frozen=True, slots=True)
class SankeyNode:
    node_id: str
    label: str
    column: int  # 0 = mines (left)
    kg: float
    country: str
    tooltip: str


@dataclass(frozen=True, slots=True)
class SankeyLink:
    source: str
    target: str
    kg: float
    part: str


SANKEY_WIDTH = 1100
_NODE_W = 14
_PAD = 12


def sankey_spec(
    nodes: Sequence[SankeyNode],
    links: Sequence[SankeyLink],
    title: str,
    unit: str,
    *,
    countries: Sequence[str] | None = None,
) -> dict[str, Any] | None:
    """A Sankey diagram as a Vega spec: node rectangles and link ribbons whose positions
    and widths are computed here (Vega has no sankey layout), drawn with rect and path
    marks. Columns run left to right; node height and link width are proportional to kg."""
    if not nodes or not links:
        return None
    by_col: dict[int, list[SankeyNode]] = defaultdict(list)
    for n in nodes:
        by_col[n.column].append(n)
    columns = max(by_col) + 1
    tallest = max(len(v) for v in by_col.values())
    height = max(320, min(900, 46 * tallest))
    top = 34  # room for the legend above the diagram
    # One scale for all columns: the fullest column fills the height.
    scale = min(
        (height - _PAD * (len(col) - 1)) / max(sum(n.kg for n in col), 1e-300)
        for col in by_col.values()
    )
    step = (SANKEY_WIDTH - 260) / max(columns - 1, 1)
    rects: dict[str, dict[str, float]] = {}
    out_rows = []
    for col, members in sorted(by_col.items()):
        members.sort(key=lambda n: (-n.kg, n.node_id))
        used = sum(max(n.kg * scale, 2.0) for n in members) + _PAD * (len(members) - 1)
        y = top + (height - used) / 2
        x = 10 + col * step
        for n in members:
            h = max(n.kg * scale, 2.0)
            rects[n.node_id] = {"x": x, "y": y, "h": h}
            out_rows.append(
                {
                    "id": n.node_id, "x": x, "x2": x + _NODE_W, "y": y, "y2": y + h,
                    "label": n.label if h >= 9 else "", "country": n.country or "?",
                    "kg": n.kg, "tooltip": n.tooltip,
                    "limit": 240 if col == columns - 1 else max(step - _NODE_W - 10, 30),
                }
            )  # fmt: skip
            y += h + _PAD
    # Stack links on each node's side, ordered by the other end's position.
    out_off: dict[str, float] = defaultdict(float)
    in_off: dict[str, float] = defaultdict(float)
    ordered = [lk for lk in links if lk.source in rects and lk.target in rects and lk.kg > 0]
    by_id = {n.node_id: n for n in nodes}
    paths = []
    for lk in sorted(ordered, key=lambda lk: (rects[lk.source]["y"], rects[lk.target]["y"])):
        s, t = rects[lk.source], rects[lk.target]
        w = lk.kg * scale
        y0 = s["y"] + out_off[lk.source]
        y1 = t["y"] + in_off[lk.target]
        out_off[lk.source] += w
        in_off[lk.target] += w
        x0, x1 = s["x"] + _NODE_W, t["x"]
        xm = (x0 + x1) / 2
        path = (
            f"M{x0:.1f},{y0:.2f}C{xm:.1f},{y0:.2f} {xm:.1f},{y1:.2f} {x1:.1f},{y1:.2f}"
            f"L{x1:.1f},{y1 + w:.2f}C{xm:.1f},{y1 + w:.2f} {xm:.1f},{y0 + w:.2f} "
            f"{x0:.1f},{y0 + w:.2f}Z"
        )
        source = by_id[lk.source]
        paths.append(
            {
                "path": path, "kg": lk.kg, "part": lk.part, "country": source.country or "?",
                "from": source.label, "to": lk.target,
            }
        )  # fmt: skip
    shown = {n.country or "?" for n in nodes}
    domain = sorted(shown.union(countries or ()))
    tip_link = f"{{'part': datum.part, 'from': datum.from, '{unit}': format(datum.kg, ',.4~g')}}"
    tip_node = f"{{'node': datum.tooltip, '{unit}': format(datum.kg, ',.4~g')}}"
    return {
        "$schema": VEGA_SCHEMA,
        "description": title,
        "width": SANKEY_WIDTH,
        "height": height + top,
        "padding": 8,
        "autosize": "none",
        "data": [
            {"name": "links", "values": paths},
            {"name": "nodes", "values": out_rows},
        ],
        "scales": [
            {
                "name": "colour",
                "type": "ordinal",
                "domain": domain,
                "range": {"scheme": "tableau20"},
            }
        ],
        "legends": [
            {
                "fill": "colour",
                "title": "country",
                "orient": "none",
                "legendX": 10,
                "legendY": 0,
                "direction": "horizontal",
            }
        ],
        "marks": [
            {
                "type": "path",
                "from": {"data": "links"},
                "encode": {
                    "enter": {
                        "path": {"field": "path"},
                        "fill": {"scale": "colour", "field": "country"},
                        "fillOpacity": {"value": 0.35},
                        "tooltip": {"signal": tip_link},
                    },
                    "hover": {"fillOpacity": {"value": 0.7}},
                    "update": {"fillOpacity": {"value": 0.35}},
                },
            },
            {
                "type": "rect",
                "from": {"data": "nodes"},
                "encode": {
                    "enter": {
                        "x": {"field": "x"},
                        "x2": {"field": "x2"},
                        "y": {"field": "y"},
                        "y2": {"field": "y2"},
                        "fill": {"scale": "colour", "field": "country"},
                        "stroke": {"value": "#1e293b"},
                        "strokeWidth": {"value": 0.5},
                        "tooltip": {"signal": tip_node},
                    }
                },
            },
            {
                "type": "text",
                "from": {"data": "nodes"},
                "encode": {
                    "enter": {
                        "x": {"signal": "datum.x2 + 4"},
                        "y": {"signal": "(datum.y + datum.y2) / 2"},
                        "align": {"value": "left"},
                        "limit": {"field": "limit"},
                        "baseline": {"value": "middle"},
                        "text": {"field": "label"},
                        "fontSize": {"value": 11},
                        "fill": {"value": "#1e293b"},
                        "font": {"value": _FONT["font"]},
                    }
                },
            },
        ],
    }


# -- simulation ----------------------------------------------------------------------
