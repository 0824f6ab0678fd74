"""`raretrace apply|licences|ship|ledger` through Typer's runner on a SQLite file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from raretrace.cli import app
from raretrace.cli.applications import render_licence_demo
from raretrace.services.calendar import china_calendar
from raretrace.settings import Settings
from raretrace.workspace import Workspace

runner = CliRunner()

CSV = """licence_id,licence_type,exporter,importer,end_users,destinations,valid_from,valid_to,part_id,description,control_code,quantity,value,currency
L-7,general,S-HEN-CN-BT,HARZFELD,HARZFELD;VELTRANA,PL;DE,2026-01-01,2026-12-31,MAG-EPS,EPS magnet,1C905.a,5 kg,500.00,USD
L-7,general,S-HEN-CN-BT,HARZFELD,HARZFELD;VELTRANA,PL;DE,2026-01-01,2026-12-31,MAG-TM-AST,traction magnet,1C905.a,2,300,USD
"""


def _run(*args: str) -> tuple[int, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout + (res.stderr or "")


def test_licences_ship_ledger_round_trip(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    (tmp_path / "lic.csv").write_text(CSV, encoding="utf-8")
    code, out = _run("licences", "import", str(tmp_path / "lic.csv"), "--db", db, "--json",
                     "--by", "officer")  # fmt: skip
    assert code == 0, out
    assert [i["mass_mg"] for i in json.loads(out)[0]["licence"]["items"]] == [
        5_000_000, 2_000_000
    ]  # fmt: skip
    code, out = _run("ship", "S1", "S2", "S3", "--licence", "L-7", "--part", "MAG-EPS",
                     "--quantity", "2 kg", "--value", "100", "--destination", "PL",
                     "--end-user", "HARZFELD", "--on", "2026-05-01", "--db", db, "--json")  # fmt: skip
    assert code == 6, out  # the third shipment would overdraw: rejected
    res = json.loads(out)
    assert [r["accepted"] for r in res] == [True, True, False]
    assert res[2]["violations"][0]["code"] == "over_quantity_balance"
    assert res[1]["balance"]["issued_mg"] - res[1]["balance"]["drawn_mg"] == 1_000_000
    entry = res[0]["entry"]["entry_id"]
    code, out = _run("ledger", "reverse", str(entry), "--why", "booked twice", "--db", db)
    assert code == 0, out
    code, out = _run("licences", "show", "L-7", "--db", db, "--json")
    assert json.loads(out)["balances"][0]["drawn_mg"] == 2_000_000
    code, out = _run("ledger", "export", str(tmp_path / "l.jsonl"), "--db", db)
    assert code == 0, out
    db2 = f"sqlite:///{tmp_path / 'l2.db'}"
    code, out = _run("ledger", "import", str(tmp_path / "l.jsonl"), "--db", db2, "--json")
    assert code == 0, out
    assert json.loads(out) == {"licences": 1, "entries": 5}
    _run("ledger", "export", str(tmp_path / "l2.jsonl"), "--db", db2)
    assert (tmp_path / "l2.jsonl").read_bytes() == (tmp_path / "l.jsonl").read_bytes()
    code, out = _run("ledger", "show", "L-7", "--db", db2, "--json")
    rows = json.loads(out)
    assert [r["kind"] for r in rows] == ["issue", "issue", "drawdown", "drawdown", "reversal"]
    assert rows[-1]["reason"] == "booked twice" and rows[-1]["reverses"] == entry


def test_bad_input_is_located_and_writes_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    bad = CSV.replace("5 kg", "5 pcs").replace(
        "2026-01-01,2026-12-31,MAG-TM", "2026-01-01,x,MAG-TM"
    )
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    code, out = _run("licences", "import", str(tmp_path / "bad.csv"), "--db", db)
    assert code == 2
    assert "row 2, column 'quantity'" in out
    assert "row 3, column 'valid_to'" in out
    code, out = _run("licences", "list", "--db", db, "--json")
    assert json.loads(out) == []
    code, out = _run("ship", "S1", "--licence", "NOPE", "--part", "MAG-EPS", "--quantity",
                     "1 kg", "--value", "1", "--destination", "PL", "--db", db)  # fmt: skip
    assert code == 3 and "no licence 'NOPE'" in out
    code, out = _run("ship", "S1", "--licence", "NOPE", "--part", "MAG-EPS", "--quantity",
                     "-1 kg", "--value", "1", "--destination", "PL", "--db", db)  # fmt: skip
    assert code == 2 and "positive" in out
    code, out = _run("ledger", "show", "--db", db, "--json")
    assert json.loads(out) == []


def test_apply_commands_and_demo(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    with Workspace.open(Settings(database_url=db)) as ws:
        ws.load_sample()
        pdf = render_licence_demo(ws, date(2026, 3, 2), tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert (tmp_path / "application-1.xlsx").is_file()
    code, out = _run("apply", "list", "--db", db, "--json", "--today", "2026-03-02")
    assert code == 0, out
    assert json.loads(out)[0]["missing"][0] == "application_form"
    code, out = _run("apply", "status", "1", "submitted", "--db", db)
    assert code == 2 and "documents missing" in out
    code, out = _run("apply", "waive", "1", "site_photos", "--why", "n/a", "--db", db)
    assert code == 0, out
    code, out = _run("apply", "attach", "1", "nonsense", "x", "--db", db)
    assert code == 2 and "unknown document" in out
    # recorded after the fact (the application was entered "today", 6 Dec 2026), at
    # 07:00 Beijing time: 23:00 UTC the day before, yet the China day is 1 Dec
    code, out = _run("apply", "status", "1", "submitted", "--force", "--at",
                     "2026-12-01T07:00+08:00", "--by", "alice", "--db", db)  # fmt: skip
    assert code == 0, out
    code, out = _run("apply", "status", "1", "approved", "--at", "2030-03-04T09:00",
                     "--by", "bob", "--db", db)  # fmt: skip
    assert code == 2 and "in the future" in out
    code, out = _run("apply", "show", "1", "--today", "2026-12-07", "--db", db, "--json")
    d = json.loads(out)["deadline"]
    assert d["submitted_on"] == "2026-12-01" and d["working_days"] == 45
    # by hand: Dec 2-31 = 22 weekdays; Jan 1 2027 New Year; Jan 4-29 = 20 (42);
    # Feb 1-3 = 3 (45), if 2027 brings no adjusted day before Feb 3
    cal = china_calendar(2026, 2028)
    assert d["due_on"] == cal.add_working_days(date(2026, 12, 1), 45).isoformat()
    assert d["estimated"] is cal.estimated(date.fromisoformat(d["due_on"]))
    code, out = _run("apply", "packet", "1", "--out", str(tmp_path), "--db", db, "--json")
    assert code == 0, out
    assert Path(json.loads(out)["pdf"]).read_bytes().startswith(b"%PDF")


def test_apply_create_with_face_fields_and_packet_into_a_new_folder(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.db'}"
    ws = Workspace.open(Settings(database_url=db))
    ws.load_sample()
    ws.close()
    code, out = _run(
        "apply", "create", "--exporter", "S-HEN-CN-BT", "--importer", "HARZFELD",
        "--end-user", "S-HAR-PL-KAT", "--part", "MAG-EPS", "--quantity", "1500 kg",
        "--value", "95000", "--hs", "8505111000", "--spec", "N42SH arc 30 g",
        "--trade-mode", "一般贸易", "--transport", "海运", "--contract", "HD-17",
        "--contract-date", "2026-02-20", "--type", "general", "--today", "2026-03-02",
        "--db", db, "--json",
    )  # fmt: skip
    assert code == 0, out
    app = json.loads(out)["application"]
    assert app["items"][0]["hs_code"] == "8505111000"
    assert app["items"][0]["spec_model"] == "N42SH arc 30 g"
    assert app["face"]["trade_mode"] == "一般贸易" and app["face"]["contract_date"] == "2026-02-20"
    code, out = _run("apply", "create", "--exporter", "S-HEN-CN-BT", "--importer", "HARZFELD",
                     "--part", "MAG-EPS", "--quantity", "1 kg", "--value", "9",
                     "--hs", "85-05", "--db", db)  # fmt: skip
    assert code != 0 and "hs_code" in out and "Traceback" not in out
    aid = str(app["application_id"])
    code, out = _run("apply", "face", aid, "--port", "天津新港", "--payment", "T/T",
                     "--trade-mode", "", "--total-usd", "95000", "--by", "li", "--db", db,
                     "--json")  # fmt: skip
    assert code == 0, out
    face = json.loads(out)["application"]["face"]
    assert face["port_of_declaration"] == "天津新港" and face["payment"] == "T/T"
    assert face["trade_mode"] == "" and face["transport"] == "海运"  # cleared / kept
    code, out = _run("apply", "face", aid, "--colour", "red", "--db", db)
    assert code != 0
    code, out = _run("apply", "face", aid, "--db", db)
    assert code != 0 and "at least one" in out
    folder = tmp_path / "packets" / "2026" / "march"  # does not exist yet
    code, out = _run("apply", "packet", str(app["application_id"]), "--out", str(folder),
                     "--today", "2026-03-02", "--db", db, "--json")  # fmt: skip
    assert code == 0, out
    files = json.loads(out)
    assert Path(files["pdf"]).parent == folder and Path(files["pdf"]).is_file()
    assert Path(files["xlsx"]).is_file()
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    code, out = _run("apply", "packet", str(app["application_id"]), "--out",
                     str(tmp_path / "a-file"), "--db", db)  # fmt: skip
    assert code != 0 and "not a folder" in out
    code, out = _run("apply", "status", aid, "withdrawn", "--db", db)
    assert code == 0, out
    code, out = _run("apply", "face", aid, "--port", "上海", "--db", db)  # no longer a draft
    assert code != 0 and "only while it is a draft" in out


def test_a_shipment_id_books_once(tmp_path: Path) -> None:
    # `ship DUP-1` run twice, or the same id twice in one command, drew the licence
    # twice; now the repeat returns the first booking and a changed repeat is refused.
    db = f"sqlite:///{tmp_path / 'l.db'}"
    (tmp_path / "lic.csv").write_text(CSV, encoding="utf-8")
    assert _run("licences", "import", str(tmp_path / "lic.csv"), "--db", db)[0] == 0
    args = ["--licence", "L-7", "--part", "MAG-EPS", "--quantity", "1 kg", "--value", "50",
            "--destination", "PL", "--end-user", "HARZFELD", "--on", "2026-05-01",
            "--db", db, "--json"]  # fmt: skip
    code, out = _run("ship", "DUP-1", "DUP-1", *args)
    assert code == 0, out
    first, again = json.loads(out)
    assert first["entry"]["entry_id"] == again["entry"]["entry_id"]
    assert again["duplicate"] is True and first["duplicate"] is False
    code, out = _run("ship", "DUP-1", *args)
    assert code == 0 and json.loads(out)[0]["duplicate"] is True
    changed = [a if a != "1 kg" else "2 kg" for a in args]
    code, out = _run("ship", "DUP-1", *changed)
    assert code == 6
    assert json.loads(out)[0]["violations"][0]["code"] == "shipment_already_booked"
    code, out = _run("licences", "show", "L-7", "--db", db, "--json")
    assert json.loads(out)["balances"][0]["drawn_mg"] == 1_000_000
    code, out = _run("ledger", "show", "L-7", "--db", db, "--json")
    rows = json.loads(out)
    assert [r["kind"] for r in rows] == ["issue", "issue", "drawdown"]
    times = [r["recorded_at"] for r in rows]
    assert times == sorted(times)


def test_licences_add_refuses_ids_that_break_links_with_a_located_error(tmp_path: Path) -> None:
    """The same licence-number check as the web form and the CSV import: no / ? # \\ %
    (a link /licences/<id> would resolve elsewhere) and no control characters."""
    db = f"sqlite:///{tmp_path / 'ids.db'}"
    args = ("--exporter", "S-HEN-CN-BT", "--importer", "HARZFELD", "--end-user", "HARZFELD",
            "--destination", "PL", "--valid-from", "2026-01-01", "--valid-to", "2026-12-31",
            "--part", "MAG-EPS", "--quantity", "5 kg", "--value", "500", "--db", db)  # fmt: skip
    for bad, shown in (("L/../../admin", "contains /"), ("L-1?x", "contains ?"),
                       ("L#1", "contains #"), ("L\\1", "contains \\"), ("L%2F", "contains %"),
                       ("L-1\x1b[31m", "control character U+001B at position 4"),
                       ("L-1\n", "control character U+000A")):  # fmt: skip
        code, out = _run("licences", "add", bad, *args)
        assert code == 2, (bad, out)
        assert "LICENCE_ID" in out and shown in out, out
    code, out = _run("licences", "list", "--db", db, "--json")
    assert code == 0 and json.loads(out) == []
    code, out = _run("licences", "add", "L 2026/07", *args[:-2], "--db", db)
    assert code == 2 and "contains /" in out
    code, out = _run("licences", "add", "L-2026-07 (Beijing)", *args)
    assert code == 0, out
    # the CSV import refuses them too, located by row and column
    bad_csv = CSV.replace("L-7,", "L/7,")
    (tmp_path / "bad.csv").write_text(bad_csv, encoding="utf-8")
    code, out = _run("licences", "import", str(tmp_path / "bad.csv"), "--db", db)
    assert code == 2
    assert "row 2, column 'licence_id'" in out and "contains /" in out, out
