"""A two-element network and price files small enough to compute by hand.

PROD (1,000 units/yr at S-OEM, DE, 1,000 USD each) holds 2 magnets MAG (1 kg each,
made at S-MAG, JP): Nd 0.3 and Dy 0.05 of the magnet's mass, so one PROD holds
0.6 kg Nd and 0.1 kg Dy, and the plan needs 2 t of magnets a year.
"""

from __future__ import annotations

from pathlib import Path

from factories import write_bundle_files

BUNDLE = {
    "parties.csv": """party_id,name,country,roles,military_end_user,owner_party_id,ownership_pct
MAGCO,Magnet Co,JP,magnet_maker,false,,
OEM,Maker AG,DE,oem;assembler,,,
""",
    "sites.csv": """site_id,party_id,name,country,city
S-MAG,MAGCO,Magnet plant,JP,
S-OEM,OEM,Assembly plant,DE,
""",
    "parts.csv": """part_id,name,kind,uom,mass_kg,unit_value,currency,hs_code,form,magnet_type
MAG,NdFeB magnet,magnet,ea,1,100,USD,8505111000,magnet,ndfeb
PROD,Test product,product,ea,10,1000,USD,,other,none
""",
    "composition.csv": """part_id,element,mass_fraction,source
MAG,Nd,0.3,test
MAG,Dy,0.05,test
MAG,Fe,0.65,test
""",
    "bom.csv": """parent_part_id,child_part_id,quantity
PROD,MAG,2
""",
    "supply.csv": """supplier_site_id,part_id,buyer_site_id,share,lead_time_days
S-MAG,MAG,S-OEM,1,30
""",
    "production.csv": """site_id,part_id,units_per_year
S-OEM,PROD,1000
""",
}

#: Oxide prices (test data, not real): Nd 100 -> 90, Dy 400 -> 400.
OXIDE_PRICES = """element,form,basis,date,currency,price_per_kg,price_low,price_high,source
Nd,oxide,test,2025,USD,100,,,test data
Nd,oxide,test,2026,USD,90,,,test data
Dy,oxide,test,2025,USD,,390,410,test data (a range)
Dy,oxide,test,2026-03-01,USD,300,,,test data
Dy,oxide,test,2026-09-01,USD,500,,,test data
"""

#: Metal prices: Nd 100 -> 150, Dy 400 -> 400.
METAL_PRICES = """element,form,basis,date,currency,price_per_kg,source
Nd,metal,test,2025,USD,100,test data
Nd,metal,test,2026,USD,150,test data
Dy,metal,test,2025,USD,400,test data
Dy,metal,test,2026,USD,400,test data
"""

#: Metal prices, one pass-through margin (alloy -> magnet 10 %), Dy x2 for 73 days.
SCENARIO = """name: hand case
illustrative: true
base_year: 2025
first_year: 2026
last_year: 2026
form: metal
pass_through: {metal: 0, alloy: 0, magnet: 0.1}
steps:
  - shock: {elements: [Dy], factor: 2, days: 73, year: 2026, source: test}
"""

PROJECTS = """project_id,stage,elements,capacity_t_per_year,capacity_unit,start_year,ramp_years,status,counted,source
MAG-1,magnet,all,3,t magnets,2027,1,planned,yes,test
SEP-1,separation,Nd,0.7,t Nd oxide,,0,operating,yes,test
SEP-2,separation,Dy,,t Dy oxide,2026,0,planned,no,test
"""


def bundle(tmp: Path) -> Path:
    return write_bundle_files(tmp / "market-bundle", BUNDLE)
