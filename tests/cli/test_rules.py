"""`raretrace rules|classify|determine` through Typer's runner on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from raretrace.cli import app
from raretrace.sample import world_path
from raretrace.settings import Settings
from raretrace.workspace import Workspace

runner = CliRunner()


def _db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'rules.db'}"
    with Workspace.open(Settings(database_url=url)) as ws:
        ws.import_bundle(world_path(), replace=True)
    return url


def test_rules_list_show_check(tmp_path: Path) -> None:
    res = runner.invoke(app, ["rules", "list", "--as-of", "2026-11-10", "--json"])
    assert res.exit_code == 0, res.output
    rows = {r["rule"]: r for r in json.loads(res.stdout)["rules"]}
    assert rows["ann61.1-1.magnet"]["status"] == "suspended"
    assert rows["ann18.1C905.a.ndfeb-magnet"]["status"] == "in_force"
    assert rows["ann18.1C906.lutetium"]["uncertain"] is True
    res = runner.invoke(app, ["rules", "show", "ann61.1-1.magnet", "--json"])
    info = json.loads(res.stdout)
    assert info["suspensions"][0]["until"] == "2026-11-10"
    assert "value" in info["predicates"]["cn_value_share_at_least"]
    res = runner.invoke(app, ["rules", "show", "party_listed"])
    assert res.exit_code == 0 and "50" in res.stdout
    assert runner.invoke(app, ["rules", "show", "nope"]).exit_code == 3
    assert runner.invoke(app, ["rules", "check"]).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    res = runner.invoke(app, ["rules", "check", str(bad)])
    assert res.exit_code == 2 and "bad.yaml" in res.output


def test_classify_and_bom(tmp_path: Path) -> None:
    db = _db(tmp_path)
    res = runner.invoke(app, ["classify", "MAG-TM-CVF", "--as-of", "2026-11-29", "--db", db])
    assert res.exit_code == 0, res.output
    assert "controlled" in res.stdout and "1C905.a" in res.stdout
    res = runner.invoke(
        app, ["classify", "MAG-TM-CVF", "--as-of", "2025-04-03", "--db", db, "--json"]
    )
    assert json.loads(res.stdout)["outcome"] == "not_controlled"
    res = runner.invoke(app, ["classify", "ECOMP-ROT", "--bom", "--db", db, "--json"])
    rows = {r["part_id"]: r["determination"]["outcome"] for r in json.loads(res.stdout)}
    assert rows["ECOMP-ROT"] == "not_controlled" and rows["MAG-ECOMP"] == "controlled"
    res = runner.invoke(app, ["classify", "X", "--as-of", "tomorrow", "--db", db])
    assert res.exit_code == 2


def test_determine_shipment_all_flows_and_diff(tmp_path: Path) -> None:
    db = _db(tmp_path)
    args = ["determine", "MAG-SMCO-DEF", "--exporter", "S-HUA-CN-SH", "--consignee"]
    res = runner.invoke(app, [*args, "AEGISRIDGE", "--as-of", "2026-11-29", "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    # a US military end user: Ann. 2024 No. 46 clause 1 (in force since 3 Dec 2024)
    assert d["outcome"] == "prohibited" and d["item"]["control_codes"] == ["1C902.a"]
    fired = {r["rule_id"] for r in d["reasons"] if r["fired"]}
    assert {"ann18.licence.export-from-china", "ann2024-46.us.military-end-user"} <= fired
    res = runner.invoke(app, [*args, "AEGISRIDGE", "--as-of", "2024-12-02", "--db", db, "--json"])
    assert json.loads(res.stdout)["outcome"] == "not_controlled"  # before Ann. 18
    res = runner.invoke(app, ["determine", "--all-flows", "--as-of", "2026-11-29", "--db", db])
    assert res.exit_code == 0 and "Cross-border flows" in res.stdout
    flows_args = ["determine", "--all-flows", "--as-of", "2026-11-29", "--db", db, "--json"]
    flows = json.loads(runner.invoke(app, flows_args).stdout)["flows"]
    assert any("ann61.1-1.magnet" in f["rules"] and f["alternative_outcome"] for f in flows)
    res = runner.invoke(
        app, ["rules", "diff", "--from", "2026-11-10", "--to", "2026-11-11", "--db", db, "--json"]
    )
    diff = json.loads(res.stdout)
    assert ["ann61.1-1.magnet", "suspended", "in_force"] in diff["rules"]
    assert diff["flows"]
    assert runner.invoke(app, ["determine", "--db", db]).exit_code == 2
