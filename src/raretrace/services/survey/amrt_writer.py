"""Write a pre-filled AMRT (RMI AMRT 1.3 layout, built by raretrace) for one supplier.

Pre-filled: company name, Company Unique ID (the supplier's party id in our records,
which ``services.survey.amrt`` reads back to know who answered), Declaration scope "B.
Product", Rare Earth Elements as the mineral in scope, the question rows for it, and
the Product List with our part numbers as Requester's Product Number. The Smelter List
is left for the supplier, with the Rare Earth Elements rows we already know (the
separators upstream of it) pre-filled. Values starting with ``=`` are written as text.
The Mine List has its 1.3 header row for the supplier to fill. This is not RMI's workbook
(no Checker formulas, no Smelter Look-up): RMI publishes the
official template at https://www.responsiblemineralsinitiative.org/.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from raretrace.domain.surveys import SurveyRequest
from raretrace.services.formats import amrt_layout as L
from raretrace.services.survey.prefill import Prefill, prefill
from raretrace.storage.ports import UnitOfWork

AMRT_CAMPAIGN = "amrt"


def _put(sheet: Any, row: int, col: int, value: Any) -> Any:
    cell = sheet.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def write_amrt(pre: Prefill, path: Path, *, due: date) -> Path:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    rev = book.active
    assert rev is not None
    rev.title = "Revision"
    rev["A1"] = "Additional Minerals Reporting Template (AMRT)"
    rev["A1"].font = Font(bold=True, size=14)
    rev["A2"] = f"Revision {L.REVISION} layout, pre-filled by raretrace (not RMI's workbook)"
    rev["A3"] = f"Please answer by {due.isoformat()}."
    book.create_sheet("Instructions")["A1"] = (
        "Declare Rare Earth Elements: answer questions 1 and 2 on the Declaration sheet and "
        "list every smelter/refiner of rare earths in your supply chain on the Smelter List "
        "(name, country, smelter identification number if known). If you know the mines, "
        "list them on the Mine List (metal, the smelter it feeds as named on the Smelter "
        "List, mine name, mine country)."
    )
    book.create_sheet("Definitions")
    decl = book.create_sheet("Declaration")
    decl["B2"] = "Additional Minerals Reporting Template"
    prefilled = {
        "company_name": pre.supplier.name,
        "scope": L.SCOPES[1],
        "minerals": L.REE,
        "company_id": pre.supplier.party_id,
        "company_id_authority": "buyer's party id (do not change)",
    }
    for row, label, key in L.DECLARATION_ROWS:
        _put(decl, row, 2, label)
        if key in prefilled:
            _put(decl, row, 4, prefilled[key])
    scope = DataValidation(type="list", formula1='"' + ",".join(L.SCOPES) + '"')
    decl.add_data_validation(scope)
    scope.add("D9")
    _put(decl, L.Q1_ROW, 2, L.Q1)
    _put(decl, L.Q1_ROW + 1, 3, L.REE)
    q1 = DataValidation(type="list", formula1='"' + ",".join(L.Q1_ANSWERS) + '"')
    decl.add_data_validation(q1)
    q1.add(f"D{L.Q1_ROW + 1}")
    _put(decl, L.Q1_ROW + 3, 2, L.Q2)
    _put(decl, L.Q1_ROW + 4, 3, L.REE)
    decl.column_dimensions["B"].width = 60
    decl.column_dimensions["D"].width = 36
    book.create_sheet("Minerals Scope")["A1"] = "Select Minerals/Metals in Scope"
    smelters = book.create_sheet("Smelter List")
    for ci, head in enumerate(L.SMELTER_COLUMNS, start=1):
        _put(smelters, L.SMELTER_HEADER_ROW, ci, head).font = Font(bold=True)
    row = L.SMELTER_HEADER_ROW + 1
    for src in pre.sources:
        if src.get("role") != "separator":
            continue
        _put(smelters, row, 2, L.REE)
        _put(smelters, row, 3, "Smelter not listed")
        _put(smelters, row, 4, src.get("company_name", ""))
        _put(smelters, row, 5, src.get("country", ""))
        row += 1
    mines = book.create_sheet("Mine List")
    for ci, head in enumerate(L.MINE_COLUMNS, start=1):
        _put(mines, L.MINE_HEADER_ROW, ci, head).font = Font(bold=True)
    products = book.create_sheet("Product List")
    for ci, head in enumerate(L.PRODUCT_COLUMNS, start=1):
        _put(products, L.PRODUCT_HEADER_ROW, ci, head).font = Font(bold=True)
    for ri, part in enumerate(pre.parts, start=L.PRODUCT_HEADER_ROW + 1):
        _put(products, ri, 3, part["part_id"])
        _put(products, ri, 4, part.get("part_name") or "")
    book.create_sheet("Checker")
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)
    return path


def make_amrt(
    uow: UnitOfWork,
    supplier_party_id: str,
    path: Path,
    *,
    now: datetime,
    due_days: int = 30,
    file_name: str | None = None,
) -> SurveyRequest:
    """Write the pre-filled AMRT and record it in the campaign ``amrt``."""
    pre = prefill(uow.network.load(), supplier_party_id)
    due = now.date() + timedelta(days=due_days)
    write_amrt(pre, path, due=due)
    data = path.read_bytes()
    request = SurveyRequest(
        supplier_party_id,
        AMRT_CAMPAIGN,
        now,
        due,
        Path(file_name or path.name).name,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return uow.surveys.add_request(request, data)
