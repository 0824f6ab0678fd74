"""Readers for restricted-party lists in the formats they are published in.

- ``csl``: the US Consolidated Screening List CSV (data.trade.gov), columns as
  published (``source, entity_number, type, programs, name, title, addresses, ...,
  license_requirement, license_policy, ..., alt_names, citizenships, ...``); multi-
  valued cells are separated by ``;``.
- ``ftm``: FollowTheMoney entities as JSON lines, as published by OpenSanctions
  (``{"id", "schema", "properties": {"name": [...], "alias": [...], "country": [...]}}``).
  Party-like schemata are read (``caption`` first); ``Ownership`` records make parties
  >= 50 % owned by a listed one entries; ``Sanction`` and ``Address`` records are
  attached to their party; identifier properties (``uscCode``, ``leiCode``,
  ``imoNumber``, ``registrationNumber``, ...) become the entry's ``ids``, ``birthDate``
  its ``dates_of_birth``;
  ``"target": false`` parties are not entries; the rest is
  counted in the ``notes`` of the result.
- ``mofcom``: China's lists with each entry's list kind (``services.formats.mofcom_lists``:
  raretrace's simple layout with ``list_kind``, or OpenSanctions' ``cn_sanctions``
  source sheet).
- ``un``: the UN Security Council Consolidated List XML (``services.formats.un_list``).
- ``uk``: the UK OFSI Consolidated List, workbook or CSV (``services.formats.uk_list``).
- ``internal``: a simple CSV, ``name`` required, optional ``id, name_zh, aliases,
  country, address, programs, remarks, uscc`` (see ``SIMPLE_COLUMNS``).

Input files are outside data: every problem is reported with file, row and column,
and nothing is returned unless the whole file is clean.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from raretrace.domain.screening import ListEntry, ListFormat
from raretrace.errors import InputError, Problem
from raretrace.screening.births import read_birth
from raretrace.screening.ids import FTM_ID_PROPERTIES, csl_ids_left, normalise_id, parse_csl_ids
from raretrace.services.formats.file_bounds import ProblemLog, TooManyProblems
from raretrace.services.formats.keyed_entries import KeyedEntries
from raretrace.services.formats.list_counts import bad_dates_note
from raretrace.services.formats.mofcom_lists import SIMPLE_COLUMNS as MOFCOM_COLUMNS
from raretrace.services.formats.mofcom_lists import (
    ftm_list_kind,
    is_cn_sanctions,
    read_mofcom,
    uscc_ids,
)
from raretrace.services.formats.uk_list import (
    is_uk_header,
    is_uk_workbook,
    read_uk_csv,
    read_uk_xlsx,
)
from raretrace.services.formats.un_list import MAX_XML_BYTES, read_un

#: Largest list file accepted (the full CSL is ~10 MB, OpenSanctions' default ~1 GB).
MAX_FILE_BYTES = 512 * 1024 * 1024
#: Most entries one list may hold.
MAX_ENTRIES = 2_000_000
#: Longest cell accepted, in characters.
MAX_CELL = 100_000

SIMPLE_COLUMNS = (
    "id",
    "name",
    "name_zh",
    "aliases",
    "country",
    "address",
    "programs",
    "remarks",
    "uscc",
)

#: FtM schemata that describe a party that can be screened.
FTM_PARTY_SCHEMATA = frozenset(
    {
        "Thing",
        "LegalEntity",
        "Company",
        "Organization",
        "PublicBody",
        "Person",
        "Vessel",
        "Airplane",
        "Asset",
    }
)

_COUNTRY_TAIL = re.compile(r",\s*([A-Z]{2})\s*$")
_ISO2 = re.compile(r"^[A-Za-z]{2}$")


@dataclass(frozen=True, slots=True)
class ParsedList:
    entries: list[ListEntry]
    skipped: int  #: records of other kinds (FtM relations) that were not read
    notes: tuple[str, ...] = ()  #: what else the file held and what was done with it
    published: date | None = None  #: the date the file says it was published, if any


def _split(cell: str | None) -> tuple[str, ...]:
    if not cell:
        return ()
    return tuple(dict.fromkeys(p.strip() for p in cell.split(";") if p.strip()))


def _fingerprint(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise InputError(f"{path}: no such file", [Problem(str(path), None, None, "not found")])
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        msg = f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
        raise InputError(f"{path}: too large", [Problem(str(path), None, None, msg)])


def _lines(path: Path) -> Iterator[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            yield from fh
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        raise InputError(f"{path}: cannot be read", [Problem(str(path), None, None, msg)]) from None


def read_list(path: Path, fmt: ListFormat) -> ParsedList:
    """Read and validate a list file; raises ``InputError`` with every located problem."""
    _check_file(path)
    problems = ProblemLog()  # at most MAX_PROBLEMS kept, the rest counted
    try:
        if fmt is ListFormat.MOFCOM:
            entries, notes = read_mofcom(_lines(path), str(path), problems, MAX_CELL)
            parsed = ParsedList(entries, 0, tuple(notes))
        elif fmt is ListFormat.UN:
            parsed = _read_un(path, problems)
        elif fmt is ListFormat.UK:
            parsed = _read_uk(path, problems)
        else:
            reader = _read_ftm if fmt is ListFormat.FTM else _read_csv_as(fmt)
            parsed = reader(path, problems)
    except TooManyProblems:
        parsed = ParsedList([], 0)
    if len(parsed.entries) > MAX_ENTRIES:
        problems.append(Problem(str(path), None, None, f"more than {MAX_ENTRIES:,} entries"))
    if problems:
        raise InputError(
            f"{path}: the list has {len(problems)} problem(s); nothing was imported",
            problems.problems(str(path)),
        )
    if not parsed.entries:
        raise InputError(
            f"{path}: no entries", [Problem(str(path), None, None, "the file has no entries")]
        )
    return parsed


#: Columns only the CSL export has (``--format csl``).
_CSL_ONLY = frozenset({"entity_number", "alt_names", "source_list_url", "standard_order"})
#: Columns only raretrace's MOFCOM layout has beside the simple ones.
_MOFCOM_ONLY = frozenset(MOFCOM_COLUMNS) - frozenset(SIMPLE_COLUMNS)


def detect_format(path: Path) -> ListFormat:
    """The format of a list file, told from its first 64 KiB: XML whose root is the UN's
    ``CONSOLIDATED_LIST`` (``un``), JSON objects (``ftm``), OFSI's "Last Updated" row
    and header, in a workbook or a CSV file (``uk``), or a CSV header: the CSL export's
    columns (``csl``), a list kind or OpenSanctions' ``cn_sanctions`` sheet
    (``mofcom``), only the simple columns (``internal``). Raises ``InputError`` when it
    cannot tell (then ``--format`` says it)."""
    _check_file(path)
    choices = ", ".join(f.value for f in ListFormat)
    if _is_zip(path):
        if is_uk_workbook(path):
            return ListFormat.UK
        msg = f"a workbook that is not the UK OFSI list; give --format ({choices})"
        raise InputError(f"{path}: {msg}", [Problem(str(path), None, None, msg)])
    with path.open("rb") as fh:
        head = fh.read(65536).decode("utf-8-sig", errors="replace").lstrip()
    if head.startswith("<"):
        if "<CONSOLIDATED_LIST" in head:
            return ListFormat.UN
        msg = f"XML that is not the UN consolidated list; give --format ({choices})"
        raise InputError(f"{path}: {msg}", [Problem(str(path), 1, None, msg)])
    if head.startswith("{"):
        return ListFormat.FTM
    first = head.splitlines()[0] if head else ""
    try:
        header = [h.strip() for h in next(csv.reader([first]))] if first else []
    except csv.Error:
        header = []
    cols = set(header)
    if header[:1] == ["Last Updated"] and len(head.splitlines()) > 1:
        second = next(csv.reader([head.splitlines()[1]]), [])
        if is_uk_header(second):
            return ListFormat.UK
    if cols & _CSL_ONLY:
        return ListFormat.CSL
    if cols & _MOFCOM_ONLY or is_cn_sanctions(header):
        return ListFormat.MOFCOM
    if "name" in cols and cols <= set(SIMPLE_COLUMNS):
        return ListFormat.INTERNAL
    msg = f"cannot tell the list's format from its first line; give --format ({choices})"
    raise InputError(f"{path}: {msg}", [Problem(str(path), 1, None, msg)])


def _is_zip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def _read_uk(path: Path, problems: ProblemLog) -> ParsedList:
    if _is_zip(path):
        uk = read_uk_xlsx(path, problems, MAX_CELL)
    else:
        uk = read_uk_csv(_lines(path), str(path), problems, MAX_CELL)
    return ParsedList(uk.entries, 0, tuple(uk.notes), uk.published)


def _read_un(path: Path, problems: list[Problem]) -> ParsedList:
    size = path.stat().st_size
    if size > MAX_XML_BYTES:
        msg = f"file is {size:,} bytes; the limit for a UN list is {MAX_XML_BYTES:,}"
        problems.append(Problem(str(path), None, None, msg))
        return ParsedList([], 0)
    un = read_un(path.read_bytes(), str(path), problems)
    return ParsedList(un.entries, 0, tuple(un.notes), un.published)


def _read_csv_as(fmt: ListFormat) -> Callable[[Path, list[Problem]], ParsedList]:
    def read(path: Path, problems: list[Problem]) -> ParsedList:
        return _read_csv(path, fmt, problems)

    return read


def _read_csv(path: Path, fmt: ListFormat, problems: list[Problem]) -> ParsedList:
    file = str(path)
    reader = csv.DictReader(_lines(path))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        problems.append(Problem(file, 1, None, f"not a CSV header: {exc}"))
        return ParsedList([], 0)
    header = [h.strip() for h in header]
    reader.fieldnames = header
    if "name" not in header:
        problems.append(Problem(file, 1, "name", "required column is missing"))
        return ParsedList([], 0)
    if fmt is not ListFormat.CSL:
        for col in header:
            if col not in SIMPLE_COLUMNS:
                expected = ", ".join(SIMPLE_COLUMNS)
                problems.append(Problem(file, 1, col, f"unknown column; expected {expected}"))
    entries = KeyedEntries()
    left = _Left()
    csv.field_size_limit(MAX_CELL)
    row_no = 1
    try:
        for row_no, raw in enumerate(reader, start=2):
            if None in raw:
                problems.append(Problem(file, row_no, None, "more cells than header columns"))
                continue
            row = {k: (v or "").strip() for k, v in raw.items()}
            if not any(row.values()):
                continue
            if not row.get("name"):
                problems.append(Problem(file, row_no, "name", "empty name"))
                continue
            entry: ListEntry | None
            if fmt is ListFormat.CSL:
                entry = _csl_entry(row, left.births(row, row_no))
                left.add(row)
            else:
                entry = _simple_entry(row, file, row_no, problems)
            if entry is not None:
                entries.add(entry, row_no)
    except csv.Error as exc:
        problems.append(Problem(file, row_no + 1, None, f"malformed CSV: {exc}"))
    key = (
        "the same entity_number, or source, name and addresses"
        if fmt is ListFormat.CSL
        else "the same id, or name and Chinese name"
    )
    return ParsedList(entries.entries, 0, (*left.notes(), *entries.notes(key)))


#: CSL columns of a person's identity that are not kept on an entry (places of birth:
#: not used in matching; dates of birth are kept, see ``screening.births``)
CSL_NOT_KEPT = ("places_of_birth",)


class _Left:
    """What CSL rows carry that no entry keeps, counted for the import report: the
    ``CSL_NOT_KEPT`` columns, dates of birth that are not dates, and the parts of the
    ``ids`` cell that are not numbers (websites, gender, directives), by label."""

    def __init__(self) -> None:
        self.columns: dict[str, int] = dict.fromkeys(CSL_NOT_KEPT, 0)
        self.ids: dict[str, int] = {}
        self.bad_dates: list[str] = []

    def births(self, row: dict[str, str], row_no: int) -> tuple[str, ...]:
        """The dates of birth of a row's ``dates_of_birth`` cell ("1965-03-12; 1966";
        also as lists write them: "circa 1951", "10 Dec 1948"), those that are not
        dates noted (row and column) and left out."""
        out = []
        for text in _split(row.get("dates_of_birth")):
            found = read_birth(text)
            if found is None:
                self.bad_dates.append(f"row {row_no} dates_of_birth: {text[:60]!r}")
            else:
                out.append(found)
        return tuple(dict.fromkeys(out))

    def add(self, row: dict[str, str]) -> None:
        for col in CSL_NOT_KEPT:
            self.columns[col] += bool(row.get(col))
        for label in csl_ids_left(row.get("ids", "")):
            self.ids[label] = self.ids.get(label, 0) + 1

    def notes(self) -> tuple[str, ...]:
        out = [
            f"{n} rows' {col} not kept (not used in matching)"
            for col, n in self.columns.items()
            if n
        ]
        out += bad_dates_note(self.bad_dates, " and were not kept")
        if self.ids:
            top = sorted(self.ids.items(), key=lambda t: (-t[1], t[0]))
            named = ", ".join(f"{label} {n}" for label, n in top[:8])
            more = f" and {len(top) - 8} other labels" if len(top) > 8 else ""
            out.append(
                f"{sum(self.ids.values())} parts of the ids column are not numbers and "
                f"were not kept: {named}{more}"
            )
        return tuple(out)


#: What CSL rows add to a name field that is not the name (ISN rows: "...; and any
#: successor, sub-unit, or subsidiary thereof"): moved to the remarks on import.
_CSL_NAME_CLAUSE = re.compile(
    r"\s*[;,]\s*and\s+any\s+(successors?|sub-units?|subsidiar(y|ies)).*$", re.IGNORECASE
)


def _csl_parts(cell: str | None) -> tuple[str, ...]:
    """A multi-valued CSL cell; BIS writes the last of several "; and ..." (addresses:
    "113 Hezuo Road, ..., China; and 21 Changsheng Street, ..., CN")."""
    return tuple(
        dict.fromkeys(
            p
            for p in (re.sub(r"^and\s+", "", part, flags=re.IGNORECASE) for part in _split(cell))
            if p
        )
    )


def _csl_entry(row: dict[str, str], births: tuple[str, ...] = ()) -> ListEntry:
    addresses = _csl_parts(row.get("addresses"))
    countries: list[str] = []
    for col in ("country", "citizenships", "nationalities"):
        countries.extend(c.upper() for c in _split(row.get(col)) if _ISO2.match(c))
    for address in addresses:
        if m := _COUNTRY_TAIL.search(address):
            countries.append(m.group(1))
        elif _ISO2.match(address):
            countries.append(address.upper())
    key = row.get("entity_number") or row.get("id") or row.get("_id")
    if not key:
        key = _fingerprint(row.get("source", ""), row["name"], row.get("addresses", ""))
    name, clause = row["name"], ""
    if (m := _CSL_NAME_CLAUSE.search(name)) and m.start() > 0:
        name, clause = name[: m.start()].strip(), m.group(0).strip(" ;,")
    remarks = "; ".join(
        r for r in (row.get("remarks", ""), f"listed as: ...{clause}" if clause else "") if r
    )
    return ListEntry(
        entry_key=key,
        name=name,
        aliases=_csl_parts(row.get("alt_names")),
        countries=tuple(dict.fromkeys(countries)),
        addresses=addresses,
        programs=_split(row.get("programs")),
        entity_type=row.get("type", ""),
        source=row.get("source", ""),
        license_policy=row.get("license_policy", ""),
        remarks=remarks,
        ids=parse_csl_ids(row.get("ids", "")),
        dates_of_birth=births,
    )


def _simple_entry(
    row: dict[str, str], file: str, row_no: int, problems: list[Problem]
) -> ListEntry | None:
    countries = _split(row.get("country"))
    bad = [c for c in countries if not _ISO2.match(c)]
    if bad:
        msg = f"not an ISO 3166 alpha-2 code: {', '.join(bad)}"
        problems.append(Problem(file, row_no, "country", msg))
        return None
    ids = uscc_ids(row.get("uscc", ""), file, row_no, problems)
    if row.get("uscc") and not ids:
        return None
    aliases = (*_split(row.get("name_zh")), *_split(row.get("aliases")))
    key = row.get("id") or _fingerprint(row["name"], row.get("name_zh", ""))
    return ListEntry(
        entry_key=key,
        name=row["name"],
        aliases=aliases,
        countries=tuple(c.upper() for c in countries),
        addresses=_split(row.get("address")),
        programs=_split(row.get("programs")),
        remarks=row.get("remarks", ""),
        ids=ids,
    )


#: FtM ownership at or above this share makes the owned party a restricted one
#: (the 50 % rule applied by OFAC and BIS).
OWNERSHIP_SHARE = 50.0


@dataclass
class _FtmParty:
    entry: ListEntry
    target: bool
    address_ids: list[str]


def _read_ftm(path: Path, problems: list[Problem]) -> ParsedList:
    """FtM JSON lines. Parties marked ``"target": false`` (related, not listed) are not
    entries, unless >= 50 % owned by a listed party (``Ownership`` records, followed
    through chains); ``Sanction`` records add their authority, programme and listing
    date to the party; ``addressEntity`` references are resolved to ``Address`` records;
    ``caption`` is the primary name. Every other record is counted in ``notes``."""
    file = str(path)
    parties: dict[str, _FtmParty] = {}
    addresses: dict[str, str] = {}
    owners: list[tuple[str, str, float]] = []  # (owner id, asset id, percent)
    sanctions: list[dict[str, object]] = []
    other: dict[str, int] = {}
    bad_dates: list[str] = []
    for line_no, line in enumerate(_lines(path), start=1):
        if not line.strip():
            continue
        if len(line) > MAX_CELL * 10:
            problems.append(Problem(file, line_no, None, "line too long"))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(file, line_no, None, f"not JSON: {exc.msg}"))
            continue
        if not isinstance(obj, dict):
            problems.append(Problem(file, line_no, None, "not a JSON object"))
            continue
        schema = obj.get("schema")
        if not isinstance(schema, str):
            problems.append(Problem(file, line_no, "schema", "missing"))
            continue
        props = obj.get("properties")
        ent_id = obj.get("id")
        if not isinstance(ent_id, str) or not ent_id:
            problems.append(Problem(file, line_no, "id", "missing"))
            continue
        if not isinstance(props, dict):
            problems.append(Problem(file, line_no, "properties", "missing or not an object"))
            continue
        if schema == "Ownership":
            owners.extend(_ownership(props, file, line_no, problems))
            continue
        if schema == "Sanction":
            sanctions.append(props)
            continue
        if schema == "Address":
            full = _ftm_values(props, "full") or [
                ", ".join(_ftm_values(props, "street", "city", "postalCode", "country"))
            ]
            if full and full[0]:
                addresses[ent_id] = full[0]
            continue
        if schema not in FTM_PARTY_SCHEMATA:
            other[schema] = other.get(schema, 0) + 1
            continue
        party = _ftm_party(obj, ent_id, schema, props, file, line_no, problems, bad_dates)
        if party is not None:
            parties[ent_id] = party
    notes = _ftm_links(parties, addresses, owners, sanctions)
    notes += bad_dates_note(bad_dates, " and were not kept")
    if other:
        notes.append(
            "not read (no party, no ownership): "
            + ", ".join(f"{n} {schema}" for schema, n in sorted(other.items()))
        )
    entries = [p.entry for p in parties.values() if p.target]
    return ParsedList(entries, sum(other.values()), tuple(notes))


def _ownership(
    props: dict[str, object], file: str, line_no: int, problems: list[Problem]
) -> list[tuple[str, str, float]]:
    owner, asset = _ftm_values(props, "owner"), _ftm_values(props, "asset")
    shares = _ftm_values(props, "percentage")
    pct = 0.0
    if shares:
        try:
            pct = float(shares[0].rstrip("%").replace(",", "."))
        except ValueError:
            problems.append(Problem(file, line_no, "properties.percentage", "not a number"))
            return []
    return [(o, a, pct) for o in owner for a in asset]


def _ftm_party(
    obj: dict[str, object],
    ent_id: str,
    schema: str,
    props: dict[str, object],
    file: str,
    line_no: int,
    problems: list[Problem],
    bad_dates: list[str],
) -> _FtmParty | None:
    names = _ftm_values(props, "name")
    caption = obj.get("caption")
    if isinstance(caption, str) and caption.strip() and caption.strip() in names:
        names.remove(caption.strip())
        names.insert(0, caption.strip())
    if not names:
        problems.append(Problem(file, line_no, "properties.name", "no name"))
        return None
    aliases = [*names[1:], *_ftm_values(props, "alias", "weakAlias", "previousName")]
    countries = _ftm_values(props, "country", "jurisdiction", "nationality", "citizenship")
    datasets = obj.get("datasets")
    births = []
    for text in _ftm_values(props, "birthDate"):
        if (found := read_birth(text)) is None:
            bad_dates.append(f"line {line_no} properties.birthDate: {text[:60]!r}")
        else:
            births.append(found)
    entry = ListEntry(
        entry_key=ent_id,
        name=names[0],
        aliases=tuple(a for a in aliases if a != names[0]),
        countries=tuple(dict.fromkeys(c.upper() for c in countries if _ISO2.match(c))),
        addresses=tuple(_ftm_values(props, "address")),
        programs=tuple(_ftm_values(props, "program", "programId", "topics")),
        entity_type=schema,
        source=", ".join(v for v in datasets if isinstance(v, str))
        if isinstance(datasets, list)
        else "",
        remarks="; ".join(_ftm_values(props, "notes"))[:2000],
        ids=tuple(
            dict.fromkeys(
                (scheme, normalise_id(v))
                for prop, scheme in FTM_ID_PROPERTIES.items()
                for v in _ftm_values(props, prop)
            )
        ),
        dates_of_birth=tuple(dict.fromkeys(births)),
    )
    target = obj.get("target", True) is not False
    return _FtmParty(entry, target, _ftm_values(props, "addressEntity"))


def _ftm_links(
    parties: dict[str, _FtmParty],
    addresses: dict[str, str],
    owners: list[tuple[str, str, float]],
    sanctions: list[dict[str, object]],
) -> list[str]:
    """Resolve addresses, attach sanctions, list >= 50 % owned parties; say what was done."""
    notes: list[str] = []
    resolved = 0
    for party in parties.values():
        found = [addresses[a] for a in party.address_ids if a in addresses]
        if found:
            resolved += len(found)
            e = party.entry
            party.entry = replace(e, addresses=tuple(dict.fromkeys((*e.addresses, *found))))
    if addresses:
        notes.append(
            f"{len(addresses)} Address records, {resolved} addressEntity references resolved"
        )
    attached = 0
    for props in sanctions:
        # the list kind the programme names (China's Control / Watch List, UEL, ...)
        found_kind = ftm_list_kind({"schema": "Sanction", "properties": props})
        kind = found_kind[1] if found_kind is not None else ""
        for ent_id in _ftm_values(props, "entity"):
            if (sanctioned := parties.get(ent_id)) is None:
                continue
            attached += 1
            e = sanctioned.entry
            authority = "; ".join(_ftm_values(props, "authority"))
            dates = _ftm_values(props, "listingDate", "startDate")
            text = "sanction" + (f" by {authority}" if authority else "")
            text += f", listed {dates[0]}" if dates else ""
            reasons = _ftm_values(props, "reason")
            text += f": {reasons[0][:300]}" if reasons else ""
            sanctioned.entry = replace(
                e,
                programs=tuple(dict.fromkeys((*e.programs, *_ftm_values(props, "program")))),
                source=e.source or authority,
                remarks="; ".join(r for r in (e.remarks, text) if r)[:4000],
                list_kind=e.list_kind or kind,
            )
    if sanctions:
        notes.append(f"{len(sanctions)} Sanction records, {attached} attached to their party")
    if owners:
        notes.extend(_ftm_owned(parties, owners))
    related = sum(1 for p in parties.values() if not p.target)
    if related:
        notes.append(f"{related} related parties not listed (target: false) were not made entries")
    return notes


def _ftm_owned(parties: dict[str, _FtmParty], owners: list[tuple[str, str, float]]) -> list[str]:
    """Make parties owned >= ``OWNERSHIP_SHARE`` % by a listed one entries themselves,
    through chains; each says who owns it in its remarks."""
    listed_by: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for owner, asset, pct in owners:
            if pct < OWNERSHIP_SHARE or asset not in parties or owner not in parties:
                continue
            party, holder = parties[asset], parties[owner]
            if party.target or not holder.target:
                continue
            party.target = True
            listed_by[asset] = owner
            why = f"{pct:g} % owned by listed {holder.entry.name} ({owner})"
            e = party.entry
            party.entry = replace(
                e,
                programs=holder.entry.programs,
                remarks="; ".join(r for r in (why, e.remarks) if r),
            )
            changed = True
    big = sum(1 for _, _, pct in owners if pct >= OWNERSHIP_SHARE)
    return [
        f"{len(owners)} Ownership records ({big} of >= {OWNERSHIP_SHARE:g} %); "
        f"{len(listed_by)} owned parties listed through them"
    ]


def _ftm_values(props: dict[str, object], *keys: str) -> list[str]:
    out: list[str] = []
    for key in keys:
        values = props.get(key)
        if isinstance(values, list):
            out.extend(v.strip() for v in values if isinstance(v, str) and v.strip())
    return list(dict.fromkeys(out))


__all__ = ["MAX_ENTRIES", "MAX_FILE_BYTES", "SIMPLE_COLUMNS", "ParsedList", "read_list"]
