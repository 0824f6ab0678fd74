"""Exchange rates on the command line: `raretrace rates import|list|show`, and `--rates
FILE` / `--rates-id N` on trace, classify and determine. Every rate is made-up test
data (raretrace ships none)."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factories import TINY, write_bundle_files
from raretrace.cli import app
from raretrace.settings import Settings
from raretrace.workspace import Workspace

sys.path.insert(0, str(Path(__file__).parents[1] / "services"))
from test_classification import _net

runner = CliRunner()

# Test data, not real rates. TINY prices the magnet in USD and the car in EUR.
EUR_RATES = """currency,base_per_unit,base,as_of,source
USD,0.9,EUR,2026-11-27,test data (made up)
"""
# The same rate quoted the other way round (1 EUR = 1.25 USD gives 1 USD = 0.8 EUR).
EUR_QUOTED = """currency,units_per_base,base,as_of,source
USD,1.25,EUR,2026-11-27,test data quoted per EUR
"""


def _run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr or ""


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'fx.db'}"
    with Workspace.open(Settings(database_url=url)) as ws:
        ws.import_bundle(write_bundle_files(tmp_path / "tiny", TINY))
    return url


def _file(tmp_path: Path, text: str, name: str = "rates.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_trace_value_share_with_a_rates_file(db: str, tmp_path: Path) -> None:
    code, out, _ = _run("trace", "CAR", "--db", db, "--json")
    assert code == 0
    assert json.loads(out)["nodes"][0]["controlled_value_share"] is None
    code, out, _ = _run("trace", "CAR", "--db", db)
    assert "give --rates FILE.csv" in out
    code, out, err = _run(
        "trace", "CAR", "--db", db, "--json", "--rates", _file(tmp_path, EUR_RATES)
    )
    assert code == 0, err
    payload = json.loads(out)
    node = payload["nodes"][0]
    # 8 magnets of 4.20 USD at 0.9 EUR per USD, of a 30,000 EUR car
    assert node["controlled_value"] == pytest.approx(8 * 4.20 * 0.9)
    assert node["controlled_value_share"] == pytest.approx(8 * 4.20 * 0.9 / 30000)
    assert node["value_currency"] == "EUR"
    assert payload["provenance"]["parameters"]["rates"] == {
        "base": "EUR",
        "as_of": "2026-11-27",
        "source": "test data (made up)",
        "rates": {"USD": "0.9"},
    }
    code, out, _ = _run("trace", "CAR", "--db", db, "--rates", _file(tmp_path, EUR_QUOTED, "q.csv"))
    assert code == 0
    assert "Values converted to EUR with rates of 2026-11-27 (test data quoted per EUR)" in out
    assert "0.090% of unit value" in out  # 8 x 4.20 x 0.8 / 30,000


def test_rates_import_list_show_and_use_by_id(db: str, tmp_path: Path) -> None:
    code, out, err = _run("rates", "import", _file(tmp_path, EUR_RATES), "--by", "ada", "--db", db,
                          "--json")  # fmt: skip
    assert code == 0, err
    stored = json.loads(out)
    assert stored["rates_id"] == 1 and stored["name"] == "rates.csv"
    assert stored["stored_by"] == "ada" and stored["rates"]["rates"] == {"USD": "0.9"}
    code, out, _ = _run("rates", "list", "--db", db, "--json")
    assert code == 0 and [t["rates"]["source"] for t in json.loads(out)] == ["test data (made up)"]
    code, out, _ = _run("rates", "show", "1", "--db", db)
    assert code == 0 and "USD" in out and "0.9" in out
    code, out, _ = _run("trace", "CAR", "--db", db, "--json", "--rates-id", "1")
    assert json.loads(out)["nodes"][0]["controlled_value_share"] == pytest.approx(0.001008)
    code, _, err = _run("trace", "CAR", "--db", db, "--rates-id", "7")
    assert code == 3 and "no stored exchange rates 7" in err
    both = _run(
        "trace", "CAR", "--db", db, "--rates-id", "1", "--rates", _file(tmp_path, EUR_RATES)
    )
    assert both[0] == 2 and "not both" in both[2]


def test_bad_rates_file_is_located_and_nothing_is_stored(db: str, tmp_path: Path) -> None:
    bad = _file(tmp_path, EUR_RATES.replace("0.9", "0.9x"), "bad.csv")
    for args in (("rates", "import", bad), ("trace", "CAR", "--rates", bad)):
        code, out, err = _run(*args, "--db", db)
        assert code == 2
        assert "Traceback" not in out + err
        assert "nothing was read" in err
        assert "bad.csv, row 2, column 'base_per_unit': '0.9x' is not a number" in err
    code, out, _ = _run("rates", "list", "--db", db, "--json")
    assert json.loads(out) == []
    code, _, err = _run("rates", "import", str(tmp_path / "missing.csv"), "--db", db)
    assert code == 2 and "cannot be read" in err


def test_classify_and_determine_use_the_rates(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jp.db'}"
    net = _net()
    net.parts = [replace(p, currency="JPY", unit_value=Decimal(10) / Decimal("0.0064"))
                 if p.part_id == "MAG-JP" else p for p in net.parts]  # fmt: skip
    with Workspace.open(Settings(database_url=url)) as ws, ws._uow() as uow:
        uow.network.upsert(net)
        uow.network.bump_revision()
    yen = _file(tmp_path, "currency,base_per_unit,base,as_of,source\n"
                          "JPY,0.0064,USD,2026-11-27,test data (made up)\n")  # fmt: skip
    ship = ["determine", "MAG-JP", "--exporter", "S-JPMAG", "--consignee", "DEOEM",
            "--as-of", "2026-11-29", "--db", url, "--json"]  # fmt: skip
    code, out, _ = _run(*ship)
    without = json.loads(out)
    code, out, err = _run(*ship, "--rates", yen)
    assert code == 0, err
    decided = json.loads(out)
    assert decided["outcome"] == "licence_required"
    # without rates the magnet's value share in CN content is unknown: the rule cannot fire
    assert without["outcome"] == "not_controlled" and without["uncertain"]
    magnet = [r for r in without["reasons"] if r["rule_id"] == "ann61.1-1.magnet"]
    assert not magnet[0]["fired"] and magnet[0]["uncertain"]
    magnet = [r for r in decided["reasons"] if r["rule_id"] == "ann61.1-1.magnet"]
    assert magnet[0]["fired"]
    classify = ["classify", "MAG-JP", "--as-of", "2026-11-29", "--db", url, "--json"]
    code, out, _ = _run(*classify, "--rates", yen)
    assert code == 0
    code, out, _ = _run("determine", "--all-flows", "--as-of", "2026-11-29", "--db", url,
                        "--json", "--rates", yen)  # fmt: skip
    assert code == 0 and json.loads(out)["flows"]
