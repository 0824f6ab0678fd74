"""Background jobs kept in the database: a request submits a job, a thread of the same
process runs it, and any worker process reads its progress and result.

The job row is the only shared state, so several workers behind a load balancer all see
every job. A job whose thread died with its process stops updating its heartbeat;
``is_stale`` tells readers so they can say the run was lost instead of waiting forever.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from raretrace.domain.jobs import Job, JobStatus
from raretrace.errors import InputError, NotFoundError, RaretraceError
from raretrace.storage.ports import UnitOfWork

__all__ = [
    "STALE_AFTER",
    "Reporter",
    "get",
    "is_stale",
    "latest_done",
    "recent",
    "start",
    "wait_all",
]

log = logging.getLogger(__name__)

#: a running job that has not reported for this long is taken as lost
STALE_AFTER = timedelta(minutes=10)
#: write progress at most this often (seconds)
PROGRESS_EVERY_S = 0.5

#: jobs running at once in one process; more wait, queued, for a slot
MAX_RUNNING = 2
_slots = threading.BoundedSemaphore(MAX_RUNNING)
_threads: list[threading.Thread] = []
_threads_lock = threading.Lock()

UowFactory = Callable[[], Any]  # a fresh UnitOfWork for a with-block
Reporter = Callable[[int, int], None]
Work = Callable[[Reporter], dict[str, Any]]


def submit(uow: UnitOfWork, kind: str, title: str, params: dict[str, Any], actor: str) -> Job:
    now = uow.clock.now()
    return uow.jobs.add(
        Job(kind, title[:500], actor, now, json.dumps(params), JobStatus.QUEUED, updated_at=now)
    )


def start(
    uow_factory: UowFactory,
    kind: str,
    title: str,
    params: dict[str, Any],
    actor: str,
    work: Work,
) -> Job:
    """Record the job, then run ``work(report)`` on a daemon thread; its return value
    (JSON-serialisable) becomes the job's result, an exception its error."""
    with uow_factory() as uow:
        job = submit(uow, kind, title, params, actor)
    assert job.job_id is not None
    thread = threading.Thread(
        target=_run, args=(uow_factory, job.job_id, work), name=f"job-{job.job_id}", daemon=True
    )
    with _threads_lock:
        _threads[:] = [t for t in _threads if t.is_alive()]
        _threads.append(thread)
    thread.start()
    return job


def wait_all(timeout_s: float = 60.0) -> bool:
    """Wait for this process's job threads (tests, orderly shutdown); True if all ended."""
    deadline = time.monotonic() + timeout_s
    with _threads_lock:
        threads = list(_threads)
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    return not any(t.is_alive() for t in threads)


def _run(uow_factory: UowFactory, job_id: int, work: Work) -> None:
    with _slots:
        try:
            _run_now(uow_factory, job_id, work)
        except Exception:  # the database itself failed: nothing left to record it in
            log.error("job %s could not be recorded\n%s", job_id, traceback.format_exc())


def _run_now(uow_factory: UowFactory, job_id: int, work: Work) -> None:
    with uow_factory() as uow:
        uow.jobs.update(job_id, status=JobStatus.RUNNING, updated_at=uow.clock.now())
    last = 0.0

    def report(done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if done < total and now - last < PROGRESS_EVERY_S:
            return
        last = now
        with uow_factory() as u:
            u.jobs.update(job_id, done=done, total=total, updated_at=u.clock.now())

    try:
        result = work(report)
    except Exception as exc:  # any failure is the job's result, shown to its reader
        if isinstance(exc, RaretraceError):
            problems = [
                {"file": p.file, "row": p.row, "column": p.column, "message": p.message}
                for p in getattr(exc, "problems", [])
            ]
            error = {"message": str(exc).splitlines()[0], "problems": problems}
        else:
            log.error("job %s failed\n%s", job_id, traceback.format_exc())
            error = {"message": f"the run failed: {type(exc).__name__}: {exc}", "problems": []}
        with uow_factory() as uow:
            uow.jobs.update(
                job_id,
                status=JobStatus.FAILED,
                error=json.dumps(error),
                updated_at=uow.clock.now(),
                finished_at=uow.clock.now(),
            )
        return
    with uow_factory() as uow:
        uow.jobs.update(
            job_id,
            status=JobStatus.DONE,
            result=json.dumps(result),
            updated_at=uow.clock.now(),
            finished_at=uow.clock.now(),
        )


def get(uow: UnitOfWork, job_id: int, kind: str) -> Job:
    job = uow.jobs.get(job_id)
    if job is None or job.kind != kind:
        raise NotFoundError(f"no {kind} run {job_id}")
    return job


def recent(uow: UnitOfWork, kind: str, limit: int = 50) -> list[Job]:
    return uow.jobs.recent(kind, limit=limit)


def latest_done(uow: UnitOfWork, kind: str) -> Job | None:
    return uow.jobs.latest_done(kind)


def is_stale(job: Job, now: datetime) -> bool:
    """Running or queued, but silent for longer than ``STALE_AFTER`` at ``now``."""
    if job.finished:
        return False
    beat = job.updated_at or job.created_at
    return now - beat > STALE_AFTER


def params(job: Job) -> dict[str, Any]:
    try:
        value = json.loads(job.params)
    except ValueError as exc:
        raise InputError(f"job {job.job_id} has unreadable parameters") from exc
    return value if isinstance(value, dict) else {}
