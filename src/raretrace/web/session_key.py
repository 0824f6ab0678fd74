"""The key that signs session cookies, kept OUT of the database.

Anyone holding the key can forge a cookie, so it must not be readable by whoever can
read the database file (a backup, a copy sent for support). In order:

1. ``Settings.web_secret_key`` (``RARETRACE_WEB_SECRET_KEY``), e.g. from a secret store;
2. the key file ``Settings.web_secret_key_file``, else ``<database file>.key`` beside a
   SQLite database, else ``session.key`` in the database's folder under the cache root
   (PostgreSQL). The first process that needs it creates it with a random key, owner-only
   (0600), atomically, so that every worker and restart on the host uses the same key.
   A key file that other users may read, or that another user owns, is refused;
3. an in-memory database gets a random key per process.

``rotate`` writes a new key: every session cookie signed with the old one stops working
once the app restarts (everybody logs in again). Several hosts serving one PostgreSQL
database need the same key: set ``RARETRACE_WEB_SECRET_KEY`` or point
``web_secret_key_file`` at one shared file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from raretrace.errors import StorageError
from raretrace.workspace import Workspace

KEY_FILE = "session.key"
_KEY_BYTES = 48


def key_path(ws: Workspace) -> Path | None:
    """Where this workspace's key file is (``None``: an in-memory database)."""
    if ws.settings.web_secret_key_file is not None:
        return ws.settings.web_secret_key_file
    url = ws.engine.url
    if url.get_backend_name() == "sqlite":
        db = url.database
        if not db or db == ":memory:" or db.startswith("file::memory:"):
            return None
        return Path(db + ".key")
    folder = ws.cache_dir()
    return None if folder is None else folder / KEY_FILE


def session_key(ws: Workspace) -> str:
    """The cookie-signing key (see the module docstring), created on first use."""
    if ws.settings.web_secret_key:
        return ws.settings.web_secret_key
    path = key_path(ws)
    if path is None:
        return secrets.token_urlsafe(_KEY_BYTES)
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    _write(path, secrets.token_urlsafe(_KEY_BYTES), replace=False)
    return _read(path)  # ours, or the one a concurrent worker linked first


def rotate(ws: Workspace) -> Path:
    """Replace the key file with a new random key; returns its path. Running workers
    keep the old key until they restart."""
    if ws.settings.web_secret_key:
        raise StorageError(
            "the session key comes from RARETRACE_WEB_SECRET_KEY; change it there to rotate"
        )
    path = key_path(ws)
    if path is None:
        raise StorageError("an in-memory database has no key file (a new key per process)")
    _write(path, secrets.token_urlsafe(_KEY_BYTES), replace=True)
    return path


def _read(path: Path) -> str:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            raise StorageError(f"session key file {path} is not a file owned by this user")
        if info.st_mode & 0o077:
            raise StorageError(
                f"session key file {path} can be read by other users "
                f"(mode {stat.S_IMODE(info.st_mode):04o}); run `chmod 600 {path}`, or "
                "`raretrace users rotate-session-key` if it may have been copied"
            )
        with os.fdopen(fd, "r", encoding="ascii", closefd=False) as fh:
            key = fh.read().strip()
    finally:
        os.close(fd)
    if len(key) < 32:
        raise StorageError(
            f"session key file {path} holds no key (at least 32 characters); delete it "
            "or run `raretrace users rotate-session-key`"
        )
    return key


def _write(path: Path, key: str, *, replace: bool) -> None:
    """Write ``key`` to a private temporary file beside ``path``, then link it into
    place: atomically, and (unless ``replace``) only if no key file exists yet."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(key + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            if replace:
                os.replace(tmp, path)
            else:
                with contextlib.suppress(FileExistsError):
                    os.link(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    except OSError as exc:
        raise StorageError(f"cannot write the session key file {path}: {exc.strerror}") from None
