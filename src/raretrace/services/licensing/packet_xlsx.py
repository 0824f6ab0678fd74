"""The licence packet as an editable workbook (openpyxl).

One sheet per section of the PDF, every sheet and header bilingual (Chinese first, as
in ``packet_fields``). Numbers are numbers (quantities in kg, money in the item's
currency, named in the header or a currency column) and dates are dates, so an officer
can correct and sum them. Every text cell is written as text: a value that starts with
"=" (a typed document reference, a note) stays a string, never a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from raretrace.domain.applications import EUC_COMMITMENTS
from raretrace.services.licensing.packet_fields import (
    BLANK,
    BLANK_LEGEND,
    SIGNATURE_ROWS,
    STATUS_ZH,
    UNIT,
    bilingual_note,
    chain_text,
    euc_particulars,
    fields,
    item_lines,
    totals_of,
)
from raretrace.services.licensing.service import ApplicationView

MONEY = "#,##0.00"
KG = "#,##0.000"
COUNT = "#,##0"

#: Sheet titles (Excel allows 31 characters).
SHEETS = (
    "申请 Application",
    "物项 Items",
    "最终用途链 End-use chain",
    "材料 Documents",
    "审查期限 Deadline",
    "状态记录 History",
    "最终用户证明 End-user cert",
)


def _put(ws: Worksheet, row: Sequence[Any], fmt: dict[int, str] | None = None) -> None:
    """Append one row; text stays text (never a formula); number formats by column.
    Characters a workbook cannot store (C0 controls) become U+FFFD rather than failing
    the whole packet."""
    values = [ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v for v in row]
    ws.append(values)
    if not values:
        return
    r = ws.max_row
    for i, v in enumerate(values, 1):
        c = ws.cell(row=r, column=i)
        if isinstance(v, str):
            c.data_type = "s"  # "=..." would otherwise be stored as a formula
        if fmt and i in fmt and isinstance(v, (int, float, Decimal, date)):
            c.number_format = fmt[i]


def _sheet(wb: Workbook, title: str, header: Sequence[str]) -> Worksheet:
    ws = wb.create_sheet(title)
    _put(ws, header)
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    return ws


def _finish(ws: Worksheet) -> None:
    for col in ws.columns:
        letter = col[0].column_letter
        longest = max(
            (max((len(x) for x in str(c.value).split("\n")), default=0) for c in col if c.value),
            default=0,
        )
        ws.column_dimensions[letter].width = min(60, max(12, longest + 2))
        for c in col:
            c.alignment = Alignment(wrap_text=True, vertical="top")


def _rows_text(triples: Iterable[tuple[str, str, str]]) -> Iterable[list[str]]:
    for en, zh, v in triples:
        yield [zh, en, v or BLANK]


def write_workbook(view: ApplicationView, path: Path) -> Path:
    """Write the packet workbook to ``path`` (through a temporary file)."""
    a = view.application
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)

    app = _sheet(wb, SHEETS[0], ["字段", "Field", "内容 / Value"])
    for row in _rows_text(fields(view)):
        _put(app, row)
    _put(app, [])
    _put(app, ["说明", "Note", BLANK_LEGEND])

    items = _sheet(
        wb,
        SHEETS[1],
        [
            "序号 / No.",
            "商品名称 / Item (zh)",
            "Item (en)",
            "物料号 / Part id",
            "管制编码 / Control code",
            "商品编码 / HS code",
            "规格/型号 / Specification, model",
            "单位 / Unit",
            f"数量（{UNIT[1]}）/ Quantity ({UNIT[0]})",
            "单价（每千克）/ Unit price (per kg)",
            "总值 / Total value",
            "币种 / Currency",
            "总值折美元 / Total in USD",
        ],
    )
    fmt = {9: KG, 10: MONEY, 11: MONEY, 13: MONEY}
    for it in item_lines(view):
        _put(
            items,
            [
                it.no,
                it.name_zh or BLANK,
                it.name_en,
                it.part_id,
                it.control_codes or BLANK,
                it.hs_code or BLANK,
                it.spec_model or BLANK,
                f"{UNIT[1]} / {UNIT[0]}",
                it.quantity_kg,
                it.unit_price if it.unit_price is not None else BLANK,
                it.total,
                it.currency,
                it.total_usd if it.total_usd is not None else BLANK,
            ],
            fmt,
        )
    totals = totals_of(view)
    for cur, total in totals.by_currency.items():
        _put(items, ["合计 / Total", "", "", "", "", "", "", "", None, None, total, cur], fmt)
    usd = totals.usd
    _put(items, ["总值折美元 / Total in USD", *[""] * 11, usd if usd is not None else BLANK], fmt)

    chain = _sheet(
        wb,
        SHEETS[2],
        [
            "路径 / Path (end user's site → final product)",
            "每件最终产品用量（件）/ Units per final product",
            "最终产品年产量（件）/ Final products per year",
            "年用量（件）/ Units per year",
            "年用量（千克）/ kg per year",
        ],
    )
    first = a.items[0]
    for r in view.chain.rows:
        _put(
            chain,
            [
                chain_text(r, first.name_zh or first.description),
                r.units_per_product,
                r.products_per_year,
                r.units_per_year,
                r.kg_per_year,
            ],
            {2: "0.####", 3: COUNT, 4: COUNT, 5: KG},
        )
    _put(chain, [])
    _put(chain, [bilingual_note(view.chain.note)])

    docs = _sheet(
        wb,
        SHEETS[3],
        ["材料", "Document", "状态", "State", "备注 / Reference or reason", "依据 / Basis"],
    )
    for c in view.checklist:
        _put(
            docs,
            [
                c.kind.label_zh,
                c.kind.label_en,
                c.state.label_zh,
                c.state.value,
                c.reference,
                c.kind.basis,
            ],
        )

    d = view.deadline
    dl = _sheet(wb, SHEETS[4], ["项目", "Item", "内容 / Value"])
    yes = {True: "是 / yes", False: "否 / no"}
    for zh, en, v, f in (
        ("提交日期", "Submitted on", d.submitted_on or "尚未提交 / not yet", "yyyy-mm-dd"),
        ("审查工作日", "Review working days", d.working_days, COUNT),
        ("截止日期", "Due on", d.due_on or "", "yyyy-mm-dd"),
        ("剩余工作日", "Working days left", d.remaining if d.remaining is not None else "", "0"),
        ("已逾期", "Overdue", yes[d.overdue], ""),
        ("即将到期", "Due soon", yes[d.due_soon], ""),
        ("估算", "Estimated (holidays not published)", yes[d.estimated], ""),
        ("说明", "Note", bilingual_note(d.note), ""),
        ("日历", "Calendar", view.calendar_source, ""),
    ):
        _put(dl, [zh, en, v], {3: f} if f else None)

    hist = _sheet(
        wb,
        SHEETS[5],
        ["时间 (UTC) / When (UTC)", "状态", "Status", "操作人 / Who", "备注 / Note"],
    )
    changes = a.history or ()
    if not changes:
        _put(
            hist,
            [_naive(a.created_at), STATUS_ZH[a.status], a.status.value, a.created_by, ""],
            {1: "yyyy-mm-dd hh:mm"},
        )
    for h in changes:
        _put(
            hist,
            [_naive(h.at), STATUS_ZH[h.status], h.status.value, h.actor, h.note],
            {1: "yyyy-mm-dd hh:mm"},
        )

    euc = _sheet(wb, SHEETS[6], ["项目", "Item", "内容 / Value"])
    _put(euc, ["一、基本信息", "Particulars", ""])
    for row in _rows_text(euc_particulars(view)):
        _put(euc, row)
    _put(euc, [])
    _put(euc, ["二、承诺", "Commitments", ""])
    for n, (en, zh) in enumerate(EUC_COMMITMENTS, 1):
        _put(euc, [f"{n}. {zh}", en, ""])
    _put(euc, [])
    _put(euc, ["三、签署", "Signature", ""])
    for en, zh in SIGNATURE_ROWS:
        _put(euc, [zh, en, ""])

    for ws in wb.worksheets:
        _finish(ws)
    tmp = path.with_name(path.name + ".tmp")
    wb.save(tmp)
    tmp.replace(path)
    return path


def _naive(at: datetime) -> datetime:
    """Excel has no time zones: UTC wall time (the header says UTC)."""
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at
