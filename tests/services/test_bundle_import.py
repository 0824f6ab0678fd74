"""Bundle import: valid input, every bad-input class, atomicity, and round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import TINY, write_bundle_files
from raretrace.errors import BundleError, Problem
from raretrace.workspace import Workspace


def test_import_valid_bundle(workspace: Workspace, tiny_bundle: Path) -> None:
    report = workspace.import_bundle(tiny_bundle)
    assert report.rows == {
        "parties": 4, "sites": 4, "parts": 4, "composition": 6,
        "bom": 3, "supply": 2, "production": 2,
    }  # fmt: skip
    net = workspace.network()
    sep = next(p for p in net.parties if p.party_id == "SEP")
    assert (sep.owner_party_id, sep.ownership_pct) == ("MINE", 51.0)
    magnet = net.part("MAGNET")
    assert magnet is not None
    assert str(magnet.unit_value) == "4.20"
    assert workspace.revision() == report.revision == 1


def test_import_merges_by_key(workspace: Workspace, tiny_bundle: Path, tmp_path: Path) -> None:
    workspace.import_bundle(tiny_bundle)
    update = write_bundle_files(
        tmp_path / "upd",
        {"parts.csv": "part_id,name,kind\nMOTOR,Seat motor (rev B),component\n"},
    )
    workspace.import_bundle(update)
    net = workspace.network()
    assert len(net.parts) == 4
    motor = net.part("MOTOR")
    assert motor is not None and motor.name == "Seat motor (rev B)"


def test_partial_bundle_may_refer_to_stored_ids(
    workspace: Workspace, tiny_bundle: Path, tmp_path: Path
) -> None:
    workspace.import_bundle(tiny_bundle)
    extra = write_bundle_files(
        tmp_path / "extra",
        {"supply.csv": "supplier_site_id,part_id,buyer_site_id,share\nS-MAG,MAGNET,S-SEP,0.5\n"},
    )
    workspace.import_bundle(extra)
    assert len(workspace.network().supply) == 3


def _bad(tmp_path: Path, **changes: str) -> Path:
    files = dict(TINY)
    for name, content in changes.items():
        key = name.replace("_csv", ".csv")
        if content == "<drop>":
            files.pop(key)
        else:
            files[key] = content
    return write_bundle_files(tmp_path / "bad", files)


# (case id, file changes, expected problems as (file name, row, column, message fragment))
BAD_CASES: list[tuple[str, dict[str, str], list[tuple[str, int | None, str | None, str]]]] = [
    (
        "unknown-id",
        {"bom_csv": "parent_part_id,child_part_id,quantity\nCAR,MOTOR,4\nCAR,WHEEL,4\n"},
        [("bom.csv", 3, "child_part_id", "unknown part 'WHEEL'")],
    ),
    (
        "duplicate-id",
        {"parts_csv": TINY["parts.csv"] + "MOTOR,Other motor,component,ea,1,,,,,\n"},
        [("parts.csv", 6, "part_id", "duplicate key 'MOTOR' (first at row 4)")],
    ),
    (
        "bom-cycle",
        {"bom_csv": TINY["bom.csv"] + "DY2O3,CAR,1\n"},
        [("bom.csv", None, "child_part_id", "BOM cycle: ")],
    ),
    (
        "negative-zero-nan-quantity",
        {"bom_csv": "parent_part_id,child_part_id,quantity\nCAR,MOTOR,-4\nMOTOR,MAGNET,0\nMAGNET,DY2O3,nan\n"},
        [
            ("bom.csv", 2, "quantity", "must be greater than 0"),
            ("bom.csv", 3, "quantity", "must be greater than 0"),
            ("bom.csv", 4, "quantity", "not a finite number"),
        ],
    ),
    (
        "fraction-out-of-range",
        {"composition_csv": "part_id,element,mass_fraction\nMAGNET,Dy,1.5\nMAGNET,Nd,-0.1\n"},
        [
            ("composition.csv", 2, "mass_fraction", "at most 1"),
            ("composition.csv", 3, "mass_fraction", "at least 0"),
        ],
    ),
    (
        "composition-sum-above-one",
        {"composition_csv": "part_id,element,mass_fraction\nMAGNET,Fe,0.7\nMAGNET,Nd,0.4\n"},
        [("composition.csv", 2, "mass_fraction", "sum to 1.1, more than 1")],
    ),
    (
        "unknown-element",
        {"composition_csv": "part_id,element,mass_fraction\nMAGNET,Xx,0.1\n"},
        [("composition.csv", 2, "element", "'Xx' is not a chemical element symbol")],
    ),
    (
        "unknown-country",
        {"sites_csv": TINY["sites.csv"].replace("S-MAG,MAG,Magnet plant,JP", "S-MAG,MAG,Magnet plant,XZ")},
        [("sites.csv", 4, "country", "'XZ' is not an ISO 3166-1 alpha-2 country code")],
    ),
    (
        "wrong-types",
        {"supply_csv": "supplier_site_id,part_id,buyer_site_id,share,lead_time_days\nS-SEP,DY2O3,S-MAG,all,2.5\n"},
        [
            ("supply.csv", 2, "share", "'all' is not a number"),
            ("supply.csv", 2, "lead_time_days", "'2.5' is not a whole number"),
        ],
    ),
    (
        "missing-required-column",
        {"parts_csv": "part_id,kind\nCAR,product\n"},
        [("parts.csv", 1, "name", "required column is missing")],
    ),
    (
        "unknown-column",
        {"production_csv": "site_id,part_id,units_per_yr\nS-OEM,CAR,5\n"},
        [("production.csv", 1, "units_per_yr", "unknown column")],
    ),
    (
        "empty-file",
        {"bom_csv": ""},
        [("bom.csv", None, None, "file is empty")],
    ),
    (
        "shares-above-one",
        {"supply_csv": TINY["supply.csv"] + "S-MINE,DY2O3,S-MAG,0.5,10\n"},
        [("supply.csv", 2, "share", "sum to 1.5, more than 1")],
    ),
    (
        "ownership-cycle",
        {"parties_csv": TINY["parties.csv"].replace("MINE,Example Mining Co,AU,mine,,,", "MINE,Example Mining Co,AU,mine,,SEP,60")},
        [("parties.csv", None, "owner_party_id", "ownership cycle")],
    ),
    (
        "bad-enum",
        {"parts_csv": TINY["parts.csv"].replace("MAGNET,NdFeB magnet with Dy,magnet,ea,0.05,4.20,USD,8505111000,magnet,ndfeb", "MAGNET,NdFeB magnet with Dy,magnet,ea,0.05,4.20,USD,8505111000,magnet,neo")},
        [("parts.csv", 3, "magnet_type", "'neo' is not one of: ndfeb, smco, none")],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "expected"), [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES]
)
def test_bad_input_is_located_and_nothing_is_written(
    workspace: Workspace,
    tiny_bundle: Path,
    tmp_path: Path,
    changes: dict[str, str],
    expected: list[tuple[str, int | None, str | None, str]],
) -> None:
    workspace.import_bundle(tiny_bundle)
    before = workspace.network()
    revision = workspace.revision()
    bad = _bad(tmp_path, **changes)
    with pytest.raises(BundleError) as info:
        workspace.import_bundle(bad, replace=True)
    problems = info.value.problems
    for file, row, column, fragment in expected:
        assert any(_matches(p, file, row, column, fragment) for p in problems), (
            f"no problem like {(file, row, column, fragment)} in {[str(p) for p in problems]}"
        )
    assert workspace.revision() == revision
    assert workspace.network() == before


def _matches(p: Problem, file: str, row: int | None, column: str | None, fragment: str) -> bool:
    return (
        Path(p.file).name == file
        and (row is None or p.row == row)
        and (column is None or p.column == column)
        and fragment in p.message
    )


def test_all_problems_reported_in_one_run(workspace: Workspace, tmp_path: Path) -> None:
    bad = _bad(
        tmp_path,
        bom_csv="parent_part_id,child_part_id,quantity\nCAR,MOTOR,-1\nCAR,NOPE,1\n",
        sites_csv=TINY["sites.csv"].replace(",AU,", ",ZZ,"),
    )
    with pytest.raises(BundleError) as info:
        workspace.import_bundle(bad)
    files = {Path(p.file).name for p in info.value.problems}
    assert files == {"bom.csv", "sites.csv"}
    assert len(info.value.problems) >= 2


def test_header_only_file_is_an_empty_table(workspace: Workspace, tmp_path: Path) -> None:
    files = dict(TINY)
    files["supply.csv"] = "supplier_site_id,part_id,buyer_site_id,share\n"
    report = workspace.import_bundle(write_bundle_files(tmp_path / "h", files))
    assert report.rows["supply"] == 0
    assert report.rows["parts"] == 4


def test_non_utf8_file_is_located(workspace: Workspace, tmp_path: Path) -> None:
    bad = _bad(tmp_path)
    (bad / "parties.csv").write_bytes(
        "party_id,name,country\nP1,Müller GmbH,DE\n".encode("latin-1")
    )
    with pytest.raises(BundleError) as info:
        workspace.import_bundle(bad)
    (problem,) = [p for p in info.value.problems if p.file.endswith("parties.csv")]
    assert problem.row == 2
    assert "not UTF-8" in problem.message
    assert workspace.network().parties == []


def test_bom_cycle_is_reported_as_a_path(workspace: Workspace, tmp_path: Path) -> None:
    bad = _bad(tmp_path, bom_csv=TINY["bom.csv"] + "DY2O3,CAR,1\n")
    with pytest.raises(BundleError) as info:
        workspace.import_bundle(bad)
    (cycle,) = [p.message for p in info.value.problems if "cycle" in p.message]
    path = cycle.removeprefix("BOM cycle: ").split(" -> ")
    assert path[0] == path[-1]
    assert set(path) == {"CAR", "MOTOR", "MAGNET", "DY2O3"}


def test_missing_path_and_wrong_file_kind(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="no such file"):
        workspace.import_bundle(tmp_path / "nope")
    f = tmp_path / "x.csv"
    f.write_text("a\n")
    with pytest.raises(BundleError, match="folder"):
        workspace.import_bundle(f)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BundleError, match="no bundle tables"):
        workspace.import_bundle(empty)


def test_replace_empties_first(workspace: Workspace, tiny_bundle: Path, tmp_path: Path) -> None:
    workspace.import_bundle(tiny_bundle)
    only = write_bundle_files(
        tmp_path / "only",
        {"parties.csv": "party_id,name,country\nX,Solo Ltd,GB\n"},
    )
    workspace.import_bundle(only, replace=True)
    net = workspace.network()
    assert [p.party_id for p in net.parties] == ["X"]
    assert net.parts == []


@pytest.mark.parametrize("target", ["folder", "book.xlsx"])
def test_round_trip_is_lossless(
    workspace: Workspace, settings: object, tiny_bundle: Path, tmp_path: Path, target: str
) -> None:
    workspace.import_bundle(tiny_bundle)
    original = workspace.network()
    out = tmp_path / target
    workspace.export_bundle(out)
    # Import the export into an empty workspace (same database, network replaced).
    workspace.import_bundle(out, replace=True)
    again = workspace.network()
    assert again == original
    # And export again: byte-identical CSV output.
    if target == "folder":
        out2 = tmp_path / "again"
        workspace.export_bundle(out2)
        for f in out.iterdir():
            assert (out2 / f.name).read_bytes() == f.read_bytes()
