"""Simulation service: scenario files, sample world, Dask scale-out, outputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from raretrace.errors import InputError
from raretrace.services.simulation import dependence
from raretrace.services.simulation import runs as simulation
from raretrace.workspace import Workspace


def test_shipped_scenarios_validate() -> None:
    files = simulation.sample_scenarios()
    assert {f.name for f in files} >= {"embargo_cn_jp_2010.yaml", "licence_delay_45wd.yaml"}
    for f in files:
        assert simulation.load_scenario(f).name


def test_validation_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: x\nstep: fortnight\nembargoes:\n  - exporters: [CN]\n"
        "    window: {from: 0, to: 10}\n    colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        simulation.load_scenario(path)
    where = {(p.row, p.column) for p in exc.value.problems}
    assert (2, "step") in where
    assert (6, "embargoes.0.colour") in where


def test_date_window_needs_start() -> None:
    with pytest.raises(InputError, match="problem"):
        simulation.parse_scenario("name: x\nembargoes:\n  - window: {from: 2010-09-21}\n")


def test_sample_world_licence_delay(workspace: Workspace) -> None:
    workspace.load_sample()
    path = next(p for p in simulation.sample_scenarios() if p.name.startswith("licence"))
    r = workspace.simulate(path, runs=60)
    s = simulation.summarise(r)
    assert r.runs == 60 and r.seed == 18 and r.revision is not None and r.version
    assert r.scenario["name"] == "licence-delay-45wd"
    cars = [p for p in s.products if p.product.startswith("VEH-")]
    assert cars and all(p.stop_probability > 0 for p in cars)
    assert max(p.stop_probability for p in cars) > 0.5
    # two links into one plant are told apart by the part they go into
    keys = [(x["supplier"], x["part"], x["buyer"], x["buyer_part"]) for x in s.causes]
    assert len(keys) == len(set(keys))
    rows = [(x["supplier"], x["part"], x["site"], x["buyer_part"]) for x in s.stock_needed]
    assert len(rows) == len(set(rows))
    assert s.causes and s.causes_by_supplier[0]["supplier"].startswith("S-")
    assert s.stock_needed and all(
        x["stock_days_needed"] > x["stock_days_now"] for x in s.stock_needed
    )
    specs = simulation.chart_specs(r)
    assert {"stop_probability", "first_stop_day", "stock_needed"} <= set(specs)
    assert len(specs["stock_needed"]["data"]["values"]) == len(s.stock_needed)
    assert any(k.startswith("stock:") for k in specs)


def test_dask_local_cluster_gives_identical_results(workspace: Workspace) -> None:
    pytest.importorskip("distributed")
    workspace.load_sample()
    path = next(p for p in simulation.sample_scenarios() if p.name.startswith("licence"))
    one = workspace.simulate(path, runs=120, seed=5)
    two = workspace.simulate(path, runs=120, seed=5, local_cluster=2)
    threads = workspace.simulate(path, runs=120, seed=5, threads=2)
    for other in (two, threads):
        np.testing.assert_array_equal(one.days_lost, other.days_lost)
        np.testing.assert_array_equal(one.first_stop, other.first_stop)
        assert one.causes == other.causes
    different = workspace.simulate(path, runs=120, seed=6)
    assert not np.array_equal(one.days_lost, different.days_lost)


def test_parquet_carries_provenance(workspace: Workspace, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    workspace.load_sample()
    path = next(p for p in simulation.sample_scenarios() if p.name.startswith("embargo"))
    r = workspace.simulate(path, runs=10)
    out = simulation.write_parquet(r, tmp_path / "r.parquet")
    table = pq.read_table(out)
    assert table.num_rows == 10 * len(r.track_part)
    meta = table.schema.metadata
    assert meta[b"raretrace.seed"] == b"2010"
    assert b"embargo-cn-jp-2010" in meta[b"raretrace.scenario"]


def test_dependence_world_figures_are_sourced() -> None:
    world, history = dependence.world_concentration()
    assert world["magnets"].concentration.top_country == "China"
    assert world["magnets"].concentration.top_share_pct == 94.0
    assert not world["magnets"].concentration.complete  # only China is given
    assert world["separation"].concentration.hhi == 92.0**2 + 5.0**2
    assert all(src for f in world.values() for src in f.sources)
    assert history and history[0].year == "2010"


def test_dependence_of_the_sample_world(workspace: Workspace) -> None:
    workspace.load_sample()
    report = workspace.dependence()
    dy = next(r for r in report.rows if r.stage == "magnets" and r.element == "Dy")
    assert dy.ours is not None
    assert abs(float(dy.ours.share_pct.sum()) - 100.0) < 1e-6
    assert "versus 94% for the world" in dy.sentence


def test_working_clock_needs_a_start_date() -> None:
    text = (
        "name: x\nlicensing:\n  - exporters: [CN]\n    clock: working\n"
        "    lead_time: {kind: fixed, days: 45}\n"
    )
    with pytest.raises(InputError) as exc:
        simulation.parse_scenario(text)
    assert any("working-day clock" in p.message for p in exc.value.problems)


def test_remote_scheduler_with_two_worker_processes_gives_identical_results(
    workspace: Workspace,
) -> None:
    """`dask scheduler` and two `dask worker` processes on loopback: the same arrays as
    one thread, two threads and a LocalCluster."""
    pytest.importorskip("distributed")
    import socket
    import subprocess
    import sys

    from distributed import Client

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    addr = f"tcp://127.0.0.1:{port}"
    dask = str(Path(sys.executable).parent / "dask")
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]  # fmt: skip
    try:
        for _ in range(2):
            procs.append(subprocess.Popen(
                [dask, "worker", addr, "--nthreads", "1",
                 "--host", "127.0.0.1", "--no-nanny", "--dashboard-address", ":0"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        with Client(addr, timeout=60) as client:  # type: ignore[no-untyped-call]
            client.wait_for_workers(2, timeout=120)  # type: ignore[no-untyped-call]
            assert len(client.scheduler_info()["workers"]) == 2  # type: ignore[no-untyped-call]
        workspace.load_sample()
        path = next(p for p in simulation.sample_scenarios() if p.name.startswith("licence"))
        one = workspace.simulate(path, runs=120, seed=5)
        remote = workspace.simulate(path, runs=120, seed=5, scheduler=addr)
        np.testing.assert_array_equal(one.days_lost, remote.days_lost)
        np.testing.assert_array_equal(one.first_stop, remote.first_stop)
        assert one.causes == remote.causes and one.stock_needed == remote.stock_needed
        assert one.days_lost.sum() > 0
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)


def test_licence_shock_2025_backtest_runs_on_the_sample_world(workspace: Workspace) -> None:
    """Every link holds 30 days of stock, so nothing can stop before day 30; with lead
    times of about 52 working days most runs stop some vehicle line."""
    workspace.load_sample()
    path = next(p for p in simulation.sample_scenarios() if p.name == "licence_shock_2025.yaml")
    r = workspace.simulate(path, runs=40)
    assert r.scenario["start"] == "2025-04-04"
    first = r.first_stop[np.isfinite(r.first_stop)]
    assert first.size and first.min() >= 30.0
    assert (r.days_lost.sum(axis=1) > 0).mean() > 0.5
    assert r.extra["calendar"]["estimated_years"] == []
