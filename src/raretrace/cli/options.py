"""Options shared by every command, and how a command gets its Workspace."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from raretrace.settings import Settings
from raretrace.workspace import Workspace

Db = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $RARETRACE_DATABASE_URL or sqlite:///./raretrace.db).",
        show_default=False,
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def settings_for(db: str | None) -> Settings:
    return Settings(database_url=db) if db else Settings()


@contextmanager
def open_workspace(db: str | None) -> Iterator[Workspace]:
    """The workspace for one command; its connections are closed afterwards."""
    ws = Workspace.open(settings_for(db))
    try:
        yield ws
    finally:
        ws.close()
