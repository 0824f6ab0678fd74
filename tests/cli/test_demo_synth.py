"""`raretrace demo` runs the main job on the sample world; `raretrace synth` generates."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from raretrace.cli import app
from raretrace.services.formats.bundle import read_bundle

runner = CliRunner()


def test_demo_runs_every_step(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    out_dir = tmp_path / "out"
    result = runner.invoke(
        app, ["demo", "--db", db, "--as-of", "2026-11-29", "--out", str(out_dir)]
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    out = result.stdout
    for heading in (
        "the sample world (illustrative, fictional)",
        "Parties by country",
        "Rare earths per product",
        "Supplier exposure",
        "Controlled sample parts",
        "Hits",
        "embargo",
        "rare-earth survey",
    ):
        assert heading in out, heading
    assert list(out_dir.glob("survey-*.xlsx"))
    pdf = next(out_dir.glob("application-*.pdf"))
    assert pdf.read_bytes().startswith(b"%PDF")
    # Running it again replaces the sample world rather than duplicating it.
    again = runner.invoke(app, ["demo", "--db", db, "--json", "--out", str(out_dir)])
    assert again.exit_code == 0
    assert json.loads(again.stdout)["summary"]["counts"]["parts"] >= 300


def test_synth_loads_into_a_database_and_writes_a_bundle(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    result = runner.invoke(app, ["synth", "--parts", "500", "--seed", "3", "--db", db, "--json"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["rows"]["parts"] == 500
    out = tmp_path / "bundle"
    result = runner.invoke(app, ["synth", "--parts", "500", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0
    assert len(read_bundle(out).network.parts) == 500
    # Loading into a workspace that already has a network is refused, cleanly.
    result = runner.invoke(app, ["synth", "--parts", "500", "--db", db])
    assert result.exit_code != 0
    assert "Traceback" not in result.stdout + result.stderr
