"""Area services on the workspace own their transactions: one method is one use case,
all or nothing, audited where the front ends audited it (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factories import TINY_JP_STOP
from raretrace.analytics.results import SimulationResult
from raretrace.domain.jobs import JobStatus
from raretrace.domain.users import UserRole
from raretrace.errors import InputError, NotFoundError
from raretrace.services.jobs import queue as jobs
from raretrace.services.simulation.service import MAX_RUNS
from raretrace.workspace import Workspace

PASSWORD = "correct horse battery"
SCENARIO = TINY_JP_STOP


def _actions(ws: Workspace) -> list[str]:
    return [e.action for e in reversed(ws.users.audit_log(limit=50))]


def test_a_user_update_is_one_transaction(workspace: Workspace) -> None:
    """Role, status and password change together or not at all (the admin page's form
    was three use cases in one web-side transaction)."""
    users = workspace.users
    users.create("root", UserRole.ADMIN, PASSWORD, actor="test")
    users.create("ann", UserRole.VIEWER, PASSWORD, actor="test")
    with pytest.raises(InputError, match="at least 10 characters"):
        users.update("ann", role=UserRole.EDITOR, active=False, password="short", actor="root")
    ann = users.get("ann")
    assert (ann.role, ann.active) == (UserRole.VIEWER, True)
    assert _actions(workspace) == ["user.create", "user.create"]
    done = users.update("ann", role=UserRole.EDITOR, active=True, actor="root")
    assert done.role is UserRole.EDITOR
    # an unchanged status is not recorded again
    assert _actions(workspace)[-1:] == ["user.set_role"]
    with pytest.raises(NotFoundError):
        users.update("nobody", role=UserRole.ADMIN, actor="root")


def test_login_audits_every_attempt_and_reports_failures_first(workspace: Workspace) -> None:
    users = workspace.users
    users.create("ann", UserRole.VIEWER, PASSWORD, actor="test")
    failures: list[str] = []
    assert users.login("ann", "wrong password", client="10.0.0.1",
                       on_failure=lambda: failures.append("ann")) is None  # fmt: skip
    assert users.login("nobody", PASSWORD, client="10.0.0.1") is None
    user = users.login("ann", PASSWORD, client="10.0.0.2", on_failure=lambda: failures.append("x"))
    assert user is not None and user.username == "ann" and failures == ["ann"]
    entries = users.audit_log(limit=3)
    assert [(e.action, e.target, e.detail) for e in reversed(entries)] == [
        ("login.failed", "ann", "from 10.0.0.1"),
        ("login.failed", "nobody", "from 10.0.0.1"),
        ("login", "ann", "from 10.0.0.2"),
    ]
    sid = users.start_session(user, hours=1)
    assert users.session_user(sid) == user
    again = users.start_session(user, hours=1, ending=sid)
    assert users.session_user(sid) is None and users.session_user(again) == user
    issued = users.issue_token("ann", "script", actor="ann")
    assert users.token_user(issued.secret) == user
    assert [(t.token_id, owner) for t, owner in users.owned_tokens()] == [
        (issued.token.token_id, "ann")
    ]
    users.revoke_token(issued.token.token_id, actor="ann")
    assert users.token_user(issued.secret) is None


def test_an_audited_import_records_only_a_change(workspace: Workspace, tiny_bundle: Path) -> None:
    imports = workspace.imports
    check = imports.check_bundle(tiny_bundle, replace=False)
    assert check.ok and workspace.revision() == 0
    first = imports.import_bundle(tiny_bundle, actor="ann", source="tiny.zip")
    again = imports.import_bundle(tiny_bundle, actor="ann", source="tiny.zip")
    assert first.changes.any and not again.changes.any
    entries = workspace.users.audit_log(limit=5)
    assert [(e.action, e.target) for e in entries] == [("bundle.import", "tiny.zip")]


def _payload(r: SimulationResult, description: str) -> dict[str, Any]:
    return {"scenario": r.scenario["name"], "runs": r.runs, "description": description}


def test_simulation_runs_are_checked_started_and_audited(
    workspace: Workspace, tiny_bundle: Path
) -> None:
    workspace.import_bundle(tiny_bundle)
    sim = workspace.simulation
    with pytest.raises(InputError, match=f"asks for {MAX_RUNS + 1:,} runs"):
        sim.submit(SCENARIO.replace("runs: 40", f"runs: {MAX_RUNS + 1}"), "big.yaml", "test",
                   actor="ann", payload=_payload)  # fmt: skip
    with pytest.raises(InputError, match="no node 'NOPE/X'"):
        sim.submit(SCENARIO, "s.yaml", "test", actor="ann", payload=_payload, watch="NOPE/X")
    with pytest.raises(InputError, match="YAML aliases"):
        sim.submit("a: &a [1]\n" + "b: [" + ", ".join(["*a"] * 101) + "]\n", "bomb.yaml",
                   "test", actor="ann", payload=_payload)  # fmt: skip
    job = sim.submit(SCENARIO, "s.yaml", "uploaded: s.yaml", actor="ann", payload=_payload,
                     runs=5, seed=3)  # fmt: skip
    assert jobs.wait_all(60)
    done = sim.run(job.job_id or 0)
    assert done.status is JobStatus.DONE, done.error
    assert json.loads(done.result) == {
        "scenario": "tiny-jp-stop", "runs": 5,
        "description": "Magnet exports from JP stop for two months.",
    }  # fmt: skip
    params = jobs.params(done)
    assert (params["runs"], params["seed"], params["revision"]) == (5, 3, workspace.revision())
    assert [j.job_id for j in sim.runs()] == [job.job_id]
    assert sim.latest_done() == done
    (entry,) = workspace.users.audit_log(limit=5)
    assert (entry.action, entry.target, entry.detail) == (
        "simulation.run", f"run {job.job_id}", "tiny-jp-stop (uploaded: s.yaml), runs=5, seed=3"
    )  # fmt: skip
    again = sim.rerun(job.job_id or 0, actor="bob", payload=_payload)
    assert jobs.wait_all(60)
    assert sim.run(again.job_id or 0).result == done.result  # the same numbers
    with pytest.raises(NotFoundError):
        sim.run(10_000)
