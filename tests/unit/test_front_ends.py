"""One way in: the web app and the CLI only parse, call an area service of the
Workspace and render. They never open a unit of work or touch a repository (the
import-linter contract "Front ends hold no units of work or repositories" keeps
``raretrace.storage`` and SQLAlchemy out of their imports; this test keeps ``.uow(``,
``._uow`` and repository attributes out of their code)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import raretrace
from raretrace.settings import Settings
from raretrace.workspace import Workspace

SRC = Path(raretrace.__file__).parent
FRONT_ENDS = ("web", "cli")
#: The repositories a unit of work carries (``storage.ports.UnitOfWork``).
REPOSITORIES = {
    "network", "screening", "auth", "surveys", "licences", "jobs", "rates", "market",
    "test_reports",
}  # fmt: skip


def _front_end_files() -> list[Path]:
    return sorted(
        p for area in FRONT_ENDS for p in (SRC / area).rglob("*.py") if "static" not in p.parts
    )


def _offences(path: Path, root: Path = SRC) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(root)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute) and node.attr in {"uow", "_uow", "unit_of_work"}:
            found.append(f"{where}: .{node.attr}")
        # uow.<repository>.<call>: a repository read or write outside the services
        if (
            isinstance(node, ast.Attribute)
            and node.attr in REPOSITORIES
            and isinstance(node.value, ast.Name)
            and node.value.id in {"uow", "u"}
        ):
            found.append(f"{where}: {node.value.id}.{node.attr}")
    return found


def test_front_ends_open_no_unit_of_work() -> None:
    files = _front_end_files()
    assert len(files) > 30  # the scan sees the code
    offences = [o for p in files for o in _offences(p)]
    assert offences == [], "front ends must call an area service instead:\n" + "\n".join(offences)


def test_the_scan_finds_a_unit_of_work(tmp_path: Path) -> None:
    bad = tmp_path / "route.py"
    bad.write_text(
        "def f(ws):\n    with ws.uow() as uow:\n        return uow.licences.licences()\n",
        encoding="utf-8",
    )
    assert sorted(o.split(": ")[1] for o in _offences(bad, tmp_path)) == [".uow", "uow.licences"]


@pytest.mark.parametrize(
    "area",
    [
        "imports", "tracing", "licensing", "screening", "surveys", "simulation", "users",
        "jobs", "rules", "market", "exchange_rates",
    ],
)  # fmt: skip
def test_workspace_has_one_service_per_area_and_no_public_uow(area: str) -> None:
    ws = Workspace.open(Settings(database_url="sqlite://"))
    try:
        assert not hasattr(ws, "uow") and not hasattr(ws, "unit_of_work")
        service = getattr(ws, area)
        assert getattr(ws, area) is service  # one object per workspace
    finally:
        ws.close()
