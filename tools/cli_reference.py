"""The command-line reference in ``docs/cli.md``, generated from the Typer app.

Typer's own generator (``typer raretrace.cli utils docs``) writes every command, its
arguments and options (with types and defaults) as Markdown; this module runs it in a
fresh interpreter with a fixed environment (no colour, fixed widths) so the text does not
depend on the terminal, and shifts its headings one level down to sit under the page
title. ``docs/cli.md`` calls ``markdown()`` from a cog block:

    make docs                          # = cog -I tools -r docs/cli.md
    .venv/bin/python tools/cli_reference.py > /tmp/cli.md   # just print it

``tests/test_docs.py`` regenerates it and fails when the page is out of date.
"""

from __future__ import annotations

import os
import subprocess
import sys

#: Environment variables that change how rich/Typer render help text.
_DROP = ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROP}
    env.update(
        COLUMNS="100",
        LINES="50",
        TERMINAL_WIDTH="100",
        NO_COLOR="1",
        TERM="dumb",
        _TYPER_FORCE_DISABLE_TERMINAL="1",
        LC_ALL="C.UTF-8",
        PYTHONIOENCODING="utf-8",
    )
    return env


def typer_docs() -> str:
    """Typer's Markdown for the ``raretrace`` app, as it prints it."""
    cmd = [sys.executable, "-m", "typer", "--app", "app", "raretrace.cli", "utils", "docs"]
    cmd += ["--name", "raretrace"]
    done = subprocess.run(
        cmd, env=_env(), capture_output=True, text=True, encoding="utf-8", check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return done.stdout


def markdown() -> str:
    """The generated part of ``docs/cli.md`` (headings one level down, no trailing
    spaces, one final newline)."""
    lines: list[str] = []
    fenced = False
    for line in typer_docs().splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif line.startswith("#") and not fenced:
            line = "#" + line
        lines.append(line.rstrip())
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown())
