"""The one settings object. Built by entry points and tests; never at import time."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """raretrace configuration, read from ``RARETRACE_*`` environment variables.

    Every field is documented in ``docs/settings.md`` (a test checks that the list is
    complete).
    """

    model_config = SettingsConfigDict(env_prefix="RARETRACE_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./raretrace.db"
    """SQLAlchemy URL of the workspace database. SQLite file by default; PostgreSQL
    with ``postgresql+psycopg://user:pass@host/db`` (``postgres://`` is accepted)."""

    rules_dir: Path | None = None
    """Extra folder of user rule packs (YAML), read in addition to the shipped ones."""

    practice_threshold: float | None = None
    """Your practice threshold for trace amounts of Dy + Tb (mass fraction, e.g. 0.001 =
    0.1 %). A magnet whose recorded test report is at or below it is reported as
    "usually exported without a licence in practice" (still controlled under the text,
    flagged uncertain); unset, trace verdicts follow the text. No official threshold
    exists (regime.md 9.1 row 8: vendor practice, grade C)."""

    cache_dir: Path | None = None
    """Folder for derived data that can be rebuilt, such as the compiled supply network
    (one subfolder per database). Unset: ``<file>.cache/`` next to a SQLite file, and
    ``$XDG_CACHE_HOME/raretrace`` (``~/.cache/raretrace``) for PostgreSQL, so that every
    worker of ``raretrace serve`` on one host maps the same compiled arrays."""

    echo_sql: bool = False
    """Log every SQL statement (debugging)."""

    web_host: str = "127.0.0.1"
    """Address ``raretrace serve`` listens on."""

    web_port: int = 8000
    """Port ``raretrace serve`` listens on."""

    web_secret_key: str | None = None
    """Key that signs session cookies (e.g. from a secret store). When unset, the key
    file ``web_secret_key_file`` holds it."""

    web_secret_key_file: Path | None = None
    """File holding the session-signing key, created with a random key on first use,
    owner-only (0600); never in the database. Unset: ``<database file>.key`` beside a
    SQLite database, ``<cache folder>/session.key`` for PostgreSQL. Rotate with
    ``raretrace users rotate-session-key``."""

    web_cookie_secure: bool = True
    """Send the session cookie only over HTTPS (browsers also accept it on localhost)."""

    web_session_hours: float = 8.0
    """How long a login lasts."""

    web_max_upload_mb: float = 20.0
    """Largest bundle upload accepted, in MiB (a zip may unpack to ten times this)."""

    web_login_attempts: int = 5
    """Failed logins allowed per user name and client address per window (per process)."""

    web_login_window_s: int = 300
    """Length of the login rate-limit window, in seconds."""

    web_login_attempts_per_user: int = 20
    """Failed logins allowed per user name per window from all addresses together (per
    process), so that changing the client address does not reset the count."""

    web_trusted_proxies: list[str] = []
    """Addresses of reverse proxies in front of the app (JSON list in the environment
    variable, e.g. ``["127.0.0.1"]``). Only requests arriving from one of them have their
    ``X-Forwarded-For`` / ``X-Forwarded-Proto`` headers believed; empty (the default):
    never, so a client cannot pick its own address to dodge the login rate limit."""

    licence_review_working_days: int = 45
    """Working days MOFCOM has to decide a licence application (widely cited; the
    article was not found). Used for every rule pack not listed below."""

    licence_review_days_by_pack: dict[str, int] = {}
    """Review working days per rule-pack id, e.g. ``{"ann-2025-18": 45}`` (JSON in the
    environment variable)."""

    fixed_now: datetime | None = None
    """Freeze "now" at this moment (ISO 8601 with a zone, e.g. ``2026-12-06T04:00:00Z``)
    for reproducible runs, demos and tests. Unset: the system clock. Every date and
    time raretrace uses comes from this one clock; regime dates are days in China
    Standard Time."""

    cjk_font_path: Path | None = None
    """TrueType CJK font (.ttf or .ttc) to embed in licence packet PDFs. Unset: the first
    installed Debian font (fonts-arphic-uming, fonts-wqy-*), else the non-embedded
    STSong-Light."""

    screening_alert_webhook: str | None = None
    """URL that receives an HTTP POST (JSON) when a list refresh finds new open screening
    hits (``raretrace lists refresh``). Unset: no webhook."""

    screening_alert_email_to: list[str] = []
    """Addresses e-mailed when a list refresh finds new open screening hits (JSON list in
    the environment variable, e.g. ``["compliance@example.com"]``). Empty: no e-mail."""

    screening_alert_email_from: str = "raretrace@localhost"
    """Sender address of screening alert e-mails."""

    smtp_host: str = "localhost"
    """SMTP server that sends screening alert e-mails."""

    smtp_port: int = 25
    """Port of the SMTP server (587 with ``smtp_starttls``)."""

    smtp_username: str | None = None
    """SMTP login name; unset: no login."""

    smtp_password: str | None = None
    """SMTP password (with ``smtp_username``)."""

    smtp_starttls: bool = False
    """Upgrade the SMTP connection with STARTTLS before logging in."""

    screening_alert_timeout_s: float = 10.0
    """Seconds to wait for the webhook or the SMTP server before reporting the alert as
    failed."""

    def cache_root(self) -> Path:
        """``cache_dir``, else the user's cache folder (``$XDG_CACHE_HOME/raretrace``)."""
        if self.cache_dir is not None:
            return self.cache_dir
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(xdg) / "raretrace"

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, value: str) -> str:
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value
