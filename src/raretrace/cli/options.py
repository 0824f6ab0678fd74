"""Options shared by every command, and how a command gets its Workspace."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from raretrace.errors import InputError

if TYPE_CHECKING:  # imported when a command opens a workspace, not for `--help`
    from raretrace.domain.currency import ExchangeRates
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
RatesFile = Annotated[
    Path | None,
    typer.Option(
        "--rates",
        help="Exchange-rate CSV file (docs/rates.md) converting input values in other "
        "currencies for value shares; without rates such shares are unknown.",
        show_default=False,
    ),
]
RatesId = Annotated[
    int | None,
    typer.Option(
        "--rates-id",
        help="A rate table stored in the workspace (`raretrace rates list`) instead of a file.",
        show_default=False,
    ),
]


def who(by: str | None) -> str:
    """The actor recorded for a change: ``--by``, else the OS user."""
    if by:
        return by
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user database
        return "unknown"


def read_input(path: Path) -> bytes:
    """A file's bytes, or an ``InputError`` naming the file."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


def settings_for(db: str | None) -> Settings:
    from raretrace.settings import Settings

    return Settings(database_url=db) if db else Settings()


def today_for(db: str | None) -> date:
    """Today in China Standard Time from the entry point's clock (``clock_for``)."""
    from raretrace.workspace import clock_for

    return clock_for(settings_for(db)).today()


@contextmanager
def open_workspace(db: str | None) -> Iterator[Workspace]:
    """The workspace for one command; its connections are closed afterwards."""
    from raretrace.workspace import Workspace

    ws = Workspace.open(settings_for(db))
    try:
        yield ws
    finally:
        ws.close()


def exchange_rates(ws: Workspace, path: Path | None, rates_id: int | None) -> ExchangeRates | None:
    """The rates a command was given: a CSV file, a stored table, or none."""
    if path is not None and rates_id is not None:
        raise InputError("give --rates FILE or --rates-id N, not both")
    if path is not None:
        from raretrace.services.rates.tables import read_rates_csv

        return read_rates_csv(path)
    if rates_id is not None:
        return ws.exchange_rates.get(rates_id).rates
    return None
