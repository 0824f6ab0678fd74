"""SQL implementation of ``ports.SurveyRepository``."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from raretrace.domain.surveys import Assertion, SurveyRequest, SurveyResponse
from raretrace.storage.sql.survey_tables import SurveyRequestRow, SurveyResponseRow


def _utc(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _request(r: SurveyRequestRow) -> SurveyRequest:
    return SurveyRequest(
        r.supplier_party_id,
        r.campaign,
        _utc(r.sent_at),
        r.due_date,
        r.file,
        r.request_id,
        r.sha256 or "",
    )


class SqlSurveyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_request(self, request: SurveyRequest, workbook: bytes | None = None) -> SurveyRequest:
        row = SurveyRequestRow(
            supplier_party_id=request.supplier_party_id,
            campaign=request.campaign,
            sent_at=request.sent_at,
            due_date=request.due_date,
            file=request.file,
            sha256=request.sha256 or None,
            workbook=workbook,
        )
        self._session.add(row)
        self._session.flush()
        return _request(row)

    def requests(self) -> list[SurveyRequest]:
        rows = self._session.scalars(select(SurveyRequestRow).order_by(SurveyRequestRow.request_id))
        return [_request(r) for r in rows]

    def workbook(self, request_id: int) -> tuple[SurveyRequest, bytes | None] | None:
        """The request and the workbook sent with it (None for requests recorded before
        workbooks were kept); None when there is no such request."""
        row = self._session.get(SurveyRequestRow, request_id)
        return None if row is None else (_request(row), row.workbook)

    def add_response(self, response: SurveyResponse) -> SurveyResponse:
        payload = [
            [a.table, list(a.key), a.field, a.value, a.supplier_party_id, a.where]
            for a in response.assertions
        ]
        row = SurveyResponseRow(
            supplier_party_id=response.supplier_party_id,
            received_at=response.received_at,
            answered_on=response.answered_on,
            file=response.file,
            sha256=response.sha256,
            held=response.held,
            assertions=json.dumps(payload, ensure_ascii=False),
        )
        self._session.add(row)
        self._session.flush()
        return SurveyResponse(
            response.supplier_party_id,
            response.received_at,
            response.file,
            response.sha256,
            response.assertions,
            response.answered_on,
            response.held,
            row.response_id,
        )

    def responses(self) -> list[SurveyResponse]:
        rows = self._session.scalars(
            select(SurveyResponseRow).order_by(SurveyResponseRow.response_id)
        )
        out: list[SurveyResponse] = []
        for r in rows:
            assertions = tuple(
                Assertion(t, tuple(k), f, v, s, w) for t, k, f, v, s, w in json.loads(r.assertions)
            )
            out.append(
                SurveyResponse(
                    r.supplier_party_id,
                    _utc(r.received_at),
                    r.file,
                    r.sha256,
                    assertions,
                    r.answered_on,
                    r.held,
                    r.response_id,
                )
            )
        return out
