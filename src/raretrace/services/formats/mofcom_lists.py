"""Reader for China's party lists (``--format mofcom``), with each entry's list kind.

Two CSV layouts are read, told apart by their header:

- **raretrace's simple layout**: ``name`` required; optional ``id, name_zh, aliases,
  country, address, programs, remarks, list_kind, announcement, date, source_url``.
  ``list_kind`` names the list as the source does (Export Control List / Control List /
  管控名单, Watch List / 关注名单, Unreliable Entity List / 不可靠实体清单,
  countermeasure list / 反制清单) or by kind (control, watch, unreliable,
  countermeasure). The shipped file ``sample/lists/mofcom_designations.csv`` uses it.
- **OpenSanctions' ``cn_sanctions`` source sheet** (``Type, QID, Name, Alias, Chinese
  name, Country, Topics, Summary, Chinese summary, Body, List, Date, End date, Source
  URL``, later also ``Address``): ``List`` holds the list ("List of Export Controls",
  "Export Control Watch List", "UEL", "AFSL", "List of Targets of Countermeasures",
  the Taiwan Affairs Office's 'Diehard "Taiwan Independence" Separatists' and
  'Henchmen and Accomplices of "Taiwan Independence"', ...), ``Country`` holds
  ISO codes or English country names (mapped to ISO codes; "EU" is kept). A row
  without a Wikidata id is keyed by its name *and* list, date and source, so the same
  name on two lists stays two entries (never merged by name across lists); a row
  that repeats an entry already read is counted and named in the import notes.

Every problem is reported with file, row and column, and nothing is returned unless
the whole file is clean.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from functools import lru_cache

import pycountry

from raretrace.domain.screening import LIST_KINDS, ListEntry, list_kind_of
from raretrace.domain.uscc import validate_uscc
from raretrace.errors import Problem
from raretrace.services.formats.keyed_entries import KeyedEntries

SIMPLE_COLUMNS = (
    "id",
    "name",
    "name_zh",
    "aliases",
    "country",
    "address",
    "programs",
    "remarks",
    "list_kind",
    "announcement",
    "date",
    "source_url",
    "uscc",
)
CN_SANCTIONS_COLUMNS = (
    "Type",
    "QID",
    "Name",
    "Alias",
    "Chinese name",
    "Country",
    "Topics",
    "Summary",
    "Chinese summary",
    "Body",
    "List",
    "Date",
    "End date",
    "Source URL",
    "Address",  # in the sheet as of commit f33cff23 (2026-08-22), not in older copies
)
#: Country codes that are not ISO 3166 countries but appear on the lists.
_NON_ISO = frozenset({"EU"})
#: Names pycountry does not resolve by itself, as they appear in sources.
_COUNTRY_ALIASES = {
    "taiwan": "TW",
    "hong kong": "HK",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "czech republic": "CZ",
    "european union": "EU",
    # names the UN consolidated list writes that pycountry does not resolve
    "democratic republic of the congo": "CD",
    "turkey": "TR",
    "the netherlands": "NL",
    "hong kong special administrative region": "HK",
    "libyan arab jamahiriya": "LY",
    "state of palestine": "PS",
    "palestinian territories": "PS",
    # names the UK's OFSI consolidated list writes that pycountry does not resolve
    "congo (democratic republic)": "CD",
    "occupied palestinian territories": "PS",
    "the gambia": "GM",
    "burma": "MM",
    "ivory coast": "CI",
    "macau": "MO",
    "dprk": "KP",
    "palestine": "PS",
    "uk": "GB",
    "britain": "GB",
    "bosnia-herzegovina": "BA",
    "cape verde": "CV",
    "guinea bissau": "GW",
}
#: "Iran (Islamic Republic of)", "Iraq (previous address)": a name with a bracket
_BRACKETED = re.compile(r"^(.*?)\s*\((.+)\)$")


def uscc_ids(
    cell: str, file: str, row_no: int, problems: list[Problem]
) -> tuple[tuple[str, str], ...]:
    """The ``uscc`` column: unified social credit codes (``;``-separated), checked."""
    out = []
    for code in _split(cell):
        try:
            out.append(("uscc", validate_uscc(code)))
        except ValueError as exc:
            problems.append(Problem(file, row_no, "uscc", str(exc)))
    return tuple(out)


def _split(cell: str | None) -> tuple[str, ...]:
    if not cell:
        return ()
    return tuple(dict.fromkeys(p.strip() for p in cell.split(";") if p.strip()))


def _fingerprint(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


@lru_cache(maxsize=512)
def country_code(text: str) -> str | None:
    """ISO 3166 alpha-2 code for a code or an English country name (None: unknown)."""
    t = text.strip()
    if not t:
        return None
    if len(t) == 2 and t.isalpha():
        up = t.upper()
        if up in _NON_ISO or pycountry.countries.get(alpha_2=up) is not None:
            return up
        return _COUNTRY_ALIASES.get(t.lower())  # "UK" is GB
    alias = _COUNTRY_ALIASES.get(t.lower())
    if alias:
        return alias
    try:
        return str(pycountry.countries.lookup(t).alpha_2)
    except LookupError:
        pass
    if m := _BRACKETED.match(t):
        # "Iran (Islamic Republic of)" reads "Iran, Islamic Republic of"; a bracket that
        # starts in lower case is a note ("Iraq (previous address)", "Russian Federation
        # (as at November 2010)") and is left out; a capitalised one is part of the name
        # and never dropped ("Congo (Democratic Republic)" is not the Congo)
        head, inner = m.group(1), m.group(2)
        code = country_code(f"{head}, {inner}") if head else None
        if code is None and head and inner[:1].islower():
            code = country_code(head)
        return code
    return None


def is_cn_sanctions(header: list[str]) -> bool:
    return "Name" in header and "List" in header and "name" not in header


def read_rows(
    rows: Iterator[tuple[int, dict[str, str]]],
    header: list[str],
    file: str,
    problems: list[Problem],
    notes: list[str],
) -> list[ListEntry]:
    """Entries from the data rows of either layout (header already checked); rows that
    repeat an entry already read are counted in ``notes``, by row number."""
    cn = is_cn_sanctions(header)
    allowed = CN_SANCTIONS_COLUMNS if cn else SIMPLE_COLUMNS
    for col in header:
        if col not in allowed:
            problems.append(Problem(file, 1, col, f"unknown column; expected {', '.join(allowed)}"))
    if not cn and "name" not in header:
        problems.append(Problem(file, 1, "name", "required column is missing"))
        return []
    entries = KeyedEntries()
    for row_no, row in rows:
        entry = (
            _cn_entry(row, file, row_no, problems) if cn else _entry(row, file, row_no, problems)
        )
        if entry is not None:
            entries.add(entry, row_no)
    key = "the same QID and list" if cn else "the same id, or name, list, notice and date"
    notes += entries.notes(key)
    return entries.entries


def _countries(
    cell: str, file: str, row_no: int, col: str, problems: list[Problem]
) -> tuple[str, ...]:
    out: list[str] = []
    for part in _split(cell):
        code = country_code(part)
        if code is None:
            problems.append(Problem(file, row_no, col, f"not a country code or name: {part!r}"))
            continue
        out.append(code)
    return tuple(dict.fromkeys(out))


def _kind(text: str, file: str, row_no: int, col: str, problems: list[Problem]) -> str:
    kind = list_kind_of(text)
    if kind is None:
        names = ", ".join(k for k in LIST_KINDS if k != "export_control")
        names += " (or the list's name as published)"
        problems.append(Problem(file, row_no, col, f"unknown list {text!r}; use {names}"))
        return ""
    return kind


def _entry(
    row: dict[str, str], file: str, row_no: int, problems: list[Problem]
) -> ListEntry | None:
    if not row.get("name"):
        problems.append(Problem(file, row_no, "name", "empty name"))
        return None
    n = len(problems)
    countries = _countries(row.get("country", ""), file, row_no, "country", problems)
    kind = _kind(row.get("list_kind", ""), file, row_no, "list_kind", problems)
    if not kind and "list_kind" not in row:
        # older files name the list in ``programs`` ("Control List", "Watch List")
        kinds = {k for p in _split(row.get("programs")) if (k := list_kind_of(p))}
        kind = kinds.pop() if len(kinds) == 1 else ""
    ids = uscc_ids(row.get("uscc", ""), file, row_no, problems)
    if len(problems) > n:
        return None
    key = row.get("id") or _fingerprint(
        row["name"], row.get("name_zh", ""), kind, row.get("announcement", ""), row.get("date", "")
    )
    remarks = "; ".join(
        x
        for x in (
            row.get("remarks", ""),
            row.get("announcement", ""),
            f"listed {row['date']}" if row.get("date") else "",
            row.get("source_url", ""),
        )
        if x
    )
    return ListEntry(
        entry_key=key,
        name=row["name"],
        aliases=(*_split(row.get("name_zh")), *_split(row.get("aliases"))),
        countries=countries,
        addresses=_split(row.get("address")),
        programs=_split(row.get("programs")) or _split(row.get("announcement")),
        source=row.get("announcement", ""),
        remarks=remarks[:2000],
        list_kind=kind,
        ids=ids,
    )


def _cn_entry(
    row: dict[str, str], file: str, row_no: int, problems: list[Problem]
) -> ListEntry | None:
    name = row.get("Name", "")
    if not name:
        problems.append(Problem(file, row_no, "Name", "empty name"))
        return None
    n = len(problems)
    countries = _countries(row.get("Country", ""), file, row_no, "Country", problems)
    listed = row.get("List", "")
    kind = _kind(listed, file, row_no, "List", problems) if listed else ""
    if not kind and "sanction.counter" in row.get("Topics", ""):
        kind = "countermeasure"
    if len(problems) > n:
        return None
    qid = row.get("QID", "")
    key = (
        f"{qid}:{kind or listed}"
        if qid
        else _fingerprint(name, listed, row.get("Date", ""), row.get("Source URL", ""))
    )
    remarks = "; ".join(
        x
        for x in (
            row.get("Summary", ""),
            row.get("Body", ""),
            f"listed {row['Date']}" if row.get("Date") else "",
            f"ended {row['End date']}" if row.get("End date") else "",
            row.get("Source URL", ""),
        )
        if x
    )
    return ListEntry(
        entry_key=key,
        name=name,
        aliases=(*_split(row.get("Chinese name")), *_split(row.get("Alias"))),
        countries=countries,
        addresses=_split(row.get("Address")),
        programs=(listed,) if listed else (),
        entity_type=row.get("Type", ""),
        source=row.get("Body", ""),
        remarks=remarks[:2000],
        list_kind=kind,
    )


def ftm_list_kind(obj: dict[str, object]) -> tuple[list[str], str] | None:
    """For an FtM ``Sanction`` (as OpenSanctions' ``cn_sanctions`` publishes them): the
    sanctioned entity ids and the list kind its ``programId`` / ``program`` names
    ("List of Export Controls" -> control, "Export Control Watch List" -> watch,
    CN-UEL -> unreliable, CN-AFSL / CN-CML -> countermeasure). None otherwise."""
    if obj.get("schema") != "Sanction":
        return None
    props = obj.get("properties")
    if not isinstance(props, dict):
        return None

    def values(key: str) -> list[str]:
        v = props.get(key)
        return [x for x in v if isinstance(x, str)] if isinstance(v, list) else []

    for text in (*values("program"), *values("programId")):
        kind = list_kind_of(text)
        if kind:
            return values("entity"), kind
    return None


def read_mofcom(
    lines: Iterator[str], file: str, problems: list[Problem], max_cell: int
) -> tuple[list[ListEntry], list[str]]:
    """Read a MOFCOM list CSV (either layout) from its text lines: the entries, and
    notes on what was read but not kept."""
    reader = csv.DictReader(lines)
    csv.field_size_limit(max_cell)
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        problems.append(Problem(file, 1, None, f"not a CSV header: {exc}"))
        return [], []
    reader.fieldnames = header

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        row_no = 1
        try:
            for row_no, raw in enumerate(reader, start=2):
                if None in raw:
                    problems.append(Problem(file, row_no, None, "more cells than header columns"))
                    continue
                row = {k: (v or "").strip() for k, v in raw.items()}
                if any(row.values()):
                    yield row_no, row
        except csv.Error as exc:
            problems.append(Problem(file, row_no + 1, None, f"malformed CSV: {exc}"))

    notes: list[str] = []
    return read_rows(rows(), header, file, problems, notes), notes


__all__ = [
    "CN_SANCTIONS_COLUMNS",
    "SIMPLE_COLUMNS",
    "country_code",
    "ftm_list_kind",
    "read_mofcom",
    "uscc_ids",
]
