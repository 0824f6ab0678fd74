"""The one mapping from exceptions to HTTP responses (JSON under /api, HTML elsewhere)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

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
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": str(exc).splitlines()[0], "problems": _problems(exc)},
        status_code=status,
        headers=headers,
    )


def register(app: FastAPI) -> None:
    for cls, _ in HANDLERS:
        app.add_exception_handler(cls, handle)
