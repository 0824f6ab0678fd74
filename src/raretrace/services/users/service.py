"""The users area as one service object (``Workspace.users``): accounts, roles, API
tokens, web sessions, logins and the audit log. Each method is one use case and opens
its own unit of work; the front ends only parse, call and render.

The rules themselves (argon2 cost, token format, the last admin) are the functions of
``services.users.accounts``; this object decides the transaction boundaries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from raretrace.domain.users import ApiToken, AuditEntry, User, UserRole
from raretrace.services.users import accounts as fn
from raretrace.services.users.accounts import IssuedToken
from raretrace.storage.ports import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class UsersOverview:
    """What the admin page shows, read in one transaction."""

    users: list[User]
    tokens: dict[str, list[ApiToken]]
    audit: list[AuditEntry]


class UsersService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    # -- accounts ------------------------------------------------------------------------

    def create(self, username: str, role: UserRole, password: str, *, actor: str) -> User:
        with self._uow(write=True) as uow:
            return fn.create_user(uow, username=username, role=role, password=password, actor=actor)

    def get(self, username: str) -> User:
        with self._uow() as uow:
            return fn.get_user(uow, username)

    def all(self) -> list[User]:
        with self._uow() as uow:
            return fn.list_users(uow)

    def update(
        self,
        username: str,
        *,
        role: UserRole | None = None,
        active: bool | None = None,
        password: str | None = None,
        actor: str,
    ) -> User:
        """Change any of role, status and password in one transaction (all or none);
        an unchanged role or status is not recorded again."""
        with self._uow(write=True) as uow:
            user = fn.get_user(uow, username)
            if role is not None and role != user.role:
                user = fn.set_role(uow, username, role, actor=actor)
            if active is not None and active != user.active:
                user = fn.set_active(uow, username, active, actor=actor)
            if password is not None:
                user = fn.set_password(uow, username, password, actor=actor)
            return user

    def set_role(self, username: str, role: UserRole, *, actor: str) -> User:
        with self._uow(write=True) as uow:
            return fn.set_role(uow, username, role, actor=actor)

    def set_active(self, username: str, active: bool, *, actor: str) -> User:
        with self._uow(write=True) as uow:
            return fn.set_active(uow, username, active, actor=actor)

    def set_password(self, username: str, password: str, *, actor: str) -> User:
        with self._uow(write=True) as uow:
            return fn.set_password(uow, username, password, actor=actor)

    def change_own_password(self, user: User, current: str, new: str) -> User:
        """A user changes their own password, proving the current one; every session of
        the user ends."""
        with self._uow(write=True) as uow:
            return fn.change_own_password(uow, user, current, new)

    def overview(
        self, *, audit_limit: int = 100, audit_exclude: str | None = None
    ) -> UsersOverview:
        """Users, their tokens and the newest audit entries, in one read."""
        with self._uow() as uow:
            users = fn.list_users(uow)
            by_id = {u.user_id: u.username for u in users}
            tokens: dict[str, list[ApiToken]] = {u.username: [] for u in users}
            for t in fn.list_tokens(uow):
                tokens[by_id[t.user_id]].append(t)
            audit = fn.audit_log(uow, limit=audit_limit, exclude=audit_exclude)
        return UsersOverview(users, tokens, audit)

    # -- logins and sessions ---------------------------------------------------------------

    def login(
        self,
        username: str,
        password: str,
        *,
        client: str,
        on_failure: Callable[[], object] | None = None,
    ) -> User | None:
        """The active user with this name and password, else ``None``; the attempt is
        audited either way. The password is verified outside any transaction (argon2 is
        slow), then one write transaction, with the write lock taken up front, rehashes
        and audits: a read transaction upgraded to a write failed with "database is
        locked" under parallel logins (SQLite). ``on_failure`` runs as soon as the
        password is found wrong (before the audit write, which may fail)."""
        with self._uow() as uow:
            found = uow.auth.user_by_name(username)
        user = fn.verify_password(found, password)
        if user is None and on_failure is not None:
            on_failure()  # counted even if the audit write below fails
        self._login_audit(username, user, password, client)
        return user

    def _login_audit(self, username: str, user: User | None, password: str, client: str) -> None:
        with self._uow(write=True) as uow:
            if user is not None and fn.needs_rehash(user):
                fn.rehash(uow, user, password)
            fn.record(
                uow, username, "login" if user else "login.failed", username, f"from {client}"
            )

    def start_session(self, user: User, *, hours: float, ending: str | None = None) -> str:
        """A fresh server-side session for ``user`` (its secret id); ends the session
        ``ending`` (the one the browser had), if given, in the same transaction."""
        with self._uow(write=True) as uow:
            if ending is not None:
                fn.end_session(uow, ending)
            return fn.start_session(uow, user, hours=hours)

    def end_session(self, secret: str) -> None:
        with self._uow(write=True) as uow:
            fn.end_session(uow, secret)

    def session_user(self, secret: str) -> User | None:
        with self._uow() as uow:
            return fn.session_user(uow, secret)

    def token_user(self, secret: str) -> User | None:
        """The active owner of this unrevoked API token, else ``None``. Marking the token
        used is its own short write transaction (at most once per resolution), lock
        taken up front."""
        with self._uow() as uow:
            user, stale = fn.token_owner(uow, secret)
        if stale is not None:
            with self._uow(write=True) as uow:
                fn.touch_token(uow, stale)
        return user

    # -- API tokens ------------------------------------------------------------------------

    def issue_token(self, username: str, name: str, *, actor: str) -> IssuedToken:
        with self._uow(write=True) as uow:
            return fn.issue_token(uow, username, name, actor=actor)

    def tokens(self, username: str | None = None) -> list[ApiToken]:
        with self._uow() as uow:
            return fn.list_tokens(uow, username)

    def owned_tokens(self, username: str | None = None) -> list[tuple[ApiToken, str]]:
        """Tokens (of ``username``, or all) with their owners' names, in one read."""
        with self._uow() as uow:
            tokens = fn.list_tokens(uow, username)
            names = {u.user_id: u.username for u in fn.list_users(uow)}
        return [(t, names.get(t.user_id, "?")) for t in tokens]

    def revoke_token(self, token_id: int, *, actor: str) -> None:
        with self._uow(write=True) as uow:
            fn.revoke_token(uow, token_id, actor=actor)

    # -- audit log ---------------------------------------------------------------------------

    def record(self, actor: str, action: str, target: str, detail: str = "") -> None:
        """Append one entry to the audit log, in its own transaction."""
        with self._uow(write=True) as uow:
            fn.record(uow, actor, action, target, detail)

    def audit_log(
        self,
        *,
        limit: int = 200,
        before: int | None = None,
        action: str | None = None,
        exclude: str | None = None,
    ) -> list[AuditEntry]:
        """Newest first; ``before``: only entries older than that entry id."""
        with self._uow() as uow:
            return fn.audit_log(uow, limit=limit, before=before, action=action, exclude=exclude)
