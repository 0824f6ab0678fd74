"""`rules status`, the status-unknown banner, `rules test-report`, --listed kinds and the
refusal of unknown end uses (issue 14 items 6, 8, 9)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from raretrace.cli import app
from raretrace.sample import world_path
from raretrace.settings import Settings
from raretrace.workspace import Workspace

runner = CliRunner()
BANNER = "STATUS UNKNOWN"


def _db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'status.db'}"
    with Workspace.open(Settings(database_url=url)) as ws:
        ws.import_bundle(world_path(), replace=True)
    return url


def test_rules_status_lists_no70_with_the_readings_side_by_side() -> None:
    res = runner.invoke(app, ["rules", "status", "--as-of", "2026-12-06", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    no70 = next(n for n in data["notices"] if "No. 70" in n["measure"])
    assert no70["unknown_since"] == "2026-11-11" and "ann-2025-61" in no70["packs"]
    row = next(r for r in data["rules"] if r["rule_id"] == "ann61.1-1.magnet")
    assert (row["as_written"], row["extended"], row["lifted"]) == (
        "in_force", "suspended", "in_force"
    )  # fmt: skip
    before = json.loads(runner.invoke(app, ["rules", "status", "--as-of", "2026-11-10",
                                            "--json"]).stdout)  # fmt: skip
    assert not any("No. 70" in n["measure"] for n in before["notices"])
    assert not before["rules"]


def test_banner_after_10_nov_2026_only(tmp_path: Path) -> None:
    db = _db(tmp_path)
    on_10 = runner.invoke(app, ["classify", "MAG-TM-CVF", "--as-of", "2026-11-10", "--db", db])
    on_11 = runner.invoke(app, ["classify", "MAG-TM-CVF", "--as-of", "2026-11-11", "--db", db])
    assert on_10.exit_code == on_11.exit_code == 0
    assert BANNER not in on_10.stdout
    assert BANNER in on_11.stdout and "No. 70" in on_11.stdout
    listed = runner.invoke(app, ["rules", "list", "--as-of", "2026-12-06"])
    assert BANNER in listed.stdout


def test_unknown_end_use_is_refused_with_the_valid_ones(tmp_path: Path) -> None:
    db = _db(tmp_path)
    args = ["determine", "MAG-SMCO-DEF", "--exporter", "S-HUA-CN-SH", "--consignee",
            "AEGISRIDGE", "--end-use", "defence-ish", "--db", db]  # fmt: skip
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    assert "unknown end use 'defence-ish'" in res.output
    assert "japan_military_capability" in res.output and "civilian" in res.output


def test_listed_kinds_on_the_command_line(tmp_path: Path) -> None:
    db = _db(tmp_path)
    base = ["determine", "MAG-TM-CVF", "--exporter", "S-HUA-CN-SH", "--consignee", "ORION",
            "--as-of", "2026-12-06", "--db", db, "--json"]  # fmt: skip
    control = json.loads(runner.invoke(app, [*base, "--listed", "ORION=control"]).stdout)
    watch = json.loads(runner.invoke(app, [*base, "--listed", "ORION=watch"]).stdout)
    unknown = json.loads(runner.invoke(app, [*base, "--listed", "ORION"]).stdout)
    assert control["outcome"] == "prohibited"
    assert watch["outcome"] == "licence_required"
    assert any("single licence" in n for n in watch["notes"])
    assert unknown["uncertain"]  # listed, which list not known
    bad = runner.invoke(app, [*base, "--listed", "ORION=blacklist"])
    assert bad.exit_code == 2 and "control or watch" in bad.output


def test_test_report_changes_the_trace_wording(tmp_path: Path) -> None:
    db = _db(tmp_path)
    add = ["rules", "test-report", "add", "MAG-TM-CVF", "--dy-tb", "0.05%", "--lab", "Lab A",
           "--ref", "R-1", "--tested-on", "2026-11-30", "--db", db, "--json"]  # fmt: skip
    res = runner.invoke(app, add)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["dy_tb_fraction"] == "0.0005"
    listed = runner.invoke(app, ["rules", "test-report", "list", "--db", db])
    assert "R-1" in listed.stdout
    cls = ["classify", "MAG-TM-CVF", "--as-of", "2026-12-06", "--db", db, "--json"]
    plain = json.loads(runner.invoke(app, cls).stdout)
    with_pt = json.loads(runner.invoke(app, [*cls, "--practice-threshold", "0.001"]).stdout)
    assert plain["outcome"] == with_pt["outcome"] == "controlled"
    assert any("No practice threshold is set" in n for n in plain["uncertain_reasons"])
    assert any("at or below your practice threshold" in n for n in with_pt["uncertain_reasons"])
    bad = runner.invoke(app, [*add[:4], "--dy-tb", "2", *add[6:]])
    assert bad.exit_code == 2
    missing = runner.invoke(app, ["rules", "test-report", "add", "NOPE", *add[4:]])
    assert missing.exit_code != 0
