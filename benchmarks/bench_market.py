"""Cost exposure of every product: the rollup times a price matrix, against a pandas
merge/groupby over the same content in the same run.

    .venv/bin/python benchmarks/bench_market.py [--parts 100000] [--years 10]

A synthetic network (``analytics.synth``) is compiled and rolled up for all 17 rare
earths (the engine caches this rollup per network revision, so the exposure itself is
what a user waits for). Prices: a 10-year path per element with a floor and a shock
(``analytics.market.price_path``). Both ways give the cost per unit of every product
node in every year; the script checks they agree and prints times, the ratio and the
load average.
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import pandas as pd
from common import arrays_from_synth, peak_mb, rel_err, row, timed

from raretrace.analytics import market as m
from raretrace.analytics.matrices import PRODUCT, compile_network
from raretrace.analytics.rollup import rollup
from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.market import FloorStep, PassThrough, ShockStep
from raretrace.services.network.synth import synthesise


def prices(years: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, float]:
    rng = np.random.default_rng(7)
    series = {e: {years[0]: float(rng.uniform(1, 1000))} for e in RARE_EARTHS}
    steps = (FloorStep(("Nd", "Pr"), 110.0, years[0], years[-1]),
             ShockStep(("Dy", "Tb"), 3.0, 90, years[1]))  # fmt: skip
    path = m.price_path(series, RARE_EARTHS, years, steps)
    factor = np.array([m.oxide_factor(e) for e in RARE_EARTHS])
    return path.scenario, factor, PassThrough(0.05, 0.05, 0.1).multiplier("oxide")


def ours(
    content: np.ndarray, products: np.ndarray, p: np.ndarray, f: np.ndarray, mult: float
) -> np.ndarray:
    return m.unit_cost(content[products], p, f, mult)


def pandas_way(content: np.ndarray, products: np.ndarray, p: np.ndarray, f: np.ndarray,
               mult: float, years: tuple[int, ...]) -> np.ndarray:  # fmt: skip
    sub = content[products]
    node, el = np.nonzero(sub)
    kg = pd.DataFrame({"node": node, "element": el, "kg": sub[node, el]})
    yy, ee = np.meshgrid(np.arange(len(years)), np.arange(len(RARE_EARTHS)), indexing="ij")
    price = pd.DataFrame({"year": yy.ravel(), "element": ee.ravel(),
                          "price": (p * f[None, :] * mult).ravel()})  # fmt: skip
    merged = kg.merge(price, on="element")
    merged["cost"] = merged["kg"] * merged["price"]
    g = merged.groupby(["node", "year"], sort=False)["cost"].sum()
    out = np.zeros((len(products), len(years)))
    idx = g.index
    out[idx.get_level_values(0).to_numpy(), idx.get_level_values(1).to_numpy()] = g.to_numpy()
    return out


def main(parts: int, n_years: int, every_node: bool) -> None:
    net = arrays_from_synth(synthesise(parts, seed=42))
    c = compile_network(net)
    rollup(compile_network(arrays_from_synth(synthesise(1000, seed=1))), RARE_EARTHS)  # JIT
    r, t_roll = timed(lambda: rollup(c, RARE_EARTHS), repeat=1)
    products = np.flatnonzero(net.part_kind[c.node_part] == PRODUCT)
    years = tuple(range(2026, 2026 + n_years))
    p, f, mult = prices(years)
    content = np.ascontiguousarray(r.content_kg)
    print(f"{parts:,} parts: {c.n_nodes:,} nodes, {len(products):,} product nodes, "
          f"{len(RARE_EARTHS)} elements x {n_years} years; rollup (cached per revision) "
          f"{t_roll:.2f} s")  # fmt: skip
    print(row("way", "time s", "peak MB", "rel err"))
    every = np.arange(c.n_nodes)
    cases = [("every product", products)]
    if every_node:
        cases.append(("every node", every))
    t_products = 0.0
    for label, rows_ in cases:
        ours(content, rows_, p, f, mult)
        mine, t_ours = timed(lambda r_=rows_: ours(content, r_, p, f, mult), repeat=5)
        base, t_pd = timed(lambda r_=rows_: pandas_way(content, r_, p, f, mult, years), repeat=3)
        err = rel_err(mine, base)
        assert err < 1e-9, f"pandas disagrees: {err}"
        mem = peak_mb(lambda r_=rows_: ours(content, r_, p, f, mult))
        mem_pd = peak_mb(lambda r_=rows_: pandas_way(content, r_, p, f, mult, years))
        t_products = t_products or t_ours
        print(row(f"{label}: raretrace (K x P)", f"{t_ours:.4f}", f"{mem:.0f}", "-"))
        print(row(f"{label}: pandas merge/groupby", f"{t_pd:.4f}", f"{mem_pd:.0f}", f"{err:.1e}"),
              f"x{t_pd / t_ours:,.1f} slower")  # fmt: skip
    print(f"rollup + exposure of every product: {t_roll + t_products:.2f} s")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--parts", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--every-node", choices=("yes", "no"), default=None,
                    help="also price every node (default: yes up to 200,000 parts)")  # fmt: skip
    a = ap.parse_args()
    every = a.every_node == "yes" if a.every_node else a.parts <= 200_000
    main(a.parts, a.years, every)
