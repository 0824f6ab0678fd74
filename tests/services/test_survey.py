"""Supplier surveys: make, fill in, read back with located errors, diff, apply, conflicts."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import TINY, write_bundle_files
from raretrace.errors import InputError, NotFoundError
from raretrace.services.survey import read_workbook
from raretrace.workspace import Workspace

# TINY plus a second magnet supplier (MAG2) that also supplies MAGNET to the OEM.
TWO_SUPPLIERS = dict(TINY)
TWO_SUPPLIERS["parties.csv"] = TINY["parties.csv"] + "MAG2,Second Magnet Co,VN,magnet_maker,,,\n"
TWO_SUPPLIERS["sites.csv"] = TINY["sites.csv"] + "S-MAG2,MAG2,Second magnet plant,VN,\n"
TWO_SUPPLIERS["supply.csv"] = TINY["supply.csv"].replace(
    "S-MAG,MAGNET,S-OEM,1,60", "S-MAG,MAGNET,S-OEM,0.6,60\nS-MAG2,MAGNET,S-OEM,0.4,45"
)


@pytest.fixture
def ws(workspace: Workspace, tmp_path: Path) -> Workspace:
    workspace.import_bundle(write_bundle_files(tmp_path / "world", TWO_SUPPLIERS))
    return workspace


def fill(
    path: Path,
    edits: dict[str, list[dict[str, Any]]],
    decl: dict[str, Any] | None = None,
    clear: tuple[str, ...] = (),
) -> Path:
    """Answer a generated workbook like a supplier would (openpyxl)."""
    book = openpyxl.load_workbook(path)
    for name in clear:
        sheet = book[name]
        sheet.delete_rows(4, sheet.max_row)
    for name, rows in edits.items():
        sheet = book[name]
        header = [c.value for c in sheet[3]]
        for values in rows:
            target = sheet.max_row + 1
            for r in range(4, sheet.max_row + 1):
                if values.get("_row") == r:
                    target = r
            for k, v in values.items():
                if k != "_row":
                    sheet.cell(row=target, column=header.index(k) + 1, value=v)
    if decl:
        sheet = book["Declaration"]
        for r in range(4, sheet.max_row + 1):
            key = sheet.cell(row=r, column=1).value
            if key in decl:
                sheet.cell(row=r, column=3, value=decl[key])
    book.save(path)
    return path


def test_make_prefills_what_the_buyer_knows(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "mag.xlsx"
    req = ws.make_survey("MAG", path, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert req.due_date == date(2026, 1, 31)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:6] == [
        "Instructions",
        "Declaration",
        "Parts",
        "Content",
        "Sources",
        "NextTier",
    ]
    assert book["Lists"].sheet_state == "hidden"
    parts = book["Parts"]
    assert [c.value for c in parts[4]][:6] == [
        "MAGNET",
        "NdFeB magnet with Dy",
        None,
        50.0,
        "Yes",
        "NdFeB",
    ]
    content = {(r[0], r[1]): r[3] for r in book["Content"].iter_rows(min_row=4, values_only=True)}
    assert content[("MAGNET", "Dy")] == pytest.approx(1.0)
    sources = [r[:5] for r in book["Sources"].iter_rows(min_row=4, values_only=True)]
    assert ("MAGNET", "separator", "Example Separation Sdn Bhd", "MY", "SEP") in sources
    tier = [r[:3] for r in book["NextTier"].iter_rows(min_row=4, values_only=True)]
    assert tier == [("Example Separation Sdn Bhd", "MY", "SEP")]
    assert book["Parts"].data_validations.dataValidation  # drop-downs
    with pytest.raises(NotFoundError):
        ws.make_survey("NOBODY", tmp_path / "x.xlsx")


def test_round_trip_unchanged_workbook_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    path = ws_make(ws, tmp_path, "MAG")
    report = ws.read_surveys([path])
    assert report.changes.changes == ()
    assert report.conflicts == []


def ws_make(ws: Workspace, tmp_path: Path, supplier: str) -> Path:
    path = tmp_path / f"{supplier}.xlsx"
    ws.make_survey(supplier, path, now=datetime(2026, 1, 1, tzinfo=UTC))
    return path


def test_answers_diff_then_apply(ws: Workspace, tmp_path: Path) -> None:
    path = fill(
        ws_make(ws, tmp_path, "MAG"),
        {
            "Parts": [
                {"_row": 4, "part_mass_g": 48, "magnet_mass_g": 48, "chinese_export_licence": "No"}
            ],
            "Content": [
                {
                    "part_id": "MAGNET",
                    "element": "Tb",
                    "percent_of_magnet": 0.5,
                    "basis": "measured",
                },
                {"_row": 4, "percent_of_part": 0.5},
            ],  # Dy (row 4) 1 % -> 0.5 %
            "Sources": [
                {
                    "part_id": "MAGNET",
                    "role": "magnet_maker",
                    "company_name": "Example Magnet KK",
                    "country": "JP",
                    "party_id": "MAG",
                },
                {
                    "part_id": "MAGNET",
                    "role": "separator",
                    "company_name": "Ganzhou Example Rare Earth",
                    "country": "CN",
                },
            ],
            "NextTier": [
                {
                    "company_name": "Ganzhou Example Rare Earth",
                    "country": "CN",
                    "supplies_part_id": "TB4O7",
                    "supplies_part_name": "Terbium oxide",
                    "share": 1,
                }
            ],
        },
        decl={"answer_date": "2026-01-20", "any_rare_earths": "Yes"},
    )
    preview = ws.read_surveys([path])
    assert not preview.changes.applied
    described = [c.describe() for c in preview.changes.changes]
    assert any(d.startswith("change parts MAGNET: mass_kg: 0.05 -> 0.048") for d in described), (
        described
    )
    assert "add composition MAGNET / Tb" in described
    assert "add parties GANZHOU-EXAMPLE-RARE-EARTH" in described
    assert "add supply GANZHOU-EXAMPLE-RARE-EARTH-S1 / TB4O7 / S-MAG" in described
    assert ws.network().part("MAGNET").mass_kg == 0.05  # type: ignore[union-attr]
    applied = ws.read_surveys([path], apply=True)
    assert applied.changes.applied
    net = ws.network()
    comp = {(c.part_id, c.element): c.mass_fraction for c in net.composition}
    assert comp[("MAGNET", "Dy")] == pytest.approx(0.005)
    assert comp[("MAGNET", "Tb")] == pytest.approx(0.005)
    assert {p.party_id for p in net.parties} >= {"GANZHOU-EXAMPLE-RARE-EARTH"}
    rows = ws.survey_campaign(today=date(2026, 1, 25))
    assert [(r.supplier_party_id, r.status.value) for r in rows] == [("MAG", "answered")]


def test_rare_earth_free_answer_zeroes_stored_lines(ws: Workspace, tmp_path: Path) -> None:
    path = fill(
        ws_make(ws, tmp_path, "MAG"),
        {"Parts": [{"_row": 4, "contains_rare_earths": "No"}]},
        clear=("Content",),
    )
    ws.read_surveys([path], apply=True)
    comp = {(c.part_id, c.element): c.mass_fraction for c in ws.network().composition}
    assert comp[("MAGNET", "Dy")] == 0.0 and comp[("MAGNET", "Nd")] == 0.0
    assert comp[("MAGNET", "Fe")] == pytest.approx(0.678)


def test_conflicting_answers_are_reported_not_merged(ws: Workspace, tmp_path: Path) -> None:
    a = fill(ws_make(ws, tmp_path, "MAG"), {"Content": [{"_row": 4, "percent_of_part": 0.5}]})
    b = fill(ws_make(ws, tmp_path, "MAG2"), {"Content": [{"_row": 4, "percent_of_part": 0.8}]})
    report = ws.read_surveys([a, b], apply=True)
    dy = [c for c in report.conflicts if c.key == ("MAGNET", "Dy")]
    assert len(dy) == 1 and {x.supplier_party_id for x in dy[0].answers} == {"MAG", "MAG2"}
    assert "composition MAGNET / Dy" in report.held
    comp = {(c.part_id, c.element): c.mass_fraction for c in ws.network().composition}
    assert comp[("MAGNET", "Dy")] == pytest.approx(0.01)  # unchanged: held back
    # Later: MAG2 answers alone, still disagreeing with MAG's stored answer? MAG's was held
    # too, so nothing is stored for either: a fresh answer from MAG2 now applies.
    again = ws.read_surveys([b], apply=True)
    assert again.conflicts == []
    # And a later answer from MAG that disagrees with MAG2's stored answer conflicts.
    late = ws.read_surveys([a])
    assert [c.key for c in late.conflicts] == [("MAGNET", "Dy")]


def test_campaign_overdue(ws: Workspace, tmp_path: Path) -> None:
    ws_make(ws, tmp_path, "MAG")
    ws_make(ws, tmp_path, "SEP")
    rows = {r.supplier_party_id: r for r in ws.survey_campaign(today=date(2026, 3, 1))}
    assert rows["MAG"].status.value == "overdue" and rows["MAG"].days_overdue == 29
    assert ws.survey_campaign(today=date(2026, 1, 2))[0].status.value == "sent"


BAD_CASES: list[tuple[str, dict[str, list[dict[str, Any]]], dict[str, Any], str, str]] = [
    ("Parts", {"Parts": [{"part_id": "NOPE"}]}, {}, "part_id", "unknown part"),
    ("Parts", {"Parts": [{"part_id": "MAGNET"}]}, {}, "part_id", "listed twice"),
    ("Parts", {"Parts": [{"_row": 4, "part_mass_g": "heavy"}]}, {}, "part_mass_g", "not a number"),
    ("Parts", {"Parts": [{"_row": 4, "part_mass_g": -1}]}, {}, "part_mass_g", "greater than 0"),
    ("Parts", {"Parts": [{"_row": 4, "magnet_type": "ferrite"}]}, {}, "magnet_type", "not one of"),
    (
        "Parts",
        {"Parts": [{"_row": 4, "contains_rare_earths": "maybe"}]},
        {},
        "contains_rare_earths",
        "Yes, No or Unknown",
    ),
    (
        "Parts",
        {"Parts": [{"_row": 4, "chinese_export_licence": "Yes"}]},
        {},
        "licence_number",
        "give the licence number",
    ),
    (
        "Parts",
        {"Parts": [{"_row": 4, "chinese_export_licence": "perhaps"}]},
        {},
        "chinese_export_licence",
        "not one of",
    ),
    (
        "Parts",
        {"Parts": [{"_row": 4, "part_mass_g": "=1+1"}]},
        {},
        "part_mass_g",
        "formulas are not evaluated",
    ),
    (
        "Content",
        {"Content": [{"part_id": "MAGNET", "element": "Xx", "percent_of_part": 1}]},
        {},
        "element",
        "not a chemical element",
    ),
    (
        "Content",
        {"Content": [{"part_id": "CAR", "element": "Dy", "percent_of_part": 1}]},
        {},
        "part_id",
        "not on the Parts sheet",
    ),
    (
        "Content",
        {"Content": [{"part_id": "MAGNET", "element": "Tb"}]},
        {},
        "mass_g_per_unit",
        "exactly one",
    ),
    (
        "Content",
        {
            "Content": [
                {"part_id": "MAGNET", "element": "Tb", "percent_of_part": 1, "mass_g_per_unit": 1}
            ]
        },
        {},
        "mass_g_per_unit",
        "exactly one",
    ),
    (
        "Content",
        {"Content": [{"part_id": "MAGNET", "element": "Tb", "percent_of_part": 101}]},
        {},
        "percent_of_part",
        "at most 100",
    ),
    (
        "Content",
        {"Content": [{"part_id": "MAGNET", "element": "Tb", "mass_g_per_unit": 60}]},
        {},
        "mass_g_per_unit",
        "more than all of it",
    ),
    (
        "Content",
        {"Content": [{"part_id": "MAGNET", "element": "Tb", "percent_of_magnet": 1}]},
        {},
        "percent_of_magnet",
        "needs magnet_mass_g",
    ),
    (
        "Content",
        {"Content": [{"part_id": "MAGNET", "element": "Dy", "percent_of_part": 1}]},
        {},
        "element",
        "listed twice",
    ),
    (
        "Content",
        {
            "Content": [{"part_id": "MAGNET", "element": "Dy", "_row": 4, "percent_of_part": 1}],
            "Parts": [{"_row": 4, "contains_rare_earths": "No"}],
        },
        {},
        "element",
        "has no rare earths",
    ),
    (
        "Content",
        {"Content": [{"part_id": "MAGNET", "element": "Co", "percent_of_part": 50}]},
        {},
        "mass_fraction",
        "more than 1",
    ),
    (
        "Sources",
        {"Sources": [{"role": "smelter", "company_name": "X", "country": "CN"}]},
        {},
        "role",
        "not one of",
    ),
    (
        "Sources",
        {"Sources": [{"role": "separator", "country": "CN"}]},
        {},
        "company_name",
        "required",
    ),
    (
        "Sources",
        {"Sources": [{"role": "separator", "company_name": "X", "country": "ZZ"}]},
        {},
        "country",
        "ISO 3166",
    ),
    (
        "NextTier",
        {"NextTier": [{"company_name": "X", "country": "CN", "supplies_part_id": "P", "share": 2}]},
        {},
        "share",
        "at most 1",
    ),
    (
        "NextTier",
        {
            "NextTier": [
                {
                    "company_name": "X",
                    "country": "CN",
                    "supplies_part_id": "P",
                    "your_site_id": "S-OEM",
                }
            ]
        },
        {},
        "your_site_id",
        "not one of your sites",
    ),
    (
        "NextTier",
        {
            "NextTier": [
                {"company_name": "X", "country": "CN", "supplies_part_id": "DY2O3", "share": 0.5}
            ]
        },
        {},
        "share",
        "sum to 1.5",
    ),
    (
        "Sources",
        {
            "Sources": [
                {
                    "role": "separator",
                    "company_name": "X",
                    "country": "CN",
                    "uscc": "91150200508416830A",
                }
            ]
        },
        {},
        "uscc",
        "check character (position 18) is 'A'",
    ),
    ("Declaration", {}, {"supplier_party_id": "WHO"}, "answer", "unknown supplier"),
    ("Declaration", {}, {"supplier_party_id": " "}, "answer", "required"),
    ("Declaration", {}, {"answer_date": "last week"}, "answer", "not a date"),
]


@pytest.mark.parametrize(
    ("sheet", "edits", "decl", "column", "message"),
    BAD_CASES,
    ids=[f"{c[0]}-{c[4]}" for c in BAD_CASES],
)
def test_every_validation_error_is_located(
    ws: Workspace,
    tmp_path: Path,
    sheet: str,
    edits: dict[str, list[dict[str, Any]]],
    decl: dict[str, Any],
    column: str,
    message: str,
) -> None:
    path = fill(ws_make(ws, tmp_path, "MAG"), edits, decl=decl)
    before = ws.network()
    with pytest.raises(InputError) as info:
        ws.read_surveys([path], apply=True)
    hits = [p for p in info.value.problems if message in p.message]
    assert hits, [str(p) for p in info.value.problems]
    assert hits[0].column == column
    assert hits[0].row is not None
    assert f"[sheet {sheet}]" in hits[0].file or "NextTier" in sheet
    assert ws.network() == before


def test_structural_problems(ws: Workspace, tmp_path: Path) -> None:
    path = ws_make(ws, tmp_path, "MAG")
    book = openpyxl.load_workbook(path)
    del book["Sources"]
    book["Parts"].cell(row=3, column=11, value="colour")
    book["Declaration"].cell(row=20, column=1, value="mystery_key")
    book.save(path)
    with pytest.raises(InputError) as info:
        read_workbook(path)
    messages = {str(p) for p in info.value.problems}
    assert any("sheet 'Sources' is missing" in m for m in messages)
    assert any("[sheet Parts], row 3, column 'colour': unknown column" in m for m in messages)
    assert any("row 20, column 'key': unknown key 'mystery_key'" in m for m in messages)


def test_not_a_workbook_and_macros_and_padding(ws: Workspace, tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("hello")
    with pytest.raises(InputError, match="problem"):
        read_workbook(fake)
    good = ws_make(ws, tmp_path, "MAG")
    macro = tmp_path / "macro.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\x00" * 10)
    with pytest.raises(InputError) as info:
        read_workbook(macro)
    assert "macros" in info.value.problems[0].message
    book = openpyxl.load_workbook(good)
    book["Parts"].cell(row=150_000, column=1, value=" ")
    book["Parts"].cell(row=150_001, column=1, value="LATE")
    book.save(good)
    with pytest.raises(InputError) as info:  # refused by the scan, before openpyxl reads
        read_workbook(good)
    (problem,) = info.value.problems
    assert "[sheet Parts]" in problem.file and "more than 20,000 rows" in problem.message


def test_entity_expansion_in_a_sheet_is_refused(ws: Workspace, tmp_path: Path) -> None:
    good = ws_make(ws, tmp_path, "MAG")
    evil = tmp_path / "evil.xlsx"
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(evil, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = bomb
            dst.writestr(item, data)
    with pytest.raises(InputError) as info:
        read_workbook(evil)
    assert any(
        "cannot be read safely" in p.message or "not a readable" in p.message
        for p in info.value.problems
    )


_cells = st.one_of(
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**6), 10**6),
    st.sampled_from(["MAGNET", "Dy", "=A1", "Yes", "No", "CN"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.sampled_from(["Parts", "Content", "Sources", "NextTier", "Declaration"]),
    st.lists(st.lists(_cells, min_size=1, max_size=11), min_size=1, max_size=4),
)
def test_fuzz_workbook_reader_never_tracebacks(
    ws: Workspace, tmp_path_factory: pytest.TempPathFactory, sheet: str, rows: list[list[Any]]
) -> None:
    path = tmp_path_factory.mktemp("fz") / "MAG.xlsx"
    ws.make_survey("MAG", path)
    book = openpyxl.load_workbook(path)
    target = book[sheet]
    for r, values in enumerate(rows, start=3 if sheet != "Declaration" else 4):
        for c, v in enumerate(values, start=1):
            target.cell(row=r + 1, column=c, value=v)
    book.save(path)
    try:
        ws.read_surveys([path])
    except InputError as exc:
        assert exc.problems  # noqa: PT017  (fuzz: an exception is allowed, not required)


def test_sources_give_the_chinese_name_and_uscc(ws: Workspace, tmp_path: Path) -> None:
    uscc = "91360700817065790G"  # fictional (sample world generator), valid check character
    path = fill(
        ws_make(ws, tmp_path, "MAG"),
        {
            "Sources": [
                {
                    "part_id": "MAGNET",
                    "role": "separator",
                    "company_name": "Ganzhou Example Rare Earth",
                    "country": "CN",
                    "company_name_zh": "赣州示例稀土有限公司",
                    "uscc": uscc.lower(),
                }
            ]
        },
        decl={"answer_date": "2026-01-20", "any_rare_earths": "Yes"},
    )
    ws.read_surveys([path], apply=True)
    party = next(p for p in ws.network().parties if p.party_id == "GANZHOU-EXAMPLE-RARE-EARTH")
    assert (party.name_zh, party.uscc) == ("赣州示例稀土有限公司", uscc)
