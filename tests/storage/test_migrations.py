"""Alembic migrations build exactly the schema the code declares, on both back ends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from raretrace.storage.sql import migrate
from raretrace.storage.sql.engine import make_engine
from raretrace.storage.sql.tables import all_tables


def test_upgrade_head_matches_metadata(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), all_tables())
    engine.dispose()
    assert diff == []


def test_downgrade_to_base_and_up_again(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision(engine)
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert "parts" in inspect(engine).get_table_names()
    engine.dispose()
