"""Who is asking: session cookies, API tokens, CSRF tokens, roles, login throttling.

- Sessions live in a signed cookie (Starlette ``SessionMiddleware``, itsdangerous),
  ``HttpOnly``, ``SameSite=Lax``, ``Secure`` unless configured otherwise. The cookie holds
  the user id, a fingerprint of the password hash (so a password change ends other
  sessions) and the CSRF token.
- Every request reads the workspace's (network revision, data version) in one query
  (``Workspace.versions``); the data version moves with every committed write. The user
  behind a session or token is re-read from the database only when the data version has
  moved since it was last read, or after ``USER_CACHE_S`` seconds: a deactivated user,
  a revoked token or a changed role (all writes through the app or the CLI) still take
  effect on the next request, in every worker; a change made behind the app's back
  (raw SQL) takes at most ``USER_CACHE_S`` seconds. Sessions stay in cookies, so any
  number of workers can serve the same users.
- Scripts send ``Authorization: Bearer rt_...``; those requests need no CSRF token.
- Every unsafe request authenticated by the cookie must carry the session's CSRF token,
  as a ``csrf_token`` form field or an ``X-CSRF-Token`` header.
- Failed logins are counted per (user name, client address) in this process only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable
from threading import Lock

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from raretrace.domain.users import User, UserRole
from raretrace.services import users as user_service
from raretrace.web.errors import CsrfError, Forbidden, NotAuthenticated, TooManyAttempts
from raretrace.workspace import Workspace

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


#: Longest time a worker trusts a user it read, even if the data version did not move.
USER_CACHE_S = 5.0


class UserCache:
    """(session or token key) -> (data version, time read, user, by token)."""

    MAX_ENTRIES = 4096

    def __init__(self) -> None:
        self._lock = Lock()
        self._entries: dict[tuple[str, object], tuple[int, float, User | None, bool]] = {}

    def get(self, key: tuple[str, object], data_version: int) -> tuple[User | None, bool] | None:
        with self._lock:
            hit = self._entries.get(key)
        if hit is None or hit[0] != data_version or time.monotonic() - hit[1] > USER_CACHE_S:
            return None
        return hit[2], hit[3]

    def put(
        self, key: tuple[str, object], data_version: int, user: User | None, by_token: bool
    ) -> None:
        with self._lock:
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (data_version, time.monotonic(), user, by_token)


def password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:16]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    expected = request.session.get("csrf")
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not given or not hmac.compare_digest(expected, given):
        raise CsrfError("missing or wrong CSRF token; reload the page and try again")


def log_in(request: Request, user: User) -> None:
    """Start a fresh session (a new CSRF token too, against session fixation)."""
    request.session.clear()
    request.session.update(
        {"uid": user.user_id, "pv": password_fingerprint(user), "csrf": secrets.token_urlsafe(32)}
    )


def log_out(request: Request) -> None:
    request.session.clear()


def _user_from_request(ws: Workspace, request: Request) -> tuple[User | None, bool]:
    """(user, came from a bearer token)."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        with ws.uow() as uow:
            return user_service.user_for_token(uow, header[7:].strip()), True
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None, False
    with ws.uow() as uow:
        user = uow.auth.user_by_id(uid)
    if user is None or not user.active or request.session.get("pv") != password_fingerprint(user):
        return None, False
    return user, False


def _authenticate(ws: Workspace, request: Request, cache: UserCache) -> tuple[User | None, bool]:
    """``_user_from_request``, remembered while the data version stays; the versions go
    to ``request.state.versions`` for the index and the dashboard caches."""
    versions = ws.versions()
    request.state.versions = versions
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        key: tuple[str, object] = ("token", hashlib.sha256(header[7:].strip().encode()).digest())
    else:
        uid = request.session.get("uid")
        if not isinstance(uid, int):
            return None, False
        key = ("session", (uid, request.session.get("pv")))
    hit = cache.get(key, versions[1])
    if hit is not None:
        return hit
    user, by_token = _user_from_request(ws, request)
    # Under the version read before the user: a write in between only costs a re-read.
    cache.put(key, versions[1], user, by_token)
    return user, by_token


def require(role: UserRole) -> Callable[[Request], Awaitable[User]]:
    """A dependency: the current user, who must have at least ``role``."""

    async def dependency(request: Request) -> User:
        ws: Workspace = request.app.state.workspace
        cache: UserCache = request.app.state.user_cache
        user, by_token = await run_in_threadpool(_authenticate, ws, request, cache)
        if user is None:
            raise NotAuthenticated("log in, or send a valid API token")
        if request.method not in SAFE_METHODS and not by_token:
            await check_csrf(request)
        if not user.role.allows(role):
            raise Forbidden(f"this needs the {role.value} role; you are {user.role.value}")
        request.state.user = user
        return user

    dependency.__name__ = f"require_{role.value}"
    return dependency


class LoginThrottle:
    """At most ``attempts`` failed logins per key in a sliding ``window_s``."""

    def __init__(self, attempts: int, window_s: int) -> None:
        self.attempts = attempts
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and q[0] <= now - self.window_s:
            q.popleft()
        return q

    def check(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            q = self._recent(key, now)
            if len(q) >= self.attempts:
                wait = int(q[0] + self.window_s - now) + 1
                raise TooManyAttempts(f"too many failed logins; try again in {wait} s", wait)

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key, time.monotonic()).append(time.monotonic())
            if len(self._failures) > 10_000:  # bound memory under a spray of names
                self._failures = {k: v for k, v in self._failures.items() if v}

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
