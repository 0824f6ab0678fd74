"""Where-used latency: a typical leaf and the most-shared leaf of a synthetic network.

.venv/bin/python benchmarks/bench_where_used.py 1000000
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
from common import arrays_from_synth

from raretrace.analytics.matrices import compile_network
from raretrace.analytics.where_used import Direction, Tracer
from raretrace.services.network.synth import synthesise


def main(n: int) -> None:
    c = compile_network(arrays_from_synth(synthesise(n, seed=42)))
    tracer = Tracer(c)
    leaves = np.flatnonzero(np.diff(c.fwd_indptr) == 0)
    users = np.diff(c.rev_indptr)[leaves]
    typical = leaves[users == int(np.median(users))][:200]
    tracer.reach(typical[:1], Direction.DOWN)  # compile the kernel
    sizes = [len(tracer.reach(np.array([v]), Direction.DOWN).nodes) for v in typical]
    t0 = time.perf_counter()
    for v in typical:
        tracer.reach(np.array([v]), Direction.DOWN)
    t_typ = (time.perf_counter() - t0) / len(typical)
    # most shared leaf = the one reaching most nodes among the 20 most used
    top = leaves[np.argsort(users)[-20:]]
    reach = {int(v): len(tracer.reach(np.array([v]), Direction.DOWN).nodes) for v in top}
    worst = max(reach, key=reach.__getitem__)
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        tracer.reach(np.array([worst]), Direction.DOWN)
        best = min(best, time.perf_counter() - t0)
    print(f"{n:,} parts, {c.n_nodes:,} nodes")
    print(f"typical leaf ({np.median(sizes):.0f} nodes reached): {t_typ * 1e6:.1f} us")
    print(f"most-shared leaf ({reach[worst]:,} nodes reached): {best * 1e3:.2f} ms")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
