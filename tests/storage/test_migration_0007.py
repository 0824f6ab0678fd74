"""Migration 0007 on a database that already holds survey requests: they are kept (no
workbook, so nothing to download), stored rate tables appear, and it downgrades."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from raretrace.domain.currency import ExchangeRates, StoredRates
from raretrace.storage.sql import migrate
from raretrace.storage.sql.engine import make_engine
from raretrace.storage.sql.rates_repository import SqlRatesRepository
from raretrace.storage.sql.survey_repository import SqlSurveyRepository


def test_upgrade_keeps_survey_requests_and_adds_rate_tables(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0006_jobs")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO survey_requests (supplier_party_id, campaign, sent_at, due_date, file)"
                " VALUES ('MAG', 'rare-earths', :at, :due, '/tmp/raretrace-survey-x/survey.xlsx')"
            ),
            {"at": datetime(2026, 1, 5, tzinfo=UTC), "due": date(2026, 2, 5)},
        )
    migrate.upgrade(engine)
    assert "exchange_rates" in inspect(engine).get_table_names()
    with Session(engine) as session:
        (old,) = SqlSurveyRepository(session).requests()
        assert old.sha256 == "" and old.supplier_party_id == "MAG"
        assert old.request_id is not None
        assert SqlSurveyRepository(session).workbook(old.request_id) == (old, None)
        rates = ExchangeRates("EUR", date(2026, 1, 2), "test data", {"USD": Decimal("0.9")})
        at = datetime(2026, 1, 3, tzinfo=UTC)
        added = SqlRatesRepository(session).add(StoredRates(rates, "r.csv", "ab" * 32, "t", at))
        session.commit()
        assert SqlRatesRepository(session).get(added.rates_id or 0) == added
        assert added.rates.rates == {"USD": Decimal("0.9")} and added.stored_at == at
    migrate.downgrade(engine, "0006_jobs")
    assert "exchange_rates" not in inspect(engine).get_table_names()
    columns = {c["name"] for c in inspect(engine).get_columns("survey_requests")}
    assert "workbook" not in columns and "sha256" not in columns
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM survey_requests")).scalar() == 1
    engine.dispose()
