"""The IPC-1752A CAS table: every number is valid, sourced and documented."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from raretrace.domain.declarations import CAS_TABLE, ELEMENT_CAS, CasEntry, cas_is_valid

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "src" / "raretrace" / "data" / "cas_numbers.csv"


def sources() -> dict[str, dict[str, str]]:
    with SOURCES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_cas = {r["cas"]: r for r in rows}
    assert len(by_cas) == len(rows), "cas_numbers.csv lists a CAS number twice"
    return by_cas


def formula(e: CasEntry) -> str:
    return "".join(f"{el}{n if n > 1 else ''}" for el, n in e.formula)


@pytest.mark.parametrize("cas", sorted(CAS_TABLE))
def test_every_cas_number_passes_the_check_digit_and_has_a_source(cas: str) -> None:
    assert cas_is_valid(cas), f"{cas}: bad format or check digit"
    row = sources().get(cas)
    assert row is not None, f"{cas} ({CAS_TABLE[cas].name}) has no row in {SOURCES.name}"
    assert row["source"].strip(), f"{cas}: empty source"
    assert row["name"] == CAS_TABLE[cas].name
    assert row["formula"] == formula(CAS_TABLE[cas])


def test_sources_list_only_numbers_of_the_table() -> None:
    # an unverified number must not sit in the file as if it were mapped
    assert set(sources()) == set(CAS_TABLE)


def test_element_cas_numbers_map_to_the_element_itself() -> None:
    for symbol, cas in ELEMENT_CAS.items():
        assert CAS_TABLE[cas].formula == ((symbol, 1),)


def test_docs_list_every_cas_number() -> None:
    text = (ROOT / "docs" / "ipc1752.md").read_text(encoding="utf-8")
    for cas in CAS_TABLE:
        assert f"`{cas}`" in text, f"docs/ipc1752.md does not list {cas}"
