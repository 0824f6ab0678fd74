"""The `raretrace` command line (Typer). Thin: parse -> Workspace -> render.

One module per noun registers its commands here. New command groups: import the module
in the block below and add its registration lines to the matching section.
"""

from __future__ import annotations

import typer

from raretrace.cli import (
    demo,
    erp,
    licences,
    network,
    rates,
    rules,
    screen,
    serve,
    survey,
    synth,
    trace,
)

app = typer.Typer(
    no_args_is_help=True,
    help="Trace controlled rare earths through supply chains.",
    pretty_exceptions_enable=False,
    add_completion=False,
)

# Supply network: workspace, bundles, sample world, synthetic networks.
app.command("init")(network.init)
app.command("import")(network.import_)
app.command("export")(network.export)
app.command("demo")(demo.demo)
app.add_typer(network.show_app, name="show")
app.command("synth")(synth.synth)

# Tracing (rollup, origin, where-used, supplier exposure).
app.command("trace")(trace.trace)
app.command("where-used")(trace.where_used)
app.command("exposure")(trace.exposure)
app.add_typer(rates.rates_app, name="rates")

# Export-control rule packs and classification.
app.add_typer(rules.rules_app, name="rules")
app.command("classify")(rules.classify)
app.command("determine")(rules.determine)

# Restricted-party screening.
app.add_typer(screen.lists_app, name="lists")
app.add_typer(screen.screen_app, name="screen")

# Licence applications, licences and the licence ledger.
app.add_typer(licences.apply_app, name="apply")
app.add_typer(licences.licences_app, name="licences")
app.command("ship")(licences.ship)
app.add_typer(licences.ledger_app, name="ledger")

# Supplier data exchange (surveys, IPC-1752A).
app.add_typer(survey.survey_app, name="survey")
app.add_typer(survey.ipc_app, name="ipc1752")
app.add_typer(erp.erp_app, name="erp")

# Web app and its users.
app.command("serve")(serve.serve)
app.add_typer(serve.users_app, name="users")


from raretrace.cli import simulate  # noqa: E402  (issue 7: disruption simulation)

app.command("simulate")(simulate.simulate)
app.command("dependence")(simulate.dependence)


from raretrace.cli import market  # noqa: E402  (issue 18: prices and market exposure)

app.add_typer(market.prices_app, name="prices")
app.add_typer(market.market_app, name="market")


def main() -> None:
    app()
