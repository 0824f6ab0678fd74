"""CLI: raretrace simulate / dependence."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from raretrace.cli import app
from raretrace.services.simulation.runs import sample_scenarios

runner = CliRunner()


def _db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    from raretrace.settings import Settings
    from raretrace.workspace import Workspace

    with Workspace.open(Settings(database_url=url)) as ws:
        ws.load_sample()
    return url


def scenario(name: str) -> str:
    return str(next(p for p in sample_scenarios() if p.name.startswith(name)))


def test_simulate_json_and_files(tmp_path: Path) -> None:
    db = _db(tmp_path)
    res = runner.invoke(
        app,
        [
            "simulate",
            scenario("licence"),
            "--db",
            db,
            "--runs",
            "20",
            "--seed",
            "3",
            "--json",
            "--parquet",
            str(tmp_path / "r.parquet"),
            "--chart-dir",
            str(tmp_path / "charts"),
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["provenance"]["seed"] == 3 and data["provenance"]["runs"] == 20
    assert data["summary"]["products"][0]["stop_probability"] > 0
    assert (tmp_path / "r.parquet").exists()
    assert (tmp_path / "charts" / "stop_probability.png").stat().st_size > 1000
    html = (tmp_path / "charts" / "stop_probability.html").read_text(encoding="utf-8")
    assert 'id="chart-spec"' in html


def test_simulate_readable_summary(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["simulate", scenario("embargo"), "--db", _db(tmp_path), "--runs", "10"]
    )
    assert res.exit_code == 0, res.output
    assert "embargo-cn-jp-2010" in res.stdout
    assert "Sites that stop" in res.stdout


def test_simulate_bad_file_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nhorizon_days: -3\n", encoding="utf-8")
    res = runner.invoke(app, ["simulate", str(bad), "--db", _db(tmp_path)])
    assert res.exit_code == 2
    assert "row 2" in res.output


def test_dependence_cli(tmp_path: Path) -> None:
    res = runner.invoke(app, ["dependence", "--db", _db(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert {r["stage"] for r in rows} == {"mining", "separation", "metal", "magnets"}


def test_html_charts_load_vendored_files_that_exist_and_tables_are_not_cut(tmp_path: Path) -> None:
    import re

    charts = tmp_path / "charts"
    res = runner.invoke(app, ["simulate", scenario("licence"), "--db", _db(tmp_path),
                              "--runs", "20", "--chart-dir", str(charts)])  # fmt: skip
    assert res.exit_code == 0, res.output
    for page in charts.glob("*.html"):
        srcs = re.findall(r'<script src="([^"]+)"', page.read_text(encoding="utf-8"))
        assert len(srcs) == 3
        assert all((charts / s).stat().st_size > 10_000 for s in srcs), srcs
    # piped (not a terminal): whole ids, no "…" from cutting the table to 80 columns
    assert "VEH-AST-ICE" in res.stdout and "S-VEL-DE-HAL" in res.stdout
    assert "…" not in res.stdout


def test_empty_charts_say_why(tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.yaml"
    quiet.write_text("name: quiet\nhorizon_days: 30\nruns: 2\n", encoding="utf-8")
    charts = tmp_path / "charts"
    res = runner.invoke(app, ["simulate", str(quiet), "--db", _db(tmp_path),
                              "--chart-dir", str(charts)])  # fmt: skip
    assert res.exit_code == 0, res.output
    spec = json.loads((charts / "first_stop_day.vl.json").read_text(encoding="utf-8"))
    assert spec["usermeta"]["empty"] == "No run stops a product line within the horizon."
    assert "No run stops" in (charts / "first_stop_day.html").read_text(encoding="utf-8")
