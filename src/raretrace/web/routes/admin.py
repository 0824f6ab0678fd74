"""Admin: users, roles, API tokens, audit log (admin role only)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from raretrace.domain.users import User, UserRole
from raretrace.web.deps import Admin, WorkspaceDep, render
from raretrace.web.schemas import (
    AuditEntryPublic,
    AuditPagePublic,
    TokenCreate,
    TokenIssuedPublic,
    TokenPublic,
    UserCreate,
    UserPublic,
    UsersPagePublic,
    UserUpdate,
)
from raretrace.workspace import Workspace

pages = APIRouter(tags=["admin"])
api = APIRouter(tags=["admin"])

Username = Annotated[str, Path(max_length=100, description="A user name.")]
TokenId = Annotated[int, Path(ge=1, le=2**31 - 1, description="An API token id.")]


def users_view(ws: Workspace) -> UsersPagePublic:
    # Failed logins, which anyone can cause, must not push real changes out of view.
    seen = ws.users.overview(audit_limit=100, audit_exclude=FAILED_LOGIN)
    return UsersPagePublic(
        users=[UserPublic.model_validate(u) for u in seen.users],
        tokens={
            name: [TokenPublic.model_validate(t) for t in tokens]
            for name, tokens in seen.tokens.items()
        },
        audit=[AuditEntryPublic.model_validate(a) for a in seen.audit],
    )


FAILED_LOGIN = "login.failed"


def audit_view(
    ws: Workspace, *, before: int | None, action: str | None, hide_failed: bool, limit: int
) -> AuditPagePublic:
    rows = ws.users.audit_log(
        limit=limit + 1,
        before=before,
        action=action or None,
        exclude=FAILED_LOGIN if hide_failed else None,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return AuditPagePublic(
        entries=[AuditEntryPublic.model_validate(a) for a in rows],
        next_before=rows[-1].entry_id if more and rows else None,
        action=action or None,
        hide_failed_logins=hide_failed,
    )


Before = Annotated[int | None, Query(ge=1, le=2**63 - 1, description="Older than this id.")]
Action = Annotated[str | None, Query(max_length=64, description="Only this action (or action.*).")]
HideFailed = Annotated[bool, Query(description="Leave out failed logins.")]
Limit = Annotated[int, Query(ge=1, le=1000)]


def create_user(ws: Workspace, body: UserCreate, actor: User) -> UserPublic:
    user = ws.users.create(body.username, body.role, body.password, actor=actor.username)
    return UserPublic.model_validate(user)


def update_user(ws: Workspace, username: str, body: UserUpdate, actor: User) -> UserPublic:
    user = ws.users.update(
        username, role=body.role, active=body.active, password=body.password,
        actor=actor.username,
    )  # fmt: skip
    return UserPublic.model_validate(user)


def issue_token(ws: Workspace, username: str, name: str, actor: User) -> TokenIssuedPublic:
    issued = ws.users.issue_token(username, name, actor=actor.username)
    return TokenIssuedPublic.model_validate(
        {**TokenPublic.model_validate(issued.token).model_dump(), "secret": issued.secret}
    )


def revoke_token(ws: Workspace, token_id: int, actor: User) -> None:
    ws.users.revoke_token(token_id, actor=actor.username)


# -- pages ---------------------------------------------------------------------------


@pages.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, user: Admin, ws: WorkspaceDep) -> HTMLResponse:
    return render(request, "admin/users.html", user, page=users_view(ws), issued=None)


@pages.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    user: Admin,
    ws: WorkspaceDep,
    before: Before = None,
    action: Action = None,
    hide_failed_logins: HideFailed = False,
    limit: Limit = 100,
) -> HTMLResponse:
    page = audit_view(ws, before=before, action=action, hide_failed=hide_failed_logins, limit=limit)

    def url(before: int | None) -> str:
        query = {
            "before": before,
            "action": page.action,
            "hide_failed_logins": "true" if hide_failed_logins else None,
            "limit": limit if limit != 100 else None,
        }
        return "/admin/audit?" + urlencode({k: v for k, v in query.items() if v})

    older = url(page.next_before) if page.next_before else None
    return render(request, "admin/audit.html", user, page=page, newest=url(None), older=older)


@pages.post("/admin/users", response_class=HTMLResponse)
def users_create(
    user: Admin,
    ws: WorkspaceDep,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[UserRole, Form()] = UserRole.VIEWER,
) -> Response:
    create_user(ws, UserCreate(username=username, role=role, password=password), user)
    return RedirectResponse("/admin/users", status_code=303)


@pages.post("/admin/users/{username}", response_class=HTMLResponse)
def users_update(
    user: Admin,
    ws: WorkspaceDep,
    username: Username,
    role: Annotated[UserRole | None, Form()] = None,
    active: Annotated[bool | None, Form()] = None,
) -> Response:
    update_user(ws, username, UserUpdate(role=role, active=active), user)
    return RedirectResponse("/admin/users", status_code=303)


@pages.post("/admin/users/{username}/tokens", response_class=HTMLResponse)
def users_token(
    request: Request,
    user: Admin,
    ws: WorkspaceDep,
    username: Username,
    name: Annotated[str, Form(max_length=200)] = "script",
) -> HTMLResponse:
    issued = issue_token(ws, username, name, user)
    return render(request, "admin/users.html", user, page=users_view(ws), issued=issued)


@pages.post("/admin/tokens/{token_id}/revoke", response_class=HTMLResponse)
def tokens_revoke(user: Admin, ws: WorkspaceDep, token_id: TokenId) -> Response:
    revoke_token(ws, token_id, user)
    return RedirectResponse("/admin/users", status_code=303)


# -- JSON twins ----------------------------------------------------------------------


@api.get("/users")
def users_api(_user: Admin, ws: WorkspaceDep) -> UsersPagePublic:
    return users_view(ws)


@api.post("/users", status_code=201)
def users_create_api(user: Admin, ws: WorkspaceDep, body: UserCreate) -> UserPublic:
    return create_user(ws, body, user)


@api.patch("/users/{username}")
def users_update_api(
    user: Admin, ws: WorkspaceDep, username: Username, body: UserUpdate
) -> UserPublic:
    return update_user(ws, username, body, user)


@api.post("/users/{username}/tokens", status_code=201)
def users_token_api(
    user: Admin, ws: WorkspaceDep, username: Username, body: TokenCreate
) -> TokenIssuedPublic:
    return issue_token(ws, username, body.name, user)


@api.delete("/tokens/{token_id}", status_code=204)
def tokens_revoke_api(user: Admin, ws: WorkspaceDep, token_id: TokenId) -> Response:
    revoke_token(ws, token_id, user)
    return Response(status_code=204)


@api.get("/audit")
def audit_api(
    _user: Admin,
    ws: WorkspaceDep,
    before: Before = None,
    action: Action = None,
    hide_failed_logins: HideFailed = False,
    limit: Limit = 100,
) -> list[AuditEntryPublic]:
    """Audit entries, newest first; page with ``before`` (the last ``entry_id`` seen)."""
    return audit_view(
        ws, before=before, action=action, hide_failed=hide_failed_logins, limit=limit
    ).entries


@api.get("/audit/page")
def audit_page_api(
    _user: Admin,
    ws: WorkspaceDep,
    before: Before = None,
    action: Action = None,
    hide_failed_logins: HideFailed = False,
    limit: Limit = 100,
) -> AuditPagePublic:
    """The audit page's twin: entries and the ``before`` of the next page."""
    return audit_view(ws, before=before, action=action, hide_failed=hide_failed_logins, limit=limit)
