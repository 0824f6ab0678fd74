"""Fixtures of the storage tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from raretrace.storage.sql.engine import make_engine
from raretrace.storage.sql.migrate import upgrade


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the test database (SQLite or PostgreSQL), migrated to the head."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()
