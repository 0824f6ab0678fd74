"""Tracing engine from a stored network: cold (read tables + compile) vs warm (cache).

    .venv/bin/raretrace synth --parts 1000000 --seed 42 --db sqlite:////tmp/big.db
    .venv/bin/python benchmarks/bench_load.py sqlite:////tmp/big.db [--profile] [--phases]

Works on SQLite and PostgreSQL URLs. Cold: the workspace's cache folder
(``Workspace.cache_dir()``) is removed, then ``Workspace.tracing.engine()`` reads
the network tables (one query per table), builds the index arrays, compiles the CSR
matrices and runs the default rollup; a thread then writes both to the ``.npy`` cache
(timed apart: until ``TracingService.flush()`` returns). Warm: a new
workspace (a fresh ``TracingService``, as after a restart) checks the revision and row
counts and maps the cached arrays and rollup. Both in one process after numba's
kernels are loaded; a fresh process also pays ``import numba`` and loading the kernels
from numba's on-disk cache (printed first). ``--phases`` then times the cold path's
steps one by one in a unit of work, garbage collector paused as in the engine: reading
the tables (``uow.network.columns(committed=True)``: two connections on PostgreSQL),
building the index arrays (``build_arrays``), compiling (``compile_network``) and the
default rollup.
The process's peak RSS is printed right after the cold start (before the phases).
"""

from __future__ import annotations

import cProfile
import gc
import os
import pstats
import resource
import shutil
import sys
import time

from raretrace.analytics.matrices import compile_network
from raretrace.analytics.rollup import rollup
from raretrace.analytics.tables import build_arrays
from raretrace.settings import Settings
from raretrace.workspace import Workspace


def main(url: str, profile: bool, phases: bool) -> None:
    t0 = time.perf_counter()
    from raretrace.analytics.kernels import jitted

    for name in ("rollup", "rollup_parallel", "reach", "counting_order"):
        jitted(name)
    import numba  # noqa: F401

    print(f"import numba + kernels from numba's cache: {time.perf_counter() - t0:.2f} s")
    with Workspace.open(Settings(database_url=url)) as ws:
        cache = ws.cache_dir()
        assert cache is not None
        shutil.rmtree(cache, ignore_errors=True)
        t0, c0 = time.perf_counter(), time.process_time()
        if profile:
            cProfile.runctx("ws.tracing.engine()", globals(), {"ws": ws}, "/tmp/cold.prof")
        eng = ws.tracing.engine()
        cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
        ws.tracing.flush()
        written = time.perf_counter() - t0
    c = eng.compiled
    print(f"{len(c.net.part_ids):,} parts, {c.n_nodes:,} nodes, {c.nnz:,} edges")
    print(
        f"cold (read tables, compile, rollup): {cold:.2f} s (CPU of this process {cold_cpu:.2f} s)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"cache files written (by a thread, after the engine is ready): {written:.2f} s")
    print(f"peak RSS after the cold start: {peak:.2f} GB")
    for _ in range(3):
        with Workspace.open(Settings(database_url=url)) as ws:
            t0 = time.perf_counter()
            ws.tracing.engine()
            dt = time.perf_counter() - t0
            print(f"warm (new workspace: map cached arrays and rollup): {dt:.3f} s")
    if phases:
        gc.disable()  # as ``TracingService.engine()`` does while it compiles
        with Workspace.open(Settings(database_url=url)) as ws, ws._uow() as uow:
            t0 = time.perf_counter()
            uow.network.read_snapshot()
            uow.network.stamp()
            cols = uow.network.columns(committed=True)
            t1 = time.perf_counter()
            arrays = build_arrays(cols)
            t2 = time.perf_counter()
            compiled = compile_network(arrays)
            t3 = time.perf_counter()
            rollup(compiled)
            t4 = time.perf_counter()
        print(
            f"phases: read tables {t1 - t0:.2f} s, index arrays {t2 - t1:.2f} s, "
            f"compile {t3 - t2:.2f} s, rollup {t4 - t3:.2f} s"
        )
        gc.enable()
    print(f"load average {os.getloadavg()[0]:.1f}")
    if profile:
        pstats.Stats("/tmp/cold.prof").sort_stats("cumtime").print_stats(25)


if __name__ == "__main__":
    main(sys.argv[1], "--profile" in sys.argv, "--phases" in sys.argv)
