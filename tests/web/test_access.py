"""Every page and API endpoint: 401 (API) or redirect (page) without login, 403 for a
role that is too low, 200 for one that is enough."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from web.conftest import login, new_client

#: (method, path, least role). Writes are covered in test_writes.py.
READS = [
    ("GET", "/", "viewer"),
    ("GET", "/parts", "viewer"),
    ("GET", "/parts/CAR", "viewer"),
    ("GET", "/products/CAR/network", "viewer"),
    ("GET", "/suppliers", "viewer"),
    ("GET", "/suppliers.csv", "viewer"),
    ("GET", "/suppliers.xlsx", "viewer"),
    ("GET", "/rates", "viewer"),
    ("GET", "/import", "editor"),
    ("GET", "/admin/users", "admin"),
    ("GET", "/api/v1/me", "viewer"),
    ("GET", "/api/v1/dashboard", "viewer"),
    ("GET", "/api/v1/parts", "viewer"),
    ("GET", "/api/v1/parts/CAR", "viewer"),
    ("GET", "/api/v1/products/CAR/network", "viewer"),
    ("GET", "/api/v1/suppliers", "viewer"),
    ("GET", "/api/v1/rates", "viewer"),
    ("GET", "/api/v1/users", "admin"),
    ("GET", "/api/v1/audit", "admin"),
]
RANK = {"viewer": 0, "editor": 1, "admin": 2}


@pytest.mark.parametrize(("method", "path", "least"), READS)
def test_reads_need_login(anon: TestClient, method: str, path: str, least: str) -> None:
    response = anon.request(method, path, follow_redirects=False)
    if path.startswith("/api/"):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(("method", "path", "least"), READS)
def test_reads_by_role(app, method: str, path: str, least: str) -> None:
    for role in ("viewer", "editor", "admin"):
        client = login(new_client(app), role)
        response = client.request(method, path)
        expected = 200 if RANK[role] >= RANK[least] else 403
        assert response.status_code == expected, (role, path, response.text[:200])


def test_health_needs_no_login(anon: TestClient) -> None:
    response = anon.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_bearer_token_works_for_scripts_and_is_revocable(
    admin: TestClient, anon: TestClient
) -> None:
    issued = admin.post(
        "/api/v1/users/viewer/tokens",
        json={"name": "nightly"},
        headers={"X-CSRF-Token": admin.cookies and _csrf(admin)},
    )
    assert issued.status_code == 201, issued.text
    secret = issued.json()["secret"]
    auth = {"Authorization": f"Bearer {secret}"}
    assert anon.get("/api/v1/me", headers=auth).json()["username"] == "viewer"
    # viewer token: no admin endpoints, no writes
    assert anon.get("/api/v1/users", headers=auth).status_code == 403
    token_id = issued.json()["token_id"]
    revoke = admin.delete(f"/api/v1/tokens/{token_id}", headers={"X-CSRF-Token": _csrf(admin)})
    assert revoke.status_code == 204
    assert anon.get("/api/v1/me", headers=auth).status_code == 401
    assert (
        anon.get("/api/v1/me", headers={"Authorization": "Bearer rt_nonsense"}).status_code == 401
    )


def _csrf(client: TestClient) -> str:
    from web.conftest import page_csrf

    return page_csrf(client)


def test_wrong_password_then_rate_limited(anon: TestClient) -> None:
    from web.conftest import csrf_from

    token = csrf_from(anon.get("/login").text)
    codes = []
    for _ in range(6):
        r = anon.post(
            "/login", data={"username": "viewer", "password": "nope", "csrf_token": token}
        )
        codes.append(r.status_code)
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    # even the right password is refused while limited
    r = anon.post(
        "/login",
        data={"username": "viewer", "password": "correct horse battery", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 429


def test_login_without_csrf_is_refused(anon: TestClient) -> None:
    anon.get("/login")
    r = anon.post("/login", data={"username": "viewer", "password": "correct horse battery"})
    assert r.status_code == 403


def test_login_redirect_stays_on_site(anon: TestClient) -> None:
    from web.conftest import PASSWORD, csrf_from

    token = csrf_from(anon.get("/login").text)
    r = anon.post(
        "/login",
        data={
            "username": "viewer",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/"


def test_logout_ends_session(viewer: TestClient) -> None:
    r = viewer.post("/logout", data={"csrf_token": _csrf(viewer)}, follow_redirects=False)
    assert r.status_code == 303
    assert viewer.get("/api/v1/me").status_code == 401


def test_session_cookie_flags(anon: TestClient) -> None:
    r = anon.get("/login")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "secure" in cookie
    assert "samesite=lax" in cookie
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"


def test_disabled_user_loses_access_at_once(app, admin: TestClient) -> None:
    editor = login(new_client(app), "editor")
    assert editor.get("/api/v1/me").status_code == 200
    r = admin.patch(
        "/api/v1/users/editor", json={"active": False}, headers={"X-CSRF-Token": _csrf(admin)}
    )
    assert r.status_code == 200
    assert editor.get("/api/v1/me").status_code == 401


def test_unknown_part_is_404_in_both_twins(viewer: TestClient) -> None:
    assert viewer.get("/parts/NOPE").status_code == 404
    assert viewer.get("/api/v1/parts/NOPE").json() == {"detail": "no part 'NOPE'"}
