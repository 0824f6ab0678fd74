"""``create_app(settings)``: the FastAPI application, built explicitly (no globals).

One ``Workspace`` per app: its network cache, and the compiled ``NetworkIndex`` cache
here, are shared by all requests of the process. Sessions live in the database (the
signed cookie holds their id), so several worker processes can serve the same users.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from raretrace import __version__
from raretrace.domain.elements import ANNOUNCEMENT_18_ELEMENTS
from raretrace.settings import Settings
from raretrace.web import errors
from raretrace.web.auth import ClientAddress, LoginThrottle, UserCache
from raretrace.web.charts import clean_spec
from raretrace.web.deps import IndexCache
from raretrace.web.registry import NAV
from raretrace.web.routes import MODULES
from raretrace.web.session_key import session_key
from raretrace.workspace import Workspace

API_PREFIX = "/api/v1"
SESSION_COOKIE = "raretrace_session"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
#: The OpenAPI UI pages load their script from a CDN; we serve only the JSON description.


def _package_dir(name: str) -> Path:
    return Path(str(files("raretrace.web") / name))


class BodySizeLimit:
    """Refuse request bodies over ``max_bytes`` (413) while they stream in."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _too_large(send)


class SecurityHeaders:
    """``SECURITY_HEADERS`` on every response, and ``Cache-Control: no-store`` outside
    ``/static/`` (unless the response set its own). A plain ASGI middleware: the
    ``@app.middleware("http")`` form costs a task and a stream per request."""

    _HEADERS = tuple((k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items())
    _NO_STORE = (b"cache-control", b"no-store")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(self._HEADERS)
        if not scope["path"].startswith("/static/"):
            extra.append(self._NO_STORE)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend(h for h in extra if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = b'{"detail":"request body too large"}'
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", b"%d" % len(body)),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def create_app(settings: Settings, *, upgrade: bool = True) -> FastAPI:
    """Build the app on the workspace that ``settings`` names.

    ``upgrade=False`` refuses a database whose schema is not current instead of
    migrating it (``raretrace serve`` migrates once before starting its workers).
    """
    workspace = Workspace.open(settings, upgrade=upgrade)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        workspace.close()

    app = FastAPI(
        title="raretrace",
        version=__version__,
        description="Trace controlled rare earths through multi-tier supply chains.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.workspace = workspace
    app.state.index_cache = IndexCache()
    app.state.user_cache = UserCache()
    app.state.login_throttle = LoginThrottle(
        settings.web_login_attempts,
        settings.web_login_window_s,
        per_user=settings.web_login_attempts_per_user,
    )
    app.state.nav = NAV
    templates = Jinja2Templates(directory=str(_package_dir("templates")))
    templates.env.globals["version"] = __version__
    templates.env.filters["chart_spec"] = clean_spec
    templates.env.globals["controlled_elements"] = ANNOUNCEMENT_18_ELEMENTS
    app.state.templates = templates

    app.add_middleware(
        SessionMiddleware,
        secret_key=session_key(workspace),
        session_cookie=SESSION_COOKIE,
        max_age=int(settings.web_session_hours * 3600),
        same_site="lax",
        https_only=settings.web_cookie_secure,
    )
    # Room for the form fields around the largest file.
    app.add_middleware(
        BodySizeLimit, max_bytes=int(settings.web_max_upload_mb * 1024 * 1024) + 64 * 1024
    )

    app.add_middleware(SecurityHeaders)
    # Outermost: the client address every later layer sees.
    app.add_middleware(ClientAddress, trusted=settings.web_trusted_proxies)

    errors.register(app)
    for module in MODULES:
        app.include_router(module.pages)
        app.include_router(module.api, prefix=API_PREFIX)
    app.mount("/static", StaticFiles(directory=str(_package_dir("static"))), name="static")
    return app
