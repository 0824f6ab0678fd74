"""Simulation summaries: what a person reads from a result (stop probabilities, when
and how much, why, the stock that would have covered it), and the result as JSON or a
Parquet table of per-run figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from raretrace.analytics.results import SimulationResult, quantiles


@dataclass(frozen=True, slots=True)
class ProductRow:
    site: str
    product: str
    stop_probability: float
    first_stop_day: list[float | None]  # P10, P50, P90 over runs that stop
    days_lost: list[float]  # P50, P90, P99 over all runs
    units_lost: list[float]
    value_lost: list[float]
    currency: str


@dataclass(frozen=True, slots=True)
class SimulationSummary:
    """What a person reads: stop probabilities, when and how much, why, and the fix."""

    scenario: str
    runs: int
    seed: int
    version: str
    revision: int | None
    step_days: float
    horizon_days: float
    products: list[ProductRow]
    product_totals: list[dict[str, Any]]
    sites: list[dict[str, Any]]
    causes: list[dict[str, Any]]
    causes_by_part: list[dict[str, Any]]
    causes_by_supplier: list[dict[str, Any]]
    stock_needed: list[dict[str, Any]]
    stop_probability_target: float
    notes: list[str] = field(default_factory=list)
    source_values: list[dict[str, Any]] = field(default_factory=list)
    source_values_left_out: int = 0  # existing sources not valued (over the limit)


def summarise(r: SimulationResult, top: int = 15) -> SimulationSummary:
    products: list[ProductRow] = []
    stopped = r.days_lost > 0
    for j in range(len(r.track_part)):
        fs = r.first_stop[:, j][stopped[:, j]]
        first: list[float | None] = [*quantiles(fs, (0.1, 0.5, 0.9))] if fs.size else [None] * 3
        value = r.value_lost[:, j] if np.isfinite(r.track_value[j]) else np.zeros(r.runs)
        products.append(ProductRow(
            r.track_site[j], r.track_part[j], float(stopped[:, j].mean()) if r.runs else 0.0,
            first, quantiles(r.days_lost[:, j]), quantiles(r.units_lost[:, j]),
            quantiles(value), r.track_currency[j],
        ))  # fmt: skip
    products.sort(key=lambda x: (-x.stop_probability, x.product, x.site))
    totals: list[dict[str, Any]] = []
    for part in sorted(set(r.track_part)):
        cols = [j for j, x in enumerate(r.track_part) if x == part]
        units = r.units_lost[:, cols].sum(axis=1)
        p_stop = float(stopped[:, cols].any(axis=1).mean())
        totals.append({"product": part, "stop_probability": p_stop, "units_lost": quantiles(units)})
    totals.sort(key=lambda x: -float(x["stop_probability"]))
    order = np.argsort(-r.node_stop_probability, kind="stable")[:top]
    sites = [{"site": r.node_site[i], "part": r.node_part[i],
              "stop_probability": float(r.node_stop_probability[i]),
              "days_lost_mean": float(r.node_days_lost_mean[i])}
             for i in order.tolist() if r.node_stop_probability[i] > 0]  # fmt: skip
    horizon = float(r.scenario.get("horizon_days") or r.step_days * r.n_steps)
    notes = [
        "Stock is per input link at the buyer, in days of planned consumption; "
        "lead times in transit are not counted as stock.",
        "Causes are ranked by value of product output lost; currencies are not converted.",
    ]
    cal = r.extra.get("calendar")
    if cal and cal.get("estimated_years"):
        years = ", ".join(str(y) for y in cal["estimated_years"])
        notes.append(
            f"Working days in {years} are estimated: China had not published the holiday "
            f"arrangement (adjusted working days) for that year in {cal['source']}; "
            "weekends and the fixed-date public holidays are used."
        )
    return SimulationSummary(
        scenario=str(r.scenario.get("name", "")), runs=r.runs, seed=r.seed, version=r.version,
        revision=r.revision, step_days=r.step_days, horizon_days=horizon, products=products,
        product_totals=totals, sites=sites, causes=r.causes,
        causes_by_part=_group(r.causes, "part"), causes_by_supplier=_group(r.causes, "supplier"),
        stock_needed=r.stock_needed,
        stop_probability_target=float(r.scenario.get("stop_probability_target", 0.05)),
        notes=notes,
        source_values=list(r.extra.get("source_values", [])),
        source_values_left_out=int(r.extra.get("source_values_left_out", 0)),
    )  # fmt: skip


def _group(causes: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    acc: dict[str, float] = {}
    for c in causes:
        acc[str(c[key])] = acc.get(str(c[key]), 0.0) + float(c["share"])
    return [{key: k, "share": v} for k, v in sorted(acc.items(), key=lambda kv: -kv[1])]


def result_json(r: SimulationResult) -> dict[str, Any]:
    """The summary plus provenance and the per-run arrays, as plain JSON types."""
    s = summarise(r)
    return {
        "summary": s,
        "provenance": {"scenario": r.scenario, "seed": r.seed, "runs": r.runs,
                       "version": r.version, "revision": r.revision,
                       "calendar": r.extra.get("calendar")},
        "runs": {"site": r.track_site, "product": r.track_part,
                 "first_stop_day": _nan_none(r.first_stop), "days_lost": r.days_lost.tolist()},
    }  # fmt: skip


def _nan_none(x: np.ndarray[Any, Any]) -> list[list[float | None]]:
    return [[None if np.isnan(v) else float(v) for v in row] for row in x.tolist()]


def write_parquet(r: SimulationResult, path: Path) -> Path:
    """One row per (run, product node): first-stop day, days, units and value lost;
    the scenario, seed and version go in the file's metadata."""
    import json

    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    runs, nt = r.days_lost.shape
    run = np.repeat(np.arange(runs), nt)
    table = pa.table({
        "run": run,
        "site": np.tile(np.array(r.track_site, dtype=object), runs),
        "product": np.tile(np.array(r.track_part, dtype=object), runs),
        "first_stop_day": r.first_stop.ravel(),
        "days_lost": r.days_lost.ravel(),
        "units_lost": r.units_lost.ravel(),
        "value_lost": r.value_lost.ravel(),
    })  # fmt: skip
    meta = {"raretrace.scenario": json.dumps(r.scenario), "raretrace.seed": str(r.seed),
            "raretrace.version": r.version, "raretrace.revision": str(r.revision)}  # fmt: skip
    table = table.replace_schema_metadata(meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path
