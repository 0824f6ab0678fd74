"""`raretrace demo`: load the sample world and show what is in it."""

from __future__ import annotations

from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, open_workspace
from raretrace.services.network import NetworkSummary


def demo(db: Db = None, as_json: AsJson = False) -> None:
    """Load the embedded, illustrative sample world into the database and summarise it."""
    with output.errors(), open_workspace(db) as ws:
        with output.console.status("Loading the sample world ..."):
            report = ws.load_sample()
            summary = ws.summary()
        if as_json:
            output.emit_json({"import": report, "summary": summary})
            return
        output.console.rule("[bold]raretrace demo: the sample world (illustrative, fictional)")
        output.console.print(
            f"Database: {ws.engine.url.render_as_string()}  (revision {report.revision})"
        )
        render_summary(summary)


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
