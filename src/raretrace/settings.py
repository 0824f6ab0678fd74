"""The one settings object. Built by entry points and tests; never at import time."""

from __future__ import annotations

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

    echo_sql: bool = False
    """Log every SQL statement (debugging)."""

    @field_validator("database_url")
    @classmethod
    def _normalise_url(cls, value: str) -> str:
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value
