"""The session-signing key is not in the database: whoever can read a database copy
must not be able to forge a login. It lives in an owner-only key file (or comes from
the environment), is shared by every worker and restart, and can be rotated."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import text
from tests.web.conftest import login, new_client
from typer.testing import CliRunner

from raretrace.cli import app as cli_app
from raretrace.errors import StorageError
from raretrace.settings import Settings
from raretrace.web.app import create_app
from raretrace.web.session_key import key_path, session_key
from raretrace.workspace import Workspace


def _signing_key(app: FastAPI) -> str:
    for m in app.user_middleware:
        if m.cls.__name__ == "SessionMiddleware":
            return str(m.kwargs["secret_key"])
    raise AssertionError("no session middleware")


def test_key_is_in_an_owner_only_file_not_in_the_database(app: FastAPI) -> None:
    ws: Workspace = app.state.workspace
    key = _signing_key(app)
    path = key_path(ws)
    assert path is not None and path.read_text(encoding="ascii").strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with ws.engine.connect() as conn:
        stored = [v for (v,) in conn.execute(text("SELECT value FROM rt_meta"))]
    assert key not in stored
    if ws.engine.url.get_backend_name() == "sqlite":
        assert ws.engine.url.database is not None
        assert key.encode() not in Path(ws.engine.url.database).read_bytes()


def test_every_worker_and_restart_signs_with_the_same_key(app: FastAPI) -> None:
    ws: Workspace = app.state.workspace
    second = create_app(ws.settings)  # another worker, or the app after a restart
    try:
        assert _signing_key(second) == _signing_key(app)
        # a cookie from one worker is good on the other
        client = login(new_client(app), "viewer")
        other = new_client(second)
        other.cookies.update(client.cookies)
        assert other.get("/api/v1/me").json()["username"] == "viewer"
    finally:
        second.state.workspace.close()


def test_a_key_file_others_can_read_is_refused(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "open.key"
    path.write_text("k" * 64, encoding="ascii")
    path.chmod(0o644)
    with Workspace.open(settings.model_copy(update={"web_secret_key_file": path})) as ws:
        with pytest.raises(StorageError, match="can be read by other users"):
            session_key(ws)
        path.chmod(0o600)
        assert session_key(ws) == "k" * 64


def test_the_environment_key_wins(settings: Settings) -> None:
    with Workspace.open(settings.model_copy(update={"web_secret_key": "x" * 40})) as ws:
        assert session_key(ws) == "x" * 40


def test_rotate_writes_a_new_key_and_old_cookies_stop_working(app: FastAPI) -> None:
    ws: Workspace = app.state.workspace
    client = login(new_client(app), "viewer")
    before = _signing_key(app)
    db = ws.settings.database_url
    result = CliRunner().invoke(cli_app, ["users", "rotate-session-key", "--db", db])
    assert result.exit_code == 0, result.output
    path = key_path(ws)
    assert path is not None and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    restarted = create_app(ws.settings)
    try:
        assert _signing_key(restarted) != before
        stale = new_client(restarted)
        stale.cookies.update(client.cookies)
        assert stale.get("/api/v1/me").status_code == 401
        assert [e.action for e in ws.users.audit_log(limit=1)] == ["session_key.rotate"]
    finally:
        restarted.state.workspace.close()
