"""One Session per use case: commit on success, roll back on exception.

The ORM (``sqlalchemy.orm``, the mapped table declarations) is imported when the first
unit of work begins, not with this module: a warm read of the compiled-network cache
only needs the network's stamp (``SqlUnitOfWorkFactory.stamp``, SQLAlchemy Core), and
importing the ORM costs ~0.15-0.2 s of CPU per process.
"""

from __future__ import annotations

from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import ConnectionPoolEntry

from raretrace.domain.clock import Clock
from raretrace.errors import NetworkError, StorageError

if TYPE_CHECKING:  # imported on first use: a command pays for the tables it touches
    from sqlalchemy.orm import Session, sessionmaker

    from raretrace.storage.sql.auth_repository import SqlAuthRepository
    from raretrace.storage.sql.job_repository import SqlJobRepository
    from raretrace.storage.sql.licence_repository import SqlLicenceRepository
    from raretrace.storage.sql.market_repository import SqlMarketRepository
    from raretrace.storage.sql.rates_repository import SqlRatesRepository
    from raretrace.storage.sql.repositories import SqlNetworkRepository
    from raretrace.storage.sql.screening_repository import SqlScreeningRepository
    from raretrace.storage.sql.survey_repository import SqlSurveyRepository
    from raretrace.storage.sql.test_report_repository import SqlTestReportRepository

#: ``Connection.info`` key: this transaction has written something (INSERT/UPDATE/DELETE).
WROTE = "raretrace_wrote"
_WRITES = ("INSERT", "UPDATE", "DELETE")
#: The network's stamp rows (``SqlNetworkRepository.stamp``), read with Core.
_STAMP = text("SELECT key, value FROM rt_meta WHERE key IN ('revision', 'revision_token')")
#: One statement, the same on SQLite and PostgreSQL: bump the data version (``rt_meta``).
_BUMP_DATA_VERSION = text(
    "INSERT INTO rt_meta (key, value) VALUES ('data_version', '1') "
    "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(rt_meta.value AS BIGINT) + 1 AS TEXT)"
)


def _note_write(conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
    if statement.lstrip()[:6].upper() in _WRITES:
        conn.info[WROTE] = True


def _forget_write(conn: Connection) -> None:
    conn.info.pop(WROTE, None)


def _forget_write_on_checkin(_dbapi: DBAPIConnection, record: ConnectionPoolEntry) -> None:
    record.info.pop(WROTE, None)


def track_writes(engine: Engine) -> None:
    """Note on each connection whether its transaction wrote, so that a unit of work can
    bump the data version in the same transaction (``SqlUnitOfWork.__exit__``)."""
    if not event.contains(engine, "before_cursor_execute", _note_write):
        event.listen(engine, "before_cursor_execute", _note_write)
        event.listen(engine, "commit", _forget_write)
        event.listen(engine, "rollback", _forget_write)
        event.listen(engine.pool, "checkin", _forget_write_on_checkin)


def _storage_error(err: DBAPIError) -> StorageError:
    text_ = str(err.orig).strip().splitlines()
    detail = text_[0] if text_ else type(err.orig).__name__
    hint = ""
    if "locked" in detail or "could not obtain lock" in detail or "deadlock" in detail:
        hint = " (another process is writing to the same database; try again when it is done)"
    return StorageError(f"database error, nothing was written: {detail}{hint}")


class SqlUnitOfWork:
    def __init__(
        self, factory: sessionmaker[Session], *, clock: Clock, bulk_load: bool = False
    ) -> None:
        self._factory = factory
        #: The workspace's clock: services read "now" here, never from the wall clock.
        self.clock = clock
        self._bulk_load = bulk_load
        self._session: Session | None = None
        self._network: SqlNetworkRepository | None = None

    def __enter__(self) -> SqlUnitOfWork:
        from raretrace.storage.sql.repositories import SqlNetworkRepository

        self._session = self._factory()
        self._network = SqlNetworkRepository(self._session)
        return self

    @property
    def network(self) -> SqlNetworkRepository:
        assert self._network is not None, "use the unit of work in a with-block"
        return self._network

    @property
    def screening(self) -> SqlScreeningRepository:
        from raretrace.storage.sql.screening_repository import SqlScreeningRepository

        return SqlScreeningRepository(self.session)

    @property
    def auth(self) -> SqlAuthRepository:
        from raretrace.storage.sql.auth_repository import SqlAuthRepository

        return SqlAuthRepository(self.session)

    @property
    def surveys(self) -> SqlSurveyRepository:
        from raretrace.storage.sql.survey_repository import SqlSurveyRepository

        return SqlSurveyRepository(self.session)

    @property
    def licences(self) -> SqlLicenceRepository:
        from raretrace.storage.sql.licence_repository import SqlLicenceRepository

        return SqlLicenceRepository(self.session)

    @property
    def jobs(self) -> SqlJobRepository:
        from raretrace.storage.sql.job_repository import SqlJobRepository

        return SqlJobRepository(self.session)

    @property
    def rates(self) -> SqlRatesRepository:
        from raretrace.storage.sql.rates_repository import SqlRatesRepository

        return SqlRatesRepository(self.session)

    @property
    def market(self) -> SqlMarketRepository:
        from raretrace.storage.sql.market_repository import SqlMarketRepository

        return SqlMarketRepository(self.session)

    @property
    def test_reports(self) -> SqlTestReportRepository:
        from raretrace.storage.sql.test_report_repository import SqlTestReportRepository

        return SqlTestReportRepository(self.session)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            if exc_type is None:
                if self._bulk_load:
                    self._check_foreign_keys()
                self._bump_data_version()
                self._session.commit()
            else:
                self._session.rollback()
        except DBAPIError as err:
            raise _storage_error(err) from None
        finally:
            self._session.close()
            self._session = None
        if isinstance(exc, DBAPIError):
            # Rolled back: nothing was written. Say so in one line, without the SQL or
            # the rows it carried.
            raise _storage_error(exc) from None

    def _bump_data_version(self) -> None:
        """Any write in this transaction moves ``rt_meta.data_version`` with it, so caches
        of data beyond the network (licences, screening, jobs, users) can key on it."""
        session = self.session
        if not session.in_transaction():
            return
        session.flush()
        if session.connection().info.get(WROTE):
            session.execute(_BUMP_DATA_VERSION)

    def _check_foreign_keys(self) -> None:
        """After a bulk load with per-row checks off (SQLite): check every reference once."""
        assert self._session is not None
        if self._session.get_bind().dialect.name != "sqlite":
            return
        bad = self._session.execute(text("PRAGMA foreign_key_check")).fetchall()
        if bad:
            self._session.rollback()
            table, rowid, parent, _ = bad[0]
            raise NetworkError(
                f"bulk load refused: {len(bad)} row(s) refer to missing rows "
                f"(first: {table} rowid {rowid} -> {parent}); nothing was written"
            )

    @property
    def session(self) -> Session:
        assert self._session is not None, "use the unit of work in a with-block"
        return self._session

    def commit(self) -> None:
        self._bump_data_version()
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


class SqlUnitOfWorkFactory:
    """Makes a fresh ``SqlUnitOfWork`` per call; holds the engine's sessionmaker."""

    def __init__(self, engine: Engine, *, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        track_writes(engine)

    @cached_property
    def _factory(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(bind=self.engine, expire_on_commit=False)

    @cached_property
    def _bulk_factory(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        bind = self.engine.execution_options(bulk_load=True)
        return sessionmaker(bind=bind, expire_on_commit=False)

    @cached_property
    def _write_factory(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        bind = self.engine.execution_options(immediate=True)
        return sessionmaker(bind=bind, expire_on_commit=False)

    def stamp(self) -> tuple[int, str] | None:
        """The network's ``stamp()`` as a unit of work would read it, in a short read
        transaction of its own with SQLAlchemy Core (no Session, no ORM import): what a
        warm start needs to find its compiled-network cache. None for a database
        written before stamp tokens (then only ``uow.network.stamp()`` can tell)."""
        try:
            with self.engine.connect() as conn:
                found = {str(k): str(v) for k, v in conn.execute(_STAMP).all()}
        except DBAPIError as err:
            raise _storage_error(err) from None
        token = found.get("revision_token")
        if token is None:
            return None
        rev = int(found.get("revision", 0))
        return rev, f"r{rev}-{token}"

    def __call__(self, *, bulk_load: bool = False, write: bool = False) -> SqlUnitOfWork:
        """A unit of work; ``bulk_load`` checks foreign keys once at commit instead of
        per row (SQLite), for loading large networks into an empty workspace.

        ``write=True``: a transaction that will write takes the write lock when it
        begins (``BEGIN IMMEDIATE`` on SQLite; see ``engine.py``). Without it, a SQLite
        transaction that read first and writes later fails with "database is locked"
        when another writer committed in between (WAL cannot upgrade a stale read
        snapshot, and the busy timeout does not help). PostgreSQL needs nothing: its
        read-committed transactions never need upgrading, and rows that must not change
        under a check are read ``FOR UPDATE``."""
        if bulk_load:
            return SqlUnitOfWork(self._bulk_factory, clock=self.clock, bulk_load=True)
        if write:
            return SqlUnitOfWork(self._write_factory, clock=self.clock)
        return SqlUnitOfWork(self._factory, clock=self.clock)
