"""Web fixtures: an app on the per-test database (SQLite, and PostgreSQL when set), with
one user per role, and clients logged in through the real login form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from raretrace.domain.users import UserRole
from raretrace.settings import Settings
from raretrace.web.app import create_app

PASSWORD = "correct horse battery"
ROLES = ("viewer", "editor", "admin")


@pytest.fixture
def app(settings: Settings, tiny_bundle: Path) -> Iterator[FastAPI]:
    application = create_app(settings)
    ws = application.state.workspace
    for role in ROLES:
        ws.users.create(role, UserRole(role), PASSWORD, actor="test")
    ws.import_bundle(tiny_bundle)
    yield application
    ws.close()


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def new_client(app: FastAPI) -> TestClient:
    # https: the session cookie is Secure, so the client only sends it over https.
    return TestClient(app, base_url="https://testserver")


@pytest.fixture
def anon(app: FastAPI) -> TestClient:
    return new_client(app)


@pytest.fixture
def viewer(app: FastAPI) -> TestClient:
    return login(new_client(app), "viewer")


@pytest.fixture
def editor(app: FastAPI) -> TestClient:
    return login(new_client(app), "editor")


@pytest.fixture
def admin(app: FastAPI) -> TestClient:
    return login(new_client(app), "admin")


def page_csrf(client: TestClient, path: str = "/") -> str:
    return csrf_from(client.get(path).text)
