"""Application packet and end-user certificate: PDF (reportlab) and XLSX (openpyxl).

Labels are bilingual (English / 中文). Chinese text is set in a TrueType CJK font that
is embedded (subset) in the PDF: the file given as ``font_path`` (the ``cjk_font_path``
setting), else the first of ``DEBIAN_CJK_FONTS`` that is installed. Without one, it
falls back to reportlab's CID font ``STSong-Light``, which is *not* embedded (viewers
without an Asian font pack show boxes), and the packet says so.

Every value comes from the application or the workspace network; a field raretrace does
not know is printed as "to be completed / 待填写", never guessed. The Chinese labels
are raretrace's translations, not the official MOFCOM template, which the user must
still use for filing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from threading import Lock
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import (
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from raretrace.domain.applications import EUC_COMMITMENTS, DocState
from raretrace.domain.licences import format_mass
from raretrace.errors import InputError
from raretrace.services.licensing import ApplicationView

CJK_FONT = "STSong-Light"
#: TrueType CJK fonts from Debian packages, in order of preference (path, face index in
#: a collection). reportlab embeds TrueType outlines only: OpenType/CFF fonts such as
#: Noto Sans CJK or Source Han cannot be used.
DEBIAN_CJK_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # fonts-arphic-uming: AR PL UMing CN
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # fonts-wqy-microhei
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # fonts-wqy-zenhei
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),  # fonts-arphic-ukai
)
FALLBACK_NOTE = (
    "Chinese text uses the viewer's STSong-Light font, which is not embedded: a viewer "
    "without an Asian font pack shows boxes. Install fonts-arphic-uming or set "
    "RARETRACE_CJK_FONT_PATH to a TrueType CJK font to embed one."
)
BLANK = "to be completed / 待填写"
_CJK = re.compile(r"([\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+)")

ITEM_HEADER = [
    "No. / 序号",
    "Item / 物项名称",
    "Control code / 管制编码",
    "Quantity / 数量",
    "Value / 金额",
]
CHAIN_HEADER = [
    "Path / 路径",
    "Units per product / 每件产品用量",
    "Units per year / 年用量",
    "kg per year / 年用量（千克）",
]
_STATE_ZH = {DocState.ATTACHED: "已附", DocState.MISSING: "缺失", DocState.WAIVED: "免除"}


@dataclass(frozen=True, slots=True)
class CjkFont:
    """The font the packet sets Chinese text in."""

    name: str  # reportlab font name
    path: Path | None  # the embedded font file; None for the STSong-Light fallback
    family: str

    @property
    def embedded(self) -> bool:
        return self.path is not None


_FONTS: dict[tuple[str, int], CjkFont] = {}
_FONT_LOCK = Lock()


def _load_ttf(path: Path, face: int) -> CjkFont:
    key = (str(path), face)
    with _FONT_LOCK:
        if key in _FONTS:
            return _FONTS[key]
        name = f"RaretraceCJK{len(_FONTS) + 1}"
        ttf = TTFont(name, str(path), subfontIndex=face)
        pdfmetrics.registerFont(ttf)
        family = ttf.face.familyName
        font = CjkFont(
            name, path, family.decode("utf-8", "replace") if isinstance(family, bytes) else family
        )
        _FONTS[key] = font
        return font


def cjk_font(font_path: Path | None = None) -> CjkFont:
    """The CJK font to embed: ``font_path`` when given (an error if it cannot be used),
    else the first installed of ``DEBIAN_CJK_FONTS``, else the STSong-Light fallback."""
    if font_path is not None:
        try:
            return _load_ttf(Path(font_path), 0)
        except (OSError, TTFError) as exc:
            raise InputError(
                f"cjk_font_path: {font_path} is not a usable TrueType font ({exc}); "
                "reportlab embeds TrueType (.ttf/.ttc) outlines only"
            ) from None
    for path, face in DEBIAN_CJK_FONTS:
        if Path(path).is_file():
            try:
                return _load_ttf(Path(path), face)
            except (OSError, TTFError):
                continue
    with _FONT_LOCK:
        if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CjkFont(CJK_FONT, None, CJK_FONT)


def _mixed(text: str, cjk: str) -> str:
    """Escape for reportlab markup; set runs of CJK characters in the CJK font."""
    return _CJK.sub(lambda m: f'<font name="{cjk}">{m.group(1)}</font>', escape(text))


def fields(view: ApplicationView) -> list[tuple[str, str, str]]:
    """(English label, Chinese label, value) of the application form, blanks kept."""
    a, p = view.application, view.parties

    def party(role: str) -> str:
        info = p[role]
        return f"{info.name} ({info.party_id}), {info.country}"

    return [
        ("Application no. (raretrace)", "申请编号（raretrace）", str(a.application_id)),
        ("Status", "状态", a.status.value),
        (
            "Licence type requested",
            "申请许可证类型",
            {"single": "single / 单次", "general": "general / 通用"}.get(a.licence_type, ""),
        ),
        ("Exporter", "出口经营者", party("exporter")),
        ("Exporter address", "出口经营者地址", p["exporter"].address),
        ("Importer", "进口商", party("importer")),
        ("End user", "最终用户", party("end_user")),
        ("End-user address", "最终用户地址", p["end_user"].address),
        ("End-user registration no.", "最终用户注册号", ""),
        ("Country (region) of destination", "目的国（地区）", a.destination),
        ("Contract no.", "合同号", a.contract_ref),
        ("Declared end use", "最终用途说明", a.end_use),
        ("Rule pack", "适用公告", a.rule_pack),
    ]


def item_rows(view: ApplicationView) -> list[list[str]]:
    return [
        [
            str(n),
            f"{i.description} ({i.part_id})",
            ", ".join(i.control_codes) or BLANK,
            format_mass(i.mass_mg),
            f"{i.value} {i.currency}",
        ]
        for n, i in enumerate(view.application.items, 1)
    ]


def chain_rows(view: ApplicationView) -> list[list[str]]:
    first = view.application.items[0]
    out = []
    for r in view.chain.rows:
        per_year = "" if r.units_per_year is None else f"{r.units_per_year:,.0f}"
        kg = "" if r.kg_per_year is None else f"{r.kg_per_year:,.1f}"
        out.append([f"{first.description} → {r.text}", f"{r.units_per_product:g}", per_year, kg])
    return out


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=8.5, leading=11, alignment=TA_LEFT)
    return {
        "base": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444")
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName="Helvetica-Bold", fontSize=14, leading=18, spaceAfter=4
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName="Helvetica-Bold",
            fontSize=10.5,
            leading=14,
            spaceBefore=8,
            spaceAfter=3,
        ),
    }


_ST: dict[str, ParagraphStyle] = {}


def para(text: str, style: str = "base", cjk: str = CJK_FONT) -> Paragraph:
    if not _ST:
        _ST.update(_styles())
    return Paragraph(_mixed(text, cjk), _ST[style])


def grid(
    rows: list[list[str]], widths: list[float], header: bool = True, cjk: str = CJK_FONT
) -> Table:
    t = Table(
        [[para(c, cjk=cjk) for c in r] for r in rows], colWidths=widths, repeatRows=int(header)
    )
    style: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")))
    t.setStyle(TableStyle(style))
    return t


def write_pdf(
    view: ApplicationView,
    path: Path,
    *,
    generated_at: datetime,
    font_path: Path | None = None,
) -> Path:
    """Write the packet PDF; Chinese text in ``cjk_font(font_path)``."""
    font = cjk_font(font_path)
    txt = partial(para, cjk=font.name)
    tbl = partial(grid, cjk=font.name)
    a = view.application
    width = A4[0] - 36 * mm
    story: list[object] = [
        txt(f"Licence application packet / 许可申请材料 — no. {a.application_id}", "h1"),
        txt(
            f"Generated by raretrace on {generated_at:%Y-%m-%d %H:%M} UTC from workspace data. "
            "Chinese labels are raretrace translations; file with the official MOFCOM forms. "
            f"Blank fields read “{BLANK}”. "
            + (
                f"Chinese text set in {font.family} (embedded)." if font.embedded else FALLBACK_NOTE
            ),
            "small",
        ),
        txt("1. Application data / 申请信息", "h2"),
        tbl(
            [["Field / 字段", "Value / 内容"]]
            + [[f"{en} / {zh}", v or BLANK] for en, zh, v in fields(view)],
            [0.36 * width, 0.64 * width],
        ),
        txt("2. Items / 物项", "h2"),
        tbl(
            [ITEM_HEADER, *item_rows(view)],
            [0.09 * width, 0.41 * width, 0.17 * width, 0.15 * width, 0.18 * width],
        ),
        txt("3. End-use chain from the network / 最终用途链（供应网络）", "h2"),
    ]
    crows = chain_rows(view)
    if crows:
        story.append(
            tbl(
                [CHAIN_HEADER, *crows],
                [0.58 * width, 0.14 * width, 0.14 * width, 0.14 * width],
            )
        )
    else:
        story.append(txt(f"No downstream path found in the network: {BLANK}"))
    story.append(txt(view.chain.note, "small"))
    for w in view.warnings:
        story.append(txt(f"Check / 核对: {w}", "small"))
    story.append(txt("4. Document checklist / 材料清单", "h2"))
    story.append(
        tbl(
            [["Document / 材料", "State / 状态", "Reference / 备注", "Basis / 依据"]]
            + [
                [
                    f"{r.kind.label_en} / {r.kind.label_zh}",
                    f"{r.state.value} / {_STATE_ZH[r.state]}",
                    r.reference,
                    r.kind.basis,
                ]
                for r in view.checklist
            ],
            [0.46 * width, 0.14 * width, 0.22 * width, 0.18 * width],
        )
    )
    d = view.deadline
    story.append(txt("5. Review deadline / 审查期限", "h2"))
    due = (
        f"{d.due_on} ({d.remaining} working days from today"
        + ("; OVERDUE / 已逾期" if d.overdue else "; due soon / 即将到期" if d.due_soon else "")
        + (
            "; estimated: holiday arrangement for that year not yet published"
            if d.estimated
            else ""
        )
        + ")"
        if d.due_on
        else "not submitted yet / 尚未提交"
    )
    story.append(
        tbl(
            [
                ["Submitted on / 提交日期", str(d.submitted_on or "")],
                ["Working days / 工作日", str(d.working_days)],
                ["Due on / 截止日期", due],
            ],
            [0.36 * width, 0.64 * width],
            header=False,
        )
    )
    story.append(txt(f"{d.note} Calendar: {view.calendar_source}.", "small"))
    story.append(txt("6. Status history / 状态记录", "h2"))
    hist = [[h.at.strftime("%Y-%m-%d %H:%M"), h.status.value, h.actor, h.note] for h in a.history]
    story.append(
        tbl(
            [["When (UTC) / 时间", "Status / 状态", "Who / 操作人", "Note / 备注"]]
            + (hist or [[a.created_at.strftime("%Y-%m-%d %H:%M"), "draft", a.created_by, ""]]),
            [0.22 * width, 0.18 * width, 0.2 * width, 0.4 * width],
        )
    )
    story += [PageBreak(), *euc_story(view, width, font.name)]
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"Licence application {a.application_id}",
        author="raretrace",
    )
    doc.build(story)
    return path


def euc_story(view: ApplicationView, width: float, cjk: str = CJK_FONT) -> list[object]:
    txt = partial(para, cjk=cjk)
    tbl = partial(grid, cjk=cjk)
    a, p = view.application, view.parties
    items = "; ".join(f"{i.description} ({format_mass(i.mass_mg)})" for i in a.items)
    return [
        txt("End-user and end-use certificate / 最终用户和最终用途证明", "h1"),
        txt(
            "Draft prepared from the application data. The official MOFCOM template governs "
            "the wording; the commitments below are a summary of it from secondary sources.",
            "small",
        ),
        txt("Particulars / 基本信息", "h2"),
        tbl(
            [
                ["End user / 最终用户", f"{p['end_user'].name} ({p['end_user'].party_id})"],
                ["Address / 地址", p["end_user"].address or BLANK],
                ["Registration no. / 注册号", BLANK],
                ["Importer / 进口商", f"{p['importer'].name} ({p['importer'].party_id})"],
                ["Exporter / 出口经营者", f"{p['exporter'].name} ({p['exporter'].party_id})"],
                ["Items and quantity / 物项及数量", items],
                ["Contract no. / 合同号", a.contract_ref or BLANK],
                ["Country of destination / 目的国（地区）", a.destination],
                ["End use / 最终用途", a.end_use or BLANK],
            ],
            [0.36 * width, 0.64 * width],
            header=False,
        ),
        txt("Commitments / 承诺", "h2"),
        *[
            x
            for n, (en, zh) in enumerate(EUC_COMMITMENTS, 1)
            for x in (txt(f"{n}. {en}"), txt(f"    {zh}"), Spacer(1, 2 * mm))
        ],
        Spacer(1, 10 * mm),
        tbl(
            [
                ["Name and title of signatory / 签字人姓名及职务", ""],
                ["Signature and company seal / 签字及公司盖章", ""],
                ["Date / 日期", ""],
            ],
            [0.5 * width, 0.5 * width],
            header=False,
        ),
    ]


def write_xlsx(view: ApplicationView, path: Path) -> Path:
    """The same packet as an editable workbook (one sheet per section)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Application"
    bold = Font(bold=True)
    ws.append(["Field", "字段", "Value / 内容"])
    for en, zh, v in fields(view):
        ws.append([en, zh, v or BLANK])
    items = wb.create_sheet("Items")
    items.append(
        [
            "No. / 序号",
            "Item / 物项名称",
            "Control code / 管制编码",
            "Quantity / 数量",
            "Value / 金额",
        ]
    )
    for r in item_rows(view):
        items.append(r)
    chain = wb.create_sheet("End-use chain")
    chain.append(["Path / 路径", "Units per product", "Units per year", "kg per year"])
    for r in chain_rows(view):
        chain.append(r)
    chk = wb.create_sheet("Checklist")
    chk.append(["Document", "材料", "State / 状态", "Reference / 备注", "Basis / 依据"])
    for c in view.checklist:
        chk.append([c.kind.label_en, c.kind.label_zh, c.state.value, c.reference, c.kind.basis])
    euc = wb.create_sheet("End-user certificate")
    euc.append(["Commitment", "承诺"])
    for en, zh in EUC_COMMITMENTS:
        euc.append([en, zh])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = bold
        for col in sheet.columns:
            letter = col[0].column_letter
            sheet.column_dimensions[letter].width = min(
                80, max(12, *(len(str(c.value or "")) for c in col))
            )
            for c in col:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(path)
    return path
