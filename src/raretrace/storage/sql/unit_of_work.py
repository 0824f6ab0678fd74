"""One Session per use case: commit on success, roll back on exception."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from raretrace.errors import NetworkError
from raretrace.storage.sql.auth_repository import SqlAuthRepository
from raretrace.storage.sql.job_repository import SqlJobRepository
from raretrace.storage.sql.licence_repository import SqlLicenceRepository
from raretrace.storage.sql.repositories import SqlNetworkRepository
from raretrace.storage.sql.screening_repository import SqlScreeningRepository
from raretrace.storage.sql.survey_repository import SqlSurveyRepository


class SqlUnitOfWork:
    def __init__(self, factory: sessionmaker[Session], *, bulk_load: bool = False) -> None:
        self._factory = factory
        self._bulk_load = bulk_load
        self._session: Session | None = None
        self._network: SqlNetworkRepository | None = None

    def __enter__(self) -> SqlUnitOfWork:
        self._session = self._factory()
        self._network = SqlNetworkRepository(self._session)
        return self

    @property
    def network(self) -> SqlNetworkRepository:
        assert self._network is not None, "use the unit of work in a with-block"
        return self._network

    @property
    def screening(self) -> SqlScreeningRepository:
        return SqlScreeningRepository(self.session)

    @property
    def auth(self) -> SqlAuthRepository:
        return SqlAuthRepository(self.session)

    @property
    def surveys(self) -> SqlSurveyRepository:
        return SqlSurveyRepository(self.session)

    @property
    def licences(self) -> SqlLicenceRepository:
        return SqlLicenceRepository(self.session)

    @property
    def jobs(self) -> SqlJobRepository:
        return SqlJobRepository(self.session)

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
                self._session.commit()
            else:
                self._session.rollback()
        finally:
            self._session.close()
            self._session = None

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
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


class SqlUnitOfWorkFactory:
    """Makes a fresh ``SqlUnitOfWork`` per call; holds the engine's sessionmaker."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = sessionmaker(bind=engine, expire_on_commit=False)
        self._bulk_factory = sessionmaker(
            bind=engine.execution_options(bulk_load=True), expire_on_commit=False
        )

    def __call__(self, *, bulk_load: bool = False) -> SqlUnitOfWork:
        """A unit of work; ``bulk_load`` checks foreign keys once at commit instead of
        per row (SQLite), for loading large networks into an empty workspace."""
        if bulk_load:
            return SqlUnitOfWork(self._bulk_factory, bulk_load=True)
        return SqlUnitOfWork(self._factory)
