"""Small, explicit test data shared by several test modules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Matcher

#: The moment every test runs at (``Settings.fixed_now`` via conftest): Sunday 6 Dec
#: 2026, 12:00 in Beijing. Tests take "today" from here, never from the wall clock.
TEST_NOW = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)
TEST_TODAY = date(2026, 12, 6)  # the China Standard Time day of TEST_NOW

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


#: A scenario for the tiny bundle: magnets come from JP (S-MAG) to the car plant in DE,
#: so a two-month JP export stop halts the cars (simulation pages and area services).
TINY_JP_STOP = """\
name: tiny-jp-stop
description: Magnet exports from JP stop for two months.
start: 2025-01-01
horizon_days: 120
step: day
runs: 40
seed: 7
embargoes:
  - name: JP stop
    exporters: [JP]
    items: magnets
    window: {from: 2025-01-01, to: 2025-03-01}
default_stock_days: 10
"""


def list_matcher(entries: Iterable[ListEntry]) -> Matcher:
    """A matcher over ``entries``, as one list (the screening tests' fixture)."""
    return Matcher(IndexedEntry("test", 1, e) for e in entries)


def hit_keys(matcher: Matcher, name: str) -> set[str]:
    """The entry keys ``matcher`` hits for ``name`` (no country)."""
    return {m.indexed.entry.entry_key for m in matcher.match(Subject(name, None, ""))}
