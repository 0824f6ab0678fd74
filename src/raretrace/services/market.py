"""Market use cases: what a price scenario costs a product, and the road out of China.

Both reuse the compiled engine of tracing (the rollup ``Engine.content`` and the
supplier exposure table of ``exposure_report``); nothing recomputes the network.
Every result carries provenance (data files and the rows used, scenario, network
revision) and lists which of its figures are illustrative or assumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from raretrace.analytics import market as m
from raretrace.analytics.exposure import flows
from raretrace.analytics.matrices import KINDS
from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.exchange import ExchangeRates
from raretrace.domain.market import STAGES, PriceScenario, PriceTable, Project
from raretrace.domain.parts import PartKind
from raretrace.errors import InputError
from raretrace.services.exposure_report import exposure as exposure_table
from raretrace.services.market_data import china_shares, series, world_lines
from raretrace.services.market_stock import value_stock_needed
from raretrace.services.trace_engine import Engine, Provenance, nodes_of_part, planned_units

__all__ = [
    "ExposureYear",
    "HorizonResult",
    "HorizonStage",
    "MarketExposure",
    "SupplierCost",
    "horizon",
    "market_exposure",
]


@dataclass(frozen=True, slots=True)
class ExposureYear:
    year: int
    cost_per_unit: float  # rare-earth cost per unit at the product, pass-through included
    by_element: dict[str, float]  # the same, per element
    increase_per_unit: float  # over the base year
    increase_pct: float | None
    share_of_value: float | None  # cost per unit / product unit value
    cost_per_year: float | None  # cost per unit x planned units
    increase_per_year: float | None


@dataclass(frozen=True, slots=True)
class SupplierCost:
    rank: int
    site: str
    party: str
    country: str
    tier: int
    parts: list[str]
    kg_per_year: dict[str, float]
    base_cost_per_year: float  # priced material (no pass-through) in the base year
    peak_cost_per_year: float  # the same in the peak year
    increase_per_year: float


@dataclass(frozen=True, slots=True)
class MarketExposure:
    product: str
    scenario: PriceScenario
    currency: str
    form: str
    base_year: int
    peak_year: int
    units_per_year: float | None
    unit_value: float | None  # in ``currency``
    content_kg: dict[str, float]  # kg of element per unit
    material_kg: dict[str, float]  # kg of priced material (oxide-equivalent) per unit
    prices: dict[str, dict[int, float | None]]  # element -> year -> scenario price
    base_prices: dict[str, dict[int, float | None]]
    held: dict[str, list[int]]  # element -> years whose base price is carried forward
    pass_through_multiplier: float
    years: list[ExposureYear]
    suppliers: list[SupplierCost]
    unpriced: list[str]  # elements in the product with no price: cost unknown
    stock: dict[str, Any] | None
    illustrative: list[str]
    provenance: Provenance
    simulation_stock: list[dict[str, Any]] = field(default_factory=list)
    simulation_run: str | None = None
    #: the price rows behind the path: element, year, price, currency, file row, source
    price_rows: list[dict[str, Any]] = field(default_factory=list)


def _weights(c: Any, nodes: np.ndarray) -> tuple[np.ndarray, float | None]:
    units = planned_units(c)[nodes]
    if np.isfinite(units).any() and np.nansum(units) > 0:
        w = np.nan_to_num(units)
        return w / w.sum(), float(w.sum())
    return np.full(len(nodes), 1.0 / len(nodes)), None


def _unit_value(
    c: Any, product: str, currency: str, rates: ExchangeRates | None
) -> tuple[float | None, str]:
    net = c.net
    p = int(np.flatnonzero(net.part_ids == product)[0])
    value = float(net.part_value[p])
    if not np.isfinite(value) or net.part_currency[p] < 0:
        return None, "the product has no unit value: no share of value"
    cur = net.currencies[int(net.part_currency[p])]
    if cur == currency:
        return value, ""
    if rates is not None and rates.base == currency and (r := rates.rate(cur)) is not None:
        return (
            value * r,
            f"unit value converted {cur}->{currency} with {rates.source} ({rates.as_of})",
        )
    return None, (
        f"the product's value is in {cur} and prices in {currency}: give a rate table "
        f"with base {currency} (--rates-id) for the share of value"
    )


def market_exposure(
    eng: Engine,
    product: str,
    scenario: PriceScenario,
    prices: PriceTable,
    *,
    provenance: Provenance,
    rates: ExchangeRates | None = None,
    stock_days: float | None = None,
    stock_needed: list[dict[str, Any]] | None = None,
    simulation_run: str | None = None,
) -> MarketExposure:
    c, r = eng.compiled, eng.content
    nodes = nodes_of_part(c, product)
    w, units = _weights(c, nodes)
    content = (w[:, None] * r.content_kg[nodes]).sum(axis=0)
    cols = [j for j, e in enumerate(r.elements) if e in RARE_EARTHS and content[j] > 0]
    elements = tuple(r.elements[j] for j in cols)
    kg = content[cols]
    data, currency = series(prices, scenario.form)
    currency = currency or scenario.currency or "USD"
    if scenario.currency is not None and currency != scenario.currency:
        raise InputError(
            f"the scenario is in {scenario.currency} but the prices of {prices.name} "
            f"are in {currency}"
        )
    years = tuple(sorted({scenario.base_year, *scenario.years}))
    path = m.price_path(data, elements, years, scenario.steps)
    factor = np.array([m.oxide_factor(e) if scenario.form == "oxide" else 1.0 for e in elements])
    mult = scenario.pass_through.multiplier(scenario.form)
    by_el = m.cost_by_element(kg, path.scenario, factor, mult)  # (Y, E)
    total = by_el.sum(axis=1)
    bi = years.index(scenario.base_year)
    value, value_note = _unit_value(c, product, currency, rates)
    rows: list[ExposureYear] = []
    for yi, y in enumerate(years):
        if y == scenario.base_year and y not in scenario.years:
            continue
        inc = float(total[yi] - total[bi])
        rows.append(
            ExposureYear(
                y,
                float(total[yi]),
                {e: float(v) for e, v in zip(elements, by_el[yi], strict=True)},
                inc,
                None if total[bi] <= 0 else 100.0 * inc / float(total[bi]),
                None if value is None or value <= 0 else float(total[yi]) / value,
                None if units is None else float(total[yi]) * units,
                None if units is None else inc * units,
            )
        )
    peak = max(rows, key=lambda x: (x.increase_per_unit, -x.year)) if rows else None
    peak_year = peak.year if peak else scenario.base_year
    pi = years.index(peak_year)
    unpriced = [e for j, e in enumerate(elements) if np.isnan(path.scenario[:, j]).all()]
    # Suppliers and tiers: the tracing exposure table for this product, priced.
    table = exposure_table(eng, product, plan=None, controlled=elements, provenance=provenance)
    price_kg = np.nan_to_num(path.scenario * factor[None, :])
    col = {e: j for j, e in enumerate(elements)}
    suppliers: list[SupplierCost] = []
    for row in table.rows:
        base = sum(k * price_kg[bi, col[e]] for e, k in row.kg_per_year.items())
        peak_c = sum(k * price_kg[pi, col[e]] for e, k in row.kg_per_year.items())
        suppliers.append(
            SupplierCost(
                row.rank,
                row.site,
                row.party,
                row.country,
                row.tier,
                row.parts,
                row.kg_per_year,
                float(base),
                float(peak_c),
                float(peak_c - base),
            )
        )
    suppliers.sort(key=lambda s: (-s.increase_per_year, -s.peak_cost_per_year, s.site))
    stock = None
    if stock_days is not None and units is not None:
        held_kg = kg * units * stock_days / 365.0
        avoided = float((held_kg * (price_kg[pi] - price_kg[bi]) * mult).sum())
        stock = {
            "days": stock_days,
            "kg": dict(zip(elements, held_kg.tolist(), strict=True)),
            "value_at_base": float((held_kg * price_kg[bi] * mult).sum()),
            "price_rise_avoided": avoided,
            "year": peak_year,
            "note": "kg of each element in the product's planned output for that many "
            "days, times the price rise of the peak year it is bought before",
        }
    sim_stock: list[dict[str, Any]] = []
    if stock_needed:
        plan = np.zeros(c.n_nodes)
        plan[nodes] = np.nan_to_num(planned_units(c)[nodes])
        sim_stock = value_stock_needed(
            eng, plan, elements, price_kg[bi], price_kg[pi], stock_needed
        )
    illustrative = [
        *(["The scenario is illustrative (it says so)."] if scenario.illustrative else []),
        *scenario.assumptions,
        *(_held_note(e, ys, data.get(e, {})) for e, ys in _held(path, elements).items()),
        f"Costs are {scenario.form}-equivalent material at the priced form times the pass-through "
        f"multiplier {mult:g} (margins metal {scenario.pass_through.metal:g}, alloy "
        f"{scenario.pass_through.alloy:g}, magnet {scenario.pass_through.magnet:g}); no "
        "processing cost, yield loss or contract price is included.",
        *([value_note] if value_note else []),
        *(
            [
                f"No {scenario.form} price for {', '.join(unpriced)}: "
                "their cost is unknown, not zero."
            ]
            if unpriced
            else []
        ),
    ]
    return MarketExposure(
        product=product,
        scenario=scenario,
        currency=currency,
        form=scenario.form,
        base_year=scenario.base_year,
        peak_year=peak_year,
        units_per_year=units,
        unit_value=value,
        content_kg=dict(zip(elements, kg.tolist(), strict=True)),
        material_kg=dict(zip(elements, (kg * factor).tolist(), strict=True)),
        prices=_grid(path.scenario, elements, years),
        base_prices=_grid(path.base, elements, years),
        held=_held(path, elements),
        pass_through_multiplier=mult,
        years=rows,
        suppliers=suppliers,
        unpriced=unpriced,
        stock=stock,
        illustrative=illustrative,
        provenance=provenance,
        simulation_stock=sim_stock,
        simulation_run=simulation_run,
        price_rows=_rows_used(prices, scenario.form, elements, years),
    )


def _rows_used(
    table: PriceTable, form: str, elements: tuple[str, ...], years: tuple[int, ...]
) -> list[dict[str, Any]]:
    """Each element's price rows in the years asked for, plus the last one before them
    (the one held forward) and the first after (held back), with file row and source."""
    out: list[dict[str, Any]] = []
    for e in elements:
        pts = sorted((p for p in table.points if p.element == e and p.form == form),
                     key=lambda p: p.year)  # fmt: skip
        before = [p for p in pts if p.year < years[0]][-1:]
        inside = [p for p in pts if years[0] <= p.year <= years[-1]]
        after = [] if inside or before else pts[:1]
        for p in (*before, *inside, *after):
            out.append({"element": e, "year": p.year, "price_per_kg": p.price_per_kg,
                        "currency": p.currency, "low": p.low, "high": p.high,
                        "estimated": p.estimated, "derived": p.derived, "basis": p.basis,
                        "row": p.ref, "source": p.source})  # fmt: skip
    return out


def _grid(
    p: np.ndarray, elements: tuple[str, ...], years: tuple[int, ...]
) -> dict[str, dict[int, float | None]]:
    return {
        e: {y: (None if np.isnan(p[i, j]) else float(p[i, j])) for i, y in enumerate(years)}
        for j, e in enumerate(elements)
    }


def _held_note(element: str, years: list[int], observed: dict[int, float]) -> str:
    """'Dy: no price for 2025-2035 in the data; the 2024 price is held (assumption).'"""
    known = sorted(observed)
    src = sorted({max((k for k in known if k <= y), default=known[0]) for y in years})
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return (
        f"{element}: no price for {span} in the price table; the "
        f"{', '.join(map(str, src))} price is held (assumption)"
    )


def _held(path: m.PricePath, elements: tuple[str, ...]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for j, e in enumerate(elements):
        ys = [
            y for i, y in enumerate(path.years) if path.held[i, j] and not np.isnan(path.base[i, j])
        ]
        if ys:
            out[e] = ys
    return out


# -- horizon --------------------------------------------------------------------------


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
