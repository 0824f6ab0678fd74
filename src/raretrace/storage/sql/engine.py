"""Engine creation: the only module that knows about dialect quirks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from raretrace.errors import StorageError


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine. SQLite gets foreign keys, WAL and a busy timeout."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a terse message
        raise StorageError(f"not a database URL: {url!r}") from exc
    # hide_parameters: an error never prints the rows it was writing (a failed import
    # used to dump hundreds of party rows to the terminal).
    kwargs: dict[str, Any] = {"echo": echo, "future": True, "hide_parameters": True}
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:" and not db.startswith("file:"):
            parent = Path(db).expanduser().resolve().parent
            if not parent.exists():
                raise StorageError(f"folder of the SQLite database does not exist: {parent}")
            create_private(Path(db).expanduser())
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        engine = create_engine(url, **kwargs)
        _sqlite_pragmas(engine)
        return engine
    kwargs["pool_pre_ping"] = True
    return create_engine(url, **kwargs)


def create_private(path: Path) -> None:
    """Create the SQLite file readable by its owner only, if it does not exist yet.

    The database holds password hashes, session ids and the cookie-signing key; SQLite
    would create it (and its -wal/-shm files, which copy the file's mode) with the
    process umask, world-readable by default."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StorageError(f"cannot create the SQLite database {path}: {exc}") from exc
    os.close(fd)


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy control transactions (BEGIN is emitted below), per the
        # SQLAlchemy pysqlite "serializable isolation" recipe.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # ``immediate=True`` as an execution option takes the write lock at BEGIN, so
        # read-check-write sequences (ledger drawdowns) serialise instead of failing.
        # ``bulk_load=True`` switches per-row foreign-key checks off for the
        # transaction (SQLite only allows that outside one); the unit of work runs
        # ``PRAGMA foreign_key_check`` before it commits instead.
        options = conn.get_execution_options()
        bulk = options.get("bulk_load", False)
        if bulk:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        immediate = bulk or options.get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA foreign_keys=ON")
