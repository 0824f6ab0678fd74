"""schemathesis: generated requests against every operation of the OpenAPI description
never get a 500 (with an admin API token, so every operation is reachable)."""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from raretrace.services.users import accounts as user_service


def test_no_server_errors(app: FastAPI) -> None:
    with app.state.workspace._uow() as uow:
        secret = user_service.issue_token(uow, "admin", "fuzz", actor="test").secret
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    seen = []
    for result in schema.get_all_operations():
        operation = result.ok()
        seen.append(f"{operation.method.upper()} {operation.path}")

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers={"Authorization": f"Bearer {secret}"})
            assert response.status_code < 500, (case.method, case.path, response.text[:500])

        check()
    assert "GET /api/v1/parts/{part_id}" in seen
    assert "POST /api/v1/import" in seen
