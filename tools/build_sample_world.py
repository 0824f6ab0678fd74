#!/usr/bin/env python3
"""Build raretrace's embedded sample world: src/raretrace/sample/world/*.csv.

Stdlib only and deterministic: running it twice gives byte-identical files.

    .venv/bin/python tools/build_sample_world.py [--out DIR] [--check-only]

The network is FICTIONAL and ILLUSTRATIVE (see src/raretrace/sample/world/README.md):
every company is invented. The rare-earth figures (magnet composition, traction-motor
magnet mass, oxide prices, HS codes, stoichiometric oxide fractions) are taken from
/work/shared/data and cited in the ``source`` columns; everything else (small-magnet
masses, concentrate grades, non-rare-earth prices ...) is an illustrative assumption
and says so in ``notes``.

Modelling conventions
---------------------
* BOM quantities are *net content* (no yield or machining losses), so a content rollup
  through the BOM reproduces the declared compositions of alloys and magnets exactly.
  The generator checks that.
* Separation is a multi-output process. So that a rollup does not attribute co-product
  elements (Ce, La ...) to every oxide, each mine's output is modelled per separated
  element stream ("Nd stream of bastnaesite concentrate" ...). Only the stream element
  is declared in its composition.
* A site of a ``distributor`` party that is supplied a part and supplies the same part
  onward is a pass-through (trader / bonded warehouse); it has no BOM of its own.
* Grain-boundary-diffused (GBD) magnets are modelled as Dy-free base alloy plus a small
  amount of Dy or Tb metal added at the magnet maker.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "src" / "raretrace" / "sample" / "world"

# --------------------------------------------------------------------------------------
# Sources (shared/data files and the URLs they cite)
# --------------------------------------------------------------------------------------

SRC_CIAAW = (
    "https://www.ciaaw.org/atomic-weights.htm (IUPAC/CIAAW standard atomic weights; "
    "stoichiometric mass fraction computed in tools/build_sample_world.py)"
)
SRC_COURAGE = (
    "http://www.couragemagnet.com/faq/324.html (shared/data/magnet_composition.csv, "
    "'Sintered NdFeB (commercial, generic grade)' rows: Nd 29-32.5, Fe 63.95-68.65, "
    "B 1.1-1.2, Dy 0.6-1.2, Nb 0.3-0.5, Al 0.3-0.5, Cu 0.05-0.15 wt%)"
)
SRC_HGRADE = (
    "https://www.mainrichinternational.com/success-stories/lawn-mower-motors "
    "(shared/reference/regime.md s.6: H-grade and above take >= 3% Dy or Tb)"
)
SRC_GBD = (
    "shared/reference/regime.md s.6: GBD cuts heavy RE to < 0.6% "
    "(https://www.mainrichinternational.com/success-stories/lawn-mower-motors); "
    "0.5 wt% Dy by GBD (https://wxredian.com/art?id=f8250bc3f6d60553cb81de886a4a337f)"
)
SRC_SM2CO17 = (
    "https://www.couragemagnet.com/magnet-blog/366.html (shared/data/magnet_composition.csv, "
    "'Sm2Co17 (commercial 2:17)' rows: Sm 23-28, Co 48-52, Fe 14-17, Cu 5-7, Zr 2-3 wt%)"
)
SRC_SMCO5 = (
    "https://www.stanfordmagnets.com/smco-magnets-composition-series-and-types.html "
    "(shared/data/magnet_composition.csv, 'SmCo5 (commercial 1:5)': Sm ~36%, balance Co)"
)
SRC_MP_2KG = (
    "https://www.industrialheating.com/articles/97054-rare-earth-facilities-coming-to-texas "
    "(shared/data/re_content_per_application.csv row 'EV traction motor (MP Materials "
    "planning basis)': 2.0 kg NdFeB per motor, derived from ~1,000 t/yr for ~500,000 motors)"
)
SRC_NEO_133 = (
    "http://www.earths-book.com/index-1075.html (shared/data/re_content_per_application.csv "
    "row 'EV/hybrid traction motor (Neo Narva planning basis)': 1.33-2.0 kg NdFeB per motor, "
    "derived; 1.33 kg = lower end)"
)
_USGS25 = (
    "https://pubs.usgs.gov/periodicals/mcs2025/mcs2025-rare-earths.pdf "
    "(shared/data/usgs_rare_earth_oxide_prices.csv, MCS2025 {what}, 2024 estimated annual "
    "average, Argus)"
)
_USGS26 = (
    "https://pubs.usgs.gov/periodicals/mcs2026/mcs2026-rare-earths.pdf "
    "(shared/data/usgs_rare_earth_oxide_prices.csv, MCS2026 {what}, 2024 annual average, "
    "FOB, Argus)"
)
SRC_HS = "shared/data/hs_codes.csv ({rows})"
ILLUSTRATIVE = "illustrative assumption"

# Standard atomic weights (CIAAW abridged values).
ATOMIC_WEIGHT = {
    "Nd": 144.24,
    "Pr": 140.91,
    "Dy": 162.50,
    "Tb": 158.93,
    "Sm": 150.36,
    "O": 15.999,
    "Sr": 87.62,
    "Fe": 55.845,
}

# USGS oxide prices used (USD/kg, 2024).
OXIDE_PRICE = {
    "Nd": (Decimal("56"), _USGS25.format(what="'Neodymium oxide, 99.5% min' USD 56/kg")),
    "Pr": (Decimal("56"), _USGS26.format(what="'Praseodymium oxide, 99.99% min' USD 56/kg")),
    "Dy": (Decimal("260"), _USGS25.format(what="'Dysprosium oxide, 99.5% min' USD 260/kg")),
    "Tb": (Decimal("810"), _USGS25.format(what="'Terbium oxide, 99.99% min' USD 810/kg")),
    "Sm": (Decimal("2.01"), _USGS26.format(what="'Samarium oxide, 99.5% min' USD 2.01/kg")),
}

# --------------------------------------------------------------------------------------
# Tables being built
# --------------------------------------------------------------------------------------

PARTIES: list[dict[str, str]] = []
SITES: list[dict[str, str]] = []
PARTS: dict[str, dict[str, str]] = {}
COMPOSITION: list[dict[str, str]] = []
BOM: list[tuple[str, str, float]] = []

SITE_COUNTRY: dict[str, str] = {}
SITE_PARTY: dict[str, str] = {}
PARTY_ROLES: dict[str, set[str]] = {}

#: part -> how to source it: ``callable(buyer_site) -> [(supplier_site, share), ...]``.
SOURCING: dict[str, Callable[[str], list[tuple[str, float]]]] = {}
#: parts made at whichever site needs them (deep-processed sub-assemblies, in-house alloy)
INHOUSE: set[str] = set()
#: parts whose content is declared (leaves) -> {element: fraction}
DECLARED: dict[str, dict[str, float]] = {}


def party(
    pid: str,
    name: str,
    country: str,
    roles: str,
    *,
    military: bool = False,
    owner: str = "",
    pct: float | None = None,
    notes: str = "",
) -> None:
    PARTIES.append(
        {
            "party_id": pid,
            "name": name,
            "country": country,
            "roles": roles,
            "military_end_user": "true" if military else "false",
            "owner_party_id": owner,
            "ownership_pct": "" if pct is None else f"{pct:g}",
            "notes": notes,
        }
    )
    PARTY_ROLES[pid] = set(roles.split(";")) if roles else set()


# --- Filing particulars (issue 21): Chinese registered names, full addresses, unified
# social credit codes, contacts. ALL FICTIONAL and marked 示例 / illustrative: the
# addresses are "示例路" (Example Road) numbers, the telephone numbers use the unassigned
# 000 exchange, and every USCC below is generated by ``fictional_uscc``: it has a valid
# GB 32100-2015 check character (position 18) but its embedded organisation code
# (positions 9-17) deliberately FAILS the GB 11714 check digit, so no real company can
# hold it. The administrative division codes (positions 3-8) are the GB/T 2260 codes of
# the cities named (public region codes, not company data).

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def fictional_uscc(pid: str, division: str) -> str:
    """A GB 32100-2015-valid, deliberately fictional unified social credit code."""
    digits = "".join(str(b % 10) for b in hashlib.sha256(pid.encode()).digest()[:8])
    weights = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation-code check digit
    c9 = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    real = "X" if c9 == 10 else "0" if c9 == 11 else str(c9)
    wrong = next(c for c in "0123456789" if c != real)  # never the real check digit
    first17 = "91" + division + digits + wrong
    total = sum(USCC_CHARSET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return first17 + USCC_CHARSET[(31 - total % 31) % 31]


SAMPLE_MARK = "（示例）"

#: party id -> (Chinese name, address (en), address (zh), division code, contact, phone)
FILING: dict[str, tuple[str, str, str, str, str, str]] = {
    "HENGDA": ("包头恒达磁业有限公司", "No. 1 Example Road, Rare Earth High-Tech Zone, Baotou, "
               "Inner Mongolia, China (illustrative)", "内蒙古自治区包头市稀土高新区示例路1号",
               "150200", "王明", "+86 472 000 0101"),
    "HONGTU": ("包头宏图稀土分离有限公司", "No. 2 Example Road, Baotou, Inner Mongolia, China "
               "(illustrative)", "内蒙古自治区包头市示例路2号", "150200", "李强",
               "+86 472 000 0102"),
    "TIEXIN": ("包头铁信材料有限公司", "No. 3 Example Road, Baotou, Inner Mongolia, China "
               "(illustrative)", "内蒙古自治区包头市示例路3号", "150200", "赵磊",
               "+86 472 000 0103"),
    "BAYAN": ("巴彦草原稀土矿业有限公司", "No. 4 Example Road, Bayan Obo District, Baotou, "
              "Inner Mongolia, China (illustrative)", "内蒙古自治区包头市白云鄂博矿区示例路4号",
              "150200", "孙杰", "+86 472 000 0104"),
    "RUIXIN": ("宁波瑞鑫磁业有限公司", "No. 5 Example Road, Ningbo, Zhejiang, China "
               "(illustrative)", "浙江省宁波市示例路5号", "330200", "陈静", "+86 574 000 0105"),
    "LONGXIN": ("湖南龙鑫磁性材料有限公司", "No. 6 Example Road, Changsha, Hunan, China "
                "(illustrative)", "湖南省长沙市示例路6号", "430100", "刘洋",
                "+86 731 000 0106"),
    "JINYUAN": ("赣州金源稀土金属有限公司", "No. 7 Example Road, Ganzhou, Jiangxi, China "
                "(illustrative)", "江西省赣州市示例路7号", "360700", "周丽", "+86 797 000 0107"),
    "NANFANG": ("赣州南方离子稀土分离有限公司", "No. 8 Example Road, Ganzhou, Jiangxi, China "
                "(illustrative)", "江西省赣州市示例路8号", "360700", "吴刚", "+86 797 000 0108"),
    "GANNAN": ("赣南离子型稀土矿业有限公司", "No. 9 Example Road, Longnan, Ganzhou, Jiangxi, "
               "China (illustrative)", "江西省赣州市龙南市示例路9号", "360700", "郑华",
               "+86 797 000 0109"),
    "HUARONG": ("上海华荣稀土贸易有限公司", "No. 10 Example Road, Waigaoqiao, Pudong, "
                "Shanghai, China (illustrative)", "上海市浦东新区外高桥示例路10号", "310115",
                "黄蕾", "+86 21 0000 0110"),
    "XINLI": ("深圳新力微电机有限公司", "No. 11 Example Road, Shenzhen, Guangdong, China "
              "(illustrative)", "广东省深圳市示例路11号", "440300", "林峰", "+86 755 0000 0111"),
}  # fmt: skip

#: Foreign parties' full addresses (illustrative) and contacts.
FOREIGN_FILING: dict[str, tuple[str, str, str]] = {
    "HARZFELD": ("Musterstraße 1, 38640 Goslar, Germany (illustrative)", "Jonas Becker",
                 "+49 5321 000 0001"),
    "HARZFELD-PL": ("ul. Przykładowa 1, 40-000 Katowice, Poland (illustrative)", "Anna Nowak",
                    "+48 32 000 0001"),
}  # fmt: skip

#: Chinese names of a few parts (商品名称), as a Chinese exporter would write them.
PART_NAMES_ZH: dict[str, str] = {
    "MAG-EPS": "烧结钕铁硼永磁体（瓦形，30克，电动助力转向电机用，含镝0.9%）",
    "MAG-TM-AST": "烧结钕铁硼永磁体（方块，62.5克，驱动电机用，含镝3%）",
    "MAG-ESC": "烧结钕铁硼永磁体（瓦形，12克，ABS/ESC泵电机用，含镝0.9%）",
    "MET-DY": "金属镝（99.5%）",
    "MET-TB": "金属铽（99.5%）",
    "OX-DY": "氧化镝",
}


def filing_columns(row: dict[str, str]) -> dict[str, str]:
    """The parties row with its (fictional) filing particulars filled in."""
    pid = row["party_id"]
    if pid in FILING:
        zh, addr, addr_zh, division, contact, phone = FILING[pid]
        return row | {
            "name_zh": zh + SAMPLE_MARK,
            "address": addr,
            "address_zh": addr_zh + SAMPLE_MARK,
            "uscc": fictional_uscc(pid, division),
            "contact": contact + SAMPLE_MARK,
            "telephone": phone,
        }
    if pid in FOREIGN_FILING:
        addr, contact, phone = FOREIGN_FILING[pid]
        return row | {"address": addr, "contact": contact + " (sample)", "telephone": phone}
    return row


def site(sid: str, pid: str, name: str, country: str, city: str, notes: str = "") -> None:
    SITES.append(
        {
            "site_id": sid,
            "party_id": pid,
            "name": name,
            "country": country,
            "city": city,
            "notes": notes,
        }
    )
    SITE_COUNTRY[sid] = country
    SITE_PARTY[sid] = pid


def money(value: float | Decimal) -> str:
    d = Decimal(str(value))
    q = Decimal("0.01") if d >= 1 else Decimal("0.0001")
    return str(d.quantize(q, rounding=ROUND_HALF_UP))


def part(
    pid: str,
    name: str,
    kind: str,
    *,
    uom: str = "ea",
    mass: float | None = None,
    value: float | Decimal | None = None,
    cur: str = "EUR",
    hs: str = "",
    form: str = "other",
    mt: str = "none",
    notes: str = "",
    source: str = "",
) -> str:
    assert pid not in PARTS, f"duplicate part {pid}"
    PARTS[pid] = {
        "part_id": pid,
        "name": name,
        "kind": kind,
        "uom": uom,
        "mass_kg": "" if mass is None else f"{mass:.6g}",
        "unit_value": "" if value is None else money(value),
        "currency": "" if value is None else cur,
        "hs_code": hs,
        "form": form,
        "magnet_type": mt,
        "notes": notes,
        "source": source,
    }
    return pid


def bom(parent: str, *lines: tuple[str, float]) -> None:
    for child, qty in lines:
        BOM.append((parent, child, qty))


def comp(pid: str, fractions: dict[str, float], source: str) -> None:
    """Declare a composition; fractions are rounded to 1e-6 and kept summing to <= 1."""
    q = {
        el: Decimal(str(fr)).quantize(Decimal("0.000001"), ROUND_HALF_UP)
        for el, fr in fractions.items()
    }
    excess = sum(q.values()) - 1
    if excess > 0:
        big = max(q, key=lambda e: q[e])
        q[big] -= excess
    for el, frac in q.items():
        if frac > 0:
            COMPOSITION.append(
                {
                    "part_id": pid,
                    "element": el,
                    "mass_fraction": str(frac.normalize()),
                    "source": source,
                }
            )


def fixed(*pairs: tuple[str, float]) -> Callable[[str], list[tuple[str, float]]]:
    return lambda _buyer: list(pairs)


# Regions, for picking the nearest site of a commodity supplier.
REGION = {
    "DE": "EU",
    "CZ": "EU",
    "PL": "EU",
    "FR": "EU",
    "EE": "EU",
    "NL": "EU",
    "US": "NA",
    "MX": "NA",
    "JP": "AS",
    "KR": "AS",
    "CN": "AS",
    "MY": "AS",
    "AU": "AS",
}


def nearest(*sites: str) -> Callable[[str], list[tuple[str, float]]]:
    """Single-source from the supplier site in the buyer's country, else region, else first."""

    def pick(buyer: str) -> list[tuple[str, float]]:
        bc = SITE_COUNTRY[buyer]
        for s in sites:
            if SITE_COUNTRY[s] == bc:
                return [(s, 1.0)]
        for s in sites:
            if REGION[SITE_COUNTRY[s]] == REGION[bc]:
                return [(s, 1.0)]
        return [(sites[0], 1.0)]

    return pick


def by_buyer(
    default: list[tuple[str, float]], **overrides: list[tuple[str, float]]
) -> Callable[[str], list[tuple[str, float]]]:
    """Sourcing that depends on the buying site (keys are buyer site ids)."""
    return lambda buyer: overrides.get(buyer, default)


def lead_time(supplier: str, buyer: str, part_id: str) -> int:
    a, b = SITE_COUNTRY[supplier], SITE_COUNTRY[buyer]
    if a == b:
        lo, hi = 3, 14
    elif REGION[a] == REGION[b]:
        lo, hi = 7, 21
    else:
        lo, hi = 35, 70
    if PARTS[part_id]["kind"] in ("magnet", "raw_material"):
        lo, hi = lo + 7, hi + 20
    h = int(hashlib.sha256(f"{supplier}|{part_id}|{buyer}".encode()).hexdigest(), 16)
    return lo + h % (hi - lo + 1)


# ======================================================================================
# 1. Parties and sites
# ======================================================================================

FICT = "Fictional company (sample world)."


def build_parties() -> None:
    # --- OEM
    party("VELTRANA", "Veltrana Automobilwerke AG", "DE", "oem;assembler", notes=FICT)
    party(
        "VELTRANA-NA",
        "Veltrana North America LLC",
        "US",
        "oem;assembler",
        owner="VELTRANA",
        pct=100,
        notes=FICT + " Wholly owned US subsidiary.",
    )
    party(
        "VELTRANA-MX",
        "Veltrana de México S.A. de C.V.",
        "MX",
        "oem;assembler",
        owner="VELTRANA",
        pct=100,
        notes=FICT,
    )
    site("S-VEL-DE-HAL", "VELTRANA", "Veltrana vehicle plant Halle", "DE", "Halle (Saale)")
    site("S-VEL-DE-ENG", "VELTRANA", "Veltrana engine plant Zwickau", "DE", "Zwickau")
    site("S-VEL-MX-QRO", "VELTRANA-MX", "Veltrana vehicle plant Querétaro", "MX", "Querétaro")
    site("S-VEL-US-WIC", "VELTRANA-NA", "Veltrana vehicle plant Wichita", "US", "Wichita, KS")

    # --- Tier 1
    party(
        "HARZFELD",
        "Harzfeld Lenksysteme GmbH",
        "DE",
        "component_maker;assembler",
        notes=FICT + " Electric power steering.",
    )
    # The Katowice plant belongs to the Polish subsidiary: the end user a reviewer sees
    # on a licence packet for goods used in Poland is a Polish legal entity.
    party(
        "HARZFELD-PL",
        "Harzfeld Polska Sp. z o.o.",
        "PL",
        "component_maker;assembler",
        owner="HARZFELD",
        pct=100,
        notes=FICT + " Wholly owned Polish subsidiary; runs the Katowice steering plant.",
    )
    site("S-HAR-PL-KAT", "HARZFELD-PL", "Harzfeld steering plant Katowice", "PL", "Katowice")
    site("S-HAR-US-TOL", "HARZFELD", "Harzfeld steering plant Toledo", "US", "Toledo, OH")
    party(
        "BRENNWALD",
        "Brennwald Bremsensysteme GmbH",
        "DE",
        "component_maker;assembler",
        notes=FICT + " Brakes and ESC.",
    )
    site("S-BRE-CZ-JIH", "BRENNWALD", "Brennwald brake plant Jihlava", "CZ", "Jihlava")
    site("S-BRE-MX-PUE", "BRENNWALD", "Brennwald brake plant Puebla", "MX", "Puebla")
    party("LUMBAR", "Lumbar Seating Inc.", "US", "assembler", notes=FICT + " Seats.")
    site("S-LUM-US-AUB", "LUMBAR", "Lumbar seat plant Auburn Hills", "US", "Auburn Hills, MI")
    site("S-LUM-MX-SAL", "LUMBAR", "Lumbar seat plant Saltillo", "MX", "Saltillo")
    site("S-LUM-DE-LEI", "LUMBAR", "Lumbar Sitzsysteme Leipzig", "DE", "Leipzig")
    party(
        "KALTENBACH",
        "Kaltenbach Türsysteme GmbH",
        "DE",
        "assembler",
        notes=FICT + " Door modules and window regulators.",
    )
    site("S-KAL-DE-COB", "KALTENBACH", "Kaltenbach door-module plant Coburg", "DE", "Coburg")
    site("S-KAL-MX-LEO", "KALTENBACH", "Kaltenbach door-module plant León", "MX", "León")
    party(
        "VALMONT",
        "Valmont Systèmes d'Essuyage SAS",
        "FR",
        "component_maker;assembler",
        notes=FICT + " Wiper systems.",
    )
    site("S-VAL-FR-ISS", "VALMONT", "Valmont wiper plant Issoire", "FR", "Issoire")
    site("S-VAL-MX-SLP", "VALMONT", "Valmont wiper plant San Luis Potosí", "MX", "San Luis Potosí")
    party(
        "RHEINTAL",
        "Pumpwerk Rheintal GmbH",
        "DE",
        "component_maker",
        notes=FICT + " Electric coolant, water and oil pumps.",
    )
    site("S-RHE-DE-NEU", "RHEINTAL", "Pumpwerk Rheintal Neuwied", "DE", "Neuwied")
    site("S-RHE-US-GRE", "RHEINTAL", "Rheintal Pumps Greenville", "US", "Greenville, SC")
    party(
        "KANTOFUEL",
        "Kanto Fuel Systems K.K.",
        "JP",
        "component_maker",
        notes=FICT + " Fuel pump modules.",
    )
    site("S-KFS-JP-OTA", "KANTOFUEL", "Kanto Fuel Systems Ota plant", "JP", "Ota, Gunma")
    site("S-KFS-MX-IRA", "KANTOFUEL", "Kanto Fuel Systems Irapuato", "MX", "Irapuato")
    party(
        "SONORA",
        "Sonora Acoustics Co., Ltd.",
        "KR",
        "component_maker",
        notes=FICT + " Loudspeakers.",
    )
    site("S-SON-KR-GUM", "SONORA", "Sonora Acoustics Gumi plant", "KR", "Gumi")
    site("S-SON-MX-TIJ", "SONORA", "Sonora Acoustics Tijuana plant", "MX", "Tijuana")
    party(
        "VISTULA",
        "Vistula Sensorik Sp. z o.o.",
        "PL",
        "component_maker",
        notes=FICT + " Wheel-speed and camshaft sensors.",
    )
    site("S-VIS-PL-WRO", "VISTULA", "Vistula Sensorik Wrocław", "PL", "Wrocław")
    party(
        "AQUITAINE",
        "Aquitaine Capteurs SAS",
        "FR",
        "component_maker",
        notes=FICT + " High-temperature position and speed sensors (SmCo).",
    )
    site("S-AQU-FR-PAU", "AQUITAINE", "Aquitaine Capteurs Pau", "FR", "Pau")
    party(
        "ORION",
        "Orion E-Drive GmbH",
        "DE",
        "component_maker;assembler",
        notes=FICT + " Electric drive units (traction motor, inverter, reducer).",
    )
    party(
        "ORION-MX",
        "Orion E-Drive México S. de R.L. de C.V.",
        "MX",
        "component_maker;assembler",
        owner="ORION",
        pct=51,
        notes=FICT + " Joint venture: 51% Orion E-Drive GmbH; remaining 49% held by "
        "Veltrana Automobilwerke AG (illustrative).",
    )
    site("S-ORI-DE-KIT", "ORION", "Orion E-Drive Kitzingen", "DE", "Kitzingen")
    site("S-ORI-MX-SLP", "ORION-MX", "Orion E-Drive San Luis Potosí", "MX", "San Luis Potosí")
    party(
        "HANBITM",
        "Hanbit Motion Co., Ltd.",
        "KR",
        "component_maker;assembler",
        notes=FICT + " Hybrid motor modules, e-compressors.",
    )
    site("S-HBM-KR-CHA", "HANBITM", "Hanbit Motion Changwon", "KR", "Changwon")
    site("S-HBM-MX-MTY", "HANBITM", "Hanbit Motion Monterrey", "MX", "Monterrey")
    party(
        "HANBITE",
        "Hanbit Energy Solutions Co., Ltd.",
        "KR",
        "component_maker;assembler",
        notes=FICT + " Traction batteries.",
    )
    site("S-HBE-PL-WRO", "HANBITE", "Hanbit Energy Wrocław pack plant", "PL", "Wrocław")
    site("S-HBE-US-CLA", "HANBITE", "Hanbit Energy Clarksville pack plant", "US", "Clarksville, TN")
    site("S-HBE-KR-OCH", "HANBITE", "Hanbit Energy Ochang cell plant", "KR", "Ochang")
    party(
        "NORDLICHT",
        "Nordlicht Fahrzeugelektronik GmbH",
        "DE",
        "component_maker;assembler",
        notes=FICT + " Lamps, infotainment, HVAC modules, mirrors.",
    )
    site("S-NOR-CZ-OST", "NORDLICHT", "Nordlicht Ostrava", "CZ", "Ostrava")
    site("S-NOR-MX-CHI", "NORDLICHT", "Nordlicht Chihuahua", "MX", "Chihuahua")

    # --- Tier 2: small motors
    party(
        "SAKURAGAWA",
        "Sakuragawa Denso K.K.",
        "JP",
        "component_maker",
        notes=FICT + " Small DC/BLDC motors (window lift, seat, wiper, mirror, EPB).",
    )
    site("S-SAK-JP-TOY", "SAKURAGAWA", "Sakuragawa Denso Toyohashi", "JP", "Toyohashi")
    site("S-SAK-CZ-PLZ", "SAKURAGAWA", "Sakuragawa Denso Czech, Plzeň", "CZ", "Plzeň")
    site("S-SAK-MX-CEL", "SAKURAGAWA", "Sakuragawa Denso Celaya", "MX", "Celaya")
    party(
        "BRNO",
        "Micromotor Brno s.r.o.",
        "CZ",
        "component_maker",
        notes=FICT + " Pump motors for ABS/ESC.",
    )
    site("S-BRN-CZ-BRN", "BRNO", "Micromotor Brno", "CZ", "Brno")
    party(
        "XINLI",
        "Shenzhen Xinli Micromotor Co., Ltd.",
        "CN",
        "component_maker",
        notes=FICT + " Small motors.",
    )
    site("S-XIN-CN-SZ", "XINLI", "Xinli Micromotor Shenzhen", "CN", "Shenzhen")

    # --- Magnet makers
    party(
        "HENGDA",
        "Baotou Hengda Magnetics Co., Ltd.",
        "CN",
        "magnet_maker",
        notes=FICT + " Sintered NdFeB.",
    )
    site("S-HEN-CN-BT", "HENGDA", "Hengda Magnetics Baotou", "CN", "Baotou")
    party(
        "RUIXIN",
        "Ningbo Ruixin Magnet Co., Ltd.",
        "CN",
        "magnet_maker",
        notes=FICT + " Sintered NdFeB, incl. GBD grades.",
    )
    site("S-RUI-CN-NB", "RUIXIN", "Ruixin Magnet Ningbo", "CN", "Ningbo")
    party(
        "KISOKOMA", "Kisokoma Magnetics K.K.", "JP", "magnet_maker", notes=FICT + " Sintered NdFeB."
    )
    site("S-KIS-JP-KOM", "KISOKOMA", "Kisokoma Magnetics Komagane", "JP", "Komagane")
    party(
        "BALTICPM",
        "Baltic Permanent Magnets OÜ",
        "EE",
        "magnet_maker",
        owner="RUIXIN",
        pct=49,
        notes=FICT + " 49% held by Ningbo Ruixin Magnet Co., Ltd. (illustrative).",
    )
    site("S-BPM-EE-NAR", "BALTICPM", "Baltic Permanent Magnets Narva", "EE", "Narva")
    party("PRAIRIE", "Prairie Magnetics LLC", "US", "magnet_maker", notes=FICT + " Sintered NdFeB.")
    site("S-PRA-US-FTW", "PRAIRIE", "Prairie Magnetics Fort Worth", "US", "Fort Worth, TX")
    party(
        "LONGXIN",
        "Hunan Longxin Magnetic Materials Co., Ltd.",
        "CN",
        "magnet_maker;metal_alloy_maker",
        notes=FICT + " SmCo magnets, own SmCo alloy.",
    )
    site("S-LON-CN-CS", "LONGXIN", "Longxin Magnetic Materials Changsha", "CN", "Changsha")
    party(
        "ALLEGHENY",
        "Allegheny Cobalt Magnetics Inc.",
        "US",
        "magnet_maker;metal_alloy_maker",
        notes=FICT + " SmCo magnets, own SmCo alloy.",
    )
    site(
        "S-ALL-US-PIT", "ALLEGHENY", "Allegheny Cobalt Magnetics Pittsburgh", "US", "Pittsburgh, PA"
    )

    # --- Metals and alloys
    party(
        "JINYUAN",
        "Ganzhou Jinyuan Rare Earth Metals Co., Ltd.",
        "CN",
        "metal_alloy_maker",
        notes=FICT + " RE metals and NdFeB strip-cast alloy.",
    )
    site("S-JIN-CN-GZ", "JINYUAN", "Jinyuan RE Metals Ganzhou", "CN", "Ganzhou")
    party(
        "SETOUCHI",
        "Setouchi Rare Metals K.K.",
        "JP",
        "metal_alloy_maker",
        notes=FICT + " RE metals and NdFeB alloy.",
    )
    site("S-SET-JP-NII", "SETOUCHI", "Setouchi Rare Metals Niihama", "JP", "Niihama")
    party(
        "GREATBASIN",
        "Great Basin Metals & Alloys Inc.",
        "US",
        "metal_alloy_maker",
        notes=FICT + " RE metals and NdFeB alloy.",
    )
    site("S-GBM-US-REN", "GREATBASIN", "Great Basin Metals Reno", "US", "Reno, NV")

    # --- Separators
    party(
        "HONGTU",
        "Baotou Hongtu Rare Earth Separation Co., Ltd.",
        "CN",
        "separator",
        notes=FICT + " Light RE separation (Nd, Pr, Sm).",
    )
    site("S-HON-CN-BT", "HONGTU", "Hongtu Separation Baotou", "CN", "Baotou")
    party(
        "NANFANG",
        "Ganzhou Nanfang Ionic Separation Co., Ltd.",
        "CN",
        "separator",
        notes=FICT + " Heavy RE separation (Dy, Tb) from ionic-clay feed.",
    )
    site("S-NAN-CN-GZ", "NANFANG", "Nanfang Separation Ganzhou", "CN", "Ganzhou")
    party(
        "KUANTAN",
        "Kuantan Advanced Materials Sdn. Bhd.",
        "MY",
        "separator",
        notes=FICT + " Light and heavy RE separation.",
    )
    site("S-KUA-MY-KUA", "KUANTAN", "Kuantan Advanced Materials Gebeng", "MY", "Kuantan")
    party(
        "MOJAVE", "Mojave Separation Inc.", "US", "separator", notes=FICT + " Light RE separation."
    )
    site("S-MOJ-US-BAR", "MOJAVE", "Mojave Separation Barstow", "US", "Barstow, CA")

    # --- Mines
    party(
        "BAYAN",
        "Bayan Steppe Rare Earth Mining Co., Ltd.",
        "CN",
        "mine",
        notes=FICT + " Bastnaesite.",
    )
    site("S-BAY-CN-BO", "BAYAN", "Bayan Steppe mine", "CN", "Bayan Obo district")
    party(
        "GANNAN",
        "Gannan Ionic Clay Mining Co., Ltd.",
        "CN",
        "mine",
        notes=FICT + " Ion-adsorption clay (heavy RE).",
    )
    site("S-GAN-CN-LN", "GANNAN", "Gannan ionic-clay mine", "CN", "Longnan")
    party(
        "PILBARA",
        "Pilbara Ridge Rare Earths Pty Ltd",
        "AU",
        "mine",
        notes=FICT + " Monazite-rich deposit.",
    )
    site("S-PIL-AU-WA", "PILBARA", "Pilbara Ridge mine", "AU", "Pilbara, WA")
    party("SILVERPEAK", "Silver Peak Rare Earths Corp.", "US", "mine", notes=FICT + " Bastnaesite.")
    site("S-SPK-US-NV", "SILVERPEAK", "Silver Peak mine", "US", "Esmeralda County, NV")
    party(
        "PERAK",
        "Perak Ionic Clay Resources Sdn. Bhd.",
        "MY",
        "mine",
        notes=FICT + " Ion-adsorption clay (heavy RE).",
    )
    site("S-PER-MY-IPO", "PERAK", "Perak ionic-clay project", "MY", "Ipoh")

    # --- Trader
    party(
        "HUARONG",
        "Shanghai Huarong Rare Earth Trading Co., Ltd.",
        "CN",
        "distributor",
        notes=FICT + " Exporter/distributor of magnets, RE oxides and alloys.",
    )
    site(
        "S-HUA-CN-SH",
        "HUARONG",
        "Huarong bonded warehouse Waigaoqiao",
        "CN",
        "Shanghai",
        notes="Pass-through: supplies onward the parts it is supplied.",
    )

    # --- Commodity suppliers (non-rare-earth inputs)
    party(
        "STAHLFORM",
        "Stahlform Umformtechnik GmbH",
        "DE",
        "component_maker",
        notes=FICT + " Steel stampings, shafts, housings, electrical steel.",
    )
    site("S-STF-DE-SIE", "STAHLFORM", "Stahlform Siegen", "DE", "Siegen")
    site("S-STF-MX-SAL", "STAHLFORM", "Stahlform Saltillo", "MX", "Saltillo")
    party(
        "NIPPONKOZAI",
        "Nippon Kozai Parts K.K.",
        "JP",
        "component_maker",
        notes=FICT + " Steel and aluminium parts.",
    )
    site("S-NKP-JP-HAM", "NIPPONKOZAI", "Nippon Kozai Hamamatsu", "JP", "Hamamatsu")
    site("S-NKP-CN-SUZ", "NIPPONKOZAI", "Nippon Kozai Suzhou", "CN", "Suzhou")
    party(
        "KESTREL",
        "Kestrel Electronics Manufacturing Inc.",
        "US",
        "component_maker",
        notes=FICT + " PCBs, ECUs, semiconductors (EMS).",
    )
    site("S-KES-US-AUS", "KESTREL", "Kestrel EMS Austin", "US", "Austin, TX")
    site("S-KES-CZ-BRN", "KESTREL", "Kestrel EMS Brno", "CZ", "Brno")
    site("S-KES-MY-PEN", "KESTREL", "Kestrel EMS Penang", "MY", "Penang")
    party(
        "POLYMERA",
        "Polymera Compounds SE",
        "FR",
        "component_maker",
        notes=FICT + " Plastic mouldings, rubber, adhesives, glass, trim.",
    )
    site("S-POL-FR-LYO", "POLYMERA", "Polymera Lyon", "FR", "Lyon")
    site("S-POL-MX-QRO", "POLYMERA", "Polymera Querétaro", "MX", "Querétaro")
    site("S-POL-KR-ULS", "POLYMERA", "Polymera Ulsan", "KR", "Ulsan")
    party(
        "CUPRUM",
        "Cuprum Wire & Harness S.A.",
        "PL",
        "component_maker",
        notes=FICT + " Magnet wire, cables, harnesses, busbars.",
    )
    site("S-CUP-PL-LEG", "CUPRUM", "Cuprum Legnica", "PL", "Legnica")
    site("S-CUP-MX-JUA", "CUPRUM", "Cuprum Ciudad Juárez", "MX", "Ciudad Juárez")
    site("S-CUP-CN-WUX", "CUPRUM", "Cuprum Wuxi", "CN", "Wuxi")
    party(
        "MERIDIAN",
        "Meridian Base Metals B.V.",
        "NL",
        "distributor",
        notes=FICT + " Base metals and ferro-alloys (Fe, FeB, FeNb, Co, Cu, Al, Zr).",
    )
    site(
        "S-MER-NL-RTM",
        "MERIDIAN",
        "Meridian Rotterdam warehouse",
        "NL",
        "Rotterdam",
        notes="Stock-holding distributor; sourcing of base metals not modelled.",
    )
    party(
        "TIEXIN",
        "Baotou Tiexin Materials Co., Ltd.",
        "CN",
        "metal_alloy_maker",
        notes=FICT + " Iron, ferroboron and other alloy additions.",
    )
    site("S-TIE-CN-BT", "TIEXIN", "Tiexin Materials Baotou", "CN", "Baotou")
    party(
        "DRIVELINE",
        "Driveline Getriebetechnik GmbH",
        "DE",
        "component_maker;assembler",
        notes=FICT + " Gearboxes, reducers, turbochargers, wheels, tyres, exhausts.",
    )
    site("S-DRV-DE-FRI", "DRIVELINE", "Driveline Friedrichshafen", "DE", "Friedrichshafen")
    site("S-DRV-MX-SLT", "DRIVELINE", "Driveline Silao", "MX", "Silao")

    # --- Defence buyer (screening material)
    party(
        "AEGISRIDGE",
        "Aegis Ridge Defence Electronics Inc.",
        "US",
        "component_maker;oem",
        military=True,
        notes=FICT + " Military end user: builds servo actuators for radar pedestals; "
        "buys SmCo magnets.",
    )
    site("S-AEG-US-HUN", "AEGISRIDGE", "Aegis Ridge Huntsville", "US", "Huntsville, AL")

    # --- Japanese defence supplier (Ann. 2026 No. 1: no dual-use items from China)
    party(
        "KIRISHIMA",
        "Kirishima Defence Systems K.K.",
        "JP",
        "component_maker;oem",
        military=True,
        notes=FICT + " Military end user in Japan: builds radar servo actuators for the "
        "Japanese defence forces; buys SmCo magnets, some from China.",
    )
    site("S-KRD-JP-KAK", "KIRISHIMA", "Kirishima Kakamigahara", "JP", "Kakamigahara, Gifu")

    # --- Watch-List customer (screening material: on the fictional sample list's Watch
    # List, so a Chinese exporter needs a single licence with conditions)
    party(
        "HOKUSEI",
        "Hokusei Motor Works K.K.",
        "JP",
        "component_maker",
        notes=FICT + " Civilian EPS motor maker; on the fictional sample Watch List "
        "(sample_control_list.csv, SCL-010); buys Dy NdFeB magnets from China.",
    )
    site("S-HOK-JP-KNZ", "HOKUSEI", "Hokusei Kanazawa", "JP", "Kanazawa, Ishikawa")


# Commodity supplier groups: category -> candidate sites (nearest is chosen per buyer).
CAT = {
    "steel": ("S-STF-DE-SIE", "S-STF-MX-SAL", "S-NKP-JP-HAM", "S-NKP-CN-SUZ"),
    "alu": ("S-STF-DE-SIE", "S-STF-MX-SAL", "S-NKP-JP-HAM", "S-NKP-CN-SUZ"),
    "elec": ("S-KES-CZ-BRN", "S-KES-US-AUS", "S-KES-MY-PEN"),
    "plastic": ("S-POL-FR-LYO", "S-POL-MX-QRO", "S-POL-KR-ULS"),
    "copper": ("S-CUP-PL-LEG", "S-CUP-MX-JUA", "S-CUP-CN-WUX"),
    "drive": ("S-DRV-DE-FRI", "S-DRV-MX-SLT"),
    "basemetal": ("S-TIE-CN-BT", "S-MER-NL-RTM"),
}


# ======================================================================================
# 2. The rare-earth chain: concentrate -> oxide -> metal -> alloy -> magnet
# ======================================================================================

OXIDE_FORMULA = {
    "Nd": ("Nd2O3", 2, 3),
    "Pr": ("Pr6O11", 6, 11),
    "Dy": ("Dy2O3", 2, 3),
    "Tb": ("Tb4O7", 4, 7),
    "Sm": ("Sm2O3", 2, 3),
}
EL_NAME = {
    "Nd": "Neodymium",
    "Pr": "Praseodymium",
    "Dy": "Dysprosium",
    "Tb": "Terbium",
    "Sm": "Samarium",
}


def oxide_fraction(el: str) -> float:
    _f, n, m = OXIDE_FORMULA[el]
    w = n * ATOMIC_WEIGHT[el]
    return w / (w + m * ATOMIC_WEIGHT["O"])


# Mines feeding each separator, per element: separator -> element -> [(mine site, share)].
SEPARATION: dict[str, dict[str, list[tuple[str, float]]]] = {
    "S-HON-CN-BT": {
        "Nd": [("S-BAY-CN-BO", 0.8), ("S-SPK-US-NV", 0.2)],
        "Pr": [("S-BAY-CN-BO", 0.8), ("S-SPK-US-NV", 0.2)],
        "Sm": [("S-BAY-CN-BO", 1.0)],
    },
    "S-NAN-CN-GZ": {"Dy": [("S-GAN-CN-LN", 1.0)], "Tb": [("S-GAN-CN-LN", 1.0)]},
    "S-KUA-MY-KUA": {
        "Nd": [("S-PIL-AU-WA", 1.0)],
        "Pr": [("S-PIL-AU-WA", 1.0)],
        "Sm": [("S-PIL-AU-WA", 1.0)],
        "Dy": [("S-PER-MY-IPO", 1.0)],
        "Tb": [("S-PER-MY-IPO", 1.0)],
    },
    "S-MOJ-US-BAR": {
        "Nd": [("S-SPK-US-NV", 1.0)],
        "Pr": [("S-SPK-US-NV", 1.0)],
        "Sm": [("S-SPK-US-NV", 1.0)],
    },
}
#: Illustrative element grade of each concentrate stream (kg element per kg concentrate).
CONC_GRADE = {"Nd": 0.09, "Pr": 0.03, "Sm": 0.006, "Dy": 0.035, "Tb": 0.006}
CONC_DESC = {
    "Nd": "bastnaesite/monazite concentrate",
    "Pr": "bastnaesite/monazite concentrate",
    "Sm": "bastnaesite/monazite concentrate",
    "Dy": "mixed RE carbonate from ion-adsorption clay",
    "Tb": "mixed RE carbonate from ion-adsorption clay",
}

# Oxide sources of each metal maker (and of the trader): site -> element -> sources.
OXIDE_SOURCING: dict[str, dict[str, list[tuple[str, float]]]] = {
    "S-JIN-CN-GZ": {
        "Nd": [("S-HON-CN-BT", 1.0)],
        "Pr": [("S-HON-CN-BT", 1.0)],
        "Sm": [("S-HON-CN-BT", 1.0)],
        "Dy": [("S-NAN-CN-GZ", 1.0)],
        "Tb": [("S-NAN-CN-GZ", 1.0)],
    },
    "S-SET-JP-NII": {
        "Nd": [("S-KUA-MY-KUA", 0.7), ("S-HUA-CN-SH", 0.3)],
        "Pr": [("S-KUA-MY-KUA", 1.0)],
        "Sm": [("S-KUA-MY-KUA", 1.0)],
        "Dy": [("S-HUA-CN-SH", 0.6), ("S-KUA-MY-KUA", 0.4)],
        "Tb": [("S-HUA-CN-SH", 1.0)],
    },
    "S-GBM-US-REN": {
        "Nd": [("S-MOJ-US-BAR", 0.7), ("S-KUA-MY-KUA", 0.3)],
        "Pr": [("S-MOJ-US-BAR", 0.7), ("S-KUA-MY-KUA", 0.3)],
        "Sm": [("S-MOJ-US-BAR", 1.0)],
        "Dy": [("S-KUA-MY-KUA", 1.0)],
        "Tb": [("S-KUA-MY-KUA", 1.0)],
    },
    "S-HUA-CN-SH": {
        "Nd": [("S-HON-CN-BT", 1.0)],
        "Dy": [("S-NAN-CN-GZ", 1.0)],
        "Tb": [("S-NAN-CN-GZ", 1.0)],
    },
}

METAL_SITES = ("S-JIN-CN-GZ", "S-SET-JP-NII", "S-GBM-US-REN")
PASS_THROUGH = {"S-HUA-CN-SH"}
#: What the pass-through trader buys, per part: part -> [(site, share)]
TRADER_SOURCES: dict[str, list[tuple[str, float]]] = {}
#: Parts made in-house at particular sites.
INHOUSE_AT: dict[str, set[str]] = defaultdict(set)
VALUE: dict[str, Decimal] = {}


def by_site_table(table: dict[str, list[tuple[str, float]]]) -> Callable[[str], list]:
    def pick(buyer: str) -> list[tuple[str, float]]:
        if buyer not in table:
            raise KeyError(f"no sourcing defined for buyer {buyer}")
        return table[buyer]

    return pick


def basemetal(buyer: str) -> list[tuple[str, float]]:
    return [("S-TIE-CN-BT" if SITE_COUNTRY[buyer] == "CN" else "S-MER-NL-RTM", 1.0)]


def build_re_chain() -> None:
    for el in OXIDE_FORMULA:
        formula = OXIDE_FORMULA[el][0]
        f = oxide_fraction(el)
        # concentrate stream (leaf)
        cid = f"CONC-{el.upper()}"
        g = CONC_GRADE[el]
        part(
            cid,
            f"RE concentrate, {EL_NAME[el]} stream ({CONC_DESC[el]})",
            "raw_material",
            uom="kg",
            mass=1.0,
            notes=(
                f"Mine output modelled per separated element stream (an allocation of a "
                f"multi-product concentrate) so that a content rollup does not give every "
                f"oxide the co-product elements; only {el} is declared. Grade {g:g} kg {el}"
                f"/kg is an {ILLUSTRATIVE} (no sourced figure)."
            ),
        )
        comp(cid, {el: g}, ILLUSTRATIVE)
        DECLARED[cid] = {el: g}
        SOURCING[cid] = by_site_table({s: t[el] for s, t in SEPARATION.items() if el in t})

        # oxide
        oid = f"OX-{el.upper()}"
        price, psrc = OXIDE_PRICE[el]
        VALUE[oid] = price
        hs_rows = "US HTSUS 2846.90.2000 'Other rare-earth compounds: oxides or chlorides'"
        if el == "Sm":
            hs_rows += "; China 2846901940 'Samarium oxide'"
        part(
            oid,
            f"{EL_NAME[el]} oxide {formula}",
            "raw_material",
            uom="kg",
            mass=1.0,
            value=price,
            cur="USD",
            hs="2846.90",
            form="oxide",
            notes=(
                f"{el} mass fraction {f:.4f} is stoichiometric for {formula}. BOM quantity of "
                f"concentrate = {f:.4f}/{g:g} (element conserved; recovery losses not "
                f"modelled). HS: " + SRC_HS.format(rows=hs_rows) + "."
            ),
            source=f"price: {psrc}; composition: {SRC_CIAAW}",
        )
        comp(oid, {el: round(f, 6), "O": round(1 - f, 6)}, SRC_CIAAW)
        bom(oid, (cid, round(f / g, 6)))
        oxide_table = {s: t[el] for s, t in OXIDE_SOURCING.items() if el in t}
        SOURCING[oid] = by_site_table(oxide_table)
        TRADER_SOURCES[oid] = OXIDE_SOURCING["S-HUA-CN-SH"].get(el, [])

        # metal
        mid = f"MET-{el.upper()}"
        mvalue = price / Decimal(str(f)) * Decimal("1.25")
        VALUE[mid] = mvalue
        hs_china = {
            "Nd": "2805301100 Neodymium",
            "Dy": "2805301200 Dysprosium",
            "Tb": "2805301300 Terbium",
            "Pr": "2805301600 Praseodymium metal",
            "Sm": "2805301910 Samarium, gadolinium, lutetium (metals)",
        }[el]
        part(
            mid,
            f"{EL_NAME[el]} metal, 99.5%",
            "raw_material",
            uom="kg",
            mass=1.0,
            value=mvalue,
            cur="USD",
            hs="2805.30",
            form="metal",
            notes=(
                f"Reduced from {formula}: 1 kg metal needs {1 / f:.4f} kg oxide (stoichiometric, "
                f"no losses). Value derived: oxide price / {f:.4f} x 1.25 (conversion margin "
                f"1.25 is an {ILLUSTRATIVE}). HS: "
                + SRC_HS.format(rows=f"US HTSUS 2805.30.0000; China {hs_china}")
                + "."
            ),
            source=f"oxide price: {psrc}",
        )
        comp(mid, {el: 1.0}, "nominal pure metal (purity ignored)")
        bom(mid, (oid, round(1 / f, 6)))
        for s in METAL_SITES:
            INHOUSE_AT[s].add(mid)


# Non-RE alloy additions (leaves): id -> (name, composition, USD/kg)
ALLOY_FEEDS = {
    "RM-FE": ("Electrolytic iron flake", {"Fe": 1.0}, "0.90"),
    "RM-FEB": ("Ferroboron FeB18", {"B": 0.18, "Fe": 0.82}, "2.40"),
    "RM-FENB": ("Ferroniobium FeNb65", {"Nb": 0.65, "Fe": 0.35}, "45.00"),
    "RM-AL": ("Aluminium ingot 99.7%", {"Al": 1.0}, "2.60"),
    "RM-CU": ("Copper cathode grade A", {"Cu": 1.0}, "9.50"),
    "RM-CO": ("Cobalt metal 99.8%", {"Co": 1.0}, "33.00"),
    "RM-ZR": ("Zirconium sponge", {"Zr": 1.0}, "40.00"),
}

# NdFeB alloy grades (wt%); Fe is the balance and is supplied as iron + FeB + FeNb.
NDFEB_GRADES = {
    "ALLOY-NDPR": (
        "NdFeB strip-cast alloy, Dy-free (Nd/Pr) N-grade",
        {"Nd": 23.5, "Pr": 7.5, "B": 1.1, "Nb": 0.4, "Al": 0.4, "Cu": 0.1},
        "Nd+Pr 31 wt% within the Courage Magnet Nd 29-32.5 range (Pr substitutes part "
        "of Nd per the same source); the Nd:Pr split 23.5:7.5 is an " + ILLUSTRATIVE + ".",
    ),
    "ALLOY-DY09": (
        "NdFeB strip-cast alloy, generic grade with 0.9% Dy",
        {"Nd": 30.0, "Dy": 0.9, "B": 1.1, "Nb": 0.4, "Al": 0.4, "Cu": 0.1},
        "All figures inside the Courage Magnet generic-grade ranges (Dy 0.6-1.2).",
    ),
    "ALLOY-DY30": (
        "NdFeB strip-cast alloy, H-grade with 3% Dy",
        {"Nd": 29.0, "Dy": 3.0, "B": 1.1, "Nb": 0.4, "Al": 0.4, "Cu": 0.1},
        "Dy 3 wt% = the '>= 3% Dy or Tb' for H-grade and above (regime.md s.6); "
        "other elements inside the Courage Magnet ranges.",
    ),
}
SMCO_GRADES = {
    "ALLOY-SMCO5": ("SmCo5 (1:5) cast alloy", {"Sm": 36.0, "Co": 64.0}, SRC_SMCO5),
    "ALLOY-SM2CO17": (
        "Sm2Co17 (2:17) cast alloy, Sm(Co,Fe,Cu,Zr)z",
        {"Sm": 25.0, "Co": 50.0, "Fe": 16.0, "Cu": 6.0, "Zr": 3.0},
        SRC_SM2CO17,
    ),
}


def _alloy_bom(aid: str, wt: dict[str, float]) -> None:
    """BOM of 1 kg alloy from metals and feeds, mass-balanced element by element."""
    frac = {k: v / 100 for k, v in wt.items()}
    fe_total = 1.0 - sum(frac.values()) if "Fe" not in frac else frac.pop("Fe")
    lines: list[tuple[str, float]] = []
    for el in ("Nd", "Pr", "Dy", "Tb", "Sm"):
        if el in frac:
            lines.append((f"MET-{el.upper()}", frac.pop(el)))
    fe_from = 0.0
    if "B" in frac:
        q = frac.pop("B") / 0.18
        lines.append(("RM-FEB", q))
        fe_from += q * 0.82
    if "Nb" in frac:
        q = frac.pop("Nb") / 0.65
        lines.append(("RM-FENB", q))
        fe_from += q * 0.35
    for el, rm in (("Al", "RM-AL"), ("Cu", "RM-CU"), ("Co", "RM-CO"), ("Zr", "RM-ZR")):
        if el in frac:
            lines.append((rm, frac.pop(el)))
    assert not frac, frac
    if fe_total - fe_from > 1e-9:
        lines.append(("RM-FE", fe_total - fe_from))
    bom(aid, *[(c, round(q, 6)) for c, q in lines])


def _rolled_value(pid: str) -> Decimal:
    total = Decimal(0)
    for parent, child, qty in BOM:
        if parent == pid:
            total += VALUE[child] * Decimal(str(qty))
    return total


def build_alloys() -> None:
    for rid, (name, fr, usd) in ALLOY_FEEDS.items():
        VALUE[rid] = Decimal(usd)
        part(
            rid,
            name,
            "raw_material",
            uom="kg",
            mass=1.0,
            value=Decimal(usd),
            cur="USD",
            form="metal" if len(fr) == 1 else "alloy",
            notes=f"Non-rare-earth alloy addition. Price and nominal composition: {ILLUSTRATIVE}.",
        )
        comp(rid, fr, ILLUSTRATIVE)
        DECLARED[rid] = fr
        SOURCING[rid] = basemetal
    for aid, (name, wt, note) in NDFEB_GRADES.items():
        _alloy_bom(aid, wt)
        VALUE[aid] = _rolled_value(aid) * Decimal("1.10")
        fe = 100 - sum(wt.values())
        part(
            aid,
            name,
            "raw_material",
            uom="kg",
            mass=1.0,
            value=VALUE[aid],
            cur="USD",
            form="alloy",
            mt="ndfeb",
            notes=(
                f"{note} Fe {fe:.1f} wt% as balance. BOM is mass-balanced per element. "
                f"Value = inputs x 1.10 ({ILLUSTRATIVE})."
            ),
            source=SRC_COURAGE + ("; " + SRC_HGRADE if "DY30" in aid else ""),
        )
        comp(aid, {**{k: v / 100 for k, v in wt.items()}, "Fe": fe / 100}, SRC_COURAGE)
        for s in METAL_SITES:
            INHOUSE_AT[s].add(aid)
        TRADER_SOURCES[aid] = [("S-JIN-CN-GZ", 1.0)]
    for aid, (name, wt, src) in SMCO_GRADES.items():
        _alloy_bom(aid, wt)
        VALUE[aid] = _rolled_value(aid) * Decimal("1.10")
        part(
            aid,
            name,
            "raw_material",
            uom="kg",
            mass=1.0,
            value=VALUE[aid],
            cur="USD",
            form="alloy",
            mt="smco",
            notes=(
                "Made in-house by the SmCo magnet makers. BOM mass-balanced per element. "
                f"Value = inputs x 1.10 ({ILLUSTRATIVE})."
            ),
            source=src,
        )
        comp(aid, {k: v / 100 for k, v in wt.items()}, src)
        INHOUSE.add(aid)


# Alloy sourcing of each NdFeB magnet maker.
ALLOY_SOURCING = {
    "S-HEN-CN-BT": [("S-JIN-CN-GZ", 1.0)],
    "S-RUI-CN-NB": [("S-JIN-CN-GZ", 1.0)],
    "S-KIS-JP-KOM": [("S-SET-JP-NII", 1.0)],
    "S-BPM-EE-NAR": [("S-HUA-CN-SH", 0.5), ("S-GBM-US-REN", 0.5)],
    "S-PRA-US-FTW": [("S-GBM-US-REN", 1.0)],
}
# Diffusion-source metal (Dy/Tb) for GBD magnets, per magnet maker.
GBD_METAL_SOURCING = {
    "S-HEN-CN-BT": [("S-JIN-CN-GZ", 1.0)],
    "S-RUI-CN-NB": [("S-JIN-CN-GZ", 1.0)],
    "S-KIS-JP-KOM": [("S-SET-JP-NII", 1.0)],
    "S-BPM-EE-NAR": [("S-GBM-US-REN", 1.0)],
    "S-PRA-US-FTW": [("S-GBM-US-REN", 1.0)],
}
SM_METAL_SOURCING = {"S-LON-CN-CS": [("S-JIN-CN-GZ", 1.0)], "S-ALL-US-PIT": [("S-GBM-US-REN", 1.0)]}


def _metal_sourcing(buyer: str, el: str) -> list[tuple[str, float]]:
    if buyer in METAL_SITES:
        raise KeyError("metal sites make metals in-house")
    if el == "Sm":
        return SM_METAL_SOURCING[buyer]
    return GBD_METAL_SOURCING[buyer]


def build_metal_sourcing() -> None:
    for el in OXIDE_FORMULA:
        SOURCING[f"MET-{el.upper()}"] = lambda b, _el=el: _metal_sourcing(b, _el)
    for aid in NDFEB_GRADES:
        SOURCING[aid] = by_site_table(ALLOY_SOURCING)


# ======================================================================================
# 3. Magnets
# ======================================================================================

MAGNET_SRC_NOTE = {
    "traction-mp": SRC_MP_2KG,
    "traction-neo": SRC_NEO_133,
}


def magnet(
    pid: str,
    name: str,
    mass: float,
    alloy: str,
    *,
    sources: Callable[[str], list[tuple[str, float]]],
    trader: list[tuple[str, float]] | None = None,
    gbd: tuple[str, float] | None = None,
    mass_note: str = "",
    mass_source: str = "",
) -> str:
    """A sintered magnet of ``mass`` kg made from ``alloy`` (+ GBD metal)."""
    smco = alloy.startswith("ALLOY-SM")
    lines = []
    if gbd:
        el, wt = gbd
        lines = [(alloy, mass * (1 - wt)), (f"MET-{el.upper()}", mass * wt)]
    else:
        lines = [(alloy, mass)]
    bom(pid, *[(c, round(q, 9)) for c, q in lines])
    cost = sum((VALUE[c] * Decimal(str(q)) for c, q in lines), Decimal(0))
    VALUE[pid] = cost * Decimal("2.0")
    if smco:
        hs_src = SRC_HS.format(
            rows="US HTSUS 8505.11.00, stat. suffix 8505.11.0050 'Sintered "
            "samarium-cobalt'; China 8505111000"
        )
    else:
        hs_src = SRC_HS.format(
            rows="US HTSUS 8505.11.00, stat. suffix 8505.11.0070 'Sintered "
            "neodymium-iron-boron'; China 8505111000"
        )
    comp_src = SRC_SM2CO17 if alloy == "ALLOY-SM2CO17" else SRC_SMCO5 if smco else SRC_COURAGE
    grade_note = ""
    if gbd:
        grade_note = (
            f" Grain-boundary diffused: {gbd[1] * 100:g} wt% {gbd[0]} added at the "
            f"magnet maker to a Dy-free base alloy ({SRC_GBD})."
        )
    part(
        pid,
        name,
        "magnet",
        mass=mass,
        value=VALUE[pid],
        cur="USD",
        hs="8505.11",
        form="magnet",
        mt="smco" if smco else "ndfeb",
        notes=(
            f"Mass {mass * 1000:g} g: {mass_note or ILLUSTRATIVE + ' (no sourced figure)'}."
            f"{grade_note} Value = material inputs x 2.0 ({ILLUSTRATIVE}). "
            f"Coating not modelled. HS: {hs_src}."
        ),
        source="; ".join(s for s in (mass_source, comp_src) if s),
    )
    # declared composition = rollup of the alloy (+ GBD metal): supplier's statement
    SOURCING[pid] = sources
    if trader:
        TRADER_SOURCES[pid] = trader
    return pid


def M(*pairs: tuple[str, float]) -> list[tuple[str, float]]:
    return list(pairs)


HUA = "S-HUA-CN-SH"
HEN, RUI, KIS, BPM, PRA = (
    "S-HEN-CN-BT",
    "S-RUI-CN-NB",
    "S-KIS-JP-KOM",
    "S-BPM-EE-NAR",
    "S-PRA-US-FTW",
)
LON, ALL = "S-LON-CN-CS", "S-ALL-US-PIT"


def build_magnets() -> None:
    # --- traction
    magnet(
        "MAG-TM-AST",
        "NdFeB traction magnet block 38SH-type (3% Dy), 62.5 g, Aster EV rotor",
        0.0625,
        "ALLOY-DY30",
        sources=by_buyer(M((HEN, 0.7), (KIS, 0.3))),
        mass_note="32 blocks per rotor = 2.0 kg per motor, the MP Materials planning basis "
        "(derived)",
        mass_source=SRC_MP_2KG,
    )
    magnet(
        "MAG-TM-CVR",
        "NdFeB traction magnet block, Tb-diffused (0.5% Tb), 50 g, Corvid rear motor",
        0.05,
        "ALLOY-NDPR",
        gbd=("Tb", 0.005),
        sources=by_buyer(M((PRA, 0.5), (BPM, 0.5))),
        mass_note="40 blocks per rotor = 2.0 kg per motor, the MP Materials planning basis "
        "(derived)",
        mass_source=SRC_MP_2KG,
    )
    magnet(
        "MAG-TM-CVF",
        "NdFeB traction magnet block, Dy-diffused (0.5% Dy), 47.5 g, Corvid front motor",
        0.0475,
        "ALLOY-NDPR",
        gbd=("Dy", 0.005),
        sources=by_buyer(M((HUA, 0.6), (PRA, 0.4))),
        trader=M((RUI, 1.0)),
        mass_note="28 blocks per rotor = 1.33 kg per motor, lower end of the Neo Narva "
        "1.33-2.0 kg planning basis (derived)",
        mass_source=SRC_NEO_133,
    )
    magnet(
        "MAG-TM-HEV",
        "NdFeB hybrid-motor magnet block, Dy-diffused (0.5% Dy), 55.5 g, P2 module",
        0.0555,
        "ALLOY-NDPR",
        gbd=("Dy", 0.005),
        sources=by_buyer(M((RUI, 0.6), (KIS, 0.4))),
        mass_note="24 blocks per rotor = 1.33 kg per motor, lower end of the Neo Narva "
        "1.33-2.0 kg planning basis (derived)",
        mass_source=SRC_NEO_133,
    )
    # --- small magnets (masses are illustrative assumptions)
    magnet(
        "MAG-EPS",
        "NdFeB arc segment 30 g, EPS motor (0.9% Dy)",
        0.030,
        "ALLOY-DY09",
        sources=by_buyer(
            M((HEN, 0.7), (KIS, 0.3)),
            **{"S-HAR-US-TOL": M((HUA, 0.5), (PRA, 0.5)), "S-HOK-JP-KNZ": M((HUA, 1.0))},
        ),
        trader=M((HEN, 1.0)),
    )
    magnet(
        "MAG-ESC",
        "NdFeB arc segment 12 g, ABS/ESC pump motor (0.9% Dy)",
        0.012,
        "ALLOY-DY09",
        sources=by_buyer(M((HUA, 1.0)), **{"S-XIN-CN-SZ": M((RUI, 1.0))}),
        trader=M((RUI, 1.0)),
    )
    magnet(
        "MAG-EPB",
        "NdFeB arc segment 10 g, EPB actuator motor (Dy-free)",
        0.010,
        "ALLOY-NDPR",
        sources=by_buyer(
            M((RUI, 1.0)),
            **{
                "S-SAK-MX-CEL": M((HUA, 0.7), (PRA, 0.3)),
                "S-SAK-CZ-PLZ": M((HUA, 0.7), (BPM, 0.3)),
            },
        ),
        trader=M((RUI, 1.0)),
    )
    magnet(
        "MAG-WSS",
        "NdFeB back-bias block 2 g, wheel-speed sensor (0.9% Dy)",
        0.002,
        "ALLOY-DY09",
        sources=by_buyer(M((BPM, 0.5), (HUA, 0.5))),
        trader=M((HEN, 1.0)),
    )
    magnet(
        "MAG-CAM",
        "NdFeB back-bias block 1.5 g, camshaft/crank sensor (0.9% Dy)",
        0.0015,
        "ALLOY-DY09",
        sources=by_buyer(M((HUA, 1.0))),
        trader=M((HEN, 1.0)),
    )
    magnet(
        "MAG-SEAT",
        "NdFeB arc segment 8 g, seat-adjust motor (Dy-free)",
        0.008,
        "ALLOY-NDPR",
        sources=by_buyer(M((HUA, 0.7), (KIS, 0.3)), **{"S-SAK-JP-TOY": M((KIS, 1.0))}),
        trader=M((RUI, 1.0)),
    )
    magnet(
        "MAG-WIN",
        "NdFeB arc segment 10 g, window-lift motor (Dy-free)",
        0.010,
        "ALLOY-NDPR",
        sources=by_buyer(
            M((HUA, 0.7), (KIS, 0.3)),
            **{"S-XIN-CN-SZ": M((RUI, 1.0)), "S-SAK-MX-CEL": M((HUA, 0.6), (PRA, 0.4))},
        ),
        trader=M((RUI, 1.0)),
    )
    magnet(
        "MAG-WIPER",
        "NdFeB arc segment 25 g, wiper motor (Dy-free)",
        0.025,
        "ALLOY-NDPR",
        sources=by_buyer(M((HUA, 0.8), (BPM, 0.2)), **{"S-SAK-MX-CEL": M((HUA, 1.0))}),
        trader=M((HEN, 1.0)),
    )
    magnet(
        "MAG-MIRROR",
        "NdFeB arc segment 3 g, mirror-fold motor (Dy-free)",
        0.003,
        "ALLOY-NDPR",
        sources=by_buyer(
            M((RUI, 1.0)), **{"S-SAK-CZ-PLZ": M((HUA, 1.0)), "S-SAK-MX-CEL": M((HUA, 1.0))}
        ),
        trader=M((RUI, 1.0)),
    )
    magnet(
        "MAG-FUELP",
        "NdFeB ring segment 6 g, fuel-pump BLDC motor (0.9% Dy)",
        0.006,
        "ALLOY-DY09",
        sources=by_buyer(M((KIS, 1.0)), **{"S-KFS-MX-IRA": M((KIS, 0.5), (HUA, 0.5))}),
        trader=M((HEN, 1.0)),
    )
    magnet(
        "MAG-COOLP",
        "NdFeB ring segment 10 g, electric coolant/water pump (0.9% Dy)",
        0.010,
        "ALLOY-DY09",
        sources=by_buyer(M((HUA, 0.7), (BPM, 0.3)), **{"S-RHE-US-GRE": M((PRA, 1.0))}),
        trader=M((HEN, 1.0)),
    )
    magnet(
        "MAG-OILP",
        "NdFeB ring segment 12 g, electric oil pump (3% Dy, H-grade)",
        0.012,
        "ALLOY-DY30",
        sources=by_buyer(M((HUA, 1.0)), **{"S-RHE-US-GRE": M((HUA, 0.5), (PRA, 0.5))}),
        trader=M((HEN, 1.0)),
    )
    magnet(
        "MAG-ECOMP",
        "NdFeB block 20 g, e-compressor BLDC motor (3% Dy, H-grade)",
        0.020,
        "ALLOY-DY30",
        sources=by_buyer(M((RUI, 0.7), (KIS, 0.3))),
    )
    magnet(
        "MAG-WOOF",
        "NdFeB disc 60 g, 165 mm woofer (Dy-free)",
        0.060,
        "ALLOY-NDPR",
        sources=by_buyer(M((RUI, 0.8), (KIS, 0.2)), **{"S-SON-MX-TIJ": M((HUA, 0.8), (PRA, 0.2))}),
        trader=M((RUI, 1.0)),
    )
    magnet(
        "MAG-MID",
        "NdFeB disc 25 g, 80 mm mid-range/centre speaker (Dy-free)",
        0.025,
        "ALLOY-NDPR",
        sources=by_buyer(M((RUI, 1.0)), **{"S-SON-MX-TIJ": M((HUA, 1.0))}),
        trader=M((RUI, 1.0)),
    )
    magnet(
        "MAG-TWEET",
        "NdFeB disc 8 g, 25 mm tweeter (Dy-free)",
        0.008,
        "ALLOY-NDPR",
        sources=by_buyer(M((RUI, 1.0)), **{"S-SON-MX-TIJ": M((HUA, 1.0))}),
        trader=M((RUI, 1.0)),
    )
    magnet(
        "MAG-SUB",
        "NdFeB disc 150 g, 200 mm subwoofer (Dy-free)",
        0.150,
        "ALLOY-NDPR",
        sources=by_buyer(M((RUI, 0.5), (KIS, 0.5)), **{"S-SON-MX-TIJ": M((HUA, 0.5), (PRA, 0.5))}),
        trader=M((RUI, 1.0)),
    )
    # --- SmCo
    magnet(
        "MAG-SMCO5-TURBO",
        "SmCo5 disc magnet 4 g, turbocharger speed sensor",
        0.004,
        "ALLOY-SMCO5",
        sources=by_buyer(M((HUA, 0.6), (ALL, 0.4))),
        trader=M((LON, 1.0)),
    )
    magnet(
        "MAG-SMCO-RPS",
        "Sm2Co17 diametral disc magnet 6 g, e-motor rotor-position sensor",
        0.006,
        "ALLOY-SM2CO17",
        sources=by_buyer(M((HUA, 0.6), (ALL, 0.4))),
        trader=M((LON, 1.0)),
    )
    magnet(
        "MAG-SMCO-DEF",
        "Sm2Co17 arc segment 20 g, radar pedestal servo motor",
        0.020,
        "ALLOY-SM2CO17",
        sources=by_buyer(M((ALL, 0.6), (HUA, 0.4))),
        trader=M((LON, 1.0)),
    )
    # magnet makers' metal/alloy inputs
    for s in (LON, ALL):
        INHOUSE_AT[s].update({"ALLOY-SMCO5", "ALLOY-SM2CO17"})
    # ferrite magnets (no rare earth): negative examples for classification
    fr = _ferrite_fractions()
    for pid, name, mass in (
        ("MAG-FER-BLOWER", "Hard ferrite (SrFe12O19) arc magnet 40 g, HVAC blower motor", 0.040),
        ("MAG-FER-STARTER", "Hard ferrite (SrFe12O19) arc magnet 55 g, starter motor", 0.055),
        ("MAG-FER-SEATBELT", "Hard ferrite ring magnet 5 g, seat-belt buckle switch", 0.005),
    ):
        part(
            pid,
            name,
            "magnet",
            mass=mass,
            value=Decimal("0.25") * Decimal(str(mass * 40)),
            cur="USD",
            hs="8505.19",
            form="magnet",
            mt="none",
            notes=(
                "Ceramic (ferrite) permanent magnet: no rare earth. Mass and value: "
                f"{ILLUSTRATIVE}. HS: "
                + SRC_HS.format(rows="US HTSUS 8505.19.3000 'Other permanent magnets: other'")
                + "."
            ),
            source=SRC_CIAAW + " (SrFe12O19 stoichiometry)",
        )
        comp(pid, fr, SRC_CIAAW)
        DECLARED[pid] = fr
        SOURCING[pid] = nearest("S-NKP-CN-SUZ", "S-STF-DE-SIE", "S-STF-MX-SAL")


def _ferrite_fractions() -> dict[str, float]:
    sr, fe, o = ATOMIC_WEIGHT["Sr"], 12 * ATOMIC_WEIGHT["Fe"], 19 * ATOMIC_WEIGHT["O"]
    t = sr + fe + o
    return {"Sr": round(sr / t, 6), "Fe": round(fe / t, 6), "O": round(o / t, 6)}


# ======================================================================================
# 4. Components, modules and products
# ======================================================================================


def leaf(
    pid: str,
    name: str,
    cat: str,
    mass: float,
    value: float,
    *,
    kind: str = "component",
    uom: str = "ea",
    cur: str = "EUR",
    notes: str = "",
) -> str:
    """A bought-in non-rare-earth part, single-sourced from the nearest commodity site."""
    if pid not in PARTS:
        part(
            pid,
            name,
            kind,
            uom=uom,
            mass=mass,
            value=value,
            cur=cur,
            notes=(notes + " " if notes else "") + f"Mass and value: {ILLUSTRATIVE}.",
        )
        SOURCING[pid] = CATEGORY_PICK[cat]
    return pid


CATEGORY_PICK: dict[str, Callable[[str], list[tuple[str, float]]]] = {}

# Shared bought-in parts (used by many assemblies: the BOM is a DAG, not a tree).
SHARED = {
    "BRG-608": ("Ball bearing 608-2RS", "steel", 0.012, 0.35),
    "BRG-6001": ("Ball bearing 6001-2RS", "steel", 0.02, 0.55),
    "BRG-6204": ("Ball bearing 6204-2RS", "steel", 0.11, 1.80),
    "BRG-6206": ("Ball bearing 6206-C3 (e-motor)", "steel", 0.2, 6.50),
    "WIRE-CU": ("Enamelled copper magnet wire (kg)", "copper", 1.0, 11.0),
    "HAIRPIN-CU": ("Rectangular copper hairpin conductor (kg)", "copper", 1.0, 13.0),
    "ADH-MAG": ("Magnet bonding adhesive, epoxy (kg)", "plastic", 1.0, 38.0),
    "VARNISH": ("Impregnation resin (kg)", "plastic", 1.0, 9.0),
    "SLOT-INS": ("Slot insulation paper, aramid (m2)", "plastic", 0.08, 4.0),
    "SCREW-M4": ("Screw M4x10, zinc-flake (100 pcs)", "steel", 0.2, 1.2),
    "SCREW-M6": ("Bolt M6x20, 8.8 (100 pcs)", "steel", 0.55, 2.6),
    "SCREW-M8": ("Bolt M8x30, 10.9 (100 pcs)", "steel", 1.3, 4.9),
    "SCREW-M10": ("Bolt M10x40, 10.9 (100 pcs)", "steel", 2.6, 8.5),
    "CONN-2P": ("Connector 2-pin sealed", "copper", 0.01, 0.45),
    "CONN-4P": ("Connector 4-pin sealed", "copper", 0.015, 0.70),
    "CONN-HV": ("HV connector 2-pole shielded", "copper", 0.2, 18.0),
    "ORING-S": ("O-ring set, FKM small", "plastic", 0.005, 0.30),
    "GREASE": ("Gear grease (kg)", "plastic", 1.0, 12.0),
    "HALL-IC": ("Hall-effect sensor IC", "elec", 0.001, 0.40),
    "TMR-IC": ("TMR angle sensor IC", "elec", 0.001, 1.60),
    "MCU-32": ("32-bit automotive microcontroller", "elec", 0.002, 4.50),
    "MOSFET-6": ("Power MOSFET bridge, 6 pcs", "elec", 0.01, 3.20),
    "BUSBAR-CU": ("Copper busbar set", "copper", 0.6, 9.0),
    "SHIELD-CAN": ("EMC shield can", "steel", 0.02, 0.35),
    "GASKET-L": ("Housing gasket, large", "plastic", 0.03, 1.10),
    "HOSE-COOL": ("Coolant hose set", "plastic", 0.6, 8.0),
    "BELT-SEAT": ("Seat belt assembly with retractor", "plastic", 1.1, 22.0),
    "AIRBAG-SIDE": ("Side airbag module", "elec", 0.7, 35.0),
    "HEAT-MAT": ("Seat heater mat", "copper", 0.15, 9.0),
}


def motor_bldc(
    pid: str,
    name: str,
    mag: str,
    n: int,
    *,
    size: str,
    value: float,
    mass: float,
    extra: list[tuple[str, float]] | None = None,
    kind: str = "component",
    make: Callable | None = None,
) -> str:
    """BLDC/IPM motor: rotor assembly (deep processed, magnets inside) + wound stator."""
    rot = part(
        f"{pid}-ROT",
        f"Rotor assembly with {n} NdFeB magnets, {name}"
        if "SMCO" not in mag
        else f"Rotor assembly, {name}",
        "assembly",
        mass=round(mass * 0.35, 4),
        form="deep_processed_assembly",
        notes="Magnets bonded/inserted in the lamination stack; made in-house.",
    )
    core = leaf(
        f"{pid}-RCORE",
        f"Rotor lamination stack, {name}",
        "steel",
        round(mass * 0.2, 4),
        round(value * 0.04, 2),
    )
    shaft = leaf(
        f"{pid}-SHAFT",
        f"Rotor shaft, {name}",
        "steel",
        round(mass * 0.08, 4),
        round(value * 0.02, 2),
    )
    mag_mass = float(PARTS[mag]["mass_kg"])
    bom(
        rot,
        (mag, n),
        (core, 1),
        (shaft, 1),
        ("ADH-MAG", round(max(n * mag_mass * 0.01, 0.0005), 6)),
    )
    INHOUSE.add(rot)
    sta = part(
        f"{pid}-STA",
        f"Wound stator, {name}",
        "assembly",
        mass=round(mass * 0.4, 4),
        notes="Made in-house.",
    )
    score = leaf(
        f"{pid}-SCORE",
        f"Stator lamination stack, electrical steel, {name}",
        "steel",
        round(mass * 0.28, 4),
        round(value * 0.06, 2),
    )
    cu = "HAIRPIN-CU" if size == "traction" else "WIRE-CU"
    bom(
        sta,
        (score, 1),
        (cu, round(mass * 0.1, 4)),
        ("VARNISH", round(mass * 0.01, 4)),
        ("SLOT-INS", 0.5 if size == "traction" else 0.05),
    )
    INHOUSE.add(sta)
    house = leaf(
        f"{pid}-HSG",
        f"Housing, {name}",
        "alu" if size != "small" else "steel",
        round(mass * 0.2, 4),
        round(value * 0.05, 2),
    )
    brg = {"traction": "BRG-6206", "medium": "BRG-6204", "small": "BRG-608"}[size]
    lines = [
        (rot, 1),
        (sta, 1),
        (house, 1),
        (brg, 2),
        ("SCREW-M4" if size != "traction" else "SCREW-M8", 0.06),
    ]
    lines += extra or []
    part(
        pid,
        name,
        kind,
        mass=mass,
        value=value,
        cur="EUR",
        notes=f"Brushless PM motor. Mass and value: {ILLUSTRATIVE}.",
    )
    bom(pid, *lines)
    if make is not None:
        SOURCING[pid] = make
    return pid


def motor_dc(
    pid: str,
    name: str,
    mag: str,
    n: int,
    *,
    value: float,
    mass: float,
    make: Callable,
    gear: bool = True,
) -> str:
    """Brushed DC motor: yoke with bonded arc magnets (deep processed) + armature."""
    yoke = part(
        f"{pid}-YOKE",
        f"Yoke assembly with {n} bonded NdFeB magnets, {name}",
        "assembly",
        mass=round(mass * 0.35, 4),
        form="deep_processed_assembly",
        notes="Arc magnets bonded and magnetised in the steel yoke; made in-house.",
    )
    can = leaf(
        f"{pid}-CAN",
        f"Deep-drawn steel yoke can, {name}",
        "steel",
        round(mass * 0.25, 4),
        round(value * 0.04, 2),
    )
    mag_mass = float(PARTS[mag]["mass_kg"])
    bom(yoke, (mag, n), (can, 1), ("ADH-MAG", round(max(n * mag_mass * 0.01, 0.0002), 6)))
    INHOUSE.add(yoke)
    arm = part(
        f"{pid}-ARM",
        f"Armature with commutator, {name}",
        "assembly",
        mass=round(mass * 0.3, 4),
        notes="Made in-house.",
    )
    comm = leaf(f"{pid}-COMM", f"Commutator, {name}", "copper", 0.01, round(value * 0.03, 2))
    lam = leaf(
        f"{pid}-ALAM",
        f"Armature lamination stack, {name}",
        "steel",
        round(mass * 0.15, 4),
        round(value * 0.04, 2),
    )
    bom(arm, (lam, 1), (comm, 1), ("WIRE-CU", round(mass * 0.08, 4)), ("VARNISH", 0.001))
    INHOUSE.add(arm)
    brush = leaf(
        f"{pid}-BRUSH",
        f"Brush card with carbon brushes, {name}",
        "plastic",
        0.02,
        round(value * 0.05, 2),
    )
    lines = [
        (yoke, 1),
        (arm, 1),
        (brush, 1),
        ("BRG-6001" if mass > 1 else "BRG-608", 1),
        ("CONN-2P", 1),
    ]
    if gear:
        gb = leaf(
            f"{pid}-GEAR",
            f"Worm gearbox housing and gear, {name}",
            "plastic",
            round(mass * 0.2, 4),
            round(value * 0.08, 2),
        )
        lines.append((gb, 1))
    part(
        pid,
        name,
        "component",
        mass=mass,
        value=value,
        notes=f"Brushed DC motor. Mass and value: {ILLUSTRATIVE}.",
    )
    bom(pid, *lines)
    SOURCING[pid] = make
    return pid


def sensor(pid: str, name: str, mag: str, *, ic: str, value: float, make: Callable) -> str:
    """Overmoulded magnetic sensor (deep processed)."""
    housing = leaf(
        f"{pid}-MOULD",
        f"PA66-GF overmould and bracket, {name}",
        "plastic",
        0.02,
        round(value * 0.1, 2),
    )
    part(
        pid,
        name,
        "component",
        mass=0.06,
        value=value,
        form="deep_processed_assembly",
        notes=f"Sensor IC and magnet overmoulded into one part. Mass and value: {ILLUSTRATIVE}.",
    )
    bom(pid, (ic, 1), (mag, 1), (housing, 1), ("CONN-2P", 1))
    SOURCING[pid] = make
    return pid


def assembly(
    pid: str,
    name: str,
    lines: list[tuple[str, float]],
    *,
    mass: float,
    value: float,
    make: Callable | None = None,
    kind: str = "assembly",
    form: str = "other",
    cur: str = "EUR",
    notes: str = "",
) -> str:
    part(
        pid,
        name,
        kind,
        mass=mass,
        value=value,
        cur=cur,
        form=form,
        notes=(notes + " " if notes else "") + f"Mass and value: {ILLUSTRATIVE}.",
    )
    bom(pid, *lines)
    if make is None:
        INHOUSE.add(pid)
    else:
        SOURCING[pid] = make
    return pid


def L(prefix: str, cat: str, specs: list[tuple[str, str, float, float, float]]) -> list:
    """Create leaves ``prefix-key`` and return BOM lines: (key, name, mass, value, qty)."""
    return [(leaf(f"{prefix}-{k}", n, cat, m, v), q) for k, n, m, v, q in specs]


def build_components() -> None:
    for k, v in {
        "steel": CAT["steel"],
        "alu": CAT["alu"],
        "elec": CAT["elec"],
        "plastic": CAT["plastic"],
        "copper": CAT["copper"],
        "drive": CAT["drive"],
    }.items():
        CATEGORY_PICK[k] = nearest(*v)
    CATEGORY_PICK["cells"] = fixed(("S-HBE-KR-OCH", 1.0))
    for pid, (name, cat, mass, value) in SHARED.items():
        uom = "kg" if "(kg)" in name else "m2" if "(m2)" in name else "ea"
        uom = "pack" if "(100 pcs)" in name else uom
        leaf(pid, name, cat, mass, value, uom=uom)

    harz = nearest("S-HAR-PL-KAT", "S-HAR-US-TOL")
    bren = nearest("S-BRE-CZ-JIH", "S-BRE-MX-PUE")
    lumb = nearest("S-LUM-US-AUB", "S-LUM-MX-SAL", "S-LUM-DE-LEI")
    kalt = nearest("S-KAL-DE-COB", "S-KAL-MX-LEO")
    valm = nearest("S-VAL-FR-ISS", "S-VAL-MX-SLP")
    rhe = nearest("S-RHE-DE-NEU", "S-RHE-US-GRE")
    kfs = by_buyer(
        M(("S-KFS-JP-OTA", 1.0)),
        **{"S-VEL-MX-QRO": M(("S-KFS-MX-IRA", 0.8), ("S-KFS-JP-OTA", 0.2))},
    )
    son = nearest("S-SON-KR-GUM", "S-SON-MX-TIJ")
    vis = fixed(("S-VIS-PL-WRO", 1.0))
    aqu = fixed(("S-AQU-FR-PAU", 1.0))
    nor = nearest("S-NOR-CZ-OST", "S-NOR-MX-CHI")
    sak = nearest("S-SAK-CZ-PLZ", "S-SAK-MX-CEL", "S-SAK-JP-TOY")
    drv = CATEGORY_PICK["drive"]
    hbm = nearest("S-HBM-KR-CHA", "S-HBM-MX-MTY")
    hbe = nearest("S-HBE-PL-WRO", "S-HBE-US-CLA")
    eng = fixed(("S-VEL-DE-ENG", 1.0))

    # ---------------- sensors
    sensor(
        "SNS-WSS",
        "Active wheel-speed sensor, overmoulded",
        "MAG-WSS",
        ic="HALL-IC",
        value=6.5,
        make=vis,
    )
    sensor(
        "SNS-CAM",
        "Camshaft position sensor, Hall, overmoulded",
        "MAG-CAM",
        ic="HALL-IC",
        value=7.0,
        make=vis,
    )
    sensor(
        "SNS-CRANK",
        "Crankshaft position sensor, Hall, overmoulded",
        "MAG-CAM",
        ic="HALL-IC",
        value=7.5,
        make=vis,
    )
    sensor(
        "SNS-TURBO",
        "Turbocharger speed sensor, high-temperature (SmCo5)",
        "MAG-SMCO5-TURBO",
        ic="HALL-IC",
        value=24.0,
        make=aqu,
    )
    sensor(
        "SNS-RPS",
        "E-motor rotor-position sensor, TMR with Sm2Co17 target magnet",
        "MAG-SMCO-RPS",
        ic="TMR-IC",
        value=31.0,
        make=aqu,
    )

    # ---------------- steering
    motor_bldc(
        "MOT-EPS",
        "EPS motor 12 V BLDC 8-pole",
        "MAG-EPS",
        8,
        size="medium",
        value=95.0,
        mass=2.4,
        extra=[("TMR-IC", 1)],
    )
    INHOUSE.add("MOT-EPS")
    # Hokusei's export model of the EPS motor, priced in USD like the magnets and metals
    # upstream, so its Chinese-origin value share is known without exchange rates
    part(
        "HOK-EPS-MOT",
        "EPS motor 12 V BLDC 8-pole, export-packed (Hokusei)",
        "component",
        mass=2.5,
        value=118.0,
        cur="USD",
        notes="Illustrative. A Japanese-made assembly containing Dy NdFeB magnets made in "
        "China: an Ann. 61 Annex 1 Part 2 item (parts and assemblies containing them).",
    )
    bom("HOK-EPS-MOT", ("MOT-EPS", 1))
    eps_ecu = leaf("EPS-ECU", "EPS control unit (ECU)", "elec", 0.6, 55.0)
    torque = leaf("EPS-TSENS", "Steering torque sensor", "elec", 0.15, 18.0)
    assembly(
        "EPS-COL",
        "Column-drive EPS assembly",
        [
            ("MOT-EPS", 1),
            (eps_ecu, 1),
            (torque, 1),
            *L(
                "EPS-COL",
                "steel",
                [
                    ("WORM", "Worm gear set", 0.6, 12.0, 1),
                    ("TUBE", "Steering column tube, collapsible", 3.2, 28.0, 1),
                    ("ISHAFT", "Intermediate steering shaft", 1.4, 14.0, 1),
                ],
            ),
            ("SCREW-M8", 0.08),
        ],
        mass=9.0,
        value=310.0,
        make=harz,
    )
    assembly(
        "EPS-RACK",
        "Belt-drive rack EPS assembly",
        [
            ("MOT-EPS", 1),
            (eps_ecu, 1),
            (torque, 1),
            *L(
                "EPS-RACK",
                "steel",
                [
                    ("BAR", "Steering rack bar", 3.0, 24.0, 1),
                    ("BALLNUT", "Recirculating ball nut", 0.8, 30.0, 1),
                    ("TIEROD", "Tie rod with ball joint", 1.1, 11.0, 2),
                ],
            ),
            *L("EPS-RACK", "alu", [("HSG", "Rack housing, die-cast aluminium", 3.5, 42.0, 1)]),
            *L(
                "EPS-RACK",
                "plastic",
                [
                    ("BELT", "Toothed drive belt", 0.05, 4.0, 1),
                    ("BOOT", "Rack bellows boot", 0.1, 2.5, 2),
                ],
            ),
            ("SCREW-M10", 0.06),
        ],
        mass=14.0,
        value=520.0,
        make=harz,
    )
    leaf("STEER-WHEEL", "Steering wheel with driver airbag", "plastic", 2.8, 140.0)

    # ---------------- brakes
    motor_dc(
        "MOT-ESC",
        "ABS/ESC pump motor 12 V",
        "MAG-ESC",
        2,
        value=21.0,
        mass=0.45,
        gear=False,
        make=by_buyer(
            M(("S-BRN-CZ-BRN", 1.0)),
            **{"S-BRE-MX-PUE": M(("S-XIN-CN-SZ", 0.6), ("S-BRN-CZ-BRN", 0.4))},
        ),
    )
    assembly(
        "ESC-MOD",
        "ESC hydraulic modulator with ECU",
        [
            ("MOT-ESC", 1),
            ("SHIELD-CAN", 1),
            *L("ESC", "alu", [("BLOCK", "Valve block, machined aluminium", 0.9, 38.0, 1)]),
            *L(
                "ESC",
                "elec",
                [
                    ("ECU", "ESC electronic control unit", 0.3, 42.0, 1),
                    ("PSENS", "Brake pressure sensor", 0.03, 9.0, 1),
                ],
            ),
            *L("ESC", "steel", [("VALVE", "Solenoid valve", 0.02, 2.2, 12)]),
            ("ORING-S", 12),
            ("SCREW-M6", 0.04),
        ],
        mass=2.6,
        value=240.0,
        make=bren,
    )
    motor_dc("MOT-EPB", "EPB actuator motor 12 V", "MAG-EPB", 2, value=14.0, mass=0.3, make=sak)
    assembly(
        "EPB-ACT",
        "Electric parking brake actuator (motor-on-caliper)",
        [
            ("MOT-EPB", 1),
            *L(
                "EPB",
                "plastic",
                [
                    ("GEAR", "Planetary gear stage, EPB", 0.15, 6.0, 1),
                    ("HSG", "EPB actuator housing", 0.12, 3.0, 1),
                ],
            ),
            ("CONN-2P", 1),
        ],
        mass=0.8,
        value=48.0,
    )
    cal_f = L(
        "CALF",
        "steel",
        [
            ("BODY", "Front caliper body, cast iron", 3.2, 22.0, 1),
            ("PISTON", "Caliper piston", 0.2, 3.0, 2),
            ("PADS", "Brake pad set, front", 0.9, 14.0, 1),
        ],
    )
    assembly(
        "CAL-F",
        "Front brake caliper, floating, 2-piston",
        [*cal_f, ("SCREW-M10", 0.02)],
        mass=4.5,
        value=85.0,
        make=bren,
    )
    cal_r = L(
        "CALR",
        "steel",
        [
            ("BODY", "Rear caliper body, cast iron", 2.4, 17.0, 1),
            ("PISTON", "Rear caliper piston", 0.15, 2.5, 1),
            ("PADS", "Brake pad set, rear", 0.6, 10.0, 1),
        ],
    )
    assembly(
        "CAL-R-EPB",
        "Rear brake caliper with EPB actuator",
        [*cal_r, ("EPB-ACT", 1), ("SCREW-M10", 0.02)],
        mass=3.8,
        value=120.0,
        make=bren,
    )
    leaf("DISC-F", "Front brake disc, ventilated 320 mm", "steel", 9.0, 32.0)
    leaf("DISC-R", "Rear brake disc, 300 mm", "steel", 6.0, 24.0)

    # ---------------- seats
    motor_dc(
        "MOT-SEAT",
        "Seat-adjust motor 12 V",
        "MAG-SEAT",
        2,
        value=11.0,
        mass=0.35,
        make=by_buyer(
            M(("S-SAK-CZ-PLZ", 1.0)),
            **{
                "S-LUM-US-AUB": M(("S-SAK-MX-CEL", 0.7), ("S-SAK-JP-TOY", 0.3)),
                "S-LUM-MX-SAL": M(("S-SAK-MX-CEL", 1.0)),
            },
        ),
    )
    assembly(
        "SEAT-TRACK-PWR",
        "Power seat track, 3 motors (fore/aft, height, tilt)",
        [
            ("MOT-SEAT", 3),
            *L(
                "STRK",
                "steel",
                [
                    ("RAIL", "Seat rail pair", 4.0, 18.0, 1),
                    ("SPINDLE", "Spindle drive", 0.3, 4.0, 3),
                ],
            ),
            ("GREASE", 0.02),
            ("SCREW-M8", 0.06),
        ],
        mass=6.5,
        value=95.0,
    )
    assembly(
        "SEAT-RECL-PWR",
        "Power recliner with motor",
        [("MOT-SEAT", 1), *L("SRCL", "steel", [("MECH", "Recliner mechanism pair", 1.5, 16.0, 1)])],
        mass=2.0,
        value=38.0,
    )
    frame = leaf("SEAT-FRAME", "Front seat frame, welded steel", "steel", 9.0, 55.0)
    foam = leaf("SEAT-FOAM", "Seat foam set, PU", "plastic", 2.0, 24.0)
    trim = leaf("SEAT-TRIM", "Seat trim cover, fabric", "plastic", 1.2, 45.0)
    buckle = part(
        "BUCKLE",
        "Seat-belt buckle with ferrite-magnet switch",
        "component",
        mass=0.25,
        value=6.0,
        notes=f"Mass and value: {ILLUSTRATIVE}.",
    )
    bom(
        buckle,
        ("MAG-FER-SEATBELT", 1),
        ("HALL-IC", 1),
        *L("BUCKLE", "plastic", [("HSG", "Buckle housing and latch", 0.2, 2.0, 1)]),
    )
    SOURCING[buckle] = nor
    assembly(
        "SEAT-FR-PWR",
        "Front seat, 8-way power",
        [
            ("SEAT-TRACK-PWR", 1),
            ("SEAT-RECL-PWR", 1),
            (frame, 1),
            (foam, 1),
            (trim, 1),
            ("HEAT-MAT", 2),
            ("AIRBAG-SIDE", 1),
            (buckle, 1),
            ("CONN-4P", 2),
        ],
        mass=24.0,
        value=520.0,
        make=lumb,
    )
    assembly(
        "SEAT-FR-MAN",
        "Front seat, manual with power height adjust",
        [
            ("MOT-SEAT", 1),
            *L("SMAN", "steel", [("TRACK", "Manual seat track pair", 4.2, 15.0, 1)]),
            (frame, 1),
            (foam, 1),
            (trim, 1),
            ("AIRBAG-SIDE", 1),
            (buckle, 1),
            ("CONN-2P", 1),
        ],
        mass=20.0,
        value=310.0,
        make=lumb,
    )
    assembly(
        "SEAT-REAR",
        "Rear bench 60/40",
        [
            *L("SREAR", "steel", [("FRAME", "Rear bench frame", 12.0, 45.0, 1)]),
            *L(
                "SREAR",
                "plastic",
                [
                    ("FOAM", "Rear foam set", 3.0, 30.0, 1),
                    ("TRIM", "Rear trim covers", 2.0, 60.0, 1),
                ],
            ),
            (buckle, 3),
        ],
        mass=19.0,
        value=260.0,
        make=lumb,
    )

    # ---------------- doors, windows, mirrors
    motor_dc(
        "MOT-WIN",
        "Window-lift motor 12 V",
        "MAG-WIN",
        2,
        value=16.0,
        mass=0.55,
        make=by_buyer(
            M(("S-SAK-CZ-PLZ", 0.7), ("S-XIN-CN-SZ", 0.3)),
            **{"S-KAL-MX-LEO": M(("S-SAK-MX-CEL", 1.0))},
        ),
    )
    assembly(
        "WIN-REG",
        "Window regulator, cable type, with motor",
        [
            ("MOT-WIN", 1),
            *L(
                "WREG",
                "steel",
                [
                    ("RAIL", "Regulator guide rail", 0.6, 5.0, 1),
                    ("CABLE", "Bowden cable set", 0.1, 2.0, 1),
                ],
            ),
            *L(
                "WREG",
                "plastic",
                [
                    ("DRUM", "Cable drum", 0.03, 0.8, 1),
                    ("SLIDER", "Glass slider carrier", 0.04, 0.7, 2),
                ],
            ),
        ],
        mass=1.6,
        value=42.0,
    )
    lock = leaf(
        "DOOR-LATCH", "Door latch with lock actuator (ferrite DC motor)", "steel", 0.7, 21.0
    )
    for pos, nm in (("F", "Front"), ("R", "Rear")):
        assembly(
            f"DOOR-MOD-{pos}",
            f"{nm} door module (carrier, regulator, latch)",
            [
                ("WIN-REG", 1),
                (lock, 1),
                *L(
                    f"DOOR{pos}",
                    "plastic",
                    [
                        ("CARRIER", f"{nm} door carrier plate, PP-LGF", 1.3, 12.0, 1),
                        ("TRIM", f"{nm} door trim panel", 2.5, 48.0, 1),
                    ],
                ),
                *L(f"DOOR{pos}", "copper", [("HARN", f"{nm} door harness", 0.6, 18.0, 1)]),
                ("SCREW-M6", 0.1),
            ],
            mass=7.5,
            value=190.0 if pos == "F" else 160.0,
            make=kalt,
        )
    motor_dc(
        "MOT-MIRROR",
        "Mirror adjust/fold motor 12 V",
        "MAG-MIRROR",
        2,
        value=4.5,
        mass=0.08,
        gear=True,
        make=sak,
    )
    for side in ("L", "R"):
        assembly(
            f"MIRROR-{side}",
            f"Exterior mirror {side}, power fold, heated",
            [
                ("MOT-MIRROR", 2),
                *L(
                    f"MIRR{side}",
                    "plastic",
                    [
                        ("GLASS", f"Mirror glass with heater {side}", 0.2, 6.0, 1),
                        ("HSG", f"Mirror housing {side}", 0.5, 9.0, 1),
                    ],
                ),
                ("CONN-4P", 1),
            ],
            mass=1.6,
            value=85.0,
            make=nor,
        )

    # ---------------- wipers
    motor_dc(
        "MOT-WIPER-F",
        "Front wiper motor 12 V, 2-speed",
        "MAG-WIPER",
        2,
        value=28.0,
        mass=1.4,
        make=valm,
    )
    motor_dc(
        "MOT-WIPER-R", "Rear wiper motor 12 V", "MAG-WIPER", 1, value=19.0, mass=0.7, make=valm
    )
    for pid in ("MOT-WIPER-F", "MOT-WIPER-R"):
        INHOUSE.add(pid)
        del SOURCING[pid]
    assembly(
        "WIPER-SYS-F",
        "Front wiper system (motor, linkage, arms, blades)",
        [
            ("MOT-WIPER-F", 1),
            *L(
                "WIPF",
                "steel",
                [("LINK", "Wiper linkage", 1.2, 9.0, 1), ("ARM", "Wiper arm, front", 0.35, 4.0, 2)],
            ),
            *L("WIPF", "plastic", [("BLADE", "Flat wiper blade 650 mm", 0.15, 6.0, 2)]),
        ],
        mass=3.2,
        value=95.0,
        make=valm,
    )
    assembly(
        "WIPER-SYS-R",
        "Rear wiper system",
        [
            ("MOT-WIPER-R", 1),
            *L("WIPR", "steel", [("ARM", "Wiper arm, rear", 0.25, 3.0, 1)]),
            *L("WIPR", "plastic", [("BLADE", "Rear wiper blade 300 mm", 0.08, 3.5, 1)]),
        ],
        mass=1.2,
        value=45.0,
        make=valm,
    )

    # ---------------- pumps
    impeller = L(
        "PUMP",
        "plastic",
        [
            ("IMPELLER", "Pump impeller, PPS-GF", 0.03, 1.5, 1),
            ("VOLUTE", "Pump volute housing, PPS-GF", 0.2, 4.0, 1),
        ],
    )
    pcb = leaf("PUMP-PCB", "BLDC pump driver PCB", "elec", 0.03, 7.0)
    motor_bldc(
        "PUMP-COOL",
        "Electric coolant pump 12 V 60 W",
        "MAG-COOLP",
        4,
        size="small",
        value=62.0,
        mass=0.9,
        extra=[*impeller, (pcb, 1), ("ORING-S", 2), ("CONN-4P", 1)],
        make=rhe,
    )
    motor_bldc(
        "PUMP-WATER",
        "Electric auxiliary water pump 12 V 25 W (engine)",
        "MAG-COOLP",
        3,
        size="small",
        value=38.0,
        mass=0.6,
        extra=[*impeller, (pcb, 1), ("ORING-S", 2), ("CONN-2P", 1)],
        make=rhe,
    )
    motor_bldc(
        "PUMP-OIL",
        "Electric oil pump 12 V 200 W (transmission/e-axle)",
        "MAG-OILP",
        4,
        size="small",
        value=85.0,
        mass=1.3,
        extra=[
            *L("OILP", "steel", [("GEROTOR", "Gerotor set", 0.15, 6.0, 1)]),
            (pcb, 1),
            ("ORING-S", 3),
            ("CONN-4P", 1),
        ],
        make=rhe,
    )
    motor_bldc(
        "MOT-FUELP",
        "Fuel pump BLDC motor",
        "MAG-FUELP",
        4,
        size="small",
        value=22.0,
        mass=0.35,
        extra=[("CONN-2P", 1)],
    )
    INHOUSE.add("MOT-FUELP")
    assembly(
        "FUEL-PUMP-MOD",
        "In-tank fuel pump module with level sender",
        [
            ("MOT-FUELP", 1),
            *L(
                "FPM",
                "plastic",
                [
                    ("RES", "Fuel reservoir and flange, POM", 0.4, 6.0, 1),
                    ("FILTER", "Fuel filter element", 0.1, 3.0, 1),
                ],
            ),
            *L(
                "FPM",
                "elec",
                [
                    ("SENDER", "Fuel level sender", 0.05, 4.0, 1),
                    ("ECU", "Fuel pump control unit", 0.08, 14.0, 1),
                ],
            ),
        ],
        mass=1.6,
        value=95.0,
        make=kfs,
    )

    # ---------------- audio
    for pid, nm, mag, m, v in (
        ("SPK-WOOF", "Woofer 165 mm, NdFeB", "MAG-WOOF", 0.5, 14.0),
        ("SPK-MID", "Mid-range/centre speaker 80 mm, NdFeB", "MAG-MID", 0.25, 9.0),
        ("SPK-TWEET", "Tweeter 25 mm, NdFeB", "MAG-TWEET", 0.06, 6.0),
        ("SPK-SUB", "Subwoofer 200 mm, NdFeB", "MAG-SUB", 1.4, 32.0),
    ):
        key = pid.split("-")[1]
        assembly(
            pid,
            nm,
            [
                (mag, 1),
                ("WIRE-CU", round(m * 0.02, 4)),
                *L(
                    key,
                    "steel",
                    [
                        ("POLE", f"Pole piece and top plate, {nm}", m * 0.3, v * 0.08, 1),
                        ("BASKET", f"Basket, {nm}", m * 0.25, v * 0.08, 1),
                    ],
                ),
                *L(key, "plastic", [("CONE", f"Cone and surround, {nm}", m * 0.1, v * 0.1, 1)]),
            ],
            mass=m,
            value=v,
            kind="component",
            make=son,
        )

    # ---------------- engine and transmission
    motor_dc(
        "MOT-STARTER",
        "Starter motor 12 V 1.2 kW (ferrite magnets)",
        "MAG-FER-STARTER",
        4,
        value=78.0,
        mass=3.2,
        gear=True,
        make=sak,
    )
    PARTS["MOT-STARTER-YOKE"]["name"] = "Yoke assembly with 4 bonded ferrite magnets, starter motor"
    PARTS["MOT-STARTER-YOKE"]["form"] = "other"
    turbo = assembly(
        "TURBO",
        "Turbocharger, wastegate, with speed sensor",
        [
            ("SNS-TURBO", 1),
            *L(
                "TURBO",
                "steel",
                [
                    ("TURB", "Turbine housing, cast steel", 3.0, 60.0, 1),
                    ("SHAFT", "Turbine wheel and shaft", 0.5, 70.0, 1),
                ],
            ),
            *L("TURBO", "alu", [("COMP", "Compressor housing and wheel", 1.5, 35.0, 1)]),
        ],
        mass=6.0,
        value=420.0,
        make=drv,
    )
    engine_common = [
        *L(
            "ENG",
            "alu",
            [
                ("BLOCK", "Cylinder block, aluminium", 24.0, 240.0, 1),
                ("OILPAN", "Oil pan", 2.5, 25.0, 1),
                ("INTAKE", "Intake manifold", 2.0, 45.0, 1),
            ],
        ),
        *L(
            "ENG",
            "steel",
            [
                ("CRANK", "Crankshaft, forged", 11.0, 110.0, 1),
                ("CAMSHAFT", "Camshaft, assembled", 1.6, 38.0, 2),
                ("PISTON", "Piston with rings", 0.35, 14.0, 4),
                ("CONROD", "Connecting rod, cracked", 0.5, 11.0, 4),
                ("VALVE", "Valve", 0.05, 1.6, 16),
                ("CHAIN", "Timing chain kit", 0.8, 28.0, 1),
                ("OILPUMP", "Mechanical oil pump, variable", 1.2, 48.0, 1),
                ("FLYWHEEL", "Dual-mass flywheel", 9.0, 190.0, 1),
            ],
        ),
        *L(
            "ENG",
            "elec",
            [
                ("INJ", "Direct fuel injector (solenoid)", 0.1, 28.0, 4),
                ("COIL", "Ignition coil", 0.3, 14.0, 4),
                ("ALT", "Alternator 150 A, claw-pole (no permanent magnets)", 5.5, 120.0, 1),
                ("THROT", "Electronic throttle body", 0.9, 45.0, 1),
            ],
        ),
        *L("ENG", "copper", [("HARN", "Engine wiring harness", 2.0, 65.0, 1)]),
        ("SNS-CAM", 2),
        ("SNS-CRANK", 1),
        ("MOT-STARTER", 1),
        ("PUMP-WATER", 1),
        ("SCREW-M8", 1.0),
        ("SCREW-M10", 0.8),
    ]
    assembly(
        "ENG-15T",
        "1.5 l turbo petrol engine VT15T",
        [
            *engine_common,
            (turbo, 1),
            *L("ENG15T", "alu", [("HEAD", "Cylinder head, turbo", 9.0, 180.0, 1)]),
            *L("ENG15T", "elec", [("ECU", "Engine control unit, VT15T", 0.6, 160.0, 1)]),
        ],
        mass=115.0,
        value=3200.0,
        make=eng,
    )
    assembly(
        "ENG-15H",
        "1.5 l hybrid-optimised petrol engine VT15H (Atkinson)",
        [
            *engine_common,
            (turbo, 1),
            *L("ENG15H", "alu", [("HEAD", "Cylinder head, Atkinson cam", 9.0, 185.0, 1)]),
            *L("ENG15H", "elec", [("ECU", "Engine control unit, VT15H hybrid", 0.6, 175.0, 1)]),
        ],
        mass=112.0,
        value=3100.0,
        make=eng,
    )
    assembly(
        "DCT-7",
        "7-speed dual-clutch transmission",
        [
            ("PUMP-OIL", 1),
            *L(
                "DCT",
                "steel",
                [
                    ("GEARS", "DCT gear set", 30.0, 420.0, 1),
                    ("CLUTCH", "Dual dry clutch", 9.0, 260.0, 1),
                ],
            ),
            *L("DCT", "alu", [("CASE", "Transmission case", 12.0, 160.0, 1)]),
            *L("DCT", "elec", [("TCU", "Transmission control unit", 0.4, 140.0, 1)]),
        ],
        mass=72.0,
        value=1600.0,
        make=drv,
    )

    # ---------------- hybrid
    motor_bldc(
        "TM-HEV",
        "P2 hybrid motor 60 kW, IPM",
        "MAG-TM-HEV",
        24,
        size="traction",
        value=780.0,
        mass=22.0,
        extra=[("SNS-RPS", 1), ("CONN-HV", 1)],
    )
    INHOUSE.add("TM-HEV")
    assembly(
        "HYB-P2",
        "P2 hybrid module (motor, separating clutch, housing)",
        [
            ("TM-HEV", 1),
            *L("P2", "steel", [("CLUTCH", "K0 separating clutch", 6.0, 180.0, 1)]),
            *L("P2", "alu", [("HSG", "P2 module housing", 8.0, 120.0, 1)]),
            *L("P2", "elec", [("INV", "Hybrid inverter 60 kW", 5.0, 650.0, 1)]),
        ],
        mass=45.0,
        value=2300.0,
        make=hbm,
    )

    # ---------------- EV drive units
    for pid, nm, mag, n, m, v in (
        ("TM-AST", "Traction motor PMSM 150 kW (Aster EV)", "MAG-TM-AST", 32, 45.0, 1450.0),
        ("TM-CVR", "Traction motor PMSM 210 kW (Corvid rear)", "MAG-TM-CVR", 40, 52.0, 1750.0),
        ("TM-CVF", "Traction motor PMSM 120 kW (Corvid front)", "MAG-TM-CVF", 28, 38.0, 1250.0),
    ):
        motor_bldc(
            pid,
            nm,
            mag,
            n,
            size="traction",
            value=v,
            mass=m,
            extra=[("SNS-RPS", 1), ("CONN-HV", 1), ("HOSE-COOL", 1)],
        )
        INHOUSE.add(pid)
    sic = leaf("INV-SIC", "SiC power module, 6-pack", "elec", 0.4, 260.0)
    igbt = leaf("INV-IGBT", "IGBT power module, 6-pack", "elec", 0.5, 180.0)
    gdrv = leaf("INV-GDRV", "Gate driver board", "elec", 0.1, 40.0)
    ctrl = leaf("INV-CTRL", "Motor control board", "elec", 0.15, 55.0)
    for pid, nm, pm, cap, v in (
        ("INV-150", "Inverter 400 V 150 kW", igbt, "CAP-400", 620.0),
        ("INV-210", "Inverter 800 V 210 kW", sic, "CAP-800", 910.0),
        ("INV-120", "Inverter 800 V 120 kW", sic, "CAP-800", 780.0),
    ):
        assembly(
            pid,
            nm,
            [
                (pm, 1),
                (gdrv, 1),
                (ctrl, 1),
                ("MCU-32", 1),
                (leaf(cap, f"DC-link film capacitor, {cap[4:]} V", "elec", 1.2, 45.0), 1),
                ("BUSBAR-CU", 1),
                ("CONN-HV", 2),
                ("GASKET-L", 1),
                *L(pid, "alu", [("HSG", f"Inverter housing, {nm}", 3.0, 45.0, 1)]),
            ],
            mass=9.0,
            value=v,
        )
    for pid, nm, v in (
        ("RED-AST", "Single-speed reducer with differential, 9.7:1", 520.0),
        ("RED-CVR", "Single-speed reducer, rear, 10.5:1", 580.0),
        ("RED-CVF", "Single-speed reducer, front, with disconnect", 610.0),
    ):
        assembly(
            pid,
            nm,
            [
                *L(
                    pid,
                    "steel",
                    [
                        ("GEARS", f"Gear set, {nm}", 12.0, 180.0, 1),
                        ("DIFF", f"Differential, {nm}", 6.0, 90.0, 1),
                    ],
                ),
                *L(pid, "alu", [("CASE", f"Reducer case, {nm}", 8.0, 95.0, 1)]),
                ("BRG-6206", 4),
                ("GREASE", 0.1),
            ],
            mass=28.0,
            value=v,
            make=drv,
        )
    orion = nearest("S-ORI-DE-KIT", "S-ORI-MX-SLP")
    assembly(
        "EDU-AST",
        "Electric drive unit 150 kW (Aster EV)",
        [("TM-AST", 1), ("INV-150", 1), ("RED-AST", 1), ("PUMP-OIL", 1), ("SCREW-M10", 0.3)],
        mass=90.0,
        value=3600.0,
        make=orion,
    )
    assembly(
        "EDU-CVR",
        "Electric drive unit 210 kW, rear (Corvid)",
        [("TM-CVR", 1), ("INV-210", 1), ("RED-CVR", 1), ("PUMP-OIL", 1), ("SCREW-M10", 0.3)],
        mass=105.0,
        value=4300.0,
        make=orion,
    )
    assembly(
        "EDU-CVF",
        "Electric drive unit 120 kW, front (Corvid)",
        [("TM-CVF", 1), ("INV-120", 1), ("RED-CVF", 1), ("SCREW-M10", 0.3)],
        mass=80.0,
        value=3400.0,
        make=fixed(("S-ORI-MX-SLP", 0.7), ("S-HBM-MX-MTY", 0.3)),
    )
    motor_bldc(
        "ECOMP",
        "Electric A/C compressor 400/800 V, scroll",
        "MAG-ECOMP",
        6,
        size="medium",
        value=690.0,
        mass=7.5,
        extra=[
            *L("ECOMP", "alu", [("SCROLL", "Scroll set, aluminium", 1.5, 60.0, 1)]),
            ("MCU-32", 1),
            ("MOSFET-6", 1),
            ("CONN-HV", 1),
        ],
        make=hbm,
    )

    # ---------------- batteries
    cell = leaf("CELL-NMC", "Li-ion prismatic cell NMC811, 120 Ah", "cells", 2.0, 62.0, cur="USD")
    cell_h = leaf(
        "CELL-HEV", "Li-ion prismatic cell, power type, 6 Ah", "cells", 0.3, 9.0, cur="USD"
    )
    bms = leaf("BMS", "Battery management system master", "elec", 0.4, 120.0)
    csc = leaf("CSC", "Cell supervision circuit board", "elec", 0.1, 22.0)
    assembly(
        "BMOD-12",
        "Battery module 12 cells",
        [
            (cell, 12),
            (csc, 1),
            ("BUSBAR-CU", 1),
            *L("BMOD", "alu", [("FRAME", "Module end plates and side bands", 1.5, 14.0, 1)]),
        ],
        mass=27.0,
        value=900.0,
        cur="USD",
    )
    for pid, nm, nmods, v in (
        ("BATT-58", "Traction battery 58 kWh, 400 V", 4, 6900.0),
        ("BATT-82", "Traction battery 82 kWh, 800 V", 6, 9600.0),
    ):
        assembly(
            pid,
            nm,
            [
                ("BMOD-12", nmods),
                (bms, 1),
                ("CONN-HV", 2),
                ("HOSE-COOL", 1),
                *L(
                    pid,
                    "alu",
                    [
                        ("TRAY", f"Battery tray, {nm}", 45.0, 420.0, 1),
                        ("COOLPLATE", f"Cooling plate, {nm}", 8.0, 120.0, 1),
                    ],
                ),
                *L(
                    pid,
                    "elec",
                    [
                        ("CONTACT", "HV contactor", 0.3, 35.0, 2),
                        ("FUSE", "Pyro fuse", 0.2, 25.0, 1),
                    ],
                ),
                *L(pid, "copper", [("HVHARN", f"HV harness, {nm}", 4.0, 140.0, 1)]),
            ],
            mass=nmods * 27.0 + 60.0,
            value=v,
            make=hbe,
            cur="USD",
        )
    assembly(
        "BATT-HEV",
        "HEV battery 1.4 kWh",
        [
            (cell_h, 60),
            (bms, 1),
            ("BUSBAR-CU", 1),
            ("CONN-HV", 1),
            *L("BATTHEV", "alu", [("CASE", "HEV battery case", 6.0, 60.0, 1)]),
        ],
        mass=30.0,
        value=1400.0,
        make=hbe,
        cur="USD",
    )

    # ---------------- HVAC, lighting, electronics, body
    motor_bldc(
        "MOT-BLOWER",
        "HVAC blower motor (ferrite magnets)",
        "MAG-FER-BLOWER",
        4,
        size="small",
        value=35.0,
        mass=1.1,
    )
    PARTS["MOT-BLOWER-ROT"]["name"] = "Rotor assembly with 4 ferrite magnets, HVAC blower motor"
    PARTS["MOT-BLOWER-ROT"]["form"] = "other"
    INHOUSE.add("MOT-BLOWER")
    assembly(
        "HVAC-MOD",
        "HVAC module (blower, heater core, evaporator, flaps)",
        [
            ("MOT-BLOWER", 1),
            *L(
                "HVAC",
                "alu",
                [("EVAP", "Evaporator core", 1.2, 35.0, 1), ("HCORE", "Heater core", 0.9, 25.0, 1)],
            ),
            *L("HVAC", "plastic", [("CASE", "HVAC case, PP-T20", 3.5, 30.0, 1)]),
            *L(
                "HVAC",
                "elec",
                [
                    ("FLAPACT", "Flap actuator (stepper)", 0.1, 6.0, 4),
                    ("CTRL", "Climate control panel", 0.5, 45.0, 1),
                ],
            ),
        ],
        mass=9.0,
        value=380.0,
        make=nor,
    )
    assembly(
        "HVAC-HP",
        "Heat-pump HVAC module (EV)",
        [
            ("MOT-BLOWER", 1),
            ("PUMP-COOL", 1),
            *L(
                "HVACHP",
                "alu",
                [
                    ("EVAP", "Evaporator core, heat pump", 1.3, 40.0, 1),
                    ("CHILLER", "Battery chiller", 1.5, 65.0, 1),
                ],
            ),
            ("HVAC-CASE", 1),
            ("HVAC-FLAPACT", 5),
            ("HVAC-CTRL", 1),
            *L("HVACHP", "elec", [("VALVE", "Electronic expansion valve (stepper)", 0.2, 28.0, 3)]),
        ],
        mass=12.0,
        value=720.0,
        make=nor,
    )
    for pid, nm, cat, m, v in (
        ("HEADLAMP", "LED headlamp", "elec", 3.5, 310.0),
        ("TAILLAMP", "LED tail lamp", "elec", 1.2, 85.0),
        ("HEADUNIT", "Infotainment head unit 12.3 in", "elec", 2.2, 420.0),
        ("CLUSTER", "Digital instrument cluster", "elec", 1.2, 190.0),
        ("ADAS-CAM", "Front ADAS camera module", "elec", 0.3, 150.0),
        ("RADAR-F", "Front radar sensor 77 GHz", "elec", 0.25, 110.0),
        ("BCM", "Body control module", "elec", 0.5, 85.0),
        ("OBC-11", "On-board charger 11 kW", "elec", 6.0, 620.0),
        ("DCDC", "DC/DC converter HV/12 V", "elec", 2.5, 210.0),
        ("BATT-12V", "12 V lead-acid battery 60 Ah (EFB)", "elec", 15.0, 85.0),
        ("HARN-MAIN", "Main body wiring harness", "copper", 22.0, 480.0),
        ("HARN-HV", "HV cable set, vehicle", "copper", 9.0, 310.0),
        ("AIRBAG-DASH", "Passenger airbag module", "plastic", 2.0, 60.0),
        ("AIRBAG-CURT", "Curtain airbag", "plastic", 1.5, 48.0),
        ("DASH", "Instrument panel carrier and trim", "plastic", 14.0, 260.0),
        ("CARPET", "Carpet set", "plastic", 9.0, 85.0),
        ("HEADLINER", "Headliner", "plastic", 3.0, 45.0),
        ("BUMPER-F", "Front bumper fascia", "plastic", 5.0, 95.0),
        ("BUMPER-R", "Rear bumper fascia", "plastic", 4.5, 80.0),
        ("WINDSCREEN", "Windscreen, acoustic laminated", "plastic", 14.0, 180.0),
        ("SIDEGLASS", "Side door glass, tempered", "plastic", 3.5, 28.0),
        ("REARGLASS", "Rear window, heated", "plastic", 8.0, 75.0),
        ("WHEEL-17", "Alloy wheel 17 in", "alu", 10.0, 110.0),
        ("WHEEL-19", "Alloy wheel 19 in", "alu", 12.5, 170.0),
        ("TYRE-17", "Tyre 215/55 R17", "plastic", 9.0, 75.0),
        ("TYRE-19", "Tyre 245/45 R19, EV low rolling resistance", "plastic", 11.0, 140.0),
        ("STRUT-F", "Front suspension strut", "steel", 5.5, 65.0),
        ("SHOCK-R", "Rear shock absorber", "steel", 2.5, 35.0),
        ("SPRING-R", "Rear coil spring", "steel", 2.0, 12.0),
        ("ARM-F", "Front lower control arm", "steel", 3.5, 40.0),
        ("SUBFRAME-F", "Front subframe", "steel", 18.0, 140.0),
        ("SUBFRAME-R", "Rear subframe / twist beam", "steel", 22.0, 160.0),
        ("HUB-F", "Front wheel hub bearing unit with ABS encoder ring", "steel", 2.4, 38.0),
        ("HUB-R", "Rear wheel hub bearing unit with ABS encoder ring", "steel", 2.0, 32.0),
        ("FUEL-TANK", "Fuel tank 50 l, HDPE", "plastic", 8.0, 120.0),
        ("EXHAUST", "Exhaust system with catalytic converter", "steel", 16.0, 480.0),
        ("RADIATOR", "Engine radiator and fan module", "alu", 6.0, 160.0),
        ("RAD-EV", "Front-end cooling module, EV low-temperature radiator", "alu", 5.0, 140.0),
        ("HALFSHAFT", "Drive shaft (half shaft) with CV joints", "steel", 7.0, 95.0),
        ("CHARGE-PORT", "Charging inlet CCS2/NACS with actuator", "copper", 1.5, 120.0),
        ("HORN", "Electric horn (disc type)", "elec", 0.4, 9.0),
    ):
        leaf(pid, nm, cat, m, v)
    # Body-in-white: stamped panels welded in-house at the vehicle plants
    biw_common = L(
        "BIW",
        "steel",
        [
            ("FLOOR", "Floor pan assembly", 55.0, 180.0, 1),
            ("SIDE-L", "Body side outer, left", 22.0, 95.0, 1),
            ("SIDE-R", "Body side outer, right", 22.0, 95.0, 1),
            ("ROOF", "Roof panel", 11.0, 40.0, 1),
            ("BPILLAR", "B-pillar reinforcement, press-hardened", 4.5, 30.0, 2),
            ("RAIL-F", "Front longitudinal rail", 8.0, 45.0, 2),
            ("DASHPNL", "Dash panel (firewall)", 7.0, 30.0, 1),
            ("CROSSM", "Seat cross member", 3.0, 12.0, 3),
            ("DOOR-F", "Front door shell", 14.0, 70.0, 2),
            ("DOOR-R", "Rear door shell", 12.0, 60.0, 2),
            ("FENDER", "Front fender", 3.0, 18.0, 2),
        ],
    )
    assembly(
        "BIW-AST",
        "Body-in-white, Aster",
        [
            *biw_common,
            *L(
                "BIWAST",
                "steel",
                [
                    ("BONNET", "Bonnet, Aster", 9.0, 40.0, 1),
                    ("TAILGATE", "Tailgate, Aster", 12.0, 55.0, 1),
                ],
            ),
            ("SCREW-M8", 2.0),
        ],
        mass=330.0,
        value=2100.0,
    )
    assembly(
        "BIW-AST-EV",
        "Body-in-white, Aster EV (battery tunnel floor)",
        [
            *[x for x in biw_common if x[0] != "BIW-FLOOR"],
            *L(
                "BIWASTEV",
                "steel",
                [("FLOOR", "Floor pan, EV with battery mounts", 52.0, 210.0, 1)],
            ),
            ("BIWAST-BONNET", 1),
            ("BIWAST-TAILGATE", 1),
            ("SCREW-M8", 2.0),
        ],
        mass=325.0,
        value=2200.0,
    )
    assembly(
        "BIW-CVR",
        "Body-in-white, Corvid",
        [
            *biw_common,
            *L(
                "BIWCVR",
                "alu",
                [
                    ("BONNET", "Bonnet, aluminium, Corvid", 6.0, 90.0, 1),
                    ("TAILGATE", "Tailgate, Corvid", 11.0, 70.0, 1),
                    ("CASTING-R", "Rear mega-casting", 60.0, 650.0, 1),
                ],
            ),
            ("SCREW-M10", 2.0),
        ],
        mass=360.0,
        value=2900.0,
    )

    # ---------------- defence product (screening material)
    motor_bldc(
        "DEF-SERVO-MOT",
        "Radar pedestal servo motor, SmCo",
        "MAG-SMCO-DEF",
        6,
        size="medium",
        value=2400.0,
        mass=3.0,
        extra=[("SNS-RPS", 1)],
    )
    INHOUSE.add("DEF-SERVO-MOT")
    PARTS["DEF-SERVO-MOT-ROT"]["name"] = "Rotor assembly with 6 Sm2Co17 magnets, radar servo"
    assembly(
        "DEF-SERVO",
        "Radar pedestal azimuth servo actuator (defence)",
        [
            ("DEF-SERVO-MOT", 1),
            *L("DEFS", "steel", [("GEAR", "Harmonic drive gear set", 1.5, 1800.0, 1)]),
            *L("DEFS", "elec", [("DRV", "Servo drive electronics", 1.0, 3500.0, 1)]),
        ],
        mass=8.0,
        value=14500.0,
        kind="product",
        cur="USD",
    )


CAR_COMMON = [
    ("ESC-MOD", 1),
    ("CAL-F", 2),
    ("CAL-R-EPB", 2),
    ("DISC-F", 2),
    ("DISC-R", 2),
    ("SNS-WSS", 4),
    ("HUB-F", 2),
    ("HUB-R", 2),
    ("STEER-WHEEL", 1),
    ("DOOR-MOD-F", 2),
    ("DOOR-MOD-R", 2),
    ("MIRROR-L", 1),
    ("MIRROR-R", 1),
    ("WIPER-SYS-F", 1),
    ("SEAT-REAR", 1),
    ("BELT-SEAT", 5),
    ("HEADLAMP", 2),
    ("TAILLAMP", 2),
    ("HEADUNIT", 1),
    ("CLUSTER", 1),
    ("ADAS-CAM", 1),
    ("RADAR-F", 1),
    ("BCM", 1),
    ("BATT-12V", 1),
    ("HARN-MAIN", 1),
    ("AIRBAG-DASH", 1),
    ("AIRBAG-CURT", 2),
    ("DASH", 1),
    ("CARPET", 1),
    ("HEADLINER", 1),
    ("BUMPER-F", 1),
    ("BUMPER-R", 1),
    ("WINDSCREEN", 1),
    ("SIDEGLASS", 4),
    ("REARGLASS", 1),
    ("STRUT-F", 2),
    ("SHOCK-R", 2),
    ("SPRING-R", 2),
    ("ARM-F", 2),
    ("SUBFRAME-F", 1),
    ("SUBFRAME-R", 1),
    ("HALFSHAFT", 2),
    ("HORN", 2),
]
ASTER_COMMON = [
    ("EPS-COL", 1),
    ("SEAT-FR-PWR", 1),
    ("SEAT-FR-MAN", 1),
    ("WIPER-SYS-R", 1),
    ("SPK-WOOF", 4),
    ("SPK-TWEET", 2),
    ("WHEEL-17", 4),
    ("TYRE-17", 4),
]
ICE_COMMON = [
    ("ENG-15T", 1),
    ("DCT-7", 1),
    ("FUEL-PUMP-MOD", 1),
    ("FUEL-TANK", 1),
    ("EXHAUST", 1),
    ("RADIATOR", 1),
    ("HVAC-MOD", 1),
]

PRODUCTS = {
    "VEH-AST-ICE": (
        "Veltrana Aster 1.5T petrol hatchback",
        1480.0,
        24500.0,
        [*CAR_COMMON, *ASTER_COMMON, *ICE_COMMON, ("BIW-AST", 1)],
    ),
    "VEH-AST-HEV": (
        "Veltrana Aster Hybrid (1.5 + P2)",
        1560.0,
        29500.0,
        [
            *CAR_COMMON,
            *ASTER_COMMON,
            ("ENG-15H", 1),
            ("DCT-7", 1),
            ("HYB-P2", 1),
            ("BATT-HEV", 1),
            ("PUMP-COOL", 1),
            ("FUEL-PUMP-MOD", 1),
            ("FUEL-TANK", 1),
            ("EXHAUST", 1),
            ("RADIATOR", 1),
            ("HVAC-MOD", 1),
            ("BIW-AST", 1),
        ],
    ),
    "VEH-AST-EV": (
        "Veltrana Aster Electric 58 kWh",
        1720.0,
        36900.0,
        [
            *CAR_COMMON,
            *ASTER_COMMON,
            ("EDU-AST", 1),
            ("BATT-58", 1),
            ("OBC-11", 1),
            ("DCDC", 1),
            ("HARN-HV", 1),
            ("CHARGE-PORT", 1),
            ("PUMP-COOL", 2),
            ("ECOMP", 1),
            ("HVAC-HP", 1),
            ("RAD-EV", 1),
            ("BIW-AST-EV", 1),
        ],
    ),
    "VEH-CVR-EV": (
        "Veltrana Corvid Electric AWD 82 kWh (dual motor)",
        2150.0,
        58900.0,
        [
            *CAR_COMMON,
            ("EPS-RACK", 1),
            ("SEAT-FR-PWR", 2),
            ("SPK-WOOF", 6),
            ("SPK-TWEET", 4),
            ("SPK-MID", 1),
            ("SPK-SUB", 1),
            ("EDU-CVR", 1),
            ("EDU-CVF", 1),
            ("HALFSHAFT", 2),
            ("BATT-82", 1),
            ("OBC-11", 1),
            ("DCDC", 1),
            ("HARN-HV", 1),
            ("CHARGE-PORT", 1),
            ("PUMP-COOL", 2),
            ("ECOMP", 1),
            ("HVAC-HP", 1),
            ("RAD-EV", 1),
            ("WHEEL-19", 4),
            ("TYRE-19", 4),
            ("BIW-CVR", 1),
        ],
    ),
}
# Production plans (vehicles per year): illustrative assumptions.
PLANS = [
    ("S-VEL-DE-HAL", "VEH-AST-ICE", 60000),
    ("S-VEL-DE-HAL", "VEH-AST-EV", 90000),
    ("S-VEL-MX-QRO", "VEH-AST-ICE", 80000),
    ("S-VEL-MX-QRO", "VEH-AST-HEV", 50000),
    ("S-VEL-US-WIC", "VEH-CVR-EV", 70000),
    ("S-AEG-US-HUN", "DEF-SERVO", 400),
    ("S-KRD-JP-KAK", "DEF-SERVO", 150),
    ("S-HOK-JP-KNZ", "HOK-EPS-MOT", 20000),
]


def build_products() -> None:
    for pid, (name, mass, value, lines) in PRODUCTS.items():
        merged: dict[str, float] = {}
        for c, q in lines:
            merged[c] = merged.get(c, 0) + q
        part(
            pid,
            name,
            "product",
            mass=mass,
            value=value,
            notes=f"Fictional vehicle. Mass and value: {ILLUSTRATIVE}.",
        )
        bom(pid, *merged.items())


# ======================================================================================
# 5. Walk the network from the production plans and write the tables
# ======================================================================================


@dataclass
class World:
    nodes: set[tuple[str, str]] = field(default_factory=set)
    inhouse_nodes: set[tuple[str, str]] = field(default_factory=set)
    links: dict[tuple[str, str, str], float] = field(default_factory=dict)
    demand: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))


def children_of() -> dict[str, list[tuple[str, float]]]:
    out: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for p, c, q in BOM:
        out[p].append((c, q))
    return out


def walk() -> World:
    kids = children_of()
    w = World()
    edges: dict[tuple[str, str], list[tuple[tuple[str, str], float]]] = defaultdict(list)

    def sources(site_id: str, part_id: str) -> list[tuple[str, float]]:
        if site_id in PASS_THROUGH:
            if part_id not in TRADER_SOURCES or not TRADER_SOURCES[part_id]:
                raise SystemExit(f"trader {site_id} has no source for {part_id}")
            return TRADER_SOURCES[part_id]
        if part_id not in SOURCING:
            raise SystemExit(f"no sourcing rule for {part_id} (needed at {site_id})")
        return SOURCING[part_id](site_id)

    def need(site_id: str, part_id: str) -> None:
        node = (site_id, part_id)
        if node in w.nodes:
            return
        w.nodes.add(node)
        if site_id in PASS_THROUGH:
            lines = [(part_id, 1.0, True)]
        else:
            lines = [(c, q, False) for c, q in kids.get(part_id, [])]
        for child, qty, passthrough in lines:
            if not passthrough and (child in INHOUSE_AT.get(site_id, ()) or child in INHOUSE):
                w.inhouse_nodes.add((site_id, child))
                edges[node].append(((site_id, child), qty))
                need(site_id, child)
                continue
            for sup, share in sources(site_id, child):
                if sup == site_id:
                    raise SystemExit(f"{site_id} would supply itself with {child}")
                w.links[(sup, child, site_id)] = share  # same rule for every parent
                edges[node].append(((sup, child), qty * share))
                need(sup, child)

    for s, p, units in PLANS:
        need(s, p)
        w.demand[(s, p)] += units
    # propagate demand in topological order (Kahn)
    indeg: dict[tuple[str, str], int] = defaultdict(int)
    for _n, outs in edges.items():
        for m, _q in outs:
            indeg[m] += 1
    ready = sorted(n for n in w.nodes if indeg[n] == 0)
    seen = 0
    while ready:
        n = ready.pop()
        seen += 1
        for m, q in edges.get(n, []):
            w.demand[m] += w.demand[n] * q
            indeg[m] -= 1
            if indeg[m] == 0:
                ready.append(m)
    if seen != len(w.nodes):
        raise SystemExit("cycle in the (site, part) graph")
    return w


def rollup() -> dict[str, dict[str, float]]:
    """Element content (kg per unit) of every part: BOM children, else declared x mass."""
    kids = children_of()
    memo: dict[str, dict[str, float]] = {}

    def content(pid: str) -> dict[str, float]:
        if pid in memo:
            return memo[pid]
        out: dict[str, float] = defaultdict(float)
        if pid in kids:
            for c, q in kids[pid]:
                for el, kg in content(c).items():
                    out[el] += q * kg
        else:
            mass = float(PARTS[pid]["mass_kg"] or 0)
            for el, fr in DECLARED.get(pid, {}).items():
                out[el] += mass * fr
        memo[pid] = dict(out)
        return memo[pid]

    for pid in PARTS:
        content(pid)
    return memo


def declare_magnet_compositions(content: dict[str, dict[str, float]]) -> None:
    for pid, p in PARTS.items():
        if p["form"] == "magnet" and p["magnet_type"] != "none":
            mass = float(p["mass_kg"])
            fr = {el: kg / mass for el, kg in sorted(content[pid].items()) if kg > 0}
            src = p["source"].split("; ")[-1]
            if "GBD" in p["notes"] or "diffused" in p["notes"]:
                src += "; " + SRC_GBD
            comp(
                pid,
                fr,
                "derived from the BOM (alloy grade"
                + (" + GBD metal" if "diffused" in p["notes"] else "")
                + "): "
                + src,
            )


# ======================================================================================
# 6. Validation (fails loudly)
# ======================================================================================

ISO_COUNTRIES = {"DE", "US", "MX", "PL", "CZ", "FR", "JP", "KR", "CN", "EE", "MY", "AU", "NL"}
CURRENCIES = {"EUR", "USD"}
ROLES = {
    "mine",
    "separator",
    "metal_alloy_maker",
    "magnet_maker",
    "component_maker",
    "assembler",
    "oem",
    "distributor",
}
KINDS = {"raw_material", "magnet", "component", "assembly", "product"}
FORMS = {
    "metal",
    "alloy",
    "oxide",
    "compound",
    "target",
    "magnet",
    "deep_processed_assembly",
    "other",
}
MTYPES = {"ndfeb", "smco", "none"}
RE = {
    "Sc",
    "Y",
    "La",
    "Ce",
    "Pr",
    "Nd",
    "Pm",
    "Sm",
    "Eu",
    "Gd",
    "Tb",
    "Dy",
    "Ho",
    "Er",
    "Tm",
    "Yb",
    "Lu",
}


def validate(
    tables: dict[str, list[dict[str, str]]], content: dict[str, dict[str, float]]
) -> list[str]:
    errs: list[str] = []

    def uniq(table: str, cols: tuple[str, ...]) -> set[tuple[str, ...]]:
        keys: set[tuple[str, ...]] = set()
        for r in tables[table]:
            k = tuple(r[c] for c in cols)
            if k in keys:
                errs.append(f"{table}: duplicate key {k}")
            keys.add(k)
        return keys

    parties = {k[0] for k in uniq("parties", ("party_id",))}
    sites = {k[0] for k in uniq("sites", ("site_id",))}
    parts = {k[0] for k in uniq("parts", ("part_id",))}
    uniq("composition", ("part_id", "element"))
    uniq("bom", ("parent_part_id", "child_part_id"))
    uniq("supply", ("supplier_site_id", "part_id", "buyer_site_id"))
    uniq("production", ("site_id", "part_id"))

    for r in tables["parties"]:
        if r["country"] not in ISO_COUNTRIES:
            errs.append(f"party {r['party_id']}: country {r['country']}")
        for role in r["roles"].split(";"):
            if role and role not in ROLES:
                errs.append(f"party {r['party_id']}: role {role}")
        if r["owner_party_id"]:
            if r["owner_party_id"] not in parties or not r["ownership_pct"]:
                errs.append(f"party {r['party_id']}: bad owner")
            elif not 0 <= float(r["ownership_pct"]) <= 100:
                errs.append(f"party {r['party_id']}: ownership_pct")
    for r in tables["sites"]:
        if r["party_id"] not in parties or r["country"] not in ISO_COUNTRIES:
            errs.append(f"site {r['site_id']}: bad party or country")
    for r in tables["parts"]:
        pid = r["part_id"]
        if r["kind"] not in KINDS or r["form"] not in FORMS or r["magnet_type"] not in MTYPES:
            errs.append(f"part {pid}: bad enum")
        if r["mass_kg"] and float(r["mass_kg"]) <= 0:
            errs.append(f"part {pid}: mass_kg")
        if r["unit_value"] and (r["currency"] not in CURRENCIES or Decimal(r["unit_value"]) < 0):
            errs.append(f"part {pid}: value/currency")
        if r["magnet_type"] != "none" and r["form"] not in ("magnet", "alloy"):
            errs.append(f"part {pid}: magnet_type on a non-magnet")
    tot: dict[str, float] = defaultdict(float)
    for r in tables["composition"]:
        f = float(r["mass_fraction"])
        if r["part_id"] not in parts or not 0 <= f <= 1:
            errs.append(f"composition {r['part_id']}/{r['element']}")
        tot[r["part_id"]] += f
    for pid, t in tot.items():
        if t > 1 + 1e-9:
            errs.append(f"composition of {pid} sums to {t}")
    kids: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for r in tables["bom"]:
        if r["parent_part_id"] not in parts or r["child_part_id"] not in parts:
            errs.append(f"bom {r['parent_part_id']}->{r['child_part_id']}: unknown part")
        if float(r["quantity"]) <= 0:
            errs.append(f"bom {r['parent_part_id']}->{r['child_part_id']}: quantity")
        kids[r["parent_part_id"]].append((r["child_part_id"], float(r["quantity"])))
    # acyclic + depth
    depth: dict[str, int] = {}
    state: dict[str, int] = {}

    def d(p: str, path: list[str]) -> int:
        if state.get(p) == 1:
            errs.append("BOM cycle: " + " -> ".join([*path, p]))
            return 0
        if p in depth:
            return depth[p]
        state[p] = 1
        depth[p] = 1 + max((d(c, [*path, p]) for c, _ in kids.get(p, [])), default=-1)
        state[p] = 2
        return depth[p]

    for p in parts:
        d(p, [])
    max_depth = max(depth[p["part_id"]] for p in tables["parts"] if p["kind"] == "product")
    if max_depth < 4:
        errs.append(f"BOM depth {max_depth} < 4")
    if len(parts) < 300:
        errs.append(f"only {len(parts)} parts")

    shares: dict[tuple[str, str], float] = defaultdict(float)
    supplied: set[tuple[str, str]] = set()
    for r in tables["supply"]:
        for c in ("supplier_site_id", "buyer_site_id"):
            if r[c] not in sites:
                errs.append(f"supply: unknown site {r[c]}")
        if r["part_id"] not in parts:
            errs.append(f"supply: unknown part {r['part_id']}")
        sh = float(r["share"])
        if not 0 < sh <= 1:
            errs.append(f"supply share {sh}")
        if int(r["lead_time_days"]) < 0:
            errs.append("lead time")
        shares[(r["buyer_site_id"], r["part_id"])] += sh
        supplied.add((r["supplier_site_id"], r["part_id"]))
    for k, t in shares.items():
        if t > 1 + 1e-9:
            errs.append(f"shares into {k} sum to {t}")
    produced = set(supplied)
    planned: set[tuple[str, str]] = set()
    for r in tables["production"]:
        if r["site_id"] not in sites or r["part_id"] not in parts:
            errs.append(f"production {r['site_id']}/{r['part_id']}: unknown ref")
        produced.add((r["site_id"], r["part_id"]))
        planned.add((r["site_id"], r["part_id"]))
    # completeness: every child of every produced (site, part) is made there or fully supplied
    passthrough = {
        r["site_id"] for r in tables["sites"] if "distributor" in PARTY_ROLES[r["party_id"]]
    }
    for s, p in produced:
        if s in passthrough:
            if (s, p) not in shares and s in PASS_THROUGH:
                errs.append(f"trader {s} supplies {p} but is not supplied it")
            continue
        for c, _q in kids.get(p, []):
            if (s, c) in planned:
                continue  # made in-house (production row)
            t = shares.get((s, c), 0.0)
            if abs(t - 1) > 1e-9:
                errs.append(f"({s}, {p}): child {c} sourced {t:g}, not 1")
    # every magnet's chain reaches a mine: follow the supply graph down to concentrates
    mines = {r["site_id"] for r in tables["sites"] if "mine" in PARTY_ROLES[r["party_id"]]}
    for s, p in produced:
        if p.startswith("CONC-") and s not in mines:
            errs.append(f"concentrate {p} produced at non-mine {s}")
    # content rollup reproduces the declared alloy and oxide compositions
    for pid in list(NDFEB_GRADES) + list(SMCO_GRADES):
        declared = {
            r["element"]: float(r["mass_fraction"])
            for r in tables["composition"]
            if r["part_id"] == pid
        }
        for el, fr in declared.items():
            if abs(content[pid].get(el, 0) - fr) > 1e-5:
                errs.append(f"rollup of {pid}: {el} {content[pid].get(el, 0):.6f} vs {fr}")
    for pid in PARTS:
        if pid.startswith("OX-"):
            el = pid[3:].capitalize()
            if abs(content[pid][el] - oxide_fraction(el)) > 1e-5:
                errs.append(f"rollup of {pid}")
    # RE classification material exists
    magnets = [r for r in tables["parts"] if r["form"] == "magnet" and r["magnet_type"] == "ndfeb"]
    heavy = {p["part_id"] for p in magnets if {"Dy", "Tb"} & set(content[p["part_id"]])}
    if not heavy or len(heavy) == len(magnets):
        errs.append("need both Dy/Tb-containing and Dy/Tb-free NdFeB magnets")
    if not any(r["military_end_user"] == "true" for r in tables["parties"]):
        errs.append("no military end user")
    return errs


# ======================================================================================
# 7. Main
# ======================================================================================

COLUMNS = {
    "parties": [
        "party_id",
        "name",
        "country",
        "roles",
        "military_end_user",
        "owner_party_id",
        "ownership_pct",
        "notes",
        "name_zh",
        "address",
        "address_zh",
        "uscc",
        "contact",
        "telephone",
    ],
    "sites": ["site_id", "party_id", "name", "country", "city", "notes"],
    "parts": [
        "part_id",
        "name",
        "kind",
        "uom",
        "mass_kg",
        "unit_value",
        "currency",
        "hs_code",
        "form",
        "magnet_type",
        "notes",
        "source",
        "name_zh",
    ],
    "composition": ["part_id", "element", "mass_fraction", "source"],
    "bom": ["parent_part_id", "child_part_id", "quantity"],
    "supply": ["supplier_site_id", "part_id", "buyer_site_id", "share", "lead_time_days"],
    "production": ["site_id", "part_id", "units_per_year"],
}


def num(x: float) -> str:
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return s or "0"


def build() -> tuple[dict[str, list[dict[str, str]]], World, dict[str, dict[str, float]]]:
    build_parties()
    build_re_chain()
    build_alloys()
    build_metal_sourcing()
    build_magnets()
    build_components()
    build_products()
    content = rollup()
    declare_magnet_compositions(content)
    w = walk()
    used_parts = {p for _s, p in w.nodes}
    unused = sorted(set(PARTS) - used_parts)
    if unused:
        raise SystemExit(f"parts defined but not used anywhere: {unused}")
    used_sites = {s for s, _p in w.nodes}
    unused_sites = sorted(set(SITE_COUNTRY) - used_sites)
    if unused_sites:
        raise SystemExit(f"sites not used: {unused_sites}")

    tables: dict[str, list[dict[str, str]]] = {
        "parties": [filing_columns(r) for r in sorted(PARTIES, key=lambda r: r["party_id"])],
        "sites": sorted(SITES, key=lambda r: r["site_id"]),
        "parts": [PARTS[k] | {"name_zh": PART_NAMES_ZH.get(k, "")} for k in sorted(PARTS)],
        "composition": sorted(COMPOSITION, key=lambda r: (r["part_id"], r["element"])),
        "bom": [
            {"parent_part_id": p, "child_part_id": c, "quantity": num(q)} for p, c, q in sorted(BOM)
        ],
        "supply": [
            {
                "supplier_site_id": s,
                "part_id": p,
                "buyer_site_id": b,
                "share": num(sh),
                "lead_time_days": str(lead_time(s, b, p)),
            }
            for (s, p, b), sh in sorted(w.links.items())
        ],
        "production": [],
    }
    plan_nodes = {(s, p) for s, p, _u in PLANS}
    for s, p in sorted(w.inhouse_nodes | plan_nodes):
        units = w.demand[(s, p)]
        tables["production"].append(
            {"site_id": s, "part_id": p, "units_per_year": num(round(units, 3))}
        )
    return tables, w, content


def stats(tables: dict[str, list[dict[str, str]]], content: dict[str, dict[str, float]]) -> str:
    kids = children_of()

    def depth(p: str) -> int:
        return 1 + max((depth(c) for c, _ in kids.get(p, [])), default=-1)

    kinds: dict[str, int] = defaultdict(int)
    for r in tables["parts"]:
        kinds[r["kind"]] += 1
    re_parts = sum(1 for p in PARTS if RE & set(content.get(p, {})))
    lines = [f"{t}: {len(rows)}" for t, rows in tables.items()]
    lines.append("parts by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    lines.append(f"parts containing rare earths (rollup): {re_parts} of {len(PARTS)}")
    lines.append(
        "BOM depth (levels below product): "
        + ", ".join(f"{p} {depth(p)}" for p in [*sorted(PRODUCTS), "DEF-SERVO"])
    )
    for p in sorted(PRODUCTS):
        c = content[p]
        re_kg = sum(v for k, v in c.items() if k in RE)
        lines.append(
            f"{p}: RE {re_kg:.3f} kg (Nd {c.get('Nd', 0):.3f}, Pr {c.get('Pr', 0):.3f}, "
            f"Dy {c.get('Dy', 0):.4f}, Tb {c.get('Tb', 0):.4f}, Sm {c.get('Sm', 0):.5f})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument("--check-only", action="store_true", help="build and validate, write nothing")
    args = ap.parse_args(argv)
    tables, _w, content = build()
    errs = validate(tables, content)
    if errs:
        for e in errs:
            print("ERROR:", e, file=sys.stderr)  # noqa: T201
        print(f"{len(errs)} problem(s); nothing written", file=sys.stderr)  # noqa: T201
        return 1
    if not args.check_only:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, rows in tables.items():
            with (args.out / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
                wr = csv.DictWriter(fh, fieldnames=COLUMNS[name], lineterminator="\n")
                wr.writeheader()
                wr.writerows(rows)
    print(stats(tables, content))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
