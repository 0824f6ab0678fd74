"""Simulation views: the public models of the run list, one run's page and the
dashboard's card, built from the jobs the simulation service keeps."""

from __future__ import annotations

import json
from datetime import datetime

from raretrace.domain.jobs import Job, JobStatus
from raretrace.errors import NotFoundError
from raretrace.services.jobs import queue as jobs
from raretrace.services.simulation.service import MAX_RUNS, MAX_SCENARIO_BYTES, shipped
from raretrace.web.schemas_sim import (
    RunRowPublic,
    ScenarioChoicePublic,
    ScenarioProblemPublic,
    SimulationBriefPublic,
    SimulationIndexPublic,
    SimulationResultPublic,
    SimulationRunPublic,
)
from raretrace.workspace import Workspace


def scenario_choices() -> list[ScenarioChoicePublic]:
    return [
        ScenarioChoicePublic(
            key=key,
            name=s.name,
            description=s.description,
            start=s.start.isoformat() if s.start else None,
            horizon_days=s.horizon_days,
            step=s.step,
            runs=s.runs,
            seed=s.seed,
        )
        for key, (_, s) in shipped().items()
    ]


def run_row(job: Job, now: datetime) -> RunRowPublic:
    p = jobs.params(job)
    status = "lost" if jobs.is_stale(job, now) else job.status.value
    progress = 1.0 if job.status is JobStatus.DONE else (job.done / job.total if job.total else 0)
    assert job.job_id is not None
    return RunRowPublic(
        run_id=job.job_id,
        status=status,
        scenario=str(p.get("scenario", job.title)),
        source=str(p.get("source", "")),
        runs=int(p.get("runs", 0)),
        seed=int(p.get("seed", 0)),
        version=str(p.get("version", "")),
        revision=p.get("revision"),
        created_by=job.created_by,
        created_at=job.created_at,
        finished_at=job.finished_at,
        done=job.done,
        total=job.total,
        progress=progress,
    )


def index_view(ws: Workspace) -> SimulationIndexPublic:
    now = ws.clock.now()
    runs = [run_row(j, now) for j in ws.simulation.runs()]
    return SimulationIndexPublic(
        scenarios=scenario_choices(),
        runs=runs,
        max_upload_kib=MAX_SCENARIO_BYTES // 1024,
        max_runs=MAX_RUNS,
    )


def run_view(ws: Workspace, run_id: int, node: str | None = None) -> SimulationRunPublic:
    job = ws.simulation.run(run_id)
    out = SimulationRunPublic(run=run_row(job, ws.clock.now()))
    if job.status is JobStatus.FAILED:
        err = json.loads(job.error or "{}")
        return out.model_copy(
            update={
                "error": err.get("message", "the run failed"),
                "problems": [
                    ScenarioProblemPublic.model_validate(x) for x in err.get("problems", [])
                ],
            }
        )
    if out.run.status == "lost":
        return out.model_copy(update={"error": "the run stopped reporting (its worker ended)"})
    if job.status is not JobStatus.DONE:
        return out
    result = SimulationResultPublic.model_validate_json(job.result)
    if node is not None and node not in result.watched:
        raise NotFoundError(f"run {run_id} kept no inventory curve for {node!r}")
    chosen = node or _default_node(result)
    chart = result.charts.get(f"stock:{chosen}") if chosen else None
    return out.model_copy(update={"result": result, "node": chosen, "node_chart": chart})


def _default_node(result: SimulationResultPublic) -> str | None:
    """The scenario's own watch node, else the product most likely to stop."""
    own = [w for w in result.scenario_data.get("watch") or [] if w in result.watched]
    if own:
        return str(own[0])
    for p in result.products:
        if f"{p.site}/{p.product}" in result.watched:
            return f"{p.site}/{p.product}"
    return result.watched[0] if result.watched else None


def latest_brief(ws: Workspace) -> SimulationBriefPublic | None:
    """The dashboard card: the newest finished run."""
    job = ws.simulation.latest_done()
    if job is None or job.job_id is None:
        return None
    r = SimulationResultPublic.model_validate_json(job.result)
    target = r.stop_probability_target
    return SimulationBriefPublic(
        run_id=job.job_id,
        scenario=r.scenario,
        runs=r.runs,
        seed=r.seed,
        finished_at=job.finished_at,
        products=len(r.products),
        products_at_risk=sum(p.stop_probability > target for p in r.products),
        target=target,
        top=r.products[:3],
        top_cause=r.causes[0] if r.causes else None,
    )
