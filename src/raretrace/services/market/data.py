"""Market data files: the shipped USGS price series and projects outside China
(``raretrace/data/market``, copied from the project's sourced reference data with
every row's source kept), and the files users bring: price CSVs and project CSVs.

Parsers of outside files read them whole, check every row and raise one
``InputError`` listing every located problem (file, row, column); nothing is half
read. A price file is UTF-8 CSV with the columns::

    element,form,basis,date,currency,price_per_kg,price_low,price_high,source

``element`` a rare-earth symbol (Nd) or ``NdPr``; ``form`` oxide|metal|alloy|magnet;
``date`` a year (2025) or a day (2025-07-10; points in one year are averaged);
``price_low``/``price_high`` optional (a range alone gives its midpoint).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from pathlib import Path

from raretrace.domain.elements import RARE_EARTHS, normalise_symbol
from raretrace.domain.market import FORMS, STAGES, PricePoint, PriceTable, Project
from raretrace.errors import InputError, Problem
from raretrace.services.formats.small_csv import check_columns, decode_text, read_rows

__all__ = [
    "DATA",
    "PRICE_COLUMNS",
    "PROJECT_COLUMNS",
    "WorldLine",
    "china_shares",
    "history",
    "parse_price_csv",
    "parse_projects_csv",
    "series",
    "shipped_prices",
    "shipped_projects",
    "world_lines",
]

DATA = Path(str(files("raretrace") / "data" / "market"))
USGS_FILE = "usgs_rare_earth_oxide_prices.csv"
PROJECTS_FILE = "projects_outside_china.csv"
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_ROWS = 20_000

PRICE_COLUMNS = (
    "element",
    "form",
    "basis",
    "date",
    "currency",
    "price_per_kg",
    "price_low",
    "price_high",
    "source",
)
_REQUIRED = ("element", "form", "date", "currency", "price_per_kg", "source")
PROJECT_COLUMNS = (
    "project_id",
    "company",
    "facility",
    "country",
    "stage",
    "elements",
    "capacity_t_per_year",
    "capacity_unit",
    "start_year",
    "start_basis",
    "ramp_years",
    "ramp_basis",
    "status",
    "counted",
    "capacity_raw",
    "derivation",
    "source",
)
_PROJECT_REQUIRED = ("project_id", "stage", "elements", "capacity_t_per_year", "counted")

#: USGS price lines -> element (the NdPr blend is kept as its own series "NdPr").
_USGS_PRODUCT = {
    "Lanthanum oxide": "La",
    "Cerium oxide": "Ce",
    "Praseodymium oxide": "Pr",
    "Neodymium oxide": "Nd",
    "Neodymium-praseodymium (NdPr) oxide": "NdPr",
    "Samarium oxide": "Sm",
    "Europium oxide": "Eu",
    "Gadolinium oxide": "Gd",
    "Dysprosium oxide": "Dy",
    "Terbium oxide": "Tb",
}


def _element(text: str) -> str | None:
    t = text.strip()
    if t.lower() == "ndpr":
        return "NdPr"
    sym = normalise_symbol(t)
    return sym if sym in RARE_EARTHS else None


def _float(text: str) -> float | None:
    try:
        v = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return v if math.isfinite(v) else None


# -- shipped data ---------------------------------------------------------------------


def shipped_prices() -> PriceTable:
    """The USGS oxide price lines (MCS 2016-2026). For a year given by several editions
    the newest edition wins (USGS revises); a yearend range alone gives its midpoint."""
    best: dict[tuple[str, int], tuple[str, PricePoint]] = {}
    with (DATA / USGS_FILE).open(encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f), start=2):
            el = _USGS_PRODUCT.get(r["product"])
            if el is None:
                continue
            point, low, high = (
                _float(r[k]) for k in ("price_usd_per_kg", "price_low", "price_high")
            )
            derived = ""
            if point is None and low is not None and high is not None:
                point, derived = (low + high) / 2, "midpoint of the USGS range"
            if point is None:
                continue
            year = int(r["year"])
            p = PricePoint(
                el,
                "oxide",
                year,
                point,
                "USD",
                r["basis"],
                r["source"],
                low,
                high,
                r["estimated"] == "yes",
                derived,
                f"{USGS_FILE}, row {i}",
            )
            edition = r["edition"]
            key = (el, year)
            if key not in best or edition > best[key][0]:
                best[key] = (edition, p)
    points = tuple(sorted((p for _, p in best.values()), key=lambda p: (p.element, p.year)))
    notes = (
        "USGS Mineral Commodity Summaries price lines (oxides, USD/kg): annual averages "
        "(Argus Non-Ferrous Markets) and, for 2011-2013, yearend ranges (MCS 2016).",
        "No price for 2010 or earlier in the data; Dy and Tb stop at 2024; Pr, NdPr, Sm "
        "and Gd start in 2021 (see data/market/README.md).",
    )
    return PriceTable("USGS oxide prices (shipped)", points, illustrative=False, notes=notes)


def series(table: PriceTable, form: str) -> tuple[dict[str, dict[int, float]], str | None]:
    """element -> year -> price of ``form`` (points of one year averaged), and the
    currency (None when empty). Several currencies in one table are refused."""
    acc: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    currencies = {p.currency for p in table.points if p.form == form}
    if len(currencies) > 1:
        raise InputError(
            f"{table.name}: {form} prices in several currencies ({', '.join(sorted(currencies))}); "
            "import one currency per table"
        )
    for p in table.points:
        if p.form == form:
            acc[p.element][p.year].append(p.price_per_kg)
    out = {e: {y: sum(v) / len(v) for y, v in ys.items()} for e, ys in acc.items()}
    return out, (next(iter(currencies)) if currencies else None)


def _parse_projects(text: str, name: str, problems: list[Problem]) -> list[Project]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    check_columns(header, name, _PROJECT_REQUIRED, PROJECT_COLUMNS, problems)
    if problems:
        return []
    out: list[Project] = []
    seen: set[str] = set()
    for i, raw in enumerate(reader, start=2):
        if i - 1 > MAX_ROWS:
            problems.append(Problem(name, i, None, f"over {MAX_ROWS} rows"))
            break
        r = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            problems.append(Problem(name, i, None, "more cells than the header has columns"))
            continue
        pid = r["project_id"]
        if not pid:
            problems.append(Problem(name, i, "project_id", "empty"))
        elif pid in seen:
            problems.append(Problem(name, i, "project_id", f"{pid!r} appears twice"))
        seen.add(pid)
        stage = r["stage"]
        if stage not in STAGES:
            problems.append(Problem(name, i, "stage", f"{stage!r}: use one of {', '.join(STAGES)}"))
        elements: tuple[str, ...] = ()
        if r["elements"].lower() not in ("all", ""):
            els = [_element(x) for x in r["elements"].split(";")]
            if any(e is None or e == "NdPr" for e in els):
                problems.append(Problem(name, i, "elements", "use 'all' or symbols like Nd;Pr"))
            elements = tuple(e for e in els if e)
        cap = None
        if r["capacity_t_per_year"]:
            cap = _float(r["capacity_t_per_year"])
            if cap is None or cap < 0:
                problems.append(Problem(name, i, "capacity_t_per_year", "not a number >= 0"))
        counted = r["counted"].lower()
        if counted not in ("yes", "no"):
            problems.append(Problem(name, i, "counted", "yes or no"))
        start = None
        if r.get("start_year"):
            if not re.fullmatch(r"\d{4}", r["start_year"]):
                problems.append(Problem(name, i, "start_year", "a year like 2026, or empty"))
            else:
                start = int(r["start_year"])
        ramp = 0
        if r.get("ramp_years"):
            if not re.fullmatch(r"\d{1,2}", r["ramp_years"]):
                problems.append(Problem(name, i, "ramp_years", "whole years 0-99, or empty"))
            else:
                ramp = int(r["ramp_years"])
        if counted == "yes" and cap is None:
            problems.append(
                Problem(name, i, "capacity_t_per_year", "a counted project needs a capacity")
            )
        out.append(
            Project(
                pid,
                r.get("company", ""),
                r.get("facility", ""),
                r.get("country", ""),
                stage,
                elements,
                cap,
                r.get("capacity_unit", ""),
                start,
                ramp,
                r.get("status", ""),
                counted == "yes",
                r.get("start_basis", ""),
                r.get("ramp_basis", ""),
                r.get("derivation", ""),
                r.get("source", ""),
                f"{name}, row {i}",
            )
        )
    return out


def shipped_projects() -> list[Project]:
    """Production outside China with stage, status and capacity (sourced rows)."""
    problems: list[Problem] = []
    text = (DATA / PROJECTS_FILE).read_text(encoding="utf-8")
    out = _parse_projects(text, PROJECTS_FILE, problems)
    if problems:  # pragma: no cover - the shipped file is checked by the tests
        raise InputError(f"{PROJECTS_FILE} is broken", problems)
    return out


def _decode(data: bytes, name: str) -> str:
    problems: list[Problem] = []
    text = decode_text(data, name, MAX_FILE_BYTES, problems)
    if text is None:
        raise InputError(f"{name}: {problems[0].message}", problems)
    return text


def parse_projects_csv(data: bytes, name: str) -> list[Project]:
    """Projects from a user's CSV (same columns as the shipped file)."""
    text = _decode(data, name)
    problems: list[Problem] = []
    try:
        out = _parse_projects(text, name, problems)
    except csv.Error as exc:
        problems.append(Problem(name, None, None, f"not readable as CSV ({exc})"))
        out = []
    if problems:
        raise InputError(f"{name}: {len(problems)} problem(s); nothing was read", problems)
    return out


@dataclass(frozen=True, slots=True)
class PriceFile:
    table: PriceTable
    sha256: str


def parse_price_csv(data: bytes, name: str) -> PriceFile:
    """A user's price file (module docstring); every problem located, nothing half read."""
    problems: list[Problem] = []

    def fail() -> InputError:
        problems.sort(key=lambda p: p.row or 0)
        return InputError(f"{name}: {len(problems)} problem(s); nothing was read", problems)

    def check(header: list[str]) -> None:
        check_columns(header, name, _REQUIRED, PRICE_COLUMNS, problems)

    text = decode_text(data, name, MAX_FILE_BYTES, problems)
    read = None if text is None else read_rows(text, name, MAX_ROWS, problems, check)
    if read is None:
        raise fail()
    points: list[PricePoint] = []
    for i, r in read[1]:
        p = _price_row(r, name, i, problems)
        if p is not None:
            points.append(p)
    if not points and not problems:
        problems.append(Problem(name, None, None, "no prices: the file has a header and no rows"))
    if problems:
        raise fail()
    return PriceFile(PriceTable(name, tuple(points)), hashlib.sha256(data).hexdigest())


def _price_row(r: dict[str, str], name: str, i: int, problems: list[Problem]) -> PricePoint | None:
    n = len(problems)
    el = _element(r["element"])
    if el is None:
        problems.append(
            Problem(name, i, "element", f"{r['element']!r} is not a rare earth (or NdPr)")
        )
    form = r["form"].lower()
    if form not in FORMS:
        problems.append(Problem(name, i, "form", f"{r['form']!r}: use one of {', '.join(FORMS)}"))
    year = None
    d = r["date"]
    if re.fullmatch(r"\d{4}", d):
        year = int(d)
    else:
        try:
            year = date.fromisoformat(d).year
        except ValueError:
            problems.append(Problem(name, i, "date", f"{d!r}: a year (2025) or a day (2025-07-10)"))
    if year is not None and not 1900 <= year <= 2200:
        problems.append(Problem(name, i, "date", f"{year} is outside 1900-2200"))
    cur = r["currency"].upper()
    if not re.fullmatch(r"[A-Z]{3}", cur):
        problems.append(Problem(name, i, "currency", f"{r['currency']!r} is not an ISO 4217 code"))
    low = high = None
    for col in ("price_low", "price_high"):
        if r.get(col):
            v = _float(r[col])
            if v is None or v < 0:
                problems.append(Problem(name, i, col, f"{r[col]!r} is not a price >= 0"))
            elif col == "price_low":
                low = v
            else:
                high = v
    price = _float(r["price_per_kg"]) if r["price_per_kg"] else None
    derived = ""
    if r["price_per_kg"] and (price is None or price < 0):
        problems.append(
            Problem(name, i, "price_per_kg", f"{r['price_per_kg']!r} is not a price >= 0")
        )
    elif price is None:
        if low is not None and high is not None:
            price, derived = (low + high) / 2, "midpoint of price_low..price_high"
        else:
            problems.append(
                Problem(name, i, "price_per_kg", "empty (give it, or price_low and price_high)")
            )
    if low is not None and high is not None and low > high:
        problems.append(Problem(name, i, "price_low", "greater than price_high"))
    if not r["source"]:
        problems.append(Problem(name, i, "source", "empty: say where the price comes from"))
    if len(problems) > n or el is None or year is None or price is None:
        return None
    return PricePoint(
        el,
        form,
        year,
        price,
        cur,
        r.get("basis", ""),
        r["source"],
        low,
        high,
        False,
        derived,
        f"{name}, row {i}",
    )


@dataclass(frozen=True, slots=True)
class WorldLine:
    stage: str
    year: str
    tonnes: float
    unit: str
    what: str
    copied_from: str
    source: str


def world_lines() -> dict[str, WorldLine]:
    """World (or outside-China) demand lines per stage, where the data has a tonnage."""
    with (DATA / "world_lines.csv").open(encoding="utf-8", newline="") as f:
        return {
            r["stage"]: WorldLine(
                r["stage"],
                r["year"],
                float(r["tonnes"]),
                r["unit"],
                r["what"],
                r["copied_from"],
                r["source"],
            )
            for r in csv.DictReader(f)
        }


_STAGE_OF = {"mining": "mining", "refining/separation": "separation",
             "magnet manufacturing": "magnet"}  # fmt: skip


def china_shares() -> dict[str, list[dict[str, str]]]:
    """China's sourced share of each stage (actuals and projections), every row with
    its qualifier, year, publisher and source (``supply_chain_stage_shares.csv``)."""
    out: dict[str, list[dict[str, str]]] = {}
    with (DATA / "supply_chain_stage_shares.csv").open(encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f), start=2):
            stage = _STAGE_OF.get(r["stage"])
            if stage is None or r["country"] != "China":
                continue
            out.setdefault(stage, []).append(
                {k: r[k] for k in ("share_pct", "qualifier", "year", "kind", "scope",
                                   "source_org", "source")}
                | {"row": f"supply_chain_stage_shares.csv, row {i}"}
            )  # fmt: skip
    return out


def history() -> list[dict[str, str]]:
    """Dated market events from regime.md §4 and §9 (spikes, collapses, Mountain Pass,
    the 2025 floor), each with its grade and source (``market_history.csv``)."""
    with (DATA / "market_history.csv").open(encoding="utf-8", newline="") as f:
        return [dict(r) for r in csv.DictReader(f)]
