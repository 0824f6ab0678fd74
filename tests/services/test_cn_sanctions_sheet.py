"""OpenSanctions' `cn_sanctions` source sheet as it stands (commit f33cff23, 2026-08-22,
kept with the screening benchmark): every row imports with `--format mofcom`, the
Taiwan Affairs Office's lists and the sheet's later `Address` column included, and rows
that repeat an entry are counted and named, not dropped in silence."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from raretrace.domain.screening import ListFormat, list_kind_of
from raretrace.services.formats.party_lists import ParsedList, read_list

SHEET = Path(__file__).resolve().parents[2] / "benchmarks/data/screening/raw/cn_sanctions.csv"


@pytest.fixture(scope="module")
def sheet() -> ParsedList:
    return read_list(SHEET, ListFormat.MOFCOM)


def test_every_row_is_an_entry_or_a_named_repeat(sheet: ParsedList) -> None:
    # 610 data rows (csv.DictReader over the file): 602 entries + 8 repeats, named by row
    assert len(sheet.entries) == 602
    assert sheet.notes == (
        "8 rows repeat an entry read before (the same QID and list); the first kept, "
        "rows 12, 13, 17, 266, 421, 564, 565, 571 not read",
    )


def test_the_taiwan_affairs_office_lists_are_a_kind_of_their_own(sheet: ParsedList) -> None:
    kinds = Counter(e.list_kind for e in sheet.entries)
    assert kinds["taiwan_independence"] == 23
    su = next(e for e in sheet.entries if e.name == "Su Tseng-chang")  # row 72
    assert su.list_kind == "taiwan_independence" and "苏贞昌" in su.aliases
    assert su.source == "Taiwan Affairs Office of the State Council"
    # the sheet writes the lists with straight quotes; the TAO's own wording too
    assert list_kind_of("Diehard “Taiwan Independence” Separatists") == "taiwan_independence"
    assert list_kind_of("台独顽固分子清单") == "taiwan_independence"


def test_the_address_column_is_kept(sheet: ParsedList) -> None:
    oshkosh = next(e for e in sheet.entries if e.name == "Oshkosh Defense, LLC")
    assert oshkosh.addresses == ("2307 Oregon Street, Oshkosh, WI, USA, 54902",)
    assert oshkosh.list_kind == "control" and "listed 22.06.2026" in oshkosh.remarks
