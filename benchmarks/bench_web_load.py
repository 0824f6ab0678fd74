"""Web load check (issue 9): `raretrace serve --workers 2` on PostgreSQL, loopback only.

    scripts/pg-server start          # prints the server URL
    .venv/bin/python benchmarks/bench_web_load.py \\
        --pg postgresql+psycopg://postgres@127.0.0.1:54329/raretrace_test --parts 1000000

Two fresh PostgreSQL schemas (dropped afterwards unless --keep): one with the sample
world, one with ``raretrace synth --parts N``. For each, a user and an API token are
created, the server is started with two workers, every worker is warmed (the first
request of a process compiles the network and rollups), then a bounded load generator
(httpx, one client per thread, keep-alive) sends GETs for ``--seconds``:

- the dashboard of the sample world (``/``, HTML): requests per second (target >= 200);
- a product page of the synthetic workspace (``/parts/<product>``, HTML): latency p50,
  p99 (target p99 < 300 ms), with a few threads so it measures latency, not queueing.

The load generator runs on the same 2-core machine as the server and the database, so
it takes CPU from them; the load average is printed with each figure.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from raretrace.domain.users import UserRole
from raretrace.services.users import accounts as user_service
from raretrace.settings import Settings
from raretrace.workspace import Workspace

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:54329/raretrace_test"
RAYTRACE = str(Path(sys.executable).with_name("raretrace"))
#: How to start ``raretrace`` (the venv's script, else the package run by this Python).
RAYTRACE_CMD = (
    [RAYTRACE]
    if Path(RAYTRACE).exists()
    else [
        sys.executable,
        "-c",
        "import sys; from raretrace.cli import main; sys.argv[0] = 'raretrace'; main()",
    ]
)


@contextmanager
def fresh_schema(base: str, keep: bool) -> Iterator[str]:
    """A new schema on the server; the URL that makes it the search path."""
    schema = f"bench_web_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def api_token(url: str) -> str:
    name = f"bench-{uuid.uuid4().hex[:8]}"
    with Workspace.open(Settings(database_url=url)) as ws, ws._uow() as uow:
        user_service.create_user(
            uow, username=name, role=UserRole.VIEWER, password="bench password", actor="bench"
        )
        return user_service.issue_token(uow, name, "load", actor="bench").secret


def worker_rss(base: str) -> str:
    """Resident memory of the processes listening behind ``base`` (the workers are the
    children of the ``raretrace serve`` process), from /proc (Linux)."""
    port = base.rsplit(":", 1)[1]
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text_ = status.read_text()
            cmd = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "multiprocessing" in cmd or f"--port {port}" in cmd:
            rss = next((ln.split()[1] for ln in text_.splitlines() if ln.startswith("VmRSS")), "0")
            out.append(int(rss) / 1e6)
    return ", ".join(f"{gb:.2f} GB" for gb in sorted(out, reverse=True)) or "unknown"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: ``time.perf_counter()`` when the last ``server`` process was started.
STARTED = [0.0]


@contextmanager
def server(url: str, workers: int) -> Iterator[str]:
    port = free_port()
    STARTED[0] = time.perf_counter()
    env = {**os.environ, "RARETRACE_DATABASE_URL": url, "RARETRACE_LOG_LEVEL": "warning"}
    log = open(f"/tmp/bench-web-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [*RAYTRACE_CMD, "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(Path(log.name).read_text())
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: do not leave it behind
            proc.kill()
            proc.wait(timeout=30)
        log.close()


@dataclass
class Result:
    path: str
    threads: int
    seconds: float
    latencies: list[float]
    errors: int
    load: tuple[float, float, float]

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def pct(self, q: float) -> float:
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000 if xs else float("nan")

    def line(self) -> str:
        return (
            f"{self.path}: {len(self.latencies):,} ok, {self.errors} errors, {self.threads} "
            f"threads, {self.seconds:.1f} s -> {self.rps:,.1f} req/s; latency p50 "
            f"{self.pct(0.50):.1f} ms, p90 {self.pct(0.90):.1f} ms, p99 {self.pct(0.99):.1f} ms, "
            f"max {max(self.latencies, default=0) * 1000:.1f} ms; load average "
            f"{self.load[0]:.2f} {self.load[1]:.2f} {self.load[2]:.2f}"
        )


def load(base: str, token: str, path: str, threads: int, seconds: float) -> Result:
    """``threads`` clients send GET ``path`` back to back for ``seconds``."""
    lat: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    stop = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}"}

    def worker(i: int) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                r = client.get(path)
                dt = time.perf_counter() - t0
                if r.status_code == 200:
                    lat[i].append(dt)
                else:
                    errors[i] += 1

    t0 = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    took = time.monotonic() - t0
    return Result(path, threads, took, [x for xs in lat for x in xs], sum(errors), os.getloadavg())


@dataclass
class WrkResult:
    rps: float
    non_2xx: int
    line: str


def load_wrk(base: str, token: str, path: str, threads: int, seconds: float) -> WrkResult | None:
    """The same load from ``wrk`` (Debian package ``wrk``), a C load generator that takes
    far less CPU per request than the Python client above, which on a 2-core machine
    competes with the server it measures. None when wrk is not installed."""
    exe = shutil.which("wrk")
    if exe is None:
        return None
    out = subprocess.run(
        [exe, f"-t{min(threads, 2)}", f"-c{threads}", f"-d{max(1, round(seconds))}s",
         "--latency", "-H", f"Authorization: Bearer {token}", base + path],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    pcts = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.MULTILINE))
    rps, non_2xx, load = (
        float(found.group(1)) if found else 0.0,
        int(bad.group(1)) if bad else 0,
        os.getloadavg(),
    )
    line = (
        f"{path} (wrk, {threads} connections): {rps:,.1f} req/s, non-2xx {non_2xx}; "
        f"latency p50 {pcts.get('50', '?')}, p90 {pcts.get('90', '?')}, "
        f"p99 {pcts.get('99', '?')}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    return WrkResult(rps, non_2xx, line)


def warm(base: str, token: str, path: str, workers: int) -> float:
    """Enough concurrent requests that every worker process has served ``path``; returns
    the slowest (the cold start of a process)."""
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as c:
        slowest = 0.0
        for _ in range(2):
            results: list[float] = []

            def one(results: list[float] = results) -> None:
                t0 = time.perf_counter()
                r = c.get(path, timeout=600)
                r.raise_for_status()
                results.append(time.perf_counter() - t0)

            pool = [threading.Thread(target=one) for _ in range(workers * 4)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
            slowest = max(slowest, *results)
    return slowest


def product_of(url: str) -> str:
    """The first product (by id) of the synthetic workspace."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT part_id FROM parts WHERE kind = 'product' ORDER BY part_id LIMIT 1")
            ).scalar_one()
    finally:
        engine.dispose()
    return str(found)


@contextmanager
def synthetic(a: argparse.Namespace) -> Iterator[str]:
    """``--product-db`` as it is, or a fresh schema loaded by ``raretrace synth``."""
    if a.product_db:
        yield a.product_db
        return
    with fresh_schema(a.pg, a.keep) as url:
        t0 = time.perf_counter()
        subprocess.run(
            [*RAYTRACE_CMD, "synth", "--parts", str(a.parts), "--seed", "42", "--db", url],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"synth --parts {a.parts:,} loaded in {time.perf_counter() - t0:.1f} s")
        yield url


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", default=os.environ.get("RARETRACE_BENCH_PG_URL", DEFAULT_PG))
    ap.add_argument("--parts", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--dash-threads", type=int, default=8)
    ap.add_argument("--product-threads", type=int, default=2)
    ap.add_argument("--skip-dashboard", action="store_true")
    ap.add_argument("--skip-product", action="store_true")
    ap.add_argument("--keep", action="store_true", help="Keep the schemas.")
    ap.add_argument(
        "--product-db",
        help="An already synthesised workspace (URL) for the product page, instead of "
        "loading --parts into a fresh schema (e.g. one made by `raretrace synth --db`).",
    )
    a = ap.parse_args()
    print(f"{os.cpu_count()} CPUs; load average at start {os.getloadavg()}")

    if not a.skip_dashboard:
        with fresh_schema(a.pg, a.keep) as url:
            with Workspace.open(Settings(database_url=url)) as ws:
                ws.load_sample()
            token = api_token(url)
            with server(url, a.workers) as base:
                cold = warm(base, token, "/", a.workers)
                print(f"sample world: dashboard warm-up, slowest first request {cold:.2f} s")
                r = load(base, token, "/", a.dash_threads, a.seconds)
                print("DASHBOARD " + r.line())
                print(f"  target >= 200 req/s: {'met' if r.rps >= 200 else 'MISSED'}")
                w = load_wrk(base, token, "/", a.dash_threads, a.seconds)
                print("DASHBOARD " + (w.line if w else "(wrk not installed: apt-get install wrk)"))

    if not a.skip_product:
        with synthetic(a) as url:
            product = product_of(url)
            token = api_token(url)
            path = f"/parts/{product}"
            with server(url, a.workers) as base:
                t0 = time.perf_counter()
                up = t0 - STARTED[0]
                cold = warm(base, token, path, a.workers)
                print(
                    f"{a.parts:,} parts: server up {up:.1f} s after start; product page warm-up "
                    f"{time.perf_counter() - t0:.1f} s, slowest first request {cold:.2f} s, so "
                    f"every worker served it within {up + cold:.1f} s of the start "
                    f"(load average {os.getloadavg()[0]:.1f})"
                )
                print(f"  worker memory (RSS): {worker_rss(base)}")
                r = load(base, token, path, a.product_threads, a.seconds)
                print("PRODUCT " + r.line())
                print(f"  target p99 < 300 ms: {'met' if r.pct(0.99) < 300 else 'MISSED'}")


if __name__ == "__main__":
    main()
