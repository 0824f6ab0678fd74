"""Market use cases: what a price scenario costs a product, and the road out of China.

Both reuse the compiled engine of tracing (the rollup ``Engine.content`` and the
supplier exposure table of ``exposure_report``); nothing recomputes the network.
Every result carries provenance (data files and the rows used, scenario, network
revision) and lists which of its figures are illustrative or assumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from raretrace.analytics import market as m
from raretrace.domain.currency import ExchangeRates
from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.market import PriceScenario, PriceTable
from raretrace.errors import InputError
from raretrace.services.market.data import series
from raretrace.services.market.horizon import HorizonResult, HorizonStage, horizon
from raretrace.services.market.stock import value_stock_needed
from raretrace.services.tracing.compiled import Engine, Provenance, nodes_of_part, planned_units
from raretrace.services.tracing.exposure import exposure as exposure_table

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
