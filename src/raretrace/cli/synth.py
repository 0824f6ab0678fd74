"""`raretrace synth`: generate a large synthetic network for benchmarks and trials."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, open_workspace
from raretrace.services.network import synth as synth_service


def synth(
    parts: Annotated[int, typer.Option("--parts", min=80, help="Number of parts.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same network).")] = 1,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write a CSV bundle folder instead of loading.")
    ] = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Generate a large synthetic network (for benchmarks and trials).

    A multi-tier DAG with shared sub-assemblies, loaded into an empty workspace or
    written as a bundle with --out.
    """
    with output.errors():
        with output.console.status(f"Generating {parts:,} parts ..."):
            network = synth_service.synthesise(parts, seed=seed)
        columns = (
            TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(),
        )  # fmt: skip
        with Progress(*columns, console=output.console, disable=as_json) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(table: str, done: int, total: int) -> None:
                if table not in tasks:
                    tasks[table] = bar.add_task(table, total=total)
                bar.update(tasks[table], completed=done)

            if out is not None:
                files = synth_service.write_bundle(network, out, progress=progress)
                result: dict[str, object] = {"written": files, "rows": network.counts()}
            else:
                with open_workspace(db) as ws:
                    report = ws.imports.load_synthetic(network, progress)
                result = {"rows": report.rows, "revision": report.revision}
        if as_json:
            output.emit_json(result)
        else:
            rows = result["rows"]
            assert isinstance(rows, dict)
            output.console.print(
                output.table("Synthetic network", ["table", "rows"], list(rows.items()))
            )
