"""Options and parsers shared by the licence commands (`apply`, `licences`, `ship`, `ledger`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from raretrace.cli import output
from raretrace.domain.clock import CHINA_TZ
from raretrace.errors import InputError

By = Annotated[str | None, typer.Option("--by", help="Who does this (default: OS user).")]
Today = Annotated[
    str | None, typer.Option("--today", help="Date for deadlines (YYYY-MM-DD; default today).")
]


def parse_day(text: str | None, where: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None


def parse_at(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--at: {text!r} is not a date or time (ISO 8601)") from None
    # A time without a zone is China Standard Time, the regime's business time.
    return at.replace(tzinfo=CHINA_TZ) if at.tzinfo is None else at


def done(as_json: bool, payload: dict[str, object]) -> None:
    if as_json:
        output.emit_json(payload)
    else:
        output.console.print(" ".join(f"{k}={v}" for k, v in payload.items()))
