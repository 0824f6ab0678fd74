"""Dependency aliases for route handlers (``Annotated``), and the per-app caches."""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import Annotated, Any, TypeVar, cast

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from raretrace.domain.users import User, UserRole
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.settings import Settings
from raretrace.web.auth import csrf_token, require
from raretrace.workspace import Workspace

T = TypeVar("T")


class IndexCache:
    """The ``NetworkIndex`` of the newest revision (``Workspace.network_index()``: arrays
    mapped from the shared disk cache), shared by all requests of one process, and the
    views derived from it per revision."""

    MAX_DERIVED = 256

    def __init__(self) -> None:
        self._lock = Lock()
        self._build_lock = Lock()
        self._computing: dict[tuple[int, str], Lock] = {}
        self._index: NetworkIndex | None = None
        self._derived: dict[tuple[int, str], object] = {}
        self._latest: dict[str, tuple[object, object]] = {}

    def get(self, ws: Workspace, revision: int | None = None) -> NetworkIndex:
        """The index of ``revision`` (read from the workspace when not given)."""
        if revision is None:
            revision = ws.revision()
        with self._lock:
            if self._index is not None and self._index.revision == revision:
                return self._index
        # One thread builds; concurrent requests for the same revision wait for it
        # instead of each loading the whole network (at 1M parts a copy is gigabytes).
        with self._build_lock:
            with self._lock:
                if self._index is not None and self._index.revision == revision:
                    return self._index
            # Array-backed and mapped from the workspace's cache folder: the tables of a
            # revision are read from the database once per host, not once per worker,
            # and a look-up builds only the records it returns.
            index = ws.network_index()
            with self._lock:
                self._index = index
                self._derived = {k: v for k, v in self._derived.items() if k[0] == index.revision}
        return index

    def current(self, revision: int) -> NetworkIndex | None:
        """The index if it is already built for ``revision``."""
        with self._lock:
            index = self._index
        return index if index is not None and index.revision == revision else None

    def derived(self, idx: NetworkIndex, key: str, compute: Callable[[NetworkIndex], T]) -> T:
        """``compute(idx)``, remembered for this revision (views built from the index)."""
        slot = (idx.revision, key)
        with self._lock:
            if slot in self._derived:
                return cast(T, self._derived[slot])
            gate = self._computing.setdefault(slot, Lock())
        with gate:  # the same view asked for by concurrent requests is computed once
            try:
                with self._lock:
                    if slot in self._derived:
                        return cast(T, self._derived[slot])
                value = compute(idx)
                with self._lock:
                    if len(self._derived) >= self.MAX_DERIVED:
                        self._derived.clear()
                    self._derived[slot] = value
            finally:
                with self._lock:  # also when compute raised: no gate left behind
                    self._computing.pop(slot, None)
        return value

    def peek(self, name: str, key: object) -> object | None:
        """What ``latest`` holds under ``name`` if it was computed for ``key``."""
        with self._lock:
            slot = self._latest.get(name)
        return slot[1] if slot is not None and slot[0] == key else None

    def latest(self, name: str, key: object, compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``name`` for as long as ``key`` stays the same
        (one slot per name: a view keyed by the data version as well as the revision)."""
        with self._lock:
            slot = self._latest.get(name)
            if slot is not None and slot[0] == key:
                return cast(T, slot[1])
        value = compute()
        with self._lock:
            self._latest[name] = (key, value)
        return value


def request_versions(request: Request) -> tuple[int, int]:
    """(network revision, data version) as read for this request (by the authentication
    dependency), else read now."""
    versions = getattr(request.state, "versions", None)
    if versions is None:
        versions = request.app.state.workspace.versions()
        request.state.versions = versions
    return cast(tuple[int, int], versions)


# The cheap dependencies are ``async``: FastAPI runs a plain ``def`` dependency in the
# thread pool, a hop that costs more than the work here.


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_workspace(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws


async def get_index(request: Request) -> NetworkIndex:
    """The index of this request's revision: from memory, else built in the thread pool."""
    cache: IndexCache = request.app.state.index_cache
    versions = getattr(request.state, "versions", None)
    if versions is not None:
        hit = cache.current(versions[0])
        if hit is not None:
            return hit
    return await run_in_threadpool(
        lambda: cache.get(request.app.state.workspace, request_versions(request)[0])
    )


async def get_cache(request: Request) -> IndexCache:
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
