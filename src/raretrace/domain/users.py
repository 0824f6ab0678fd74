"""People who use the web app, their API tokens, and the audit trail of changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class UserRole(StrEnum):
    """What a user may do. Each role includes the ones before it."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def allows(self, needed: UserRole | str) -> bool:
        """True when this role is at least ``needed``."""
        return self.rank >= UserRole(needed).rank


_RANK = {UserRole.VIEWER: 0, UserRole.EDITOR: 1, UserRole.ADMIN: 2}


@dataclass(frozen=True, slots=True)
class User:
    """A login. ``password_hash`` is an argon2id PHC string; never the password."""

    user_id: int
    username: str
    role: UserRole
    password_hash: str
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A bearer token for scripts. Only the SHA-256 of the secret is stored;
    ``prefix`` (the first characters of the secret) lets people tell tokens apart."""

    token_id: int
    user_id: int
    name: str
    prefix: str
    token_hash: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Who changed what, when. Append-only."""

    at: datetime
    actor: str
    action: str
    target: str
    detail: str = ""
    entry_id: int | None = None
