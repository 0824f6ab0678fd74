"""Cells of an RMI AMRT workbook: tables found by their headings (or, for headings not
in English, by the 1.3 column positions), countries as RMI writes them, and the two
sheets that name the tiers around the smelter: the **Mine List** (mines and the
smelters they feed) and the **Smelter Look-up** (RMI's list of known smelters, which the
Smelter List fills its rows from by formula).

What is read from them (``amrt_layout`` has the layout):

- Mine List, rows whose metal is Rare Earth Elements: the mine's name, identification
  and its source, country, city, and the smelters it feeds. Street, state / province,
  contact name and email (RMI's instructions warn they may be personal data), proposed
  next steps and comments are not used. Rows for other metals are counted, not read.
- Smelter Look-up, rows whose metal is Rare Earth Elements: alias, standard name,
  country, Smelter ID, its source and city, used to complete a Smelter List row whose
  formulas left no value (a CID typed in column A, or an alias picked in column C, in a
  workbook saved without recalculation). Other metals' rows are not read.
- The Smelter List's own mine columns (Name of Mine(s), Location (Country) of Mine(s),
  100 % recycled): one mine name with one country becomes a mine of that smelter;
  "recycled" / "scrap" / "unknown" name no mine; several names or countries in one cell
  are kept as the smelter's stated mine countries only.
- The workbook's country list (sheet ``C``: code, RMI's name), to read RMI's country
  names ("BOLIVIA (PLURINATIONAL STATE OF)") that ISO's English names do not match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pycountry

from raretrace.errors import Problem
from raretrace.services.formats import amrt_layout as L
from raretrace.services.formats import columns
from raretrace.services.formats.file_bounds import ProblemLog, clip, control_character

Rows = list[tuple[int, dict[str, str]]]


def text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v).strip()


def checked(value: Any, where: str, row: int, col: str, problems: ProblemLog) -> str:
    """The cell's text, or ``""`` with a located problem when it holds a control
    character."""
    out = text(value)
    bad = control_character(out)
    if bad:
        problems.append(Problem(where, row, col, bad))
        return ""
    return out


def is_ree(metal: str) -> bool:
    return metal.strip().lower() in (L.REE.lower(), "rare earths", "rare earth")


# --------------------------------------------------------------------------- countries


def country_table(book: Any) -> dict[str, str]:
    """RMI's country names -> ISO alpha-2, from the workbook's own list (sheet ``C``:
    code in column A, name in column B), when it has one."""
    names = {n.strip().lower(): n for n in book.sheetnames}
    if "c" not in names:
        return {}
    out: dict[str, str] = {}
    for row in book[names["c"]].iter_rows(min_row=2, max_row=400, max_col=2, values_only=True):
        code, name = (text(v) for v in (*row, None, None)[:2])
        if len(code) == 2 and name:
            try:
                out[name.upper()] = columns.country(code)
            except ValueError:
                continue
    return out


def country_code(value: str, table: dict[str, str] | None = None) -> str:
    """ISO alpha-2 from a code or an English country name as RMI templates write it."""
    if len(value) == 2:
        return columns.country(value)
    if table and value.strip().upper() in table:
        return table[value.strip().upper()]
    # RMI writes "BOLIVIA (PLURINATIONAL STATE OF)" where ISO has "Bolivia, Plurinational
    # State of"
    tries = [value, re.sub(r"\s*\((.*)\)\s*$", r", \1", value)]
    for attempt in tries:
        try:
            return str(pycountry.countries.lookup(attempt).alpha_2)
        except LookupError:
            continue
    try:
        found = pycountry.countries.search_fuzzy(value)
    except LookupError:
        found = []
    if len(found) == 1:
        return str(found[0].alpha_2)
    raise ValueError(f"{clip(value)} is not a country name or ISO 3166-1 alpha-2 code")


# --------------------------------------------------------------------------- tables


def header(
    sheet: Any, fields: tuple[tuple[str, str], ...], first: str
) -> tuple[int, dict[int, str]]:
    """(row, column -> field) of the first row among the first 12 with a heading that
    starts with ``first``; (0, {}) when there is none."""
    for row in sheet.iter_rows(max_row=12, max_col=40):
        texts = {getattr(c, "column", 0): text(c.value).lower() for c in row if c.value}
        if any(t.startswith(first) for t in texts.values()):
            r = next(getattr(c, "row", 0) for c in row if c.value)
            mapping: dict[int, str] = {}
            for col, t in texts.items():
                for start, name in fields:
                    if t.startswith(start) and name not in mapping.values():
                        mapping[col] = name
                        break
            return r, mapping
    return 0, {}


def _positional(sheet: Any, row: int, positions: tuple[str, ...]) -> dict[int, str]:
    """Column -> field by position when row ``row`` holds headings (in any language) in
    at least half of the columns."""
    for cells in sheet.iter_rows(min_row=row, max_row=row, max_col=len(positions)):
        filled = sum(1 for c in cells if text(getattr(c, "value", None)))
        if filled * 2 >= len(positions):
            return dict(enumerate(positions, start=1))
    return {}


def table(
    sheet: Any,
    fields: tuple[tuple[str, str], ...],
    first: str,
    where: str,
    problems: ProblemLog,
    *,
    positions: tuple[str, ...] = (),
    header_row: int = 0,
    optional: bool = False,
) -> Rows:
    """The rows below the header, as field -> text (rows without a value skipped).
    ``optional``: a sheet without a header row is empty, not a problem."""
    head, mapping = header(sheet, fields, first)
    if not head and positions and header_row:
        mapping = _positional(sheet, header_row, positions)
        head = header_row if mapping else 0
    if not head:
        if not optional:
            message = (
                f"no header row with {first!r} found (RMI's headings are formulas: a workbook "
                "saved without recalculation holds no heading text; open and save it in "
                "Excel or LibreOffice)"
            )
            problems.append(Problem(where, None, None, message))
        return []
    rows: Rows = []
    for row in sheet.iter_rows(min_row=head + 1, max_col=max(mapping) if mapping else 1):
        values: dict[str, str] = {}
        r = 0
        for c in row:
            v = getattr(c, "value", None)
            if v is None:
                continue
            r = getattr(c, "row", r)
            name = mapping.get(getattr(c, "column", 0))
            if name:
                values[name] = checked(v, where, r, name, problems)
        filled = [v for v in values.values() if v]
        # RMI's sheets end with a copyright line ("© 2025 Responsible Minerals Initiative")
        if filled and not all(v.startswith("©") for v in filled):
            rows.append((r, values))
    return rows


# --------------------------------------------------------------------------- look-up


@dataclass(frozen=True, slots=True)
class KnownSmelter:
    """One Rare Earth Elements row of RMI's Smelter Look-up."""

    row: int
    alias: str
    name: str
    country: str  #: as written (RMI's name, e.g. "CHINA")
    smelter_id: str
    id_source: str
    city: str


@dataclass(slots=True)
class Lookup:
    by_alias: dict[str, KnownSmelter]
    by_id: dict[str, KnownSmelter]
    other_metals: int = 0

    def find(self, smelter_id: str, alias: str) -> KnownSmelter | None:
        return self.by_id.get(smelter_id.strip().upper()) or self.by_alias.get(
            alias.strip().lower()
        )


def read_lookup(sheet: Any, where: str, problems: ProblemLog) -> Lookup:
    out = Lookup({}, {})
    rows = table(
        sheet,
        L.LOOKUP_FIELDS,
        "smelter look-up",
        where,
        problems,
        positions=L.LOOKUP_POSITIONS,
        header_row=L.LOOKUP_HEADER_ROW,
        optional=True,
    )
    for r, v in rows:
        if not is_ree(v.get("metal", "")):
            out.other_metals += 1
            continue
        alias = v.get("lookup", "")
        if not alias or alias.lower() in L.NOT_A_SMELTER:
            continue
        known = KnownSmelter(
            r,
            alias,
            v.get("name") or alias,
            v.get("country", ""),
            v.get("smelter_id", ""),
            v.get("id_source", ""),
            v.get("city", ""),
        )
        out.by_alias.setdefault(alias.lower(), known)
        if known.smelter_id:
            out.by_id.setdefault(known.smelter_id.upper(), known)
    return out


# --------------------------------------------------------------------------- mines


@dataclass(frozen=True, slots=True)
class Mine:
    """A rare-earth mine named in an AMRT (Mine List, or a Smelter List row)."""

    sheet: str  #: "Mine List" or "Smelter List"
    row: int
    name: str
    country: str  #: ISO 3166-1 alpha-2
    mine_id: str
    id_source: str
    city: str
    smelters: tuple[str, ...]  #: smelter names as written (the smelters it feeds)


def read_mines(
    sheet: Any, where: str, problems: ProblemLog, countries: dict[str, str]
) -> tuple[list[Mine], int]:
    """The Rare Earth Elements rows of the Mine List, and how many rows were for other
    metals."""
    mines: list[Mine] = []
    other = 0
    rows = table(
        sheet,
        L.MINE_FIELDS,
        "metal",
        where,
        problems,
        positions=L.MINE_POSITIONS,
        header_row=L.MINE_HEADER_ROW,
        optional=True,
    )
    for r, v in rows:
        if not is_ree(v.get("metal", "")):
            other += 1
            continue
        name = v.get("name", "")
        if not name:
            problems.append(Problem(where, r, L.MINE_COLUMNS[2], "value is required"))
            continue
        if name.lower() in L.NOT_A_MINE:
            continue
        country = v.get("country", "")
        if not country:
            problems.append(Problem(where, r, L.MINE_COLUMNS[5], "value is required"))
            continue
        try:
            code = country_code(country, countries)
        except ValueError as exc:
            problems.append(Problem(where, r, L.MINE_COLUMNS[5], str(exc)))
            continue
        mine_id = v.get("mine_id", "")
        if mine_id:
            try:
                mine_id = columns.ident(mine_id)
            except ValueError as exc:
                problems.append(Problem(where, r, L.MINE_COLUMNS[3], str(exc)))
                continue
        smelters = tuple(s for s in (v.get("smelters", ""),) if s)
        source, city = v.get("id_source", ""), v.get("city", "")
        mines.append(Mine("Mine List", r, name, code, mine_id, source, city, smelters))
    return mines, other


def smelter_row_mines(
    row: int, smelter: str, values: dict[str, str], countries: dict[str, str]
) -> tuple[Mine | None, list[str], str]:
    """What a Smelter List row says of its mines: (one mine, or ``None``; the ISO codes
    of the countries it names; a note when something was not used)."""
    names = values.get("mine_names", "").strip()
    stated = values.get("mine_countries", "").strip()
    recycled = values.get("recycled", "").strip().lower()
    if names.lower() in ("recycled", "scrap") or recycled == "yes":
        return None, [], f"{smelter}: feedstock stated as recycled or scrap (row {row})"
    codes: list[str] = []
    unread: list[str] = []
    for part in re.split(r"[;,/\n]+", stated) if stated else []:
        part = part.strip()
        if not part or part.lower() in L.NOT_A_MINE:
            continue
        try:
            codes.append(country_code(part, countries))
        except ValueError:
            unread.append(part)
    note = ""
    if unread:
        note = f"{smelter}: mine country {clip(', '.join(unread))} not recognised (row {row})"
    single = names and names.lower() not in L.NOT_A_MINE and ";" not in names and "\n" not in names
    if single and len(codes) == 1 and not unread:
        return Mine("Smelter List", row, names, codes[0], "", "", "", (smelter,)), codes, note
    if names and not note and names.lower() not in L.NOT_A_MINE:
        note = (
            f"{smelter}: mines {clip(names)} stated with countries {', '.join(codes) or 'none'}; "
            f"recorded as the smelter's mine countries only (row {row})"
        )
    return None, codes, note
