"""Simulation: choose a shipped scenario or upload one, run it in the background, watch
its progress, read its results (stop probabilities, first-stop days, losses, causes,
stock needed, inventory curves), and compare country dependence with the world's.

Runs are background jobs in the database (``services.jobs``), so every worker process
lists them and shows their progress; a run carries its scenario text, seed and version,
and "run again" reproduces it exactly.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from raretrace.analytics.results import SimulationResult
from raretrace.analytics.scenarios import Scenario
from raretrace.domain.jobs import Job, JobStatus
from raretrace.domain.users import User, UserRole
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.services import jobs
from raretrace.services import simulation as sim
from raretrace.services import users as user_service
from raretrace.services.catalogue import NetworkIndex
from raretrace.services.dependence import as_dict
from raretrace.services.tracing import package_version
from raretrace.web import charts
from raretrace.web.deps import CacheDep, Editor, IndexDep, Viewer, WorkspaceDep, render
from raretrace.web.schemas_sim import (
    DependencePublic,
    RunRowPublic,
    ScenarioChoicePublic,
    ScenarioProblemPublic,
    SimProductPublic,
    SimulationBriefPublic,
    SimulationIndexPublic,
    SimulationResultPublic,
    SimulationRunCreate,
    SimulationRunPublic,
    StageRowPublic,
    WorldFigurePublic,
)
from raretrace.workspace import Workspace

pages = APIRouter(tags=["simulation"])
api = APIRouter(tags=["simulation"])

KIND = "simulation"
MAX_SCENARIO_BYTES = 256 * 1024
MAX_ALIASES = 100  # YAML aliases refused beyond this (no "billion laughs")
MAX_RUNS = 5000  # Monte Carlo runs per web run
MAX_AUTO_WATCH = 12  # product nodes whose inventory curves every web run keeps


# -- scenarios ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def shipped() -> dict[str, tuple[Path, Scenario]]:
    return {p.stem: (p, sim.load_scenario(p)) for p in sim.sample_scenarios()}


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


def read_scenario(text: str, name: str, compiled: Any = None) -> Scenario:
    """Validate a scenario's text (ids against ``compiled`` when given); every problem
    is located by line (and key)."""
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise InputError(f"{name} is over the {MAX_SCENARIO_BYTES // 1024} KiB limit")
    try:
        aliases = sum(isinstance(t, yaml.AliasToken) for t in yaml.scan(text))
    except yaml.YAMLError:
        aliases = 0  # parse_scenario reports the located syntax error
    if aliases > MAX_ALIASES:
        raise InputError(
            f"{name} has {aliases} YAML aliases; at most {MAX_ALIASES} are accepted",
            [Problem(name, None, None, "write the values out instead of using *aliases")],
        )
    return sim.parse_scenario(text, name, compiled)


def read_upload(upload: UploadFile) -> tuple[str, str]:
    """(text, file name) of an uploaded scenario, size-limited and UTF-8."""
    name = Path(upload.filename or "scenario.yaml").name
    raw = upload.file.read(MAX_SCENARIO_BYTES + 1)
    if len(raw) > MAX_SCENARIO_BYTES:
        raise InputError(f"{name} is over the {MAX_SCENARIO_BYTES // 1024} KiB limit")
    try:
        return raw.decode("utf-8-sig"), name
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text",
            [Problem(name, None, None, f"byte {exc.start} cannot be decoded")],
        ) from None


# -- runs ---------------------------------------------------------------------------


def product_nodes(ws: Workspace) -> list[str]:
    """site/part of the planned products (their inventory curves are always kept)."""
    kinds = {p.part_id: p.kind.value for p in ws.network().parts}
    seen = dict.fromkeys(
        f"{r.site_id}/{r.part_id}"
        for r in ws.network().production
        if kinds.get(r.part_id) == "product"
    )
    return list(seen)[:MAX_AUTO_WATCH]


def result_payload(r: SimulationResult, description: str) -> dict[str, Any]:
    s = sim.summarise(r)
    model = SimulationResultPublic(
        scenario=s.scenario,
        description=description,
        runs=s.runs,
        seed=s.seed,
        version=s.version,
        revision=s.revision,
        step_days=s.step_days,
        horizon_days=s.horizon_days,
        stop_probability_target=s.stop_probability_target,
        products=[SimProductPublic.model_validate(p) for p in s.products],
        sites=s.sites,
        causes=s.causes,
        causes_by_part=s.causes_by_part,
        causes_by_supplier=s.causes_by_supplier,
        stock_needed=s.stock_needed,
        watched=r.watch,
        notes=s.notes,
        charts=charts.simulation_charts(sim.chart_specs(r)),
        scenario_data=r.scenario,
    )
    return model.model_dump(mode="json")


def submit(
    ws: Workspace,
    user: User,
    text: str,
    name: str,
    source: str,
    *,
    runs: int | None = None,
    seed: int | None = None,
    watch: str | None = None,
) -> Job:
    """Validate and start a run in the background; the job row records everything
    needed to reproduce it (scenario text, runs, seed, version, revision)."""
    scenario = read_scenario(text, name, ws.tracing.engine().compiled)
    if runs is not None and not 1 <= runs <= MAX_RUNS:
        raise InputError(f"runs must be between 1 and {MAX_RUNS}")
    if seed is not None and seed < 0:
        raise InputError("the seed must be 0 or more")
    n_runs = scenario.runs if runs is None else runs
    if n_runs > MAX_RUNS:
        raise InputError(
            f"{name} asks for {n_runs:,} runs; the web app runs at most {MAX_RUNS:,} "
            "(give fewer runs, or use `raretrace simulate` for more)",
            [Problem(name, None, "runs", f"at most {MAX_RUNS}")],
        )
    the_seed = scenario.seed if seed is None else seed
    if watch:
        _check_node(ws, watch)
    watch_list = list(
        dict.fromkeys([*scenario.watch, *([watch] if watch else []), *product_nodes(ws)])
    )
    to_run = scenario.model_copy(update={"watch": watch_list})
    params = {
        "scenario": scenario.name,
        "file": name,
        "source": source,
        "text": text,
        "runs": n_runs,
        "seed": the_seed,
        "watch": watch,
        "version": package_version(),
        "revision": ws.revision(),
    }

    def work(report: jobs.Reporter) -> dict[str, Any]:
        r = ws.simulate(to_run, runs=n_runs, seed=the_seed, progress=report)
        return result_payload(r, scenario.description)

    job = jobs.start(ws.uow, KIND, scenario.name, params, user.username, work)
    with ws.uow() as uow:
        user_service.record(
            uow,
            user.username,
            "simulation.run",
            f"run {job.job_id}",
            f"{scenario.name} ({source}), runs={n_runs}, seed={the_seed}",
        )
    return job


def _check_node(ws: Workspace, node: str) -> None:
    site, _, part = node.partition("/")
    net = ws.network()
    if not any(x.site_id == site for x in net.sites) or not any(
        p.part_id == part for p in net.parts
    ):
        raise InputError(
            f"no node {node!r}: give site/part, e.g. a site id and a part it makes",
            [Problem("watch", None, "watch", f"{node!r} is not a site/part of the network")],
        )


def submit_request(ws: Workspace, user: User, body: SimulationRunCreate) -> Job:
    if body.yaml:
        return submit(
            ws,
            user,
            body.yaml,
            "scenario.yaml",
            "uploaded: scenario.yaml",
            runs=body.runs,
            seed=body.seed,
            watch=body.watch,
        )
    if body.scenario:
        path = _shipped_path(body.scenario)
        return submit(
            ws,
            user,
            path.read_text(encoding="utf-8"),
            path.name,
            f"shipped: {path.name}",
            runs=body.runs,
            seed=body.seed,
            watch=body.watch,
        )
    raise InputError("choose a shipped scenario or upload a scenario file")


def rerun(ws: Workspace, user: User, run_id: int, watch: str | None) -> Job:
    """The same scenario text, runs and seed (identical numbers), optionally keeping
    one more inventory curve."""
    with ws.uow() as uow:
        old = jobs.get(uow, run_id, KIND)
    p = jobs.params(old)
    return submit(
        ws,
        user,
        str(p["text"]),
        str(p["file"]),
        f"re-run of #{run_id}",
        runs=int(p["runs"]),
        seed=int(p["seed"]),
        watch=watch or p.get("watch"),
    )


def _shipped_path(key: str) -> Path:
    found = shipped().get(key)
    if found is None:
        raise NotFoundError(f"no shipped scenario {key!r}")
    return found[0]


def _row(job: Job, now: datetime) -> RunRowPublic:
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
    with ws.uow() as uow:
        runs = [_row(j, ws.clock.now()) for j in jobs.recent(uow, KIND)]
    return SimulationIndexPublic(
        scenarios=scenario_choices(),
        runs=runs,
        max_upload_kib=MAX_SCENARIO_BYTES // 1024,
        max_runs=MAX_RUNS,
    )


def run_view(ws: Workspace, run_id: int, node: str | None = None) -> SimulationRunPublic:
    with ws.uow() as uow:
        job = jobs.get(uow, run_id, KIND)
    out = SimulationRunPublic(run=_row(job, ws.clock.now()))
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
    with ws.uow() as uow:
        job = jobs.latest_done(uow, KIND)
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


# -- dependence ---------------------------------------------------------------------


def dependence_view(
    ws: Workspace, idx: NetworkIndex, cache: Any, product: str | None
) -> DependencePublic:
    products = sorted(
        {
            r.part_id
            for r in idx.network.production
            if r.part_id in idx.parts and idx.parts[r.part_id].kind.value == "product"
        }
    )
    if product is not None and product not in idx.parts:
        raise NotFoundError(f"no part {product!r} in the workspace")

    def compute(_i: NetworkIndex) -> DependencePublic:
        report = as_dict(ws.dependence(product))
        rows: list[StageRowPublic] = []
        bars: list[tuple[str, str, str, float, float | None]] = []
        history = [_world(w) for w in report["history"]]
        for x in report["rows"]:
            world = _world(x["world"]) if x["world"] is not None else None
            ours = x["ours"]
            share_of_top = None
            if ours is not None and world is not None:
                shares = dict(zip(world.iso, world.shares_pct, strict=True))
                share_of_top = shares.get(ours["countries"][0])
            if ours is not None:
                bars.append(
                    (
                        x["stage"],
                        x["element"],
                        ours["countries"][0],
                        float(ours["share_pct"][0]),
                        share_of_top,
                    )
                )
            rows.append(
                StageRowPublic(
                    stage=x["stage"],
                    element=x["element"],
                    world=world,
                    ours=ours,
                    world_share_of_our_top=share_of_top,
                    sentence=x["sentence"],
                )
            )
        return DependencePublic(
            product=product,
            products=products,
            rows=rows,
            history=history,
            notes=report["notes"],
            chart=charts.dependence_chart(bars) if bars else None,
        )

    page: DependencePublic = cache.derived(idx, f"dependence:{product}", compute)
    return page


def _world(w: Any) -> WorldFigurePublic:
    c = w.concentration
    return WorldFigurePublic(
        stage=c.stage,
        year=w.year,
        sources=w.sources,
        countries=c.countries,
        iso=w.iso,
        shares_pct=c.shares_pct,
        hhi=c.hhi,
        complete=c.complete,
        top_country=c.top_country,
        top_share_pct=c.top_share_pct,
    )


# -- pages --------------------------------------------------------------------------


def _opt_int(value: str | None, name: str) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise InputError(f"{name} must be a whole number, not {value.strip()[:40]!r}") from None


def _index_page(
    request: Request, user: User, ws: Workspace, status: int = 200, **extra: Any
) -> HTMLResponse:
    return render(
        request,
        "simulation/index.html",
        user,
        status,
        page=index_view(ws),
        can_run=user.role.allows(UserRole.EDITOR),
        **extra,
    )


@pages.get("/simulation", response_class=HTMLResponse)
def simulation_page(request: Request, user: Viewer, ws: WorkspaceDep) -> HTMLResponse:
    return _index_page(request, user, ws)


@pages.post("/simulation/runs", response_class=HTMLResponse)
def run_page(
    request: Request,
    user: Editor,
    ws: WorkspaceDep,
    scenario: Annotated[str, Form(max_length=100)] = "",
    file: Annotated[UploadFile | None, File(description="A scenario .yaml file.")] = None,
    runs: Annotated[str, Form(max_length=20)] = "",
    seed: Annotated[str, Form(max_length=20)] = "",
    watch: Annotated[str, Form(max_length=400)] = "",
    rerun_of: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        n_runs, the_seed = _opt_int(runs, "runs"), _opt_int(seed, "seed")
        again = _opt_int(rerun_of, "rerun_of")
        if again is not None:
            job = rerun(ws, user, again, watch.strip() or None)
        elif file is not None and file.filename:
            text, name = read_upload(file)
            job = submit(
                ws,
                user,
                text,
                name,
                f"uploaded: {name}",
                runs=n_runs,
                seed=the_seed,
                watch=watch.strip() or None,
            )
        else:
            body = SimulationRunCreate(scenario=scenario or None)
            job = submit_request(
                ws,
                user,
                body.model_copy(
                    update={"runs": n_runs, "seed": the_seed, "watch": watch.strip() or None}
                ),
            )
    except InputError as exc:
        problems = [ScenarioProblemPublic.model_validate(p) for p in exc.problems]
        return _index_page(
            request,
            user,
            ws,
            422,
            error=str(exc).splitlines()[0],
            problems=problems,
            chosen=scenario,
        )
    return Response(status_code=303, headers={"Location": f"/simulation/runs/{job.job_id}"})


RunId = Annotated[
    int, PathParam(title="Run", description="A simulation run's number.", ge=1, le=2**31 - 1)
]
NodeQ = Annotated[
    str | None,
    Query(max_length=400, description="site/part whose inventory curve to show."),
]


@pages.get("/simulation/runs/{run_id}", response_class=HTMLResponse)
def run_result_page(
    request: Request, user: Viewer, ws: WorkspaceDep, run_id: RunId, node: NodeQ = None
) -> HTMLResponse:
    view = run_view(ws, run_id, node or None)
    return render(
        request, "simulation/run.html", user, page=view, can_run=user.role.allows(UserRole.EDITOR)
    )


@pages.get("/simulation/runs/{run_id}/progress", response_class=HTMLResponse)
def run_progress_fragment(
    request: Request, user: Viewer, ws: WorkspaceDep, run_id: RunId
) -> HTMLResponse:
    """The progress bar alone (htmx polls it); once the run ends it asks for a reload."""
    with ws.uow() as uow:
        row = _row(jobs.get(uow, run_id, KIND), ws.clock.now())
    response = render(request, "simulation/_progress.html", user, run=row)
    if row.status in ("done", "failed", "lost"):
        response.headers["HX-Refresh"] = "true"
    return response


@pages.get("/simulation/scenarios/{key}.yaml", response_class=PlainTextResponse)
def scenario_file(
    _user: Viewer,
    key: Annotated[str, PathParam(max_length=100, description="A shipped scenario's key.")],
) -> PlainTextResponse:
    path = _shipped_path(key)
    return PlainTextResponse(
        path.read_text(encoding="utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{path.name}"'},
    )


ProductQ = Annotated[
    str | None,
    Query(max_length=200, description="A product's part id; default: the whole production plan."),
]


@pages.get("/simulation/dependence", response_class=HTMLResponse)
def dependence_page(
    request: Request,
    user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    cache: CacheDep,
    product: ProductQ = None,
) -> HTMLResponse:
    page = dependence_view(ws, idx, cache, product or None)
    return render(request, "simulation/dependence.html", user, page=page)


# -- JSON twins ---------------------------------------------------------------------


@api.get("/simulation")
def simulation_api(_user: Viewer, ws: WorkspaceDep) -> SimulationIndexPublic:
    return index_view(ws)


@api.post(
    "/simulation/runs",
    status_code=202,
    responses={422: {"description": "Located problems in the scenario; nothing was run."}},
)
def run_api(user: Editor, ws: WorkspaceDep, body: SimulationRunCreate) -> SimulationRunPublic:
    job = submit_request(ws, user, body)
    assert job.job_id is not None
    return SimulationRunPublic(run=_row(job, ws.clock.now()))


@api.post("/simulation/runs/{run_id}/rerun", status_code=202)
def rerun_api(
    user: Editor,
    ws: WorkspaceDep,
    run_id: RunId,
    watch: Annotated[
        str | None, Query(max_length=400, description="Also keep this site/part's curve.")
    ] = None,
) -> SimulationRunPublic:
    return SimulationRunPublic(run=_row(rerun(ws, user, run_id, watch), ws.clock.now()))


@api.get("/simulation/runs/{run_id}")
def run_result_api(
    _user: Viewer, ws: WorkspaceDep, run_id: RunId, node: NodeQ = None
) -> SimulationRunPublic:
    return run_view(ws, run_id, node or None)


@api.get("/simulation/latest")
def latest_api(_user: Viewer, ws: WorkspaceDep) -> SimulationBriefPublic | None:
    return latest_brief(ws)


@api.get("/simulation/dependence")
def dependence_api(
    _user: Viewer, ws: WorkspaceDep, idx: IndexDep, cache: CacheDep, product: ProductQ = None
) -> DependencePublic:
    return dependence_view(ws, idx, cache, product or None)
