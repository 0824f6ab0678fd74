"""Registration numbers: read from list cells, compared as strong evidence."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from raretrace.domain.screening import ListEntry, ListFormat, Subject
from raretrace.errors import InputError
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.ids import compare_ids, parse_csl_ids
from raretrace.services.formats.party_lists import read_list

DATA = Path(__file__).parent / "data"


def test_csl_ids_cells_as_published() -> None:
    # label first (CSL 2024 export), number first (2018), IMO inside the number
    assert parse_csl_ids(
        "Registration ID, C122790; Email Address, hrm@rosneft-sh.com.cy; Executive Order "
        "13662 Directive Determination -, Subject to Directive 2"
    ) == (("registration", "C122790"),)
    assert parse_csl_ids("5030056754, Tax ID No.; http://www.90zavod.ru, Website") == (
        ("tax", "5030056754"),
    )
    assert parse_csl_ids("US, 80-0890696, Tax ID No.") == (("tax", "800890696"),)
    assert parse_csl_ids("IMO 8898831, Vessel Registration Identification") == (("imo", "8898831"),)
    assert parse_csl_ids(
        "V.A.T. Number, CHE-267.936.404, CH; Business Registration Number, CH-660.0.559.011-2, CH"
    ) == (("vat", "CHE267936404"), ("registration", "CH66005590112"))
    assert parse_csl_ids("Passport, 836238033, KP; Gender, Male") == (("passport", "836238033"),)
    assert parse_csl_ids("Subject to Secondary Sanctions, Additional Sanctions Information -") == ()


def test_compare_ids() -> None:
    same = compare_ids([("lei", "5299 00ABC")], [("lei", "529900abc"), ("tax", "1")])
    assert same is not None and same.equal and same.unique
    other = compare_ids([("uscc", "A1")], [("uscc", "B2")])
    assert other is not None and not other.equal
    assert other.detail == "different USCC: A1 vs B2"
    assert compare_ids([("tax", "1")], [("lei", "2")]) is None  # no scheme in common
    # registration numbers of different countries' registers say nothing
    assert (
        compare_ids(
            [("registration", "1")],
            [("registration", "2")],
            subject_country="DE",
            entry_countries=["RU"],
        )
        is None
    )
    # equal in one scheme wins over different in another
    mixed = compare_ids([("tax", "1"), ("ogrn", "5")], [("tax", "2"), ("ogrn", "5")])
    assert mixed is not None and mixed.equal


def test_an_equal_number_finds_a_renamed_party_and_a_different_one_lowers_the_score() -> None:
    entry = ListEntry("E1", "Joint Stock Company Kalashnikov Concern", ids=(("ogrn", "1111"),))
    other = ListEntry("E2", "Volga Shipping", ids=(("imo", "9999"),))
    matcher = Matcher([IndexedEntry("L", 1, entry), IndexedEntry("L", 1, other)])
    (m,) = matcher.match(Subject("Izhmash", ids=(("ogrn", "1111"),)))
    assert m.indexed.entry.entry_key == "E1" and m.score == 0.9
    feature = next(f for f in m.features if f.feature == "id_number")
    assert feature.detail == "same OGRN 1111: the same registered party"
    assert m.score == round(sum(f.contribution for f in m.features), 4)
    # many subjects at once give the same
    assert [len(found) for _, found in matcher.match_many([Subject("Izhmash", ids=(("ogrn", "1111"),))])] == [1]  # fmt: skip
    # the same name with another number: 1.0 - 0.30
    (m,) = matcher.match(Subject("Volga Shipping", ids=(("imo", "1234"),)), threshold=0.5)
    assert m.score == 0.7
    assert matcher.match(Subject("Volga Shipping", ids=(("imo", "1234"),))) == []


def test_list_files_keep_their_numbers(tmp_path: Path) -> None:
    ftm = tmp_path / "e.ftm.json"
    ftm.write_text(
        json.dumps(
            {
                "id": "c1",
                "schema": "Company",
                "properties": {
                    "name": ["Example Rare Earth Co."],
                    "uscCode": ["91110000-10001766X.4"],
                    "leiCode": ["529900T8BM49AURSDO55"],
                },
            }
        )
        + "\n",
        encoding="utf-8",
    )
    (entry,) = read_list(ftm, ListFormat.FTM).entries
    assert entry.ids == (("uscc", "9111000010001766X4"), ("lei", "529900T8BM49AURSDO55"))
    header = (DATA / "csl_sample.csv").read_text(encoding="utf-8").splitlines()[0]
    row = dict.fromkeys(header.split(","), "")
    row |= {"name": "Rosneft Trading S.A.", "ids": "Registration ID, C122790; Website, x.cy"}
    csl = tmp_path / "csl.csv"
    with csl.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    assert read_list(csl, ListFormat.CSL).entries[0].ids == (("registration", "C122790"),)
    simple = tmp_path / "s.csv"
    simple.write_text("name,uscc\nX Co,91150200508416830H\nY Co,123\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_list(simple, ListFormat.INTERNAL)
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "uscc")]
