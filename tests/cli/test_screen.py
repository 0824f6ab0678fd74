"""Screening CLI on a real database: lists import/show, screen, decide, audit."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raretrace.cli import app

runner = CliRunner()
DATA = Path(__file__).parents[1] / "screening" / "data"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_lists_screen_decide_audit(db_url: str, tmp_path: Path) -> None:
    code, out, err = run(
        "lists",
        "import",
        str(DATA / "csl_sample.csv"),
        "--format",
        "csl",
        "--list-name",
        "US CSL",
        "--version-date",
        "2026-01-05",
        "--db",
        db_url,
        "--json",
    )
    assert code == 0, err
    assert json.loads(out)["version"]["entry_count"] == 40

    code, out, _ = run("lists", "show", "--db", db_url)
    assert code == 0 and "US CSL" in out and "2026-01-05" in out

    code, out, _ = run("screen", "Gazprom Bank", "--db", db_url, "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["threshold"] == 0.8
    (hit,) = payload["hits"]
    assert hit["entry"]["name"] == "GAZPROMBANK OAO"
    assert hit["status"] == "open"
    assert {f["feature"] for f in hit["features"]} >= {"name_tokens", "name_string", "country"}

    code, out, _ = run("screen", "Gulf Gate Shiping", "--country", "AE", "--db", db_url)
    assert code == 0
    assert "Gulf Gate Shipping Co. LLC" in out and "threshold 0.80" in out
    assert "shiping~shipping" in out  # the explanation is printed

    code, out, _ = run(
        "screen",
        "decide",
        str(hit["hit_id"]),
        "--no-match",
        "--reason",
        "a bank, not ours",
        "--by",
        "A. Officer",
        "--db",
        db_url,
    )
    assert code == 0, out
    code, out, _ = run("screen", "Gazprom Bank", "--db", db_url, "--json")
    assert json.loads(out)["hits"][0]["status"] == "no-match"

    audit_csv = tmp_path / "audit.csv"
    code, out, _ = run("screen", "audit", "--csv", str(audit_csv), "--db", db_url)
    assert code == 0
    text = audit_csv.read_text(encoding="utf-8")
    assert "decision" in text and "A. Officer" in text and "2026-01-05" in text


def test_screen_all_parties_on_the_sample_world(db_url: str) -> None:
    assert run("demo", "--db", db_url, "--json")[0] == 0
    from raretrace.cli.screen import sample_list_path

    code, _, err = run(
        "lists",
        "import",
        str(sample_list_path()),
        "--format",
        "mofcom",
        "--list-name",
        "S",
        "--db",
        db_url,
    )
    assert code == 0, err
    code, out, _ = run("screen", "--all", "--db", db_url, "--json")
    assert code == 0
    hits = json.loads(out)["hits"]
    assert {(h["subject"]["party_id"], h["kind"]) for h in hits} == {
        ("AEGISRIDGE", "name"),
        ("KUANTAN", "name"),  # the list names its branch
        ("MERIDIAN", "name"),  # AKCIONERNOE OBSCHESTVO ..., country RU vs NL
        ("HOKUSEI", "name"),  # the sample Watch-List customer (SCL-010)
        ("ORION", "name"),
        ("ORION-MX", "ownership"),
        ("RUIXIN", "name"),
        ("TIEXIN", "name"),  # listed in Chinese characters only
    }
    code, out, _ = run("screen", "--all", "--review", "--db", db_url, "--json")
    near = [h for h in json.loads(out)["hits"] if h["score"] < h["threshold"]]
    assert [h["subject"]["party_id"] for h in near] == ["HANBITM"]
    ids = [
        str(h["hit_id"])
        for h in json.loads(out)["hits"]
        if h["subject"]["party_id"] in ("HANBITM", "MERIDIAN")
    ]
    code, out, _ = run(
        "screen",
        "decide",
        *ids,
        "--no-match",
        "--reason",
        "other firms",
        "--by",
        "R",
        "--db",
        db_url,
    )
    assert code == 0 and f"Hits {ids[0]}, {ids[1]} recorded as no match" in out
    code, out, _ = run("screen", "--all", "--review", "--db", db_url, "--json")
    decided = {h["subject"]["party_id"]: h["status"] for h in json.loads(out)["hits"]}
    assert decided["HANBITM"] == decided["MERIDIAN"] == "no-match"  # reused in the new run
    code, out, _ = run("screen", "--party", "ORION-MX", "--db", db_url)
    assert code == 0 and "ownership path" in out


def test_errors_are_messages_not_tracebacks(db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,country\nX Co,China\n", encoding="utf-8")
    code, _, err = run(
        "lists", "import", str(bad), "--format", "internal", "--list-name", "I", "--db", db_url
    )
    assert code == 2
    assert "row 2" in err and "country" in err
    code, _, err = run("screen", "anyone", "--db", db_url)
    assert code == 3 and "no screening lists" in err
    code, _, err = run("screen", "anyone", "--all", "--db", db_url)
    assert code == 2
    code, _, err = run(
        "lists",
        "import",
        str(bad),
        "--format",
        "internal",
        "--list-name",
        "I",
        "--version-date",
        "yesterday",
        "--db",
        db_url,
    )
    assert code == 2 and "YYYY-MM-DD" in err


def test_lists_refresh_rescreens_and_reports_a_failed_alert(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from raretrace.settings import Settings
    from raretrace.workspace import Workspace

    with Workspace.open(Settings(database_url=db_url)) as ws:
        ws.load_sample()
    header = "id,name,country\n"
    (tmp_path / "v1.csv").write_text(header + "A2,Orion eDrive GmbH,DE\n", encoding="utf-8")
    (tmp_path / "v2.csv").write_text(
        header + "A2,Orion eDrive GmbH,DE\nA3,Kisokoma Magnetics K.K.,JP\n", encoding="utf-8"
    )
    args = ("--list-name", "L", "--db", db_url)
    assert run("lists", "import", str(tmp_path / "v1.csv"), "--format", "internal", *args)[0] == 0
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("RARETRACE_SCREENING_ALERT_WEBHOOK", f"http://127.0.0.1:{port}/hook")
    code, out, err = run("lists", "refresh", str(tmp_path / "v2.csv"), *args)
    assert code == 1
    assert "1 added, 0 changed, 0 removed, 1 unchanged" in out
    assert "Re-screened 1 affected party(ies)" in out and "KISOKOMA" in out
    assert "1 new open hit(s)" in out
    assert "alert not sent: webhook" in err and "the refresh is stored" in err
    code, out, _ = run("lists", "show", "--db", db_url, "--json")
    assert code == 0 and json.loads(out)[0]["entry_count"] == 2

    monkeypatch.delenv("RARETRACE_SCREENING_ALERT_WEBHOOK")
    code, out, _ = run("lists", "refresh", str(tmp_path / "v2.csv"), *args, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["run"] is None and data["rescreened"] == [] and data["alerts"] == []


def test_screen_name_with_a_registration_number(db_url: str, tmp_path: Path) -> None:
    listed = tmp_path / "l.csv"
    listed.write_text(
        'id,name,country,uscc\nU1,"Baotou Hengda Magnetics Co., Ltd.",CN,91150200508416830H\n',
        encoding="utf-8",
    )
    args = ("--list-name", "L", "--db", db_url)
    assert run("lists", "import", str(listed), "--format", "internal", *args)[0] == 0
    # another name, the same USCC: the same registered company
    code, out, _ = run(
        "screen", "Baotou HD New Materials", "--id", "uscc:91150200508416830H", "--db", db_url,
        "--json",
    )  # fmt: skip
    assert code == 0
    (hit,) = json.loads(out)["hits"]
    assert hit["score"] >= 0.9
    feature = next(f for f in hit["features"] if f["feature"] == "id_number")
    assert feature["detail"] == "same USCC 91150200508416830H: the same registered party"
    # the same name, another USCC: strong evidence against, a near miss at most
    code, out, _ = run(
        "screen", "Baotou Hengda Magnetics Co., Ltd.", "--id", "uscc:91150200489137250U",
        "--review", "--db", db_url, "--json",
    )  # fmt: skip
    (hit,) = json.loads(out)["hits"]
    assert hit["score"] == pytest.approx(0.70, abs=0.01)
    code, _, err = run("screen", "X", "--id", "nope:1", "--db", db_url)
    assert code == 2 and "SCHEME:VALUE" in err


def test_the_un_consolidated_list_imports_and_screens(db_url: str) -> None:
    un = Path(__file__).parents[2] / "benchmarks/data/screening/raw/un_consolidated.xml"
    code, out, err = run(
        "lists", "import", str(un), "--format", "un", "--list-name", "UN SC", "--db", db_url
    )
    assert code == 0, err
    assert "version 2018-10-29 (1093 entries, format un)" in " ".join(out.split())
    code, out, err = run("screen", "عثمان أحمد عثمان الغامدي", "--db", db_url, "--json")
    assert code == 0, err
    hits = json.loads(out)["hits"]
    assert hits and hits[0]["entry"]["entry_key"] == "QDi.292"
    # the explanation shows the entry's dates of birth (KPi.024 DATE 1962-02-18)
    code, out, err = run("screen", "KIM YONG CHOL", "--explain", "--db", db_url)
    assert code == 0, err
    assert "dates of birth" in out and "1962-02-18" in out
    code, out, err = run("screen", "KIM YONG CHOL", "--db", db_url, "--json")
    (hit,) = json.loads(out)["hits"]
    assert hit["entry"]["dates_of_birth"] == ["1962-02-18"]


def test_the_uk_ofsi_workbook_imports_without_its_format_and_screens(db_url: str) -> None:
    uk = Path(__file__).parents[2] / "benchmarks/data/screening/raw/ofsi_conlist_2025-04-10.xlsx"
    code, out, err = run("lists", "import", str(uk), "--list-name", "UK OFSI", "--db", db_url)
    assert code == 0, err
    assert "version 2025-04-10 (4686 entries, format uk, told from the file)" in " ".join(
        out.split()
    )
    # group 16636's non-Latin name, ТОО ЗАПЧАСТЬ ТРЕЙД (a Kazakh LLP)
    code, out, err = run(
        "screen", "ТОО Запчасть Трейд", "--country", "KZ", "--db", db_url, "--json"
    )
    assert code == 0, err
    hits = json.loads(out)["hits"]
    assert hits and hits[0]["entry"]["entry_key"] == "16636"


def test_a_list_imports_without_its_format(db_url: str) -> None:
    csl = Path(__file__).parents[2] / "benchmarks/data/screening/raw/csl_2018.csv"
    code, out, err = run("lists", "import", str(csl), "--list-name", "CSL", "--db", db_url)
    assert code == 0, err
    assert "format csl, told from the file" in " ".join(out.split())
