"""CLI on a real SQLite (and PostgreSQL) database: exit codes, tables and --json."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from factories import TINY, write_bundle_files
from raretrace.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_init_import_show_export(db_url: str, tiny_bundle: Path, tmp_path: Path) -> None:
    code, out, _ = run("init", "--db", db_url, "--json")
    assert code == 0
    assert json.loads(out)["revision"] == 0

    code, out, _ = run("import", str(tiny_bundle), "--db", db_url, "--json")
    assert code == 0, out
    assert json.loads(out)["rows"]["parts"] == 4

    code, out, _ = run("show", "parties", "--db", db_url)
    assert code == 0
    assert "Parties" in out and "(51%)" in out

    code, out, _ = run("show", "parts", "--db", db_url, "--json")
    assert code == 0
    assert {p["part_id"] for p in json.loads(out)} == {"CAR", "MOTOR", "MAGNET", "DY2O3"}

    code, out, _ = run("show", "bom", "CAR", "--db", db_url, "--json")
    assert code == 0
    tree = json.loads(out)
    motor = tree["children"][0]
    assert (motor["part_id"], motor["quantity"]) == ("MOTOR", 4.0)
    assert motor["children"][0]["children"][0]["part_id"] == "DY2O3"

    code, out, _ = run("show", "bom", "CAR", "--db", db_url)
    assert "4 x MOTOR" in out

    code, out, _ = run("export", str(tmp_path / "out.xlsx"), "--db", db_url)
    assert code == 0 and (tmp_path / "out.xlsx").exists()


def test_bad_bundle_exits_non_zero_with_located_message(db_url: str, tmp_path: Path) -> None:
    files = dict(TINY)
    files["bom.csv"] = "parent_part_id,child_part_id,quantity\nCAR,MOTOR,zero\n"
    bad = write_bundle_files(tmp_path / "bad", files)
    code, out, err = run("import", str(bad), "--db", db_url)
    assert code == 2
    assert "Traceback" not in out + err
    assert "bom.csv, row 2, column 'quantity': 'zero' is not a number" in err.replace("\n", " ")


def test_unknown_part_and_bad_db_url(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    code, _, err = run("show", "bom", "NOPE", "--db", db)
    assert code == 3 and "no part 'NOPE'" in err
    code, _, err = run("init", "--db", "sqlite:////no/such/folder/x.db")
    assert code == 5 and "does not exist" in err
    code, _, err = run("init", "--db", "not a url")
    assert code == 5 and "not a database URL" in err
