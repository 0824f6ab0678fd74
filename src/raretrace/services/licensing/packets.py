"""Application packet and end-user certificate: PDF (reportlab) and XLSX (openpyxl).

Labels are bilingual (English / 中文). Chinese text is set in a TrueType CJK font that
is embedded (subset) in the PDF: the file given as ``font_path`` (the ``cjk_font_path``
setting), else the first of ``DEBIAN_CJK_FONTS`` that is installed. Without one, it
falls back to reportlab's CID font ``STSong-Light``, which is *not* embedded (viewers
without an Asian font pack show boxes), and the packet says so.

Every value comes from the application or the workspace network (``packet_fields``); a
field raretrace does not know is printed as "待填写", never guessed. Field names, the
document list, licence types and document states use the statutory terms (regime.md
§9.6); the official MOFCOM forms still govern the filing. Every page carries
"第 X 页 共 Y 页" (and "Page X of Y").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from threading import Lock
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from raretrace.domain.applications import EUC_COMMITMENTS
from raretrace.errors import InputError
from raretrace.services.licensing.packet_fields import (
    BLANK,
    BLANK_LEGEND,
    CHAIN_HEADER,
    DOC_HEADER,
    ITEM_HEADER,
    SIGNATURE_ROWS,
    bilingual_note,
    chain_rows,
    document_rows,
    euc_particulars,
    fields,
    item_rows,
    item_table,
    status_label,
    totals_of,
)
from raretrace.services.licensing.service import ApplicationView

__all__ = ["BLANK", "chain_rows", "cjk_font", "fields", "item_rows", "write_pdf", "write_xlsx"]

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


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def _latin(ch: str) -> bool:
    """Whether Helvetica (WinAnsi encoding) has the character."""
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _mixed(text: str, cjk: str) -> str:
    """Escape for reportlab markup, keep line breaks; set every run of characters that
    Helvetica lacks (Chinese, but also "ł", arrows ...) in the embedded CJK font."""
    out: list[str] = []
    text = _CONTROL.sub("\ufffd", text)
    for line in text.split("\n"):
        runs: list[str] = []
        i = 0
        while i < len(line):
            latin = _latin(line[i])
            j = i
            while j < len(line) and _latin(line[j]) == latin:
                j += 1
            chunk = escape(line[i:j])
            runs.append(chunk if latin else f'<font name="{cjk}">{chunk}</font>')
            i = j
        out.append("".join(runs))
    return "<br/>".join(out)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="Helvetica", fontSize=8.5, leading=11, alignment=TA_LEFT)
    return {
        "base": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444")
        ),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName="Helvetica-Bold", fontSize=13, leading=17, spaceAfter=4
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
    rows: list[list[str]],
    widths: list[float],
    header: bool = True,
    cjk: str = CJK_FONT,
    style: str = "base",
    row_heights: list[float] | None = None,
) -> Table:
    t = Table(
        [[para(c, style, cjk=cjk) for c in r] for r in rows],
        colWidths=widths,
        rowHeights=row_heights,
        repeatRows=int(header),
    )
    cmds: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")))
    t.setStyle(TableStyle(cmds))
    return t


def _field_rows(triples: list[tuple[str, str, str]]) -> list[list[str]]:
    return [[f"{zh}\n{en}", v or BLANK] for en, zh, v in triples]


def _numbered_canvas(cjk: str, title_zh: str, title_en: str) -> type[Canvas]:
    """A canvas that prints "第 X 页 共 Y 页 / Page X of Y" once the page count is known."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            n = self._pageNumber
            self.setFillColor(colors.HexColor("#444444"))
            self.setFont(cjk, 7.5)
            self.drawString(18 * mm, 9 * mm, title_zh)
            self.drawRightString(A4[0] - 18 * mm, 9 * mm, f"第 {n} 页 共 {total} 页")
            self.setFont("Helvetica", 7.5)
            self.drawString(18 * mm, 5.5 * mm, title_en)
            self.drawRightString(A4[0] - 18 * mm, 5.5 * mm, f"Page {n} of {total}")

    return NumberedCanvas


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
        txt(f"两用物项出口许可申请材料 — 申请编号 {a.application_id}", "h1"),
        txt(f"Dual-use items export licence application packet — no. {a.application_id}", "h2"),
        txt(
            f"本材料由 raretrace 于 {generated_at:%Y-%m-%d %H:%M} UTC 根据工作区数据生成；"
            "正式申请以商务部规定的表格为准。"
            f"Generated by raretrace on {generated_at:%Y-%m-%d %H:%M} UTC from workspace data; "
            "file with the official MOFCOM forms. Terms follow the 2024 Dual-Use Export "
            f"Control Regulations and the licence face. {BLANK_LEGEND}. "
            + (
                f"Chinese text set in {font.family} (embedded)." if font.embedded else FALLBACK_NOTE
            ),
            "small",
        ),
        txt("1. 申请信息 / Application (licence face)", "h2"),
        tbl(
            [["字段 / Field", "内容 / Value"], *_field_rows(fields(view))],
            [0.34 * width, 0.66 * width],
        ),
        txt("2. 物项 / Items", "h2"),
        tbl(
            [ITEM_HEADER, *item_table(view)],
            [w * width for w in (0.05, 0.19, 0.09, 0.10, 0.10, 0.07, 0.08, 0.11, 0.11, 0.10)],
            style="cell",
        ),
    ]
    totals = totals_of(view)
    if totals.usd is None:
        story.append(
            txt(
                "总值折美元：待填写（raretrace 不做汇率换算；非美元计价时请按申报时汇率填写）。"
                "Total in USD: to be completed (raretrace converts no currency; give it "
                "with the application when values are not in USD).",
                "small",
            )
        )
    story.append(txt("3. 最终用途链（供应网络）/ End-use chain from the network", "h2"))
    crows = chain_rows(view)
    if crows:
        story.append(
            tbl(
                [CHAIN_HEADER, *crows],
                [0.52 * width, 0.12 * width, 0.12 * width, 0.12 * width, 0.12 * width],
                style="cell",
            )
        )
    else:
        story.append(txt(f"供应网络中未找到下游路径 / No downstream path in the network: {BLANK}"))
    story.append(txt(bilingual_note(view.chain.note), "small"))
    for w in view.warnings:
        story.append(txt(f"核对 / Check: {w}", "small"))
    story.append(txt("4. 申请材料清单 / Documents (the Regulations' list)", "h2"))
    story.append(
        tbl(
            [DOC_HEADER, *document_rows(view)],
            [0.46 * width, 0.14 * width, 0.2 * width, 0.2 * width],
            style="cell",
        )
    )
    story += _deadline_story(view, width, font.name)
    story += [PageBreak(), *euc_story(view, width, font.name)]
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"Licence application {a.application_id}",
        author="raretrace",
    )
    canvas = _numbered_canvas(
        font.name,
        f"两用物项出口许可申请材料　申请编号 {a.application_id}",
        f"Licence application packet, application no. {a.application_id}",
    )
    doc.build(story, canvasmaker=canvas)
    return path


def _deadline_story(view: ApplicationView, width: float, cjk: str) -> list[object]:
    txt = partial(para, cjk=cjk)
    tbl = partial(grid, cjk=cjk)
    d, a = view.deadline, view.application
    if d.due_on:
        flag = "；已逾期 / OVERDUE" if d.overdue else "；即将到期 / due soon" if d.due_soon else ""
        est = "；估算：该年度节假日安排尚未公布 / estimated" if d.estimated else ""
        due = f"{d.due_on}（距今 {d.remaining} 个工作日 / working days from today{flag}{est}）"
    else:
        due = "尚未提交 / not submitted yet"
    hist = [
        [h.at.strftime("%Y-%m-%d %H:%M"), status_label(h.status), h.actor, h.note]
        for h in a.history
    ] or [[a.created_at.strftime("%Y-%m-%d %H:%M"), status_label(a.status), a.created_by, ""]]
    return [
        txt("5. 审查期限 / Review deadline", "h2"),
        tbl(
            [
                ["提交日期 / Submitted on", str(d.submitted_on or "") or "尚未提交 / not yet"],
                ["审查工作日 / Working days", str(d.working_days)],
                ["截止日期 / Due on", due],
            ],
            [0.34 * width, 0.66 * width],
            header=False,
        ),
        txt(f"{bilingual_note(d.note)} 日历 / Calendar: {view.calendar_source}.", "small"),
        txt("6. 状态记录 / Status history", "h2"),
        tbl(
            [["时间 (UTC) / When", "状态 / Status", "操作人 / Who", "备注 / Note"], *hist],
            [0.2 * width, 0.2 * width, 0.2 * width, 0.4 * width],
            style="cell",
        ),
    ]


def euc_story(view: ApplicationView, width: float, cjk: str = CJK_FONT) -> list[object]:
    txt = partial(para, cjk=cjk)
    tbl = partial(grid, cjk=cjk)
    return [
        txt("最终用户和最终用途证明", "h1"),
        txt("End-user and end-use certificate", "h2"),
        txt(
            "由最终用户出具（原件，含中文译件），随出口许可申请提交。以下内容根据申请数据预填，"
            "承诺条款依据商务部办事指南及2025年实践（regime.md §9.6）；正式文本以商务部要求为准。"
            "Issued by the end user (original, with a Chinese translation) for the export "
            "licence application; particulars pre-filled from the application; the "
            "commitments follow MOFCOM's guidance and 2025 practice (regime.md §9.6).",
            "small",
        ),
        txt("一、基本信息 / Particulars", "h2"),
        tbl(
            _field_rows(euc_particulars(view)),
            [0.34 * width, 0.66 * width],
            header=False,
            style="cell",
        ),
        txt("二、承诺 / Commitments", "h2"),
        *[
            x
            for n, (en, zh) in enumerate(EUC_COMMITMENTS, 1)
            for x in (txt(f"{n}. {zh}"), txt(f"    {en}", "small"), Spacer(1, 0.8 * mm))
        ],
        KeepTogether(
            [
                txt("三、签署 / Signature", "h2"),
                _signature_table(width, cjk),
            ]
        ),
    ]


def _signature_table(width: float, cjk: str) -> Table:
    return grid(
        [[f"{zh} / {en}", ""] for en, zh in SIGNATURE_ROWS],
        [0.42 * width, 0.58 * width],
        header=False,
        cjk=cjk,
        style="cell",
        row_heights=[10 * mm] * len(SIGNATURE_ROWS),  # room to sign and seal
    )


def write_xlsx(view: ApplicationView, path: Path) -> Path:
    """The same packet as an editable workbook (see ``packet_xlsx``)."""
    from raretrace.services.licensing.packet_xlsx import write_workbook

    return write_workbook(view, path)
