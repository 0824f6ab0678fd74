"""Opening a workspace: concurrent first opens, newer schemas, files that are not
databases, and database errors that must not dump data or tracebacks."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from raretrace.cli import app
from raretrace.errors import StorageError
from raretrace.settings import Settings
from raretrace.storage.sql import migrate
from raretrace.storage.sql.engine import make_engine
from raretrace.workspace import Workspace


def test_concurrent_first_opens_migrate_once(db_url: str) -> None:
    """Eight processes' worth of first opens on a new database: every one succeeds
    (on PostgreSQL they used to crash with UniqueViolation on pg_type)."""

    def one(_: int) -> str | None:
        ws = Workspace.open(Settings(database_url=db_url))
        try:
            return migrate.current_revision(ws.engine)
        finally:
            ws.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        revisions = list(pool.map(one, range(8)))
    ws = Workspace.open(Settings(database_url=db_url))
    try:
        head = migrate.head_revision(ws.engine)
        assert revisions == [head] * 8
        with ws.engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
        assert [r[0] for r in rows] == [head]
    finally:
        ws.close()


def test_newer_schema_is_refused_untouched(db_url: str) -> None:
    ws = Workspace.open(Settings(database_url=db_url))
    with ws.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    ws.close()
    with pytest.raises(StorageError, match="written by a newer version") as err:
        Workspace.open(Settings(database_url=db_url))
    assert "9999_future" in str(err.value)
    engine = make_engine(db_url)
    try:
        assert migrate.current_revision(engine) == "9999_future"  # untouched
    finally:
        engine.dispose()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(StorageError, match="cannot open database") as err:
        Workspace.open(Settings(database_url=f"sqlite:///{junk}"))
    assert "not a database" in str(err.value)
    assert junk.read_bytes().startswith(b"these are my notes")
    res = CliRunner().invoke(app, ["show", "parties", "--db", f"sqlite:///{junk}"])
    assert res.exit_code == 5
    assert "Traceback" not in res.output and "not a database" in res.output


def test_a_failed_write_names_no_rows(tmp_path: Path) -> None:
    """A database error inside a unit of work rolls back and says so in one line,
    without the SQL parameters (a failed import used to print every party row)."""
    ws = Workspace.open(Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}"))
    try:
        with pytest.raises(StorageError, match="nothing was written") as err, ws._uow() as uow:
            uow.session.execute(  # type: ignore[attr-defined]
                text("INSERT INTO parties (party_id) VALUES (:secret)"),
                {"secret": "SECRET-ROW-DATA"},
            )
        assert "SECRET-ROW-DATA" not in str(err.value)
    finally:
        ws.close()


def test_a_workspace_holding_a_network_upgrades(db_url: str) -> None:
    """Later migrations rebuild tables that other rows refer to (SQLite batch mode): a
    workspace with the sample world goes down to 0007 and up to head again intact (it
    used to fail with 'FOREIGN KEY constraint failed' on SQLite)."""
    ws = Workspace.open(Settings(database_url=db_url))
    try:
        ws.load_sample()
        before = ws.summary()
    finally:
        ws.close()
    engine = make_engine(db_url)
    try:
        migrate.downgrade(engine, "0007_rates_survey_workbooks")
        assert migrate.current_revision(engine) == "0007_rates_survey_workbooks"
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision(engine)
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        engine.dispose()
    ws = Workspace.open(Settings(database_url=db_url))
    try:
        after = ws.summary()
    finally:
        ws.close()
    assert after.counts == before.counts
