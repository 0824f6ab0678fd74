"""Use cases for web-app users: accounts, roles, passwords, API tokens, audit log.

Passwords are hashed with argon2id (argon2-cffi) at OWASP's recommended minimum cost
(19 MiB, 2 passes, 1 lane): about 0.1 s per login on a small server. API
tokens are random 256-bit secrets shown once; only their SHA-256 is stored, which is
enough for a secret of that entropy and lets a lookup be one indexed query.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from raretrace.domain.users import ApiToken, AuditEntry, User, UserRole
from raretrace.errors import InputError, NotFoundError
from raretrace.storage.ports import UnitOfWork

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$")
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "rt_"
#: A token's ``last_used_at`` is updated at most this often (each update is a write).
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


@cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so that a wrong name and a wrong
    password take the same time."""
    return _HASHER.hash("raretrace-dummy-password")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def record(uow: UnitOfWork, actor: str, action: str, target: str, detail: str = "") -> None:
    """Append one entry to the audit log (in the caller's transaction)."""
    uow.auth.log(AuditEntry(uow.clock.now(), actor, action, target, detail))


def create_user(
    uow: UnitOfWork, *, username: str, role: UserRole, password: str, actor: str
) -> User:
    if not _USERNAME.match(username):
        raise InputError(
            f"user name {username!r} is not valid: use letters, digits and _ . @ -"
            " (at most 100 characters, starting with a letter or digit)"
        )
    check_password_rules(password)
    if uow.auth.user_by_name(username) is not None:
        raise InputError(f"user {username!r} already exists")
    user = uow.auth.add_user(
        username=username, role=role, password_hash=hash_password(password), at=uow.clock.now()
    )
    record(uow, actor, "user.create", username, f"role={role.value}")
    return user


def get_user(uow: UnitOfWork, username: str) -> User:
    user = uow.auth.user_by_name(username)
    if user is None:
        raise NotFoundError(f"no user {username!r}")
    return user


def list_users(uow: UnitOfWork) -> list[User]:
    return uow.auth.users()


def _keep_an_admin(uow: UnitOfWork, user: User) -> None:
    """Refuse to demote or disable the last active admin (nobody could manage users)."""
    admins = [u for u in uow.auth.users() if u.active and u.role is UserRole.ADMIN]
    if admins == [user]:
        raise InputError(f"{user.username!r} is the last active admin; make another admin first")


def set_role(uow: UnitOfWork, username: str, role: UserRole, *, actor: str) -> User:
    before = get_user(uow, username)
    if role is not UserRole.ADMIN:
        _keep_an_admin(uow, before)
    user = uow.auth.update_user(username, role=role)
    assert user is not None
    if role is not before.role:
        end_user_sessions(uow, user)
    record(uow, actor, "user.set_role", username, f"{before.role.value} -> {role.value}")
    return user


def set_active(uow: UnitOfWork, username: str, active: bool, *, actor: str) -> User:
    before = get_user(uow, username)
    if not active:
        _keep_an_admin(uow, before)
    user = uow.auth.update_user(username, active=active)
    assert user is not None
    if not active:
        end_user_sessions(uow, user)
    record(uow, actor, "user.activate" if active else "user.deactivate", username)
    return user


def set_password(uow: UnitOfWork, username: str, password: str, *, actor: str) -> User:
    get_user(uow, username)
    check_password_rules(password)
    user = uow.auth.update_user(username, password_hash=hash_password(password))
    assert user is not None
    end_user_sessions(uow, user)
    record(uow, actor, "user.set_password", username)
    return user


def authenticate(uow: UnitOfWork, username: str, password: str) -> User | None:
    """The active user with this name and password, else ``None`` (one transaction:
    open it with ``write=True``, it may rehash the password)."""
    user = verify_password(uow.auth.user_by_name(username), password)
    if user is not None and needs_rehash(user):
        uow.auth.update_user(username, password_hash=hash_password(password))
    return user


def verify_password(user: User | None, password: str) -> User | None:
    """``user`` if it is active and ``password`` is its password, else ``None``. Takes
    the same time whether or not the user exists. Pure: run it outside any transaction
    (argon2 takes ~0.1 s; a transaction held open meanwhile blocks writers)."""
    try:
        _HASHER.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    return user


def needs_rehash(user: User) -> bool:
    return _HASHER.check_needs_rehash(user.password_hash)


def rehash(uow: UnitOfWork, user: User, password: str) -> None:
    """Store ``password`` under the current argon2 parameters, if the user's hash is
    still the one verified (a concurrent password change wins)."""
    now = uow.auth.user_by_id(user.user_id)
    if now is not None and now.password_hash == user.password_hash:
        uow.auth.update_user(user.username, password_hash=hash_password(password))


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new API token; ``secret`` is shown once and never stored."""

    token: ApiToken
    secret: str


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_token(uow: UnitOfWork, username: str, name: str, *, actor: str) -> IssuedToken:
    user = get_user(uow, username)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = uow.auth.add_token(
        user_id=user.user_id,
        name=name.strip()[:200] or "token",
        prefix=secret[:10],
        token_hash=_token_hash(secret),
        at=uow.clock.now(),
    )
    record(uow, actor, "token.issue", username, f"token {token.token_id} ({token.name})")
    return IssuedToken(token, secret)


def user_for_token(uow: UnitOfWork, secret: str) -> User | None:
    """The active user owning this unrevoked token, else ``None`` (marks the token used:
    open the unit of work with ``write=True``)."""
    user, stale = token_owner(uow, secret)
    if stale is not None:
        touch_token(uow, stale)
    return user


def token_owner(uow: UnitOfWork, secret: str) -> tuple[User | None, int | None]:
    """(the active user owning this unrevoked token, else ``None``; the token's id when
    its ``last_used_at`` is due an update, else ``None``). Reads only."""
    if not secret.startswith(TOKEN_PREFIX):
        return None, None
    token = uow.auth.token_by_hash(_token_hash(secret))
    if token is None or token.revoked_at is not None:
        return None, None
    user = uow.auth.user_by_id(token.user_id)
    if user is None or not user.active:
        return None, None
    now = uow.clock.now()
    due = token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION
    return user, token.token_id if due else None


def touch_token(uow: UnitOfWork, token_id: int) -> None:
    """Record that a token was used now (a write: at most once per resolution)."""
    uow.auth.mark_token(token_id, used_at=uow.clock.now())


def list_tokens(uow: UnitOfWork, username: str | None = None) -> list[ApiToken]:
    user_id = get_user(uow, username).user_id if username else None
    return uow.auth.tokens(user_id)


def revoke_token(uow: UnitOfWork, token_id: int, *, actor: str) -> None:
    match = [t for t in uow.auth.tokens() if t.token_id == token_id]
    if not match:
        raise NotFoundError(f"no API token {token_id}")
    uow.auth.mark_token(token_id, revoked_at=uow.clock.now())
    record(uow, actor, "token.revoke", str(token_id), match[0].name)


def audit_log(
    uow: UnitOfWork,
    *,
    limit: int = 200,
    before: int | None = None,
    action: str | None = None,
    exclude: str | None = None,
) -> list[AuditEntry]:
    """Newest first; ``before``: only entries older than that entry id (the next page)."""
    return uow.auth.audit(limit=limit, before=before, action=action, exclude=exclude)


# -- web sessions ----------------------------------------------------------------------


def _session_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def start_session(uow: UnitOfWork, user: User, *, hours: float) -> str:
    """A new server-side session for ``user``; returns its secret id (for the cookie;
    only its SHA-256 is stored). Expired sessions are purged on the way."""
    now = uow.clock.now()
    uow.auth.end_sessions(expired_before=now)
    secret = secrets.token_urlsafe(32)
    uow.auth.add_session(
        session_hash=_session_hash(secret),
        user_id=user.user_id,
        at=now,
        expires_at=now + timedelta(hours=hours),
    )
    return secret


def session_user(uow: UnitOfWork, secret: str) -> User | None:
    """The active user of this live session, else ``None``."""
    uid = uow.auth.session_user(_session_hash(secret), uow.clock.now())
    if uid is None:
        return None
    user = uow.auth.user_by_id(uid)
    return user if user is not None and user.active else None


def end_session(uow: UnitOfWork, secret: str) -> None:
    uow.auth.end_sessions(session_hash=_session_hash(secret))


def end_user_sessions(uow: UnitOfWork, user: User) -> int:
    """End every browser session of ``user`` (password, role or status changed)."""
    return uow.auth.end_sessions(user_id=user.user_id)


def change_own_password(uow: UnitOfWork, user: User, current: str, new: str) -> User:
    """A user changes their own password, proving the current one. Ends all of the
    user's sessions (the caller starts a fresh one for the browser that asked)."""
    fresh = uow.auth.user_by_id(user.user_id)
    if fresh is None or verify_password(fresh, current) is None:
        raise InputError("the current password is wrong")
    if new == current:
        raise InputError("the new password is the same as the current one")
    return set_password(uow, fresh.username, new, actor=fresh.username)
