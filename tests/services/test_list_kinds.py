"""List kinds (issue 14 item 3): the MOFCOM reader (both layouts), FtM Sanction
records, the shipped cited designations file, and determinations that read the kinds
from the stored lists through confirmed screening matches, with branches and
subsidiaries."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from raretrace.domain.screening import HitKind, ListFormat, list_kind_of
from raretrace.errors import InputError
from raretrace.rules import Outcome
from raretrace.services.classification.use_cases import Shipment, effective_listings_of
from raretrace.services.formats.mofcom_lists import country_code
from raretrace.services.formats.party_lists import read_list
from raretrace.workspace import Workspace

SHIPPED = Path(__file__).parents[2] / "src" / "raretrace" / "sample" / "lists"
DAY = date(2026, 12, 6)

CN_SANCTIONS = (
    "Type,QID,Name,Alias,Chinese name,Country,Topics,Summary,Chinese summary,Body,List,"
    "Date,End date,Source URL\n"
    "Company,,Same Name Co.,,同名公司,Japan,export.control,,,Ministry of Commerce,"
    "List of Export Controls,26.2.2026,,https://example.org/11\n"
    "Company,,Same Name Co.,,同名公司,Japan,export.control,,,Ministry of Commerce,"
    "Export Control Watch List,26.2.2026,,https://example.org/12\n"
    "Organization,,Some Institute,,,US,sanction.counter,,,Ministry of Foreign Affairs,,"
    "12.02.19,,https://example.org/mfa\n"
    "Company,,Another Co.,,,EU,sanction.counter,,,Ministry of Commerce,UEL,1.1.2025,,\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Export Control List", "control"),
        ("管控名单", "control"),
        ("List of Export Controls", "control"),
        ("Watch List", "watch"),
        ("关注名单", "watch"),
        ("Unreliable Entity List", "unreliable"),
        ("CN-AFSL", "countermeasure"),
        (
            "Decision on Countermeasures against U.S. Military-industry Enterprises",
            "countermeasure",
        ),
        ("", ""),
        ("Entity List", None),
    ],
)
def test_list_kind_names(text: str, kind: str | None) -> None:
    assert list_kind_of(text) == kind


def test_country_names_become_iso_codes() -> None:
    assert country_code("Japan") == "JP" and country_code("jp") == "JP"
    assert country_code("EU") == "EU" and country_code("Atlantis") is None


def test_cn_sanctions_sheet_keeps_same_name_on_two_lists_apart(tmp_path: Path) -> None:
    parsed = read_list(write(tmp_path, "cn.csv", CN_SANCTIONS), ListFormat.MOFCOM)
    same = [e for e in parsed.entries if e.name == "Same Name Co."]
    assert sorted(e.list_kind for e in same) == ["control", "watch"]
    assert len({e.entry_key for e in same}) == 2
    assert all(e.countries == ("JP",) and "同名公司" in e.aliases for e in same)
    kinds = {e.name: e.list_kind for e in parsed.entries}
    assert kinds["Some Institute"] == "countermeasure" and kinds["Another Co."] == "unreliable"


def test_unknown_list_names_and_countries_are_located(tmp_path: Path) -> None:
    bad = "name,country,list_kind\nX Co,Atlantis,Watch List\nY Co,JP,Blacklist\n"
    with pytest.raises(InputError) as err:
        read_list(write(tmp_path, "bad.csv", bad), ListFormat.MOFCOM)
    assert {(p.row, p.column) for p in err.value.problems} == {(2, "country"), (3, "list_kind")}


def test_ftm_sanctions_give_the_list_kind(tmp_path: Path) -> None:
    lines = [
        {"id": "s1", "schema": "Sanction",
         "properties": {"entity": ["c1"], "program": ["Export Control Watch List"]}},
        {"id": "c1", "schema": "Company", "properties": {"name": ["TDK Corporation"]}},
        {"id": "c2", "schema": "Company", "properties": {"name": ["Other"]}},
    ]  # fmt: skip
    path = write(tmp_path, "cn.json", "\n".join(json.dumps(x) for x in lines))
    parsed = read_list(path, ListFormat.FTM)
    assert {e.name: e.list_kind for e in parsed.entries} == {
        "TDK Corporation": "watch",
        "Other": "",
    }


def test_shipped_designations_file_is_cited_and_typed() -> None:
    parsed = read_list(SHIPPED / "mofcom_designations.csv", ListFormat.MOFCOM)
    by = {e.name: e for e in parsed.entries}
    assert len(parsed.entries) == 50
    assert by["TDK Corporation"].list_kind == "watch"
    assert by["IHI Aerospace Co., Ltd."].list_kind == "control"
    assert by["HENSOLDT"].list_kind == "control" and by["HENSOLDT"].countries == ()
    assert by["MP Materials"].list_kind == "export_control"
    assert all("regime.md 9.2" in e.remarks for e in parsed.entries)


def test_stored_list_kind_drives_determination(workspace: Workspace, tmp_path: Path) -> None:
    workspace.load_sample()
    workspace.screening.import_list(
        SHIPPED / "sample_control_list.csv", fmt="mofcom", list_name="Sample"
    )
    run = workspace.screening.screen_all()
    orion = next(h for h in run.hits if h.subject.party_id == "ORION" and h.kind is HitKind.NAME)
    ship = Shipment("MAG-SMCO-DEF", "S-HUA-CN-SH", "ORION")
    before = workspace.determine(ship, DAY)
    assert before.outcome is Outcome.LICENCE_REQUIRED  # an open hit is not a listing
    assert orion.hit_id is not None
    workspace.screening.decide(orion.hit_id, is_match=True, reason="same company", by="t")
    assert workspace.party_listings()["ORION"] == "control"
    after = workspace.determine(ship, DAY)
    assert after.outcome is Outcome.PROHIBITED
    assert "lists.control.export-from-china" in {r.rule_id for r in after.reasons if r.fired}
    # ORION-MX is 51 % owned by ORION: the affiliate rule, flagged uncertain
    sub = workspace.determine(replace(ship, consignee="ORION-MX"), DAY)
    assert sub.outcome is Outcome.PRESUMPTION_OF_DENIAL and sub.uncertain
    # a --listed option adds to the stored lists; the stronger kind wins
    watch = workspace.determine(replace(ship, consignee="ORION"), DAY, listed={"ORION": "watch"})
    assert watch.outcome is Outcome.PROHIBITED


def test_a_branch_is_covered_whatever_the_shareholding() -> None:
    from raretrace.domain.parties import Party

    parties = [
        Party("HEAD", "Head KK", "JP"),
        Party("BR", "Head KK Osaka Branch", "JP", branch_of_party_id="HEAD"),
        Party("SUB49", "Sub", "JP", owner_party_id="HEAD", ownership_pct=49.0),
        Party("SUB50", "Sub", "JP", owner_party_id="HEAD", ownership_pct=50.0),
        Party("SUBBR", "Branch of sub", "JP", branch_of_party_id="SUB50"),
    ]
    eff = effective_listings_of(parties, {"HEAD": "watch"})
    assert eff["BR"] == ("watch", "branch")
    assert eff["SUB50"] == ("watch", "subsidiary")
    assert "SUB49" not in eff
    assert eff["SUBBR"][0] == "watch"
