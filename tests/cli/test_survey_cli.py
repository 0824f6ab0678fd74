"""`raretrace survey ...` and `raretrace ipc1752 ...`: exit codes and --json payloads."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from factories import TINY, write_bundle_files
from raretrace.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_survey_and_ipc_commands(tmp_path: Path, db_url: str) -> None:
    assert run("import", str(write_bundle_files(tmp_path / "w", TINY)), "--db", db_url)[0] == 0
    book = tmp_path / "mag.xlsx"
    code, out = run("survey", "make", "MAG", "--out", str(book), "--db", db_url, "--json")
    assert code == 0, out
    assert json.loads(out)["supplier_party_id"] == "MAG"
    code, out = run("survey", "read", str(book), "--db", db_url, "--json")
    assert code == 0, out
    assert json.loads(out)["changes"]["changes"] == []
    code, out = run("survey", "read", str(book), "--apply", "--db", db_url)
    assert code == 0 and "No changes" in out
    code, out = run("survey", "status", "--db", db_url, "--json")
    assert code == 0 and json.loads(out)[0]["status"] == "answered"
    xml = tmp_path / "magnet.xml"
    code, out = run("ipc1752", "export", "MAGNET", "--out", str(xml), "--db", db_url)
    assert code == 0 and xml.exists(), out
    code, out = run("ipc1752", "import", str(xml), "--db", db_url, "--json")
    assert code == 0, out
    assert json.loads(out)["declaration_class"] == "D"
    bad = tmp_path / "bad.xml"
    bad.write_text("<nope")
    code, out = run("ipc1752", "import", str(bad), "--db", db_url)
    assert code == 2 and "not well-formed" in out
    code, out = run("ipc1752", "export", "NOPE", "--out", str(xml), "--db", db_url)
    assert code == 3
    code, out = run("survey", "make", "NOBODY", "--out", str(book), "--db", db_url)
    assert code == 3
