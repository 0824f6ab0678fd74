"""Write the survey workbook for one supplier and record the request."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pycountry

from raretrace.domain.clock import china_day
from raretrace.domain.surveys import (
    SurveyRequest,
)
from raretrace.errors import NotFoundError
from raretrace.services.survey.layout import (
    BASIS,
    DECLARATION_KEYS,
    DEFAULT_CAMPAIGN,
    ELEMENT_CHOICES,
    HEADER_ROW,
    INSTRUCTIONS,
    LICENCE,
    MAGNET,
    SHEETS,
    SOURCE_ROLES,
    YES_NO,
)
from raretrace.services.survey.prefill import Prefill, prefill
from raretrace.storage.ports import UnitOfWork


def _as_text(cell: Any) -> Any:
    """Keep a value that starts with ``=`` (an id, a name) as text, never a live formula."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
    return cell


def write_workbook(pre: Prefill, path: Path, *, campaign: str, due: date) -> Path:
    """Write the survey workbook for one supplier (openpyxl; no macros, no formulas: a
    pre-filled value starting with ``=`` is written as text)."""
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
            _as_text(lists.cell(row=ri, column=ci, value=v))
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
        cell = _as_text(decl.cell(row=ri, column=3, value=prefilled.get(key)))
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
                    _as_text(sheet.cell(row=ri, column=ci, value=cell_value))
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
