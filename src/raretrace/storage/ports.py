"""What the services need from storage, as Protocols. ``storage.sql`` implements them."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # annotations only: importing the ports costs a command nothing
    from raretrace.analytics.tables import TableColumns
    from raretrace.domain.applications import Application, DocEvent, LicenceFace, StatusChange
    from raretrace.domain.clock import Clock
    from raretrace.domain.currency import StoredRates
    from raretrace.domain.jobs import Job
    from raretrace.domain.ledger import LedgerEntry
    from raretrace.domain.licences import Licence
    from raretrace.domain.market import StoredPrices
    from raretrace.domain.network import Network
    from raretrace.domain.screening import (
        AuditRow,
        Decision,
        Hit,
        ListEntry,
        ListVersion,
        ScreeningRun,
    )
    from raretrace.domain.surveys import SurveyRequest, SurveyResponse
    from raretrace.domain.test_reports import TestReport
    from raretrace.domain.users import ApiToken, AuditEntry, User, UserRole


class NetworkRepository(Protocol):
    """The supply network of one workspace."""

    def load(self) -> Network:
        """Every network record, as domain objects."""
        ...

    def counts(self) -> dict[str, int]:
        """Row count per network table (see ``domain.network.TABLES``)."""
        ...

    def upsert(self, network: Network) -> None:
        """Insert the records, replacing those with the same key."""
        ...

    def clear(self) -> None:
        """Delete every network record."""
        ...

    def bulk_insert_rows(
        self, table: str, columns: list[str], rows: Iterator[tuple[object, ...]]
    ) -> int:
        """Fast path for large loads into an empty table. Returns the row count."""
        ...

    def revision(self) -> int:
        """A number that changes whenever the network changes (for caches)."""
        ...

    def bump_revision(self) -> int:
        """Move ``revision()`` on and draw a new random ``stamp()`` token."""
        ...

    def read_snapshot(self) -> None:
        """Make every later read of this unit of work see one snapshot of the database
        (call before anything else is read): the stamp and the tables then agree."""
        ...

    def stamp(self) -> tuple[int, str]:
        """(``revision()``, a name for this state of the network that no other database
        or later state shares): keys caches that outlive the process."""
        ...

    def versions(self) -> tuple[int, int]:
        """(``revision()``, a number that changes with every committed write)."""
        ...

    def columns(self, *, committed: bool = False) -> TableColumns:
        """Every network table as columns of ids and values (fast bulk read for tracing).

        ``committed``: this unit of work has written nothing, so a faster reader on a
        second connection may read the same rows."""
        ...

    def table_columns(self) -> dict[str, dict[str, Any]]:
        """Every column of every network table as pyarrow arrays, rows in primary-key
        order (``storage.snapshot.SCHEMA``; for ``TableSnapshot.build``)."""
        ...


class ScreeningRepository(Protocol):
    """Screening lists (every imported version), runs, hits, decisions and audit log."""

    def latest_versions(self) -> list[ListVersion]:
        """The newest version of every list."""
        ...

    def latest_version(self, list_name: str) -> ListVersion | None: ...

    def add_version(self, version: ListVersion, entries: Sequence[ListEntry]) -> ListVersion:
        """Store a version and its entries; returns it with ``version_id`` set."""
        ...

    def entries(self, version_id: int) -> list[ListEntry]: ...

    def save_run(self, run: ScreeningRun) -> ScreeningRun:
        """Store a run and its hits; returns them with ids set."""
        ...

    def parties_hit(self, list_name: str, entry_keys: Collection[str]) -> set[str]:
        """Workspace parties that any earlier run found (name hit or near miss) against
        one of these entries of ``list_name``."""
        ...

    def known_hit_keys(self, hit_keys: Collection[str], before_run: int) -> set[str]:
        """Those of ``hit_keys`` that a run before ``before_run`` already found."""
        ...

    def hit(self, hit_id: int) -> Hit | None: ...

    def latest_decisions(self, hit_keys: Collection[str]) -> dict[str, Decision]:
        """The newest decision per hit key, for those keys that have one."""
        ...

    def add_decision(self, decision: Decision) -> Decision: ...

    def log(
        self,
        *,
        at: datetime,
        action: str,
        actor: str,
        run_id: int | None = None,
        hit_id: int | None = None,
        version_id: int | None = None,
        detail: str = "",
    ) -> None:
        """Append one event to the audit log."""
        ...

    def audit_rows(self) -> list[AuditRow]:
        """The audit trail, oldest first: imports, runs with each hit, decisions."""
        ...

    def confirmed_listings(self) -> list[tuple[str, str, str, str]]:
        """(party id, list kind, list name, entry name) for every workspace party whose
        name hit a list entry and whose latest decision says it is a match."""
        ...


class AuthRepository(Protocol):
    """Web-app users, their API tokens (hashed), the audit log, the shared secret."""

    def add_user(
        self, *, username: str, role: UserRole, password_hash: str, at: datetime
    ) -> User: ...

    def user_by_name(self, username: str) -> User | None: ...

    def user_by_id(self, user_id: int) -> User | None: ...

    def users(self) -> list[User]: ...

    def count_users(self) -> int: ...

    def update_user(
        self,
        username: str,
        *,
        role: UserRole | None = None,
        active: bool | None = None,
        password_hash: str | None = None,
    ) -> User | None:
        """Change the given fields; ``None`` when there is no such user."""
        ...

    def add_token(
        self, *, user_id: int, name: str, prefix: str, token_hash: str, at: datetime
    ) -> ApiToken: ...

    def token_by_hash(self, token_hash: str) -> ApiToken | None: ...

    def tokens(self, user_id: int | None = None) -> list[ApiToken]: ...

    def mark_token(
        self, token_id: int, *, used_at: datetime | None = None, revoked_at: datetime | None = None
    ) -> None: ...

    def add_session(
        self, *, session_hash: str, user_id: int, at: datetime, expires_at: datetime
    ) -> None: ...

    def session_user(self, session_hash: str, now: datetime) -> int | None: ...

    def end_sessions(
        self,
        *,
        session_hash: str | None = None,
        user_id: int | None = None,
        expired_before: datetime | None = None,
    ) -> int: ...

    def log(self, entry: AuditEntry) -> None:
        """Append one entry to the audit log."""
        ...

    def audit(
        self,
        *,
        limit: int = 200,
        before: int | None = None,
        action: str | None = None,
        exclude: str | None = None,
    ) -> list[AuditEntry]:
        """The newest entries, newest first (older than entry ``before``; of ``action``;
        not of action ``exclude``)."""
        ...


class SurveyRepository(Protocol):
    """Supplier-survey campaign: workbooks sent (requests) and answers applied."""

    def add_request(self, request: SurveyRequest, workbook: bytes | None = None) -> SurveyRequest:
        """Record a request with the workbook sent (its bytes, kept for download)."""
        ...

    def requests(self) -> list[SurveyRequest]: ...

    def workbook(self, request_id: int) -> tuple[SurveyRequest, bytes | None] | None:
        """The request and its workbook (None if it was recorded without one)."""
        ...

    def add_response(self, response: SurveyResponse) -> SurveyResponse: ...

    def responses(self) -> list[SurveyResponse]: ...


class LicenceRepository(Protocol):
    """Licence applications, licences and the append-only licence ledger."""

    def add_application(self, app: Application) -> int: ...

    def application(self, application_id: int) -> Application | None: ...

    def applications(self) -> list[Application]: ...

    def add_status(self, application_id: int, change: StatusChange) -> None: ...

    def set_face(self, application_id: int, face: LicenceFace) -> None: ...

    def doc_events(self, application_id: int) -> list[DocEvent]: ...

    def add_doc_event(self, application_id: int, event: DocEvent) -> None: ...

    def lock_licence(self, licence_id: str) -> Licence | None:
        """Read the licence and hold the write lock on it until the unit of work ends.
        Must be the first call of its unit of work (SQLite takes the lock at BEGIN)."""
        ...

    def lock_shipment(self, shipment_id: str) -> None:
        """Serialise bookings of one shipment id (after ``lock_licence``)."""
        ...

    def drawdowns_of_shipment(self, shipment_id: str) -> list[LedgerEntry]: ...

    def licence(self, licence_id: str) -> Licence | None: ...

    def licences(self) -> list[Licence]: ...

    def add_licence(self, lic: Licence) -> None: ...

    def entries(self, licence_id: str | None = None) -> list[LedgerEntry]:
        """Ledger entries in the order they were written (of one licence, or all)."""
        ...

    def entry(self, entry_id: int) -> LedgerEntry | None: ...

    def append(self, e: LedgerEntry) -> LedgerEntry:
        """Append one entry; returns it with ``entry_id`` set (kept when given)."""
        ...

    def sync_sequences(self) -> None: ...


class JobRepository(Protocol):
    """Background jobs, visible to every worker process of the app."""

    def add(self, job: Job) -> Job: ...

    def get(self, job_id: int) -> Job | None: ...

    def recent(self, kind: str, *, limit: int = 50) -> list[Job]:
        """The newest jobs of ``kind``, newest first, without their results."""
        ...

    def latest_done(self, kind: str) -> Job | None: ...

    def update(self, job_id: int, **fields: Any) -> None: ...


class RatesRepository(Protocol):
    """Exchange-rate tables users stored; append-only (a stored table never changes)."""

    def add(self, stored: StoredRates) -> StoredRates: ...

    def get(self, rates_id: int) -> StoredRates | None: ...

    def all(self) -> list[StoredRates]:
        """Every stored table, newest first."""
        ...


class MarketRepository(Protocol):
    """Price tables users imported; append-only (a stored table never changes)."""

    def add(self, stored: StoredPrices) -> StoredPrices: ...

    def get(self, prices_id: int) -> StoredPrices | None: ...

    def all(self) -> list[StoredPrices]:
        """Every stored table, newest first."""
        ...


class TestReportRepository(Protocol):
    """Laboratory test reports (Dy + Tb) of workspace parts."""

    def add(self, report: TestReport) -> TestReport: ...

    def all(self) -> list[TestReport]:
        """Every report, by test date."""
        ...

    def latest(self) -> dict[str, TestReport]:
        """The latest report per part."""
        ...


class UnitOfWork(Protocol):
    """One transaction, already begun by the caller's ``with`` block (commit on success,
    roll back on exception)."""

    #: Where the use case reads "now" (the workspace's clock).
    clock: Clock

    @property
    def network(self) -> NetworkRepository: ...

    @property
    def screening(self) -> ScreeningRepository: ...

    @property
    def auth(self) -> AuthRepository: ...

    @property
    def surveys(self) -> SurveyRepository: ...

    @property
    def licences(self) -> LicenceRepository: ...

    @property
    def jobs(self) -> JobRepository: ...

    @property
    def rates(self) -> RatesRepository: ...

    @property
    def market(self) -> MarketRepository: ...

    @property
    def test_reports(self) -> TestReportRepository: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Opens a fresh unit of work for a ``with`` block: what an area service holds
    (``write=True`` takes the write lock up front; ``bulk_load`` for loading a large
    network into an empty workspace)."""

    def __call__(
        self, *, bulk_load: bool = False, write: bool = False
    ) -> AbstractContextManager[UnitOfWork]: ...


__all__ = [
    "AuthRepository",
    "JobRepository",
    "LicenceRepository",
    "MarketRepository",
    "NetworkRepository",
    "RatesRepository",
    "ScreeningRepository",
    "SurveyRepository",
    "UnitOfWork",
    "UnitOfWorkFactory",
]
