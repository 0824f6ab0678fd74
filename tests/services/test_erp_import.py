"""ERP/PLM exports through YAML mapping profiles (the shipped examples)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from factories import TINY, write_bundle_files
from raretrace.errors import InputError
from raretrace.services.formats.erp_profiles import load_profile
from raretrace.workspace import Workspace

PROFILES = Path(str(files("raretrace.sample") / "erp_profiles"))


@pytest.fixture
def ws(workspace: Workspace, tmp_path: Path) -> Workspace:
    workspace.import_bundle(write_bundle_files(tmp_path / "world", TINY))
    return workspace


def test_sap_cs12_multilevel_bom(ws: Workspace, tmp_path: Path) -> None:
    export = tmp_path / "cs12.txt"
    export.write_text(
        "Explosion level\tComponent number\tObject description\tComp. Qty (CUn)\t"
        "Component UoM\tPlant\n"
        "1\tSEAT-FRAME\tSeat frame\t1\tST\t1000\n"
        ".2\tMOTOR\tSeat motor\t2\tST\t1000\n"
        "..3\tMAGNET\tNdFeB magnet\t2\tST\t1000\n"
        ".2\tBOLT-M8\tBolt M8\t8\tPC\t1000\n"
        "1\tHARNESS\tWire harness\t0.75\tM\t1000\n",
        "utf-8",
    )
    profile = load_profile(PROFILES / "sap-cs12-multilevel-bom.yaml")
    result = ws.import_erp(export, profile, root="CAR", apply=True)
    assert result.rows == 5
    net = ws.network()
    bom = {(b.parent_part_id, b.child_part_id): b.quantity for b in net.bom}
    assert bom[("CAR", "SEAT-FRAME")] == 1
    assert bom[("SEAT-FRAME", "MOTOR")] == 2
    assert bom[("MOTOR", "MAGNET")] == 2  # already in TINY with quantity 2
    assert bom[("SEAT-FRAME", "BOLT-M8")] == 8
    assert bom[("CAR", "HARNESS")] == 0.75
    parts = {p.part_id: p for p in net.parts}
    assert parts["HARNESS"].uom == "m" and parts["BOLT-M8"].uom == "ea"
    assert parts["MOTOR"].name == "Seat motor"  # known parts are not overwritten


def test_multilevel_bom_needs_the_root_and_contiguous_levels(ws: Workspace, tmp_path: Path) -> None:
    export = tmp_path / "cs12.txt"
    export.write_text(
        "Explosion level\tComponent number\tObject description\tComp. Qty (CUn)\t"
        "Component UoM\tPlant\n1\tA\tA\t1\tST\t1000\n...3\tB\tB\t1\tST\t9999\n",
        "utf-8",
    )
    profile = load_profile(PROFILES / "sap-cs12-multilevel-bom.yaml")
    with pytest.raises(InputError) as info:
        ws.import_erp(export, profile, root="CAR")
    found = [str(p) for p in info.value.problems]
    assert any("row 3: level 3 follows level 1: a level is missing" in p for p in found), found
    with pytest.raises(InputError) as info:
        ws.import_erp(export, profile)
    assert "give the root material (--root)" in str(info.value)


def test_plm_parent_child_bom(ws: Workspace, tmp_path: Path) -> None:
    export = tmp_path / "plm.csv"
    export.write_text(
        "Parent Number,Number,Name,Quantity,Unit\n"
        "CAR,DOOR-L,Front door left,1,each\n"
        "DOOR-L,MOTOR,Seat motor,1,each\n",
        "utf-8",
    )
    result = ws.import_erp(export, load_profile(PROFILES / "plm-bom-parent-child.yaml"), apply=True)
    bom = {(b.parent_part_id, b.child_part_id) for b in ws.network().bom}
    assert {("CAR", "DOOR-L"), ("DOOR-L", "MOTOR")} <= bom
    assert result.kind == "parent_child_bom"


def test_supplier_master(ws: Workspace, tmp_path: Path) -> None:
    export = tmp_path / "vendors.csv"
    export.write_text("Vendor,Name 1,Country,City\n700123,Shenzhen Motors Ltd,CN,Shenzhen\n")
    ws.import_erp(export, load_profile(PROFILES / "supplier-master.yaml"), apply=True)
    net = ws.network()
    party = next(p for p in net.parties if p.party_id == "700123")
    assert party.country == "CN" and party.roles[0].value == "component_maker"
    assert [s.city for s in net.sites if s.party_id == "700123"] == ["Shenzhen"]


def test_unknown_profile_key_is_refused_with_its_line(tmp_path: Path) -> None:
    text = (PROFILES / "supplier-master.yaml").read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace('  city: "City"\n', '  city: "City"\n  colour: "Colour"\n'))
    with pytest.raises(InputError) as info:
        load_profile(bad)
    (p,) = info.value.problems
    line = bad.read_text().splitlines().index('  colour: "Colour"') + 1
    assert (p.row, p.column, p.message) == (line, "columns.colour", "unknown key")


def test_export_missing_a_mapped_column_is_located(ws: Workspace, tmp_path: Path) -> None:
    export = tmp_path / "vendors.csv"
    export.write_text("Vendor,Name,Country\n1,A,CN\n")
    with pytest.raises(InputError) as info:
        ws.import_erp(export, load_profile(PROFILES / "supplier-master.yaml"))
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(1, "Name 1"), (1, "City")}
