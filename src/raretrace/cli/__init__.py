"""The `raretrace` command line (Typer). Thin: parse -> Workspace -> render."""

from __future__ import annotations

import typer

from raretrace.cli import demo, network, synth

app = typer.Typer(
    no_args_is_help=True,
    help="Trace controlled rare earths through supply chains.",
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("init")(network.init)
app.command("import")(network.import_)
app.command("export")(network.export)
app.command("demo")(demo.demo)
app.add_typer(network.show_app, name="show")
app.command("synth")(synth.synth)

# Restricted-party screening (issue 5)
from raretrace.cli import screen  # noqa: E402

app.add_typer(screen.lists_app, name="lists")
app.add_typer(screen.screen_app, name="screen")

from raretrace.cli import trace  # noqa: E402  (issue 3)

app.command("trace")(trace.trace), app.command("where-used")(trace.where_used), app.command("exposure")(trace.exposure)  # noqa: E501, B018

from raretrace.cli import rules  # noqa: E402  (issue 4: export-control rules)

app.add_typer(rules.rules_app, name="rules")
app.command("classify")(rules.classify)
app.command("determine")(rules.determine)

from raretrace.cli import survey  # noqa: E402  (issue 8: supplier surveys, IPC-1752A)

app.add_typer(survey.survey_app, name="survey")
app.add_typer(survey.ipc_app, name="ipc1752")

from raretrace.cli import serve  # noqa: E402  (issue 9: web app)

app.command("serve")(serve.serve)
app.add_typer(serve.users_app, name="users")


def main() -> None:
    app()
