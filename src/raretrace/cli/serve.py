"""``raretrace serve`` (the web app under uvicorn) and ``raretrace users ...``."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Annotated, Any

import typer

from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, open_workspace, settings_for
from raretrace.domain.users import User, UserRole
from raretrace.settings import Settings
from raretrace.workspace import Workspace

#: Seconds a worker may leave the supervisor's health ping unanswered (uvicorn: 5).
WORKER_HEALTHCHECK_S = 300


def _get_once(settings: Settings, path: str, as_user: str | None) -> None:
    """One GET through the whole app (middleware, auth, templates), no socket opened.

    ``--as`` issues an API token for the user, sends it as a bearer token and revokes it
    afterwards; both are recorded in the audit log like any token."""
    from fastapi.testclient import TestClient

    from raretrace.web.app import create_app

    if not path.startswith("/"):
        raise typer.BadParameter("PATH must start with /", param_hint="--get")
    with output.errors():
        app = create_app(settings)
        ws: Workspace = app.state.workspace
        token = None
        headers = {"accept": "application/json" if path.startswith("/api/") else "text/html"}
        try:
            if as_user is not None:
                token = ws.users.issue_token(as_user, "serve --get", actor=_actor())
                headers["authorization"] = f"Bearer {token.secret}"
            with TestClient(app, base_url="http://localhost") as client:
                response = client.get(path, headers=headers, follow_redirects=False)
        finally:
            if token is not None:
                ws.users.revoke_token(token.token.token_id, actor=_actor())
            ws.close()  # the app's lifespan closed it once; the revocation reopened it
    sys.stdout.write(response.text)
    if not response.text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()
    if response.status_code >= 400:
        output.err_console.print(f"GET {path}: HTTP {response.status_code}")
        raise typer.Exit(1)


users_app = typer.Typer(no_args_is_help=True, help="Web-app users, roles and API tokens.")


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def uvicorn_options() -> dict[str, Any]:
    """What every ``uvicorn.run`` of ``serve`` gets. uvicorn's proxy headers stay off:
    by default they trust ``X-Forwarded-For`` from loopback, which let a local client
    pick a new address per login attempt. The app believes the headers itself, only
    from ``Settings.web_trusted_proxies`` (``raretrace.web.auth.ClientAddress``)."""
    from raretrace.web.server import HTTP_PROTOCOL

    return {"proxy_headers": False, "log_level": "info", "http": HTTP_PROTOCOL}


def serve(
    db: Db = None,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default $RARETRACE_WEB_HOST).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (default $RARETRACE_WEB_PORT).")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    get: Annotated[
        str | None,
        typer.Option(
            "--get",
            help="Print the response to GET PATH (a page or /api/v1/...) without starting a "
            "server, then exit: 0 for a 2xx/3xx answer, 1 otherwise.",
        ),
    ] = None,
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="With --get: request as this user (a one-off API token)."),
    ] = None,
) -> None:
    """Serve the web app. Create the first admin with `raretrace users add NAME --role admin`.

    `--get PATH` answers one request in process, for scripts and tests:
    `raretrace serve --get /api/v1/parts/MAG-EPS --as alice`.
    """
    if get is not None:
        _get_once(settings_for(db), get, as_user)
        return
    if as_user is not None:
        raise typer.BadParameter("--as only goes with --get", param_hint="--as")
    import uvicorn

    settings = settings_for(db)
    with output.errors():
        Workspace.open(settings).close()  # migrate once, before any worker starts
    bind_host = host or settings.web_host
    bind_port = port or settings.web_port
    output.err_console.print(f"raretrace on http://{bind_host}:{bind_port}/ ({workers} worker(s))")
    if workers == 1:
        from raretrace.web.app import create_app

        with output.errors():
            app = create_app(settings, upgrade=False)
        uvicorn.run(
            app,
            host=bind_host,
            port=bind_port,
            **uvicorn_options(),
        )
        return
    # Worker processes import raretrace.web.asgi, which reads the settings from the
    # environment: hand the database URL down that way.
    os.environ["RARETRACE_DATABASE_URL"] = settings.database_url
    uvicorn.run(
        "raretrace.web.asgi:app",
        host=bind_host,
        port=bind_port,
        workers=workers,
        **uvicorn_options(),  # TCP_NODELAY on every connection (raretrace.web.server)
        # A worker's first request on a large network builds the compiled index for
        # tens of seconds in Python, so the supervisor's health ping (default 5 s) would
        # go unanswered and the worker be killed and restarted, again and again.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
    )


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, _ . @ -).")],
    role: Annotated[UserRole, typer.Option(help="viewer, editor or admin.")] = UserRole.VIEWER,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Add a user (asks for the password unless --password-stdin)."""
    password = _read_password(password_stdin)
    with output.errors(), open_workspace(db) as ws:
        user = ws.users.create(name, role, password, actor=_actor())
    _show([user], as_json)


@users_app.command("list")
def users_list(db: Db = None, as_json: AsJson = False) -> None:
    """List users and their roles."""
    with output.errors(), open_workspace(db) as ws:
        users = ws.users.all()
    _show(users, as_json)


@users_app.command("set-role")
def users_set_role(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[UserRole, typer.Argument(help="viewer, editor or admin.")],
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Change a user's role."""
    with output.errors(), open_workspace(db) as ws:
        user = ws.users.set_role(name, role, actor=_actor())
    _show([user], as_json)


@users_app.command("token")
def users_token(
    name: Annotated[str, typer.Argument(help="User name.")],
    label: Annotated[str, typer.Option("--label", help="What the token is for.")] = "script",
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Issue an API token for scripts (printed once; send as `Authorization: Bearer`)."""
    with output.errors(), open_workspace(db) as ws:
        issued = ws.users.issue_token(name, label, actor=_actor())
    if as_json:
        output.emit_json(
            {"token_id": issued.token.token_id, "name": label, "secret": issued.secret}
        )
        return
    output.console.print(issued.secret, markup=False, highlight=False, soft_wrap=True)


@users_app.command("password")
def users_password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the new password from standard input.")
    ] = False,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Set a user's password (asks for it unless --password-stdin); ends the user's
    web sessions."""
    password = _read_password(password_stdin)
    with output.errors(), open_workspace(db) as ws:
        user = ws.users.set_password(name, password, actor=_actor())
    _show([user], as_json)


@users_app.command("deactivate")
def users_deactivate(
    name: Annotated[str, typer.Argument(help="User name.")],
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Deactivate a user: no login, no API token works, web sessions end at once."""
    with output.errors(), open_workspace(db) as ws:
        user = ws.users.set_active(name, False, actor=_actor())
    _show([user], as_json)


@users_app.command("activate")
def users_activate(
    name: Annotated[str, typer.Argument(help="User name.")],
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Activate a deactivated user again."""
    with output.errors(), open_workspace(db) as ws:
        user = ws.users.set_active(name, True, actor=_actor())
    _show([user], as_json)


@users_app.command("tokens")
def users_tokens(
    name: Annotated[str | None, typer.Argument(help="User name (default: all users).")] = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """List API tokens (never their secrets)."""
    with output.errors(), open_workspace(db) as ws:
        owned = ws.users.owned_tokens(name)
    if as_json:
        output.emit_json(
            [
                {
                    "token_id": t.token_id,
                    "user": owner,
                    "name": t.name,
                    "prefix": t.prefix,
                    "created_at": t.created_at,
                    "last_used_at": t.last_used_at,
                    "revoked_at": t.revoked_at,
                }
                for t, owner in owned
            ]
        )
        return
    rows = [
        (
            str(t.token_id),
            owner,
            t.name,
            t.prefix + "…",
            f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "-",
            f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active",
        )
        for t, owner in owned
    ]
    output.console.print(
        output.table("API tokens", ["id", "user", "name", "prefix", "last used", "state"], rows)
    )


@users_app.command("revoke-token")
def users_revoke_token(
    token_id: Annotated[int, typer.Argument(help="Token id (see `users tokens`).")],
    db: Db = None,
) -> None:
    """Revoke an API token: requests with it are refused from now on."""
    with output.errors(), open_workspace(db) as ws:
        ws.users.revoke_token(token_id, actor=_actor())
    output.err_console.print(f"token {token_id} revoked")


@users_app.command("rotate-session-key")
def users_rotate_session_key(db: Db = None) -> None:
    """Write a new key for signing web session cookies (kept in a key file, never in
    the database); restart the server: everybody logs in again."""
    from raretrace.web.session_key import rotate

    with output.errors(), open_workspace(db) as ws:
        path = rotate(ws)
        ws.users.record(_actor(), "session_key.rotate", str(path))
    output.err_console.print(f"new session key written to {path}; restart `raretrace serve`")


def _show(users: list[User], as_json: bool) -> None:
    if as_json:
        output.emit_json(
            [{"username": u.username, "role": u.role, "active": u.active} for u in users]
        )
        return
    rows = [(u.username, u.role.value, "yes" if u.active else "no") for u in users]
    output.console.print(output.table("Users", ["user", "role", "active"], rows))
