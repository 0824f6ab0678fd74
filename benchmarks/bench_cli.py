"""Command-line latency as a user feels it: whole `raretrace` processes, timed.

    .venv/bin/python benchmarks/bench_cli.py sqlite:////tmp/big.db [--runs 5] [--numba]

Times, as subprocesses, `python -c pass` and `python -c "import raretrace.cli"` (the two
baselines, measured in the same run), `raretrace --help`, and on the given workspace
(its compiled-network cache warmed first): `trace PRODUCT --json`, `where-used LEAF`
(a typical leaf part) and `where-used SHARED` (the leaf part reaching most nodes, its
default table and `--json`). Prints min and median wall time of ``--runs`` runs, the
CPU time of the median run, the load average before each command, and each median's
ratio to the two baselines.

``--numba`` also times `where-used SHARED` (the one command here that loads a numba
kernel) with numba's on-disk cache of raretrace's kernels removed, as right after an
install without `raretrace precompile`, and again after running it.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from raretrace.analytics.matrices import PRODUCT
from raretrace.analytics.where_used import Direction, Tracer
from raretrace.settings import Settings
from raretrace.workspace import Workspace

BIN = Path(sys.executable).parent
RARETRACE = str(BIN / "raretrace")


def pick_queries(db: str) -> dict[str, str]:
    """A product, a typical leaf part and the most-shared leaf part of the workspace."""
    with Workspace.open(Settings(database_url=db)) as ws:
        eng = ws.tracing.engine()
        c = eng.compiled
        net = c.net
        kind = net.part_kind[c.node_part]
        product = str(net.part_ids[c.node_part[np.flatnonzero(kind == PRODUCT)[0]]])
        leaf_parts = np.flatnonzero(~c.part_has_bom)
        users = np.zeros(len(net.part_ids), np.int64)
        np.add.at(users, c.node_part, np.diff(c.rev_indptr))
        used = leaf_parts[users[leaf_parts] > 0]
        median = int(np.median(users[used]))
        typical = int(used[users[used] == median][0])
        tracer = Tracer(c, small=0)
        top = used[np.argsort(users[used])[-20:]]

        def reached(p: int) -> int:
            starts = np.flatnonzero(c.node_part == p).astype(np.int64)
            return len(tracer.reach(starts, Direction.DOWN).nodes)

        sizes = {int(p): reached(int(p)) for p in top}
        shared = max(sizes, key=sizes.__getitem__)
        print(f"product {product}; typical leaf {net.part_ids[typical]} ({reached(typical):,} "
              f"nodes reached); most-shared leaf {net.part_ids[shared]} ({sizes[shared]:,} "
              "nodes reached)")  # fmt: skip
        return {"product": product, "leaf": str(net.part_ids[typical]),
                "shared": str(net.part_ids[shared])}  # fmt: skip


def run(cmd: list[str], runs: int) -> tuple[list[float], float, float]:
    """Wall times of ``runs`` runs, CPU time (user + sys) of the median one, load."""
    load = os.getloadavg()[0]
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr.decode()}")
    mid = sorted(range(runs), key=walls.__getitem__)[runs // 2]
    return walls, cpus[mid], load


def kernel_cache_files() -> list[Path]:
    from raretrace.analytics import kernels

    folder = Path(kernels.__file__).parent / "__pycache__"
    return [*folder.glob("kernels.*.nbi"), *folder.glob("kernels.*.nbc")]


def main(db: str, runs: int, numba: bool) -> None:
    q = pick_queries(db)
    rt = [RARETRACE]
    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("python -c 'import raretrace.cli'", [sys.executable, "-c", "import raretrace.cli"]),
        ("raretrace --help", [*rt, "--help"]),
        (f"trace {q['product']} --json", [*rt, "trace", q["product"], "--json", "--db", db]),
        (f"where-used {q['leaf']} (typical leaf)", [*rt, "where-used", q["leaf"], "--db", db]),
        (f"where-used {q['leaf']} --json", [*rt, "where-used", q["leaf"], "--json", "--db", db]),
        (f"where-used {q['shared']} (most shared, table)",
         [*rt, "where-used", q["shared"], "--db", db]),
        (f"where-used {q['shared']} --json",
         [*rt, "where-used", q["shared"], "--json", "--db", db]),
    ]  # fmt: skip
    subprocess.run(cases[3][1], stdout=subprocess.DEVNULL, check=True)  # warm the cache
    base: list[float] = []
    print(f"{'command':<46} {'min s':>7} {'median s':>9} {'cpu s':>6} {'load':>5}  ratio to "
          "(pass, import raretrace.cli)")  # fmt: skip
    for name, cmd in cases:
        walls, cpu, load = run(cmd, runs)
        med = statistics.median(walls)
        if len(base) < 2:
            base.append(med)
        ratio = f"{med / base[0]:.1f}x, {med / base[1]:.1f}x" if len(base) == 2 else ""
        print(f"{name:<46} {min(walls):7.3f} {med:9.3f} {cpu:6.2f} {load:5.1f}  {ratio}")
    if not numba:
        return
    shared = [*rt, "where-used", q["shared"], "--db", db]
    saved = Path(os.environ.get("TMPDIR", "/tmp")) / "raretrace-bench-kernels"
    shutil.rmtree(saved, ignore_errors=True)
    saved.mkdir()
    for f in kernel_cache_files():
        shutil.move(f, saved / f.name)
    walls, cpu, load = run(shared, 1)
    print(f"{'where-used SHARED, no numba cache (1st run)':<46} {walls[0]:7.3f} {'':>9} "
          f"{cpu:6.2f} {load:5.1f}")  # fmt: skip
    for f in kernel_cache_files():
        f.unlink()
    t0 = time.perf_counter()
    subprocess.run([RARETRACE, "precompile", "--quiet"], check=True)
    print(f"raretrace precompile (at install): "
          f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
    walls, cpu, load = run(shared, 1)
    print(f"{'where-used SHARED, after the install step':<46} {walls[0]:7.3f} {'':>9} "
          f"{cpu:6.2f} {load:5.1f}")  # fmt: skip


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    if "--runs" in sys.argv:
        args.remove(str(n))
    if len(args) != 1:
        raise SystemExit(__doc__)
    main(args[0], n, "--numba" in sys.argv)
