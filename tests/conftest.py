"""Shared fixtures.

Fixture policy (read before adding one):

- Real databases only. ``db_url`` gives a fresh SQLite file per test and, when
  ``RARETRACE_TEST_POSTGRES_URL`` is set, the same test again on PostgreSQL in a fresh
  schema (dropped afterwards). Tests that take ``db_url`` (or ``settings`` /
  ``workspace``) therefore run on both back ends with no extra code.
- Settings are built per test (``settings`` fixture); nothing global is mutated.
- Use the smallest data that shows the behaviour: ``tiny_bundle`` writes a 7-file
  bundle of a few rows into ``tmp_path``; build special cases inline from it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from raretrace.settings import Settings
from raretrace.workspace import Workspace

PG_ENV = "RARETRACE_TEST_POSTGRES_URL"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def _pg_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    return Settings(database_url=url).database_url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    base = _pg_url()
    if base is None:
        pytest.skip(f"{PG_ENV} is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url)


@pytest.fixture
def workspace(settings: Settings) -> Iterator[Workspace]:
    ws = Workspace.open(settings)
    yield ws
    ws.close()


TINY = {
    "parties.csv": """party_id,name,country,roles,military_end_user,owner_party_id,ownership_pct
MINE,Example Mining Co,AU,mine,,,
SEP,Example Separation Sdn Bhd,MY,separator,,MINE,51
MAG,Example Magnet KK,JP,magnet_maker,false,,
OEM,Example Motors AG,DE,oem;assembler,,,
""",
    "sites.csv": """site_id,party_id,name,country,city
S-MINE,MINE,Mine site,AU,
S-SEP,SEP,Separation plant,MY,Kuantan
S-MAG,MAG,Magnet plant,JP,
S-OEM,OEM,Assembly plant,DE,Wolfsburg
""",
    "parts.csv": """part_id,name,kind,uom,mass_kg,unit_value,currency,hs_code,form,magnet_type
DY2O3,Dysprosium oxide,raw_material,kg,1,250.00,USD,2846901940,oxide,none
MAGNET,NdFeB magnet with Dy,magnet,ea,0.05,4.20,USD,8505111000,magnet,ndfeb
MOTOR,Seat motor,component,ea,0.6,25,EUR,,deep_processed_assembly,none
CAR,Example car,product,ea,1500,30000,EUR,,other,none
""",
    "composition.csv": """part_id,element,mass_fraction,source
DY2O3,Dy,0.8713,stoichiometric
DY2O3,O,0.1287,stoichiometric
MAGNET,Nd,0.3,illustrative
MAGNET,Dy,0.01,illustrative
MAGNET,Fe,0.678,illustrative
MAGNET,B,0.012,illustrative
""",
    "bom.csv": """parent_part_id,child_part_id,quantity
MAGNET,DY2O3,0.0006
MOTOR,MAGNET,2
CAR,MOTOR,4
""",
    "supply.csv": """supplier_site_id,part_id,buyer_site_id,share,lead_time_days
S-SEP,DY2O3,S-MAG,1,30
S-MAG,MAGNET,S-OEM,1,60
""",
    "production.csv": """site_id,part_id,units_per_year
S-OEM,CAR,100000
S-OEM,MOTOR,
""",
}


def write_bundle_files(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_bundle(tmp_path: Path) -> Path:
    """A small, valid bundle folder (all seven tables)."""
    return write_bundle_files(tmp_path / "tiny", TINY)
