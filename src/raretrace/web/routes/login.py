"""Log in and out (HTML forms), and ``/api/v1/me``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from raretrace.domain.users import User
from raretrace.services import users as user_service
from raretrace.web.auth import LoginThrottle, check_csrf, log_in, log_out
from raretrace.web.deps import Viewer, WorkspaceDep, render
from raretrace.web.errors import TooManyAttempts
from raretrace.web.schemas import UserPublic

pages = APIRouter(tags=["session"])
api = APIRouter(tags=["session"])


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after login."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@pages.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", None, next=_safe_next(next), error=None)


@pages.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    ws: WorkspaceDep,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    await check_csrf(request)
    throttle: LoginThrottle = request.app.state.login_throttle
    client = request.client.host if request.client else "?"
    key = f"{username.lower()}|{client}"
    try:
        throttle.check(key)
    except TooManyAttempts as exc:
        return render(request, "login.html", None, 429, next=_safe_next(next), error=str(exc))

    def attempt() -> User | None:
        with ws.uow() as uow:
            user = user_service.authenticate(uow, username, password)
            user_service.record(
                uow, username, "login" if user else "login.failed", username, f"from {client}"
            )
            return user

    user = await run_in_threadpool(attempt)
    if user is None:
        throttle.failed(key)
        error = "Wrong user name or password."
        return render(request, "login.html", None, 401, next=_safe_next(next), error=error)
    throttle.succeeded(key)
    log_in(request, user)
    return RedirectResponse(_safe_next(next), status_code=303)


@pages.post("/logout")
def logout(request: Request, _user: Viewer) -> RedirectResponse:
    log_out(request)
    return RedirectResponse("/login", status_code=303)


@api.get("/me")
def me(user: Viewer) -> UserPublic:
    return UserPublic.model_validate(user)
