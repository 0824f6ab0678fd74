"""The road out of China: capacity outside China by stage and element over the years
(projects with start year, ramp and status; the shipped list or the user's) against the
need of the user's plan, with the first year each stage could be sourced outside China,
the share of the need covered by year, a pro-rata share of a sourced world line, and
China's sourced share of each stage."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from raretrace.analytics import market as m
from raretrace.analytics.exposure import flows
from raretrace.analytics.matrices import KINDS
from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.market import STAGES, Project
from raretrace.domain.parts import PartKind
from raretrace.services.market.data import china_shares, world_lines
from raretrace.services.tracing.compiled import Engine, Provenance, nodes_of_part, planned_units

__all__ = ["HorizonResult", "HorizonStage", "china_line", "horizon"]


@dataclass(frozen=True, slots=True)
class HorizonStage:
    stage: str
    unit: str
    need_t: dict[str, float]  # element (or "magnets") -> t per year your plan needs
    capacity_t: dict[str, list[float]]  # element -> t per year outside China, by year
    first_year: dict[str, int | None]  # element -> first year capacity >= your need
    stage_first_year: int | None  # every element covered (None: not in the horizon)
    world_line: dict[str, Any] | None
    world_share: list[float] | None  # capacity / world line by year (pro rata)
    projects: list[str]
    sentence: str
    #: by year, the share of your need (t, all elements) capacity outside China could
    #: cover if you were first in line: sum of min(need, capacity) over sum of need
    covered_share: list[float] = field(default_factory=list)
    #: China's sourced share of the stage (actuals and projections), with sources
    china_share: list[dict[str, str]] = field(default_factory=list)
    china_summary: str = ""  # the newest actual figure and any projection


@dataclass(frozen=True, slots=True)
class HorizonResult:
    product: str | None
    years: list[int]
    stages: list[HorizonStage]
    projects: list[Project]
    not_counted: list[Project]
    assumptions: list[str]
    provenance: Provenance
    notes: list[str] = field(default_factory=list)


def _needs(eng: Engine, product: str | None) -> tuple[dict[str, float], float, float | None]:
    """kg per year of each rare earth the plan needs, t of magnets per year, and the
    planned units (None: the whole production plan)."""
    c, r = eng.compiled, eng.content
    units = np.nan_to_num(planned_units(c))
    kinds = c.net.part_kind[c.node_part]
    if product is None:
        plan = np.where(kinds == KINDS.index(PartKind.PRODUCT), units, 0.0)
    else:
        nodes = nodes_of_part(c, product)
        plan = np.zeros(c.n_nodes)
        plan[nodes] = units[nodes]
    kg = (plan[:, None] * r.content_kg).sum(axis=0)
    need = {e: float(v) for e, v in zip(r.elements, kg, strict=True) if e in RARE_EARTHS and v > 0}
    f = flows(c, r, plan)
    magnet = (kinds == KINDS.index(PartKind.MAGNET)) & ~c.node_passthrough
    mass = np.nan_to_num(c.net.part_mass_kg[c.node_part])
    magnet_t = float((f.shipped[magnet] * mass[magnet]).sum()) / 1000.0
    return need, magnet_t, (float(plan.sum()) if product else None)


def horizon(
    eng: Engine,
    projects: list[Project],
    years: tuple[int, ...],
    *,
    product: str | None,
    provenance: Provenance,
) -> HorizonResult:
    """Capacity outside China by stage and element over ``years`` against your plan's
    need, with the first year each stage could be sourced outside China.

    "Could" is the optimistic bound: the year capacity outside China reaches your need
    if you were first in line for it. The world line (where the data has one) gives the
    pro-rata view: the share of the world's need that capacity outside China covers."""
    need_kg, magnet_t, _ = _needs(eng, product)
    counted = [p for p in projects if p.counted and p.capacity_t is not None]
    lines = world_lines()
    china = china_shares()
    stages: list[HorizonStage] = []
    for stage in STAGES:
        ps = [p for p in counted if p.stage == stage]
        if ps:
            cap = m.capacity_by_year(
                np.array([p.capacity_t for p in ps], dtype=np.float64),
                np.array(
                    [np.nan if p.start_year is None else p.start_year for p in ps], dtype=np.float64
                ),
                np.array([p.ramp_years for p in ps], dtype=np.float64),
                years,
            )
        else:
            cap = np.zeros((0, len(years)))
        if stage == "magnet":
            need = {"magnets": magnet_t} if magnet_t > 0 else {}
            unit = "t magnets"
            covers = {"magnets": np.ones(len(ps), bool)}
        else:
            factor = stage in ("mining", "separation")
            need = {
                e: (kg * (m.oxide_factor(e) if factor else 1.0)) / 1000.0
                for e, kg in need_kg.items()
            }
            unit = "t oxide-equivalent" if factor else "t metal"
            covers = {
                e: np.array([not p.elements or e in p.elements for p in ps], bool) for e in need
            }
        capacity = {
            k: cap[mask].sum(axis=0) if len(ps) else np.zeros(len(years))
            for k, mask in covers.items()
        }
        firsts = {k: m.first_year(capacity[k], np.full(len(years), need[k]), years) for k in need}
        stage_first = None
        if firsts and all(v is not None for v in firsts.values()):
            stage_first = max(v for v in firsts.values() if v is not None)
        wl = lines.get(stage)
        share = None
        total = cap.sum(axis=0) if len(ps) else np.zeros(len(years))
        if wl is not None:
            share = (total / wl.tonnes).tolist()
        stages.append(
            HorizonStage(
                stage,
                unit,
                need,
                {k: v.tolist() for k, v in capacity.items()},
                firsts,
                stage_first,
                None
                if wl is None
                else {
                    "tonnes": wl.tonnes,
                    "unit": wl.unit,
                    "year": wl.year,
                    "what": wl.what,
                    "source": wl.source,
                    "copied_from": wl.copied_from,
                },
                share,
                [p.project_id for p in ps],
                _sentence(stage, need, firsts, stage_first, wl, share, years),
                _covered(need, capacity, len(years)),
                china.get(stage, []),
                china_line(china.get(stage, [])),
            )
        )
    assumptions = [
        "A project counts in full for every element it lists (capacities are shared, so this "
        "is an upper bound per element).",
        "Output ramps linearly from the start year to full capacity after ramp_years; where "
        "the source gives no ramp the shipped file assumes 2 years (ramp_basis says so).",
        "Mining and separation needs are oxide-equivalent tonnes of each element; mining "
        "capacity (t REO of mixed concentrate) ignores the ore's element distribution.",
        "Projects without a capacity figure in the data are not counted (listed below): add "
        "the figure in a projects file (--projects) to count them.",
    ]
    return HorizonResult(
        product,
        list(years),
        stages,
        counted,
        [p for p in projects if not (p.counted and p.capacity_t is not None)],
        assumptions,
        provenance,
        [
            "Mining outside China counts only the projects in the file. USGS MCS 2026 puts "
            "2025 world mine production at 390,000 t REO and China's at 270,000 t, so about "
            "120,000 t were mined elsewhere, part of it (e.g. Myanmar) separated in China.",
            "No metal-making capacity outside China has a figure in the shipped data (MP "
            "Materials' Independence facility makes NdPr metal, capacity not stated).",
        ],
    )


def china_line(rows: list[dict[str, str]]) -> str:
    """The newest actual figure and any projection, e.g.
    '69.2% (2025, USGS (derived here)); 54% (2030, IEA, projection)'."""
    actual = [x for x in rows if not x["kind"].startswith("projection")]
    proj = [x for x in rows if x["kind"].startswith("projection")]

    def when(x: dict[str, str]) -> int:
        return max((int(y) for y in re.findall(r"\d{4}", x["year"])), default=0)

    pick = [*sorted(actual, key=when)[-1:], *proj]
    return "; ".join(
        f"{x['share_pct']}% ({x['year']}, {x['source_org']}"
        + (", projection" if x in proj else "")
        + ")"
        for x in pick
    )


def _covered(need: dict[str, float], capacity: dict[str, Any], n: int) -> list[float]:
    total = sum(need.values())
    if total <= 0:
        return [1.0] * n
    got = sum(np.minimum(capacity[k], t) for k, t in need.items())
    return [float(x) for x in np.asarray(got, dtype=np.float64) / total]


def _sentence(
    stage: str,
    need: dict[str, float],
    firsts: dict[str, int | None],
    first: int | None,
    wl: Any,
    share: list[float] | None,
    years: tuple[int, ...],
) -> str:
    if not need:
        return f"Your plan needs nothing at the {stage} stage."
    if first is not None:
        text = f"{stage}: capacity outside China covers your need from {first}"
    else:
        missing = [k for k, v in firsts.items() if v is None]
        text = (
            f"{stage}: no capacity outside China in the data covers your "
            f"{', '.join(missing)} by {years[-1]}"
        )
    if share is not None and wl is not None:
        text += (
            f"; pro rata it covers {100 * share[0]:.0f}% ({years[0]}) to "
            f"{100 * share[-1]:.0f}% ({years[-1]}) of {wl.what} ({wl.year})"
        )
    return text + "."
