"""Dates of birth as lists write them, kept as EDTF text, and compared between entries
(the forms below are the real rows' of the SDN, UN, UK OFSI and CSL files in
benchmarks/data/screening/raw)."""

from __future__ import annotations

import pytest

from raretrace.screening.births import (
    births_apart,
    births_disagree,
    parse_birth,
    read_birth,
    shared_birth,
)


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("DOB 24 Sep 1965", "1965-09-24"),  # SDN 15890 PECHEGIN, Andrey I.
        ("DOB 02 May 1965.", "1965-05-02"),  # SDN 16935, with the remark's full stop
        ("alt. DOB 31 Aug 1953", "1953-08-31"),
        ("DOB 1946", "1946"),
        ("DOB Mar 1945", "1945-03"),
        ("DOB circa 1951", "1951~"),
        ("DOB circa 07 Jul 1966", "1966-07-07~"),
        ("DOB 1929 to 1930", "1929/1930"),
        ("DOB 01 Jan 1963 to 31 Dec 1965", "1963-01-01/1965-12-31"),  # SDN 18529 DEIF
        ("DOB circa 1979-1982", "1979~/1982~"),
        ("1967-10-31", "1967-10-31"),  # CSL dates_of_birth
        ("24/09/1965", "1965-09-24"),  # UK OFSI DOB, day/month/year
        ("00/00/1965", "1965"),  # UK: day and month not known
        ("09/1962", "1962-09"),  # UK
        ("Nov. 1973", "1973-11"),  # UN NOTE
        ("circa 1963 to 1968", "1963~/1968~"),  # UN BETWEEN with NOTE Approximately
    ],
)
def test_list_writings_are_kept_as_edtf(written: str, kept: str) -> None:
    assert read_birth(written) == kept
    assert parse_birth(kept) is not None


@pytest.mark.parametrize(
    "written",
    [
        "24/06/1402 (Hijri Calendar)",  # UN QDi.291
        "30-35 years old",  # UN LYi.022
        "Between Aug. and Sep. 1977",  # UN QDi.306
        "31/02/1990",
        "1402",
        "",
    ],
)
def test_what_is_not_a_date_is_not_kept(written: str) -> None:
    assert read_birth(written) is None


def test_only_a_full_date_is_shared() -> None:
    assert shared_birth(["1965-09-24"], ["1965-09-24"]) == "1965-09-24"
    # a year agrees with a date in it, but is not enough alone
    assert shared_birth(["1965"], ["1965-09-24"]) == ""
    assert not births_disagree(["1965"], ["1965-09-24"])
    assert shared_birth(["1965-09-24~"], ["1965-09-24"]) == ""
    assert shared_birth(["1963-01-01/1965-12-31"], ["1964-01-01"]) == ""


def test_dates_disagree_and_are_years_apart() -> None:
    # the SDN's two KIM, Yong Chol: born circa 1947 (or 1946) and on 18 Feb 1962
    assert births_apart(["1947~", "1946~"], ["1962-02-18"]) == "1947~, 1946~ vs 1962-02-18"
    # a year corrected between lists: the SDN's MUDACUMURA 1955, the UK's 1954
    assert births_disagree(["1955"], ["1954"]) and births_apart(["1955"], ["1954"]) == ""
    # a circa year allows two years either side
    assert not births_disagree(["1951~"], ["1953"])
    # the same day of the year, the year mistyped (MARKELOV on the SDN and the UK list)
    assert births_apart(["1967-12-15"], ["1957-12-15"]) == ""
    # a date on one side only says nothing
    assert births_apart([], ["1962-02-18"]) == "" and not births_disagree(["1962"], [])
