"""SQL implementation of ``ports.JobRepository``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from raretrace.domain.jobs import Job, JobStatus
from raretrace.storage.sql.job_tables import JobRow


def _utc(dt: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _job(r: JobRow, *, with_result: bool = True) -> Job:
    created = _utc(r.created_at)
    assert created is not None
    return Job(
        kind=r.kind,
        title=r.title,
        created_by=r.created_by,
        created_at=created,
        params=r.params,
        status=JobStatus(r.status),
        done=r.done,
        total=r.total,
        updated_at=_utc(r.updated_at),
        finished_at=_utc(r.finished_at),
        result=r.result if with_result else "",
        error=r.error,
        job_id=r.job_id,
    )


class SqlJobRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, job: Job) -> Job:
        row = JobRow(
            kind=job.kind,
            title=job.title,
            status=job.status.value,
            created_by=job.created_by,
            created_at=job.created_at,
            updated_at=job.updated_at,
            finished_at=job.finished_at,
            done=job.done,
            total=job.total,
            params=job.params,
            result=job.result,
            error=job.error,
        )
        self._session.add(row)
        self._session.flush()
        return _job(row)

    def get(self, job_id: int) -> Job | None:
        row = self._session.get(JobRow, job_id)
        return None if row is None else _job(row)

    def recent(self, kind: str, *, limit: int = 50) -> list[Job]:
        rows = self._session.scalars(
            select(JobRow).where(JobRow.kind == kind).order_by(JobRow.job_id.desc()).limit(limit)
        )
        return [_job(r, with_result=False) for r in rows]

    def latest_done(self, kind: str) -> Job | None:
        row = self._session.scalars(
            select(JobRow)
            .where(JobRow.kind == kind, JobRow.status == JobStatus.DONE.value)
            .order_by(JobRow.job_id.desc())
            .limit(1)
        ).first()
        return None if row is None else _job(row)

    def update(self, job_id: int, **fields: Any) -> None:
        values = {k: (v.value if isinstance(v, JobStatus) else v) for k, v in fields.items()}
        self._session.execute(update(JobRow).where(JobRow.job_id == job_id).values(**values))
