"""Background jobs as one service object (``Workspace.jobs``): start a job, read it
back. Each method opens its own unit of work; the job thread opens its own too
(``services.jobs.queue``)."""

from __future__ import annotations

from typing import Any

from raretrace.domain.jobs import Job
from raretrace.services.jobs import queue as fn
from raretrace.storage.ports import UnitOfWorkFactory


class JobsService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def start(
        self, kind: str, title: str, params: dict[str, Any], actor: str, work: fn.Work
    ) -> Job:
        """Record the job, then run ``work(report)`` on a thread of this process."""
        return fn.start(self._uow, kind, title, params, actor, work)

    def get(self, job_id: int, kind: str) -> Job:
        with self._uow() as uow:
            return fn.get(uow, job_id, kind)

    def recent(self, kind: str, limit: int = 50) -> list[Job]:
        with self._uow() as uow:
            return fn.recent(uow, kind, limit)

    def latest_done(self, kind: str) -> Job | None:
        with self._uow() as uow:
            return fn.latest_done(uow, kind)
