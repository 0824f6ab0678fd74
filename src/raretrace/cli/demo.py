"""`raretrace demo`: load the sample world and show what is in it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from raretrace.cli import (
    applications,
    market,
    output,
    rules,
    rules_demo,
    screen,
    simulate,
    survey,
    trace,
)
from raretrace.cli.options import AsJson, Db, open_workspace
from raretrace.services.network.bundles import NetworkSummary


def demo(
    db: Db = None,
    as_json: AsJson = False,
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", formats=["%Y-%m-%d"], help="Date for the rules (default: today)."),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the files the demo writes.")
    ] = Path("raretrace-demo-output"),
) -> None:
    """Load the illustrative sample world and run the main job on it.

    Summary, tracing, export-control classification as of today, restricted-party
    screening, an embargo simulation, a supplier survey and a licence application.
    """
    with output.errors(), open_workspace(db) as ws:
        today = as_of.date() if as_of else ws.clock.today()
        with output.console.status("Loading the sample world ..."):
            report = ws.load_sample()
            summary = ws.summary()
        if as_json:
            output.emit_json({"import": report, "summary": summary})
            return
        c = output.console
        c.rule("[bold]raretrace demo: the sample world (illustrative, fictional)")
        c.print(f"Database: {ws.engine.url.render_as_string()}  (revision {report.revision})")
        render_summary(summary)
        c.rule("[bold]Tracing: rare-earth content, origin and supplier exposure")
        with c.status("Compiling the network and rolling up content ..."):
            ws.tracing.plan_totals()
        trace.render_tracing(ws)
        rules.render_rules_demo(ws, today)
        screen.render_screening_demo(ws)
        rules_demo.render_regime_demo(ws, today)
        simulate.render_simulation_demo(ws)
        market.render_market_demo(ws)
        survey.render_exchange_demo(ws, out)
        out.mkdir(parents=True, exist_ok=True)
        applications.render_licence_demo(ws, today, out)


def render_summary(s: NetworkSummary) -> None:
    c = output.console
    c.print(output.table("Network", ["table", "rows"], list(s.counts.items())))
    c.print(
        output.table(
            "Parties by country", ["country", "parties"], list(s.parties_by_country.items())
        )
    )
    c.print(output.table("Parties by role", ["role", "parties"], list(s.parties_by_role.items())))
    c.print(output.table("Parts by kind", ["kind", "parts"], list(s.parts_by_kind.items())))
    c.print(f"BOM depth: [bold]{s.bom_depth}[/] levels")
    rows = [(e, len(parts), ", ".join(parts[:6]) + (" ..." if len(parts) > 6 else ""))
            for e, parts in s.declared_rare_earths.items()]  # fmt: skip
    c.print(
        output.table("Rare earths in declared compositions", ["element", "parts", "e.g."], rows)
    )
    products = [(p, ", ".join(es) or "-") for p, es in s.product_rare_earths.items()]
    title = "Rare earths anywhere in each product's BOM"
    c.print(output.table(title, ["product", "rare earths"], products))
