"""Build the screening evaluation set: a real list and labelled queries against it.

Run: ``.venv/bin/python benchmarks/data/screening/make_set.py`` (deterministic, seed 15).
It writes ``list.csv`` (CSL column layout) and ``pairs.csv`` next to this file from the
real rows in ``raw/`` (provenance in ``README.md``). Facts come from the raw rows; the
query variants are generated here, by kind, the way names appear in supplier masters.

``pairs.csv`` columns: query, country, expected (entry key, "" for a true non-match),
kind, half, source (the entry a query of halves E, F and G derives from, "" before E).
``half`` is A or B by a hash of the entry the query derives from, so no entry's variants
fall in both halves: tune on A, report B; C, D, E, F and G were built later (see the
README; G, Japan METI's designated entities' Japanese names, seed 20, was built with the
matcher frozen, for a first look).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import random
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from xml.etree.ElementTree import Element

from anyascii import anyascii
from defusedxml.ElementTree import parse as defused_parse
from openpyxl import load_workbook
from rapidfuzz import fuzz

HERE = Path(__file__).parent
RAW = HERE / "raw"
SEED = 15
#: half C (the fresh held-out half): another seed, entries never sampled for A/B
SEED_C = 16
#: half D (built after A, B and C were all looked at): another seed, entries never
#: sampled for A, B or C, and the real native-script names of the UN list
SEED_D = 17
UN_SOURCE = "UN Security Council Consolidated List"
#: UN list nationality spellings missing from COUNTRIES
UN_COUNTRIES = {
    "Syrian Arab Republic": "SY", "Democratic People's Republic of Korea": "KP",
    "Russian Federation": "RU", "Iran (Islamic Republic of)": "IR", "Iran": "IR",
    "Saudi Arabia": "SA", "Yemen": "YE", "Jordan": "JO", "Iraq": "IQ", "Kuwait": "KW",
    "Libya": "LY", "Egypt": "EG", "Tunisia": "TN", "Algeria": "DZ", "Morocco": "MA",
    "Afghanistan": "AF", "Pakistan": "PK", "Somalia": "SO", "Sudan": "SD", "Mali": "ML",
    "Mauritania": "MR", "Qatar": "QA", "Bahrain": "BH", "Lebanon": "LB", "Turkey": "TR",
    "Indonesia": "ID", "Philippines": "PH", "Eritrea": "ER", "Ethiopia": "ET",
    "Niger": "NE", "Nigeria": "NG", "Chad": "TD", "Uzbekistan": "UZ", "Tajikistan": "TJ",
}  # fmt: skip
#: half E (built after A-D had all been looked at): the UK OFSI Consolidated List, its
#: "Name Non-Latin Script" names against its romanised listing; another seed
SEED_E = 18
UK_SOURCE = "UK HM Treasury OFSI Consolidated List"
UK_FILE = "ofsi_conlist_2025-04-10.xlsx"
#: half F (built after A-E had all been looked at, D's and E's held parts twice): the
#: EU's sanctions annexes as the Official Journal prints them, their original-script
#: names against their romanised listing; another seed
SEED_F = 19
EU_SOURCE = "EU Official Journal sanctions annexes (OpenSanctions eu_journal_sanctions)"
EU_DIR = "eu_oj"
#: half G (built after A-F had all been looked at, D's, E's and F's held parts several
#: times): Japan METI's lists of designated entities, their Japanese names against the
#: English names METI prints with them; another seed
SEED_G = 20
JP_SOURCE = "Japan METI designated entities (Russia, Belarus, third countries)"
JP_DIR = "jp_meti"
#: METI's three lists (OpenSanctions' text of the PDFs) and the key each entry's
#: number is given under
JP_LISTS = {
    "250912_list_russia_tokutei.pdf.txt": "RU",
    "list_belarus_tokutei.pdf.txt": "BY",
    "250912_list_daisangoku_tokutei.pdf.txt": "3C",
}
CN_SOURCE = "PRC countermeasure / export-control lists (OpenSanctions cn_sanctions)"
#: cn_sanctions countries whose parties' own name is written in Chinese characters
CN_NATIVE = {"TW", "CN", "HK", "MO"}

COUNTRIES = {
    "Afghanistan": "AF", "Albania": "AL", "Algeria": "DZ", "Argentina": "AR",
    "Armenia": "AM", "Australia": "AU", "Austria": "AT", "Azerbaijan": "AZ",
    "Bahrain": "BH", "Belarus": "BY", "Belgium": "BE", "Belize": "BZ", "Bolivia": "BO",
    "Brazil": "BR", "Bulgaria": "BG", "Burma": "MM", "Cambodia": "KH", "Canada": "CA",
    "Chile": "CL", "China": "CN", "Colombia": "CO", "Costa Rica": "CR", "Cuba": "CU",
    "Cyprus": "CY", "Czech Republic": "CZ", "Ecuador": "EC", "Egypt": "EG",
    "France": "FR", "Georgia": "GE", "Germany": "DE", "Greece": "GR", "Guatemala": "GT",
    "Honduras": "HN", "Hong Kong": "HK", "India": "IN", "Indonesia": "ID", "Iran": "IR",
    "Iraq": "IQ", "Ireland": "IE", "Israel": "IL", "Italy": "IT", "Japan": "JP",
    "Jordan": "JO", "Kazakhstan": "KZ", "Kenya": "KE", "Korea, North": "KP",
    "Korea, South": "KR", "Kuwait": "KW", "Kyrgyzstan": "KG", "Latvia": "LV",
    "Lebanon": "LB", "Libya": "LY", "Liechtenstein": "LI", "Luxembourg": "LU",
    "Malaysia": "MY", "Malta": "MT", "Mexico": "MX", "Netherlands": "NL",
    "Nicaragua": "NI", "Nigeria": "NG", "Oman": "OM", "Pakistan": "PK", "Panama": "PA",
    "Paraguay": "PY", "Peru": "PE", "Philippines": "PH", "Poland": "PL", "Qatar": "QA",
    "Romania": "RO", "Russia": "RU", "Saudi Arabia": "SA", "Serbia": "RS",
    "Singapore": "SG", "Somalia": "SO", "South Africa": "ZA", "Spain": "ES",
    "Sudan": "SD", "Sweden": "SE", "Switzerland": "CH", "Syria": "SY", "Taiwan": "TW",
    "Tajikistan": "TJ", "Thailand": "TH", "Tunisia": "TN", "Turkey": "TR",
    "Turkmenistan": "TM", "Uganda": "UG", "Ukraine": "UA", "United Arab Emirates": "AE",
    "United Kingdom": "GB", "United States": "US", "Uruguay": "UY", "Uzbekistan": "UZ",
    "Venezuela": "VE", "Vietnam": "VN", "Yemen": "YE", "Zimbabwe": "ZW",
}  # fmt: skip

CSL_COLUMNS = [
    "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order",
    "license_requirement", "license_policy", "call_sign", "vessel_type", "gross_tonnage",
    "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks",
    "source_list_url", "alt_names", "citizenships", "dates_of_birth", "nationalities",
    "places_of_birth", "source_information_url", "ids",
]  # fmt: skip

SDN_SOURCE = "Specially Designated Nationals (SDN) - Treasury Department"

# Variant tables (how the same name is written elsewhere; facts of spelling, not of lists)
RU_FORMS = {
    "ao": ["AKCIONERNOE OBSCHESTVO", "AKTZIONERNOE OBSHESTVO", "АО", "JSC", "Joint-Stock Company"],
    "ooo": [
        "OBSCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU",
        "ООО",
        "LLC",
        "Limited Liability Company",
        "OOO",
    ],
    "pao": ["PUBLICHNOE AKCIONERNOE OBSCHESTVO", "ПАО", "PJSC", "Public Joint Stock Company"],
}
OTHER_FORMS = [
    ("Co., Ltd.", ["Company Limited", "Co Ltd", "Youxian Gongsi", "Limited"]),
    ("LLC", ["L.L.C.", "Limited Liability Company", "Ltd."]),
    ("S.A. de C.V.", ["SA de CV", "Sociedad Anonima de Capital Variable", "S.A."]),
    ("LTDA.", ["Limitada", "Ltda"]),
    ("S.A.", ["Sociedad Anonima", "SA", "S.A"]),
    ("GmbH", ["Gesellschaft mit beschränkter Haftung", "G.m.b.H."]),
    ("Inc.", ["Incorporated", "Inc"]),
    ("Corp.", ["Corporation", "Corp"]),
    ("Ltd.", ["Limited", "Ltd"]),
    ("FZE", ["Free Zone Establishment", "F.Z.E."]),
]
GIVEN = {
    "aleksandr": "Alexander", "alexander": "Aleksandr", "sergei": "Sergey", "sergey": "Sergei",
    "dmitri": "Dmitry", "dmitry": "Dmitriy", "yuri": "Yury", "yury": "Iurii",
    "mohammed": "Muhammad", "mohammad": "Mohamed", "muhammad": "Mohammed",
    "mohamed": "Mohammad", "ahmad": "Ahmed", "ahmed": "Ahmad", "hussein": "Husayn",
    "husayn": "Hussein", "yevgeny": "Evgeny", "evgeny": "Yevgeniy", "andrei": "Andrey",
    "andrey": "Andrei", "alexei": "Aleksey", "aleksey": "Alexey", "nikolai": "Nikolay",
    "mikhail": "Michail", "yusuf": "Youssef", "youssef": "Yusuf", "abdullah": "Abdallah",
    "abdallah": "Abdullah", "mustafa": "Moustafa", "omar": "Umar", "osama": "Usama",
    "ali": "Aly", "hassan": "Hasan", "hasan": "Hassan", "khalid": "Khaled", "khaled": "Khalid",
    "jose": "José", "juan": "Joan", "ibrahim": "Ebrahim", "said": "Saeed", "saeed": "Said",
    "mahmoud": "Mahmud", "mahmud": "Mahmoud", "abdul": "Abd al", "yousef": "Yusuf",
}  # fmt: skip
SHORT = {"abu": "Abou", "al": "El", "bin": "Ben", "el": "Al", "abou": "Abu", "ben": "Bin"}
ANTONYMS = {
    "solid": "Liquid", "liquid": "Solid", "north": "South", "south": "North", "east": "West",
    "west": "East", "upper": "Lower", "lower": "Upper", "international": "National",
    "national": "International", "import": "Export", "export": "Import", "new": "Old",
    "first": "Second", "second": "Third", "central": "Regional", "general": "Special",
}  # fmt: skip
FILLER = ["Halvorsen", "Pinecrest", "Marlowe", "Quintara", "Belvedere", "Stonebridge",
          "Ardent", "Corvina", "Lindqvist", "Tamarind", "Everhart", "Ostrava"]  # fmt: skip
OFFICE = ["{c} Branch", "Branch Office {c}", "{c} Representative Office", "({c} Branch)",
          "- {c} Office", "Branch in {c}", "{c} Liaison Office"]  # fmt: skip
GIVEN_POOL = ["Carlos", "Maria", "Ahmad", "Ivan", "Luis", "Fatima", "Omar", "Elena",
              "Jorge", "Nadia", "Pavel", "Samir", "Ana", "Viktor", "Rosa", "Karim"]  # fmt: skip
CYR = [
    ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("iy", "ий"), ("yy", "ый"), ("ay", "ай"),
    ("ey", "ей"), ("oy", "ой"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"),
    ("e", "е"), ("z", "з"), ("i", "и"), ("y", "ы"), ("k", "к"), ("l", "л"), ("m", "м"),
    ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"),
    ("f", "ф"), ("c", "к"), ("x", "кс"), ("w", "в"), ("q", "к"), ("h", "х"), ("j", "дж"),
]  # fmt: skip

#: Native-script names of listed parties, written by hand (well-known names; the list
#: entry is matched by name, so an entry missing from list.csv is skipped).
NATIVE = [
    ("China Electronics Technology Group Corporation 13th Research Institute (CETC 13)",
     "中国电子科技集团公司第十三研究所", "han"),
    ("Hebei Semiconductor Research Institute", "河北半导体研究所", "han"),
    ("Sinobright Import and Export Company", "华创进出口公司", "han"),
    ("KIM, Jong Un", "김정은", "hangul"),
    ("KIM, Yo Jong", "김여정", "hangul"),
    ("CHOE, Ryong Hae", "최룡해", "hangul"),
    ("RI, Pyong Chol", "리병철", "hangul"),
    ("PAK, Pong Ju", "박봉주", "hangul"),
    ("RIM, Ryong Nam", "림룡남", "hangul"),
    ("NASRALLAH, Hasan", "حسن نصر الله", "arabic"),
    ("SOLEIMANI, Qasem", "قاسم سليماني", "arabic"),
    ("AL-ZAWAHIRI, Ayman", "أيمن الظواهري", "arabic"),
    ("HIZBALLAH", "حزب الله", "arabic"),
    ("HAMAS", "حماس", "arabic"),
    ("AUM SHINRIKYO", "オウム シンリキョウ", "kana"),
    ("KAHANE CHAI", "כהנא חי", "hebrew"),
    ("DANDONG HONGXIANG INDUSTRIAL DEVELOPMENT CO LTD", "丹东鸿祥实业发展有限公司", "han"),
    ("DANDONG ZHICHENG METALLIC MATERIAL CO., LTD.", "丹东至诚金属材料有限公司", "han"),
    ("DANDONG TIANFU TRADE CO., LTD.", "丹东天富贸易有限公司", "han"),
    ("DANDONG XIANGHE TRADING CO., LTD.", "丹东祥和贸易有限公司", "han"),
    ("DANDONG HONGDA TRADE CO. LTD.", "丹东宏达贸易有限公司", "han"),
    ("DANDONG JINXIANG TRADE CO., LTD.", "丹东金祥贸易有限公司", "han"),
    ("DANDONG DONGYUAN INDUSTRIAL CO., LTD.", "丹东东源实业有限公司", "han"),
    ("WUHAN SANJIANG IMPORT AND EXPORT CO. LTD", "武汉三江进出口有限公司", "han"),
    ("BEIJING CHENGXING TRADING CO. LTD.", "北京成星贸易有限公司", "han"),
    ("DALIAN ZHENGHUA MAOYI YOUXIAN GONGSI", "大连正华贸易有限公司", "han"),
    ("JINHOU INTERNATIONAL HOLDINGS CO., LTD.", "金厚国际控股有限公司", "han"),
    ("YANBIAN SILVERSTAR NETWORK TECHNOLOGY CO., LTD.", "延边银星网络科技有限公司", "han"),
    ("NINGBO NEW CENTURY IMPORT AND EXPORT COMPANY, LTD.", "宁波新世纪进出口有限公司", "han"),
    ("Guangdong University of Technology", "广东工业大学", "han"),
    ("AIR KORYO", "고려항공", "hangul"),
    ("BANK MELLI IRAN", "بانک ملی ایران", "arabic"),
    ("BANK TEJARAT", "بانک تجارت", "arabic"),
]  # fmt: skip


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _half(key: str) -> str:
    return "A" if int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 == 0 else "B"


def _nil(v: str) -> str:
    v = v.strip()
    return "" if v == "-0-" else v


#: a part of an SDN remark that gives an identity document: label, number, then
#: optionally the issuing country in brackets ("Passport 1084010 (Egypt)", "alt.
#: National ID No. 0094195 (Tunisia)")
_SDN_DOCUMENT = re.compile(r"^(?:alt\.\s+)?(Passport|National ID No\.)\s+([^(]*)(?:\(([^)]*)\))?")
#: UN ``TYPE_OF_DOCUMENT`` -> the label the CSL ``ids`` column gives it
UN_DOCUMENTS = {
    "passport": "Passport", "numéro de passeport": "Passport",
    "número de pasaporte": "Passport", "national identification number": "National ID No.",
    "national identification no.": "National ID No.",
}  # fmt: skip


_WORD = re.compile(r"^[^\W\d_]{2,}\.?:?$")


def _number(text: str) -> str:
    """The number of a document field that may describe it ("Pakistani passport number
    AA3829182", "No. H0044232 (Iraqi)", "381110042 (Expired 25 Jan. 2016)"): from the
    first word with a digit (with a one-letter series before it: "D 000974") up to the
    next word of letters or bracket."""
    words = text.replace(",", " ").replace(";", " ").split()
    start = next((i for i, w in enumerate(words) if any(ch.isdigit() for ch in w)), None)
    if start is None:
        return ""
    if start and len(words[start - 1]) == 1 and words[start - 1].isalpha():
        start -= 1
    out = []
    for w in words[start:]:
        if w.startswith("(") or (out and _WORD.match(w)):
            break
        out.append(w)
    return " ".join(out).strip(" .")


def _ids_cell(parts: list[tuple[str, str, str]]) -> str:
    """The CSL ``ids`` cell of (label, number, country) triples: "Passport, 1084010, EG;
    UN Ref, QDi.292" (as the CSL export writes identity documents)."""
    out = []
    for label, number, country in parts:
        number = number if label == "UN Ref" else _number(number)
        if number:
            code = COUNTRIES.get(country, UN_COUNTRIES.get(country, ""))
            out.append(", ".join(p for p in (label, number, code) if p))
    return "; ".join(dict.fromkeys(out))


def _sdn_ids(remarks: str) -> str:
    """Passport and national ID numbers of an SDN remark, as a CSL ``ids`` cell."""
    found = []
    for part in remarks.split(";"):
        if m := _SDN_DOCUMENT.match(part.strip()):
            found.append((m.group(1), _number(m.group(2)), (m.group(3) or "").strip()))
    return _ids_cell(found)


#: a part of an SDN remark that gives a date of birth ("DOB 10 Dec 1948", "alt. DOB circa
#: 1951", "DOB 1929 to 1930")
_SDN_DOB = re.compile(r"^(?:alt\.\s+)?DOB\s+(.+?)\.?$")


def _sdn_births(remarks: str) -> str:
    """The dates of birth of an SDN remark as a CSL ``dates_of_birth`` cell, as the
    remark writes them ("10 Dec 1948; circa 1951")."""
    found = [m.group(1).strip() for p in remarks.split(";") if (m := _SDN_DOB.match(p.strip()))]
    return "; ".join(dict.fromkeys(found))


def build_list() -> list[dict[str, str]]:
    alts: dict[str, list[str]] = defaultdict(list)
    with (RAW / "ofac_alt.csv").open(encoding="utf-8", errors="replace") as fh:
        for r in csv.reader(fh):
            if len(r) > 3 and _nil(r[3]):
                alts[r[0]].append(_nil(r[3]))
    adds: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with (RAW / "ofac_add.csv").open(encoding="utf-8", errors="replace") as fh:
        for r in csv.reader(fh):
            if len(r) > 4:
                text = ", ".join(p for p in (_nil(r[2]), _nil(r[3]), _nil(r[4])) if p)
                adds[r[0]].append((text, COUNTRIES.get(_nil(r[4]), "")))
    rows: list[dict[str, str]] = []
    with (RAW / "ofac_sdn.csv").open(encoding="utf-8", errors="replace") as fh:
        for r in csv.reader(fh):
            if len(r) < 12 or _nil(r[2]) in ("vessel", "aircraft"):
                continue
            row = dict.fromkeys(CSL_COLUMNS, "")
            codes = [c for _, c in adds[r[0]] if c]
            row.update(
                source=SDN_SOURCE,
                entity_number=r[0],
                type="Individual" if _nil(r[2]) == "individual" else "Entity",
                programs=_nil(r[3]).replace("] [", "; "),
                name=_nil(r[1]),
                addresses="; ".join(
                    f"{t}, {c}" if c else t for t, c in adds[r[0]] if t and "undetermined" not in t
                ),
                alt_names="; ".join(alts[r[0]]),
                remarks=_nil(r[11])[:300],
                ids=_sdn_ids(_nil(r[11])),
                dates_of_birth=_sdn_births(_nil(r[11])),
                source_list_url="https://www.treasury.gov/ofac/downloads/sdn.csv",
            )
            if codes and row["type"] == "Individual":
                row["nationalities"] = codes[0]
            rows.append(row)
    for name in ("csl_2018.csv", "csl_2024.csv"):
        with (RAW / name).open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                row = {c: (r.get(c) or "").strip() for c in CSL_COLUMNS}
                if row["name"] and row["source"] != SDN_SOURCE:
                    rows.append(row)
    return rows


def build_cn() -> list[dict[str, str]]:
    """The rows of OpenSanctions' hand-kept ``cn_sanctions`` sheet (PRC MFA / MOFCOM /
    Taiwan Affairs Office designations), one entry per English name (a party named in
    several notices is one entry), in the CSL layout. Returns only parties; the
    Chinese name of each row is kept in ``_native`` (not a list column: it becomes a
    query of half C)."""
    merged: dict[str, dict[str, str]] = {}
    with (RAW / "cn_sanctions.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            name = r["Name"].strip()
            if not name:
                continue
            ctry = r["Country"].strip()
            code = ctry if len(ctry) == 2 else COUNTRIES.get(ctry, "")
            row = merged.get(name)
            if row is None:
                row = dict.fromkeys(CSL_COLUMNS, "")
                row.update(
                    source=CN_SOURCE,
                    type="Individual" if r["Type"] == "Person" else "Entity",
                    name=name,
                    programs=r["List"].strip() or r["Body"].strip(),
                    source_list_url=r["Source URL"].strip(),
                    _native="",
                    _country=code,
                )
                if code and row["type"] == "Individual":
                    row["nationalities"] = code
                merged[name] = row
            aliases = [a.strip() for a in r["Alias"].split(";") if a.strip()]
            known = set(row["alt_names"].split("; ")) if row["alt_names"] else set()
            row["alt_names"] = "; ".join([*sorted(known), *(a for a in aliases if a not in known)])
            if r["Chinese name"].strip() and not row["_native"]:
                row["_native"] = r["Chinese name"].strip()
    return list(merged.values())


def entry_key(row: dict[str, str]) -> str:
    """Same key ``services.formats.party_lists`` gives a CSL row."""
    if row["entity_number"]:
        return row["entity_number"]
    parts = (row["source"], row["name"], row["addresses"])
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def _country(row: dict[str, str]) -> str:
    if row.get("_country"):
        return row["_country"]
    found = re.findall(r",\s*([A-Z]{2})(?:;|$)", row["addresses"])
    return found[0] if found else row.get("nationalities", "")


def _city(row: dict[str, str]) -> str:
    parts = [p.strip() for p in row["addresses"].split(";")[0].split(",")]
    words = [p for p in parts if p.isalpha() and len(p) > 3 and p not in COUNTRIES]
    return words[-1] if words else "Dubai"


ORG = re.compile(
    r"\b(co|ltd|limited|company|corp|corporation|inc|llc|gmbh|institute|bank|group|"
    r"academy|university|trading|industr\w*|logistics|technolog\w*)\b",
    re.IGNORECASE,
)
_CLEAN = re.compile(r";\s*and any successor.*$", re.IGNORECASE)


def core(name: str) -> str:
    return _CLEAN.sub("", name).strip()


def person_parts(name: str) -> tuple[list[str], list[str]]:
    """(surnames, given names) of an SDN-style 'SURNAME, Given Names'."""
    if "," in name:
        sur, given = name.split(",", 1)
        return sur.split(), given.split()
    words = name.split()
    return words[-1:], words[:-1]


def typo(rng: random.Random, name: str) -> str:
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    w = words[longest]
    if len(w) < 5:
        return ""
    i = rng.randrange(1, len(w) - 1)
    op = rng.choice(("swap", "drop", "double"))
    if op == "swap":
        w = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    elif op == "drop":
        w = w[:i] + w[i + 1 :]
    else:
        w = w[:i] + w[i] + w[i:]
    words[longest] = w
    return " ".join(words)


def to_cyrillic(name: str) -> str:
    out, text, i = [], name.lower(), 0
    while i < len(text):
        for lat, cyr in CYR:
            if text.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out).upper()


def variants(rng: random.Random, row: dict[str, str]) -> list[tuple[str, str, str]]:
    """(query, country, kind) positives for one entry."""
    name, ctry = core(row["name"]), _country(row)
    person = row["type"] == "Individual"
    out: list[tuple[str, str, str]] = []
    words = name.replace(",", " ").split()
    if person:
        sur, given = person_parts(name)
        if given:
            out.append((f"{' '.join(given)} {' '.join(sur).title()}", ctry, "format"))
            if len(given) >= 2:
                out.append((f"{given[0]} {given[1][0]}. {' '.join(sur)}", ctry, "initials"))
            else:
                mid = rng.choice("ABEJMRS")
                out.append((f"{given[0]} {mid}. {' '.join(sur)}", ctry, "initials"))
        low = [w.lower().strip(".") for w in words]
        for i, w in enumerate(low):
            if w in GIVEN:
                ws = list(words)
                ws[i] = GIVEN[w]
                out.append((" ".join(ws), ctry, "romanisation"))
                break
        for i, w in enumerate(low):
            if w in SHORT or w.startswith("al-") or w.startswith("el-"):
                ws = list(words)
                ws[i] = SHORT[w] if w in SHORT else ("El-" if w[0] == "a" else "Al-") + words[i][3:]
                out.append((" ".join(ws), ctry, "short-token"))
                break
    else:
        out.append((" ".join(reversed(words)) if len(words) == 2 else name.lower(), "", "format"))
        for form, alts in OTHER_FORMS:
            if name.upper().endswith(" " + form.upper()):
                base = name[: -len(form)].rstrip(" ,")
                out.append((f"{base} {rng.choice(alts)}", ctry, "legal-form"))
                break
        if ctry == "RU" or re.search(r"\b(OOO|ZAO|OAO|AO|PAO)\b", name):
            bare = re.sub(r"\b(OOO|ZAO|OAO|AO|PAO|LLC|JSC|OJSC|CJSC|PJSC)\b", "", name)
            bare = re.sub(r"\b(LIMITED LIABILITY COMPANY|JOINT STOCK COMPANY)\b", "", bare)
            bare = " ".join(bare.replace('"', " ").split()).strip(" ,")
            if bare:
                kind = rng.choice(list(RU_FORMS))
                out.append((f"{rng.choice(RU_FORMS[kind])} {bare}", "RU", "legal-form"))
                out.append((to_cyrillic(bare), "RU", "script-cyrillic"))
        city = _city(row)
        if row["type"] == "Entity" or ORG.search(name):
            out.append((f"{name} {rng.choice(OFFICE).format(c=city.title())}", ctry, "branch"))
    t = typo(rng, name)
    if t:
        out.append((t, ctry, "typo"))
    if row["name"] != core(row["name"]):
        out.append((core(row["name"]), ctry, "list-noise"))
    return out


def negatives(rng: random.Random, row: dict[str, str]) -> list[tuple[str, str, str]]:
    name, ctry = core(row["name"]), _country(row)
    out: list[tuple[str, str, str]] = []
    words = name.replace(",", " , ").split()
    nums = [i for i, w in enumerate(words) if re.match(r"^\d+(st|nd|rd|th)?$", w, re.I)]
    if nums:
        i = nums[0]
        n = int(re.match(r"\d+", words[i]).group()) + rng.randint(1, 40)  # type: ignore[union-attr]
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10 if n % 100 not in (11, 12, 13) else 0, "th")
        words[i] = f"{n}{suffix}" if not words[i].isdigit() else str(n)
        out.append((" ".join(words).replace(" , ", ", "), ctry, "neg-number"))
    low = [w.lower() for w in words]
    for i, w in enumerate(low):
        if w in ANTONYMS:
            ws = list(words)
            ws[i] = ANTONYMS[w]
            out.append((" ".join(ws).replace(" , ", ", "), ctry, "neg-antonym"))
            break
    if row["type"] == "Individual":
        sur, given = person_parts(name)
        if given:
            other = rng.choice([g for g in GIVEN_POOL if g.lower() not in name.lower()])
            out.append((f"{other} {' '.join(sur)}", ctry, "neg-given-name"))
            out.append((f"{' '.join(sur).title()} Trading Co., Ltd.", ctry, "neg-person-company"))
    else:
        content = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
        if len(content) >= 2:
            i = max(content, key=lambda j: len(words[j]))
            ws = list(words)
            ws[i] = rng.choice(FILLER)
            out.append((" ".join(ws).replace(" , ", ", "), ctry, "neg-distinctive-word"))
            other = "US" if ctry != "US" else "MX"
            ws2 = list(words)
            ws2[content[0]] = rng.choice(FILLER)
            out.append((" ".join(ws2).replace(" , ", ", "), other, "neg-country"))
    return out


def _un_text(el: Element, tag: str) -> str:
    return " ".join((el.findtext(tag) or "").split())


def _un_ids(el: Element, tag: str, ref: str) -> str:
    """The UN reference number and the passport and national ID numbers of a UN list
    record, as a CSL ``ids`` cell."""
    found = [("UN Ref", ref, "")] if ref else []
    for doc in el.iter(f"{tag}_DOCUMENT"):
        label = UN_DOCUMENTS.get(_un_text(doc, "TYPE_OF_DOCUMENT").lower(), "")
        if label:
            found.append((label, _un_text(doc, "NUMBER"), _un_text(doc, "ISSUING_COUNTRY")))
    return _ids_cell(found)


def _un_births(el: Element) -> str:
    """A UN record's ``INDIVIDUAL_DATE_OF_BIRTH`` elements as a CSL ``dates_of_birth``
    cell: DATE (without the time zone some carry), YEAR, "circa" YEAR (APPROXIMATELY),
    FROM_YEAR "to" TO_YEAR (BETWEEN), a month given in the NOTE before the YEAR, or the
    NOTE alone where it holds the date (as ``services.formats.un_list`` reads them)."""
    found = []
    for b in el.iter("INDIVIDUAL_DATE_OF_BIRTH"):
        note = _un_text(b, "NOTE")
        approx = _un_text(b, "TYPE_OF_DATE") == "APPROXIMATELY" or note == "Approximately"
        when = _un_text(b, "DATE")[:10] or _un_text(b, "YEAR")
        if when and _un_text(b, "YEAR") and re.match(r"^[A-Za-z]{3,9}\.?$", note):
            when = f"{note} {when}"
        if not when and _un_text(b, "FROM_YEAR"):
            when = f"{_un_text(b, 'FROM_YEAR')} to {_un_text(b, 'TO_YEAR')}"
        if not when and note not in ("", "Approximately"):
            when = note
        if when:
            found.append(f"circa {when}" if approx else when)
    return "; ".join(dict.fromkeys(found))


def build_un() -> list[dict[str, str]]:
    """The UN Security Council Consolidated List (``raw/un_consolidated.xml``, 2018-10-29),
    persons and entities, in the CSL layout: name = FIRST..FOURTH_NAME as the UN writes
    it, aliases from ``*_ALIAS``. ``NAME_ORIGINAL_SCRIPT`` is not a list column: it is
    kept in ``_native`` and becomes a query of half D (the real native-script name of
    the party, against its real romanised listing)."""
    root = defused_parse(RAW / "un_consolidated.xml").getroot()
    rows: list[dict[str, str]] = []
    for tag, kind in (("INDIVIDUAL", "Individual"), ("ENTITY", "Entity")):
        for el in root.iter(tag):
            parts = [_un_text(el, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME")]
            parts.append(_un_text(el, "FOURTH_NAME"))
            name = " ".join(p for p in parts if p)
            if not name:
                continue
            aliases = [_un_text(a, "ALIAS_NAME") for a in el.iter(f"{tag}_ALIAS")]
            nat = ""
            for n in el.iter("NATIONALITY"):
                for v in n.iter("VALUE"):
                    text = " ".join((v.text or "").split())
                    nat = nat or COUNTRIES.get(text, UN_COUNTRIES.get(text, ""))
            ref = _un_text(el, "REFERENCE_NUMBER") or f"UN-{_un_text(el, 'DATAID')}"
            row = dict.fromkeys(CSL_COLUMNS, "")
            row.update(
                source=UN_SOURCE,
                entity_number=ref,
                type=kind,
                programs=_un_text(el, "UN_LIST_TYPE"),
                name=name,
                alt_names="; ".join(dict.fromkeys(a for a in aliases if a and a != name)),
                source_list_url="https://scsanctions.un.org/resources/xml/en/consolidated.xml",
                _native=_un_text(el, "NAME_ORIGINAL_SCRIPT"),
                _country=nat,
                ids=_un_ids(el, tag, _un_text(el, "REFERENCE_NUMBER")),
                dates_of_birth=_un_births(el),
            )
            if nat and kind == "Individual":
                row["nationalities"] = nat
            rows.append(row)
    return rows


def write_list(rows: list[dict[str, str]] | None = None) -> Path:
    """Write ``list.csv`` (not kept in git: it is rebuilt from ``raw/`` on first use)."""
    path = HERE / "list.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, CSL_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        if rows is None:
            listed = [*build_list(), *build_cn(), *build_un(), *build_uk()]
            listed += eu_fresh(build_eu(), listed)[0]
            rows = [*listed, *eu_fresh(build_jp(), listed)[0]]
        writer.writerows(rows)
    return path


def half_c(
    rows: list[dict[str, str]], cn: list[dict[str, str]], used: set[str]
) -> tuple[list[tuple[str, str, str, str, str]], set[str]]:
    """Half C, built after A/B were looked at: SDN entries never sampled for A/B (own
    seed), every ``cn_sanctions`` entry, and the real Chinese names ``cn_sanctions``
    gives for parties of Chinese-writing countries (kind ``script-han-real``)."""
    rng = random.Random(SEED_C)
    sdn = [r for r in rows if r["source"] == SDN_SOURCE and entry_key(r) not in used]
    ru = [r for r in sdn if _country(r) == "RU"]
    pool = rng.sample(ru, min(20, len(ru)))
    rest = [r for r in sdn if entry_key(r) not in {entry_key(p) for p in pool}]
    native = [r for r in cn if r["_native"] and r["_country"] in CN_NATIVE]
    pool += rng.sample(rest, 140) + native + rng.sample([r for r in cn if r not in native], 80)
    pool = list({entry_key(r): r for r in pool}.values())
    out = _generated(rng, pool, lambda _key: "C")
    for row in native:
        out.append((row["_native"], "", entry_key(row), "script-han-real", "C"))
    return out, {entry_key(r) for r in pool}


def _generated(
    rng: random.Random, pool: list[dict[str, str]], half: Callable[[str], str]
) -> list[tuple[str, str, str, str, str]]:
    """The generated positives and hard negatives of each entry of ``pool``, in the
    half ``half(key)`` names, as (query, country, expected key, kind, half)."""
    out: list[tuple[str, str, str, str, str]] = []
    for row in pool:
        key = entry_key(row)
        for q, c, kind in variants(rng, row):
            out.append((q, c, key, kind, half(key)))
        for q, c, kind in negatives(rng, row):
            out.append((q, c, "", kind, half(key)))
    return out


#: kinds of real native-script names in half D, by the script of their first letter
REAL_KINDS = {
    "ARABIC": "script-arabic-real", "CYRILLIC": "script-cyrillic-real",
    "CJK": "script-han-real", "ETHIOPIC": "script-ethiopic-real",
    "HANGUL": "script-hangul-real",
}  # fmt: skip
#: a language label the UN appends to some original-script names: "ፍትዊ ዓብዱረዛቕ (Tigrinya)"
_LANG_LABEL = re.compile(r"\s*\([A-Za-z ]+\)\s*$")


def _script(text: str) -> str:
    letters = [ch for ch in text if ch.isalpha()]
    return unicodedata.name(letters[0], "?").split()[0] if letters else ""


def half_d(
    rows: list[dict[str, str]],
    cn: list[dict[str, str]],
    un: list[dict[str, str]],
    used: set[str],
) -> list[tuple[str, str, str, str, str]]:
    """Half D, built after A, B and C had all been looked at, with the matcher frozen:
    the generated kinds from SDN entries and ``cn_sanctions`` parties never sampled for
    A, B or C (own seed), and real native-script names against their real romanised
    listing: the UN list's ``NAME_ORIGINAL_SCRIPT`` (Arabic, Cyrillic, Ge'ez, Han;
    entities' Arabic names in their own kind, as they are often translations) and the
    Chinese names ``cn_sanctions`` gives for parties of other countries, which are
    translations or Chinese readings, not transcriptions (``script-han-foreign-real``;
    Japanese parties, whose names mix kanji and translation,
    ``script-han-japanese-real``)."""
    rng = random.Random(SEED_D)
    sdn = [r for r in rows if r["source"] == SDN_SOURCE and entry_key(r) not in used]
    ru = [r for r in sdn if _country(r) == "RU"]
    pool = rng.sample(ru, min(20, len(ru)))
    taken = {entry_key(p) for p in pool}
    pool += rng.sample([r for r in sdn if entry_key(r) not in taken], 140)
    fresh_cn = [r for r in cn if entry_key(r) not in used and r["_country"] not in CN_NATIVE]
    pool += rng.sample(fresh_cn, 80)
    pool = list({entry_key(r): r for r in pool}.values())
    out = _generated(rng, pool, lambda _key: "D")
    for row in fresh_cn:
        if row["_native"]:
            japanese = row["_country"] == "JP"
            kind = "script-han-japanese-real" if japanese else "script-han-foreign-real"
            out.append((row["_native"], "", entry_key(row), kind, "D"))
    for row in un:
        native = _LANG_LABEL.sub("", row["_native"])
        kind = REAL_KINDS.get(_script(native), "")
        if not native or not kind:
            continue
        if kind == "script-arabic-real" and row["type"] == "Entity":
            kind = "script-arabic-real-org"
        out.append((native, "", entry_key(row), kind, "D"))
    return out


_UK_NUMBERED = re.compile(r"\(\d+\)")
#: a number of 10 to 15 digits in the UK list's "Other Information" (INN, OGRN, company
#: registration numbers, kept to tell parties of other lists apart)
_LONG_NUMBER = re.compile(r"\b\d{10,15}\b")
#: a whole date of birth of the UK list ("03/03/1979")
_UK_DOB = re.compile(r"^(\d\d)/(\d\d)/(\d{4})$")
_UK_UN_REF = re.compile(r"\(UN Ref\):\s*([A-Za-z]+\.\d+)")


def _uk_ids(r: dict[str, str]) -> list[tuple[str, str, str]]:
    """(label, number, country) of one UK list row: its "Passport Number" and "National
    Identification Number" (several written "(1) 223611 (2) C00146605") and the "UN
    Ref" its "Other Information" gives (QDi.028)."""
    found = []
    for column, label in (
        ("Passport Number", "Passport"),
        ("National Identification Number", "National ID No."),
    ):
        for number in _UK_NUMBERED.split(r.get(column, "")):
            if any(ch.isdigit() for ch in number):
                found.append((label, number.strip(), ""))
    found += [("UN Ref", m.group(1), "") for m in _UK_UN_REF.finditer(r["Other Information"])]
    return found


def build_uk() -> list[dict[str, str]]:
    """The UK OFSI Consolidated List (``raw/ofsi_conlist_2025-04-10.xlsx``, Last Updated
    10/04/2025), persons and entities (ships left out), one entry per Group ID, in the
    CSL layout: name = Name 1..5 then Name 6 (the surname; an entity's whole name) of
    its "Primary name" row, aliases from the other rows. "Name Non-Latin Script" is not
    a list column: the distinct non-Latin names of a group are kept in ``_native`` (a
    tab-joined list) and become queries of half E."""
    book = load_workbook(RAW / UK_FILE, read_only=True)
    rows_iter = book.worksheets[0].iter_rows(values_only=True)
    next(rows_iter)  # "Last Updated", 10/04/2025
    header = [str(h) for h in next(rows_iter)]
    groups: dict[str, dict[str, str]] = {}
    names: dict[str, list[tuple[int, str]]] = defaultdict(list)
    natives: dict[str, list[str]] = defaultdict(list)
    documents: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    births: dict[str, list[str]] = defaultdict(list)
    full_births: dict[str, set[str]] = defaultdict(set)  # for half F's overlap check
    numbers: dict[str, set[str]] = defaultdict(set)
    for values in rows_iter:
        r = {
            h: " ".join(str(v).split()) if v is not None else ""
            for h, v in zip(header, values, strict=False)
        }
        gid, kind = r["Group ID"], r["Group Type"]
        if not gid or kind not in ("Individual", "Entity"):
            continue
        parts = [r[f"Name {i}"] for i in (1, 2, 3, 4, 5)] + [r["Name 6"]]
        name = " ".join(p for p in parts if p)
        rank = 0 if r["Alias Type"].lower() == "primary name" else 1
        if name and _script(name) == "LATIN":
            names[gid].append((rank, name))
        native = r["Name Non-Latin Script"]
        if native and _script(native) not in ("LATIN", "") and native not in natives[gid]:
            natives[gid].append(native)
        documents[gid] += _uk_ids(r)
        if r["DOB"] and r["DOB"] not in births[gid]:  # "22/08/1990", "00/00/1965", "1954"
            births[gid].append(r["DOB"])
        numbers[gid] |= {
            n for n in map(_plain_number, _LONG_NUMBER.findall(r["Other Information"])) if n
        }
        if dob := _UK_DOB.match(r["DOB"]):
            full_births[gid].add(f"{int(dob.group(3))}-{int(dob.group(2))}-{int(dob.group(1))}")
        if gid not in groups:
            nat = r["Nationality"] or r["Country"]
            code = COUNTRIES.get(nat, UN_COUNTRIES.get(nat, ""))
            row = dict.fromkeys(CSL_COLUMNS, "")
            row.update(
                source=UK_SOURCE,
                entity_number=f"OFSI-{gid}",
                type=kind,
                programs=r["Regime"],
                source_list_url="https://www.gov.uk/government/publications/"
                "financial-sanctions-consolidated-list-of-targets",
                _country=code,
            )
            if code and kind == "Individual":
                row["nationalities"] = code
            groups[gid] = row
    out = []
    for gid, row in groups.items():
        ordered = [n for _, n in sorted(names[gid], key=lambda t: t[0])]
        ordered = list(dict.fromkeys(ordered))
        if not ordered:
            continue
        row["name"] = ordered[0]
        row["alt_names"] = "; ".join(ordered[1:])
        row["_native"] = "\t".join(natives[gid])
        row["ids"] = _ids_cell(documents[gid])
        row["dates_of_birth"] = "; ".join(births[gid])
        row["_births"] = "\t".join(sorted(full_births[gid]))
        row["_numbers"] = "\t".join(sorted(numbers[gid]))
        out.append(row)
    return out


#: kinds of half E's real native-script names, by script (persons; entities add "-org")
UK_KINDS = {
    "CYRILLIC": "script-cyrillic-uk", "ARABIC": "script-arabic-uk", "CJK": "script-han-uk",
    "HANGUL": "script-hangul-uk", "GEORGIAN": "script-georgian-uk",
    "HEBREW": "script-hebrew-uk", "GREEK": "script-greek-uk", "THAI": "script-thai-uk",
    "MYANMAR": "script-burmese-uk",
}  # fmt: skip


def _surname_at(tokens: list[str], surname: str) -> int:
    """Index of the token of a native-script person name that reads most like the
    listed surname (anyascii against Name 6), -1 when none reads like it."""
    target = anyascii(surname).lower()
    scores = [fuzz.ratio(anyascii(t).lower(), target) for t in tokens]
    best = max(range(len(tokens)), key=lambda i: scores[i])
    return best if scores[best] >= 60 else -1


def _gender(tokens: list[str]) -> str:
    """ "m" or "f" by an East Slavic patronymic (-ovich / -ovna), "" otherwise."""
    for t in tokens:
        low = t.lower()
        if low.endswith(("вич", "віч", "ьич", "ич")):
            return "m"
        if low.endswith(("вна", "чна", "ўна")):
            return "f"
    return ""


#: a native-script person name as tokens, with the index of its surname token
Person = tuple[dict[str, str], list[str], int]


def _taken(people: list[Person]) -> set[tuple[str, str]]:
    """(surname, first given name), read by ``anyascii``, of each of ``people``."""
    return {
        (anyascii(t[at]).lower(), anyascii(g).lower())
        for _, t, at in people
        for g in [t[1] if at == 0 else t[0]]
    }


def _swapped_given_names(
    rng: random.Random,
    persons: dict[str, list[Person]],
    also: dict[str, list[Person]] | None = None,
) -> list[tuple[str, dict[str, str]]]:
    """Hard negatives of native-script person names, per script: one in two persons'
    surname with another person's given names, of the same sex where a patronymic
    tells it, when no person of that script (in ``persons`` or ``also``) carries that
    surname and first given name; as (query, the person whose surname it keeps)."""
    out = []
    for label, people in sorted(persons.items()):
        taken = _taken(people) | _taken((also or {}).get(label, []))
        for row, tokens, at in people:
            if rng.random() >= 0.5:
                continue
            _, other, oat = people[rng.randrange(len(people))]
            given = [t for i, t in enumerate(other) if i != oat]
            if not given or other is tokens or _gender(other) != _gender(tokens):
                continue
            surname = tokens[at]
            if (anyascii(surname).lower(), anyascii(given[0]).lower()) in taken:
                continue
            out.append((" ".join([surname, *given] if at == 0 else [*given, surname]), row))
    return out


def half_e(uk: list[dict[str, str]], seen: set[str]) -> list[tuple[str, str, str, str, str, str]]:
    """Half E, built after A-D had all been looked at, with the matcher frozen: each
    distinct "Name Non-Latin Script" name of the UK list against its group's
    romanised listing (a name already a query of A-D left out), and hard negatives of
    the same script (``neg-native-given-name``: a listed person's native-script surname
    with another listed person's native-script given names, of the same sex where a
    patronymic tells it, when no listed person of
    that script carries that surname and first given name). Rows carry the entry they
    derive from (sixth column): ``screening_quality.part`` of it splits E in two."""
    rng = random.Random(SEED_E)
    out: list[tuple[str, str, str, str, str, str]] = []
    persons: dict[str, list[Person]] = defaultdict(list)
    for row in uk:
        key = entry_key(row)
        for native in row["_native"].split("\t") if row["_native"] else []:
            kind = UK_KINDS.get(_script(native), "")
            if not kind or " ".join(native.split()) in seen:
                continue
            org = row["type"] == "Entity"
            out.append((native, "", key, kind + ("-org" if org else ""), "E", key))
            tokens = native.replace(",", " ").split()
            if not org and len(tokens) >= 2:
                surname = row["name"].split()[-1]
                at = _surname_at(tokens, surname)
                if at in (0, len(tokens) - 1):
                    persons[_script(native)].append((row, tokens, at))
    for query, row in _swapped_given_names(rng, persons):
        out.append((query, "", "", "neg-native-given-name", "E", entry_key(row)))
    return out


#: schema of an EU annex row -> CSL type (vessels and assets left out, as for the SDN)
EU_TYPES = {
    "Person": "Individual", "LegalEntity": "Entity", "Company": "Entity",
    "Organization": "Entity",
}  # fmt: skip
#: EU columns whose cells give identity or registration numbers (for telling parties
#: already listed apart, not as list columns but passports and national IDs)
EU_NUMBERS = (
    "passportNumber", "idNumber", "innCode", "ogrnCode", "registrationNumber",
    "taxNumber", "imoNumber", "leiCode",
)  # fmt: skip
_PARENS = re.compile(r"\(([^()]*)\)")
_UN_REF = re.compile(r"\b([A-Z]{2}[ie]\.\d{3})\b")
#: a whole date of birth of the EU annexes ("26.11.1972"; several: "18.1.1970 or 29.3.1965")
_EU_DOB = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
#: a whole date of birth of an SDN remark ("DOB 10 Dec 1948", "alt. DOB 03 May 1938")
_SDN_WHOLE_DOB = re.compile(r"DOB (\d{1,2}) ([A-Z][a-z]{2}) (\d{4})")
_MONTHS = {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "May": 5, "Jun": 6, "Jul": 7, "Aug": 8,
    "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}  # fmt: skip


def _main_script(text: str) -> str:
    """The script most letters of ``text`` are written in ("" when none): the EU's
    Cyrillic names may have a Latin I (Iгар Цімафеевіч СУБОЦIН), so not the first
    letter's as ``_script``."""
    scripts = Counter(unicodedata.name(ch, "?").split()[0] for ch in text if ch.isalpha())
    return scripts.most_common(1)[0][0] if scripts else ""


#: a run of letters of a script other than Latin (Cyrillic, Greek, Hebrew, Arabic, CJK,
#: Hangul), with the spaces, hyphens, dots and quotes between its words
_NON_LATIN = "\u0370-\u052f\u0590-\u06ff\u0750-\u077f\u3040-\u9fff\uac00-\ud7af\ufb1d-\ufeff"
_NATIVE_RUN = re.compile(f"[{_NON_LATIN}][{_NON_LATIN}\\s\\-.,‘’'«»\"“”]*[{_NON_LATIN}]")
#: what is left of a printed label once the run it introduced is taken out
_LEFT_OVER = re.compile(r"\b(?:Russian|Ukrainian|Belarusian|Arabic|Persian)\s*:\s*\x00|\x00")


def _split_scripts(text: str) -> tuple[str, list[str]]:
    """(the romanised rest, the runs of two letters or more in another script) of a
    name the Official Journal prints with its original-script form inside it ("Areen
    foundation/مؤسسة", "Andrey Valerievich RYUMIN (Russian:Андрей ..."); one letter of
    another script inside a word (JSC ‘61 Аrmored', a Cyrillic А) is left in place."""
    runs = [m.group(0) for m in _NATIVE_RUN.finditer(text)]
    rest = _LEFT_OVER.sub(" ", _NATIVE_RUN.sub("\x00", text)) if runs else text
    rest = re.sub(r"\(\s*\)|\(\s*$", " ", rest)
    return " ".join(rest.split()).strip(" /:,;"), runs


def _eu_names(cell: str) -> tuple[list[str], list[str]]:
    """(romanised names, original-script names) of an EU ``alias`` cell as printed:
    names separated by ";" or " / " (a Russian and a Ukrainian spelling), a name's
    other script in brackets after it ("Sergei AKSENOV (Сергей АКСЁНОВ)"). A bracketed
    name in the script of the name it follows is that name's abbreviation (Акционерное
    Общество ... (АО ...)), kept only when romanised; an original-script name inside
    a romanised one (PMC Redoubt (ЧВК Редут) is split off (``_split_scripts``)."""
    latin: list[str] = []
    native: list[str] = []
    for piece in (p for part in cell.split(";") for p in part.split(" / ")):
        outer = " ".join(_PARENS.sub(" ", piece).split())
        inner = [" ".join(m.split()) for m in _PARENS.findall(piece)]
        outer_latin = _main_script(outer) in ("LATIN", "")
        for name in [outer, *inner]:
            if not name:
                continue
            if _main_script(name) in ("LATIN", ""):
                rest, runs = _split_scripts(name)
                latin += [rest] if rest else []
                native += runs
            elif name is outer or outer_latin:
                native.append(name)
    return latin, native


def _eu_numbers(r: dict[str, str]) -> set[str]:
    """Numbers of an EU row (``EU_NUMBERS`` columns and UN references in its notes),
    upper case without spaces, dots, dashes, slashes, leading zeros."""
    out = set()
    for column in EU_NUMBERS:
        for part in r.get(column, "").split(";"):
            if number := _plain_number(_number(part)):
                out.add(number)
    out |= {m.group(1).upper() for m in _UN_REF.finditer(r.get("notes", ""))}
    return out


def _plain_number(number: str) -> str:
    plain = re.sub(r"[\s./-]", "", number).upper().lstrip("0")
    return plain if len(plain) >= 6 and any(ch.isdigit() for ch in plain) else ""


def _add_names(row: dict[str, str], latin: list[str], natives: list[str]) -> None:
    """Add to a merged row its other Latin names (aliases) and its native-script names,
    each once, in the order first seen."""
    known = [n for n in row["alt_names"].split("; ") if n]
    row["alt_names"] = "; ".join(dict.fromkeys([*known, *(n for n in latin if n != row["name"])]))
    old = [n for n in row["_native"].split("\t") if n]
    row["_native"] = "\t".join(dict.fromkeys([*old, *natives]))


def build_eu() -> list[dict[str, str]]:
    """The EU sanctions annexes of ``raw/eu_oj`` (OpenSanctions' transcription of the
    Official Journal's consolidated regulations, one file per regulation), persons and
    entities, in the CSL layout: one entry per party (rows of one type and name, in
    any file, merged), name = the ``name`` cell's romanised words, aliases from the
    romanised names of ``alias``, ``weakAlias`` and ``previousName``. The
    original-script names are not list names: they are kept in ``_native`` (tab-joined)
    and become queries of half F; ``_numbers`` keeps the party's numbers."""
    merged: dict[tuple[str, str], dict[str, str]] = {}
    for path in sorted((RAW / EU_DIR).glob("*.csv.gz")):
        celex = path.name.split(".")[0]
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            for index, r in enumerate(csv.DictReader(fh), 1):
                kind = EU_TYPES.get(r["schema"], "")
                name, natives = _split_scripts(r["name"])
                latin: list[str] = []
                for column in ("alias", "weakAlias", "previousName"):
                    more_latin, more_native = _eu_names(r[column])
                    latin += more_latin
                    natives += more_native
                name = name or next(iter(latin), "")
                if not kind or not name:
                    continue
                slot = (kind, _plain_name(name))
                row = merged.get(slot)
                if row is None:
                    # the annex's own number, the row's place where it prints none
                    number = r["recordId"] or f"r{index}"
                    row = dict.fromkeys(CSL_COLUMNS, "")
                    row.update(
                        source=EU_SOURCE,
                        entity_number=f"EU-{celex}-{r['annex'] or '-'}-{number}",
                        type=kind,
                        name=name,
                        programs=r["programKey"],
                        source_list_url=f"https://eur-lex.europa.eu/eli/reg/{celex}",
                        _native="",
                        _numbers="",
                        _births="",
                    )
                    merged[slot] = row
                _add_names(row, latin, [n for n in natives if n])
                numbers = {n for n in row["_numbers"].split("\t") if n} | _eu_numbers(r)
                row["_numbers"] = "\t".join(sorted(numbers))
                born = {f"{y}-{int(m)}-{int(d)}" for d, m, y in _EU_DOB.findall(r["birthDate"])}
                row["_births"] = "\t".join(sorted({*row["_births"].split("\t"), *born} - {""}))
                dated = [n for n in row["dates_of_birth"].split("; ") if n]
                row["dates_of_birth"] = "; ".join(dict.fromkeys([*dated, *_eu_births(r)]))
                documents = [("Passport", p, "") for p in r["passportNumber"].split(";")]
                documents += [("National ID No.", p, "") for p in r["idNumber"].split(";")]
                cell = "; ".join(c for c in (row["ids"], _ids_cell(documents)) if c)
                row["ids"] = "; ".join(dict.fromkeys(cell.split("; "))) if cell else ""
    return list(merged.values())


#: a year alone in an annex's "birthDate" ("1961", "(a) 1972 (b) 21.3.1974"), not the
#: year of a d.m.yyyy date
_EU_YEAR = re.compile(r"(?<![\d.])(\d{4})(?![\d.])")


def _eu_births(r: dict[str, str]) -> list[str]:
    """The dates of birth of an annex row as ``dates_of_birth`` parts, as for the other
    lists (``screening.births``): its whole dates (d.m.yyyy) as ISO dates, then the
    years it gives alone; the annexes' other wordings ("(probably) 1944" aside from its
    year) are not read."""
    text = r["birthDate"]
    whole = [f"{y}-{int(m):02d}-{int(d):02d}" for d, m, y in _EU_DOB.findall(text)]
    return [*whole, *_EU_YEAR.findall(text)]


def _plain_name(name: str) -> str:
    """A name compared across lists and scripts: ``anyascii``, lower case, its words
    (letters and digits) sorted."""
    return " ".join(sorted(re.findall(r"[a-z0-9]+", anyascii(name).lower())))


#: words of legal forms and their particles, as ``_plain_name`` writes them (Russian
#: ones read by ``anyascii``): two organisations' names equal without them are one party
LEGAL_WORDS = frozenset({
    "ooo", "ao", "pao", "oao", "zao", "nao", "ip", "fgup", "gup", "aktsionernoe",
    "obshchestvo", "s", "ogranichennoi", "otvetstvennostiu", "publichnoe", "otkrytoe",
    "zakrytoe", "nepublichnoe", "llc", "jsc", "pjsc", "ojsc", "cjsc", "limited", "ltd",
    "company", "co", "joint", "stock", "liability", "public", "the", "of", "and", "inc",
    "corp",
})  # fmt: skip


def _formless(name: str) -> str:
    """``_plain_name`` without ``LEGAL_WORDS`` ("" when what is left is a single word
    shorter than six letters: too little to tell one organisation)."""
    words = [w for w in _plain_name(name).split() if w not in LEGAL_WORDS]
    return " ".join(words) if len(words) > 1 or (words and len(words[0]) >= 6) else ""


def _listed_numbers(row: dict[str, str]) -> set[str]:
    """The numbers of a listed row's ``ids`` cell ("Passport, 1084010, EG; UN Ref,
    QDi.292"), plain as ``_plain_number``."""
    out = set()
    for part in row["ids"].split(";"):
        fields = [f.strip() for f in part.split(",")]
        if len(fields) >= 2 and (number := _plain_number(fields[1])):
            out.add(number)
    return out


def _births(row: dict[str, str]) -> set[str]:
    """Whole dates of birth ("1972-11-26") of a listed person: the UK and EU rows'
    ``_births``, an SDN remark's "DOB 10 Dec 1948"."""
    found = {b for b in row.get("_births", "").split("\t") if b}
    for d, mon, y in _SDN_WHOLE_DOB.findall(row["remarks"]):
        found.add(f"{y}-{_MONTHS.get(mon, 0)}-{int(d)}")
    # a day or month 0 stands for one not known
    return {b for b in found if all(int(p) for p in b.split("-"))}


def _surname_key(row: dict[str, str]) -> str:
    """A listed person's surname, ``anyascii`` lower case: the part before the comma of
    an SDN name (SURNAME, Given), the EU's word in capitals, else the last word."""
    name = row["name"].split(",")[0] if "," in row["name"] else _eu_surname(row["name"])
    return anyascii(name).lower()


def eu_fresh(
    eu: list[dict[str, str]], listed: list[dict[str, str]]
) -> tuple[list[dict[str, str]], dict[str, int]]:
    """The EU parties not already listed (they join ``list.csv``), and how many were
    left out by which test, in this order: a name (romanised or original-script, any
    alias) equal to a listed entry's name or alias or to an original-script A-E query
    (``_plain_name``: any script, word order, case); a shared number (passport,
    national ID, INN, OGRN, registration, tax, IMO, LEI, UN reference); for persons, a
    shared whole date of birth with a surname alike (``fuzz.ratio`` >= 80 of the
    ``anyascii`` surnames: SHEYNIN / SHEININ); for organisations, a name equal to a
    listed organisation's once legal forms are set aside (``_formless``: ООО
    «Калужский двигатель» / Kaluzhsky Dvigatel JSC is not caught, АО «Калужский
    двигатель» / ПАО «Калужский двигатель» is)."""
    names: set[str] = set()
    numbers: set[str] = set()
    born: dict[str, list[str]] = defaultdict(list)
    cores: set[str] = set()
    for row in listed:
        for n in [row["name"], *row["alt_names"].split("; "), *row.get("_native", "").split("\t")]:
            if n.strip():
                names.add(_plain_name(n))
        numbers |= _listed_numbers(row) | {n for n in row.get("_numbers", "").split("\t") if n}
        if row["type"] == "Entity":
            for n in [
                row["name"],
                *row["alt_names"].split("; "),
                *row.get("_native", "").split("\t"),
            ]:
                if core := _formless(n):
                    cores.add(core)
        if row["type"] == "Individual":
            for b in _births(row):
                born[b].append(_surname_key(row))
    names.discard("")
    alike = _AlikeNames(listed)
    fresh = []
    dropped = {"name": 0, "number": 0, "birth": 0, "form": 0, "alike": 0}
    for row in eu:
        own = [row["name"], *row["alt_names"].split("; "), *row["_native"].split("\t")]
        surname = _surname_key(row)
        if any(_plain_name(n) in names for n in own if n.strip()):
            dropped["name"] += 1
        elif {n for n in row["_numbers"].split("\t") if n} & numbers:
            dropped["number"] += 1
        elif row["type"] == "Individual" and any(
            fuzz.ratio(surname, other) >= 80 for b in _births(row) for other in born[b]
        ):
            dropped["birth"] += 1
        elif row["type"] == "Entity" and any(_formless(n) in cores for n in own if _formless(n)):
            dropped["form"] += 1
        elif alike.any_alike(row):
            dropped["alike"] += 1
        else:
            fresh.append(row)
    return fresh, dropped


#: ``_AlikeNames``: least ``fuzz.token_set_ratio`` of two romanised names of one kind
ALIKE = 90


class _AlikeNames:
    """The listed romanised names of persons and organisations (organisations' without
    legal forms or bracketed acronyms), by word, for ``any_alike``: an EU party whose
    romanised name or alias has a ``fuzz.token_set_ratio`` of at least ``ALIKE`` with a
    listed name of the same kind sharing a word of four letters or more, the shared
    words at least two, or one of six letters or more (Aleksander / Alexander
    Dmitrievich KHARICHEV, Igor Valentinovich / Igor KAZAREZOV, JSC Tactical Missiles
    Corporation (KTRV) / TACTICAL MISSILES CORPORATION JOINT STOCK COMPANY). Written
    after the i15m build, from the tune part of E's false hits on EU entries (the same
    parties under other spellings), before any first look at F; it only leaves parties
    out of F, never labels a hit."""

    def __init__(self, listed: list[dict[str, str]]) -> None:
        self.by_word: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in listed:
            if row["type"] not in ("Individual", "Entity"):
                continue
            for n in [row["name"], *row["alt_names"].split("; ")]:
                plain = self._plain(n, row["type"])
                for w in plain.split():
                    if len(w) >= 4:
                        self.by_word[(row["type"], w)].add(plain)

    @staticmethod
    def _plain(name: str, kind: str) -> str:
        text = re.sub(r"\([^)]*\)", " ", name)  # "(KTRV)", "(PJSC)"
        words = _plain_name(text).split()
        if kind == "Entity":
            words = [w for w in words if w not in LEGAL_WORDS]
        return " ".join(words)

    def any_alike(self, row: dict[str, str]) -> bool:
        kind = row["type"]
        for n in [row["name"], *row["alt_names"].split("; ")]:
            plain = self._plain(n, kind)
            words = {w for w in plain.split() if len(w) >= 4}
            candidates = set().union(*(self.by_word.get((kind, w), set()) for w in words))
            for other in candidates:
                shared = words & set(other.split())
                if (len(shared) >= 2 or any(len(w) >= 6 for w in shared)) and fuzz.token_set_ratio(
                    plain, other
                ) >= ALIKE:
                    return True
        return False


#: kinds of half F's real original-script names, by script (persons; entities "-org")
EU_KINDS = {
    "CYRILLIC": "script-cyrillic-eu", "ARABIC": "script-arabic-eu", "CJK": "script-han-eu",
    "HANGUL": "script-hangul-eu", "HEBREW": "script-hebrew-eu", "GREEK": "script-greek-eu",
}  # fmt: skip


def _native_persons(
    rows: list[dict[str, str]], surname: Callable[[str], str]
) -> dict[str, list[Person]]:
    """Per script, the native-script person names of ``rows`` whose first or last word
    reads like the listed surname (``surname`` of the listed name)."""
    persons: dict[str, list[Person]] = defaultdict(list)
    for row in rows:
        if row["type"] != "Individual":
            continue
        for native in row["_native"].split("\t") if row["_native"] else []:
            tokens = native.replace(",", " ").split()
            if len(tokens) >= 2:
                at = _surname_at(tokens, surname(row["name"]))
                if at in (0, len(tokens) - 1):
                    persons[_main_script(native)].append((row, tokens, at))
    return persons


def _eu_surname(name: str) -> str:
    """The surname of an EU listing: its first word in capitals (Sergey Nikolaevich
    ATLIVANCHIK, BARATI Morteza), else its last word."""
    words = name.split()
    caps = [w for w in words if len(w) > 1 and w.isupper()]
    return caps[0] if caps else words[-1]


def half_f(
    eu: list[dict[str, str]], others: list[dict[str, str]], seen: set[str]
) -> list[tuple[str, str, str, str, str, str]]:
    """Half F, built after A-E had all been looked at (D's and E's held parts twice),
    with no matcher run on it: each original-script name of an EU party not already
    listed (``eu_fresh``) against its romanised listing (a name already a query of A-E
    left out), kind by script (``EU_KINDS``), and hard negatives of the same scripts
    (``neg-native-given-name``, as E's, no person of that script of the EU, UK or UN
    list, ``others`` the UK and UN lists, carrying the surname and first given name).
    Rows carry the entry they derive from (sixth column), so that F can be split by
    ``screening_quality.part`` later."""
    rng = random.Random(SEED_F)
    out: list[tuple[str, str, str, str, str, str]] = []
    for row in eu:
        key = entry_key(row)
        for native in row["_native"].split("\t") if row["_native"] else []:
            kind = EU_KINDS.get(_main_script(native), "")
            if not kind or " ".join(native.split()) in seen:
                continue
            org = row["type"] == "Entity"
            out.append((native, "", key, kind + ("-org" if org else ""), "F", key))
    persons = _native_persons(eu, _eu_surname)
    also = _native_persons(others, lambda name: name.split()[-1])
    for query, row in _swapped_given_names(rng, persons, also):
        out.append((query, "", "", "neg-native-given-name", "F", entry_key(row)))
    return out


def jp_listed(
    jp: list[dict[str, str]],
    fresh: list[dict[str, str]],
    listed: list[dict[str, str]],
    queried: set[str],
) -> tuple[list[tuple[dict[str, str], str]], dict[str, int]]:
    """The METI parties ``eu_fresh`` found already listed whose listing is known for
    sure, with that entry's key: an English name or alias equal to a listed entry's
    name or alias (``_plain_name``; several entries carrying that name are one party for
    the counting, the first one in the list's order is taken), else equal to exactly one
    listed organisation's once legal forms are set aside (``_formless``); left out
    when that entry is one A-F already queries (``queried``: expected and source keys),
    and the parties left out for a shared number or a name alike (not known for sure
    which entry). With how many were left out, by reason."""
    names: dict[str, list[str]] = defaultdict(list)
    cores: dict[str, set[str]] = defaultdict(set)
    for row in listed:
        key = entry_key(row)
        for n in [row["name"], *row["alt_names"].split("; ")]:
            if n.strip():
                names[_plain_name(n)].append(key)
                if row["type"] == "Entity" and (core := _formless(n)):
                    cores[core].add(key)
    fresh_keys = {entry_key(r) for r in fresh}
    out: list[tuple[dict[str, str], str]] = []
    left = {"queried": 0, "unsure": 0}
    for row in jp:
        if entry_key(row) in fresh_keys:
            continue
        own = [n for n in [row["name"], *row["alt_names"].split("; ")] if n.strip()]
        by_name = [k for n in own for k in names.get(_plain_name(n), [])]
        by_form = {k for n in own if (core := _formless(n)) for k in cores.get(core, set())}
        key = by_name[0] if by_name else next(iter(by_form)) if len(by_form) == 1 else ""
        if not key:
            left["unsure"] += 1
        elif key in queried or set(by_name) & queried:
            left["queried"] += 1
        else:
            out.append((row, key))
    return out, left


#: kana, kanji and full-width forms: the letters of a Japanese name as METI prints it
_JP_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
#: an entry's number and Japanese name printed on the line of the entry before it, after
#: its address ("... Moscow 127055RU.10 対外諜報庁", "... Russia.25 株式会社 ...",
#: "... 184682.77 NMテック", "... 220114, Belarus７ 株式会社 ...")
_JP_GLUED = re.compile(r"(?<=[A-Za-z.])\s?(?=[0-9０-９]{1,3}\s?\S*?[\u3040-\u30ff\u3400-\u9fff])")
_JP_ADDRESS = re.compile(r"(?<=\S)\s*(?=所在地[:：])")
_JP_TAIL = re.compile(
    r"(?<=[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef」])\s*[A-Za-z][^\u3040-\u30ff\u3400-\u9fff\uff00-\uffef」]*$"
)
_JP_ENTRY = re.compile(r"^([0-9０-９]+)\s*(.+)$")
_JP_ALIASES = re.compile(r"（別称、?([^）]*)）")
_JP_BRACKETS = re.compile(r"（[^（）]*）")
_AKA = re.compile(r",?\s*(?:a\.k\.a\.?|the following)", re.IGNORECASE)


def _jp_entries(text: str) -> list[tuple[int, list[str], list[str]]]:
    """The entries of one METI list as OpenSanctions' text of its PDF gives them: (the
    entry's number, its Japanese lines, its English lines); each entry is its number and
    Japanese name (which may wrap), the English name METI prints under it (with "a.k.a.,
    the following two aliases:" and one "-alias" a line), then "所在地：" and the address.
    An entry starts on a line with the number after the last one's (or the same: four
    entries share number 23 of the Russian list) followed by Japanese letters."""
    lines: list[str] = []
    for line in text.split("\n"):
        glued = _JP_GLUED.search(line)
        line = re.sub(r"所\s*在\s*地\s*([:：])", r"所在地\1", line)  # 所 在 地 ：
        glued = _JP_GLUED.search(line)
        before = re.sub(r"^所在地[:：]", "", line[: glued.start()]) if glued else ""
        # an address's line (a comma, or a full stop before the number): not 14 Si2マイクロ
        if glued and not _JP_CHAR.search(before) and ("," in before or before.endswith(".")):
            line = f"{line[: glued.start()]}\n{line[glued.end() :]}"
        lines += _JP_ADDRESS.sub("\n", line).split("\n")
    entries: list[tuple[int, list[str], list[str]]] = []
    last, state = 0, ""
    for line in (raw.strip() for raw in lines):
        m = _JP_ENTRY.match(line)
        if m and _JP_CHAR.search(m.group(2)) and int(m.group(1)) in (last, last + 1):
            last, state = int(m.group(1)), "jp"
            entries.append((last, [m.group(2)], []))
        elif not entries or not line:
            continue
        elif line.startswith("所在地"):
            state = "address"
            continue
        elif state == "jp" and (
            _JP_CHAR.search(line)
            or "".join(entries[-1][1]).count("（") > "".join(entries[-1][1]).count("）")
        ):
            entries[-1][1].append(line)
        elif state in ("jp", "en"):
            state = "en"
            entries[-1][2].append(line)
            continue
        else:
            continue
        # the English name printed on the Japanese name's line (クロッカス・ナノ・エレクトロ
        # ニクスCrocus Nano Electronics): Latin words after the last Japanese letter, two
        # or more with twelve letters or more, the brackets closed
        japanese = entries[-1][1]
        tail = _JP_TAIL.search(japanese[-1])
        if (
            tail
            and len(tail.group(0).split()) >= 2
            and len(re.findall(r"[A-Za-z]", tail.group(0))) >= 12
            and "".join(japanese).count("（") == "".join(japanese).count("）")
        ):
            japanese[-1] = japanese[-1][: tail.start()]
            entries[-1][2].append(tail.group(0).strip())
            state = "en"
    return entries


def _jp_join(lines: list[str]) -> str:
    """Wrapped Japanese lines as one: no space between them, but between two Latin
    letters or digits."""
    out = lines[0]
    for line in lines[1:]:
        latin = (
            out[-1:].isascii() and out[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum()
        )
        out += (" " if latin else "") + line
    return out


def _jp_japanese(lines: list[str]) -> list[str]:
    """The Japanese names of an entry: its name (the first sentence, brackets left out:
    国防省（連邦軍及び...を含む） is 国防省) and the aliases in its "（別称、A、B及びC）"
    that are written in Japanese (kana or kanji; Latin ones, "RQC", are not)."""
    text = _jp_join(lines).split("。")[0].replace("(", "（").replace(")", "）")
    aliases = [
        " ".join(a.split())
        for m in _JP_ALIASES.finditer(text)
        for a in re.split(r"、|､|及び", m.group(1))
    ]
    # an alias with a bracket of its own (（別称、株式会社エルヴィス（ELVEES）...）) is cut
    # at its opening bracket
    aliases = [a.split("（")[0].strip() if a.count("（") > a.count("）") else a for a in aliases]
    main = text
    while _JP_BRACKETS.search(main):
        main = _JP_BRACKETS.sub(" ", main)
    main = main.split("（")[0]  # a bracket the first sentence's end left open
    names = [" ".join(main.split()), *aliases]
    return list(dict.fromkeys(n for n in names if n and _JP_CHAR.search(n)))


def _jp_english(lines: list[str]) -> tuple[str, list[str]]:
    """(the English name, its aliases) of an entry: the name up to ", a.k.a." (and up
    to ", including" in the descriptions of armed forces), the aliases one a line after
    a "-", wrapped lines joined, "; and" and the final full stop left out."""
    head: list[str] = []
    aliases: list[str] = []
    for line in lines:
        if line.startswith(("-", "—")) and (aliases or _AKA.search(" ".join(head))):
            aliases.append(line.lstrip("-— "))
        elif aliases:
            aliases[-1] += " " + line
        else:
            head.append(line)
    name = re.split(r",\s*including\b", _AKA.split(" ".join(head))[0])[0]
    clean = [re.sub(r"(?:;\s*and|;|\.)$", "", " ".join(a.split())).strip() for a in aliases]
    return name.strip(" ,;"), [a for a in clean if a]


def build_jp() -> list[dict[str, str]]:
    """Japan METI's designated entities (``raw/jp_meti``: Russia, Belarus, third
    countries), in the CSL layout: one entry per party (entries of one English name, in
    any of the lists, merged: two addresses of one party are two entries of the list),
    name = the English name, aliases = its English aliases; the Japanese names are not
    list names: they are kept in ``_native`` (tab-joined) and become queries of half
    G. Entry key ``JP-METI-<list>-<number>`` (``-2``, ``-3`` ... for entries sharing a
    number)."""
    merged: dict[str, dict[str, str]] = {}
    keys: set[str] = set()
    for filename, code in JP_LISTS.items():
        text = (RAW / JP_DIR / filename).read_text(encoding="utf-8")
        for number, japanese, english in _jp_entries(text):
            name, aliases = _jp_english(english)
            # left out: entries whose names this reading does not tell apart (the last
            # ones of the third-country list print "別称：" lists mixing both languages)
            if not name or _JP_CHAR.search(name) or "別称：" in "".join(japanese):
                continue
            slot = _plain_name(name)
            row = merged.get(slot)
            if row is None:
                key = base = f"JP-METI-{code}-{number}"
                k = 1
                while key in keys:
                    k += 1
                    key = f"{base}-{k}"
                keys.add(key)
                row = dict.fromkeys(CSL_COLUMNS, "")
                row.update(
                    source=JP_SOURCE,
                    entity_number=key,
                    type="Entity",
                    name=name,
                    programs=f"JP-METI-{code}",
                    source_list_url="https://www.meti.go.jp/policy/external_economy/"
                    "trade_control/02_export/17_russia/russia.html",
                    _native="",
                    _numbers="",
                    _births="",
                )
                merged[slot] = row
            _add_names(row, aliases, _jp_japanese(japanese))
    return list(merged.values())


def _jp_kind(name: str) -> str:
    """Half G's kind of a Japanese name: ``script-kana-jp-org`` when it has kana (a
    reading of a foreign name, with or without kanji: 株式会社アドミラルティ造船所),
    ``script-han-jp-org`` when kanji only (a translation, 連邦保安庁, or a Chinese
    party's own name)."""
    return "script-kana-jp-org" if _KANA.search(name) else "script-han-jp-org"


#: ``FILLER``'s words in katakana, for half G's hard negatives
JP_FILLER = ["ハルヴォルセン", "パインクレスト", "マーロウ", "クインタラ", "ベルヴェデーレ",
             "ストーンブリッジ", "アーデント", "コルヴィーナ", "リンドクヴィスト", "タマリンド",
             "エヴァーハート", "オストラヴァ"]  # fmt: skip
#: a run of katakana (with its middle dots and long-vowel marks)
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fb\u30fc]+")


def half_g(
    jp: list[tuple[dict[str, str], str]], seen: set[str]
) -> list[tuple[str, str, str, str, str, str]]:
    """Half G, built after A-F had all been looked at (D's, E's and F's held parts
    several times), with the matcher frozen: each Japanese name of a METI party not
    already listed (``eu_fresh``, the same tests as F's) against its English listing
    (a name already a query of A-F left out), kind ``_jp_kind``; and hard negatives
    (``neg-native-distinctive-word``, the Japanese counterpart of D's
    ``neg-distinctive-word``, METI listing organisations only, no person for E's and F's
    ``neg-native-given-name``): for one party in two, its Japanese name with its
    longest katakana run (the reading of its distinctive word) replaced by a
    ``JP_FILLER`` word, when the rest has two Japanese letters or more and the result
    is no METI party's name. Rows carry the entry they derive from (sixth column):
    ``screening_quality.part`` of it splits G into tune and held parts."""
    rng = random.Random(SEED_G)
    out: list[tuple[str, str, str, str, str, str]] = []
    natives = {n for row, _ in jp for n in row["_native"].split("\t") if n}
    for row, key in jp:
        names = [n for n in row["_native"].split("\t") if n]
        for native in names:
            if " ".join(native.split()) in seen:
                continue
            out.append((native, "", key, _jp_kind(native), "G", key))
        if not names or rng.random() >= 0.5:
            continue
        name = names[0]
        runs = sorted(_KATAKANA_RUN.findall(name), key=len, reverse=True)
        if not runs or len(runs[0].strip("・ー")) < 3:
            continue
        rest = name.replace(runs[0], "", 1)
        if len(_JP_CHAR.findall(rest)) < 2:
            continue
        query = name.replace(runs[0], rng.choice(JP_FILLER), 1)
        if query not in natives:
            out.append((query, "", "", "neg-native-distinctive-word", "G", key))
    return out


def main() -> None:
    rng = random.Random(SEED)
    rows = build_list()
    cn = build_cn()
    un = build_un()
    uk = build_uk()
    eu, eu_dropped = eu_fresh(build_eu(), [*rows, *cn, *un, *uk])
    # half G's parties: METI's not already listed, by the same tests as F's
    jp_all = build_jp()
    jp, jp_dropped = eu_fresh(jp_all, [*rows, *cn, *un, *uk, *eu])
    write_list([*rows, *cn, *un, *uk, *eu, *jp])
    by_name = {r["name"]: r for r in rows}
    # queries from a sample of entries; every CSL (non-SDN) row is used
    pool = [r for r in rows if r["source"] != SDN_SOURCE]
    sdn = [r for r in rows if r["source"] == SDN_SOURCE]
    ru = [r for r in sdn if _country(r) == "RU"]
    pool += rng.sample(sdn, 260) + rng.sample(ru, min(40, len(ru)))
    pool = list({entry_key(r): r for r in pool}.values())
    out = _generated(rng, pool, _half)
    for listed, native, script in NATIVE:
        row = by_name.get(listed)
        if row is not None:
            key = entry_key(row)
            out.append((native, "", key, f"script-{script}", _half(key)))
    used = {entry_key(r) for r in pool} | {
        entry_key(by_name[n]) for n, _, _ in NATIVE if n in by_name
    }
    c_out, c_used = half_c(rows, cn, used)
    out += c_out
    # a name equal to a listed one is not a true non-match
    listed_names = {r["name"].lower() for r in [*rows, *cn]}
    out = [o for o in out if o[2] or o[0].lower() not in listed_names]
    out = list(dict.fromkeys(out))
    # half D (the UN list joins the list with it; A-C's queries stay as they were)
    d_out = half_d(rows, cn, un, used | c_used)
    listed_names |= {n.lower() for r in un for n in [r["name"], *r["alt_names"].split("; ")]}
    d_out = [o for o in d_out if o[2] or o[0].lower() not in listed_names]
    out = list(dict.fromkeys([*out, *d_out]))
    # half E (the UK list joins the list with it; A-D's queries stay as they were)
    seen = {" ".join(o[0].split()) for o in out}
    e_out = half_e(uk, seen)
    listed_names |= {n.lower() for r in uk for n in [r["name"], *r["alt_names"].split("; ")]}
    e_out = [o for o in e_out if o[2] or o[0].lower() not in listed_names]
    rows_out = [(*o, "") for o in out] + list(dict.fromkeys(e_out))
    # half F (the EU parties not listed before join the list with it; A-E's queries stay
    # as they were)
    seen = {" ".join(o[0].split()) for o in rows_out}
    f_out = half_f(eu, [*uk, *un], seen)
    listed_names |= {n.lower() for r in eu for n in [r["name"], *r["alt_names"].split("; ")]}
    f_out = [o for o in f_out if o[2] or o[0].lower() not in listed_names]
    rows_out += list(dict.fromkeys(f_out))
    # half G (the METI parties not listed before join the list with it; A-F's queries
    # stay as they were)
    seen = {" ".join(o[0].split()) for o in rows_out}
    queried = {k for o in rows_out for k in (o[2], o[5]) if k}
    known, jp_left = jp_listed(jp_all, jp, [*rows, *cn, *un, *uk, *eu], queried)
    g_out = half_g([*((r, entry_key(r)) for r in jp), *known], seen)
    listed_names |= {n.lower() for r in jp for n in [r["name"], *r["alt_names"].split("; ")]}
    g_out = [o for o in g_out if o[2] or o[0].lower() not in listed_names]
    rows_out += list(dict.fromkeys(g_out))
    with (HERE / "pairs.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["query", "country", "expected", "kind", "half", "source"])
        writer.writerows(rows_out)
    pos = sum(1 for o in rows_out if o[2])
    print(
        f"list: {len(rows) + len(cn) + len(un) + len(uk) + len(eu) + len(jp)} entries; "
        f"pairs: {pos} positives, {len(rows_out) - pos} negatives; EU parties already "
        f"listed, left out: {eu_dropped['name']} by name, {eu_dropped['number']} by number, "
        f"{eu_dropped['birth']} by date of birth and surname, {eu_dropped['form']} by "
        f"name without legal form, {eu_dropped['alike']} by a romanised name alike; METI "
        f"parties already listed, left out: {jp_dropped['name']} by name, "
        f"{jp_dropped['number']} by number, {jp_dropped['form']} by name without legal "
        f"form, {jp_dropped['alike']} by a romanised name alike; of these, queried "
        f"against their listing: {len(known)}, left out: {jp_left['queried']} already "
        f"queried by A-F, {jp_left['unsure']} not known for sure which entry"
    )


if __name__ == "__main__":
    main()
