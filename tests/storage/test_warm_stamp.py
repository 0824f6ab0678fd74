"""A warm start reads the network's stamp with SQLAlchemy Core: the same stamp a unit of
work reads, and no ORM import in a process that only maps the compiled-network cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from raretrace.workspace import Workspace

sys.path.insert(0, str(Path(__file__).parents[1] / "analytics"))
from tracing_networks import magnet_chain


def test_core_stamp_is_the_unit_of_works_stamp(workspace: Workspace) -> None:
    factory = workspace._uow
    with factory() as uow:
        uow.network.upsert(magnet_chain())
        first = uow.network.bump_revision()
    with factory() as uow:
        assert factory.stamp() == uow.network.stamp()
    rev, key = factory.stamp() or (0, "")
    assert rev == first and key.startswith(f"r{first}-")
    with factory() as uow:
        uow.network.bump_revision()
    again = factory.stamp()
    assert again is not None and again[0] == first + 1 and again[1] != key


def test_core_stamp_defers_to_the_unit_of_work_without_a_token(workspace: Workspace) -> None:
    """Databases written before stamp tokens: the unit of work's fallback (row counts)
    decides, so the Core read answers None."""
    with workspace._uow() as uow:
        uow.network.upsert(magnet_chain())
        uow.network.bump_revision()
    with workspace.engine.begin() as conn:
        conn.execute(text("DELETE FROM rt_meta WHERE key = 'revision_token'"))
    assert workspace._uow.stamp() is None
    # and the engine still compiles and traces, keyed by the row counts
    assert workspace.tracing.engine().key.startswith("r1-n")
    assert workspace.tracing.trace("CAR").product == "CAR"


_WARM = """
import json, sys
from raretrace.settings import Settings
from raretrace.workspace import Workspace
with Workspace.open(Settings(database_url={url!r})) as ws:
    result = ws.tracing.trace("CAR")
print(json.dumps([len(result.nodes), "sqlalchemy.orm" in sys.modules,
                  "raretrace.storage.sql.tables" in sys.modules]))
"""


def test_a_warm_trace_imports_no_orm(workspace: Workspace) -> None:
    """The second process finds the compiled arrays on disk: it reads the stamp and maps
    them, without the ORM or the table declarations (~0.2 s of CPU at start-up)."""
    with workspace._uow() as uow:
        uow.network.upsert(magnet_chain())
        uow.network.bump_revision()
    cold = workspace.tracing.trace("CAR")  # compiles and writes the disk cache
    url = workspace.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", _WARM.format(url=url)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    nodes, orm, tables = json.loads(done.stdout.strip().splitlines()[-1])
    assert nodes == len(cold.nodes) > 0
    assert (orm, tables) == (False, False)
