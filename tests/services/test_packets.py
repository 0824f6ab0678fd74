"""Licence packets read back: the PDF text carries every licence-face field, the
Regulations' document list and the end-user certificate in the statutory terms
(regime.md §9.6); the workbook is editable (numbers, dates, no formulas); one page
matches a golden rendering. PDFs embed a TrueType CJK font when one is installed (CI
installs fonts-arphic-uming)."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from raretrace.domain.applications import DOCUMENTS, EUC_COMMITMENTS, LicenceFace
from raretrace.domain.clock import FixedClock
from raretrace.errors import InputError
from raretrace.services.licensing import packets
from raretrace.services.licensing.service import ApplicationView, ItemInput
from raretrace.settings import Settings
from raretrace.workspace import Workspace

AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
GOLDEN = Path(__file__).parent / "golden" / "packet-euc-page.png"


def _installed_font() -> Path:
    for path, _ in packets.DEBIAN_CJK_FONTS:
        if Path(path).is_file():
            return Path(path)
    if os.environ.get("CI"):
        pytest.fail("no Debian CJK font in CI: .ci/run must install fonts-arphic-uming")
    pytest.skip("no TrueType CJK font installed (apt-get install fonts-arphic-uming)")


@pytest.fixture
def ws(settings: Settings) -> Iterator[Workspace]:
    """The sample world on a clock fixed at 2 March 2026 (SQLite and PostgreSQL)."""
    w = Workspace.open(settings, clock=FixedClock(AT))
    w.load_sample()
    yield w
    w.close()


def _view(ws: Workspace, face: LicenceFace | None = None, **item: str) -> ApplicationView:
    return ws.licensing.create_application(
        exporter="S-HEN-CN-BT",
        importer="HARZFELD",
        end_user="S-HAR-PL-KAT",
        items=[ItemInput("MAG-EPS", "1500 kg", "95000.00", "USD", **item)],
        end_use="Rotor magnets for EPS motors",
        actor="test",
        as_of=date(2026, 3, 2),
        face=face,
    )


def _pdf_pages(path: Path) -> list[str]:
    """Text of each page with all white space removed (cells wrap anywhere)."""
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(path).pages]


def _has(text: str, needle: str) -> bool:
    return re.sub(r"\s+", "", needle) in text


def test_packet_embeds_a_cjk_font(ws: Workspace, tmp_path: Path) -> None:
    font = _installed_font()
    view = _view(ws)
    auto = packets.write_pdf(view, tmp_path / "auto.pdf", generated_at=AT).read_bytes()
    given = packets.write_pdf(
        view, tmp_path / "given.pdf", generated_at=AT, font_path=font
    ).read_bytes()
    for pdf in (auto, given):
        assert pdf.startswith(b"%PDF")
        assert b"/FontFile2" in pdf  # an embedded TrueType font program
        assert b"STSong-Light" not in pdf
    assert packets.cjk_font(font).embedded


def test_unusable_font_path_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-font.ttf"
    bad.write_bytes(b"no font here")
    with pytest.raises(InputError, match="cjk_font_path"):
        packets.cjk_font(bad)
    with pytest.raises(InputError, match="cjk_font_path"):
        packets.cjk_font(tmp_path / "missing.ttf")


#: Licence-face labels (regime.md §9.6 "Licence face fields" and "Exporter identity").
FACE_LABELS = (
    "出口商/发货人", "收货人", "进口国（地区）", "最终用户", "贸易方式", "合同号",
    "合同签字日期", "报关口岸", "付款方式", "运输方式", "商品名称", "商品编码", "规格/型号",
    "单位", "数量", "单价", "总值", "总值折美元", "统一社会信用代码", "联系人", "联系电话",
)  # fmt: skip
#: Unknown in this application: each prints as 待填写 (USCC, contact etc. are known).
UNKNOWN_FIELDS = ("贸易方式", "合同号", "合同签字日期", "报关口岸", "付款方式", "运输方式")


def test_pdf_reads_back_every_field_and_term(ws: Workspace, tmp_path: Path) -> None:
    _installed_font()
    v = _view(ws, hs_code="8505111000")
    aid = v.application.application_id
    assert aid is not None
    ws.licensing.attach(aid, "technical_spec", "MAG-EPS datasheet", actor="test")
    ws.licensing.waive(aid, "other_required", "none requested", actor="test")
    v = ws.licensing.application(aid, today=date(2026, 3, 2))
    pages = _pdf_pages(packets.write_pdf(v, tmp_path / "p.pdf", generated_at=AT))
    text = "".join(pages)
    for label in FACE_LABELS:
        assert _has(text, label), label
    # the application table: each unknown field's row reads "<zh><en>待填写"
    rows = {zh: (en, value) for en, zh, value in packets.fields(v)}
    for zh in UNKNOWN_FIELDS:
        en, value = rows[zh]
        assert value == "", zh
        assert _has(text, zh + en + "待填写"), zh
    # exporter identity (fictional sample data), end user is the Polish legal entity
    for value in (
        "包头恒达磁业有限公司", "91150200508416830H", "王明", "+864720000101",
        "内蒙古自治区包头市稀土高新区示例路1号", "HarzfeldPolskaSp.zo.o.", "Przykładowa",
        "AnnaNowak",
    ):  # fmt: skip
        assert _has(text, value), value
    # countries and the measure in Chinese, licence type in the statutory term
    assert _has(text, "波兰Poland(PL)") and _has(text, "德国")
    assert _has(text, "商务部海关总署公告2025年第18号") and "ann-2025-18" not in text
    assert _has(text, "单项许可") and "单次" not in text
    # items: control code, HS code, unit, quantity, unit price (95000 / 1500), totals
    for value in ("1C905.a", "8505111000", "千克", "1,500", "63.33USD/kg", "95,000.00"):
        assert _has(text, value), value
    assert _has(text, "烧结钕铁硼永磁体")  # the part's Chinese name
    # document list in the statutory terms and states
    for d in DOCUMENTS:
        assert _has(text, d.label_zh), d.key
    for term in (
        "合同或者协议的副本",
        "申请人的法定代表人、主要经营管理人以及经办人的身份证明",
        "最终用户和最终用途证明（原件，含中文译件）",
        "国务院商务主管部门规定提交的其他文件",
        "未提交", "已提交", "免于提交",
    ):  # fmt: skip
        assert _has(text, term), term
    for stale in ("复印件", "附中文译本", "缺失", "已附", "免除"):
        assert stale not in text, stale
    # end-user certificate: commitments with a subject, particulars, signature block
    euc = next(p for p in pages if p.startswith("最终用户和最终用途证明"))
    for en, zh in EUC_COMMITMENTS:
        assert _has(euc, zh) and _has(euc, en), zh
    for term in ("我方", "军事最终用户", "恐怖主义", "核查", "大规模杀伤性武器及其运载工具"):
        assert _has(euc, term), term
    for term in ("合同号", "合同签字日期", "1C905.a", "8505111000", "95,000.00USD",
                 "最终用户联系人", "AnnaNowak", "+48320000001",
                 "最终用户名称（盖章）", "签字人姓名", "签字人职务", "签字", "日期"):  # fmt: skip
        assert _has(euc, term), term
    # the chain and deadline notes are in Chinese too
    assert _has(text, "并非预测") and _has(text, "起算事件、中止情形及法律条款尚未确认")
    # page numbers on every page
    for n, page in enumerate(pages, 1):
        assert f"第{n}页共{len(pages)}页" in page and f"Page{n}of{len(pages)}" in page


def test_given_face_fields_are_printed(ws: Workspace, tmp_path: Path) -> None:
    _installed_font()
    face = LicenceFace(
        trade_mode="一般贸易",
        port_of_declaration="天津新港",
        payment="电汇 T/T",
        transport="海运",
        consignee="S-HAR-PL-KAT",
        contract_date=date(2026, 2, 20),
        total_usd=Decimal("103500.00"),
    )
    v = ws.licensing.create_application(
        exporter="S-HEN-CN-BT", importer="HARZFELD", end_user="S-HAR-PL-KAT",
        items=[ItemInput("MAG-EPS", "1500 kg", "90000.00", "EUR", spec_model="N42SH 30 g")],
        contract_ref="HD-2026-017", end_use="EPS motors", actor="test",
        as_of=date(2026, 3, 2), face=face,
    )  # fmt: skip
    again = ws.licensing.application(v.application.application_id or 0)
    assert again.application.face == face  # stored and read back
    assert again.application.items[0].spec_model == "N42SH 30 g"
    text = "".join(_pdf_pages(packets.write_pdf(again, tmp_path / "f.pdf", generated_at=AT)))
    for value in ("一般贸易", "天津新港", "电汇T/T", "海运", "HD-2026-017", "2026-02-20",
                  "103,500.00", "N42SH30g", "60.00EUR/kg", "90,000.00EUR"):  # fmt: skip
        assert _has(text, value), value


def test_xlsx_is_editable_bilingual_and_formula_free(ws: Workspace, tmp_path: Path) -> None:
    v = _view(ws)
    aid = v.application.application_id
    assert aid is not None
    ws.licensing.attach(aid, "contract", '=HYPERLINK("http://x","contract")', actor="test")
    ws.licensing.set_status(aid, "withdrawn", actor="test", note="=1+1", at=AT)
    v = ws.licensing.application(aid, today=date(2026, 3, 2))
    path = packets.write_xlsx(v, tmp_path / "p.xlsx")
    wb = load_workbook(path)
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert len(wb.sheetnames) == 7
    for sheet in wb.worksheets:
        assert cjk.search(sheet.title) and re.search(r"[A-Za-z]", sheet.title), sheet.title
        header = " ".join(str(c.value or "") for c in sheet[1])
        assert cjk.search(header) and re.search(r"[A-Za-z]", header), sheet.title
    items = wb["物项 Items"]
    head = [c.value for c in items[1]]
    q, price, total = (
        head.index("数量（千克）/ Quantity (kg)"),
        head.index("单价（每千克）/ Unit price (per kg)"),
        head.index("总值 / Total value"),
    )
    row = [c.value for c in items[2]]
    assert row[q] == 1500 and isinstance(row[q], (int, float))
    assert row[total] == 95000 and round(float(row[price]), 2) == 63.33
    assert "商品编码 / HS code" in head and row[head.index("商品编码 / HS code")] == "850511"
    deadline = {r[1].value: r[2].value for r in wb["审查期限 Deadline"].iter_rows(min_row=2)}
    assert deadline["Review working days"] == 45
    history = [[c.value for c in r] for r in wb["状态记录 History"].iter_rows(min_row=2)]
    assert history[-1][1:4] == ["已撤回", "withdrawn", "test"] and history[-1][4] == "=1+1"
    assert history[-1][0] == AT.replace(tzinfo=None)
    docs = {r[1].value: r for r in wb["材料 Documents"].iter_rows(min_row=2)}
    contract = docs["Copy (副本) of the contract or agreement"]
    assert contract[0].value == "合同或者协议的副本" and contract[2].value == "已提交"
    assert contract[4].value.startswith("=HYPERLINK") and contract[4].data_type == "s"
    euc = [str(c.value) for r in wb["最终用户证明 End-user cert"].iter_rows() for c in r]
    assert any("恐怖主义" in c for c in euc) and "签字人职务" in euc
    with zipfile.ZipFile(path) as z:  # no cell anywhere is a formula
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def _render(pdf: Path, page: int) -> object:
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument(str(pdf))
    return doc[page].render(scale=1.0).to_pil().convert("L")


def test_certificate_page_matches_the_golden_rendering(ws: Workspace, tmp_path: Path) -> None:
    """The end-user certificate page, rendered at 72 dpi, against a stored PNG.

    Tolerant: both images are averaged over 4 x 4 blocks (font hinting and anti-aliasing
    differ between FreeType builds) and may differ by 24 grey levels in at most 1.5 % of
    the blocks. Regenerate with RARETRACE_UPDATE_GOLDEN=1 after a deliberate change."""
    font = _installed_font()
    if "uming" not in font.name:
        pytest.skip("the golden page is rendered with AR PL UMing (fonts-arphic-uming)")
    from PIL import Image

    v = _view(ws, hs_code="8505111000")
    pdf = packets.write_pdf(v, tmp_path / "g.pdf", generated_at=AT, font_path=font)
    last = len(PdfReader(pdf).pages) - 1
    got = _render(pdf, last)
    assert isinstance(got, Image.Image)
    if os.environ.get("RARETRACE_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        got.save(GOLDEN, optimize=True)
    want = Image.open(GOLDEN).convert("L")
    assert got.size == want.size
    assert _differs(got, want) < 0.015, f"{_differs(got, want):.2%} differs from {GOLDEN.name}"
    other = _render(pdf, last - 1)  # the comparison does tell pages apart
    assert isinstance(other, Image.Image) and _differs(other, want) > 0.05


def _differs(a: object, b: object) -> float:
    """Share of 4 x 4 blocks whose mean grey level differs by 24 or more."""
    from PIL import Image, ImageChops

    assert isinstance(a, Image.Image) and isinstance(b, Image.Image)
    small = (a.size[0] // 4, a.size[1] // 4)
    diff = ImageChops.difference(
        a.resize(small, Image.Resampling.BOX), b.resize(small, Image.Resampling.BOX)
    )
    return sum(diff.histogram()[24:]) / (small[0] * small[1])


def test_hostile_text_is_printed_as_text(ws: Workspace, tmp_path: Path) -> None:
    v = ws.licensing.create_application(
        exporter="S-HEN-CN-BT", importer="HARZFELD", end_user="S-HAR-PL-KAT",
        items=[ItemInput("MAG-EPS", "1 kg", "9", "USD", spec_model="@SUM(A1)")],
        contract_ref="<b>K&1</b>", end_use="=cmd|' /C calc'!A0\x07 rotor", actor="t",
        as_of=date(2026, 3, 2),
    )  # fmt: skip
    pdf = packets.write_pdf(v, tmp_path / "h.pdf", generated_at=AT)
    text = "".join(_pdf_pages(pdf))
    assert _has(text, "<b>K&1</b>") and _has(text, "=cmd|'/C")
    wb = load_workbook(packets.write_xlsx(v, tmp_path / "h.xlsx"))
    cells = [c for s in wb.worksheets for r in s.iter_rows() for c in r if c.value]
    end_use = next(c for c in cells if str(c.value).startswith("=cmd"))
    assert end_use.data_type == "s" and "\x07" not in end_use.value
    assert any(c.value == "@SUM(A1)" and c.data_type == "s" for c in cells)


def test_face_fields_filled_in_later_reach_the_packet(ws: Workspace, tmp_path: Path) -> None:
    _installed_font()
    aid = _view(ws).application.application_id
    assert aid is not None
    v = ws.licensing.set_face(
        aid, actor="li", port_of_declaration="天津新港", contract_date=date(2026, 2, 20)
    )
    assert v.application.face.port_of_declaration == "天津新港"
    assert ws.licensing.application(aid).application.face.contract_date == date(2026, 2, 20)
    text = "".join(_pdf_pages(packets.write_pdf(v, tmp_path / "l.pdf", generated_at=AT)))
    assert _has(text, "报关口岸Portofdeclaration天津新港")
    assert _has(text, "合同签字日期Contractsigningdate2026-02-20")
    with pytest.raises(InputError, match="unknown licence-face field"):
        ws.licensing.set_face(aid, actor="li", colour="red")
