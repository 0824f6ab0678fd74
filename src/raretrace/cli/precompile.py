"""`raretrace precompile`: compile the tracing kernels into numba's on-disk cache.

numba compiles a kernel on its first call and keeps the machine code in its cache
(``cache=True``): the ``__pycache__`` folder next to ``raretrace/analytics/kernels.py``
when that is writable, else the user's cache folder (``$NUMBA_CACHE_DIR`` when set).
Without this step the first command after an install that needs a kernel (a first
compile of a network, a large where-used) spends several seconds compiling. It runs
each kernel on a small synthetic network the way the commands do (the rollup kernel
for the network's element count and for the controlled elements), from freshly
compiled arrays and from arrays mapped read-only from the disk cache (numba compiles
those separately). `make install` and `make dev` run it.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from raretrace.cli import output


def precompile(
    quiet: Annotated[bool, typer.Option("--quiet", help="Print nothing.")] = False,
) -> None:
    """Compile the tracing kernels into numba's disk cache (once after installing)."""
    import numpy as np

    from raretrace.analytics.rollup import rollup
    from raretrace.analytics.where_used import Direction, Tracer
    from raretrace.domain.elements import ANNOUNCEMENT_18_ELEMENTS
    from raretrace.services.network import synth as synth_service
    from raretrace.settings import Settings
    from raretrace.workspace import Workspace

    def exercise(ws: Workspace) -> None:
        c = ws.tracing.engine().compiled
        # The rollup kernel is compiled per column count: every element of the
        # network, and the controlled elements (disruption scenarios).
        for elements in (None, ANNOUNCEMENT_18_ELEMENTS):
            for parallel in (False, True):
                rollup(c, elements, parallel=parallel)
        tracer = Tracer(c, small=0)
        for direction in Direction:
            for stop in (tracer.entry, None):
                tracer.reach(np.zeros(1, np.int64), direction, stop)

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="raretrace-precompile-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'kernels.db'}"
        with Workspace.open(Settings(database_url=url)) as ws:
            ws.imports.load_synthetic(synth_service.synthesise(200, seed=1))
            exercise(ws)  # compiles the network: freshly built arrays
        with Workspace.open(Settings(database_url=url)) as ws:
            exercise(ws)  # arrays mapped read-only from the disk cache
    if not quiet:
        took = time.perf_counter() - t0
        output.console.print(f"Tracing kernels compiled and cached in {took:.1f} s.")
