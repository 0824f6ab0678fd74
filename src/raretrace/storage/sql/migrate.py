"""Create or upgrade a workspace database with Alembic (package-relative scripts).

Opening a database that is already at the head revision does not import Alembic: the
head is read from the revision scripts' ``revision``/``down_revision`` lines and
compared with ``alembic_version`` by one query (``is_at_head``); anything else (a new,
old or unreadable database, scripts this reading does not understand) goes through
Alembic.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from alembic.config import Config

_SCRIPTS = Path(__file__).with_name("migrations")
_REVISION = re.compile(r'^revision(?:: *str)? *= *["\']([^"\']+)["\']', re.M)
_DOWN = re.compile(r'^down_revision(?:: *[^=]+)? *= *(?:["\']([^"\']+)["\']|None)', re.M)


@cache
def script_head() -> str | None:
    """The head revision read from the scripts' text; None if they are not a plain chain
    (then only Alembic can tell)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (_SCRIPTS / "versions").glob("*.py"):
        body = path.read_text(encoding="utf-8")
        rev, down = _REVISION.findall(body), _DOWN.search(body)
        if len(rev) != 1 or down is None:
            return None
        revisions.add(rev[0])
        if down.group(1):
            downs.add(down.group(1))
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


def is_at_head(engine: Engine) -> bool:
    """The database's ``alembic_version`` is the scripts' head (no Alembic import)."""
    head = script_head()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return False
    return [r[0] for r in rows] == [head]


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    url = engine.url.render_as_string(hide_password=False)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


#: Key of the PostgreSQL advisory lock that serialises schema upgrades ("rtmg").
_PG_LOCK_KEY = 0x72746D67


class SchemaTooNew(Exception):
    """The database's schema revision is unknown to this raretrace (a newer version)."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


def is_known(engine: Engine, revision: str | None) -> bool:
    from alembic.script import ScriptDirectory

    if revision is None:
        return True
    script = ScriptDirectory.from_config(alembic_config(engine))
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises ResolutionError/CommandError for unknown ids
        return False


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction, once, whatever the number
    of processes opening the same database at the same moment.

    Processes that find the schema current do nothing (a database at the head the
    scripts declare is recognised without importing Alembic: ``is_at_head``). The
    others take a lock first — a PostgreSQL advisory lock held to the end of the
    transaction, or SQLite's write lock (``BEGIN IMMEDIATE``) — then look again: the
    first upgrades, the rest find the work done. A revision this raretrace does not
    know (a newer one) raises ``SchemaTooNew`` instead of being touched.
    """
    if revision == "head" and is_at_head(engine):
        return  # the common case: one query, no Alembic import
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    current = current_revision(engine)
    if not is_known(engine, current):
        raise SchemaTooNew(str(current))
    if revision == "head" and current == head_revision(engine):
        return
    cfg = alembic_config(engine)
    with _migration_transaction(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        current = MigrationContext.configure(conn).get_current_revision()
        if not is_known(engine, current):
            raise SchemaTooNew(str(current))
        if revision == "head" and current == head_revision(engine):
            return
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        _check_foreign_keys(conn)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    cfg = alembic_config(engine)
    with _migration_transaction(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
        _check_foreign_keys(conn)


def _migration_transaction(engine: Engine) -> Engine:
    """SQLite: take the write lock at BEGIN, with foreign keys off for the transaction
    (``bulk_load``; see ``engine.py``). Alembic's batch mode rebuilds a table to add a
    constraint (copy, DROP, rename), and with foreign keys on, dropping a table that
    rows of other tables refer to fails: any workspace holding a network could not be
    upgraded. The keys are checked once before the commit instead."""
    return engine.execution_options(immediate=True, bulk_load=True)


def _check_foreign_keys(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if bad:
        table, rowid, parent, _ = bad[0]
        raise RuntimeError(
            f"schema change refused: {len(bad)} row(s) would refer to missing rows "
            f"(first: {table} rowid {rowid} -> {parent}); nothing was changed"
        )
