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


def test_ipc_dry_run_hint_names_its_own_option(tmp_path: Path, db_url: str) -> None:
    assert run("import", str(write_bundle_files(tmp_path / "w", TINY)), "--db", db_url)[0] == 0
    xml = tmp_path / "magnet.xml"
    assert run("ipc1752", "export", "MAGNET", "--out", str(xml), "--db", db_url)[0] == 0
    text = xml.read_text().replace('value="0.3"', 'value="0.31"', 1)
    xml.write_text(text)
    code, out = run("ipc1752", "import", str(xml), "--dry-run", "--db", db_url)
    assert code == 0, out
    assert "--apply" not in out
    if "Nothing written" in out:
        assert "run it again without --dry-run to write" in out


def test_amrt_and_erp_commands(tmp_path: Path, db_url: str) -> None:
    assert run("import", str(write_bundle_files(tmp_path / "w", TINY)), "--db", db_url)[0] == 0
    book = tmp_path / "amrt.xlsx"
    code, out = run("survey", "amrt-make", "MAG", "--out", str(book), "--db", db_url)
    assert code == 0 and book.exists(), out
    code, out = run("survey", "amrt-read", str(book), "--db", db_url)
    assert code == 0, out
    # the pre-filled separator is read back as the party we know, not a new one
    assert "AMRT 1.3 from MAG: 1 rare-earth smelter(s)." in out
    assert "add parties" not in out
    code, out = run("erp", "profiles", "--json")
    assert code == 0 and "supplier-master.yaml" in json.loads(out)["profiles"]
    vendors = tmp_path / "v.csv"
    vendors.write_text("Vendor,Name 1,Country,City\nV1,Vendor One,CN,Ningbo\n")
    profile = Path(json.loads(out)["folder"]) / "supplier-master.yaml"
    code, out = run("erp", "import", str(vendors), "--profile", str(profile), "--db", db_url)
    assert code == 0 and "Nothing written" in out, out
