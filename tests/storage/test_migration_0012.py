"""Migration 0012 on a database that already holds parties, parts and an application:
the filing particulars start empty, the licence face reads as all unknown, and it
downgrades."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from raretrace.domain.applications import LicenceFace
from raretrace.storage.sql import migrate
from raretrace.storage.sql.engine import make_engine
from raretrace.storage.sql.licence_repository import SqlLicenceRepository

ITEMS = [{"part_id": "P", "description": "magnet", "control_codes": ["1C905.a"],
          "mass_mg": 1_000_000, "value": "10.00", "currency": "USD"}]  # fmt: skip


def test_upgrade_keeps_rows_and_adds_empty_particulars(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0007_rates_survey_workbooks")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO parties (party_id, name, country, roles, military_end_user, notes)"
            " VALUES ('HEN', 'Hengda', 'CN', 'magnet_maker', false, '')"
        ))  # fmt: skip
        conn.execute(
            text(
                "INSERT INTO licence_applications (exporter, importer, end_user, destination,"
                " contract_ref, end_use, licence_type, rule_pack, review_working_days,"
                " created_at, created_by, items) VALUES ('HEN', 'IMP', 'IMP', 'PL', '', '',"
                " 'single', 'ann-2025-18', 45, :at, 'x', :items)"
            ),
            {"at": datetime(2026, 1, 5, tzinfo=UTC), "items": json.dumps(ITEMS)},
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT name_zh, address, address_zh, uscc, contact, telephone FROM parties")
        ).one()
        assert tuple(row) == ("", "", "", "", "", "")
    with Session(engine) as session:
        (app,) = SqlLicenceRepository(session).applications()
        assert app.face == LicenceFace() and app.items[0].hs_code == ""
        assert app.items[0].control_codes == ("1C905.a",)
    migrate.downgrade(engine, "0007_rates_survey_workbooks")
    columns = {c["name"] for c in inspect(engine).get_columns("parties")}
    assert "uscc" not in columns and "name_zh" not in columns
    assert "face" not in {c["name"] for c in inspect(engine).get_columns("licence_applications")}
    engine.dispose()
