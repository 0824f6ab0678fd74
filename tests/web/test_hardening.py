"""Security and reliability fixes of issue #17; each test failed before its fix."""

from __future__ import annotations

import io
import json
import stat
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import uvicorn
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.factories import TINY, write_bundle_files
from tests.web.conftest import PASSWORD, csrf_from, login, new_client, page_csrf
from typer.testing import CliRunner

from raretrace.cli import app as cli
from raretrace.cli.serve import uvicorn_options
from raretrace.domain.users import UserRole
from raretrace.errors import StorageError
from raretrace.services.users import accounts as user_service
from raretrace.settings import Settings
from raretrace.web.app import create_app
from raretrace.web.routes.imports import staging_root
from raretrace.workspace import Workspace


def _try_login(app: FastAPI, username: str, password: str = PASSWORD) -> int:
    client = new_client(app)
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    return response.status_code


def test_parallel_logins_never_fail_with_a_locked_database(app: FastAPI) -> None:
    # 20 logins at once: each verifies a password then writes an audit entry. A read
    # transaction upgraded to a write after argon2 failed with "database is locked".
    names = ["admin", "editor", "viewer"] * 7
    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(lambda n: _try_login(app, n), names[:20]))
    assert codes == [303] * 20
    with app.state.workspace._uow() as uow:
        logins = [e for e in user_service.audit_log(uow, limit=1000) if e.action == "login"]
    assert len(logins) == 20


def _settings_app(settings: Settings, **changes: object) -> FastAPI:
    application = create_app(settings.model_copy(update=changes))
    return application


def _fail_login(client: TestClient | httpx.Client, headers: dict[str, str]) -> httpx.Response:
    token = csrf_from(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": "admin", "password": "wrong password!", "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )


@pytest.mark.no_faketime
def test_spoofed_forwarded_for_does_not_reset_the_login_limit(
    app: FastAPI, settings: Settings
) -> None:
    # A real uvicorn on loopback with the options `raretrace serve` uses: uvicorn's own
    # proxy-header handling trusted X-Forwarded-For from 127.0.0.1, so a new spoofed
    # address per try dodged the per-address limit.
    served = _settings_app(settings, web_cookie_secure=False, web_login_attempts_per_user=1000)
    config = uvicorn.Config(served, host="127.0.0.1", port=0, **uvicorn_options())
    config.log_level = "warning"
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("uvicorn did not start")
            thread.join(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            limit = settings.web_login_attempts
            codes = [
                _fail_login(client, {"X-Forwarded-For": f"10.0.0.{i}"}).status_code
                for i in range(limit)
            ]
            assert codes == [401] * limit
            refused = _fail_login(client, {"X-Forwarded-For": "10.9.9.9"})
            assert refused.status_code == 429
            assert int(refused.headers["Retry-After"]) > 0
    finally:
        server.should_exit = True
        thread.join(10)
        served.state.workspace.close()


def test_per_user_login_cap_holds_across_addresses(app: FastAPI, settings: Settings) -> None:
    # Behind a configured proxy every try may come from a new address: the per-user
    # cap still stops the guessing, and says when to come back.
    served = _settings_app(
        settings,
        web_trusted_proxies=["testclient"],
        web_login_attempts=3,
        web_login_attempts_per_user=6,
    )
    try:
        client = new_client(served)
        codes = [
            _fail_login(client, {"X-Forwarded-For": f"10.0.0.{i}"}).status_code for i in range(6)
        ]
        assert codes == [401] * 6
        refused = _fail_login(client, {"X-Forwarded-For": "10.0.1.1"})
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        with served.state.workspace._uow() as uow:
            sources = {
                e.detail
                for e in user_service.audit_log(uow, limit=50)
                if e.action == "login.failed"
            }
        assert sources == {f"from 10.0.0.{i}" for i in range(6)}  # the proxy's word
    finally:
        served.state.workspace.close()


def test_forwarded_for_is_ignored_without_a_trusted_proxy(app: FastAPI) -> None:
    client = new_client(app)
    for i in range(5):
        assert _fail_login(client, {"X-Forwarded-For": f"10.0.0.{i}"}).status_code == 401
    refused = _fail_login(client, {"X-Forwarded-For": "10.0.0.99"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    with app.state.workspace._uow() as uow:
        details = {e.detail for e in user_service.audit_log(uow) if e.action == "login.failed"}
    assert details == {"from testclient"}


def test_logout_ends_a_copied_session(app: FastAPI) -> None:
    browser = login(new_client(app), "editor")
    thief = new_client(app)
    thief.cookies.update(browser.cookies)
    assert thief.get("/api/v1/me").status_code == 200
    token = page_csrf(browser)
    assert (
        browser.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert thief.get("/api/v1/me").status_code == 401


def test_role_change_and_deactivation_end_sessions(app: FastAPI) -> None:
    editor = login(new_client(app), "editor")
    copy = new_client(app)
    copy.cookies.update(editor.cookies)
    ws = app.state.workspace
    with ws._uow(write=True) as uow:
        user_service.set_role(uow, "editor", UserRole.VIEWER, actor="test")
    assert editor.get("/api/v1/me").status_code == 401
    assert copy.get("/api/v1/me").status_code == 401
    viewer = login(new_client(app), "viewer")
    with ws._uow(write=True) as uow:
        user_service.set_active(uow, "viewer", False, actor="test")
    assert viewer.get("/api/v1/me").status_code == 401


def test_database_file_is_created_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "private.db"
    ws = Workspace.open(Settings(database_url=f"sqlite:///{path}"))
    try:
        with ws._uow(write=True) as uow:
            user_service.create_user(
                uow, username="a", role=UserRole.ADMIN, password=PASSWORD, actor="t"
            )
    finally:
        ws.close()
    for p in tmp_path.iterdir():  # the database and its -wal/-shm files
        assert stat.S_IMODE(p.stat().st_mode) & 0o077 == 0, p


def test_staging_folder_is_private_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    root = staging_root()
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    root.chmod(0o777)
    assert stat.S_IMODE(staging_root().stat().st_mode) == 0o700
    root.rmdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root.symlink_to(elsewhere)  # planted by someone else in a shared /tmp
    with pytest.raises(StorageError, match="not a folder owned by this user"):
        staging_root()


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_line_separator_in_a_name_does_not_reach_the_charts(
    app: FastAPI, viewer: TestClient, tmp_path: Path
) -> None:
    files = dict(TINY)
    files["parts.csv"] = TINY["parts.csv"].replace("Example car", "Example\u2028car")
    app.state.workspace.import_bundle(write_bundle_files(tmp_path / "ls", files))
    page = BeautifulSoup(viewer.get("/").text, "html.parser")
    specs = [json.loads(s.text) for s in page.select('script[type="application/json"]')]
    assert specs
    texts = [t for spec in specs for t in _strings(spec)]
    assert any("Example car" in t for t in texts)
    assert not any("\u2028" in t or "\u2029" in t for t in texts)


@pytest.mark.parametrize("bad", ["XMAG/../../admin", "A?b=1", "C#frag", ".."])
def test_ids_that_would_break_links_are_refused_at_import(
    editor: TestClient, tmp_path: Path, bad: str
) -> None:
    files = {k: v.replace("MAGNET", bad) for k, v in TINY.items()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    token = page_csrf(editor, "/import")
    r = editor.post(
        "/api/v1/import",
        headers={"X-CSRF-Token": token},
        files={"file": ("bad.zip", buf.getvalue(), "application/zip")},
    )
    assert r.status_code == 422
    located = [p for p in r.json()["problems"] if p["column"] == "part_id"]
    assert located and located[0]["file"] == "parts.csv" and located[0]["row"] == 3
    assert editor.get("/api/v1/parts/MAGNET").status_code == 200  # nothing written


def test_uploaded_list_source_is_the_file_name_not_a_server_path(editor: TestClient) -> None:
    token = page_csrf(editor, "/screening")
    listed = "id,name,name_zh,aliases,country,address,programs,remarks\nT-1,X Co,,,JP,,CL,t\n"
    r = editor.post(
        "/screening/lists",
        data={"csrf_token": token, "fmt": "mofcom", "list_name": "Uploaded"},
        files={"file": ("mofcom-2026-12.csv", listed.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:300]
    lists = editor.get("/api/v1/screening").json()["lists"]
    assert [v["source"] for v in lists] == ["mofcom-2026-12.csv"]
    audit = editor.get("/screening/audit.csv")
    assert audit.status_code == 200 and "mofcom-2026-12.csv" in audit.text
    assert "raretrace-list-" not in audit.text


@pytest.mark.parametrize(
    ("path", "status"),
    [("/admin/users", 403), ("/parts/NOPE", 404), ("/no/such/page", 404),
     ("/screening/hits/not-a-number", 422)],
)  # fmt: skip
def test_error_pages_keep_the_navigation(viewer: TestClient, path: str, status: int) -> None:
    r = viewer.get(path, headers={"Accept": "text/html"})
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    page = BeautifulSoup(r.text, "html.parser")
    assert page.select_one("nav.mainnav a[href='/']") is not None
    assert "viewer" in page.select_one(".who").text


def test_api_errors_stay_json(viewer: TestClient) -> None:
    for path, status in (("/api/v1/no/such", 404), ("/api/v1/screening/hits/x", 422)):
        r = viewer.get(path)
        assert r.status_code == status and r.headers["content-type"] == "application/json"


def test_audit_log_pages_and_failed_logins_do_not_hide_changes(
    app: FastAPI, admin: TestClient
) -> None:
    ws = app.state.workspace
    with ws._uow(write=True) as uow:
        user_service.set_role(uow, "viewer", UserRole.EDITOR, actor="admin")
    anon = new_client(app)
    for _ in range(4):  # anyone can add these, without an account
        assert _fail_login(anon, {}).status_code in (401, 429)
    page = BeautifulSoup(admin.get("/admin/users").text, "html.parser")
    assert "user.set_role" in page.select_one("#audit").text
    assert "login.failed" not in page.select_one("#audit").text
    # the whole log, three at a time, newest first, without gaps or repeats
    seen: list[int] = []
    before = None
    while True:
        q = {"limit": 3} | ({"before": before} if before else {})
        body = admin.get("/api/v1/audit/page", params=q).json()
        seen += [e["entry_id"] for e in body["entries"]]
        before = body["next_before"]
        if before is None:
            break
    with ws._uow() as uow:
        every = [e.entry_id for e in user_service.audit_log(uow, limit=10_000)]
    assert seen == every and len(every) > 6
    html = BeautifulSoup(admin.get("/admin/audit?limit=3").text, "html.parser")
    assert len(html.select("#audit tbody tr")) == 3
    older = html.select_one("#older")["href"]
    assert admin.get(older).status_code == 200
    only = admin.get("/api/v1/audit", params={"action": "login", "hide_failed_logins": "true"})
    assert {e["action"] for e in only.json()} == {"login"}


def test_password_change_ends_other_sessions_and_keeps_this_one(app: FastAPI) -> None:
    me = login(new_client(app), "editor")
    other = login(new_client(app), "editor")
    copy = new_client(app)
    copy.cookies.update(me.cookies)
    token = page_csrf(me, "/account")
    form = {"csrf_token": token, "current_password": "wrong one!!", "new_password": "n" * 12,
            "confirm_password": "n" * 12}  # fmt: skip
    assert me.post("/account/password", data=form).status_code == 422
    r = me.post("/account/password", data=form | {"current_password": PASSWORD})
    assert r.status_code == 200 and "password-changed" in r.text
    assert me.get("/api/v1/me").status_code == 200  # a fresh session for this browser
    assert other.get("/api/v1/me").status_code == 401
    assert copy.get("/api/v1/me").status_code == 401  # the old cookie is dead
    assert _try_login(app, "editor") == 401
    assert _try_login(app, "editor", "n" * 12) == 303
    api = me.post(
        "/api/v1/me/password",
        json={"current_password": "n" * 12, "new_password": "m" * 12},
        headers={"X-CSRF-Token": page_csrf(me)},
    )
    assert api.status_code == 204
    assert me.get("/api/v1/me").status_code == 401  # the API change ends every session


def test_cli_password_deactivate_and_token_revocation(tmp_path: Path) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'u.db'}"

    def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
        res = runner.invoke(cli, [*args, "--db", db], input=stdin)
        return res.exit_code, res.stdout + (res.stderr or "")

    assert run("users", "add", "ana", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")[0] == 0  # fmt: skip
    assert run("users", "add", "bo", "--password-stdin", stdin=PASSWORD + "\n")[0] == 0
    code, out = run("users", "token", "bo", "--json")
    secret, token_id = json.loads(out)["secret"], json.loads(out)["token_id"]
    ws = Workspace.open(Settings(database_url=db))
    try:
        with ws._uow() as uow:
            assert user_service.user_for_token(uow, secret) is not None
        assert run("users", "password", "bo", "--password-stdin", stdin="p" * 12 + "\n")[0] == 0
        with ws._uow() as uow:
            assert user_service.verify_password(uow.auth.user_by_name("bo"), "p" * 12)
        code, out = run("users", "tokens", "bo", "--json")
        assert [t["token_id"] for t in json.loads(out)] == [token_id]
        assert run("users", "revoke-token", str(token_id))[0] == 0
        with ws._uow() as uow:
            assert user_service.user_for_token(uow, secret) is None
        code, out = run("users", "deactivate", "bo", "--json")
        assert code == 0 and json.loads(out)[0]["active"] is False
        with ws._uow() as uow:
            assert user_service.verify_password(uow.auth.user_by_name("bo"), "p" * 12) is None
        code, out = run("users", "deactivate", "ana")
        assert code != 0 and "last active admin" in out
        assert run("users", "revoke-token", "999")[0] != 0
    finally:
        ws.close()
