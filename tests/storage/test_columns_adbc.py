"""The engine's read of the network tables on a second connection (``committed=True``):
SQLite through ADBC (``storage.sql.columns_adbc``), PostgreSQL half of the tables on a
second connection under the session's snapshot (``storage.sql.columns_pg``). Either
gives the same columns as the session's own read, or it does not answer (and the
session reads) where the second connection could see other rows.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from sqlalchemy import Engine, text

from factories import TINY, write_bundle_files
from raretrace.analytics.tables import TableColumns
from raretrace.domain.clock import FixedClock
from raretrace.services.network.synth import load_into, synthesise
from raretrace.settings import Settings
from raretrace.storage.sql import columns as columns_module
from raretrace.storage.sql.columns_adbc import read_adbc
from raretrace.storage.sql.engine import make_engine
from raretrace.storage.sql.migrate import upgrade
from raretrace.storage.sql.unit_of_work import SqlUnitOfWorkFactory
from raretrace.workspace import Workspace

pytest.importorskip("adbc_driver_sqlite")

#: A first part with neither mass nor value nor currency: SQLite's ADBC driver guesses a
#: column's type from its first rows, where NULLs must not be taken for integers.
BARE_FIRST = {
    **TINY,
    "parts.csv": TINY["parts.csv"].replace(
        "part_id,name,kind,uom,mass_kg,unit_value,currency,hs_code,form,magnet_type\n",
        "part_id,name,kind,uom,mass_kg,unit_value,currency,hs_code,form,magnet_type\n"
        "A-BARE,Bare part,component,ea,,,,,other,none\n",
    ),
    "bom.csv": TINY["bom.csv"] + "CAR,A-BARE,2\n",
}


def _columns(engine: Engine, *, committed: bool) -> TableColumns:
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        uow.network.stamp()
        return uow.network.columns(committed=committed)


def _as_lists(cols: TableColumns) -> dict[str, list[Any]]:
    out = {}
    for f in fields(cols):
        values = getattr(cols, f.name)
        out[f.name] = values.to_pylist() if isinstance(values, pa.Array) else list(values)
    return out


def assert_same_columns(a: TableColumns, b: TableColumns) -> None:
    """Same values in the same row order, NULL as NULL (NaN for floats either way)."""
    la, lb = _as_lists(a), _as_lists(b)
    for name in la:
        want = [None if v != v else v for v in la[name]]  # NaN -> None
        have = [None if v != v else v for v in lb[name]]
        assert have == want, name


def test_same_columns_and_order_as_the_session_read(db_url: str, engine: Engine) -> None:
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        load_into(uow, synthesise(3_000, seed=11))
    assert_same_columns(_columns(engine, committed=False), _columns(engine, committed=True))
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        uow.network.stamp()
        fast = read_adbc(uow.session, columns_module._TABLES)
    assert (fast is not None) == (engine.dialect.name == "sqlite")  # not a fallback


def test_nulls_in_the_first_rows(db_url: str, engine: Engine, tmp_path: Path) -> None:
    with Workspace.open(Settings(database_url=db_url)) as ws:
        ws.import_bundle(write_bundle_files(tmp_path / "bare", BARE_FIRST))
    fast = _columns(engine, committed=True)
    assert_same_columns(_columns(engine, committed=False), fast)
    first = _as_lists(fast)
    assert first["part_id"][0] == "A-BARE"
    assert first["part_value"][0] is None and first["part_currency"][0] is None
    assert first["part_mass_kg"][0] is None or first["part_mass_kg"][0] != first["part_mass_kg"][0]


def test_sqlite_reads_through_adbc_only_on_the_sessions_stamp(tmp_path: Path) -> None:
    """A change committed after the session's snapshot began: the second connection
    would see it, so ADBC does not answer and the session reads its own (older) rows."""
    url = f"sqlite:///{tmp_path / 'stamp.db'}"
    with Workspace.open(Settings(database_url=url)) as ws:
        ws.import_bundle(write_bundle_files(tmp_path / "tiny", TINY))
    with Workspace.open(Settings(database_url=url)) as ws, ws._uow() as uow:
        uow.network.stamp()  # the read transaction (and its snapshot) begins here
        assert read_adbc(uow.session, columns_module._TABLES) is not None
        with Workspace.open(Settings(database_url=url)) as other:
            other.import_bundle(write_bundle_files(tmp_path / "bare", BARE_FIRST))
        assert read_adbc(uow.session, columns_module._TABLES) is None
        cols = uow.network.columns(committed=True)
        assert "A-BARE" not in _as_lists(cols)["part_id"]  # the session's snapshot
    with Workspace.open(Settings(database_url=url)) as ws, ws._uow() as uow:
        uow.network.stamp()
        assert "A-BARE" in _as_lists(uow.network.columns(committed=True))["part_id"]


def test_a_value_of_another_type_falls_back_to_the_rows_read(tmp_path: Path) -> None:
    """SQLite keeps text that is not a number in a REAL column: the driver refuses the
    column and the session's read answers, with the same outcome as without ADBC."""
    url = f"sqlite:///{tmp_path / 'dirty.db'}"
    with Workspace.open(Settings(database_url=url)) as ws:
        ws.import_bundle(write_bundle_files(tmp_path / "tiny", TINY))
    eng = make_engine(url)
    with eng.begin() as conn:
        conn.execute(text("UPDATE parts SET mass_kg = 'heavy' WHERE part_id = 'CAR'"))
    with SqlUnitOfWorkFactory(eng, clock=FixedClock())() as uow:
        uow.network.stamp()
        assert read_adbc(uow.session, columns_module._TABLES) is None
        outcomes = []
        for committed in (True, False):
            try:
                outcomes.append(_as_lists(uow.network.columns(committed=committed)))
            except Exception as exc:  # whatever the rows read does
                outcomes.append(type(exc))
        assert outcomes[0] == outcomes[1]
    eng.dispose()


def test_no_adbc_for_an_in_memory_or_uri_database(tmp_path: Path) -> None:
    for url in ("sqlite://", f"sqlite:///file:{tmp_path / 'u.db'}?mode=rwc&uri=true"):
        eng = make_engine(url)
        upgrade(eng)
        with SqlUnitOfWorkFactory(eng, clock=FixedClock())() as uow:
            uow.network.stamp()
            assert read_adbc(uow.session, columns_module._TABLES) is None
            assert len(uow.network.columns(committed=True).part_id) == 0
        eng.dispose()


def test_postgres_second_connection_reads_the_sessions_snapshot(
    db_url: str, engine: Engine
) -> None:
    """Supply links, composition and production are read on a second connection; rows
    deleted (and committed) after the session's snapshot began are still read, on both
    connections."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's exported snapshots")
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        load_into(uow, synthesise(500, seed=4))
    before = _columns(engine, committed=False)
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        uow.network.read_snapshot()  # REPEATABLE READ, as the engine's unit of work
        uow.network.stamp()  # the snapshot is taken here
        with engine.begin() as conn:  # another connection commits meanwhile
            conn.execute(text("DELETE FROM production"))
            conn.execute(text("DELETE FROM supply_links"))
            conn.execute(text("DELETE FROM composition"))
            conn.execute(text("DELETE FROM bom_lines"))  # read on the session's connection
        assert_same_columns(before, uow.network.columns(committed=True))
    after = _columns(engine, committed=True)
    assert len(after.prod_site) == len(after.sup_part) == len(after.comp_part) == 0
    assert len(after.bom_parent) == 0


def test_postgres_reads_on_one_connection_what_only_the_session_sees(
    db_url: str, engine: Engine
) -> None:
    """Rows written by the session's own transaction, or a session that takes a snapshot
    per statement (READ COMMITTED): everything is read on the session's connection."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's exported snapshots")
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        load_into(uow, synthesise(500, seed=4))
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        uow.session.execute(text("DELETE FROM production"))
        assert len(uow.network.columns(committed=True).prod_site) == 0
        uow.rollback()
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        n = len(uow.network.columns(committed=True).prod_site)  # READ COMMITTED
        assert n == len(_columns(engine, committed=False).prod_site) > 0
