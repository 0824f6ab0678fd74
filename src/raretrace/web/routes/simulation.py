"""Simulation: choose a shipped scenario or upload one, run it in the background, watch
its progress, read its results (stop probabilities, first-stop days, losses, causes,
stock needed, inventory curves), and compare country dependence with the world's.

Runs are background jobs in the database (``services.jobs.queue``), so every worker process
lists them and shows their progress; a run carries its scenario text, seed and version,
and "run again" reproduces it exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from raretrace.analytics.results import SimulationResult
from raretrace.domain.jobs import Job
from raretrace.domain.users import User, UserRole
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.services.network.catalogue import NetworkIndex, planned_products
from raretrace.services.simulation import runs as sim
from raretrace.services.simulation.dependence import as_dict
from raretrace.services.simulation.service import (
    MAX_SCENARIO_BYTES,
    shipped_path,
)
from raretrace.web import charts
from raretrace.web.deps import CacheDep, Editor, IndexDep, Viewer, WorkspaceDep, render
from raretrace.web.routes.simulation_views import (
    index_view,
    latest_brief,
    run_row,
    run_view,
)
from raretrace.web.schemas_sim import (
    DependencePublic,
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


# -- scenarios ----------------------------------------------------------------------


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
    """Validate, start and audit a run (``SimulationService.submit``)."""
    return ws.simulation.submit(
        text, name, source, actor=user.username, payload=result_payload,
        runs=runs, seed=seed, watch=watch,
    )  # fmt: skip


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
        return ws.simulation.submit_shipped(
            body.scenario, actor=user.username, payload=result_payload,
            runs=body.runs, seed=body.seed, watch=body.watch,
        )  # fmt: skip
    raise InputError("choose a shipped scenario or upload a scenario file")


def rerun(ws: Workspace, user: User, run_id: int, watch: str | None) -> Job:
    """The same scenario text, runs and seed (identical numbers), optionally keeping
    one more inventory curve."""
    return ws.simulation.rerun(run_id, actor=user.username, payload=result_payload, watch=watch)


# -- dependence ---------------------------------------------------------------------


def dependence_view(
    ws: Workspace, idx: NetworkIndex, cache: Any, product: str | None
) -> DependencePublic:
    products = planned_products(idx)
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
    row = run_row(ws.simulation.run(run_id), ws.clock.now())
    response = render(request, "simulation/_progress.html", user, run=row)
    if row.status in ("done", "failed", "lost"):
        response.headers["HX-Refresh"] = "true"
    return response


@pages.get("/simulation/scenarios/{key}.yaml", response_class=PlainTextResponse)
def scenario_file(
    _user: Viewer,
    key: Annotated[str, PathParam(max_length=100, description="A shipped scenario's key.")],
) -> PlainTextResponse:
    path = shipped_path(key)
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
    return SimulationRunPublic(run=run_row(job, ws.clock.now()))


@api.post("/simulation/runs/{run_id}/rerun", status_code=202)
def rerun_api(
    user: Editor,
    ws: WorkspaceDep,
    run_id: RunId,
    watch: Annotated[
        str | None, Query(max_length=400, description="Also keep this site/part's curve.")
    ] = None,
) -> SimulationRunPublic:
    return SimulationRunPublic(run=run_row(rerun(ws, user, run_id, watch), ws.clock.now()))


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
