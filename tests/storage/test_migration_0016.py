"""Migration 0016 on a database that already holds a screening list: its entries keep
everything and start with no dates of birth; new imports store them; it downgrades."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from raretrace.domain.screening import ListEntry, ListFormat, ListVersion
from raretrace.storage.sql import migrate
from raretrace.storage.sql.engine import make_engine
from raretrace.storage.sql.screening_repository import SqlScreeningRepository


def test_upgrade_keeps_entries_and_stores_dates_of_birth(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine, "0015")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO screening_list_versions (list_name, format, source,"
                " version_date, loaded_at, entry_count) VALUES ('SDN', 'csl', 'sdn.csv',"
                " :d, :at, 1)"
            ),
            {"d": date(2018, 10, 29), "at": datetime(2026, 12, 7, tzinfo=UTC)},
        )
        conn.execute(
            text(
                "INSERT INTO screening_entries (version_id, entry_key, name, aliases,"
                " countries, addresses, programs, entity_type, source, license_policy,"
                " remarks, list_kind, ids) VALUES (1, '16935', 'PONOMARYOV, Vyacheslav',"
                " '[]', '[\"UA\"]', '[]', '[]', 'Individual', 'SDN', '', '', '', '[]')"
            )
        )
    migrate.upgrade(engine)
    with Session(engine) as session:
        repo = SqlScreeningRepository(session)
        (old,) = repo.entries(1)
        assert old.name == "PONOMARYOV, Vyacheslav" and old.countries == ("UA",)
        assert old.dates_of_birth == ()
        # SDN 16935's "DOB 02 May 1965", and the other forms an entry keeps
        births = ("1965-05-02", "1966", "1964~", "1960/1962")
        version = repo.add_version(
            ListVersion("SDN", ListFormat.CSL, "sdn.csv", date(2018, 10, 30),
                        datetime(2026, 12, 7, tzinfo=UTC), 1),
            [ListEntry("16935", "PONOMARYOV, Vyacheslav", dates_of_birth=births)],
        )  # fmt: skip
        session.commit()
        assert version.version_id is not None
        (new,) = repo.entries(version.version_id)
        assert new.dates_of_birth == births
    migrate.downgrade(engine, "0015")
    columns = {c["name"] for c in inspect(engine).get_columns("screening_entries")}
    assert "dates_of_birth" not in columns and "ids" in columns
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM screening_entries")).scalar() == 2
    engine.dispose()
