"""Who is asking: session cookies, API tokens, CSRF tokens, roles, login throttling.

- Sessions are server-side (table ``web_sessions``, only the SHA-256 of the id stored):
  the signed cookie (Starlette ``SessionMiddleware``, itsdangerous; ``HttpOnly``,
  ``SameSite=Lax``, ``Secure`` unless configured otherwise) holds the random session id
  and the CSRF token. Logout deletes the row, so a copied cookie dies with it; a password
  change, a role change or a deactivation deletes all of the user's sessions.
- Every request reads the workspace's (network revision, data version) in one query
  (``Workspace.versions``); the data version moves with every committed write. The user
  behind a session or token is re-read from the database only when the data version has
  moved since it was last read, or after ``USER_CACHE_S`` seconds: a deactivated user,
  a revoked token or a changed role (all writes through the app or the CLI) still take
  effect on the next request, in every worker; a change made behind the app's back
  (raw SQL) takes at most ``USER_CACHE_S`` seconds. Any number of workers can serve the
  same users (the sessions are in the database).
- Scripts send ``Authorization: Bearer rt_...``; those requests need no CSRF token.
- Every unsafe request authenticated by the cookie must carry the session's CSRF token,
  as a ``csrf_token`` form field or an ``X-CSRF-Token`` header.
- Failed logins are counted per (user name, client address) and per user name alone
  (a higher cap, so that changing address does not help), in this process only. The
  client address is the TCP peer unless the peer is a proxy the operator listed in
  ``Settings.web_trusted_proxies`` (see ``ClientAddress``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from threading import Lock

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from raretrace.domain.users import User, UserRole
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


def log_in(ws: Workspace, request: Request, user: User) -> None:
    """Start a fresh server-side session (a new CSRF token too, against session
    fixation); ends the session the browser had, if any."""
    hours = request.app.state.settings.web_session_hours
    old = request.session.get("sid")
    sid = ws.users.start_session(user, hours=hours, ending=old if isinstance(old, str) else None)
    request.session.clear()
    request.session.update({"sid": sid, "csrf": secrets.token_urlsafe(32)})


def log_out(ws: Workspace, request: Request) -> None:
    """End the session on the server too: a copy of the cookie stops working."""
    sid = request.session.get("sid")
    if isinstance(sid, str):
        ws.users.end_session(sid)
    request.session.clear()


def _user_from_request(ws: Workspace, request: Request) -> tuple[User | None, bool]:
    """(user, came from a bearer token)."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return ws.users.token_user(header[7:].strip()), True
    sid = request.session.get("sid")
    if not isinstance(sid, str):
        return None, False
    return ws.users.session_user(sid), False


def _authenticate(ws: Workspace, request: Request, cache: UserCache) -> tuple[User | None, bool]:
    """``_user_from_request``, remembered while the data version stays; the versions go
    to ``request.state.versions`` for the index and the dashboard caches."""
    versions = ws.versions()
    request.state.versions = versions
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        key: tuple[str, object] = ("token", hashlib.sha256(header[7:].strip().encode()).digest())
    else:
        sid = request.session.get("sid")
        if not isinstance(sid, str):
            return None, False
        key = ("session", hashlib.sha256(sid.encode()).digest())
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
        request.state.user = user  # also for the navigation of an error page
        if request.method not in SAFE_METHODS and not by_token:
            await check_csrf(request)
        if not user.role.allows(role):
            raise Forbidden(f"this needs the {role.value} role; you are {user.role.value}")
        return user

    dependency.__name__ = f"require_{role.value}"
    return dependency


class LoginThrottle:
    """At most ``attempts`` failed logins per key in a sliding ``window_s``."""

    def __init__(self, attempts: int, window_s: int, per_user: int | None = None) -> None:
        self.attempts = attempts
        self.per_user = per_user
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and q[0] <= now - self.window_s:
            q.popleft()
        return q

    def _keys(self, username: str, client: str) -> list[tuple[str, int]]:
        name = username.lower()
        keys = [(f"{name}|{client}", self.attempts)]
        if self.per_user is not None:
            keys.append((f"{name}|*", self.per_user))  # every address together
        return keys

    def check(self, username: str, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key, cap in self._keys(username, client):
                q = self._recent(key, now)
                if len(q) >= cap:
                    wait = int(q[-cap] + self.window_s - now) + 1
                    raise TooManyAttempts(f"too many failed logins; try again in {wait} s", wait)

    def failed(self, username: str, client: str) -> None:
        with self._lock:
            now = time.monotonic()
            for key, _ in self._keys(username, client):
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # bound memory under a spray of names
                self._failures = {k: v for k, v in self._failures.items() if v}

    def succeeded(self, username: str, client: str) -> None:
        # Only this address's count: a success elsewhere must not clear what an
        # attacker piled up against the name from other addresses.
        with self._lock:
            self._failures.pop(self._keys(username, client)[0][0], None)


def _peer_trusted(host: str, trusted: frozenset[str]) -> bool:
    return host in trusted or "*" in trusted


class ClientAddress:
    """Believe ``X-Forwarded-For`` / ``X-Forwarded-Proto`` only from configured proxies.

    uvicorn's own proxy-header handling trusts loopback by default, so any local client
    (or anything behind a local proxy that passes the header through) could set its own
    address. Here the TCP peer stays the client unless it is in ``trusted``; then the
    client is the right-most ``X-Forwarded-For`` entry that is not itself a trusted
    proxy."""

    def __init__(self, app: ASGIApp, trusted: Iterable[str]) -> None:
        self.app = app
        self.trusted = frozenset(t.strip() for t in trusted if t.strip())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.trusted:
            client = scope.get("client")
            if client and _peer_trusted(str(client[0]), self.trusted):
                headers = dict(scope["headers"])
                forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
                hops = [h.strip() for h in forwarded.split(",") if h.strip()]
                while hops and _peer_trusted(hops[-1], self.trusted):
                    hops.pop()
                scope = dict(scope)
                if hops:
                    scope["client"] = (hops[-1][:100], 0)
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").strip()
                if proto in ("http", "https"):
                    scope["scheme"] = proto
        await self.app(scope, receive, send)
