"""Synthetic networks as a CSV bundle and as a bulk load into a real database.

(Named ``test_synth_load`` because test basenames must be unique: the test folders
are not packages, and ``tests/analytics/test_synth.py`` exists.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import inspect

from raretrace.domain.clock import FixedClock
from raretrace.domain.network import TABLES, Network, record_key
from raretrace.errors import NetworkError
from raretrace.services.formats.bundle import read_bundle
from raretrace.services.network.synth import load_into, synthesise, write_bundle
from raretrace.services.network.validation import validate_network
from raretrace.storage.sql.engine import make_engine
from raretrace.storage.sql.migrate import upgrade
from raretrace.storage.sql.unit_of_work import SqlUnitOfWorkFactory

N = 2_000
DOC = Path(__file__).resolve().parents[2] / "docs" / "bundle.md"


def _documented_columns() -> dict[str, list[str]]:
    """``## name.csv`` section -> the backticked first cells of its table."""
    out: dict[str, list[str]] = {}
    table = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        head = re.match(r"## (\w+)\.csv", line)
        if head:
            table = head.group(1)
            out[table] = []
            continue
        cell = re.match(r"\| `(\w+)`(?:, `(\w+)`)? \|", line)
        if table and cell:
            out[table].extend(c for c in cell.groups() if c)
    return out


def _sorted(net: Network) -> dict[str, list[object]]:
    return {t: sorted(getattr(net, t), key=lambda r, t=t: record_key(t, r)) for t in TABLES}


def test_bundle_has_documented_columns_and_validates(tmp_path: Path) -> None:
    synth = synthesise(N, seed=7)
    files = write_bundle(synth, tmp_path / "bundle")
    assert [f.name for f in files] == [f"{t}.csv" for t in TABLES]
    documented = _documented_columns()
    assert set(documented) == set(TABLES)
    for f in files:
        header = f.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        assert header == documented[f.stem], f.name
        lines = f.read_text(encoding="utf-8").count("\n") - 1
        assert lines == synth.counts()[f.stem], f.name
    bundle = read_bundle(tmp_path / "bundle")  # raises on any field-level problem
    assert validate_network(bundle.network, bundle.locate) == []


def test_same_seed_same_bundle(tmp_path: Path) -> None:
    a = write_bundle(synthesise(300, seed=1), tmp_path / "a")
    b = write_bundle(synthesise(300, seed=1), tmp_path / "b")
    assert [f.read_bytes() for f in a] == [f.read_bytes() for f in b]


def test_load_into_empty_database(db_url: str, tmp_path: Path) -> None:
    synth = synthesise(N, seed=7)
    engine = make_engine(db_url)
    upgrade(engine)
    uows = SqlUnitOfWorkFactory(engine, clock=FixedClock())
    seen: dict[str, list[tuple[int, int]]] = {}

    def progress(table: str, done: int, total: int) -> None:
        seen.setdefault(table, []).append((done, total))

    with uows() as uow:
        report = load_into(uow, synth, progress)
    assert report.rows == synth.counts()
    assert report.revision == 1
    assert list(seen) == list(TABLES)
    for table, calls in seen.items():
        total = synth.counts()[table]
        assert calls[0] == (0, total)
        assert calls[-1] == (total, total)

    with uows() as uow:
        assert uow.network.counts() == synth.counts()
        assert uow.network.revision() == 1
        loaded = uow.network.load()
    # the database holds exactly what the CSV bundle holds
    write_bundle(synth, tmp_path / "bundle")
    assert _sorted(loaded) == _sorted(read_bundle(tmp_path / "bundle").network)

    # the bulk path rebuilt the secondary indexes it set aside
    names = {
        ix["name"]
        for t in ("bom_lines", "supply_links", "production", "sites")
        for ix in inspect(engine).get_indexes(t)
    }
    assert {"ix_bom_lines_child", "ix_supply_links_buyer", "ix_supply_links_part"} <= names
    engine.dispose()


def test_load_refuses_a_non_empty_workspace(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    uows = SqlUnitOfWorkFactory(engine, clock=FixedClock())
    with uows() as uow:
        load_into(uow, synthesise(200, seed=1))
    with uows() as uow, pytest.raises(NetworkError, match="empty workspace"):
        load_into(uow, synthesise(200, seed=2))
    with uows() as uow:
        assert uow.network.revision() == 1
    engine.dispose()


def test_bulk_load_checks_foreign_keys_once_at_commit(tmp_path: Path) -> None:
    """With per-row checks off, a dangling reference is still refused at commit."""
    from raretrace.errors import NetworkError
    from raretrace.storage.sql import migrate
    from raretrace.storage.sql.engine import make_engine
    from raretrace.storage.sql.unit_of_work import SqlUnitOfWorkFactory

    engine = make_engine(f"sqlite:///{tmp_path / 'fk.db'}")
    migrate.upgrade(engine)
    uows = SqlUnitOfWorkFactory(engine, clock=FixedClock())
    with pytest.raises(NetworkError, match="refer to missing rows"), uows(bulk_load=True) as uow:
        uow.network.bulk_insert_rows(
            "sites", ["site_id", "party_id", "name", "country", "city", "notes"],
            iter([("S1", "NO-SUCH-PARTY", "Site", "DE", "", "")]),
        )  # fmt: skip
    with uows() as uow:
        assert uow.network.counts()["sites"] == 0
    # Ordinary units of work keep per-row foreign-key enforcement afterwards.
    with uows() as uow:
        fk = uow.session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar()
    assert fk == 1
    engine.dispose()
