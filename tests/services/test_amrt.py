"""RMI templates: AMRT returns read into the network and campaign; CMRT/EMRT named.

The workbooks are built here in the AMRT 1.3 layout (RMI's own files are not shipped).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from factories import TINY, write_bundle_files
from raretrace.domain.clock import FixedClock
from raretrace.errors import InputError
from raretrace.services.formats import amrt_layout as L
from raretrace.services.survey import read_workbook
from raretrace.services.survey.amrt import read_amrt
from raretrace.settings import Settings
from raretrace.workspace import Workspace

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

NOW = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


@pytest.fixture
def ws(settings: Settings, tmp_path: Path) -> Iterator[Workspace]:
    w = Workspace.open(settings, clock=FixedClock(NOW))
    try:
        w.import_bundle(write_bundle_files(tmp_path / "world", WORLD))
        yield w
    finally:
        w.close()


def answer(path: Path, smelters: list[tuple[str, str, str, str]], q1: str = "Yes") -> Path:
    """Fill the pre-filled AMRT as a supplier would."""
    book = openpyxl.load_workbook(path)
    decl = book["Declaration"]
    decl["D20"], decl["D21"], decl["D23"] = "Ana Li", "ana@example.com", "Ana Li, CEO"
    decl["D27"] = "2026-11-30"
    decl[f"D{L.Q1_ROW + 1}"] = q1
    decl[f"D{L.Q1_ROW + 4}"] = "Greater than 90%"
    sheet = book["Smelter List"]
    for r, (metal, name, country, sid) in enumerate(smelters, start=L.SMELTER_HEADER_ROW + 1):
        sheet.cell(row=r, column=2, value=metal)
        sheet.cell(row=r, column=3, value="Smelter not listed")
        sheet.cell(row=r, column=4, value=name)
        sheet.cell(row=r, column=5, value=country)
        sheet.cell(row=r, column=6, value=sid)
    book.save(path)
    return path


def test_amrt_round_trip_adds_the_smelter_tier(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "amrt-MAG2.xlsx"
    request = ws.make_amrt("MAG2", path)
    assert request.campaign == "amrt"
    book = openpyxl.load_workbook(path)
    assert book["Declaration"]["D17"].value == "MAG2"
    assert book["Declaration"]["D12"].value == "Rare Earth Elements"
    assert [c.value for c in book["Product List"]["C"]][L.PRODUCT_HEADER_ROW :] == ["RING"]
    answer(
        path,
        [
            ("Rare Earth Elements", "Baotou Refinery Co", "China", "REF-0001"),
            ("Rare Earth Elements", "Kuantan Separation", "Malaysia", ""),
            ("Cobalt", "Some Cobalt Refinery", "Finland", "CID009999"),
        ],
    )
    raw = read_amrt(path)
    assert [s.country for s in raw.smelters] == ["CN", "MY"]
    assert raw.other_metals == 1
    assert raw.q1[L.REE][1] == "Yes"
    before = ws.network()
    preview = ws.read_amrt(path)
    assert not preview.changes.applied and ws.network() == before
    report = ws.read_amrt(path, apply=True)
    assert report.supplier_party_id == "MAG2"
    assert report.smelters == ["REF-0001", "KUANTAN-SEPARATION"]
    net = ws.network()
    parties = {p.party_id: p for p in net.parties}
    assert parties["REF-0001"].country == "CN" and parties["KUANTAN-SEPARATION"].country == "MY"
    assert {s.site_id: s.country for s in net.sites if s.party_id == "REF-0001"} == {
        "REF-0001-S1": "CN"
    }
    # RING's rare-earth input NDPR had no known source: the two smelters now supply it to
    # MAG2's plant, split equally (the AMRT states no shares).
    links = sorted((lk.supplier_site_id, lk.share) for lk in net.supply if lk.part_id == "NDPR")
    assert links == [("KUANTAN-SEPARATION-S1", 0.5), ("REF-0001-S1", 0.5)]
    assert any("other metals were not read" in n for n in report.notes)
    rows = {r.supplier_party_id: r for r in ws.survey_campaign() if r.campaign == "amrt"}
    assert rows["MAG2"].status.value == "answered"


def test_known_sources_are_not_overwritten(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    ws.make_amrt("MAG", path)
    answer(path, [("Rare Earth Elements", "Other Sep", "CN", "")])
    report = ws.read_amrt(path, apply=True)
    assert report.linked == []
    assert any("DY2O3 into S-MAG already comes from S-SEP" in n for n in report.notes)
    dy = [lk.supplier_site_id for lk in ws.network().supply if lk.part_id == "DY2O3"]
    assert dy == ["S-SEP"]


def test_amrt_problems_are_located(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "amrt.xlsx"
    ws.make_amrt("MAG2", path)
    answer(path, [("Rare Earth Elements", "Nowhere Co", "Atlantis", ""),
                  ("Rare Earth Elements", "", "CN", "")], q1="Maybe")  # fmt: skip
    with pytest.raises(InputError) as info:
        ws.read_amrt(path)
    found = [str(p) for p in info.value.problems]
    assert any("[sheet Smelter List], row 5, column 'Smelter Country (*)'" in p
               and "'Atlantis' is not a country" in p for p in found), found  # fmt: skip
    assert any("[sheet Smelter List], row 6, column 'Smelter Name (1)'" in p for p in found)
    assert any("[sheet Declaration], row 31" in p and "'Maybe' is not one of" in p for p in found)


def test_amrt_for_a_part_the_supplier_does_not_supply_is_refused(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "amrt.xlsx"
    ws.make_amrt("MAG2", path)
    answer(path, [("Rare Earth Elements", "Baotou Refinery Co", "CN", "")])
    book = openpyxl.load_workbook(path)
    book["Product List"]["C6"] = "MAGNET"  # MAG's part
    book.save(path)
    with pytest.raises(InputError) as info:
        ws.read_amrt(path)
    assert any("'MAGNET' is not a part MAG2 supplies" in str(p) for p in info.value.problems)


def _rmi_like(path: Path, title: str, revision: str, mine_list: bool) -> Path:
    book = openpyxl.Workbook()
    rev = book.active
    assert rev is not None
    rev.title = "Revision"
    rev["B2"] = title
    rev["B3"] = f"Revision {revision}"
    decl = book.create_sheet("Declaration")
    decl["A9"] = "=LEFT(D9,1)"
    decl["B8"] = "Company Name (*):"
    book.create_sheet("Smelter List")
    if mine_list:
        book.create_sheet("Mine List")
    book.create_sheet("Checker")
    book.create_sheet("Product List")
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("title", "revision", "mine_list", "expected"),
    [
        ("Conflict Minerals Reporting Template", "6.5", False, "an RMI CMRT 6.5"),
        ("Extended Minerals Reporting Template", "2.1", True, "an RMI EMRT 2.1"),
    ],
)
def test_cmrt_and_emrt_are_named_and_do_not_cover_rare_earths(
    tmp_path: Path, title: str, revision: str, mine_list: bool, expected: str
) -> None:
    path = _rmi_like(tmp_path / "rmi.xlsx", title, revision, mine_list)
    for reader in (read_workbook, read_amrt):
        with pytest.raises(InputError) as info:
            reader(path)
        (p,) = info.value.problems
        assert expected in p.message and "does not cover rare earths" in p.message
        assert "unknown key" not in p.message


def test_amrt_sent_to_the_survey_reader_points_to_amrt_read(tmp_path: Path) -> None:
    path = _rmi_like(tmp_path / "a.xlsx", "Additional Minerals Reporting Template", "1.3", True)
    with pytest.raises(InputError) as info:
        read_workbook(path)
    assert "RMI AMRT 1.3" in info.value.problems[0].message
    assert "survey amrt-read" in info.value.problems[0].message
