"""Rare-earth supplier surveys: generate a workbook per supplier, read answers back.

The workbook is modelled on the RMI reporting templates (Instructions, Declaration,
a parts list, a source list like the smelter list, next-tier suppliers; drop-downs
from a hidden ``Lists`` sheet). Table sheets have a title in row 1, help in row 2,
machine-readable column names in row 3 and answers from row 4.

Reading collects every located problem (``file [sheet S]``, row, column) before
anything is written. Answers become a partial network that goes through the same
merge -> ``validate_network`` -> diff -> upsert path as bundles
(``services/exchange.py``). Every stated fact is also kept as an ``Assertion``: when
two suppliers state different values for the same fact, that record is held back and
reported as a ``Conflict`` instead of merged.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pycountry

from raretrace.domain.clock import china_day
from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.network import TABLES, Network, SupplyLink, record_key
from raretrace.domain.parties import Party, Role, Site
from raretrace.domain.parts import CompositionLine, MagnetType, Part, PartKind
from raretrace.domain.surveys import (
    Assertion,
    CampaignRow,
    Conflict,
    SurveyRequest,
    SurveyResponse,
    campaign_status,
    find_conflicts,
)
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.services import columns
from raretrace.services.exchange import ChangeSet, Partial, plan_and_apply
from raretrace.storage.ports import UnitOfWork

MAX_WORKBOOK_BYTES = 50 * 1024**2
MAX_UNPACKED_BYTES = 500 * 1024**2
MAX_ROWS = 20_000
BLANK_RUN_LIMIT = 1_000
HEADER_ROW = 3
DEFAULT_CAMPAIGN = "rare-earths"

YES_NO = ("Yes", "No", "Unknown")
LICENCE = ("Yes", "No", "Not required", "Unknown")
MAGNET = ("NdFeB", "SmCo", "None", "Other")
SOURCE_ROLES = ("magnet_maker", "separator", "metal_alloy_maker", "mine")
BASIS = ("measured", "calculated", "estimated")
ELEMENT_CHOICES = (*RARE_EARTHS, "Co", "Fe", "B", "Cu", "Ni", "Ga", "Nb")


@dataclass(frozen=True, slots=True)
class Col:
    name: str
    help: str
    width: int = 16
    choices: str | None = None  #: name of a list on the Lists sheet
    required: bool = False


SHEETS: dict[str, tuple[Col, ...]] = {
    "Parts": (
        Col("part_id", "Buyer's part number (do not change)", 18, "parts", True),
        Col("part_name", "Description (for reference)", 30),
        Col("your_part_number", "Your own part number", 18),
        Col("part_mass_g", "Mass of one unit, g", 12),
        Col("contains_rare_earths", "Any rare earth in the part?", 14, "yes_no"),
        Col("magnet_type", "Magnet type, if any", 12, "magnet"),
        Col("magnet_mass_g", "Magnet mass per unit, g", 12),
        Col("chinese_export_licence", "Shipped under a Chinese export licence?", 16, "licence"),
        Col("licence_number", "Licence number", 18),
        Col("comment", "Comment", 30),
    ),
    "Content": (
        Col("part_id", "Buyer's part number", 18, "parts", True),
        Col("element", "Rare earth (or Co, Fe, B ...)", 10, "element", True),
        Col("mass_g_per_unit", "g of the element per unit (or one of the next two)", 14),
        Col("percent_of_part", "% of the part's mass", 12),
        Col("percent_of_magnet", "% of the magnet's mass (needs magnet_mass_g)", 14),
        Col("basis", "measured / calculated / estimated", 12, "basis"),
        Col("comment", "Comment", 30),
    ),
    "Sources": (
        Col("part_id", "Buyer's part number (empty = all parts)", 18, "parts"),
        Col("role", "Role in the chain", 18, "role", True),
        Col("company_name", "Company name", 28, None, True),
        Col("country", "Country (ISO alpha-2)", 9, "country", True),
        Col("party_id", "Buyer's id for the company, if shown", 16),
        Col("city", "City", 14),
        Col("company_name_zh", "Registered Chinese name (Chinese companies)", 24),
        Col("uscc", "Unified social credit code, 18 characters (Chinese companies)", 20),
        Col("chinese_export_licence", "Exports under a Chinese licence?", 16, "licence"),
        Col("licence_number", "Licence number", 18),
        Col("comment", "Comment", 30),
    ),
    "NextTier": (
        Col("company_name", "Your supplier's name", 28, None, True),
        Col("country", "Country (ISO alpha-2)", 9, "country", True),
        Col("party_id", "Buyer's id for the company, if shown", 16),
        Col("city", "City", 14),
        Col("supplies_part_id", "Part number it supplies to you", 18),
        Col("supplies_part_name", "Description of that part", 24),
        Col("share", "Share of your need for that part, 0-1", 10),
        Col("your_site_id", "Your site it delivers to", 16, "sites"),
        Col("contact_email", "Contact e-mail", 24),
        Col("comment", "Comment", 30),
    ),
}

DECLARATION_KEYS: tuple[tuple[str, str, str | None], ...] = (
    ("supplier_party_id", "Your id in the buyer's records (do not change)", None),
    ("campaign", "Survey campaign (do not change)", None),
    ("company_name", "Company name", None),
    ("country", "Country (ISO alpha-2)", "country"),
    ("contact_name", "Contact name", None),
    ("contact_email", "Contact e-mail", None),
    ("authorizer", "Name and title of the person authorising this declaration", None),
    ("answer_date", "Date of this answer (YYYY-MM-DD)", None),
    ("any_rare_earths", "Do any parts you supply to us contain rare earths?", "yes_no"),
    ("chinese_export_licence", "Do you ship to us under a Chinese export licence?", "licence"),
    ("licence_numbers", "Licence number(s), separated by ;", None),
)

INSTRUCTIONS = """Rare-earth supplier survey

China requires export licences for samarium, gadolinium, terbium, dysprosium,
lutetium, scandium and yttrium items (MOFCOM/GAC Announcement 2025 No. 18). To plan
licences and alternatives we need to know where these elements are in the parts you
supply to us, and who made the magnets and separated the rare earths.

1. Declaration: your company, contact, authoriser and the date of this answer.
2. Parts: one row per part you supply to us (pre-filled). Give the mass of one unit,
   whether it contains rare earths, the magnet type and magnet mass, and whether it
   is shipped under a Chinese export licence (with the licence number).
3. Content: one row per part and element. Give exactly one of: grams per unit,
   % of the part, or % of the magnet. Dysprosium and terbium matter most.
4. Sources: the magnet maker and the rare-earth separator behind each part, with
   country (like the smelter list of the RMI templates).
5. NextTier: your own suppliers of rare-earth-bearing parts.

Use the drop-downs. Type values, not formulas: formulas are not evaluated. Leave the
grey columns (part_id, supplier id) as they are. Rows pre-filled with what we already
know may be corrected: your answer replaces our record.
"""


# --------------------------------------------------------------------------- make


@dataclass(slots=True)
class Prefill:
    supplier: Party
    sites: list[Site]
    parts: list[dict[str, Any]] = field(default_factory=list)
    content: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    next_tier: list[dict[str, Any]] = field(default_factory=list)


def prefill(net: Network, supplier_party_id: str) -> Prefill:
    """What the buyer already knows about this supplier's parts and upstream chain."""
    parties = {p.party_id: p for p in net.parties}
    supplier = parties.get(supplier_party_id)
    if supplier is None:
        raise NotFoundError(f"no party {supplier_party_id!r} in the workspace")
    site_owner = {s.site_id: s.party_id for s in net.sites}
    sites = [s for s in net.sites if s.party_id == supplier_party_id]
    site_ids = {s.site_id for s in sites}
    part_ids = sorted({lk.part_id for lk in net.supply if lk.supplier_site_id in site_ids})
    if not part_ids:
        part_ids = sorted({pr.part_id for pr in net.production if pr.site_id in site_ids})
    parts = {p.part_id: p for p in net.parts}
    out = Prefill(supplier, sites)
    re_parts: set[str] = set()
    for c in net.composition:
        if c.part_id in part_ids and c.element in RARE_EARTHS and c.mass_fraction > 0:
            re_parts.add(c.part_id)
            out.content.append(
                {
                    "part_id": c.part_id,
                    "element": c.element,
                    "percent_of_part": round(c.mass_fraction * 100, 6),
                    "basis": "",
                    "comment": c.source,
                }
            )
    for pid in part_ids:
        p = parts[pid]
        magnet = {"ndfeb": "NdFeB", "smco": "SmCo"}.get(p.magnet_type.value, "")
        out.parts.append(
            {
                "part_id": pid,
                "part_name": p.name,
                "part_mass_g": None if p.mass_kg is None else p.mass_kg * 1000,
                "contains_rare_earths": "Yes" if pid in re_parts else "",
                "magnet_type": magnet,
            }
        )
    # Known upstream chain: walk supply links backwards from the supplier's sites.
    seen, frontier, depth = set(site_ids), set(site_ids), 0
    while frontier and depth < 8:
        nxt: set[str] = set()
        for lk in net.supply:
            if lk.buyer_site_id in frontier and lk.supplier_site_id not in seen:
                nxt.add(lk.supplier_site_id)
                if depth == 0:
                    owner = parties[site_owner[lk.supplier_site_id]]
                    out.next_tier.append(
                        {
                            "company_name": owner.name,
                            "country": owner.country,
                            "party_id": owner.party_id,
                            "supplies_part_id": lk.part_id,
                            "supplies_part_name": parts[lk.part_id].name,
                            "share": lk.share,
                            "your_site_id": lk.buyer_site_id,
                        }
                    )
        seen |= nxt
        frontier, depth = nxt, depth + 1
    named: set[tuple[str, str]] = set()
    for sid in sorted(seen - site_ids):
        owner = parties[site_owner[sid]]
        for role in owner.roles:
            if role.value in SOURCE_ROLES and (owner.party_id, role.value) not in named:
                named.add((owner.party_id, role.value))
                out.sources.append(
                    {
                        "part_id": part_ids[0] if len(part_ids) == 1 else "",
                        "role": role.value,
                        "company_name": owner.name,
                        "country": owner.country,
                        "party_id": owner.party_id,
                    }
                )
    return out


def write_workbook(pre: Prefill, path: Path, *, campaign: str, due: date) -> Path:
    """Write the survey workbook for one supplier (openpyxl; no macros, no formulas)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    grey = PatternFill("solid", fgColor="DDDDDD")
    answer = PatternFill("solid", fgColor="FFF7D6")
    book = openpyxl.Workbook()
    intro = book.active
    assert intro is not None
    intro.title = "Instructions"
    intro.column_dimensions["A"].width = 100
    text = INSTRUCTIONS + f"\nPlease answer by {due.isoformat()}.\n"
    for i, line in enumerate(text.splitlines(), start=1):
        intro.cell(row=i, column=1, value=line).font = Font(bold=i == 1, size=14 if i == 1 else 11)

    lists = book.create_sheet("Lists")
    site_ids = [s.site_id for s in pre.sites]
    list_values: dict[str, tuple[str, ...]] = {
        "yes_no": YES_NO,
        "licence": LICENCE,
        "magnet": MAGNET,
        "element": ELEMENT_CHOICES,
        "role": SOURCE_ROLES,
        "basis": BASIS,
        "country": tuple(sorted(c.alpha_2 for c in pycountry.countries)),
        "sites": tuple(site_ids) or ("",),
        "parts": tuple(r["part_id"] for r in pre.parts) or ("",),
    }
    refs: dict[str, str] = {}
    for ci, (name, values) in enumerate(list_values.items(), start=1):
        letter = openpyxl.utils.get_column_letter(ci)
        lists.cell(row=1, column=ci, value=name)
        for ri, v in enumerate(values, start=2):
            lists.cell(row=ri, column=ci, value=v)
        refs[name] = f"=Lists!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"

    def validation(sheet: Any, choices: str, cells: str) -> None:
        dv = DataValidation(type="list", formula1=refs[choices], allow_blank=True)
        dv.error = "Pick a value from the list"
        dv.showErrorMessage = True
        sheet.add_data_validation(dv)
        dv.add(cells)

    decl = book.create_sheet("Declaration", 1)
    decl["A1"] = f"Declaration - rare-earth survey for {pre.supplier.name}"
    decl["A1"].font = Font(bold=True, size=13)
    decl["A2"] = "Answer in column C."
    for ci, head in enumerate(("key", "question", "answer"), start=1):
        decl.cell(row=HEADER_ROW, column=ci, value=head).font = Font(bold=True)
    prefilled = {
        "supplier_party_id": pre.supplier.party_id,
        "campaign": campaign,
        "company_name": pre.supplier.name,
        "country": pre.supplier.country,
    }
    for ri, (key, question, choices) in enumerate(DECLARATION_KEYS, start=HEADER_ROW + 1):
        decl.cell(row=ri, column=1, value=key).fill = grey
        decl.cell(row=ri, column=2, value=question)
        cell = decl.cell(row=ri, column=3, value=prefilled.get(key))
        cell.fill = grey if key in ("supplier_party_id", "campaign") else answer
        if choices:
            validation(decl, choices, f"C{ri}")
    decl.column_dimensions["A"].width = 24
    decl.column_dimensions["B"].width = 60
    decl.column_dimensions["C"].width = 36

    rows_for = {
        "Parts": pre.parts,
        "Content": pre.content,
        "Sources": pre.sources,
        "NextTier": pre.next_tier,
    }
    titles = {
        "Parts": "Parts you supply to us",
        "Content": "Rare-earth content per part",
        "Sources": "Source list: magnet makers and separators",
        "NextTier": "Your suppliers of rare-earth-bearing parts",
    }
    for index, (sheet_name, cols) in enumerate(SHEETS.items(), start=2):
        sheet = book.create_sheet(sheet_name, index)
        sheet["A1"] = titles[sheet_name]
        sheet["A1"].font = Font(bold=True, size=13)
        for ci, col in enumerate(cols, start=1):
            letter = openpyxl.utils.get_column_letter(ci)
            sheet.cell(row=2, column=ci, value=col.help).alignment = Alignment(wrap_text=True)
            head = sheet.cell(row=HEADER_ROW, column=ci, value=col.name)
            head.font = Font(bold=True)
            sheet.column_dimensions[letter].width = col.width
            if col.choices:
                validation(sheet, col.choices, f"{letter}{HEADER_ROW + 1}:{letter}500")
        for ri, filled in enumerate(rows_for[sheet_name], start=HEADER_ROW + 1):
            for ci, col in enumerate(cols, start=1):
                cell_value = filled.get(col.name)
                if cell_value not in (None, ""):
                    sheet.cell(row=ri, column=ci, value=cell_value)
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    book.move_sheet("Lists", offset=len(book.sheetnames))
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)
    return path


def make_survey(
    uow: UnitOfWork,
    supplier_party_id: str,
    path: Path,
    *,
    campaign: str = DEFAULT_CAMPAIGN,
    due_days: int = 30,
    now: datetime | None = None,
    file_name: str | None = None,
) -> SurveyRequest:
    """Write the pre-filled workbook and record the request for campaign tracking, with
    the workbook itself (so exactly what was sent can be downloaded again). The request
    names the workbook by ``file_name`` (default: the name of ``path``), never by a
    folder of this machine."""
    sent = now or uow.clock.now()
    pre = prefill(uow.network.load(), supplier_party_id)
    due = china_day(sent) + timedelta(days=due_days)
    write_workbook(pre, path, campaign=campaign, due=due)
    data = path.read_bytes()
    name = Path(file_name or path.name).name
    request = SurveyRequest(
        supplier_party_id, campaign, sent, due, name, sha256=hashlib.sha256(data).hexdigest()
    )
    return uow.surveys.add_request(request, data)


def sent_workbook(uow: UnitOfWork, request_id: int) -> tuple[SurveyRequest, bytes]:
    """The request and the workbook sent with it, byte for byte."""
    found = uow.surveys.workbook(request_id)
    if found is None:
        raise NotFoundError(f"no survey request {request_id}")
    request, data = found
    if data is None:
        raise NotFoundError(
            f"survey request {request_id} ({request.file}) was recorded before workbooks "
            "were kept; make a new one"
        )
    return request, data


# --------------------------------------------------------------------------- read


@dataclass(slots=True)
class Sheet:
    label: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass(slots=True)
class RawSurvey:
    path: str
    sha256: str
    declaration: dict[str, tuple[int, str]] = field(default_factory=dict)
    sheets: dict[str, Sheet] = field(default_factory=dict)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_workbook(path: Path, name: str | None = None) -> RawSurvey:
    """The cells of a returned workbook; raise ``InputError`` with every located problem.
    ``name``: what the file is called in problems and in the stored answers (default: the
    path), e.g. the name of an uploaded file rather than where it was staged.

    Refuses: files over ``MAX_WORKBOOK_BYTES``, zip bombs, macros (``vbaProject.bin``),
    formulas (never evaluated), sheets over ``MAX_ROWS`` rows; stops reading after
    ``BLANK_RUN_LIMIT`` empty rows in a row.
    """
    label = name or str(path)
    problems: list[Problem] = []

    def fail() -> InputError:
        return InputError(f"{label}: the survey has {len(problems)} problem(s)", problems)

    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_WORKBOOK_BYTES else b""
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror})") from None
    if size > MAX_WORKBOOK_BYTES:
        problems.append(
            Problem(label, None, None, f"file is {size} bytes, over the {MAX_WORKBOOK_BYTES} limit")
        )
        raise fail()
    raw = RawSurvey(label, hashlib.sha256(data).hexdigest())
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
        if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            message = f"workbook unpacks to more than {MAX_UNPACKED_BYTES} bytes"
            problems.append(Problem(label, None, None, message))
        if any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
            message = "workbook contains macros; save it as .xlsx without macros"
            problems.append(Problem(label, None, None, message))
    except (zipfile.BadZipFile, OSError) as exc:
        problems.append(Problem(label, None, None, f"not a readable .xlsx workbook ({exc})"))
    if problems:
        raise fail()
    with path.open("rb") as handle:  # we close it even when openpyxl raises
        _read_book(handle, label, raw, problems)
    if problems:
        raise fail()
    return raw


def _read_book(handle: Any, label: str, raw: RawSurvey, problems: list[Problem]) -> None:
    import openpyxl

    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # any parser failure is a refusal, not a crash
        problems.append(Problem(label, None, None, f"not a readable .xlsx workbook ({exc})"))
        return

    try:
        names = {n.strip().lower(): n for n in book.sheetnames}
        if "declaration" not in names:
            problems.append(
                Problem(
                    label, None, None, "no Declaration sheet: is this a raretrace survey workbook?"
                )
            )
        else:
            _read_declaration(book[names["declaration"]], label, raw, problems)
        for sheet_name, cols in SHEETS.items():
            if sheet_name.lower() not in names:
                problems.append(Problem(label, None, None, f"sheet {sheet_name!r} is missing"))
                continue
            where = f"{label} [sheet {sheet_name}]"
            raw.sheets[sheet_name] = _read_table(
                book[names[sheet_name.lower()]], where, cols, problems
            )
    except Exception as exc:
        problems.append(Problem(label, None, None, f"cannot be read safely: {exc}"))
    finally:
        book.close()


def _rows(
    sheet: Any, max_col: int, where: str, problems: list[Problem]
) -> Iterator[tuple[int, list[Any]]]:
    blank = 0
    for i, row in enumerate(sheet.iter_rows(max_col=max_col, values_only=True), start=1):
        if i > MAX_ROWS:
            problems.append(Problem(where, i, None, f"more than {MAX_ROWS} rows"))
            return
        values = list(row)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            blank += 1
            if blank > BLANK_RUN_LIMIT:
                return
            continue
        blank = 0
        yield i, values


def _is_formula(v: Any) -> bool:
    return isinstance(v, str) and v.startswith("=") and len(v) > 1


def _read_declaration(sheet: Any, label: str, raw: RawSurvey, problems: list[Problem]) -> None:
    where = f"{label} [sheet Declaration]"
    known = {k for k, _, _ in DECLARATION_KEYS}
    for i, values in _rows(sheet, 3, where, problems):
        if i <= HEADER_ROW:
            continue
        key = _text(values[0] if values else None)
        value = values[2] if len(values) > 2 else None
        if not key:
            continue
        if key not in known:
            problems.append(Problem(where, i, "key", f"unknown key {key!r}"))
        elif _is_formula(value):
            problems.append(
                Problem(where, i, "answer", "formulas are not evaluated; type the value")
            )
        else:
            raw.declaration[key] = (i, _text(value))


def _read_table(sheet: Any, where: str, cols: tuple[Col, ...], problems: list[Problem]) -> Sheet:
    out = Sheet(where)
    header: list[str] | None = None
    for i, values in _rows(sheet, len(cols) + 10, where, problems):
        if i < HEADER_ROW:
            continue
        if i == HEADER_ROW:
            header = [_text(v).lower() for v in values]
            names = {c.name for c in cols}
            for h in header:
                if h and h not in names:
                    problems.append(Problem(where, i, h, "unknown column"))
            for c in cols:
                if c.name not in header:
                    problems.append(Problem(where, i, c.name, "column is missing"))
            continue
        if header is None:
            break
        row: dict[str, str] = {}
        for name, v in zip(header, values, strict=False):
            if not name:
                continue
            if _is_formula(v):
                problems.append(
                    Problem(where, i, name, "formulas are not evaluated; type the value")
                )
                continue
            row[name] = _text(v)
        out.rows.append((i, row))
    if header is None:
        problems.append(Problem(where, HEADER_ROW, None, "header row (row 3) is missing"))
    return out


# --------------------------------------------------------------------------- interpret


@dataclass(slots=True)
class Answers:
    """One workbook turned into records and assertions."""

    path: str
    sha256: str
    supplier_party_id: str
    answered_on: date | None
    partial: Partial
    assertions: list[Assertion] = field(default_factory=list)


def _slug(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", name.upper()).strip("-")
    return s[:60] or "UNNAMED"


def _fmt(x: float) -> str:
    return f"{x:.6g}"


class _Builder:
    """Builds one workbook's partial network while collecting problems and assertions."""

    def __init__(self, raw: RawSurvey, stored: Network, problems: list[Problem]) -> None:
        self.raw = raw
        self.stored = stored
        self.problems = problems
        self.parties = {p.party_id: p for p in stored.parties}
        self.parts = {p.part_id: p for p in stored.parts}
        self.sites_of: dict[str, list[Site]] = {}
        for s in stored.sites:
            self.sites_of.setdefault(s.party_id, []).append(s)
        self.net = Network()
        self.where: dict[tuple[str, tuple[str, ...]], tuple[str, int | None]] = {}
        self.assertions: list[Assertion] = []
        self.supplier = ""
        self.records: dict[tuple[str, tuple[str, ...]], object] = {}

    def problem(self, where: str, row: int | None, col: str | None, msg: str) -> None:
        self.problems.append(Problem(where, row, col, msg))

    def put(self, table: str, rec: object, where: str, row: int) -> None:
        key = record_key(table, rec)
        self.records[(table, key)] = rec
        self.where[(table, key)] = (where, row)

    def say(
        self, table: str, key: tuple[str, ...], fld: str, value: str, where: str, row: int
    ) -> None:
        self.assertions.append(
            Assertion(table, key, fld, value, self.supplier, f"{where}, row {row}")
        )

    def parse(self, fn: Callable[[str], Any], text: str, where: str, row: int, col: str) -> Any:
        try:
            return fn(text)
        except ValueError as exc:
            self.problem(where, row, col, str(exc))
            return None

    def party_for(self, row: dict[str, str], where: str, i: int, role: str | None) -> Party | None:
        name, pid_text = row.get("company_name", ""), row.get("party_id", "")
        country = (
            self.parse(columns.country, row.get("country", ""), where, i, "country")
            if row.get("country")
            else None
        )
        if not name:
            self.problem(where, i, "company_name", "value is required")
        if not row.get("country"):
            self.problem(where, i, "country", "value is required")
        if not name or country is None:
            return None
        pid = self.parse(columns.ident, pid_text, where, i, "party_id") if pid_text else _slug(name)
        if pid is None:
            return None
        pending = self.records.get(("parties", (pid,)))
        old = pending if isinstance(pending, Party) else self.parties.get(pid)
        roles = tuple(old.roles) if old else ()
        if role and Role(role) not in roles:
            roles = (*roles, Role(role))
        party = (
            replace(old, roles=roles, country=country)
            if old
            else Party(pid, name, country, roles, notes=f"named in the survey of {self.supplier}")
        )
        # Optional filing particulars of a Chinese source (regime.md §9.6).
        name_zh = row.get("company_name_zh", "")
        uscc = self.parse(columns.uscc, row["uscc"], where, i, "uscc") if row.get("uscc") else ""
        if name_zh or uscc:
            party = replace(party, name_zh=name_zh or party.name_zh, uscc=uscc or party.uscc)
        self.put("parties", party, where, i)
        self.say("parties", (pid,), "country", country, where, i)
        if not self.sites_of.get(pid) and ("sites", (f"{pid}-S1",)) not in self.records:
            self.put("sites", Site(f"{pid}-S1", pid, name, country, row.get("city", "")), where, i)
        return party

    def site_of(self, pid: str) -> str:
        known = self.sites_of.get(pid)
        return known[0].site_id if known else f"{pid}-S1"


def interpret(raw: RawSurvey, stored: Network) -> Answers:
    """Turn a workbook's cells into a partial network and assertions (located problems)."""
    problems: list[Problem] = []
    b = _Builder(raw, stored, problems)
    dwhere = f"{raw.path} [sheet Declaration]"
    row_sid, sid = raw.declaration.get("supplier_party_id", (None, ""))
    if not sid:
        b.problem(dwhere, row_sid, "answer", "supplier_party_id is required")
    elif sid not in b.parties:
        b.problem(dwhere, row_sid, "answer", f"unknown supplier {sid!r} (not in the workspace)")
    b.supplier = sid
    answered_on: date | None = None
    row_d, d_text = raw.declaration.get("answer_date", (None, ""))
    if d_text:
        try:
            answered_on = date.fromisoformat(d_text[:10])
        except ValueError:
            b.problem(dwhere, row_d, "answer", f"{d_text!r} is not a date (YYYY-MM-DD)")
    for key in ("any_rare_earths", "chinese_export_licence", "licence_numbers"):
        row_k, value = raw.declaration.get(key, (0, ""))
        if value:
            b.say(
                "declarations",
                (sid,),
                key,
                value.lower() if key != "licence_numbers" else value,
                dwhere,
                row_k,
            )
    if problems:
        raise InputError(f"{raw.path}: the survey has {len(problems)} problem(s)", problems)

    parts_sheet = raw.sheets["Parts"]
    sheet_parts: dict[str, dict[str, Any]] = {}
    for i, row in parts_sheet.rows:
        w = parts_sheet.label
        pid = row.get("part_id", "")
        if not pid:
            b.problem(w, i, "part_id", "value is required")
            continue
        if pid not in b.parts:
            b.problem(w, i, "part_id", f"unknown part {pid!r}: the survey covers the buyer's parts")
            continue
        if pid in sheet_parts:
            b.problem(w, i, "part_id", f"part {pid!r} is listed twice")
            continue
        info: dict[str, Any] = {"row": i}
        part = b.parts[pid]
        if row.get("part_mass_g"):
            g = b.parse(
                columns.number(low=0, low_open=True), row["part_mass_g"], w, i, "part_mass_g"
            )
            if g is not None:
                part = replace(part, mass_kg=g / 1000)
                b.say("parts", (pid,), "mass_kg", _fmt(g / 1000), w, i)
        if row.get("magnet_mass_g"):
            info["magnet_g"] = b.parse(
                columns.number(low=0, low_open=True), row["magnet_mass_g"], w, i, "magnet_mass_g"
            )
        mt = row.get("magnet_type", "").lower()
        if mt:
            if mt not in {"ndfeb", "smco", "none", "other"}:
                b.problem(
                    w,
                    i,
                    "magnet_type",
                    f"{row['magnet_type']!r} is not one of: {', '.join(MAGNET)}",
                )
            elif mt != "other":
                part = replace(part, magnet_type=MagnetType(mt))
                b.say("parts", (pid,), "magnet_type", mt, w, i)
        contains = row.get("contains_rare_earths", "").lower()
        if contains and contains not in {"yes", "no", "unknown"}:
            b.problem(
                w,
                i,
                "contains_rare_earths",
                f"{row['contains_rare_earths']!r} is not Yes, No or Unknown",
            )
        info["contains"] = contains
        lic = row.get("chinese_export_licence", "").lower()
        if lic and lic not in {v.lower() for v in LICENCE}:
            b.problem(
                w,
                i,
                "chinese_export_licence",
                f"{row['chinese_export_licence']!r} is not one of: {', '.join(LICENCE)}",
            )
        elif lic:
            b.say("licences", (sid, pid), "chinese_export_licence", lic, w, i)
            if lic == "yes" and not row.get("licence_number"):
                b.problem(
                    w, i, "licence_number", "give the licence number when shipping under a licence"
                )
        if row.get("licence_number"):
            b.say("licences", (sid, pid), "licence_number", row["licence_number"], w, i)
        info["part"] = part
        sheet_parts[pid] = info
        b.put("parts", part, w, i)

    content = raw.sheets["Content"]
    declared: dict[str, set[str]] = {}
    for i, row in content.rows:
        w = content.label
        pid = row.get("part_id", "")
        el = (
            b.parse(columns.element, row["element"], w, i, "element")
            if row.get("element")
            else None
        )
        if not row.get("element"):
            b.problem(w, i, "element", "value is required")
        if not pid:
            b.problem(w, i, "part_id", "value is required")
            continue
        if pid not in sheet_parts:
            b.problem(w, i, "part_id", f"part {pid!r} is not on the Parts sheet")
            continue
        if el is None:
            continue
        info = sheet_parts[pid]
        if info.get("contains") == "no" and el in RARE_EARTHS:
            b.problem(w, i, "element", f"Parts says {pid!r} has no rare earths, but {el} is listed")
            continue
        given = [
            c for c in ("mass_g_per_unit", "percent_of_part", "percent_of_magnet") if row.get(c)
        ]
        if len(given) != 1:
            b.problem(
                w,
                i,
                "mass_g_per_unit",
                "give exactly one of mass_g_per_unit, percent_of_part, percent_of_magnet",
            )
            continue
        col = given[0]
        x = b.parse(
            columns.number(low=0, high=None if col == "mass_g_per_unit" else 100),
            row[col],
            w,
            i,
            col,
        )
        if x is None:
            continue
        part_mass_g = (info["part"].mass_kg or 0) * 1000
        if col == "percent_of_part":
            frac = x / 100
        elif col == "mass_g_per_unit":
            if not part_mass_g:
                b.problem(
                    w, i, col, f"part {pid!r} has no mass; give part_mass_g on the Parts sheet"
                )
                continue
            frac = x / part_mass_g
        else:
            magnet_g = info.get("magnet_g")
            if not magnet_g or not part_mass_g:
                b.problem(
                    w,
                    i,
                    col,
                    "percent_of_magnet needs magnet_mass_g and part_mass_g on the Parts sheet",
                )
                continue
            frac = x / 100 * magnet_g / part_mass_g
        if frac > 1:
            b.problem(w, i, col, f"that is {frac:.3g} of the part's mass, more than all of it")
            continue
        if el in declared.setdefault(pid, set()):
            b.problem(w, i, "element", f"{el} is listed twice for part {pid!r}")
            continue
        declared[pid].add(el)
        basis = row.get("basis", "")
        source = f"survey {sid}" + (f" ({basis})" if basis else "")
        b.put("composition", CompositionLine(pid, el, round(frac, 12), source), w, i)
        b.say("composition", (pid, el), "mass_fraction", _fmt(frac), w, i)
    # A part answered as rare-earth free (or with its rare earths listed) replaces
    # the stored rare-earth lines the answer no longer contains.
    for c in stored.composition:
        answered = sheet_parts.get(c.part_id)
        if answered is None or c.element not in RARE_EARTHS or c.mass_fraction <= 0:
            continue
        if answered.get("contains") == "no" or (
            c.part_id in declared and c.element not in declared[c.part_id]
        ):
            b.put(
                "composition",
                CompositionLine(c.part_id, c.element, 0.0, f"survey {sid}: none"),
                parts_sheet.label,
                answered["row"],
            )
            b.say(
                "composition",
                (c.part_id, c.element),
                "mass_fraction",
                "0",
                parts_sheet.label,
                answered["row"],
            )

    sources = raw.sheets["Sources"]
    for i, row in sources.rows:
        w = sources.label
        role = row.get("role", "")
        if role not in SOURCE_ROLES:
            b.problem(
                w,
                i,
                "role",
                f"{role!r} is not one of: {', '.join(SOURCE_ROLES)}"
                if role
                else "value is required",
            )
            continue
        pid = row.get("part_id", "")
        if pid and pid not in sheet_parts:
            b.problem(w, i, "part_id", f"part {pid!r} is not on the Parts sheet")
            continue
        party = b.party_for(row, w, i, role)
        if party is None:
            continue
        b.say("sources", (sid, pid, role), "party_id", party.party_id, w, i)
        lic = row.get("chinese_export_licence", "").lower()
        if lic:
            b.say("licences", (party.party_id, pid), "chinese_export_licence", lic, w, i)
        if row.get("licence_number"):
            b.say("licences", (party.party_id, pid), "licence_number", row["licence_number"], w, i)

    tier = raw.sheets["NextTier"]
    own_sites = [s.site_id for s in b.sites_of.get(sid, [])]
    for i, row in tier.rows:
        w = tier.label
        party = b.party_for(row, w, i, None)
        if party is None or not row.get("supplies_part_id"):
            continue
        part_id = b.parse(columns.ident, row["supplies_part_id"], w, i, "supplies_part_id")
        if part_id is None:
            continue
        if part_id not in b.parts and ("parts", (part_id,)) not in b.records:
            b.put(
                "parts",
                Part(
                    part_id,
                    row.get("supplies_part_name") or part_id,
                    PartKind.COMPONENT,
                    source=f"survey {sid}",
                ),
                w,
                i,
            )
        share = 1.0
        if row.get("share"):
            share = b.parse(
                columns.number(low=0, high=1, low_open=True), row["share"], w, i, "share"
            )
            if share is None:
                continue
        buyer = row.get("your_site_id", "")
        if not buyer:
            if len(own_sites) != 1:
                b.problem(
                    w,
                    i,
                    "your_site_id",
                    f"choose one of your sites: {', '.join(own_sites) or 'none known'}",
                )
                continue
            buyer = own_sites[0]
        elif buyer not in own_sites:
            b.problem(
                w, i, "your_site_id", f"{buyer!r} is not one of your sites ({', '.join(own_sites)})"
            )
            continue
        supplier_site = b.site_of(party.party_id)
        for site in b.sites_of.get(party.party_id, []):  # keep the site of a known link
            if any(
                lk.supplier_site_id == site.site_id
                and lk.part_id == part_id
                and lk.buyer_site_id == buyer
                for lk in stored.supply
            ):
                supplier_site = site.site_id
        link = SupplyLink(supplier_site, part_id, buyer, share)
        old = next(
            (lk for lk in stored.supply if record_key("supply", lk) == record_key("supply", link)),
            None,
        )
        if old is not None:
            link = replace(link, lead_time_days=old.lead_time_days)
        b.put("supply", link, w, i)
        b.say("supply", record_key("supply", link), "share", _fmt(share), w, i)
    if problems:
        raise InputError(f"{raw.path}: the survey has {len(problems)} problem(s)", problems)
    for (table, _key), rec in b.records.items():
        getattr(b.net, table).append(rec)
    return Answers(raw.path, raw.sha256, sid, answered_on, Partial(b.net, b.where), b.assertions)


# --------------------------------------------------------------------------- apply


@dataclass(frozen=True, slots=True)
class SurveyReport:
    files: list[str]
    suppliers: list[str]
    changes: ChangeSet
    conflicts: list[Conflict]
    held: list[str]  #: "table key" of records held back because of conflicts


def _combine(answers: list[Answers], held: set[tuple[str, tuple[str, ...]]]) -> Partial:
    out = Partial(Network())
    merged: dict[tuple[str, tuple[str, ...]], object] = {}
    for a in answers:
        for table in TABLES:
            for rec in getattr(a.partial.network, table):
                key = record_key(table, rec)
                if (table, key) in held:
                    continue
                prev = merged.get((table, key))
                if isinstance(prev, Party) and isinstance(rec, Party):
                    roles = tuple(dict.fromkeys((*prev.roles, *rec.roles)))
                    rec = replace(rec, roles=roles)
                merged[(table, key)] = rec
                out.where[(table, key)] = a.partial.where[(table, key)]
    for (table, _key), rec in merged.items():
        getattr(out.network, table).append(rec)
    return out


def read_surveys(
    uow: UnitOfWork,
    paths: list[Path],
    *,
    apply: bool = False,
    now: datetime | None = None,
    names: list[str] | None = None,
) -> SurveyReport:
    """Validate returned workbooks, diff them against the workspace, report conflicts
    between suppliers and (``apply``) write the rest in the caller's unit of work.
    ``names``: what each file is called in problems and in the stored answers (default:
    its path), e.g. the uploaded file's name rather than the staging folder."""
    stored = uow.network.load()
    problems: list[Problem] = []
    answers: list[Answers] = []
    labels = names or [str(p) for p in paths]
    if len(labels) != len(paths):
        raise ValueError("give one name per path")
    for path, label in zip(paths, labels, strict=True):
        try:
            answers.append(interpret(read_workbook(path, label), stored))
        except InputError as exc:
            problems.extend(exc.problems or [Problem(label, None, None, str(exc))])
    if problems:
        raise InputError(
            f"{len(problems)} problem(s) in the survey file(s); nothing was written", problems
        )
    previous = [a for r in uow.surveys.responses() for a in r.assertions]
    batch = [a for ans in answers for a in ans.assertions]
    conflicts = [
        c for c in find_conflicts([*previous, *batch]) if any(a in batch for a in c.answers)
    ]
    held_keys = {(c.table, c.key) for c in conflicts if c.table in TABLES}
    partial = _combine(answers, held_keys)
    changes = plan_and_apply(uow, partial, label=", ".join(labels), apply=apply)
    if apply:
        received = now or uow.clock.now()
        for ans in answers:
            mine = [a for a in ans.assertions if (a.table, a.key) not in held_keys]
            uow.surveys.add_response(
                SurveyResponse(
                    ans.supplier_party_id,
                    received,
                    ans.path,
                    ans.sha256,
                    tuple(mine),
                    ans.answered_on,
                    len(ans.assertions) - len(mine),
                )
            )
    return SurveyReport(
        files=labels,
        suppliers=sorted({a.supplier_party_id for a in answers}),
        changes=changes,
        conflicts=conflicts,
        held=sorted(f"{t} {' / '.join(k)}" for t, k in held_keys),
    )


def campaign(uow: UnitOfWork, *, today: date | None = None) -> list[CampaignRow]:
    """Who was sent a survey, who answered, who is overdue."""
    names = {p.party_id: p.name for p in uow.network.load().parties}
    day = today or uow.clock.today()
    return campaign_status(uow.surveys.requests(), uow.surveys.responses(), names, day)
