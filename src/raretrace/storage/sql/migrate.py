"""Create or upgrade a workspace database with Alembic (package-relative scripts)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

_SCRIPTS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    url = engine.url.render_as_string(hide_password=False)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
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

    Processes that find the schema current do nothing. The others take a lock first —
    a PostgreSQL advisory lock held to the end of the transaction, or SQLite's write
    lock (``BEGIN IMMEDIATE``) — then look again: the first upgrades, the rest find the
    work done. A revision this raretrace does not know (a newer one) raises
    ``SchemaTooNew`` instead of being touched.
    """
    current = current_revision(engine)
    if not is_known(engine, current):
        raise SchemaTooNew(str(current))
    if revision == "head" and current == head_revision(engine):
        return
    cfg = alembic_config(engine)
    locked = engine.execution_options(immediate=True)  # SQLite: BEGIN IMMEDIATE
    with locked.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        current = MigrationContext.configure(conn).get_current_revision()
        if not is_known(engine, current):
            raise SchemaTooNew(str(current))
        if revision == "head" and current == head_revision(engine):
            return
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
