"""Simulation runs as one service object (``Workspace.simulation``): the shipped
scenarios, scenario checks with the limits a shared server needs, submitting a run as
a background job (with everything needed to reproduce it and an audit entry), re-runs,
and reading runs back. The web app and the Python API use the same calls.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from raretrace.analytics.results import SimulationResult
from raretrace.analytics.scenarios import Scenario
from raretrace.domain.jobs import Job
from raretrace.domain.network import Network
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.services.jobs import queue as jobs
from raretrace.services.jobs.service import JobsService
from raretrace.services.simulation import runs as sim
from raretrace.services.users.service import UsersService

KIND = "simulation"
MAX_SCENARIO_BYTES = 256 * 1024
MAX_ALIASES = 100  # YAML aliases refused beyond this (no "billion laughs")
MAX_RUNS = 5000  # Monte Carlo runs per submitted run
MAX_AUTO_WATCH = 12  # product nodes whose inventory curves every run keeps

#: Turns a finished run into the JSON kept as the job's result (the front end's shape).
Payload = Callable[[SimulationResult, str], dict[str, Any]]


@lru_cache(maxsize=1)
def shipped() -> dict[str, tuple[Path, Scenario]]:
    """The shipped sample scenarios by key (file stem)."""
    return {p.stem: (p, sim.load_scenario(p)) for p in sim.sample_scenarios()}


def shipped_path(key: str) -> Path:
    found = shipped().get(key)
    if found is None:
        raise NotFoundError(f"no shipped scenario {key!r}")
    return found[0]


def read_scenario(text: str, name: str, compiled: Any = None) -> Scenario:
    """Validate a scenario's text (ids against ``compiled`` when given); every problem
    is located by line (and key). Refuses texts over ``MAX_SCENARIO_BYTES`` and more
    than ``MAX_ALIASES`` YAML aliases."""
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise InputError(f"{name} is over the {MAX_SCENARIO_BYTES // 1024} KiB limit")
    try:
        aliases = sum(isinstance(t, yaml.AliasToken) for t in yaml.scan(text))
    except yaml.YAMLError:
        aliases = 0  # parse_scenario reports the located syntax error
    if aliases > MAX_ALIASES:
        raise InputError(
            f"{name} has {aliases} YAML aliases; at most {MAX_ALIASES} are accepted",
            [Problem(name, None, None, "write the values out instead of using *aliases")],
        )
    return sim.parse_scenario(text, name, compiled)


class SimulationService:
    def __init__(
        self,
        *,
        jobs: JobsService,
        users: UsersService,
        compiled: Callable[[], Any],
        network: Callable[[], Network],
        revision: Callable[[], int],
        simulate: Callable[..., SimulationResult],
        version: str,
    ) -> None:
        self._jobs = jobs
        self._users = users
        self._compiled = compiled
        self._network = network
        self._revision = revision
        self._simulate = simulate
        self._version = version

    def read_scenario(self, text: str, name: str) -> Scenario:
        """``read_scenario`` checked against the current network's ids."""
        return read_scenario(text, name, self._compiled())

    def product_nodes(self) -> list[str]:
        """site/part of the planned products (their inventory curves are always kept)."""
        net = self._network()
        kinds = {p.part_id: p.kind.value for p in net.parts}
        seen = dict.fromkeys(
            f"{r.site_id}/{r.part_id}" for r in net.production if kinds.get(r.part_id) == "product"
        )
        return list(seen)[:MAX_AUTO_WATCH]

    def check_node(self, node: str) -> None:
        site, _, part = node.partition("/")
        net = self._network()
        if not any(x.site_id == site for x in net.sites) or not any(
            p.part_id == part for p in net.parts
        ):
            raise InputError(
                f"no node {node!r}: give site/part, e.g. a site id and a part it makes",
                [Problem("watch", None, "watch", f"{node!r} is not a site/part of the network")],
            )

    def submit(
        self,
        text: str,
        name: str,
        source: str,
        *,
        actor: str,
        payload: Payload,
        runs: int | None = None,
        seed: int | None = None,
        watch: str | None = None,
    ) -> Job:
        """Validate and start a run in the background, and audit it; the job row records
        everything needed to reproduce it (scenario text, runs, seed, version,
        revision). ``payload`` turns the finished result into the job's JSON result."""
        scenario = self.read_scenario(text, name)
        if runs is not None and not 1 <= runs <= MAX_RUNS:
            raise InputError(f"runs must be between 1 and {MAX_RUNS}")
        if seed is not None and seed < 0:
            raise InputError("the seed must be 0 or more")
        n_runs = scenario.runs if runs is None else runs
        if n_runs > MAX_RUNS:
            raise InputError(
                f"{name} asks for {n_runs:,} runs; the web app runs at most {MAX_RUNS:,} "
                "(give fewer runs, or use `raretrace simulate` for more)",
                [Problem(name, None, "runs", f"at most {MAX_RUNS}")],
            )
        the_seed = scenario.seed if seed is None else seed
        if watch:
            self.check_node(watch)
        watch_list = list(
            dict.fromkeys([*scenario.watch, *([watch] if watch else []), *self.product_nodes()])
        )
        to_run = scenario.model_copy(update={"watch": watch_list})
        params = {
            "scenario": scenario.name,
            "file": name,
            "source": source,
            "text": text,
            "runs": n_runs,
            "seed": the_seed,
            "watch": watch,
            "version": self._version,
            "revision": self._revision(),
        }

        def work(report: jobs.Reporter) -> dict[str, Any]:
            r = self._simulate(to_run, runs=n_runs, seed=the_seed, progress=report)
            return payload(r, scenario.description)

        job = self._jobs.start(KIND, scenario.name, params, actor, work)
        self._users.record(
            actor,
            "simulation.run",
            f"run {job.job_id}",
            f"{scenario.name} ({source}), runs={n_runs}, seed={the_seed}",
        )
        return job

    def submit_shipped(
        self,
        key: str,
        *,
        actor: str,
        payload: Payload,
        runs: int | None = None,
        seed: int | None = None,
        watch: str | None = None,
    ) -> Job:
        """``submit`` a shipped scenario by its key."""
        path = shipped_path(key)
        return self.submit(
            path.read_text(encoding="utf-8"), path.name, f"shipped: {path.name}",
            actor=actor, payload=payload, runs=runs, seed=seed, watch=watch,
        )  # fmt: skip

    def rerun(self, run_id: int, *, actor: str, payload: Payload, watch: str | None = None) -> Job:
        """The same scenario text, runs and seed (identical numbers), optionally keeping
        one more inventory curve."""
        p = jobs.params(self.run(run_id))
        return self.submit(
            str(p["text"]), str(p["file"]), f"re-run of #{run_id}", actor=actor,
            payload=payload, runs=int(p["runs"]), seed=int(p["seed"]),
            watch=watch or p.get("watch"),
        )  # fmt: skip

    def run(self, run_id: int) -> Job:
        return self._jobs.get(run_id, KIND)

    def runs(self, limit: int = 50) -> list[Job]:
        """The newest runs, newest first."""
        return self._jobs.recent(KIND, limit)

    def latest_done(self) -> Job | None:
        """The newest finished run."""
        return self._jobs.latest_done(KIND)
