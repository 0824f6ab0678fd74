"""`raretrace rates ...`: exchange-rate tables kept in the workspace (docs/rates.md).

raretrace ships no rates. A table stored here is the same one the web app offers on the
part page; `trace`, `classify` and `determine` use it with `--rates-id N` (or read a
file directly with `--rates FILE.csv`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, open_workspace, read_input, who
from raretrace.domain.currency import StoredRates

rates_app = typer.Typer(
    no_args_is_help=True, help="Exchange-rate tables for value shares across currencies."
)


def _row(s: StoredRates) -> tuple[object, ...]:
    x = s.rates
    return (
        s.rates_id,
        x.base,
        x.as_of.isoformat(),
        len(x.rates),
        output._escape(x.source),
        output._escape(s.name),
        f"{s.stored_at:%Y-%m-%d %H:%M} {s.stored_by}",
    )


_COLUMNS = ["id", "base", "as of", "currencies", "source", "file", "stored"]


@rates_app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="Rates CSV file (columns: docs/rates.md).")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who stores it (default: OS user).")
    ] = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Check a rates CSV file and keep it in the workspace (all or nothing)."""
    with output.errors():
        data = read_input(path)
        with open_workspace(db) as ws:
            stored = ws.exchange_rates.store(data, path.name, actor=who(by))
        if as_json:
            output.emit_json(stored)
            return
        x = stored.rates
        output.console.print(
            f"stored rate table {stored.rates_id}: {len(x.rates)} currencies in {x.base} "
            f"as of {x.as_of.isoformat()} ({output._escape(x.source)})"
        )


@rates_app.command("list")
def list_(db: Db = None, as_json: AsJson = False) -> None:
    """The rate tables kept in the workspace, newest first."""
    with output.errors(), open_workspace(db) as ws:
        tables = ws.exchange_rates.list()
        if as_json:
            output.emit_json(tables)
            return
        output.console.print(
            output.table("Exchange-rate tables", _COLUMNS, [_row(s) for s in tables])
        )


@rates_app.command("show")
def show(
    rates_id: Annotated[int, typer.Argument(help="Id of a stored table.")],
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """One stored table with every rate."""
    with output.errors(), open_workspace(db) as ws:
        stored = ws.exchange_rates.get(rates_id)
        if as_json:
            output.emit_json(stored)
            return
        x = stored.rates
        c = output.console
        c.print(output.table(f"Rate table {rates_id}", _COLUMNS, [_row(stored)]))
        rows = [(code, str(rate), x.base) for code, rate in sorted(x.rates.items())]
        c.print(
            output.table(f"1 unit of currency = rate x {x.base}", ["currency", "rate", "in"], rows)
        )
