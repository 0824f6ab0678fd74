"""``/healthz``: no login; says the process is up and the database answers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from raretrace import __version__
from raretrace.web.deps import WorkspaceDep
from raretrace.web.schemas import HealthPublic

pages = APIRouter()
api = APIRouter()


@pages.get("/healthz", tags=["health"], responses={503: {"model": HealthPublic}})
def healthz(ws: WorkspaceDep) -> JSONResponse:
    try:
        ws.revision()  # one query: the database answers
    except Exception:  # any driver error means "not healthy", never a 500
        body = HealthPublic(status="database unavailable", version=__version__)
        return JSONResponse(body.model_dump(), status_code=503)
    return JSONResponse(HealthPublic(status="ok", version=__version__).model_dump())
