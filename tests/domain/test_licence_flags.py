"""Licence flags as of a day: the same rules for the web pages, the API and the CLI."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from raretrace.cli import app
from raretrace.domain.ledger import Balance, LicenceFlag, licence_flags
from raretrace.domain.licences import Licence, LicenceItem, LicenceType
from raretrace.settings import Settings
from raretrace.workspace import Workspace


def _lic(kind: LicenceType = LicenceType.GENERAL) -> Licence:
    return Licence(
        licence_id="L-1", licence_type=kind, exporter="S-HEN-CN-BT", importer="HARZFELD",
        end_users=("HARZFELD",), destinations=("PL",), valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
        items=(LicenceItem(1, "MAG-EPS", "magnet", "1C905.a", 10_000_000,
                           Decimal("1000.00"), "USD"),),
    )  # fmt: skip


def _bal(drawn_mg: int, drawn_value: str) -> Balance:
    return Balance("L-1", 1, "MAG-EPS", "USD", 10_000_000, drawn_mg, Decimal("1000.00"),
                   Decimal(drawn_value))  # fmt: skip


def test_flags_by_hand() -> None:
    lic = _lic()
    mid = date(2026, 6, 1)
    assert licence_flags(lic, [_bal(0, "0")], False, mid) == []
    # 9.5 % of the value left is below the 10 % line even with 50 % of the quantity left
    assert licence_flags(lic, [_bal(5_000_000, "905.00")], False, mid) == [
        LicenceFlag.NEAR_EXHAUSTION
    ]
    assert licence_flags(lic, [_bal(9_000_000, "900.00")], False, mid) == []  # exactly 10 %
    assert licence_flags(lic, [_bal(10_000_000, "500")], False, mid) == [LicenceFlag.EXHAUSTED]
    # near expiry from 30 days before the end; expired the day after it
    assert licence_flags(lic, [_bal(0, "0")], False, date(2026, 12, 1)) == [LicenceFlag.NEAR_EXPIRY]
    assert licence_flags(lic, [_bal(0, "0")], False, date(2026, 11, 30)) == []
    assert licence_flags(lic, [_bal(0, "0")], False, date(2027, 1, 1)) == [LicenceFlag.EXPIRED]
    assert licence_flags(lic, [], False, date(2025, 12, 31)) == [LicenceFlag.NOT_YET_VALID]
    single = _lic(LicenceType.SINGLE)
    assert LicenceFlag.USED in licence_flags(single, [_bal(1, "1")], True, mid)
    assert LicenceFlag.USED not in licence_flags(lic, [_bal(1, "1")], True, mid)


def test_cli_lists_flags(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    ws = Workspace.open(Settings(database_url=db))
    try:
        ws.licensing.add_licence(_lic(), actor="t")
    finally:
        ws.close()
    res = CliRunner().invoke(
        app, ["licences", "list", "--today", "2026-12-10", "--db", db, "--json"]
    )
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.stdout)
    assert row["flags"] == ["near_expiry"] and row["as_of"] == "2026-12-10"
    res = CliRunner().invoke(app, ["licences", "list", "--db", db, "--json"])
    assert json.loads(res.stdout)[0]["flags"] == ["near_expiry"]  # 6 Dec 2026: 25 days left
    res = CliRunner().invoke(app, ["licences", "list", "--db", db])
    assert res.exit_code == 0 and "2026-12-06" in res.output
