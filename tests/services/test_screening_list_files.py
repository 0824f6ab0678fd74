"""List files as published: what FtM and CSL rows hold is kept, or counted and named.

The FtM records below have the shape of OpenSanctions exports (``caption``, ``target``,
``Ownership``, ``Sanction``, ``Address``); names and holdings are illustrative.
"""

from __future__ import annotations

import json
from pathlib import Path

from raretrace.domain.screening import ListFormat
from raretrace.services.formats.party_lists import read_list

CSL_HEADER = (
    "source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
    "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
    "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
    "source_information_url,ids"
)


def _ftm(tmp_path: Path, records: list[dict[str, object]]) -> Path:
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def _company(
    ident: str, names: list[str], *, target: bool = True, **props: object
) -> dict[str, object]:
    return {
        "id": ident,
        "schema": "Company",
        "caption": names[-1],
        "target": target,
        "datasets": ["cn_sanctions"],
        "properties": {"name": names, **props},
    }


def test_ftm_ownership_lists_majority_owned_related_parties(tmp_path: Path) -> None:
    records = [
        _company("parent", ["Parent Listed Group", "PLG Holdings"], country=["cn"]),
        _company("sub60", ["Sixty Percent Sub Co"], target=False),
        _company("sub60b", ["Owned By Sub Co"], target=False),  # 100 % of sub60: chain
        _company("sub30", ["Thirty Percent Co"], target=False),
        {"id": "o1", "schema": "Ownership",
         "properties": {"owner": ["parent"], "asset": ["sub60"], "percentage": ["60"]}},
        {"id": "o2", "schema": "Ownership",
         "properties": {"owner": ["sub60"], "asset": ["sub60b"], "percentage": ["100"]}},
        {"id": "o3", "schema": "Ownership",
         "properties": {"owner": ["parent"], "asset": ["sub30"], "percentage": ["30"]}},
    ]  # fmt: skip
    parsed = read_list(_ftm(tmp_path, records), ListFormat.FTM)
    by_key = {e.entry_key: e for e in parsed.entries}
    assert set(by_key) == {"parent", "sub60", "sub60b"}  # 30 % and unowned related: no entry
    assert "60 % owned by listed PLG Holdings (parent)" in by_key["sub60"].remarks
    assert "100 % owned by listed Sixty Percent Sub Co (sub60)" in by_key["sub60b"].remarks
    assert "3 Ownership records (2 of >= 50 %); 2 owned parties listed through them" in parsed.notes
    assert "1 related parties not listed (target: false) were not made entries" in parsed.notes


def test_ftm_caption_sanction_and_address_entity(tmp_path: Path) -> None:
    records = [
        _company("c1", ["Random Alias Ltd", "Primary Caption Co"], addressEntity=["addr1"]),
        {"id": "addr1", "schema": "Address",
         "properties": {"full": ["1 Example Road, Beijing, China"]}},
        {"id": "s1", "schema": "Sanction",
         "properties": {"entity": ["c1"], "authority": ["Ministry of Commerce"],
                        "program": ["Unreliable Entity List"], "listingDate": ["2025-02-04"]}},
        {"id": "r1", "schema": "UnknownLink", "properties": {}},
    ]  # fmt: skip
    parsed = read_list(_ftm(tmp_path, records), ListFormat.FTM)
    (entry,) = parsed.entries
    assert entry.name == "Primary Caption Co"  # the caption, not the first name
    assert entry.aliases == ("Random Alias Ltd",)
    assert entry.addresses == ("1 Example Road, Beijing, China",)
    assert "Unreliable Entity List" in entry.programs
    assert "sanction by Ministry of Commerce, listed 2025-02-04" in entry.remarks
    assert parsed.skipped == 1
    assert "not read (no party, no ownership): 1 UnknownLink" in parsed.notes


def test_csl_successor_clause_and_and_addresses(tmp_path: Path) -> None:
    cells = [""] * 28
    cells[0] = "Nonproliferation Sanctions (ISN) - State Department"
    cells[4] = (
        "Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof"
    )
    cells[6] = (
        "113 Hezuo Road, Shijiazhuang, Hebei, China; and 21 Changsheng Street, Shijiazhuang, CN"
    )
    cells[21] = "Hebei Semiconductor Research Institute; and CETC Research Institute 13"
    path = tmp_path / "csl.csv"
    path.write_text(CSL_HEADER + "\n" + ",".join(f'"{c}"' for c in cells) + "\n", encoding="utf-8")
    (entry,) = read_list(path, ListFormat.CSL).entries
    assert entry.name == "Sinobright Import and Export Company"
    assert "and any successor, sub-unit, or subsidiary thereof" in entry.remarks
    assert entry.addresses == (
        "113 Hezuo Road, Shijiazhuang, Hebei, China",
        "21 Changsheng Street, Shijiazhuang, CN",
    )
    assert entry.aliases == ("Hebei Semiconductor Research Institute", "CETC Research Institute 13")
