"""Tracing engine from a stored network: cold (read tables + compile) vs warm (cache).

    .venv/bin/raretrace synth --parts 1000000 --seed 42 --db sqlite:////tmp/big.db
    .venv/bin/python benchmarks/bench_load.py sqlite:////tmp/big.db [--profile]

Cold: the ``<file>.cache/`` folder is removed, then ``Workspace.tracing.engine()`` reads
the network tables (one SELECT per table), builds the index arrays, compiles the CSR
matrices, runs the default rollup and writes both to the ``.npy`` cache. Warm: a new
workspace (a fresh ``TracingService``, as after a restart) checks the revision and row
counts and maps the cached arrays and rollup. Both in one process after numba's
kernels are loaded; a fresh process also pays ``import numba`` and loading the kernels
from numba's on-disk cache (printed first).
"""

from __future__ import annotations

import cProfile
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

from raretrace.settings import Settings
from raretrace.workspace import Workspace


def main(url: str, profile: bool) -> None:
    t0 = time.perf_counter()
    from raretrace.analytics.kernels import jitted

    for name in ("rollup", "rollup_parallel", "reach", "counting_order"):
        jitted(name)
    import numba  # noqa: F401

    print(f"import numba + kernels from numba's cache: {time.perf_counter() - t0:.2f} s")
    cache = Path(url.removeprefix("sqlite:///") + ".cache")
    shutil.rmtree(cache, ignore_errors=True)
    with Workspace.open(Settings(database_url=url)) as ws:
        t0 = time.perf_counter()
        if profile:
            cProfile.runctx("ws.tracing.engine()", globals(), {"ws": ws}, "/tmp/cold.prof")
        eng = ws.tracing.engine()
        cold = time.perf_counter() - t0
    c = eng.compiled
    print(f"{len(c.net.part_ids):,} parts, {c.n_nodes:,} nodes, {c.nnz:,} edges")
    print(f"cold (read tables, compile, write cache, rollup): {cold:.2f} s")
    for _ in range(3):
        with Workspace.open(Settings(database_url=url)) as ws:
            t0 = time.perf_counter()
            ws.tracing.engine()
            dt = time.perf_counter() - t0
            print(f"warm (new workspace: map cached arrays and rollup): {dt:.3f} s")
    print(f"load average {os.getloadavg()[0]:.1f}")
    if profile:
        pstats.Stats("/tmp/cold.prof").sort_stats("cumtime").print_stats(25)


if __name__ == "__main__":
    main(sys.argv[1], "--profile" in sys.argv)
