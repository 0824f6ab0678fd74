"""The engine's read of the network tables with ``committed=True``: half of the
tables on a second connection, under the session's exported snapshot on PostgreSQL
(``storage.sql.columns_pg``), at the session's revision on SQLite
(``storage.sql.columns_sqlite``). Either gives the same columns as the session's read,
or reads on the session's connection where a second connection could see other rows.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from sqlalchemy import Engine, event, text

from factories import TINY, write_bundle_files
from raretrace.analytics.tables import TableColumns
from raretrace.domain.clock import FixedClock
from raretrace.services.network.synth import load_into, synthesise
from raretrace.settings import Settings
from raretrace.storage.sql.engine import make_engine
from raretrace.storage.sql.migrate import upgrade
from raretrace.storage.sql.unit_of_work import SqlUnitOfWorkFactory
from raretrace.workspace import Workspace

#: A first part with neither mass nor value nor currency: NULLs in the first rows must
#: not be taken for integers by any column read.
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


def _load_500(engine: Engine) -> None:
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        load_into(uow, synthesise(500, seed=4))


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


def test_nulls_in_the_first_rows(db_url: str, engine: Engine, tmp_path: Path) -> None:
    with Workspace.open(Settings(database_url=db_url)) as ws:
        ws.import_bundle(write_bundle_files(tmp_path / "bare", BARE_FIRST))
    fast = _columns(engine, committed=True)
    assert_same_columns(_columns(engine, committed=False), fast)
    first = _as_lists(fast)
    assert first["part_id"][0] == "A-BARE"
    assert first["part_value"][0] is None and first["part_currency"][0] is None
    assert first["part_mass_kg"][0] is None or first["part_mass_kg"][0] != first["part_mass_kg"][0]


def test_postgres_second_connection_reads_the_sessions_snapshot(
    db_url: str, engine: Engine
) -> None:
    """Supply links, composition and production are read on a second connection; rows
    deleted (and committed) after the session's snapshot began are still read, on both
    connections."""
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's exported snapshots")
    _load_500(engine)
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
    _load_500(engine)
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        uow.session.execute(text("DELETE FROM production"))
        assert len(uow.network.columns(committed=True).prod_site) == 0
        uow.rollback()
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        n = len(uow.network.columns(committed=True).prod_site)  # READ COMMITTED
        assert n == len(_columns(engine, committed=False).prod_site) > 0


def _checkouts(engine: Engine) -> list[int]:
    """Connections checked out of the pool, as they happen (ids of the DB-API ones)."""
    seen: list[int] = []
    event.listen(engine, "checkout", lambda dbapi, _rec, _proxy: seen.append(id(dbapi)))
    return seen


def test_sqlite_reads_the_floats_on_a_second_connection(db_url: str, engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's revision check")
    _load_500(engine)
    single = _columns(engine, committed=False)
    seen = _checkouts(engine)
    both = _columns(engine, committed=True)
    assert len(set(seen)) == 2  # the session's connection and a second one
    assert_same_columns(single, both)


def test_sqlite_second_connection_at_another_revision_is_not_used(
    db_url: str, engine: Engine
) -> None:
    """A write committed (with its new revision) after the session's snapshot began:
    the second connection would see it, so everything is read on the session's
    connection, which still sees the rows as they were."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's revision check")
    _load_500(engine)
    before = _columns(engine, committed=False)
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        uow.network.read_snapshot()
        uow.network.stamp()  # SQLite's read transaction (and snapshot) begins here
        with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as other:
            other.session.execute(text("DELETE FROM production"))
            other.session.execute(text("DELETE FROM supply_links"))
            other.session.execute(text("DELETE FROM composition"))
            other.network.bump_revision()  # as every write of the network does
            other.commit()
        assert_same_columns(before, uow.network.columns(committed=True))
    after = _columns(engine, committed=True)
    assert len(after.prod_site) == len(after.sup_part) == len(after.comp_part) == 0


def test_sqlite_in_memory_reads_on_the_sessions_connection() -> None:
    """A second connection to ``sqlite://`` would open another, empty database."""
    engine = make_engine("sqlite://")
    upgrade(engine)
    try:
        with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
            load_into(uow, synthesise(200, seed=4))
        assert_same_columns(_columns(engine, committed=False), _columns(engine, committed=True))
        assert len(_columns(engine, committed=True).part_id) > 0
    finally:
        engine.dispose()
