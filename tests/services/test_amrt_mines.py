"""AMRT Mine List and Smelter Look-up (RMI AMRT 1.3 layout, workbooks built here):
mines become parties and sites with their country, feeding the smelter's rare-earth
input where the BOM has one; the look-up completes Smelter List rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from factories import TINY, write_bundle_files
from raretrace.domain.clock import FixedClock
from raretrace.domain.parties import Role
from raretrace.errors import InputError
from raretrace.services.formats import amrt_layout as L
from raretrace.services.formats.amrt_sheets import country_code
from raretrace.services.survey.amrt import read_amrt
from raretrace.settings import Settings
from raretrace.workspace import Workspace

REE = "Rare Earth Elements"
WORLD = dict(TINY)
WORLD["parties.csv"] = TINY["parties.csv"] + "MAG2,Second Magnet Co,VN,magnet_maker,,,\n"
WORLD["sites.csv"] = TINY["sites.csv"] + "S-MAG2,MAG2,Second magnet plant,VN,\n"
WORLD["parts.csv"] = (
    TINY["parts.csv"]
    + "RING,Ring magnet,magnet,ea,0.02,,,,magnet,ndfeb\n"
    + "NDPR,NdPr metal,raw_material,kg,1,,,,metal,none\n"
)
WORLD["composition.csv"] = (
    TINY["composition.csv"] + "NDPR,Nd,0.75,illustrative\nNDPR,Pr,0.25,illustrative\n"
)
WORLD["bom.csv"] = TINY["bom.csv"] + "RING,NDPR,0.006\n"
WORLD["supply.csv"] = TINY["supply.csv"] + "S-MAG2,RING,S-OEM,1,45\n"
#: the same world where NdPr metal is made of a rare-earth concentrate (the mine's output)
WITH_ORE = dict(WORLD)
WITH_ORE["parts.csv"] = WORLD["parts.csv"] + "REC,RE concentrate,raw_material,kg,1,,,,other,none\n"
WITH_ORE["composition.csv"] = WORLD["composition.csv"] + "REC,Nd,0.3,illustrative\n"
WITH_ORE["bom.csv"] = WORLD["bom.csv"] + "NDPR,REC,1.6\n"

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def _ws(settings: Settings, tmp_path: Path, world: dict[str, str]) -> Workspace:
    w = Workspace.open(settings, clock=FixedClock(NOW))
    w.import_bundle(write_bundle_files(tmp_path / "world", world))
    return w


@pytest.fixture
def ws(settings: Settings, tmp_path: Path) -> Iterator[Workspace]:
    w = _ws(settings, tmp_path, WORLD)
    try:
        yield w
    finally:
        w.close()


@pytest.fixture
def ws_ore(settings: Settings, tmp_path: Path) -> Iterator[Workspace]:
    w = _ws(settings, tmp_path, WITH_ORE)
    try:
        yield w
    finally:
        w.close()


def answer(
    path: Path,
    smelters: list[dict[int, str]],
    mines: list[tuple[str, str, str, str, str]] = (),  # type: ignore[assignment]
) -> Path:
    """Fill the pre-filled AMRT: Smelter List cells by column, Mine List rows as
    (metal, smelter, mine name, mine id, country)."""
    book = openpyxl.load_workbook(path)
    decl = book["Declaration"]
    decl[f"D{L.Q1_ROW + 1}"] = "Yes"
    sheet = book["Smelter List"]
    for r, cells in enumerate(smelters, start=L.SMELTER_HEADER_ROW + 1):
        for col, value in cells.items():
            sheet.cell(row=r, column=col, value=value)
    ml = book["Mine List"]
    for r, (metal, smelter, name, mine_id, country) in enumerate(mines, L.MINE_HEADER_ROW + 1):
        for col, value in ((1, metal), (2, smelter), (3, name), (4, mine_id), (6, country)):
            ml.cell(row=r, column=col, value=value or None)
        ml.cell(row=r, column=8, value="Baotou" if "Obo" in name else None)
    book.save(path)
    return path


def smelter(name: str, country: str, sid: str = "") -> dict[int, str]:
    return {2: REE, 3: "Smelter not listed", 4: name, 5: country, 6: sid}


def test_mines_feed_the_smelters_rare_earth_input(ws_ore: Workspace, tmp_path: Path) -> None:
    path = ws_ore.make_amrt("MAG2", tmp_path / "amrt.xlsx") and tmp_path / "amrt.xlsx"
    assert [c.value for c in openpyxl.load_workbook(path)["Mine List"][L.MINE_HEADER_ROW]][
        :3
    ] == list(L.MINE_COLUMNS[:3])
    answer(
        path,
        [smelter("Baotou Refinery Co", "China", "REF-0001"), smelter("Kuantan Sep", "Malaysia")],
        [
            (REE, "Baotou Refinery Co", "Bayan Obo", "", "CHINA"),
            (REE, "Kuantan Sep", "Mount Weld", "MW-1", "AUSTRALIA"),
            (REE, "Kuantan Sep", "Second Pit", "", "AUSTRALIA"),
            ("Cobalt", "Some Refinery", "Cobalt Hill", "", "FINLAND"),
        ],
    )
    raw = read_amrt(path)
    assert [(m.name, m.country, m.sheet, m.row) for m in raw.mines] == [
        ("Bayan Obo", "CN", "Mine List", 5),
        ("Mount Weld", "AU", "Mine List", 6),
        ("Second Pit", "AU", "Mine List", 7),
    ]
    assert raw.other_metal_mines == 1
    report = ws_ore.read_amrt(path, apply=True)
    assert report.mines == ["BAYAN-OBO", "MW-1", "SECOND-PIT"]
    net = ws_ore.network()
    parties = {p.party_id: p for p in net.parties}
    assert parties["BAYAN-OBO"].country == "CN" and Role.MINE in parties["BAYAN-OBO"].roles
    assert parties["MW-1"].country == "AU" and "mine id MW-1" in parties["MW-1"].notes
    sites = {s.site_id: (s.party_id, s.country, s.city) for s in net.sites}
    assert sites["BAYAN-OBO-S1"] == ("BAYAN-OBO", "CN", "Baotou")
    # the smelters supply NDPR to MAG2's plant; NDPR is made of REC: the mines feed REC
    # into each smelter's site, split equally between the mines named for it
    rec = sorted((lk.supplier_site_id, lk.buyer_site_id, lk.share) for lk in net.supply
                 if lk.part_id == "REC")  # fmt: skip
    assert rec == [
        ("BAYAN-OBO-S1", "REF-0001-S1", 1.0),
        ("MW-1-S1", "KUANTAN-SEP-S1", 0.5),
        ("SECOND-PIT-S1", "KUANTAN-SEP-S1", 0.5),
    ]
    assert "BAYAN-OBO-S1 -> REC -> REF-0001-S1 (share 1, split equally)" in report.linked
    assert any("1 Mine List row(s) for other metals were not read" in n for n in report.notes)


def test_mines_without_a_rare_earth_input_are_recorded_not_linked(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "amrt.xlsx"
    ws.make_amrt("MAG2", path)
    answer(
        path,
        [smelter("Baotou Refinery Co", "CN", "REF-0001")],
        [
            (REE, "Baotou Refinery Co", "Bayan Obo", "", "CHINA"),
            (REE, "Unknown Refinery", "Far Pit", "", "VIET NAM"),
            (REE, "", "Lone Pit", "", "LAOS"),
        ],
    )
    report = ws.read_amrt(path, apply=True)
    net = ws.network()
    assert {p.party_id: p.country for p in net.parties if Role.MINE in p.roles} == {
        "MINE": "AU",  # TINY's own mine
        "BAYAN-OBO": "CN",
        "FAR-PIT": "VN",
        "LONE-PIT": "LA",
    }
    assert not [lk for lk in net.supply if lk.supplier_site_id.endswith("PIT-S1")]
    notes = report.notes
    assert any("NDPR (from REF-0001-S1) has no rare-earth input" in n for n in notes), notes
    assert any("mine FAR-PIT feeds 'unknown refinery', not a rare-earth smelter" in n
               for n in notes)  # fmt: skip
    assert any("mine LONE-PIT names no smelter" in n for n in notes)


def test_mine_list_problems_are_located(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "amrt.xlsx"
    ws.make_amrt("MAG2", path)
    answer(
        path,
        [smelter("Baotou Refinery Co", "CN")],
        [
            (REE, "Baotou Refinery Co", "Nowhere Pit", "", "Atlantis"),
            (REE, "Baotou Refinery Co", "", "", "CHINA"),
        ],
    )
    with pytest.raises(InputError) as info:
        read_amrt(path)
    found = [str(p) for p in info.value.problems]
    assert any("[sheet Mine List], row 5, column 'Mine Facility Country'" in p
               and "'Atlantis' is not a country" in p for p in found), found  # fmt: skip
    assert any("[sheet Mine List], row 6, column 'Mine Facility (Site) Name'" in p for p in found)


def _add_lookup(path: Path, rows: list[tuple[str, ...]]) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book.create_sheet("Smelter Look-up")
    heads = ["Metal", "Smelter Look-up (*)", "Standard Smelter Names",
             "Smelter Facility Location: Country", "Smelter ID",
             "Source of Smelter Identification Number", "Smelter Street", "Smelter City",
             "Smelter Facility Location: State / Province"]  # fmt: skip
    for col, head in enumerate(heads, start=1):
        sheet.cell(row=L.LOOKUP_HEADER_ROW, column=col, value=head)
    for r, row in enumerate(rows, start=L.LOOKUP_HEADER_ROW + 1):
        for col, value in enumerate(row, start=1):
            sheet.cell(row=r, column=col, value=value or None)
    book.save(path)


def test_smelter_look_up_completes_rows_left_without_values(ws: Workspace, tmp_path: Path) -> None:
    # A CID typed in column A, or an alias picked in column C: Excel fills the rest by
    # formula, but a workbook saved without recalculation holds no values there.
    path = tmp_path / "amrt.xlsx"
    ws.make_amrt("MAG2", path)
    answer(path, [{1: "CID009001", 2: REE}, {2: REE, 3: "Golden Alias"}])
    _add_lookup(
        path,
        [
            ("Aluminum", "Some Smelter", "Some Smelter", "CANADA", "CID000001", "RMI", "", "", ""),
            (REE, "Dragon RE", "Dragon Rare Earth Co", "CHINA", "CID009001", "RMI", "", "Longyan",
             ""),
            (REE, "Golden Alias", "Golden Standard Ltd", "AUSTRALIA", "CID009002", "RMI", "",
             "Perth", ""),
            (REE, "Smelter not listed", "", "", "", "", "", "", ""),
        ],
    )  # fmt: skip
    raw = read_amrt(path)
    got = [(s.name, s.country, s.smelter_id, s.id_source, s.city) for s in raw.smelters]
    assert got == [
        ("Dragon Rare Earth Co", "CN", "CID009001", "RMI", "Longyan"),
        ("Golden Standard Ltd", "AU", "CID009002", "RMI", "Perth"),
    ]
    assert any("2 Smelter List row(s) completed from the workbook's Smelter Look-up" in n
               for n in raw.read_notes)  # fmt: skip


def test_smelter_list_mine_columns(ws_ore: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "amrt.xlsx"
    ws_ore.make_amrt("MAG2", path)
    one = smelter("Baotou Refinery Co", "CN") | {14: "Bayan Obo", 15: "China"}
    recycled = smelter("Green Recycler", "JP") | {14: "Recycled", 15: "Recycled", 16: "Yes"}
    several = smelter("Kuantan Sep", "MY") | {14: "Mount Weld; Other", 15: "Australia; Brazil"}
    answer(path, [one, recycled, several])
    raw = read_amrt(path)
    assert [(m.name, m.country, m.sheet, m.smelters) for m in raw.mines] == [
        ("Bayan Obo", "CN", "Smelter List", ("Baotou Refinery Co",))
    ]
    assert raw.mine_countries == {"Baotou Refinery Co": ["CN"], "Kuantan Sep": ["AU", "BR"]}
    notes = " | ".join(raw.read_notes)
    assert "Green Recycler: feedstock stated as recycled or scrap (row 6)" in notes
    assert "Kuantan Sep: mines 'Mount Weld; Other' stated with countries AU, BR" in notes
    report = ws_ore.read_amrt(path, apply=True)
    assert "BAYAN-OBO-S1 -> REC -> BAOTOU-REFINERY-CO-S1 (share 1, split equally)" in report.linked


def test_headings_in_another_language_use_the_1_3_positions(ws: Workspace, tmp_path: Path) -> None:
    # RMI's workbook writes its headings by formula in the language chosen and keeps the
    # last computed text: saved in Chinese, the Smelter List heading of column B is 金属 (*)
    path = tmp_path / "amrt.xlsx"
    ws.make_amrt("MAG2", path)
    answer(
        path,
        [smelter("Baotou Refinery Co", "CN")],
        [(REE, "Baotou Refinery Co", "Bayan Obo", "", "CHINA")],
    )
    book = openpyxl.load_workbook(path)
    for name, count in (("Smelter List", len(L.SMELTER_COLUMNS)), ("Mine List", 13)):
        for col in range(1, count + 1):
            book[name].cell(row=4, column=col, value=f"标题 {col}")
    for row, _, _ in L.DECLARATION_ROWS:  # 公司名称 (*)：, 公司唯一识别信息： ...
        book["Declaration"].cell(row=row, column=2, value=f"标签 {row}：")
    # RMI's Product List: headings in B5:F5, a copyright line at the bottom
    products = book["Product List"]
    products.delete_rows(L.PRODUCT_HEADER_ROW, 2)
    for col, head in enumerate(["制造商的产品序号 (*)", "制造商的产品名称", "请求方的产品编号",
                                "请求方的产品名称", "注释"], start=2):  # fmt: skip
        products.cell(row=L.PRODUCT_HEADER_ROW, column=col, value=head)
    products["D6"] = "RING"
    products["B2006"] = "© 2025 Responsible Minerals Initiative。保留所有权利。"
    book.save(path)
    raw = read_amrt(path)
    assert [(s.name, s.country) for s in raw.smelters] == [("Baotou Refinery Co", "CN")]
    assert [(m.name, m.country) for m in raw.mines] == [("Bayan Obo", "CN")]
    assert raw.declaration["company_id"][1] == "MAG2" and raw.minerals == [REE]
    assert [row["requester_number"] for _, row in raw.products] == ["RING"]
    assert ws.read_amrt(path, apply=True).mines == ["BAYAN-OBO"]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("CHINA", "CN"),
        ("BOLIVIA (PLURINATIONAL STATE OF)", "BO"),
        ("IRAN (ISLAMIC REPUBLIC OF)", "IR"),
        ("KOREA, REPUBLIC OF", "KR"),
        ("VIET NAM", "VN"),
    ],
)
def test_rmi_country_names(written: str, code: str) -> None:
    assert country_code(written) == code


def test_the_workbooks_own_country_list_is_used(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "amrt.xlsx"
    ws.make_amrt("MAG2", path)
    answer(path, [smelter("Anatolia Sep", "TURKEY")])
    with pytest.raises(InputError):  # not an ISO English name pycountry knows
        read_amrt(path)
    book = openpyxl.load_workbook(path)
    codes = book.create_sheet("C")
    codes.append(["COUNTRY CODE LIST", "FULL NAME"])
    codes.append(["TR", "TURKEY"])
    book.save(path)
    assert [s.country for s in read_amrt(path).smelters] == ["TR"]
