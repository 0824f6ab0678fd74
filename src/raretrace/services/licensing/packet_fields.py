"""What a licence packet says: the licence-face fields, items, end-use chain, documents,
history and end-user-certificate particulars, bilingual, as plain values.

``packets`` sets them in a PDF, ``packet_xlsx`` in a workbook, the CLI in tables. The
field names and their order follow the dual-use export licence face and the
Regulations' document list in the official terms (regime.md §9.6):

* licence types 单项许可 / 通用许可 (2024 两用物项出口管制条例, grade B);
* face fields 出口商/发货人, 收货人, 进口国（地区）, 最终用户, 贸易方式, 合同号 (and the
  contract signing date), 报关口岸, 付款方式, 运输方式, 商品名称, 商品编码, 规格/型号,
  单位, 数量, 单价, 总值, 总值折美元 (licence template copy, grade C);
* exporter identity: registered Chinese name and full address, 统一社会信用代码,
  contact and telephone (licence template, grade C).

A field raretrace does not know prints as ``BLANK`` ("待填写"), never guessed and never
dropped. English labels, status names and the chain wording are raretrace's
translations; the official MOFCOM forms govern.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import pycountry

from raretrace.domain.applications import CLOCK_NOTE, AppStatus
from raretrace.rules import builtin_packs
from raretrace.services.licensing.service import CHAIN_NOTE, ApplicationView, ChainRow, PartyInfo

#: Printed for every field raretrace does not know (the issue's and regime.md §9.6's
#: "unknowns marked 待填写").
BLANK = "待填写"
BLANK_LEGEND = "待填写 = to be completed by the applicant / 由申请人填写"

LICENCE_TYPE = {
    "single": ("single licence", "单项许可"),
    "general": ("general licence", "通用许可"),
}

#: Status names: raretrace's own workflow (no statutory term), translated.
STATUS_ZH = {
    AppStatus.DRAFT: "草稿",
    AppStatus.SUBMITTED: "已提交",
    AppStatus.UNDER_REVIEW: "审查中",
    AppStatus.INFO_REQUESTED: "需补充材料",
    AppStatus.APPROVED: "已批准",
    AppStatus.DENIED: "不予许可",
    AppStatus.WITHDRAWN: "已撤回",
}

UNIT = ("kg", "千克")  # quantities are masses (AppItem.mass_mg)


#: Chinese versions of the fixed notes printed with the chain and the deadline
#: (raretrace's translations of its own notes).
NOTES_ZH = {
    CHAIN_NOTE: "依据供应网络的下游用途路径；数量 = 计划产量 × 物料清单用量 × 供货份额，并非预测。",
    CLOCK_NOTE: "自提交日期起按工作日计算（含中国法定节假日及调休）；起算事件、中止情形及"
    "法律条款尚未确认。",
}


def bilingual_note(note: str) -> str:
    """A fixed note with its Chinese version first; other notes as they are."""
    zh = NOTES_ZH.get(note)
    return f"{zh}\n{note}" if zh else note


def status_label(status: AppStatus) -> str:
    return f"{STATUS_ZH[status]} / {status.value}"


@cache
def _iso3166_zh() -> gettext.NullTranslations:
    # Chinese country names from the iso-codes project's zh_CN catalogue shipped with
    # pycountry (https://salsa.debian.org/iso-codes-team/iso-codes).
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])


def country_zh(code: str) -> str:
    """Chinese name of an ISO 3166 alpha-2 country ("PL" -> "波兰"); the code if unknown."""
    c = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if c is None:
        return code
    return _iso3166_zh().gettext(c.name)


def country_label(code: str) -> str:
    """ "波兰 Poland (PL)"."""
    c = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if c is None:
        return code or BLANK
    return f"{country_zh(code)} {getattr(c, 'common_name', c.name)} ({c.alpha_2})"


_INSTRUMENT = re.compile(r"^(MOFCOM/GAC|MOFCOM) Announcement (\d{4}) No\. (\d+)$")


@cache
def _instruments() -> dict[str, str]:
    return {p.id: p.instrument for p in builtin_packs()}


def measure_label(pack_id: str) -> tuple[str, str]:
    """(Chinese, English) name of a rule pack's measure.

    "MOFCOM/GAC Announcement 2025 No. 18" -> "商务部 海关总署公告2025年第18号" (the form
    of the title in regime.md §1, grade A); a MOFCOM-only announcement -> "商务部公告
    YYYY年第N号". A pack raretrace does not ship keeps its id."""
    instrument = _instruments().get(pack_id, "")
    m = _INSTRUMENT.match(instrument)
    if not m:
        return (pack_id, instrument or pack_id)
    issuer = "商务部 海关总署" if m.group(1) == "MOFCOM/GAC" else "商务部"
    return (f"{issuer}公告{m.group(2)}年第{m.group(3)}号", instrument)


def party_lines(p: PartyInfo) -> str:
    """Registered Chinese name (when known) over the English name and id."""
    en = f"{p.name} ({p.party_id})"
    if p.site_name and p.ref != p.party_id:
        en += f", site: {p.site_name}"
    return f"{p.name_zh}\n{en}" if p.name_zh else en


def address_lines(p: PartyInfo) -> str:
    lines = [x for x in (p.address_zh, p.address) if x]
    return "\n".join(lines)


def _money(d: Decimal | None) -> str:
    return "" if d is None else f"{d:,.2f}"


def fields(view: ApplicationView) -> list[tuple[str, str, str]]:
    """(English label, Chinese label, value) in licence-face order; "" = unknown."""
    a, p = view.application, view.parties
    f = a.face
    signed = f.contract_date.isoformat() if f.contract_date else ""
    exp, imp, eu = p["exporter"], p["importer"], p["end_user"]
    kind = LICENCE_TYPE.get(a.licence_type)
    measure_zh, measure_en = measure_label(a.rule_pack) if a.rule_pack else ("", "")
    totals = totals_of(view)
    total_text = "; ".join(f"{_money(v)} {c}" for c, v in totals.by_currency.items())
    return [
        ("Application no. (raretrace)", "申请编号（raretrace）", str(a.application_id)),
        ("Status (raretrace)", "状态（raretrace）", status_label(a.status)),
        ("Licence type requested", "申请许可类型", f"{kind[1]} / {kind[0]}" if kind else ""),
        ("Exporter / consignor", "出口商/发货人", party_lines(exp)),
        ("Exporter's registered address", "出口商注册地址", address_lines(exp)),
        ("Unified social credit code", "统一社会信用代码", exp.uscc),
        ("Contact person", "联系人", exp.contact),
        ("Telephone", "联系电话", exp.telephone),
        ("Consignor (if not the exporter)", "发货人（如非出口商）", f.consignor or "same / 同上"),
        ("Consignee", "收货人", f.consignee or party_lines(imp)),
        ("Importer", "进口商", party_lines(imp)),
        ("Importer's address", "进口商地址", address_lines(imp)),
        ("End user", "最终用户", party_lines(eu)),
        ("End user's address", "最终用户地址", address_lines(eu)),
        ("Country (region) of import", "进口国（地区）", country_label(a.destination)),
        ("Trade mode", "贸易方式", f.trade_mode),
        ("Contract no.", "合同号", a.contract_ref),
        ("Contract signing date", "合同签字日期", signed),
        ("Port of declaration", "报关口岸", f.port_of_declaration),
        ("Payment", "付款方式", f.payment),
        ("Transport", "运输方式", f.transport),
        ("Total value", "总值", total_text),
        ("Total value in USD", "总值折美元", _money(totals.usd)),
        ("Declared end use", "最终用途", a.end_use),
        ("Measure applied", "适用公告", f"{measure_zh}\n{measure_en}" if measure_zh else ""),
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One item in licence-face terms; numbers stay numbers (for the workbook)."""

    no: int
    part_id: str
    name_en: str
    name_zh: str
    control_codes: str
    hs_code: str
    spec_model: str
    quantity_kg: Decimal
    unit_price: Decimal | None  # per kg, in ``currency``
    total: Decimal
    currency: str
    total_usd: Decimal | None  # the item's value when in USD; else unknown

    @property
    def name(self) -> str:
        return (
            f"{self.name_zh}\n{self.name_en} ({self.part_id})"
            if self.name_zh
            else (f"{self.name_en} ({self.part_id})")
        )


def item_lines(view: ApplicationView) -> list[ItemLine]:
    return [
        ItemLine(
            no=n,
            part_id=i.part_id,
            name_en=i.description,
            name_zh=i.name_zh,
            control_codes=", ".join(i.control_codes),
            hs_code=i.hs_code,
            spec_model=i.spec_model,
            quantity_kg=i.kg,
            unit_price=i.unit_price,
            total=i.value,
            currency=i.currency,
            total_usd=i.value if i.currency == "USD" else None,
        )
        for n, i in enumerate(view.application.items, 1)
    ]


@dataclass(frozen=True, slots=True)
class Totals:
    by_currency: dict[str, Decimal]
    usd: Decimal | None  # all values in USD, or the applicant's converted total


def totals_of(view: ApplicationView) -> Totals:
    by: dict[str, Decimal] = {}
    for i in view.application.items:
        by[i.currency] = by.get(i.currency, Decimal(0)) + i.value
    usd = by["USD"] if set(by) == {"USD"} else view.application.face.total_usd
    return Totals(by, usd)


def _num(d: Decimal) -> str:
    return f"{d:,f}".rstrip("0").rstrip(".") if "." in f"{d:f}" else f"{d:,f}"


def item_rows(view: ApplicationView) -> list[list[str]]:
    """Item rows as text (CLI table): no., item, control code, quantity, value."""
    return [
        [
            str(it.no),
            it.name.replace("\n", " / "),
            it.control_codes or BLANK,
            f"{_num(it.quantity_kg)} kg",
            f"{_money(it.total)} {it.currency}",
        ]
        for it in item_lines(view)
    ]


def item_table(view: ApplicationView) -> list[list[str]]:
    """Item rows as text in licence-face columns (``ITEM_HEADER``)."""
    return [
        [
            str(it.no),
            it.name,
            it.control_codes or BLANK,
            it.hs_code or BLANK,
            it.spec_model or BLANK,
            f"{UNIT[1]} / {UNIT[0]}",
            _num(it.quantity_kg),
            f"{_money(it.unit_price)} {it.currency}/kg" if it.unit_price is not None else BLANK,
            f"{_money(it.total)} {it.currency}",
            _money(it.total_usd) or BLANK,
        ]
        for it in item_lines(view)
    ]


ITEM_HEADER = [
    "No.\n序号",
    "Item\n商品名称",
    "Control code\n管制编码",
    "HS code\n商品编码",
    "Specification / model\n规格/型号",
    "Unit\n单位",
    "Quantity\n数量",
    "Unit price\n单价",
    "Total value\n总值",
    "Total in USD\n总值折美元",
]

CHAIN_HEADER = [
    "Path from the end user's site to the final product\n路径（最终用户工厂至最终产品）",
    "Units per final product\n每件最终产品用量（件）",
    "Final products per year\n最终产品年产量（件）",
    "Units per year\n年用量（件）",
    "kg per year\n年用量（千克）",
]


def chain_text(row: ChainRow, first_part: str) -> str:
    """The path in Chinese where names are known, else English, countries in Chinese."""
    steps = [
        f"{s.part_name_zh or s.part_name} — {s.party_name_zh or s.party_name}"
        f"（{country_zh(s.country)}）"
        for s in row.steps
    ]
    return " → ".join([first_part, *steps])


def chain_rows(view: ApplicationView) -> list[list[str]]:
    first = view.application.items[0]
    name = first.name_zh or first.description
    out = []
    for r in view.chain.rows:
        per_year = "" if r.units_per_year is None else f"{r.units_per_year:,.0f}"
        products = "" if r.products_per_year is None else f"{r.products_per_year:,.0f}"
        kg = "" if r.kg_per_year is None else f"{r.kg_per_year:,.1f}"
        out.append([chain_text(r, name), f"{r.units_per_product:g}", products, per_year, kg])
    return out


DOC_HEADER = ["Document\n材料", "State\n状态", "Reference / reason\n备注", "Basis\n依据"]


def document_rows(view: ApplicationView) -> list[list[str]]:
    return [
        [
            f"{r.kind.label_zh}\n{r.kind.label_en}",
            f"{r.state.label_zh} / {r.state.value}",
            r.reference,
            r.kind.basis,
        ]
        for r in view.checklist
    ]


def euc_particulars(view: ApplicationView) -> list[tuple[str, str, str]]:
    """(English, Chinese, value) particulars of the end-user certificate."""
    a, p = view.application, view.parties
    eu, imp, exp = p["end_user"], p["importer"], p["exporter"]
    items = "\n".join(
        f"{it.no}. {it.name_zh or it.name_en}: {_num(it.quantity_kg)} 千克 (kg), "
        f"{_money(it.total)} {it.currency}; 管制编码 {it.control_codes or BLANK}; "
        f"商品编码 {it.hs_code or BLANK}"
        for it in item_lines(view)
    )
    final = sorted({r.steps[-1].part_name_zh or r.steps[-1].part_name for r in view.chain.rows})
    return [
        ("End user", "最终用户", party_lines(eu)),
        ("End user's address", "最终用户地址", address_lines(eu)),
        ("Country (region)", "国家（地区）", country_label(eu.country)),
        ("End user's contact person", "最终用户联系人", eu.contact),
        ("End user's telephone", "最终用户联系电话", eu.telephone),
        ("Importer", "进口商", party_lines(imp)),
        ("Exporter", "出口商", party_lines(exp)),
        ("Items, quantity, value, control and HS codes", "物项、数量、价值、管制编码及商品编码",
         items),
        ("Contract no.", "合同号", a.contract_ref),
        ("Contract signing date", "合同签字日期",
         a.face.contract_date.isoformat() if a.face.contract_date else ""),
        ("Declared end use", "最终用途", a.end_use),
        ("Final products (from the supply network)", "最终产品（供应网络）", "; ".join(final)),
    ]  # fmt: skip


SIGNATURE_ROWS = [
    ("End user's name and company seal", "最终用户名称（盖章）"),
    ("Name of the signatory", "签字人姓名"),
    ("Title of the signatory", "签字人职务"),
    ("Signature", "签字"),
    ("Date", "日期"),
]
