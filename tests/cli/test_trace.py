from __future__ import annotations

import json
import sys
from pathlib import Path

from typer.testing import CliRunner

from raretrace.cli import app
from raretrace.settings import Settings
from raretrace.workspace import Workspace

sys.path.insert(0, str(Path(__file__).parents[1] / "analytics"))
from tracing_networks import magnet_chain

runner = CliRunner()


def _db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with Workspace.open(Settings(database_url=url)) as ws, ws._uow() as uow:
        uow.network.upsert(magnet_chain())
        uow.network.bump_revision()
    return url


def test_trace_json_table_and_csv(tmp_path: Path) -> None:
    db = _db(tmp_path)
    res = runner.invoke(app, ["trace", "CAR", "--db", db, "--json", "--as-of", "2026-03-01"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["provenance"]["as_of"] == "2026-03-01"
    assert payload["nodes"][0]["origin"]["Dy"][0]["country"] == "CN"
    res = runner.invoke(app, ["trace", "CAR", "--db", db])
    assert res.exit_code == 0 and "Dy" in res.stdout and "Unknown content" in res.stdout
    res = runner.invoke(app, ["trace", "CAR", "--db", db, "--csv"])
    assert res.stdout.splitlines()[0].startswith("site,part,element")


def test_where_used_and_exposure(tmp_path: Path) -> None:
    db = _db(tmp_path)
    res = runner.invoke(app, ["where-used", "OXIDE", "--db", db])
    assert res.exit_code == 0 and "S-OEM/CAR" in res.stdout
    res = runner.invoke(app, ["where-used", "CAR", "--up", "--db", db, "--csv"])
    assert res.exit_code == 0 and "MAGNET" in res.stdout
    res = runner.invoke(app, ["exposure", "CAR", "--db", db, "--json"])
    assert json.loads(res.stdout)["rows"][0]["rank"] == 1
    res = runner.invoke(app, ["exposure", "--db", db])
    assert res.exit_code == 0 and "S-MAGCN" in res.stdout


def test_where_used_table_lists_the_first_rows_and_counts_the_rest(tmp_path: Path) -> None:
    db = _db(tmp_path)
    every = json.loads(runner.invoke(app, ["where-used", "OXIDE", "--db", db, "--json"]).stdout)
    n = len(every["rows"])
    assert n >= 3
    wide = {"COLUMNS": "200"}
    res = runner.invoke(app, ["where-used", "OXIDE", "--db", db, "--rows", "1"], env=wide)
    assert res.exit_code == 0, res.output
    cut = every["rows"][1:]
    tiers = sorted({r["tier"] for r in cut})
    counted = ", ".join(f"tier {t}: {sum(r['tier'] == t for r in cut)}" for t in tiers)
    assert f"Not listed: {n - 1} more node(s) ({counted})" in res.stdout
    assert f"({n} nodes)" in res.stdout
    first = every["rows"][0]
    assert f"{first['site']}" in res.stdout
    # every node of the JSON (the table default shows up to 200) and --rows 0 say all
    res = runner.invoke(app, ["where-used", "OXIDE", "--db", db, "--rows", "0"], env=wide)
    assert "Not listed" not in res.stdout
    assert all(r["site"] in res.stdout for r in every["rows"])
    assert f"Products ({len(every['ends'])}): " in res.stdout


def test_unknown_product_exits_3(tmp_path: Path) -> None:
    res = runner.invoke(app, ["trace", "NOPE", "--db", _db(tmp_path)])
    assert res.exit_code == 3


def test_trace_names_content_declared_above_the_bom(tmp_path: Path) -> None:
    from raretrace.domain.network import CompositionLine

    url = f"sqlite:///{tmp_path / 'res.db'}"
    net = magnet_chain()
    net.composition.append(CompositionLine("MOTOR", "Tb", 0.001))  # no Tb below it
    with Workspace.open(Settings(database_url=url)) as ws, ws._uow() as uow:
        uow.network.upsert(net)
        uow.network.bump_revision()
    res = runner.invoke(app, ["trace", "CAR", "--db", url], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert "Declared above BOM" in res.stdout and "S-TIER1/MOTOR: Tb +0.04 kg" in res.stdout
    payload = json.loads(runner.invoke(app, ["trace", "CAR", "--db", url, "--json"]).stdout)
    tb = payload["nodes"][0]["origin"]["Tb"]
    assert [(o["site"], o["share"]) for o in tb] == [("S-TIER1", 1.0)]
