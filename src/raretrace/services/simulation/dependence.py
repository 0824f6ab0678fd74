"""Dependence: world country concentration by stage (sourced figures shipped in
``raretrace/data/dependence``) next to the workspace's own origin shares by stage.

Stages of the workspace's nodes come from the site's party roles: *mining* (mine),
*separation* (separator), *metal* (metal/alloy maker, for raw materials) and *magnets*
(magnet parts, except at resellers).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from raretrace.analytics.dependence import (
    STAGES,
    Concentration,
    StageOrigin,
    concentration,
    stage_origin,
)
from raretrace.analytics.matrices import KINDS, CompiledNetwork
from raretrace.domain.network import Network
from raretrace.domain.parties import Role
from raretrace.domain.parts import PartKind
from raretrace.errors import NotFoundError
from raretrace.services.tracing.reports import Engine, planned_units

__all__ = ["DependenceReport", "StageRow", "dependence", "world_concentration"]

DATA = Path(str(files("raretrace") / "data" / "dependence"))
_ROLE = {"mining": Role.MINE, "separation": Role.SEPARATOR, "metal": Role.METAL_ALLOY_MAKER}
_STAGE_OF = {"refining/separation": "separation", "magnet manufacturing": "magnets"}


@dataclass(frozen=True, slots=True)
class WorldFigure:
    concentration: Concentration
    year: str
    sources: list[str]
    iso: list[str]  # ISO codes of ``concentration.countries`` where known


@dataclass(frozen=True, slots=True)
class StageRow:
    stage: str
    element: str
    world: WorldFigure | None
    ours: StageOrigin | None
    sentence: str


@dataclass(frozen=True, slots=True)
class DependenceReport:
    product: str | None
    rows: list[StageRow]
    history: list[WorldFigure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _iso(name: str) -> str:
    import pycountry

    special = {"Burma": "MM", "Russia": "RU", "Vietnam": "VN"}
    if name in special:
        return special[name]
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return name


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def world_concentration() -> tuple[dict[str, WorldFigure], list[WorldFigure]]:
    """Latest sourced figure per stage, and older ones (history) from the shipped data."""
    out: dict[str, WorldFigure] = {}
    mine = _read("usgs_mine_production_2024.csv")
    world = next(r for r in mine if r["country"].startswith("World total"))
    rows = [r for r in mine if r is not world and r["value_t_reo"] and float(r["value_t_reo"]) > 0]
    total = float(world["value_t_reo"])
    names = [r["country"] for r in rows]
    shares = [100.0 * float(r["value_t_reo"]) / total for r in rows]
    out["mining"] = WorldFigure(
        concentration("mining", names, shares), "2024",
        sorted({r["source"] for r in rows}), [_iso(n) for n in names],
    )  # fmt: skip
    by: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for r in _read("stage_shares.csv"):
        by.setdefault((_STAGE_OF[r["stage"]], r["year"], r["source_title"]), []).append(r)
    history: list[WorldFigure] = []
    for (stage, year, _), rs in by.items():
        fig = WorldFigure(
            concentration(stage, [r["country"] for r in rs], [float(r["share_pct"]) for r in rs]),
            year, sorted({f"{r['source_title']} ({r['source']})" for r in rs}),
            [_iso(r["country"]) for r in rs],
        )  # fmt: skip
        if year.startswith("2010"):
            history.append(fig)
        elif stage not in out or year > out[stage].year:
            out[stage] = fig
    return out, history


def stage_masks(c: CompiledNetwork, network: Network) -> dict[str, np.ndarray]:
    roles = {p.party_id: set(p.roles) for p in network.parties}
    party_ids = [str(x) for x in c.net.party_ids]
    node_roles = [roles.get(party_ids[i], set()) if i < len(party_ids) else set()
                  for i in c.net.site_party[c.node_site].tolist()]  # fmt: skip
    raw = c.net.part_kind[c.node_part] == KINDS.index(PartKind.RAW_MATERIAL)
    pt = c.node_passthrough
    masks = {s: np.array([_ROLE[s] in r for r in node_roles], bool) & ~pt for s in _ROLE}
    masks["metal"] &= raw
    masks["magnets"] = c.net.part_magnet[c.node_part] & ~pt
    return masks


def dependence(
    eng: Engine,
    network: Network,
    product: str | None = None,
    elements: tuple[str, ...] = ("Dy", "Tb", "Nd", "Sm"),
) -> DependenceReport:
    """World concentration per stage and, for ``product`` (default: every product in
    the production plan, weighted by planned units), the workspace's origin shares."""
    c = eng.compiled
    world, history = world_concentration()
    units = planned_units(c)
    if product is not None:
        part = np.flatnonzero(c.net.part_ids == product)
        if not len(part):
            raise NotFoundError(f"no part {product!r} in the workspace")
        starts = np.flatnonzero(c.node_part == part[0])
        weights = np.where(units[starts] > 0, units[starts], 1.0)
    else:
        starts = np.flatnonzero(
            (units > 0) & (c.net.part_kind[c.node_part] == KINDS.index(PartKind.PRODUCT))
        )
        weights = units[starts]
    masks = stage_masks(c, network)
    rows: list[StageRow] = []
    for stage in STAGES:
        w = world.get(stage)
        for el in elements:
            ours = stage_origin(
                c, eng.tracer, eng.content, starts, weights, masks[stage], stage, el
            )
            ours_opt = None if ours.kg.sum() <= 0 else ours
            rows.append(StageRow(stage, el, w, ours_opt, _sentence(stage, el, w, ours_opt)))
    notes = [
        "World shares are for all rare earths (mining, separation) or all permanent "
        "magnets (magnets), not for one element; the workspace shares are per element.",
        "No sourced country split exists in the shipped data for the metal stage.",
    ]
    return DependenceReport(product, rows, history, notes)


def _sentence(stage: str, el: str, w: WorldFigure | None, ours: StageOrigin | None) -> str:
    if ours is None:
        return f"No {el} passes a {stage} stage in this network."
    top = ours.countries[0]
    mine = float(ours.share_pct[0])
    text = f"Your {el} is {mine:.0f}% {top}-dependent at the {stage} stage"
    if w is None:
        return text + " (no sourced world figure for this stage)."
    world = dict(zip(w.iso, w.concentration.shares_pct, strict=True)).get(top)
    if world is None:
        return (
            text + f"; the world's top country is {w.concentration.top_country} "
            f"({w.concentration.top_share_pct:.0f}%, {w.year})."
        )
    return text + f" versus {world:.0f}% for the world ({w.year})."


def as_dict(r: DependenceReport) -> dict[str, Any]:
    """Plain JSON types (arrays as lists)."""

    def origin(o: StageOrigin | None) -> dict[str, Any] | None:
        if o is None:
            return None
        return {"countries": o.countries, "kg": o.kg.tolist(), "share_pct": o.share_pct.tolist(),
                "hhi": o.hhi}  # fmt: skip

    rows = [{"stage": x.stage, "element": x.element, "world": x.world, "ours": origin(x.ours),
             "sentence": x.sentence} for x in r.rows]  # fmt: skip
    return {"product": r.product, "rows": rows, "history": r.history, "notes": r.notes}
