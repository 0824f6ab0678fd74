"""Dependency aliases for route handlers (``Annotated``), and the per-app caches."""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import Annotated, Any, TypeVar, cast

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from raretrace.domain.users import User, UserRole
from raretrace.services.catalogue import NetworkIndex, build_index
from raretrace.settings import Settings
from raretrace.web.auth import csrf_token, require
from raretrace.workspace import Workspace

T = TypeVar("T")


class IndexCache:
    """The compiled ``NetworkIndex`` of the newest revision, shared by all requests of one
    process. ``Workspace.network()`` is itself cached by revision; this adds the index."""

    MAX_DERIVED = 256

    def __init__(self) -> None:
        self._lock = Lock()
        self._index: NetworkIndex | None = None
        self._derived: dict[tuple[int, str], object] = {}

    def get(self, ws: Workspace) -> NetworkIndex:
        revision = ws.revision()
        with self._lock:
            if self._index is not None and self._index.revision == revision:
                return self._index
        network = ws.network()
        index = build_index(network, revision)
        with self._lock:
            self._index = index
            self._derived = {k: v for k, v in self._derived.items() if k[0] == revision}
        return index

    def derived(self, idx: NetworkIndex, key: str, compute: Callable[[NetworkIndex], T]) -> T:
        """``compute(idx)``, remembered for this revision (views built from the index)."""
        slot = (idx.revision, key)
        with self._lock:
            if slot in self._derived:
                return cast(T, self._derived[slot])
        value = compute(idx)
        with self._lock:
            if len(self._derived) >= self.MAX_DERIVED:
                self._derived.clear()
            self._derived[slot] = value
        return value


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws


def get_index(request: Request) -> NetworkIndex:
    cache: IndexCache = request.app.state.index_cache
    return cache.get(request.app.state.workspace)


def get_cache(request: Request) -> IndexCache:
    cache: IndexCache = request.app.state.index_cache
    return cache


SettingsDep = Annotated[Settings, Depends(get_settings)]
WorkspaceDep = Annotated[Workspace, Depends(get_workspace)]
IndexDep = Annotated[NetworkIndex, Depends(get_index)]
CacheDep = Annotated[IndexCache, Depends(get_cache)]
Viewer = Annotated[User, Depends(require(UserRole.VIEWER))]
Editor = Annotated[User, Depends(require(UserRole.EDITOR))]
Admin = Annotated[User, Depends(require(UserRole.ADMIN))]


def render(
    request: Request,
    template: str,
    user: User | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a page; every page gets the user, the CSRF token and the navigation."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        template,
        {
            "user": user,
            "csrf_token": csrf_token(request),
            "nav": request.app.state.nav,
            **context,
        },
        status_code=status_code,
    )
