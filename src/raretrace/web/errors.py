"""The one mapping from exceptions to HTTP responses (JSON under /api, HTML elsewhere)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from raretrace.errors import (
    InputError,
    NetworkError,
    NotFoundError,
    RaretraceError,
    StorageError,
)


class WebError(Exception):
    """Errors that only exist at the HTTP edge."""


class NotAuthenticated(WebError):
    """No valid session cookie or API token."""


class Forbidden(WebError):
    """Logged in, but the role does not allow this."""


class CsrfError(WebError):
    """A form or cookie-authenticated write without the right CSRF token."""


class TooManyAttempts(WebError):
    """Login rate limit reached."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


#: Exception class -> HTTP status (first match wins).
HANDLERS: tuple[tuple[type[Exception], int], ...] = (
    (NotAuthenticated, 401),
    (Forbidden, 403),
    (CsrfError, 403),
    (TooManyAttempts, 429),
    (InputError, 422),
    (NotFoundError, 404),
    (NetworkError, 409),
    (StorageError, 503),
    (RaretraceError, 400),
)


def status_for(exc: Exception) -> int:
    return next(code for cls, code in HANDLERS if isinstance(exc, cls))


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _problems(exc: Exception) -> list[dict[str, Any]]:
    return [
        {"file": p.file, "row": p.row, "column": p.column, "message": p.message}
        for p in getattr(exc, "problems", [])
    ]


async def _page_user(request: Request) -> Any:
    """The logged-in user for an error page's navigation (``None`` if there is none):
    set by the authentication dependency, else looked up from the session (a 404 of an
    unknown path runs no dependency)."""
    user = getattr(request.state, "user", None)
    if user is not None or "session" not in request.scope:
        return user
    from starlette.concurrency import run_in_threadpool

    from raretrace.web.auth import _authenticate  # the auth module imports this one

    try:
        found, _ = await run_in_threadpool(
            _authenticate, request.app.state.workspace, request, request.app.state.user_cache
        )
    except Exception:  # an error page must not fail on its navigation
        return None
    return found


async def error_page(
    request: Request,
    status: int,
    message: str,
    problems: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The HTML error page, with the navigation of the logged-in user."""
    from raretrace.web.auth import csrf_token

    templates: Jinja2Templates = request.app.state.templates
    user = await _page_user(request)
    context: dict[str, Any] = {
        "status": status,
        "message": message,
        "problems": problems or [],
        "user": user,
        "nav": request.app.state.nav,
    }
    if "session" in request.scope:
        context["csrf_token"] = csrf_token(request)
    return templates.TemplateResponse(
        request, "error.html", context, status_code=status, headers=headers
    )


async def handle(request: Request, exc: Exception) -> Response:
    status = status_for(exc)
    headers: dict[str, str] = {}
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after_s)
    if is_api(request):
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        body: dict[str, Any] = {"detail": str(exc).splitlines()[0] if str(exc) else ""}
        if problems := _problems(exc):
            body["problems"] = problems
        return JSONResponse(body, status_code=status, headers=headers)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    message = str(exc).splitlines()[0] if str(exc) else ""
    return await error_page(request, status, message, _problems(exc), headers)


def _field(loc: Sequence[Any]) -> str:
    return ".".join(str(p) for p in loc if p not in ("body", "query", "path", "form"))


async def handle_validation(request: Request, exc: Exception) -> Response:
    """422 for input FastAPI could not parse: JSON under /api (as FastAPI writes it),
    an HTML page with the navigation for a browser."""
    assert isinstance(exc, RequestValidationError)
    if is_api(request):
        return await request_validation_exception_handler(request, exc)
    problems = [
        {"file": "", "row": None, "column": _field(e.get("loc", ())), "message": e.get("msg", "")}
        for e in exc.errors()
    ]
    return await error_page(request, 422, "some of the input is not valid", problems)


async def handle_http(request: Request, exc: Exception) -> Response:
    """Starlette's HTTP errors (unknown path 404, wrong method 405): JSON under /api,
    an HTML page with the navigation for a browser."""
    assert isinstance(exc, StarletteHTTPException)
    if is_api(request) or exc.status_code < 400:
        return await http_exception_handler(request, exc)
    message = {404: "there is no such page", 405: "this page does not take that method"}.get(
        exc.status_code, str(exc.detail)
    )
    return await error_page(request, exc.status_code, message, headers=dict(exc.headers or {}))


def register(app: FastAPI) -> None:
    for cls, _ in HANDLERS:
        app.add_exception_handler(cls, handle)
    app.add_exception_handler(RequestValidationError, handle_validation)
    app.add_exception_handler(StarletteHTTPException, handle_http)
