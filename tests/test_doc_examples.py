"""Docs that cannot drift: every example in README.md and docs/*.md runs here.

* ```python blocks run, file by file, in a folder that holds the sample world as
  ``raretrace-demo.db`` (what ``make demo`` leaves) and its bundle as ``my_network/``.
* ```text blocks that begin with ``$ raretrace ...`` run that command there; every line
  shown below it must appear in the output (box-drawing characters and runs of spaces
  are ignored, so a table may be shown compactly).
* Other ``raretrace ...`` lines in ```sh/console blocks must run and exit 0, except the
  few listed in ``SKIP`` with the reason.

``docs/cli.md`` is generated from the app itself and checked by test_docs.py.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raretrace.cli import app
from raretrace.cli import output as cli_output
from raretrace.settings import Settings
from raretrace.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name != "cli.md")]

#: Commands shown in the docs that cannot run in a test, and why.
SKIP = {
    "raretrace serve": "starts a server that runs until stopped (tests/web covers it)",
    "raretrace users add": "asks for a password at the terminal (tests/cli covers it)",
    "--scheduler tcp://": "needs a Dask scheduler on another machine",
}

_BOX = re.compile(r"[┏┳┓┃┡╇┩│└┴┘━─┌┐┬├┼┤╭╮╰╯]")


def _blocks(page: Path) -> Iterator[tuple[str, str, int]]:
    """(language, body, line number) of each fenced block."""
    lang, body, start = None, [], 0
    for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            if lang is None:
                lang, body, start = line[3:].strip(), [], n
            else:
                yield lang, "\n".join(body), start
                lang = None
        elif lang is not None:
            body.append(line)


def _norm(text: str) -> str:
    return " ".join(_BOX.sub(" ", text).split())


def _commands() -> list[tuple[str, str, list[str]]]:
    """(page:line, command, expected output lines) for every documented command."""
    out = []
    for page in PAGES:
        for lang, body, line in _blocks(page):
            where = f"{page.relative_to(ROOT)}:{line}"
            lines = body.splitlines()
            if lang == "text" and lines and lines[0].startswith("$ raretrace "):
                out.append((where, lines[0][2:], [x for x in lines[1:] if x.strip()]))
            elif lang in ("sh", "bash", "console", "shell"):
                for x in lines:
                    cmd = x[2:] if x.startswith("$ ") else x
                    if cmd.startswith("raretrace "):
                        out.append((where, cmd.split("  #")[0].strip(), []))
    return out


def _python_pages() -> list[tuple[str, str]]:
    out = []
    for page in PAGES:
        code = [body for lang, body, _ in _blocks(page) if lang == "python"]
        if code:
            out.append((str(page.relative_to(ROOT)), "\n\n".join(code)))
    return out


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a reader has after `make demo`: the sample world in raretrace-demo.db,
    plus its bundle in my_network/ and the docs' example files."""
    d = tmp_path_factory.mktemp("docs")
    ws = Workspace.open(Settings(database_url=f"sqlite:///{d / 'raretrace-demo.db'}"))
    try:
        ws.load_sample()
        ws.export_bundle(d / "my_network")
    finally:
        ws.close()
    shutil.copytree(ROOT / "docs" / "examples", d / "docs" / "examples")
    shutil.copy(ROOT / "docs" / "examples" / "fx.csv", d / "fx.csv")  # docs/rates.md's bad file
    shutil.copytree(
        ROOT / "src" / "raretrace" / "sample" / "scenarios",
        d / "src" / "raretrace" / "sample" / "scenarios",
    )
    # the files the docs' commands name: a scenario, a rates file, a declaration
    scenarios = ROOT / "src" / "raretrace" / "sample" / "scenarios"
    shutil.copy(scenarios / "embargo_cn_jp_2010.yaml", d / "my.yaml")
    rates = next(b for lang, b, _ in _blocks(ROOT / "docs" / "rates.md") if lang == "csv")
    (d / "fx-2026-11.csv").write_text(rates + "\n", encoding="utf-8")
    res = CliRunner().invoke(
        app, ["ipc1752", "export", "MAG-EPS", "--out", str(d / "declaration.xml"),
              "--db", f"sqlite:///{d / 'raretrace-demo.db'}"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    # docs/rates.md's commands after `rates import` refer to table 1: store it up front,
    # so that each command runs on its own (tests may run in any order, in parallel)
    res = CliRunner().invoke(
        app, ["rates", "import", str(d / "fx-2026-11.csv"),
              "--db", f"sqlite:///{d / 'raretrace-demo.db'}"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    # docs/screening.md's screen commands need a list: import its example one up front
    res = CliRunner().invoke(
        app, ["lists", "import", str(d / "docs" / "examples" / "screening" / "example-watch-list.csv"),
              "--format", "internal", "--list-name", "Example watch list",
              "--db", f"sqlite:///{d / 'raretrace-demo.db'}"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    return d


@pytest.mark.parametrize(("where", "code"), _python_pages(), ids=[p for p, _ in _python_pages()])
def test_python_examples_run(
    where: str, code: str, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workdir)
    exec(compile(code, where, "exec"), {"__name__": "__doc_example__"})


@pytest.mark.parametrize(
    ("where", "cmd", "expected"), _commands(), ids=[c for _, c, _ in _commands()]
)
def test_shell_examples_run(
    where: str, cmd: str, expected: list[str], workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reason = next((why for key, why in SKIP.items() if key in cmd), None)
    if reason:
        pytest.skip(reason)
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("RARETRACE_DATABASE_URL", "sqlite:///./raretrace-demo.db")
    monkeypatch.setenv("COLUMNS", "200")
    # the console may already exist (made at import, at the test process's width)
    monkeypatch.setattr(cli_output.console, "width", 200)
    cmd, _, redirect = cmd.partition(" > ")
    args = shlex.split(cmd)[1:]
    result = CliRunner().invoke(app, args)
    output = result.output
    if redirect:
        (workdir / redirect.strip()).write_text(output, encoding="utf-8")
    assert "Traceback" not in output, f"{where}: {cmd}\n{output}"
    if expected:
        got = _norm(output)
        missing = [x for x in expected if _norm(x) not in got]
        assert not missing, (
            f"{where}: `{cmd}` no longer prints:\n"
            + "\n".join(missing)
            + (f"\n--- it prints:\n{output}")
        )
    else:
        assert result.exit_code == 0, f"{where}: `{cmd}` exited {result.exit_code}\n{output}"


def test_every_page_was_read() -> None:
    assert any(c == "raretrace trace VEH-AST-EV" for _, c, _ in _commands())
    assert any(p == "README.md" for p, _ in _python_pages())
