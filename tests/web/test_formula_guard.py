"""Formula injection: generated CSV/XLSX never hold a live formula (issue #17)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.factories import TINY, write_bundle_files
from typer.testing import CliRunner

from raretrace.cli import app as cli
from raretrace.services.formats.bundle import read_bundle
from raretrace.services.formats.formula_guard import csv_cell, csv_text_back, xlsx_cell

HOSTILE = '=HYPERLINK("http://evil.example","x")'


def _hostile_bundle(tmp_path: Path) -> Path:
    files = dict(TINY)
    files["parties.csv"] = files["parties.csv"].replace(
        "Example Magnet KK", '"' + HOSTILE.replace('"', '""') + '"'
    )
    return write_bundle_files(tmp_path / "hostile", files)


def test_csv_and_xlsx_cells() -> None:
    assert csv_cell(HOSTILE) == "'" + HOSTILE
    assert csv_cell("-5") == "'-5" and csv_cell(-5) == -5 and csv_cell("MAG") == "MAG"
    assert csv_text_back(csv_cell(HOSTILE)) == HOSTILE
    assert csv_text_back("'quoted") == "'quoted"
    sheet = openpyxl.Workbook(write_only=True).create_sheet("s")
    cell = xlsx_cell(sheet, HOSTILE)
    assert cell.data_type == "s" and cell.value == HOSTILE


def test_suppliers_exports_hold_text_not_formulas(
    app: FastAPI, viewer: TestClient, tmp_path: Path
) -> None:
    app.state.workspace.import_bundle(_hostile_bundle(tmp_path), replace=True)
    book = openpyxl.load_workbook(io.BytesIO(viewer.get("/suppliers.xlsx").content))
    cells = [c for row in book.active.iter_rows() for c in row if c.value == HOSTILE]
    assert cells, "the hostile name is exported as is"
    assert all(c.data_type == "s" for c in cells)  # text typed, no ' added
    rows = list(csv.reader(io.StringIO(viewer.get("/suppliers.csv").text)))
    assert ["'" + HOSTILE in r for r in rows].count(True) >= 1
    assert not any(HOSTILE in r for r in rows)


def test_cli_export_and_exposure_csv_are_neutralised(tmp_path: Path) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'f.db'}"
    res = runner.invoke(cli, ["import", str(_hostile_bundle(tmp_path)), "--db", db])
    assert res.exit_code == 0, res.output
    out = tmp_path / "out"
    assert runner.invoke(cli, ["export", str(out), "--db", db]).exit_code == 0
    text = (out / "parties.csv").read_text(encoding="utf-8")
    assert "'" + HOSTILE.replace('"', '""') in text
    back = read_bundle(out)  # and the bundle reads back unchanged
    assert HOSTILE in {p.name for p in back.network.parties}
    files = {k: v.replace("S-MAG", "@S-MAG") for k, v in TINY.items()}
    db2 = f"sqlite:///{tmp_path / 'g.db'}"
    bundle = write_bundle_files(tmp_path / "at", files)
    assert runner.invoke(cli, ["import", str(bundle), "--db", db2]).exit_code == 0
    res = runner.invoke(cli, ["exposure", "CAR", "--csv", "--db", db2])
    assert res.exit_code == 0, res.output
    fields = [f for r in csv.reader(io.StringIO(res.stdout)) for f in r]
    assert "@S-MAG" not in fields and "'@S-MAG" in fields
