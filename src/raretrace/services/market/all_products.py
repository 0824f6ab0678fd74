"""Cost exposure of every product at once: one matrix product of the rollup rows of all
product nodes with the scenario's price matrix (``analytics.market.unit_cost``), the
operation ``benchmarks/bench_market.py`` measures."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from raretrace.analytics import market as m
from raretrace.analytics.matrices import PRODUCT
from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.market import PriceScenario, PriceTable
from raretrace.errors import InputError
from raretrace.services.market.data import series
from raretrace.services.tracing.compiled import Engine, Provenance, planned_units

__all__ = ["MarketOverview", "ProductCost", "exposure_all"]


@dataclass(frozen=True, slots=True)
class ProductCost:
    node: str  # site/part
    product: str
    units_per_year: float | None
    cost_per_unit: dict[int, float]  # year -> cost per unit
    base_cost_per_unit: float
    peak_year: int
    increase_per_unit: float
    increase_pct: float | None
    increase_per_year: float | None


@dataclass(frozen=True, slots=True)
class MarketOverview:
    scenario: str
    currency: str
    base_year: int
    years: list[int]
    rows: list[ProductCost]
    increase_per_year_total: float
    unpriced: list[str]
    provenance: Provenance
    notes: list[str] = field(default_factory=list)


def exposure_all(
    eng: Engine, scenario: PriceScenario, prices: PriceTable, *, provenance: Provenance
) -> MarketOverview:
    c, r = eng.compiled, eng.content
    nodes = np.flatnonzero(c.net.part_kind[c.node_part] == PRODUCT)
    cols = [j for j, e in enumerate(r.elements) if e in RARE_EARTHS]
    elements = tuple(r.elements[j] for j in cols)
    data, currency = series(prices, scenario.form)
    currency = currency or scenario.currency or "USD"
    if scenario.currency is not None and currency != scenario.currency:
        raise InputError(f"the scenario is in {scenario.currency}, the prices in {currency}")
    years = tuple(sorted({scenario.base_year, *scenario.years}))
    path = m.price_path(data, elements, years, scenario.steps)
    factor = np.array([m.oxide_factor(e) if scenario.form == "oxide" else 1.0 for e in elements])
    mult = scenario.pass_through.multiplier(scenario.form)
    content = r.content_kg[nodes][:, cols]
    cost = m.unit_cost(content, path.scenario, factor, mult)  # (products, years)
    bi = years.index(scenario.base_year)
    plan_idx = [i for i, y in enumerate(years) if y in scenario.years]
    units = planned_units(c)[nodes]
    rows: list[ProductCost] = []
    total = 0.0
    for k, n in enumerate(nodes.tolist()):
        inc = cost[k, plan_idx] - cost[k, bi]
        j = int(np.argmax(inc))
        u = None if np.isnan(units[k]) else float(units[k])
        base = float(cost[k, bi])
        per_year = None if u is None else float(inc[j]) * u
        total += per_year or 0.0
        rows.append(
            ProductCost(
                c.label(n), str(c.net.part_ids[c.node_part[n]]), u,
                {y: float(cost[k, i]) for i, y in enumerate(years)}, base,
                years[plan_idx[j]], float(inc[j]),
                None if base <= 0 else 100.0 * float(inc[j]) / base, per_year,
            )
        )  # fmt: skip
    rows.sort(key=lambda x: (-(x.increase_per_year or 0.0), x.node))
    used = content.sum(axis=0) > 0
    unpriced = [
        e for j, e in enumerate(elements) if used[j] and np.isnan(path.scenario[:, j]).all()
    ]
    notes = [
        f"Peak = the plan year with the largest increase over {scenario.base_year}; "
        f"pass-through multiplier {mult:g}; {scenario.form}-equivalent material only.",
        *(
            [f"No price for {', '.join(unpriced)}: their cost is unknown, not zero."]
            if unpriced
            else []
        ),
        *(["The scenario is illustrative."] if scenario.illustrative else []),
    ]  # fmt: skip
    return MarketOverview(
        scenario.name, currency, scenario.base_year, list(scenario.years), rows, total,
        unpriced, provenance, notes,
    )  # fmt: skip
