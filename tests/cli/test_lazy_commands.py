"""The command line imports a command's modules only when that command runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from raretrace.cli import COMMANDS, app
from raretrace.cli.lazy import load

#: Modules that `import raretrace.cli` and `raretrace --help` must not import.
HEAVY = (
    "sqlalchemy", "alembic", "numpy", "scipy", "numba", "pyarrow", "pypinyin",
    "reportlab", "openpyxl", "rapidfuzz", "pydantic_settings", "yaml", "lxml", "fastapi",
    "raretrace.workspace", "raretrace.settings", "raretrace.services", "raretrace.storage",
)  # fmt: skip

_PROBE = """
import json, sys
{setup}
heavy = {heavy!r}
print(json.dumps(sorted({{m for m in sys.modules if m.split(".")[0] in heavy or
                          any(m == h or m.startswith(h + ".") for h in heavy)}})))
"""


def _imported(setup: str) -> list[str]:
    code = _PROBE.format(setup=setup, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_imports_no_heavy_module() -> None:
    assert _imported("import raretrace.cli") == []


def test_importing_the_workspace_imports_no_service_module() -> None:
    """``Workspace`` imports each service in the methods that use it: a command that
    traces does not pay for screening (pypinyin), surveys (openpyxl), rule packs
    (yaml), reports (reportlab) or the analytics (numpy) at import."""
    got = _imported("import raretrace.workspace")
    allowed = ("raretrace.workspace", "raretrace.settings", "pydantic_settings")
    assert [m for m in got if not any(m == a or m.startswith(a + ".") for a in allowed)] == []


def test_root_help_imports_no_command_module() -> None:
    setup = (
        "from raretrace.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "assert not [m for m in sys.modules if m.startswith('raretrace.cli.')"
        " and m not in ('raretrace.cli.lazy',)], sorted(sys.modules)"
    )
    assert _imported(setup) == []


def test_root_help_lists_every_registered_command() -> None:
    out = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    for entry in COMMANDS:
        assert f" {entry.name} " in out
    assert "Trace controlled rare earths" in out


@pytest.mark.parametrize("entry", COMMANDS, ids=[e.name for e in COMMANDS])
def test_registered_help_is_the_commands_own(entry: object) -> None:
    from raretrace.cli.lazy import Entry

    assert isinstance(entry, Entry)
    cmd = load(entry)
    assert cmd.name == entry.name
    first = " ".join((cmd.help or "").strip().split("\n\n")[0].split())
    assert first == entry.help


def test_names_are_unique_and_subcommands_resolve() -> None:
    names = [e.name for e in COMMANDS]
    assert len(names) == len(set(names))
    group = typer.main.get_command(app)
    show = load(next(e for e in COMMANDS if e.name == "show"))
    assert sorted(show.commands) == ["bom", "parties", "parts"]  # type: ignore[attr-defined]
    assert group.name == "raretrace"


def test_unknown_command_suggests_the_near_one() -> None:
    result = CliRunner().invoke(app, ["where-usd", "X"])
    assert result.exit_code == 2
    assert "No such command 'where-usd'" in result.output
    assert "'where-used'" in result.output
