"""The dashboard's heavy parts on a stored network: the network summary and every
cross-border flow determined, from the network index (the table snapshot, as the web
app does) against the same from the network as records (the baseline: what the
dashboard did before), in one process, with the same engine.

    .venv/bin/raretrace synth --parts 100000 --seed 42 --db sqlite:////tmp/d100k.db
    .venv/bin/python benchmarks/bench_dashboard.py sqlite:////tmp/d100k.db [--no-baseline]

Prints wall and CPU time of each step, the process's peak RSS after the index path
(before the records are loaded for the baseline), the ratio, and checks that both
paths give the same summary and the same flows. The engine and the snapshot are
built first (the cold start is ``bench_load.py``'s business).
"""

from __future__ import annotations

import argparse
import resource
import time
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from raretrace.rules import SuspensionPolicy
from raretrace.services.classification import use_cases as classification
from raretrace.services.network.bundles import summarise
from raretrace.services.network.snapshot_summary import summarise_index
from raretrace.settings import Settings
from raretrace.workspace import Workspace

T = TypeVar("T")


def timed(label: str, fn: Callable[[], T]) -> tuple[T, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{label:<44} wall {wall:7.2f} s   CPU {cpu:7.2f} s", flush=True)
    return out, cpu


def rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def main(url: str, day: date, baseline: bool) -> None:
    with Workspace.open(Settings(database_url=url)) as ws:
        eng = ws.tracing.engine()
        book = ws.rule_book()
        listed = ws.rules.party_listings()
        idx = ws.network_index()
        print(f"{len(eng.compiled.net.part_ids):,} parts; as of {day}; peak RSS {rss_gb():.2f} GB")

        def flows(net: object) -> classification.FlowReport:
            return classification.determine_flows(
                net,  # type: ignore[arg-type]
                book,
                day,
                listed=listed,
                policy=SuspensionPolicy.AS_WRITTEN,
                alternative=SuspensionPolicy.LIFTED,
                engine=eng,
                trace=ws.rules.trace_inputs(),
            )

        s_idx, c_sum = timed("summary from the snapshot", lambda: summarise_index(idx))
        f_idx, c_flows = timed("flows over the network index", lambda: flows(idx))
        print(f"{len(f_idx.flows):,} cross-border flows; peak RSS {rss_gb():.2f} GB")
        if not baseline:
            return
        net, c_load = timed("baseline: load the network as records", ws.network)
        s_rec, c_sum_rec = timed("baseline: summary from the records", lambda: summarise(net))
        f_rec, c_flows_rec = timed("baseline: flows over the records", lambda: flows(net))
        print(f"peak RSS with the records {rss_gb():.2f} GB")
        assert s_idx == s_rec, "summaries differ"
        assert f_idx.flows == f_rec.flows, "flows differ"
        ours = c_sum + c_flows
        theirs = c_load + c_sum_rec + c_flows_rec
        print(f"same summary and flows; CPU {ours:.2f} s vs {theirs:.2f} s")
        print(f"ratio vs records: {theirs / ours:.1f}x")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("url")
    ap.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 1, 1))
    ap.add_argument("--no-baseline", action="store_true")
    a = ap.parse_args()
    main(a.url, a.as_of, not a.no_baseline)
