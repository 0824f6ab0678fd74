"""Logins under load (issue 17): `raretrace serve --workers 2` on SQLite and PostgreSQL.

    scripts/pg-server start          # prints the server URL
    .venv/bin/python benchmarks/bench_web_auth_load.py --pg postgresql+psycopg://...

For each back end (a fresh SQLite file in a temporary folder; a fresh PostgreSQL
schema, dropped afterwards), the sample world is loaded, six users and five API tokens
are created, and the server is started with two workers on loopback. Then, bounded in
time and threads:

1. baseline: 50 API readers (``GET /api/v1/dashboard`` with bearer tokens) alone;
2. burst: the same 50 readers while 20 threads log in through the real form over and
   over (GET /login for the CSRF token, POST /login, GET /api/v1/me with the session;
   every fifth attempt with a wrong password, which is audited and rate limited);
3. the dashboard page (``/``, HTML) with 8 clients: requests per second (target >= 200),
   from the Python client and from ``wrk`` (Debian package; C, so it leaves the cores
   to the server), when installed.

Every response is counted by status; the check is "no 5xx" in every phase, every
correct login succeeds (303 then 200) and every wrong one gets 401 or 429. Before the
write lock was taken up front, ~20 parallel logins on SQLite gave HTTP 500 "database is
locked". The load generator shares the machine's cores with the server; the load
average is printed with each figure.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_web_load import DEFAULT_PG, fresh_schema, load, load_wrk, server, warm

from raretrace.domain.users import UserRole
from raretrace.services.users import accounts as user_service
from raretrace.settings import Settings
from raretrace.workspace import Workspace

PASSWORD = "bench password 17"
USERS = [f"user{i}" for i in range(6)]
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def prepare(url: str) -> list[str]:
    """Sample world, six users, five API tokens (returned)."""
    with Workspace.open(Settings(database_url=url)) as ws:
        ws.load_sample()
        with ws._uow(write=True) as uow:
            for name in USERS:
                user_service.create_user(
                    uow, username=name, role=UserRole.EDITOR, password=PASSWORD, actor="bench"
                )
            return [
                user_service.issue_token(uow, USERS[i], "bench", actor="bench").secret
                for i in range(5)
            ]


def readers(
    base: str, tokens: list[str], threads: int, stop: Callable[[], bool], codes: Counter[int]
) -> tuple[list[threading.Thread], list[int]]:
    done = [0] * threads
    lock = threading.Lock()

    def run(i: int) -> None:
        headers = {"Authorization": f"Bearer {tokens[i % len(tokens)]}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
            while not stop():
                r = c.get("/api/v1/dashboard")
                with lock:
                    codes[r.status_code] += 1
                done[i] += 1

    return [threading.Thread(target=run, args=(i,)) for i in range(threads)], done


def logins(
    base: str, threads: int, stop: Callable[[], bool], codes: Counter[str]
) -> list[threading.Thread]:
    lock = threading.Lock()

    def run(i: int) -> None:
        n = 0
        while not stop():
            n += 1
            wrong = n % 5 == 0
            with httpx.Client(base_url=base, timeout=60) as c:
                page = c.get("/login")
                match = CSRF.search(page.text)
                if page.status_code != 200 or not match:
                    with lock:
                        codes[f"login page {page.status_code}"] += 1
                    continue
                r = c.post(
                    "/login",
                    data={
                        "username": USERS[i % len(USERS)],
                        "password": "wrong password" if wrong else PASSWORD,
                        "csrf_token": match.group(1),
                        "next": "/",
                    },
                )
                key = f"{'wrong' if wrong else 'right'} {r.status_code}"
                if not wrong and r.status_code == 303:
                    me = c.get("/api/v1/me")
                    key += f" me {me.status_code}"
                with lock:
                    codes[key] += 1

    return [threading.Thread(target=run, args=(i,)) for i in range(threads)]


def phase(groups: list[list[threading.Thread]]) -> float:
    t0 = time.monotonic()
    for g in groups:
        for t in g:
            t.start()
    for g in groups:
        for t in g:
            t.join()
    return time.monotonic() - t0


def bad_logins(codes: Counter[str]) -> list[str]:
    ok = {"right 303 me 200", "wrong 401", "wrong 429"}
    return [k for k in codes if k not in ok]


def run_backend(name: str, url: str, a: argparse.Namespace) -> bool:
    tokens = prepare(url)
    env = {"RARETRACE_WEB_COOKIE_SECURE": "false"}
    with env_set(env), server(url, a.workers) as base:
        warm(base, tokens[0], "/api/v1/dashboard", a.workers)
        warm(base, tokens[0], "/", a.workers)

        end = time.monotonic() + a.seconds
        alone: Counter[int] = Counter()
        threads, _ = readers(base, tokens, a.readers, lambda: time.monotonic() > end, alone)
        took = phase([threads])
        base_rps = sum(alone.values()) / took
        print(
            f"{name} BASELINE {a.readers} API readers alone: {base_rps:,.1f} req/s, "
            f"statuses {dict(alone)}; load average {os.getloadavg()[0]:.2f}"
        )

        end = time.monotonic() + a.seconds
        during: Counter[int] = Counter()
        login_codes: Counter[str] = Counter()
        r_threads, _ = readers(base, tokens, a.readers, lambda: time.monotonic() > end, during)
        l_threads = logins(base, a.logins, lambda: time.monotonic() > end, login_codes)
        took = phase([r_threads, l_threads])
        rps = sum(during.values()) / took
        attempts = sum(login_codes.values())
        print(
            f"{name} BURST {a.logins} login threads + {a.readers} API readers, {took:.1f} s: "
            f"readers {rps:,.1f} req/s ({rps / base_rps:.2f} x baseline), statuses "
            f"{dict(during)}; {attempts} logins ({attempts / took:.1f}/s) {dict(login_codes)}; "
            f"load average {os.getloadavg()[0]:.2f}"
        )

        dash = load(base, tokens[0], "/", a.dash_threads, a.seconds)
        print(f"{name} DASHBOARD {dash.line()}")
        # The Python client above costs about as much CPU per request as the server on
        # this 2-core machine; wrk (C) measures what the server itself sustains.
        wrk = load_wrk(base, tokens[0], "/", a.dash_threads, a.seconds)
        print(f"{name} DASHBOARD {wrk.line if wrk else '(wrk not installed: apt-get install wrk)'}")
        # wrk counts every response in its rate: only an all-2xx run stands for the target.
        wrk_rps = wrk.rps if wrk and wrk.non_2xx == 0 else 0.0

    five_xx = sum(n for c, n in (*alone.items(), *during.items()) if c >= 500)
    five_xx += sum(n for k, n in login_codes.items() if " 5" in f" {k.split()[-1]}")
    problems = bad_logins(login_codes)
    dash_rps = max(dash.rps, wrk_rps)
    ok = five_xx == 0 and not problems and dash.errors == 0 and dash_rps >= 200
    print(
        f"{name}: {'OK' if ok else 'FAILED'} (5xx: {five_xx}; unexpected login outcomes: "
        f"{problems or 'none'}; dashboard {dash_rps:,.1f} req/s, target >= 200)"
    )
    return ok


@contextmanager
def env_set(values: dict[str, str]) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", default=os.environ.get("RARETRACE_BENCH_PG_URL", DEFAULT_PG))
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--logins", type=int, default=20)
    ap.add_argument("--readers", type=int, default=50)
    ap.add_argument("--dash-threads", type=int, default=8)
    a = ap.parse_args()
    if a.logins > 64 or a.readers > 128:
        raise SystemExit("bounded: at most 64 login threads and 128 readers")
    print(f"{os.cpu_count()} CPUs; load average at start {os.getloadavg()}")
    results = []
    if not a.skip_sqlite:
        with tempfile.TemporaryDirectory(prefix="bench-auth-") as tmp:
            results.append(run_backend("sqlite", f"sqlite:///{tmp}/bench.db", a))
    if not a.skip_pg:
        with fresh_schema(a.pg, False) as url:
            results.append(run_backend("postgresql", url, a))
    raise SystemExit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
