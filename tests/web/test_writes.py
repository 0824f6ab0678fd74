"""Writes: CSRF on every cookie-authenticated write, roles, audit log, user admin."""

from __future__ import annotations

from fastapi.testclient import TestClient

from web.conftest import PASSWORD, login, new_client, page_csrf


def test_admin_creates_user_via_form_and_it_is_audited(app, admin: TestClient) -> None:
    token = page_csrf(admin, "/admin/users")
    r = admin.post(
        "/admin/users",
        data={
            "username": "dora",
            "password": "a long password",
            "role": "editor",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    dora = login(new_client(app), "dora", "a long password")
    assert dora.get("/api/v1/me").json()["role"] == "editor"
    audit = admin.get("/api/v1/audit").json()
    assert any(
        a["action"] == "user.create" and a["target"] == "dora" and a["actor"] == "admin"
        for a in audit
    )


def test_form_write_without_csrf_is_refused(admin: TestClient) -> None:
    r = admin.post("/admin/users", data={"username": "eve", "password": "a long password"})
    assert r.status_code == 403
    assert "CSRF" in r.text
    assert "eve" not in [u["username"] for u in admin.get("/api/v1/users").json()["users"]]


def test_api_write_with_cookie_needs_csrf_header(admin: TestClient) -> None:
    body = {"username": "eve", "password": "a long password", "role": "viewer"}
    assert admin.post("/api/v1/users", json=body).status_code == 403
    r = admin.post("/api/v1/users", json=body, headers={"X-CSRF-Token": page_csrf(admin)})
    assert r.status_code == 201
    assert r.json()["username"] == "eve"


def test_viewer_and_editor_cannot_manage_users(viewer: TestClient, editor: TestClient) -> None:
    for client in (viewer, editor):
        body = {"username": "mallory", "password": "a long password", "role": "admin"}
        r = client.post("/api/v1/users", json=body, headers={"X-CSRF-Token": page_csrf(client)})
        assert r.status_code == 403
        r = client.post(
            "/admin/users/viewer", data={"role": "admin", "csrf_token": page_csrf(client)}
        )
        assert r.status_code == 403


def test_role_change_and_last_admin_guard(admin: TestClient, app) -> None:
    token = page_csrf(admin, "/admin/users")
    r = admin.post(
        "/admin/users/viewer", data={"role": "editor", "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303
    users = {u["username"]: u for u in admin.get("/api/v1/users").json()["users"]}
    assert users["viewer"]["role"] == "editor"
    r = admin.patch("/api/v1/users/admin", json={"role": "viewer"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 422
    assert "last active admin" in r.json()["detail"]


def test_short_password_is_refused(admin: TestClient) -> None:
    r = admin.post(
        "/api/v1/users",
        json={"username": "shorty", "password": "short", "role": "viewer"},
        headers={"X-CSRF-Token": page_csrf(admin)},
    )
    assert r.status_code == 422


def test_token_page_shows_secret_once(admin: TestClient) -> None:
    token = page_csrf(admin, "/admin/users")
    r = admin.post("/admin/users/editor/tokens", data={"name": "ci", "csrf_token": token})
    assert r.status_code == 200
    assert 'id="new-token"' in r.text
    assert 'id="new-token"' not in admin.get("/admin/users").text


def test_password_change_ends_other_sessions(app, admin: TestClient) -> None:
    viewer = login(new_client(app), "viewer", PASSWORD)
    r = admin.patch(
        "/api/v1/users/viewer",
        json={"password": "another long one"},
        headers={"X-CSRF-Token": page_csrf(admin)},
    )
    assert r.status_code == 200
    assert viewer.get("/api/v1/me").status_code == 401
