"""Screening use cases on a real database: import and diff lists, screen, decide, audit."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from raretrace.domain.screening import HitKind
from raretrace.errors import InputError, NotFoundError
from raretrace.workspace import Workspace

DATA = Path(__file__).parents[1] / "screening" / "data"

SIMPLE = """id,name,name_zh,aliases,country,address,programs,remarks
A1,"Ningbo Ruixin Magnetics Co., Ltd.",宁波瑞鑫磁业有限公司,,CN,Ningbo,Watch List,fictional
A2,Orion eDrive GmbH,,,DE,,Control List,fictional
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_csl_and_diff_on_reimport(workspace: Workspace, tmp_path: Path) -> None:
    first = workspace.screening.import_list(
        DATA / "csl_sample.csv", fmt="csl", list_name="US CSL", version_date=date(2026, 1, 5)
    )
    assert first.version.entry_count == 40
    assert first.diff.previous_version_date is None
    el = next(e for e in workspace.screening.screen_name("Gulf Gate Shipping LLC").hits).entry
    assert el.license_policy.startswith("Presumption of denial")
    assert el.countries == ("AE",)

    rows = (DATA / "csl_sample.csv").read_text(encoding="utf-8").splitlines()
    newer = [r for r in rows if "GBNTT" not in r]
    newer.append(rows[-1].replace("ABU REIHAN GROUP", "NEW TEST ENTITY").replace("26565", "99999"))
    second = workspace.screening.import_list(
        write(tmp_path, "csl2.csv", "\n".join(newer) + "\n"),
        fmt="csl",
        list_name="US CSL",
        version_date=date(2026, 2, 1),
    )
    assert second.diff.previous_version_date == date(2026, 1, 5)
    assert second.diff.added == ("NEW TEST ENTITY",)
    assert second.diff.removed == ("GBNTT",)
    assert second.diff.unchanged == 39
    (latest,) = workspace.screening.lists()
    assert latest.version_date == date(2026, 2, 1)
    assert latest.loaded_at.tzinfo is not None


def test_import_ftm_json_lines(workspace: Workspace, tmp_path: Path) -> None:
    lines = [
        {
            "id": "os-1",
            "schema": "Company",
            "datasets": ["us_trade_csl"],
            "properties": {
                "name": ["Gulf Gate Shipping Co. LLC"],
                "alias": ["GGS"],
                "country": ["ae"],
                "address": ["Dubai"],
            },
        },
        {"id": "own-1", "schema": "Ownership", "properties": {"owner": ["os-1"], "asset": ["x"]}},
    ]
    path = write(tmp_path, "e.ftm.json", "\n".join(json.dumps(x) for x in lines) + "\n")
    report = workspace.screening.import_list(path, fmt="ftm", list_name="OpenSanctions")
    assert report.version.entry_count == 1
    assert report.skipped == 0  # the Ownership record is read (its asset is not in the file)
    assert any("1 Ownership records" in n for n in report.notes)
    hit = workspace.screening.screen_name("Gulf Gate Shipping", country="AE").hits[0]
    assert hit.entry.entry_key == "os-1"
    assert hit.entry.countries == ("AE",)
    assert hit.entry.source == "us_trade_csl"


def test_bad_files_are_reported_with_locations_and_nothing_is_written(
    workspace: Workspace, tmp_path: Path
) -> None:
    bad_csv = write(tmp_path, "bad.csv", "id,name,country,colour\n1,,CN,red\n2,X Co,Atlantis,\n")
    with pytest.raises(InputError) as err:
        workspace.screening.import_list(bad_csv, fmt="mofcom", list_name="M")
    where = {(p.row, p.column) for p in err.value.problems}
    assert where == {(1, "colour"), (2, "name"), (3, "country")}

    bad_json = write(tmp_path, "bad.json", '{"id": "a", "schema": "Company"}\nnot json\n')
    with pytest.raises(InputError) as err:
        workspace.screening.import_list(bad_json, fmt="ftm", list_name="F")
    assert {(p.row, p.column) for p in err.value.problems} == {(1, "properties"), (2, None)}

    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("name\nMüller GmbH\n".encode("latin-1"))
    with pytest.raises(InputError, match="cannot be read"):
        workspace.screening.import_list(latin1, fmt="internal", list_name="I")
    with pytest.raises(InputError):
        workspace.screening.import_list(tmp_path / "missing.csv", fmt="csl", list_name="C")
    with pytest.raises(InputError, match="unknown format"):
        workspace.screening.import_list(bad_csv, fmt="xml", list_name="C")
    assert workspace.screening.lists() == []


def test_screening_needs_lists(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError):
        workspace.screening.screen_name("anything")


def test_parties_ownership_decisions_and_audit(workspace: Workspace, tmp_path: Path) -> None:
    workspace.load_sample()
    workspace.screening.import_list(
        write(tmp_path, "l.csv", SIMPLE),
        fmt="mofcom",
        list_name="Watch",
        version_date=date(2026, 3, 1),
    )
    run = workspace.screening.screen_all()
    by_party = {(h.subject.party_id, h.kind) for h in run.hits}
    assert ("RUIXIN", HitKind.NAME) in by_party
    assert ("ORION", HitKind.NAME) in by_party
    assert ("ORION-MX", HitKind.OWNERSHIP) in by_party
    assert not any(p == "BALTICPM" for p, _ in by_party)  # only 49 % owned by RUIXIN
    owned = next(h for h in run.hits if h.kind is HitKind.OWNERSHIP)
    assert [(p.owner_party_id, p.owned_party_id, p.pct) for p in owned.path] == [
        ("ORION", "ORION-MX", 51.0)
    ]
    assert owned.features[0].feature == "ownership"
    assert all(h.hit_id is not None and h.decision is None for h in run.hits)

    # a single party is screened with its owners, so the ownership hit appears too
    single = workspace.screening.screen_parties(["ORION-MX"])
    assert [h.kind for h in single.hits] == [HitKind.OWNERSHIP]

    orion = next(h for h in run.hits if h.subject.party_id == "ORION" and h.kind is HitKind.NAME)
    assert orion.hit_id is not None
    workspace.screening.decide(
        orion.hit_id, is_match=False, reason="different company", by="A. Officer"
    )
    again = workspace.screening.screen_all()
    reused = next(h for h in again.hits if h.subject.party_id == "ORION")
    assert reused.status == "no-match" and reused.decision is not None
    assert reused.decision.reason == "different company"
    # a false positive owner no longer makes its subsidiary "listed"
    assert not any(h.kind is HitKind.OWNERSHIP for h in again.hits)

    with pytest.raises(InputError):
        workspace.screening.decide(orion.hit_id, is_match=True, reason=" ", by="x")
    with pytest.raises(NotFoundError):
        workspace.screening.decide(99999, is_match=True, reason="r", by="x")

    path = workspace.screening.export_audit(tmp_path / "audit.csv")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    actions = [r["action"] for r in rows]
    assert actions[0] == "list_import"
    assert actions.count("screen") == 3
    decision = next(r for r in rows if r["action"] == "decision")
    assert decision["actor"] == "A. Officer"
    assert decision["decision"] == "no-match"
    assert decision["list_version_date"] == "2026-03-01"
    assert float(decision["score"]) >= 0.8
    hit_rows = [r for r in rows if r["action"] == "hit"]
    assert all(r["list_name"] == "Watch" and r["threshold"] for r in hit_rows)


def test_threshold_and_unknown_party(workspace: Workspace, tmp_path: Path) -> None:
    workspace.screening.import_list(write(tmp_path, "l.csv", SIMPLE), fmt="internal", list_name="I")
    with pytest.raises(InputError):
        workspace.screening.screen_name("Orion", threshold=1.5)
    with pytest.raises(NotFoundError):
        workspace.screening.screen_parties(["NOPE"])
    run = workspace.screening.screen_name("宁波瑞鑫磁业", threshold=0.7)
    assert run.hits and run.hits[0].entry.entry_key == "A1"
    assert run.threshold == 0.7
