"""`raretrace erp ...`: load ERP/PLM exports through a YAML column-mapping profile."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, open_workspace
from raretrace.cli.survey import render_changes
from raretrace.services.formats import erp_profiles as erp_import

erp_app = typer.Typer(no_args_is_help=True, help="ERP/PLM exports via column-mapping profiles.")


@erp_app.command("import")
def erp_import_cmd(
    path: Annotated[Path, typer.Argument(help="The export (CSV or tab-separated text).")],
    profile: Annotated[Path, typer.Option("--profile", help="Column-mapping profile (YAML).")],
    root: Annotated[
        str | None, typer.Option(help="Root material of a multi-level BOM (SAP CS12).")
    ] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Write the records.")] = False,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Load an ERP/PLM export (BOM or supplier master) with a mapping profile."""
    with output.errors(), open_workspace(db) as ws:
        result = ws.imports.import_erp(
            path, erp_import.load_profile(profile), root=root, apply=apply
        )
        if as_json:
            output.emit_json(result)
            return
        output.console.print(f"{result.rows} row(s) read with profile {result.profile}.")
        render_changes(result.changes)


@erp_app.command("profiles")
def erp_profiles(as_json: AsJson = False) -> None:
    """List the example profiles shipped with raretrace (copy one and adapt it)."""
    folder = files("raretrace.sample") / "erp_profiles"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    if as_json:
        output.emit_json({"profiles": names, "folder": str(folder)})
        return
    for name in names:
        output.console.print(f"{folder / name}")
