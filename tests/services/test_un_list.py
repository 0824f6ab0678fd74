"""The UN Security Council Consolidated List XML (``--format un``), read from the real
list of 2018-10-29 kept with the screening benchmark, and hostile or wrong files; the
format of a list file told from the file (real list files of every format)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from raretrace.domain.screening import ListFormat, Subject
from raretrace.errors import InputError
from raretrace.screening import IndexedEntry, Matcher
from raretrace.services.formats.party_lists import detect_format, read_list
from raretrace.workspace import Workspace

UN = (
    Path(__file__).resolve().parents[2]
    / "benchmarks"
    / "data"
    / "screening"
    / "raw"
    / "un_consolidated.xml"
)


@pytest.fixture(scope="module")
def un_list() -> dict[str, object]:
    parsed = read_list(UN, ListFormat.UN)
    return {"parsed": parsed, "by_key": {e.entry_key: e for e in parsed.entries}}


def test_every_person_and_entity_of_the_real_list_is_an_entry(un_list: dict) -> None:
    parsed = un_list["parsed"]
    # the file holds 703 INDIVIDUAL and 390 ENTITY elements (grep -c), each its own ref
    kinds = [e.entity_type for e in parsed.entries]
    assert (kinds.count("Individual"), kinds.count("Entity")) == (703, 390)
    assert parsed.published == date(2018, 10, 29)  # dateGenerated="2018-10-29T19:09:49..."


def test_a_person_keeps_names_script_countries_and_documents(un_list: dict) -> None:
    e = un_list["by_key"]["QDi.292"]
    assert e.name == "OTHMAN AHMED OTHMAN AL-GHAMDI"
    assert "Uthman Ahmad Uthman al-Ghamdi" in e.aliases
    assert "عثمان أحمد عثمان الغامدي" in e.aliases  # NAME_ORIGINAL_SCRIPT
    # the UN's two 'Low' quality aliases are kept for the reviewer, never matched
    assert "Othman Bin Ahmed Bin Othman" not in e.aliases
    assert "low-quality alias: Othman Bin Ahmed Bin Othman" in e.remarks
    assert set(e.countries) == {"SA", "YE"}
    assert {("national_id", "1089516791"), ("un_ref", "QDI292")} <= set(e.ids)
    # the date of birth is the entry's (i15l), no longer a remark
    assert e.dates_of_birth == ("1979-05-27",) and "born 1979" not in e.remarks
    assert "listed on 2011-06-16" in e.remarks
    assert e.programs == ("Al-Qaida",)
    assert un_list["by_key"]["KPi.033"].ids == (("un_ref", "KPI033"), ("passport", "381310014"))


def test_what_is_not_matched_is_counted_in_the_notes(un_list: dict) -> None:
    notes = " | ".join(un_list["parsed"].notes)
    assert "411 names in the original script kept as aliases" in notes
    assert "aliases of 'Low' quality kept in the remarks, not matched" in notes
    # nationalities written as adjectives have no code: named, not dropped
    assert "Saudi Arabian (1)" in notes
    congo = [e for e in un_list["parsed"].entries if "CD" in e.countries]
    assert len(congo) >= 30  # "Democratic Republic of the Congo" maps to CD


def test_a_party_written_in_arabic_script_hits_its_un_entry(un_list: dict) -> None:
    matcher = Matcher(IndexedEntry("UN", None, e) for e in un_list["parsed"].entries)
    found = matcher.match(Subject("عثمان أحمد عثمان الغامدي", None, "SA"), 0.8)
    assert found and found[0].indexed.entry.entry_key == "QDi.292"


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>
<FIRST_NAME>&lol2;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"""


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (BOMB, "DTDs and entity declarations are not allowed"),
        (b"<CONSOLIDATED_LIST><INDIVIDUALS>", "not well-formed XML"),
        (b"<sdnList></sdnList>", "root element must be CONSOLIDATED_LIST (found sdnList)"),
        (
            b"<CONSOLIDATED_LIST><ENTITIES><ENTITY><DATAID>7</DATAID>"
            b"<REFERENCE_NUMBER>QDe.999</REFERENCE_NUMBER><FIRST_NAME> </FIRST_NAME>"
            b"</ENTITY></ENTITIES></CONSOLIDATED_LIST>",
            "QDe.999: empty name",
        ),
        (b"<CONSOLIDATED_LIST></CONSOLIDATED_LIST>", "the file has no entries"),
    ],
)
def test_bad_files_are_refused_with_a_located_reason(
    tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_list(path, ListFormat.UN)
    assert any(says in p.message for p in err.value.problems), err.value.problems
    assert all(p.file == str(path) for p in err.value.problems)


def test_import_takes_the_list_date_from_the_file(workspace: Workspace) -> None:
    report = workspace.screening.import_list(UN, fmt="un", list_name="UN")
    assert report.version.version_date == date(2018, 10, 29)
    assert report.version.entry_count == 1093
    assert report.diff.added and len(report.diff.added) == 1093
    again = workspace.screening.import_list(
        UN, fmt="un", list_name="UN", version_date=date(2018, 11, 1)
    )
    assert again.version.version_date == date(2018, 11, 1)  # the user's date wins
    assert not again.diff.added and not again.diff.removed


def test_the_un_entry_and_the_sdn_entry_of_one_person_are_one_hit(
    un_list: dict, tmp_path: Path
) -> None:
    # the real SDN row 12787 ("AL-GHAMDI, Othman", "DOB 27 May 1979; nationality Saudi
    # Arabia; National ID No. 1089516791.") as the CSL export writes it
    csl = tmp_path / "csl.csv"
    csl.write_text(
        "source,entity_number,type,programs,name,ids\n"
        "Specially Designated Nationals (SDN) - Treasury Department,12787,Individual,SDGT,"
        '"AL-GHAMDI, Othman","National ID No., 1089516791, SA"\n',
        encoding="utf-8",
    )
    sdn = read_list(csl, ListFormat.CSL).entries
    matcher = Matcher(
        [
            *(IndexedEntry("UN", None, e) for e in un_list["parsed"].entries),
            *(IndexedEntry("CSL", None, e) for e in sdn),
        ]
    )
    # "Uthman al-Ghamdi" is a UN alias; the SDN spells him Othman (0.93): one party,
    # told by the national ID number both lists give
    found = matcher.match(Subject("Uthman al-Ghamdi", None, "SA"), 0.8)
    assert len(found) == 1, [m.indexed.entry.entry_key for m in found]
    group = {found[0].indexed.entry.entry_key, *(s.entry.entry_key for s in found[0].siblings)}
    assert group == {"QDi.292", "12787"}
    said = " ".join(f.detail for f in found[0].features if f.feature == "siblings")
    assert "same national ID number 1089516791 on both lists" in said


ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "benchmarks" / "data" / "screening" / "raw"


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        (RAW / "un_consolidated.xml", ListFormat.UN),
        (RAW / "csl_2018.csv", ListFormat.CSL),
        (RAW / "csl_2024.csv", ListFormat.CSL),
        (RAW / "cn_sanctions.csv", ListFormat.MOFCOM),
        (ROOT / "src/raretrace/sample/lists/mofcom_designations.csv", ListFormat.MOFCOM),
        (ROOT / "docs/examples/screening/example-watch-list.csv", ListFormat.INTERNAL),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else v.value,
)
def test_the_format_of_a_real_list_file_is_told_from_the_file(path: Path, fmt: ListFormat) -> None:
    assert detect_format(path) is fmt
    assert read_list(path, detect_format(path)).entries


def test_ftm_lines_are_told_and_other_files_are_refused_with_a_reason(tmp_path: Path) -> None:
    ftm = tmp_path / "entities.json"
    ftm.write_text('{"id": "x", "schema": "Company", "properties": {"name": ["X"]}}\n')
    assert detect_format(ftm) is ListFormat.FTM
    for name, text, says in [
        ("sdn.xml", "<sdnList><sdnEntry/></sdnList>", "XML that is not the UN consolidated list"),
        ("other.csv", "company,land\nX,CN\n", "cannot tell the list's format"),
    ]:
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(InputError) as err:
            detect_format(path)
        assert says in err.value.problems[0].message and "give --format" in str(err.value)


def test_a_repeated_key_is_counted_and_named_in_every_format(tmp_path: Path) -> None:
    un = tmp_path / "consolidated.xml"
    un.write_text(
        "<CONSOLIDATED_LIST><ENTITIES>\n"
        "<ENTITY><REFERENCE_NUMBER>QDe.001</REFERENCE_NUMBER><FIRST_NAME>FIRST</FIRST_NAME></ENTITY>\n"
        "<ENTITY><REFERENCE_NUMBER>QDe.001</REFERENCE_NUMBER><FIRST_NAME>AGAIN</FIRST_NAME></ENTITY>\n"
        "</ENTITIES></CONSOLIDATED_LIST>",
        encoding="utf-8",
    )
    parsed = read_list(un, ListFormat.UN)
    assert [e.name for e in parsed.entries] == ["FIRST"]
    assert (
        "1 line repeats an entry read before (the same reference number); "
        "the first kept, line 3 not read" in parsed.notes
    )
    own = tmp_path / "own.csv"
    own.write_text("id,name\nA1,First Co\nA1,Again Co\n", encoding="utf-8")
    parsed = read_list(own, ListFormat.INTERNAL)
    assert [e.name for e in parsed.entries] == ["First Co"]
    assert parsed.notes == (
        "1 row repeats an entry read before (the same id, or name and Chinese name); "
        "the first kept, row 3 not read",
    )
