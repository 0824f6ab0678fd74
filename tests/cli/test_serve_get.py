"""``raretrace serve --get PATH``: one request through the whole web app, no server."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from raretrace.cli import app
from raretrace.domain.users import UserRole
from raretrace.services.users import accounts as user_service
from raretrace.settings import Settings
from raretrace.workspace import Workspace

runner = CliRunner()


def test_get_pages_and_api_in_process(db_url: str) -> None:
    ws = Workspace.open(Settings(database_url=db_url))
    try:
        ws.load_sample()
        with ws._uow() as uow:
            user_service.create_user(
                uow,
                username="alice",
                role=UserRole.VIEWER,
                password="correct horse battery",
                actor="t",
            )
    finally:
        ws.close()
    res = runner.invoke(app, ["serve", "--get", "/healthz", "--db", db_url])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["status"] == "ok"
    # no user: the API refuses, and the exit code says so
    res = runner.invoke(app, ["serve", "--get", "/api/v1/parts?limit=2", "--db", db_url])
    assert res.exit_code == 1 and "HTTP 401" in res.output
    # as alice: the same JSON a browser's twin gets, through auth and middleware
    res = runner.invoke(
        app, ["serve", "--get", "/api/v1/parts?limit=2", "--as", "alice", "--db", db_url]
    )
    assert res.exit_code == 0, res.output
    body = json.loads(res.stdout)
    assert body["total"] == 503 and len(body["items"]) == 2  # sample world parts
    # an HTML page renders too
    res = runner.invoke(app, ["serve", "--get", "/parts/MAG-EPS", "--as", "alice", "--db", db_url])
    assert res.exit_code == 0, res.output
    assert "<html" in res.stdout.lower() and "MAG-EPS" in res.stdout
    # the one-off tokens were revoked again
    ws = Workspace.open(Settings(database_url=db_url))
    try:
        with ws._uow() as uow:
            tokens = user_service.list_tokens(uow, "alice")
    finally:
        ws.close()
    assert len(tokens) == 2 and all(t.revoked_at is not None for t in tokens)
    res = runner.invoke(app, ["serve", "--get", "/healthz", "--as", "nobody", "--db", db_url])
    assert res.exit_code == 3 and "Traceback" not in res.output
    res = runner.invoke(app, ["serve", "--as", "alice", "--db", db_url])
    assert res.exit_code == 2
