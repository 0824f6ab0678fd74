"""One Session per use case: commit on success, roll back on exception."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from raretrace.storage.sql.auth_repository import SqlAuthRepository
from raretrace.storage.sql.job_repository import SqlJobRepository
from raretrace.storage.sql.licence_repository import SqlLicenceRepository
from raretrace.storage.sql.repositories import SqlNetworkRepository
from raretrace.storage.sql.screening_repository import SqlScreeningRepository
from raretrace.storage.sql.survey_repository import SqlSurveyRepository


class SqlUnitOfWork:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
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
                self._session.commit()
            else:
                self._session.rollback()
        finally:
            self._session.close()
            self._session = None

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

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._factory)
