"""Shared fixtures.

Fixture policy (read before adding one):

- Real databases only. ``db_url`` gives a fresh SQLite file per test and, when
  ``RARETRACE_TEST_POSTGRES_URL`` is set, the same test again on PostgreSQL in a fresh
  schema (dropped afterwards). Tests that take ``db_url`` (or ``settings`` /
  ``workspace``) therefore run on both back ends with no extra code.
- Settings are built per test (``settings`` fixture); nothing global is mutated.
- Use the smallest data that shows the behaviour: ``tiny_bundle`` writes a 7-file
  bundle of a few rows into ``tmp_path``; build special cases inline from
  ``factories.TINY`` (import helpers from ``factories``, never from ``conftest``:
  there is more than one conftest module).
"""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from factories import TEST_NOW, TINY, write_bundle_files
from raretrace.settings import Settings
from raretrace.workspace import Workspace

PG_ENV = "RARETRACE_TEST_POSTGRES_URL"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def _pg_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    return Settings(database_url=url).database_url


#: The moment every test runs at (``Settings.fixed_now``): Sunday 6 Dec 2026, 12:00 in
#: Beijing. Tests never read the wall clock, so they pass on any day; CI also runs the
#: suite under faketime two years ahead to prove it.


@pytest.fixture(autouse=True)
def _collect_garbage() -> Iterator[None]:
    """Collect after every test, so that a connection a test left open is reported as
    that test's error (unraisable warnings are errors here), not a later test's."""
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Settings built in a test (CLI and web included) freezes the clock."""
    monkeypatch.setenv("RARETRACE_FIXED_NOW", TEST_NOW.isoformat())


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Derived caches (the compiled network) go to the test's own folder, not to
    ``~/.cache`` (PostgreSQL) where tests would leave them behind."""
    monkeypatch.setenv("RARETRACE_CACHE_DIR", str(tmp_path / "rt-cache"))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    base = _pg_url()
    if base is None:
        pytest.skip(f"{PG_ENV} is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url)


@pytest.fixture
def workspace(settings: Settings) -> Iterator[Workspace]:
    ws = Workspace.open(settings)
    yield ws
    ws.close()


@pytest.fixture
def tiny_bundle(tmp_path: Path) -> Path:
    """A small, valid bundle folder (all seven tables)."""
    return write_bundle_files(tmp_path / "tiny", TINY)
