"""Simulation use cases: load a scenario file, run it (in this process, on threads, or
on a Dask cluster), summarise, and write JSON / Parquet / chart data.

Scaling out splits the runs into fixed-size batches (``analytics.results.batches``);
each batch has its own child seed, so a run gives *identical* numbers on one thread,
on many threads or on any number of Dask workers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import ValidationError

from raretrace.analytics.disruptions import Plan, estimated_years, plan
from raretrace.analytics.matrices import CompiledNetwork
from raretrace.analytics.results import (
    BATCH_SIZE,
    Batch,
    SimulationResult,
    batches,
    build_result,
    combine,
    link_of,
    run_one,
)
from raretrace.analytics.scenario_check import check_ids
from raretrace.analytics.scenarios import Scenario
from raretrace.analytics.simulate import BatchOutput
from raretrace.analytics.sources import existing_sources, without_source
from raretrace.domain.calendar import WorkingCalendar
from raretrace.errors import InputError, Problem
from raretrace.services.calendar import calendar_covering
from raretrace.services.simulation.charts import chart_specs
from raretrace.services.simulation.summary import (
    ProductRow,
    SimulationSummary,
    result_json,
    summarise,
    write_parquet,
)

__all__ = [
    "ProductRow",
    "SimulationSummary",
    "chart_specs",
    "check_scenario",
    "load_scenario",
    "result_json",
    "run",
    "sample_scenarios",
    "summarise",
    "write_parquet",
]

Progress = Callable[[int, int], None]


def sample_scenarios() -> list[Path]:
    """The scenario files shipped with the package."""
    folder = Path(str(files("raretrace.sample") / "scenarios"))
    return sorted(folder.glob("*.yaml"))


def load_scenario(path: Path, compiled: CompiledNetwork | None = None) -> Scenario:
    """Read and validate a scenario YAML file (against ``compiled``'s ids when given);
    every problem names its line and key path."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read scenario {path}: {exc.strerror}") from exc
    return parse_scenario(text, name, compiled)


def parse_scenario(
    text: str, name: str = "<scenario>", compiled: CompiledNetwork | None = None
) -> Scenario:
    """Validate a scenario's YAML text: the schema, and with ``compiled`` every id
    against the network. All problems are reported together (``InputError``, each
    with its line and key path); nothing is returned when there is any."""
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError(f"{name} is not valid YAML",
                         [Problem(name, row, None, str(exc).splitlines()[0])]) from exc  # fmt: skip
    if not isinstance(data, dict):
        raise InputError(
            f"{name}: a scenario is a mapping",
            [Problem(name, 1, None, "expected 'name: ...' and other keys")],
        )
    problems: list[Problem] = []
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems += [
            Problem(name, _line(node, err["loc"]), ".".join(str(x) for x in err["loc"]) or None,
                    err["msg"])
            for err in exc.errors()
        ]  # fmt: skip
    if compiled is not None:
        problems += [Problem(name, _line(node, loc), ".".join(str(x) for x in loc), msg)
                     for loc, msg in check_ids(compiled, data)]  # fmt: skip
    if problems or scenario is None:
        raise InputError(f"{name}: {len(problems)} problem(s) in the scenario; nothing was run",
                         problems)  # fmt: skip
    return scenario


def check_scenario(compiled: CompiledNetwork, scenario: Scenario, name: str = "<scenario>") -> None:
    """Refuse a scenario whose ids the network lacks (every problem, with its key path)."""
    found = check_ids(compiled, scenario.model_dump(mode="json", by_alias=True))
    if found:
        problems = [Problem(name, None, ".".join(str(x) for x in loc), msg) for loc, msg in found]
        raise InputError(f"{name}: {len(problems)} problem(s) in the scenario; nothing was run",
                         problems)  # fmt: skip


def _line(node: Any, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at ``loc`` (the deepest one that exists)."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            nxt = node.value[key]
        else:
            nxt = None
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line + 1
    return line


# -- running ------------------------------------------------------------------------


@contextmanager
def dask_map(scheduler: str | None, local_workers: int) -> Iterator[Callable[..., Any]]:
    """A ``map_fn`` that runs batches on a Dask cluster: the one at ``scheduler``, or a
    local in-process cluster of ``local_workers`` workers (loopback only)."""
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=local_workers, threads_per_worker=1, processes=False,
            dashboard_address=None, silence_logs=logging.ERROR,
        )  # fmt: skip
        client = Client(cluster)  # type: ignore[no-untyped-call]
    else:
        client = Client(scheduler)  # type: ignore[no-untyped-call]
    try:

        def map_fn(
            todo: list[Batch], p: Any, dtype: str, progress: Progress | None
        ) -> list[BatchOutput]:
            from distributed import as_completed

            shared = client.scatter(p, broadcast=True)  # type: ignore[no-untyped-call]
            futures = client.map(run_one, [shared] * len(todo), todo, [dtype] * len(todo),
                                 pure=False)  # fmt: skip
            for done, _ in enumerate(as_completed(futures), start=1):  # type: ignore[no-untyped-call]
                if progress is not None:
                    progress(done, len(todo))
            return list(client.gather(futures))  # type: ignore[no-untyped-call]

        yield map_fn
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()


def run(
    compiled: CompiledNetwork,
    scenario: Scenario,
    *,
    runs: int | None = None,
    seed: int | None = None,
    version: str = "unknown",
    revision: int | None = None,
    threads: int = 1,
    scheduler: str | None = None,
    local_cluster: int = 0,
    batch_size: int = BATCH_SIZE,
    dtype: str = "float32",
    progress: Progress | None = None,
    lead_times: dict[tuple[str, str, str], float] | None = None,
    value_of_sources: bool = False,
    verdicts_of: Callable[[date], dict[tuple[str, str, str], str]] | None = None,
) -> SimulationResult:
    """Simulate ``runs`` Monte Carlo runs of ``scenario`` (defaults from the scenario).

    ``threads`` > 1 runs batches on threads (the kernel releases the GIL);
    ``scheduler``/``local_cluster`` run them on Dask. The numbers are the same.
    ``lead_times`` ((supplier site, part, buyer site) -> days) feed goods in transit
    when the scenario counts them. ``value_of_sources`` re-runs the scenario (same runs
    and seed) without each declared alternative and spare capacity in turn, and puts
    what each one saves in ``result.extra["source_values"]``. ``verdicts_of(as_of)``
    ((supplier site, part, buyer site) -> the link's outcome under the rule packs on
    that day) feeds licence rules with ``denial_by_verdict``.
    """
    check_scenario(compiled, scenario, scenario.name)
    n_runs = scenario.runs if runs is None else runs
    the_seed = scenario.seed if seed is None else seed
    cal = scenario_calendar(scenario)
    transit = None
    if scenario.count_in_transit:
        if lead_times is None:
            raise InputError(f"{scenario.name}: count_in_transit needs the supply lead times")
        transit = transit_days(compiled, lead_times)
    verdicts: list[np.ndarray[Any, Any] | None] = []
    for rule in scenario.licensing:
        if not rule.denial_by_verdict:
            verdicts.append(None)
            continue
        if verdicts_of is None:
            raise InputError(f"{scenario.name}: denial_by_verdict needs the rule packs")
        as_of = scenario.date_of(scenario.day_of(rule.start))
        assert as_of is not None  # the schema requires a start date
        verdicts.append(edge_values(compiled, verdicts_of(as_of), ""))
    p = plan(compiled, scenario, cal, transit, verdicts)
    todo = batches(n_runs, the_seed, batch_size)
    outs: list[BatchOutput]
    if scheduler is not None or local_cluster > 0:
        with dask_map(scheduler, max(local_cluster, 1)) as mapper:
            outs = mapper(todo, p, dtype, progress)
    else:
        outs = _threaded(lambda b: run_one(p, b, dtype), todo, threads, progress)
    out = combine(outs)
    data = scenario.model_dump(mode="json", by_alias=True)
    data["runs"], data["seed"] = n_runs, the_seed
    result = build_result(
        compiled, p, out, scenario=data, seed=the_seed, version=version, revision=revision,
        target=scenario.stop_probability_target,
    )  # fmt: skip
    if cal is not None:
        result.extra["calendar"] = {
            "source": cal.source,
            "years": [cal.first_year, cal.last_year],
            "confirmed_through": cal.confirmed_through,
            "estimated_years": estimated_years(scenario, cal),
        }
    if value_of_sources:
        options = {"verdicts_of": verdicts_of, "threads": threads, "scheduler": scheduler,
                   "local_cluster": local_cluster, "batch_size": batch_size, "dtype": dtype,
                   "lead_times": lead_times}  # fmt: skip
        values, left_out = _source_values(compiled, scenario, p, result, n_runs, the_seed,
                                          options)  # fmt: skip
        result.extra["source_values"] = values
        result.extra["source_values_left_out"] = left_out
    return result


MAX_EXISTING_SOURCES = 20  # existing supply links valued by ``value_of_sources``


def _source_values(
    compiled: CompiledNetwork,
    scenario: Scenario,
    p: Plan,
    with_all: SimulationResult,
    runs: int,
    seed: int,
    options: dict[str, Any],
) -> tuple[list[dict[str, Any]], int]:
    """Per declared alternative or spare capacity, and per existing source of a
    multi-sourced part that a rule reaches (at most ``MAX_EXISTING_SOURCES``, buyers
    losing most first; the second value says how many more were not valued): mean days
    and value of product output lost per run with every source, and without that one
    (the same runs and seed). Without an existing source, the buyer's other sources of
    that part carry its share (``analytics.sources.without_source``)."""

    def lost(r: SimulationResult) -> tuple[float, float]:
        value = np.nan_to_num(r.value_lost).sum(axis=1)
        return float(r.days_lost.sum(axis=1).mean()), float(value.mean())

    days_with, value_with = lost(with_all)
    rows: list[dict[str, Any]] = []
    entries: list[tuple[str, int, dict[str, Any]]] = [
        ("alternative", i, {"part": a.part, "supplier": a.supplier, "buyer": a.site or "(every)"})
        for i, a in enumerate(scenario.alternatives)
    ] + [
        ("spare_capacity", i, {"part": a.part, "supplier": a.supplier,
                               "buyer": a.buyer or "(every)"})
        for i, a in enumerate(scenario.spare_capacity)
    ]  # fmt: skip
    links, left_out = existing_sources(p, with_all.node_days_lost_mean, MAX_EXISTING_SOURCES)
    entries += [("existing", int(k), dict(zip(("supplier", "part", "buyer"),
                                            link_of(compiled, p, int(k))[:3], strict=True)))
                for k in links.tolist()]  # fmt: skip
    for kind, i, who in entries:
        if kind == "existing":
            net, s = without_source(compiled, int(p.e_global[i])), scenario
        else:
            key = "alternatives" if kind == "alternative" else "spare_capacity"
            kept = [x for j, x in enumerate(getattr(scenario, key)) if j != i]
            net, s = compiled, scenario.model_copy(update={key: kept})
        without = run(net, s, runs=runs, seed=seed, **options)
        days_without, value_without = lost(without)
        rows.append({"kind": kind, **who,
                     "days_lost_with": days_with, "days_lost_without": days_without,
                     "days_saved": days_without - days_with,
                     "value_lost_with": value_with, "value_lost_without": value_without,
                     "value_saved": value_without - value_with})  # fmt: skip
    rows.sort(key=lambda x: -float(x["value_saved"]))
    return rows, left_out


def transit_days(
    compiled: CompiledNetwork, lead_times: dict[tuple[str, str, str], float]
) -> np.ndarray[Any, Any]:
    """Days in transit on every edge of the compiled network: the supply link's
    ``lead_time_days`` (0 within a site or where no lead time is recorded)."""
    return np.asarray(edge_values(compiled, lead_times, 0.0), np.float64)


def edge_values(
    compiled: CompiledNetwork, values: dict[tuple[str, str, str], Any], default: Any
) -> np.ndarray[Any, Any]:
    """``values[(supplier site, part, buyer site)]`` on every edge of the compiled
    forward CSR that crosses sites (``default`` elsewhere)."""
    c = compiled
    net = c.net
    rows = np.repeat(np.arange(c.n_nodes), np.diff(c.fwd_indptr))
    cols = c.fwd_indices
    out = np.full(len(cols), default, dtype=object if isinstance(default, str) else None)
    if not values:
        return out
    site = [str(x) for x in net.site_ids.tolist()]
    part = [str(x) for x in net.part_ids.tolist()]
    for g, (b, a) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
        key = (site[c.node_site[a]], part[c.node_part[a]], site[c.node_site[b]])
        value = values.get(key)
        if value is not None and key[0] != key[2]:
            out[g] = value
    return out


def scenario_calendar(s: Scenario) -> WorkingCalendar | None:
    """China's working-day calendar for the years a dated scenario needs (its start,
    the licence submissions, the horizon, and two years beyond for long lead times):
    the same calendar and day count as the licence application's review clock."""
    if s.start is None:
        return None
    end = s.start + timedelta(days=float(s.horizon_days))
    return calendar_covering(s.start, end, *(r.submitted for r in s.licensing))


def _threaded(fn: Callable[[Batch], BatchOutput], todo: list[Batch], threads: int,
              progress: Progress | None) -> list[BatchOutput]:  # fmt: skip
    results: list[BatchOutput] = []
    if threads <= 1:
        it: Iterable[BatchOutput] = map(fn, todo)
        for i, o in enumerate(it):
            results.append(o)
            if progress is not None:
                progress(i + 1, len(todo))
        return results
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for i, o in enumerate(pool.map(fn, todo)):
            results.append(o)
            if progress is not None:
                progress(i + 1, len(todo))
    return results
