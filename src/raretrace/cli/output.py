"""Rendering for the CLI: Rich tables, JSON, and the one error -> exit-code table."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from raretrace.errors import (
    InputError,
    NetworkError,
    NotFoundError,
    RaretraceError,
    StorageError,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    #: Standard output and standard error, made on first use (``__getattr__``).
    console: Console
    err_console: Console


def __getattr__(name: str) -> Any:
    """``console`` and ``err_console``, made on first use and kept: a command that
    prints JSON or CSV does not import Rich (~0.03-0.05 s of CPU)."""
    if name in ("console", "err_console"):
        from rich.console import Console

        made = Console(stderr=name == "err_console")
        globals()[name] = made
        return made
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _err_console() -> Console:
    made: Console = globals().get("err_console") or __getattr__("err_console")
    return made


#: The one mapping from error class to process exit code (first match wins).
EXIT_CODES: tuple[tuple[type[RaretraceError], int], ...] = (
    (InputError, 2),
    (NotFoundError, 3),
    (NetworkError, 4),
    (StorageError, 5),
    (RaretraceError, 1),
)


@contextmanager
def errors() -> Iterator[None]:
    """Turn a ``RaretraceError`` into a clear message and an exit code, never a traceback."""
    try:
        yield
    except RaretraceError as exc:
        code = next(c for cls, c in EXIT_CODES if isinstance(exc, cls))
        err = _err_console()
        err.print(f"[bold red]error:[/] {_escape(str(exc).splitlines()[0])}", soft_wrap=True)
        problems = getattr(exc, "problems", [])
        for p in problems[:200]:
            err.print(f"  - {_escape(str(p))}", soft_wrap=True)
        if len(problems) > 200:
            err.print(f"  ... and {len(problems) - 200} more")
        raise typer.Exit(code) from None


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False) + "\n")


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    from rich.table import Table

    t = Table(title=title, title_justify="left", header_style="bold")
    for col in columns:
        t.add_column(col)
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    return t
