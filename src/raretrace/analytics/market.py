"""Market arithmetic, pure numpy: price paths, cost exposure and the capacity horizon.

- **Price path**: a (years × elements) matrix of prices per kg, from the base series
  (one price per element and year; years past the data hold the last observed price)
  with the scenario's steps applied in order (scale, shock, floor, explicit path).
- **Cost exposure** is the rollup times a price matrix: ``C = K · (P ∘ f ∘ m)ᵀ`` where
  ``K`` is kg of each element per unit of each node (``Rollup.content_kg``), ``P`` the
  price path, ``f`` kg of priced material per kg of element (oxide-equivalent mass from
  the oxide's formula; 1 for metal prices) and ``m`` the pass-through multiplier of the
  stages between the priced form and the magnet. One matrix product for every node.
- **Horizon**: capacity per project and year with a linear ramp, summed per stage and
  element, against a yearly need; the first year the capacity covers the need.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from raretrace.analytics.matrices import F64
from raretrace.domain.market import FloorStep, PathStep, ScaleStep, ShockStep, Step

__all__ = [
    "OXIDE",
    "PricePath",
    "capacity_by_year",
    "cost_by_element",
    "first_year",
    "oxide_factor",
    "price_path",
    "unit_cost",
]

#: IUPAC abridged standard atomic weights (2021); Pm: mass number of its longest-lived
#: isotope (no stable isotope). Used only for oxide-equivalent masses.
ATOMIC_WEIGHT: dict[str, float] = {
    "O": 15.999,
    "Sc": 44.956,
    "Y": 88.906,
    "La": 138.91,
    "Ce": 140.12,
    "Pr": 140.91,
    "Nd": 144.24,
    "Pm": 145.0,
    "Sm": 150.36,
    "Eu": 151.96,
    "Gd": 157.25,
    "Tb": 158.93,
    "Dy": 162.50,
    "Ho": 164.93,
    "Er": 167.26,
    "Tm": 168.93,
    "Yb": 173.05,
    "Lu": 174.97,
}
#: The oxide each element is traded as (metal atoms, oxygen atoms): RE2O3 except
#: CeO2, Pr6O11 and Tb4O7, the forms the USGS price lines quote.
OXIDE: dict[str, tuple[int, int]] = {e: (2, 3) for e in ATOMIC_WEIGHT if e != "O"} | {
    "Ce": (1, 2),
    "Pr": (6, 11),
    "Tb": (4, 7),
}


def oxide_factor(element: str) -> float:
    """kg of the element's oxide that holds 1 kg of the element (e.g. Nd2O3: 1.1664)."""
    a, b = OXIDE[element]
    metal = a * ATOMIC_WEIGHT[element]
    return (metal + b * ATOMIC_WEIGHT["O"]) / metal


@dataclass(frozen=True, slots=True)
class PricePath:
    elements: tuple[str, ...]
    years: tuple[int, ...]
    base: F64  # (years, elements) price per kg without the scenario; NaN = no price
    scenario: F64  # (years, elements) with the scenario's steps
    held: np.ndarray  # (years, elements) bool: base price carried from another year


def price_path(
    series: dict[str, dict[int, float]],
    elements: tuple[str, ...],
    years: tuple[int, ...],
    steps: tuple[Step, ...] = (),
) -> PricePath:
    """``series[element][year]`` -> price per kg. A year without a price takes the
    nearest earlier observed year (or, before the first, the first): ``held`` marks it.
    An element without any price stays NaN (its cost is unknown, never zero)."""
    ys = np.asarray(years)
    base = np.full((len(years), len(elements)), np.nan)
    held = np.zeros(base.shape, bool)
    for j, e in enumerate(elements):
        obs = series.get(e) or {}
        if not obs:
            continue
        known = np.array(sorted(obs))
        values = np.array([obs[int(y)] for y in known])
        k = np.searchsorted(known, ys, side="right") - 1
        base[:, j] = values[np.clip(k, 0, len(known) - 1)]
        held[:, j] = ~np.isin(ys, known)
    out = base.copy()
    col = {e: j for j, e in enumerate(elements)}
    for step in steps:
        _apply(step, out, ys, col)
    return PricePath(elements, tuple(years), base, out, held)


def _days_in(year: int) -> int:
    return 366 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 365


def _apply(step: Step, p: F64, ys: np.ndarray, col: dict[str, int]) -> None:
    if isinstance(step, ScaleStep):
        rows = (ys >= step.first) & (ys <= step.last)
        for e, k in step.factors.items():
            if e in col:
                p[rows, col[e]] *= k
    elif isinstance(step, ShockStep):
        # Spread the days over calendar years; the annual average of a year with d
        # shocked days is price * (1 + (k - 1) * d / days_in_year).
        left, year, day = step.days, step.year, step.start_day
        while left > 0:
            n = _days_in(year)
            d = min(left, n - day + 1)
            rows = ys == year
            for e in step.elements:
                if e in col:
                    p[rows, col[e]] *= 1.0 + (step.factor - 1.0) * d / n
            left -= d
            year, day = year + 1, 1
    elif isinstance(step, FloorStep):
        rows = (ys >= step.first) & (ys <= step.last)
        for e in step.elements:
            if e in col:
                j = col[e]
                p[rows, j] = np.fmax(p[rows, j], step.price_per_kg)
    elif isinstance(step, PathStep):
        for e, by_year in step.prices.items():
            if e in col:
                for y, v in by_year.items():
                    p[ys == y, col[e]] = v


def unit_cost(content_kg: F64, prices: F64, factor: F64, multiplier: float) -> F64:
    """(nodes, years) cost per unit: ``content_kg (nodes, E) @ (prices * factor * m).T``.

    Elements without a price (NaN) contribute nothing here; callers report them as
    unpriced. This is the whole computation for every node at once."""
    priced = np.nan_to_num(prices * factor[None, :] * multiplier, nan=0.0)
    return np.asarray(content_kg @ priced.T, dtype=np.float64)


def cost_by_element(content_kg: F64, prices: F64, factor: F64, multiplier: float) -> F64:
    """(years, E) cost per unit of one node, by element (for stacked charts)."""
    priced = np.nan_to_num(prices * factor[None, :] * multiplier, nan=0.0)
    return np.asarray(priced * content_kg[None, :], dtype=np.float64)


def capacity_by_year(capacity: F64, start: F64, ramp: F64, years: tuple[int, ...]) -> F64:
    """(projects, years) t per year: full from ``start`` when ``ramp`` is 0, otherwise a
    linear ramp reaching full capacity ``ramp`` years after the start year. ``start``
    NaN: operating before the first year."""
    ys = np.asarray(years, dtype=np.float64)[None, :]
    s = np.where(np.isnan(start), -np.inf, start)[:, None]
    frac = np.clip((ys - s + 1.0) / (ramp[:, None] + 1.0), 0.0, 1.0)
    frac = np.where(np.isneginf(s), 1.0, frac)
    return np.asarray(capacity[:, None] * frac, dtype=np.float64)


def first_year(available: F64, need: F64, years: tuple[int, ...]) -> int | None:
    """First year with ``available >= need`` (both per year), None if never."""
    ok = np.flatnonzero(np.asarray(available) >= np.asarray(need) - 1e-12)
    return None if not len(ok) else int(years[int(ok[0])])
