"""Licensing use cases on SQLite and PostgreSQL: applications, licences, ledger, races."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from raretrace.domain.applications import AppStatus, DocState
from raretrace.domain.ledger import EntryKind, ViolationCode
from raretrace.domain.licences import Licence, LicenceItem, LicenceType
from raretrace.errors import InputError, NotFoundError
from raretrace.services.licensing.service import ItemInput, ShipmentInput
from raretrace.settings import Settings
from raretrace.workspace import Workspace


def _licence(lid: str = "L-1", kg: int = 10, kind: LicenceType = LicenceType.GENERAL) -> Licence:
    return Licence(
        licence_id=lid, licence_type=kind, exporter="S-HEN-CN-BT", importer="HARZFELD",
        end_users=("HARZFELD",), destinations=("PL",), valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
        items=(LicenceItem(1, "MAG-EPS", "magnet", "1C905.a", kg * 1_000_000,
                           Decimal("10000.00"), "USD"),),
    )  # fmt: skip


def _ship(sid: str, qty: str = "1 kg", **kw: str) -> ShipmentInput:
    base = {"destination": "PL", "end_user": "HARZFELD"} | kw
    return ShipmentInput(sid, "MAG-EPS", qty, "100.00", "USD", shipped_on=date(2026, 6, 1),
                         **base)  # fmt: skip


def test_concurrent_drawdowns_never_overdraw(workspace: Workspace) -> None:
    """50 threads, each its own unit of work, race for a licence covering 10 x 1 kg."""
    lic = workspace.licensing
    lic.add_licence(_licence(), actor="officer")

    def one(i: int) -> bool:
        return lic.ship(_ship(f"S{i:02d}"), "L-1", actor=f"t{i}").accepted

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(one, range(50)))
    assert results.count(True) == 10
    (bal,) = lic.licence("L-1").balances
    assert bal.remaining_mg == 0
    assert bal.drawn_mg == 10_000_000
    drawdowns = [e for e in lic.ledger("L-1") if e.kind is EntryKind.DRAWDOWN]
    assert len(drawdowns) == 10


def test_ledger_rejects_reverses_and_round_trips(workspace: Workspace, tmp_path: Path) -> None:
    lic = workspace.licensing
    view = lic.add_licence(_licence(kind=LicenceType.GENERAL, kg=3), actor="officer")
    assert view.balances[0].remaining_mg == 3_000_000
    ok = lic.ship(_ship("S1", "2.5 kg"), "L-1", actor="clerk", reason="order 17")
    assert ok.accepted and ok.balance is not None
    assert ok.balance.remaining_mg == 500_000
    over = lic.ship(_ship("S2", "0.500001 kg"), "L-1", actor="clerk")
    assert not over.accepted
    assert [v.code for v in over.violations] == [ViolationCode.OVER_QUANTITY]
    elsewhere = lic.ship(_ship("S3", "0.1 kg", destination="US", end_user="OTHER"), "L-1",
                         actor="clerk")  # fmt: skip
    assert {v.code for v in elsewhere.violations} == {
        ViolationCode.DESTINATION, ViolationCode.END_USER
    }  # fmt: skip
    late = lic.ship(ShipmentInput("S4", "MAG-EPS", "0.1 kg", "1", "USD", destination="PL",
                                  end_user="HARZFELD", shipped_on=date(2027, 1, 4)), "L-1",
                    actor="clerk")  # fmt: skip
    assert [v.code for v in late.violations] == [ViolationCode.OUTSIDE_VALIDITY]
    assert ok.entry is not None and ok.entry.entry_id is not None
    rev = lic.reverse(ok.entry.entry_id, actor="lead", reason="wrong licence")
    assert rev.kind is EntryKind.REVERSAL and rev.reverses == ok.entry.entry_id
    with pytest.raises(InputError, match="already reversed"):
        lic.reverse(ok.entry.entry_id, actor="lead", reason="again")
    assert lic.licence("L-1").balances[0].remaining_mg == 3_000_000
    entries = lic.ledger("L-1")
    assert [e.kind for e in entries] == [EntryKind.ISSUE, EntryKind.DRAWDOWN, EntryKind.REVERSAL]
    assert entries[1].actor == "clerk" and entries[1].reason == "order 17"
    assert all(e.recorded_at.tzinfo is not None for e in entries)

    first = tmp_path / "ledger.jsonl"
    lic.export_ledger(str(first))
    other = Workspace.open(Settings(database_url=f"sqlite:///{tmp_path / 'copy.db'}"))
    try:
        other.licensing.import_ledger(str(first))
        again = tmp_path / "again.jsonl"
        other.licensing.export_ledger(str(again))
        assert again.read_bytes() == first.read_bytes()
        with pytest.raises(InputError, match="already in this workspace"):
            other.licensing.import_ledger(str(first))
        # new entries continue after the imported ids
        nxt = other.licensing.ship(_ship("S5", "1 kg"), "L-1", actor="clerk")
        assert nxt.entry is not None and nxt.entry.entry_id == rev.entry_id + 1  # type: ignore[operator]
    finally:
        other.close()


def test_bad_input_writes_nothing(workspace: Workspace) -> None:
    lic = workspace.licensing
    with pytest.raises(InputError, match="valid_to"):
        lic.add_licence(replace(_licence(), valid_to=date(2025, 1, 1)), actor="x")
    assert lic.licences() == []
    lic.add_licence(_licence(), actor="x")
    for bad in ("-1 kg", "3 pcs", "0 kg"):
        with pytest.raises(InputError):
            lic.ship(_ship("S1", bad), "L-1", actor="x")
    with pytest.raises(NotFoundError):
        lic.ship(_ship("S1"), "NOPE", actor="x")
    assert [e.kind for e in lic.ledger("L-1")] == [EntryKind.ISSUE]
    with pytest.raises(InputError, match="already exists"):
        lic.add_licence(_licence(), actor="x")


def test_application_workflow_on_sample_world(workspace: Workspace) -> None:
    workspace.load_sample()
    lic = workspace.licensing
    v = lic.create_application(
        exporter="S-HEN-CN-BT", importer="HARZFELD", end_user="S-HAR-PL-KAT",
        items=[ItemInput("MAG-EPS", "1500 kg", "95000", "USD")], end_use="EPS motors",
        actor="alice", as_of=date(2026, 3, 2),
    )  # fmt: skip
    app = v.application
    assert app.items[0].control_codes == ("1C905.a",)
    assert app.items[0].mass_mg == 1_500_000_000
    assert app.destination == "PL" and app.rule_pack == "ann-2025-18"
    assert app.review_working_days == 45
    # end-use chain: Harzfeld PL EPS motors into Veltrana cars at Halle (DE)
    ends = {r.steps[-1].part for r in v.chain.rows}
    assert ends == {"VEH-AST-EV", "VEH-AST-ICE"}
    assert all(r.steps[0].site == "S-HAR-PL-KAT" for r in v.chain.rows)
    assert v.chain.total_kg_per_year is not None and v.chain.total_kg_per_year > 1500
    assert len(v.blocking) == 10 and v.deadline.due_on is None
    assert app.application_id is not None
    aid = app.application_id
    with pytest.raises(InputError, match="documents missing"):
        lic.set_status(aid, AppStatus.SUBMITTED, actor="alice")
    keys = [r.kind.key for r in v.checklist]
    for k in keys[:-1]:
        lic.attach(aid, k, f"{k}.pdf", actor="alice")
    lic.waive(aid, keys[-1], "first order with this customer", actor="alice")
    at = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    v = lic.set_status(aid, "submitted", actor="alice", at=at, note="filed")
    assert v.blocking == () and v.checklist[-1].state is DocState.WAIVED
    assert v.deadline.submitted_on == date(2026, 11, 30)
    assert v.deadline.due_on is not None and v.deadline.due_on > date(2027, 1, 29)
    late = lic.application(aid, today=date(2027, 6, 1))
    assert late.deadline.overdue
    with pytest.raises(InputError, match="out of order"):
        lic.set_status(aid, "under_review", actor="bob", at=datetime(2026, 11, 1, tzinfo=UTC))
    lic.set_status(aid, "approved", actor="bob", at=at.replace(hour=9))
    hist = lic.application(aid).application.history
    assert [(h.status, h.actor) for h in hist] == [
        (AppStatus.SUBMITTED, "alice"), (AppStatus.APPROVED, "bob")
    ]  # fmt: skip
    # a controlled item shipped without any licence is rejected by the rules
    r = lic.ship(ShipmentInput("S9", "MAG-EPS", "10 kg", "600", "USD", exporter="S-HEN-CN-BT",
                               consignee="HARZFELD", shipped_on=date(2026, 6, 1)), None,
                 actor="clerk")  # fmt: skip
    assert not r.accepted and r.violations[0].code is ViolationCode.NO_LICENCE
