"""SQL repository for users, API tokens, web sessions and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from raretrace.domain.users import ApiToken, AuditEntry, User, UserRole
from raretrace.storage.sql.auth_tables import ApiTokenRow, AuditRow, UserRow, WebSessionRow


def _utc(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _user(row: UserRow) -> User:
    created = _utc(row.created_at)
    assert created is not None
    role = UserRole(row.role)
    return User(row.user_id, row.username, role, row.password_hash, row.active, created)


def _token(row: ApiTokenRow) -> ApiToken:
    created = _utc(row.created_at)
    assert created is not None
    return ApiToken(
        token_id=row.token_id,
        user_id=row.user_id,
        name=row.name,
        prefix=row.prefix,
        token_hash=row.token_hash,
        created_at=created,
        last_used_at=_utc(row.last_used_at),
        revoked_at=_utc(row.revoked_at),
    )


class SqlAuthRepository:
    """Users, tokens and audit entries inside one Session (transaction)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- users ------------------------------------------------------------------------

    def add_user(self, *, username: str, role: UserRole, password_hash: str, at: datetime) -> User:
        row = UserRow(
            username=username,
            role=role.value,
            password_hash=password_hash,
            active=True,
            created_at=at,
        )
        self._session.add(row)
        self._session.flush()
        return _user(row)

    def user_by_name(self, username: str) -> User | None:
        row = self._session.scalar(select(UserRow).where(UserRow.username == username))
        return None if row is None else _user(row)

    def user_by_id(self, user_id: int) -> User | None:
        row = self._session.get(UserRow, user_id)
        return None if row is None else _user(row)

    def users(self) -> list[User]:
        return [_user(r) for r in self._session.scalars(select(UserRow).order_by(UserRow.username))]

    def count_users(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(UserRow)) or 0)

    def update_user(
        self,
        username: str,
        *,
        role: UserRole | None = None,
        active: bool | None = None,
        password_hash: str | None = None,
    ) -> User | None:
        row = self._session.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            return None
        if role is not None:
            row.role = role.value
        if active is not None:
            row.active = active
        if password_hash is not None:
            row.password_hash = password_hash
        self._session.flush()
        return _user(row)

    # -- tokens -----------------------------------------------------------------------

    def add_token(
        self, *, user_id: int, name: str, prefix: str, token_hash: str, at: datetime
    ) -> ApiToken:
        row = ApiTokenRow(
            user_id=user_id, name=name, prefix=prefix, token_hash=token_hash, created_at=at
        )
        self._session.add(row)
        self._session.flush()
        return _token(row)

    def token_by_hash(self, token_hash: str) -> ApiToken | None:
        row = self._session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash))
        return None if row is None else _token(row)

    def tokens(self, user_id: int | None = None) -> list[ApiToken]:
        query = select(ApiTokenRow).order_by(ApiTokenRow.token_id)
        if user_id is not None:
            query = query.where(ApiTokenRow.user_id == user_id)
        return [_token(r) for r in self._session.scalars(query)]

    def mark_token(
        self, token_id: int, *, used_at: datetime | None = None, revoked_at: datetime | None = None
    ) -> None:
        row = self._session.get(ApiTokenRow, token_id)
        if row is None:
            return
        if used_at is not None:
            row.last_used_at = used_at
        if revoked_at is not None:
            row.revoked_at = revoked_at
        self._session.flush()

    # -- web sessions -----------------------------------------------------------------

    def add_session(
        self, *, session_hash: str, user_id: int, at: datetime, expires_at: datetime
    ) -> None:
        self._session.add(
            WebSessionRow(
                session_hash=session_hash, user_id=user_id, created_at=at, expires_at=expires_at
            )
        )
        self._session.flush()

    def session_user(self, session_hash: str, now: datetime) -> int | None:
        """The user id of this unexpired session, else ``None``."""
        row = self._session.get(WebSessionRow, session_hash)
        if row is None:
            return None
        expires = _utc(row.expires_at)
        assert expires is not None
        return row.user_id if expires > now else None

    def end_sessions(
        self,
        *,
        session_hash: str | None = None,
        user_id: int | None = None,
        expired_before: datetime | None = None,
    ) -> int:
        """Delete one session, every session of a user, or the expired ones."""
        q = delete(WebSessionRow)
        if session_hash is not None:
            q = q.where(WebSessionRow.session_hash == session_hash)
        elif user_id is not None:
            q = q.where(WebSessionRow.user_id == user_id)
        elif expired_before is not None:
            q = q.where(WebSessionRow.expires_at <= expired_before)
        else:
            raise ValueError("end_sessions needs a session, a user or a time")
        return int(getattr(self._session.execute(q), "rowcount", 0) or 0)

    # -- audit ------------------------------------------------------------------------

    def log(self, entry: AuditEntry) -> None:
        row = AuditRow(
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            target=entry.target,
            detail=entry.detail,
        )
        self._session.add(row)
        self._session.flush()

    def audit(
        self,
        *,
        limit: int = 200,
        before: int | None = None,
        action: str | None = None,
        exclude: str | None = None,
    ) -> list[AuditEntry]:
        """The newest ``limit`` entries, newest first; only those older than entry
        ``before`` (paging) and of ``action`` (or actions starting ``action.``) if given."""
        q = select(AuditRow).order_by(AuditRow.entry_id.desc()).limit(limit)
        if before is not None:
            q = q.where(AuditRow.entry_id < before)
        if action:
            q = q.where((AuditRow.action == action) | AuditRow.action.startswith(action + "."))
        if exclude:
            q = q.where(AuditRow.action != exclude)
        rows = self._session.scalars(q)
        out: list[AuditEntry] = []
        for r in rows:
            at = _utc(r.at)
            assert at is not None
            out.append(AuditEntry(at, r.actor, r.action, r.target, r.detail, r.entry_id))
        return out
