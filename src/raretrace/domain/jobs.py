"""Background jobs: long work (a simulation run) started by one request and watched by
later ones, possibly on another worker process. Parameters and results are JSON text,
so the job table is the same on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Job:
    """One background job. ``done``/``total`` count steps (batches) for progress;
    ``updated_at`` is the heartbeat: a running job whose worker died stops updating."""

    kind: str
    title: str
    created_by: str
    created_at: datetime
    params: str  #: JSON
    status: JobStatus = JobStatus.QUEUED
    done: int = 0
    total: int = 0
    updated_at: datetime | None = None
    finished_at: datetime | None = None
    result: str = ""  #: JSON, once done
    error: str = ""  #: JSON, once failed
    job_id: int | None = None

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
