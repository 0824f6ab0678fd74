"""The `raretrace` command line (Typer). Thin: parse -> Workspace -> render.

One module per noun defines its commands; they are registered here by name, with the
one-line help the root `--help` shows, and imported only when run (``cli.lazy``), so
`raretrace --help` imports no SQLAlchemy, numpy or rule engine, and `raretrace trace`
imports only what tracing needs. A new command: one ``Entry`` line in the matching
section, ``"module:attribute"`` naming a Typer function or a ``typer.Typer`` sub-app,
with the first paragraph of its help (a test checks they agree).
"""

from __future__ import annotations

from typing import ClassVar

import typer

from raretrace.cli.lazy import Entry, LazyGroup

_C = "raretrace.cli."

COMMANDS: tuple[Entry, ...] = (
    # Supply network: workspace, bundles, sample world, synthetic networks.
    Entry("init", _C + "network:init",
          "Create the workspace database (or bring its schema up to date)."),
    Entry("import", _C + "network:import_",
          "Import a bundle: validate everything, then write it in one transaction."),
    Entry("export", _C + "network:export",
          "Export the network as a bundle (the same format `import` reads)."),
    Entry("demo", _C + "demo:demo",
          "Load the illustrative sample world and run the main job on it."),
    Entry("show", _C + "network:show_app", "Show parties, parts or a bill of materials."),
    Entry("synth", _C + "synth:synth",
          "Generate a large synthetic network (for benchmarks and trials)."),
    Entry("precompile", _C + "precompile:precompile",
          "Compile the tracing kernels into numba's disk cache (once after installing)."),
    # Tracing (rollup, origin, where-used, supplier exposure).
    Entry("trace", _C + "trace:trace",
          "Rare-earth content per unit of PRODUCT, where it comes from, and value shares."),
    Entry("where-used", _C + "trace:where_used",
          "Every product and site downstream of a part, site or party, with paths."),
    Entry("exposure", _C + "trace:exposure",
          "Ranked suppliers, at every tier, handling controlled rare earths (kg per year)."),
    Entry("rates", _C + "rates:rates_app",
          "Exchange-rate tables for value shares across currencies."),
    # Export-control rule packs and classification.
    Entry("rules", _C + "rules:rules_app", "List, explain and check rule packs."),
    Entry("classify", _C + "rules:classify",
          "Is a part a controlled item on a date? Shows every rule considered and why."),
    Entry("determine", _C + "rules:determine",
          "Does a shipment need a Chinese export licence? Or, with --all-flows, which of "
          "the workspace's cross-border flows do (and which would if suspended rules came "
          "back). Party listings come from the stored lists (confirmed screening matches "
          "against entries of China's Control or Watch List) plus --listed."),
    # Restricted-party screening.
    Entry("lists", _C + "screen:lists_app", "Restricted-party lists: import, refresh, show."),
    Entry("screen", _C + "screen:screen_app",
          "Screen a NAME, a --party or --all parties against the lists; decide hits; audit."),
    # Licence applications, licences and the licence ledger.
    Entry("apply", _C + "applications:apply_app", "Licence applications: draft, track, packet."),
    Entry("licences", _C + "licences:licences_app", "Export licences and their balances."),
    Entry("ship", _C + "licences:ship",
          "Book shipments against a licence, or check that none is needed."),
    Entry("ledger", _C + "licences:ledger_app", "The append-only licence ledger."),
    # Supplier data exchange (surveys, IPC-1752A).
    Entry("survey", _C + "survey:survey_app", "Rare-earth supplier surveys (Excel)."),
    Entry("ipc1752", _C + "survey:ipc_app", "IPC-1752A material declarations (XML)."),
    Entry("erp", _C + "erp:erp_app", "ERP/PLM exports via column-mapping profiles."),
    # Web app and its users.
    Entry("serve", _C + "serve:serve",
          "Serve the web app. Create the first admin with `raretrace users add NAME "
          "--role admin`."),
    Entry("users", _C + "serve:users_app", "Web-app users, roles and API tokens."),
    # Disruption simulation and dependence (issue 7).
    Entry("simulate", _C + "simulate:simulate",
          "Run a disruption scenario through the network's stock, by Monte Carlo, and say "
          "which products and sites stop, when, for how long, why, and what stock would "
          "help."),
    Entry("dependence", _C + "simulate:dependence",
          "Country concentration by stage (sourced world figures, HHI) next to this "
          "network's own origin shares."),
    # Prices and market exposure (issue 18).
    Entry("prices", _C + "market:prices_app", "Price tables (per kg, by year) for market."),
    Entry("market", _C + "market:market_app",
          "Price exposure of products and the horizon outside China."),
)  # fmt: skip


class RaretraceGroup(LazyGroup):
    entries: ClassVar[dict[str, Entry]] = {e.name: e for e in COMMANDS}


app = typer.Typer(
    cls=RaretraceGroup,
    name="raretrace",
    no_args_is_help=True,
    help="Trace controlled rare earths through supply chains.",
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    pass


def main() -> None:
    app()
