"""Reader for the UK's Consolidated List of Financial Sanctions Targets as HM Treasury's
Office of Financial Sanctions Implementation (OFSI) publishes it (``--format uk``),
as a workbook (``ConList.xlsx``) or as CSV (``ConList.csv``), in the layout OFSI uses
for both:

- a first row ``Last Updated`` with the date (dd/mm/yyyy): the version date;
- a header row: ``Name 6, Name 1 .. Name 5, Title, Name Non-Latin Script, ...,
  DOB, Town of Birth, Country of Birth, Nationality, Passport Number, ...,
  National Identification Number, ..., Position, Address 1 .. Address 6,
  Post/Zip Code, Country, Other Information, Group Type, Alias Type, Alias Quality,
  Regime, Listed On, UK Sanctions List Date Designated, Last Updated, Group ID``;
- one row per name of a party: the rows of one party share its ``Group ID``.

Each group becomes one entry:

- key: the ``Group ID``;
- name: ``Name 1`` to ``Name 5`` then ``Name 6`` (the surname; an entity's or ship's
  whole name) of its ``Primary name`` row; aliases: the names of its other rows
  (``Primary name variation``, ``AKA``, ``FKA``) and every ``Name Non-Latin Script``.
  Aliases OFSI marks ``Low quality`` are **not** matched: they are kept in the remarks
  and counted in the import notes (as for the UN list, whose "Low" aliases they are);
- type: ``Group Type`` (Individual, Entity, Ship); programmes: ``Regime``;
- countries: ``Nationality`` and the address ``Country`` as ISO codes (several
  written "(1) Central African Republic. (2) Chad"); a name with no code is kept in
  the remarks and counted;
- ids: passport and national identification numbers ("(1) 223611 (2) C00146605"),
  and from ``Other Information`` the UN reference ("(UN Ref):QDi.292", which the UN
  and US lists carry too), the business registration number and a ship's IMO number;
- dates of birth: each ``DOB`` (dd/mm/yyyy, "00" where the day or month is not known)
  in ``dates_of_birth`` (``screening.births``); one that is not a date stays in the
  remarks and is named in the notes;
- the rest (UK Sanctions List reference, title, position, places of birth, listing
  dates, the statement of reasons) in the remarks.

The file is outside data: a workbook is checked (unpacked size, macros, rows and
cells) before it is parsed, cells are bounded, control characters refused, and every
problem is reported with file, row and column; nothing is returned unless the file is
clean.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from raretrace.domain.screening import ListEntry
from raretrace.errors import Problem
from raretrace.screening.births import read_birth
from raretrace.screening.ids import normalise_id
from raretrace.services.formats.file_bounds import ProblemLog, clip, control_character, scan_xlsx
from raretrace.services.formats.list_counts import ListCounts

SOURCE = "UK HM Treasury OFSI Consolidated List"
#: The header OFSI's files carry, in order.
COLUMNS = (
    "Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title",
    "Name Non-Latin Script", "Non-Latin Script Type", "Non-Latin Script Language",
    "DOB", "Town of Birth", "Country of Birth", "Nationality", "Passport Number",
    "Passport Details", "National Identification Number",
    "National Identification Details", "Position", "Address 1", "Address 2",
    "Address 3", "Address 4", "Address 5", "Address 6", "Post/Zip Code", "Country",
    "Other Information", "Group Type", "Alias Type", "Alias Quality", "Regime",
    "Listed On", "UK Sanctions List Date Designated", "Last Updated", "Group ID",
)  # fmt: skip
#: Columns a file must have to be read (the rest are optional).
REQUIRED = ("Name 6", "Group ID", "Group Type", "Alias Type")
GROUP_TYPES = {"individual": "Individual", "entity": "Entity", "ship": "Ship"}
_NUMBERED = re.compile(r"\(\d+\)")
#: "(UN Ref):QDi.292" and the like in ``Other Information``
_TAGGED = re.compile(r"\(([^()]{2,40})\):\s*")
_ID_TAGS = {"un ref": "un_ref", "business reg no": "registration", "imo number": "imo"}
#: parts of a "Business Reg No" text: "(1) OGRN: 1027700456024 (2) INN: 7725075060",
#: "1117746568829 (Russia). Tax ID No. 7743141413 (Russia)"
_REG_PARTS = re.compile(r"\(\d+\)|\.\s+(?=[A-Z])|;")
_TOKEN = re.compile(r"[A-Za-z0-9]+")
#: labels in a "Business Reg No" part -> scheme (first found wins); None: a number
#: that does not name the company (a Russian KPP is a branch's tax code, OKTMO a place)
_REG_LABELS: tuple[tuple[str, str | None], ...] = (
    ("ogrn", "ogrn"), ("inn", "inn"), ("kpp", None), ("oktmo", None), ("okpo", None),
    ("swift", None), ("tin", "tax"), ("tax", "tax"),
)  # fmt: skip
_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


@dataclass(slots=True)
class UkList:
    entries: list[ListEntry]
    notes: list[str]
    published: date | None = None  #: the file's "Last Updated" date


@dataclass(slots=True)
class _Group:
    row: int
    kind: str
    primary: str = ""
    names: list[str] = field(default_factory=list)
    low: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    ids: list[tuple[str, str]] = field(default_factory=list)
    births: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Counts(ListCounts):
    only_low: list[str] = field(default_factory=list)  #: groups with no other name


def is_uk_header(cells: list[str]) -> bool:
    """Whether a row is OFSI's header (``Name 6`` ... ``Group ID``): most of its columns,
    so that a header missing one is still read as one and the column named."""
    return len({c.strip() for c in cells} & set(COLUMNS)) * 2 > len(COLUMNS)


def _open_workbook(path: Path) -> Any:
    import openpyxl  # only here: a CSV import need not load it

    return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)


def is_uk_workbook(path: Path) -> bool:
    """Whether a workbook's first sheet holds OFSI's header in its first two rows
    (checked for size and macros first; a refused workbook is not the OFSI list)."""
    if scan_xlsx(path, str(path), []) is None:
        return False
    try:
        book = _open_workbook(path)
    except Exception:
        return False
    try:
        rows = book.worksheets[0].iter_rows(max_row=2, values_only=True)
        return any(is_uk_header([_cell(v) for v in row]) for row in rows)
    finally:
        book.close()


def read_uk_xlsx(path: Path, problems: ProblemLog, max_cell: int) -> UkList:
    """Entries of OFSI's workbook (the first sheet)."""
    file = str(path)
    if scan_xlsx(path, file, problems) is None:
        return UkList([], [])
    try:
        book = _open_workbook(path)
    except Exception as exc:
        problems.append(Problem(file, None, None, f"not a readable workbook: {exc}"))
        return UkList([], [])
    try:
        rows = (
            (i, [_cell(v) for v in values])
            for i, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1)
        )
        return _read(rows, file, problems, max_cell)
    finally:
        book.close()


def read_uk_csv(lines: Iterator[str], file: str, problems: ProblemLog, max_cell: int) -> UkList:
    """Entries of OFSI's CSV file."""
    csv.field_size_limit(max_cell)
    rows = enumerate(csv.reader(lines), start=1)
    try:
        return _read(rows, file, problems, max_cell)
    except csv.Error as exc:
        problems.append(Problem(file, None, None, f"malformed CSV: {exc}"))
        return UkList([], [])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # a date cell, where a workbook was re-saved
        return value.strftime("%d/%m/%Y")
    return str(value)


def _read(
    rows: Iterator[tuple[int, list[str]]], file: str, problems: ProblemLog, max_cell: int
) -> UkList:
    published: date | None = None
    header: list[str] | None = None
    for row_no, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        first = cells[0].strip().lower()
        if first == "last updated" and header is None:
            published = _date(
                cells[1] if len(cells) > 1 else "", file, row_no, "Last Updated", problems
            )
            continue
        if is_uk_header(cells):
            header = [c.strip() for c in cells]
            break
        msg = "expected OFSI's 'Last Updated' row, then its header (Name 6, Name 1, ..., Group ID)"
        problems.append(Problem(file, row_no, None, msg))
        return UkList([], [])
    if header is None:
        problems.append(Problem(file, None, None, "no header row (Name 6, ..., Group ID)"))
        return UkList([], [])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.append(Problem(file, row_no, missing[0], "required column is missing"))
        return UkList([], [])
    for col in header:
        if col and col not in COLUMNS:
            problems.append(Problem(file, row_no, col, "unknown column for the OFSI list"))
    if problems:
        return UkList([], [])
    groups: dict[str, _Group] = {}
    counts = _Counts()
    for row_no, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.append(Problem(file, row_no, None, "more cells than header columns"))
            continue
        row = {
            h: " ".join(cells[i].split()) if i < len(cells) else "" for i, h in enumerate(header)
        }
        if _bad_cells(row, file, row_no, problems, max_cell):
            continue
        _add_row(row, groups, file, row_no, problems, counts)
    entries = [_entry(gid, g, counts) for gid, g in groups.items()]
    notes = counts.notes(script="a non-Latin script", quality="'Low quality'")
    if counts.only_low:
        groups_ = ", ".join(counts.only_low)
        notes.append(f"groups with only 'Low quality' names, screened under the first: {groups_}")
    return UkList(entries, notes, published)


def _bad_cells(
    row: dict[str, str], file: str, row_no: int, problems: ProblemLog, max_cell: int
) -> bool:
    for col, value in row.items():
        if len(value) > max_cell:
            msg = f"cell of {len(value):,} characters, over the {max_cell:,} limit"
            problems.append(Problem(file, row_no, col, msg))
            return True
        bad = control_character(value)
        if bad:
            problems.append(Problem(file, row_no, col, bad))
            return True
    return False


def _date(text: str, file: str, row_no: int, col: str, problems: ProblemLog) -> date | None:
    """A dd/mm/yyyy date (OFSI's own dates; not dates of birth, which may be partial)."""
    t = text.strip()
    if not t:
        return None
    m = _DATE.match(t)
    try:
        if m is None:
            raise ValueError
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        problems.append(Problem(file, row_no, col, f"{clip(t)} is not a dd/mm/yyyy date"))
        return None


def _name(row: dict[str, str]) -> str:
    parts = [row.get(f"Name {i}", "") for i in (1, 2, 3, 4, 5)] + [row.get("Name 6", "")]
    return " ".join(p for p in parts if p)


def _numbered(cell: str) -> list[str]:
    """The values of a cell OFSI numbers when several: "(1) 223611 (2) C00146605"."""
    return [v.strip(" .;,") for v in _NUMBERED.split(cell) if v.strip(" .;,")]


def _add_row(
    row: dict[str, str],
    groups: dict[str, _Group],
    file: str,
    row_no: int,
    problems: ProblemLog,
    counts: _Counts,
) -> None:
    gid = row["Group ID"]
    if not gid:
        problems.append(Problem(file, row_no, "Group ID", "empty Group ID"))
        return
    kind = GROUP_TYPES.get(row.get("Group Type", "").lower())
    if kind is None:
        expected = ", ".join(GROUP_TYPES.values())
        msg = f"{clip(row.get('Group Type', ''))} is not a group type ({expected})"
        problems.append(Problem(file, row_no, "Group Type", msg))
        return
    g = groups.setdefault(gid, _Group(row_no, kind))
    if g.kind != kind:
        msg = f"group {gid} is {g.kind} at row {g.row} and {kind} here"
        problems.append(Problem(file, row_no, "Group Type", msg))
        return
    name = _name(row)
    alias_type = row.get("Alias Type", "").lower()
    if not name:
        problems.append(Problem(file, row_no, "Name 6", f"group {gid}: empty name"))
        return
    native = row.get("Name Non-Latin Script", "")
    if row.get("Alias Quality", "").lower().startswith("low"):  # its non-Latin name too
        for low in (name, native):
            if low and low not in g.low:
                counts.low_aliases += 1
                g.low.append(low)
    else:
        if alias_type == "primary name" and not g.primary:
            g.primary = name
        else:
            g.names.append(name)
        if native and native not in g.names:
            counts.own_script += 1
            g.names.append(native)
    for col in ("Nationality", "Country"):
        for country in _numbered(row.get(col, "")):
            code = counts.country(country)
            if code is None:
                g.remarks.append(f"{col.lower()}: {country}")
            else:
                g.countries.append(code)
    address = ", ".join(
        row[c]
        for c in (*(f"Address {i}" for i in range(1, 7)), "Post/Zip Code", "Country")
        if row.get(c)
    )
    if address:
        g.addresses.append(address)
    if row.get("Regime"):
        g.programs.append(row["Regime"])
    for col, scheme in (
        ("Passport Number", "passport"),
        ("National Identification Number", "national_id"),
    ):
        for number in _numbered(row.get(col, "")):
            value = normalise_id(number)
            if len(value) >= 4 and any(ch.isdigit() for ch in value):
                g.ids.append((scheme, value))
    other = row.get("Other Information", "")
    tags = list(_TAGGED.finditer(other))
    for i, m in enumerate(tags):
        tag = _ID_TAGS.get(m.group(1).strip().lower())
        end = tags[i + 1].start() if i + 1 < len(tags) else len(other)
        value = other[m.end() : end].strip(" .;,")
        if tag == "registration":
            g.ids += _registration_ids(value)
        elif tag and value:
            number = normalise_id(value.split()[0])
            if any(ch.isdigit() for ch in number):
                g.ids.append((tag, number))
    dob = row.get("DOB", "")
    if dob:
        found = read_birth(dob)
        if found is not None:
            g.births.append(found)
        elif dob not in g.remarks:
            counts.bad_dates.append(f"row {row_no} DOB (group {gid}): {clip(dob)}")
            g.remarks.append(f"born {dob}")
    for col, label in (
        ("Title", "title"),
        ("Position", "position"),
        ("Town of Birth", "born in"),
        ("Country of Birth", "country of birth"),
        ("Passport Details", "passport"),
        ("National Identification Details", "national ID"),
        ("Listed On", "listed on"),
        ("UK Sanctions List Date Designated", "designated"),
        ("Other Information", ""),
    ):
        value = row.get(col, "")
        if value:
            g.remarks.append(f"{label} {value}" if label else value)


def _registration_ids(text: str) -> list[tuple[str, str]]:
    """(scheme, number) of each number a "Business Reg No" text gives: OGRN and INN by
    their labels, tax numbers as ``tax``, unlabelled ones as ``registration``."""
    out = []
    for part in _REG_PARTS.split(text):
        tokens = _TOKEN.findall(part)
        number = next((t for t in tokens if sum(ch.isdigit() for ch in t) >= 4), "")
        if not number:
            continue
        words = {t.lower() for t in tokens if t != number}
        scheme: str | None = "registration"
        for label, named in _REG_LABELS:
            if label in words:
                scheme = named
                break
        if scheme is not None:
            out.append((scheme, normalise_id(number)))
    return out


def _entry(gid: str, g: _Group, counts: _Counts) -> ListEntry:
    names = list(dict.fromkeys(g.names))
    primary = g.primary or (names[0] if names else "")
    remarks = list(dict.fromkeys(g.remarks))
    if not primary:  # only low-quality names: the first is screened rather than none
        primary = g.low.pop(0)
        counts.only_low.append(gid)
    remarks += [f"low-quality alias: {n}" for n in dict.fromkeys(g.low)]
    return ListEntry(
        entry_key=gid,
        name=primary,
        aliases=tuple(n for n in names if n != primary),
        countries=tuple(dict.fromkeys(g.countries)),
        addresses=tuple(dict.fromkeys(g.addresses)),
        programs=tuple(dict.fromkeys(g.programs)),
        entity_type=g.kind,
        source=SOURCE,
        remarks="; ".join(remarks),
        ids=tuple(dict.fromkeys(g.ids)),
        dates_of_birth=tuple(dict.fromkeys(g.births)),
    )


__all__ = [
    "COLUMNS",
    "SOURCE",
    "UkList",
    "is_uk_header",
    "is_uk_workbook",
    "read_uk_csv",
    "read_uk_xlsx",
]
