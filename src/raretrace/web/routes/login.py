"""Log in and out (HTML forms), and ``/api/v1/me``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from raretrace.domain.users import User
from raretrace.errors import InputError
from raretrace.web.auth import LoginThrottle, check_csrf, log_in, log_out
from raretrace.web.deps import Viewer, WorkspaceDep, render
from raretrace.web.errors import TooManyAttempts
from raretrace.web.schemas import PasswordChange, UserPublic
from raretrace.workspace import Workspace

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
    try:
        throttle.check(username, client)
    except TooManyAttempts as exc:
        page = render(request, "login.html", None, 429, next=_safe_next(next), error=str(exc))
        page.headers["Retry-After"] = str(exc.retry_after_s)
        return page

    def attempt() -> User | None:
        return ws.users.login(
            username, password, client=client, on_failure=lambda: throttle.failed(username, client)
        )

    user = await run_in_threadpool(attempt)
    if user is None:
        error = "Wrong user name or password."
        return render(request, "login.html", None, 401, next=_safe_next(next), error=error)
    throttle.succeeded(username, client)
    await run_in_threadpool(log_in, ws, request, user)
    return RedirectResponse(_safe_next(next), status_code=303)


@pages.post("/logout")
def logout(request: Request, ws: WorkspaceDep, _user: Viewer) -> RedirectResponse:
    log_out(ws, request)
    return RedirectResponse("/login", status_code=303)


@api.get("/me")
def me(user: Viewer) -> UserPublic:
    return UserPublic.model_validate(user)


def change_password(ws: Workspace, user: User, current: str, new: str) -> User:
    """Change the user's own password; every session of the user ends."""
    return ws.users.change_own_password(user, current, new)


@pages.get("/account", response_class=HTMLResponse)
def account_page(request: Request, user: Viewer) -> HTMLResponse:
    return render(request, "account.html", user, error=None, done=False)


@pages.post("/account/password", response_class=HTMLResponse)
async def account_password(
    request: Request,
    user: Viewer,
    ws: WorkspaceDep,
    current_password: Annotated[str, Form(max_length=1000)],
    new_password: Annotated[str, Form(max_length=1000)],
    confirm_password: Annotated[str, Form(max_length=1000)],
) -> HTMLResponse:
    """Change your password: every other session of yours ends (a copied cookie too);
    this browser gets a fresh session."""
    try:
        if new_password != confirm_password:
            raise InputError("the two new passwords differ")
        fresh = await run_in_threadpool(change_password, ws, user, current_password, new_password)
    except InputError as exc:
        return render(request, "account.html", user, 422, error=str(exc), done=False)
    await run_in_threadpool(log_in, ws, request, fresh)
    return render(request, "account.html", fresh, error=None, done=True)


@api.post("/me/password", status_code=204, responses={422: {"description": "Refused."}})
def password_api(user: Viewer, ws: WorkspaceDep, body: PasswordChange) -> Response:
    """Change your own password (the current one is required). Every web session of
    yours ends; API tokens stay valid (revoke them separately)."""
    change_password(ws, user, body.current_password, body.new_password)
    return Response(status_code=204)
