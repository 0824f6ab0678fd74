"""Trace amounts of Dy + Tb (issue 14 item 6): never silently "not controlled"; a test
report and a practice threshold change the wording (regime.md 9.1 row 8)."""

from __future__ import annotations

from rule_helpers import DY_NDFEB, classify, ship

from raretrace.rules import Outcome, RuleBook

TRACE = {**DY_NDFEB, "content": {"Nd": 0.31, "Dy": 0.0005, "Fe": 0.6795}}
RULE = "ann18.1C905.a.ndfeb-magnet"


def notes(d: object) -> str:
    return " ".join((*d.uncertain_reasons, *d.notes))  # type: ignore[attr-defined]


def test_trace_without_a_test_report_is_controlled_and_uncertain(book: RuleBook) -> None:
    d = classify(book, **TRACE)
    assert d.outcome is Outcome.CONTROLLED and d.uncertain
    assert "trace amount" in notes(d) and "Record a test report" in notes(d)


def test_clear_content_is_not_a_trace(book: RuleBook) -> None:
    d = classify(book, **DY_NDFEB)  # 0.9 % Dy
    assert d.outcome is Outcome.CONTROLLED and not d.uncertain
    assert "trace" not in notes(d)


def test_report_below_your_threshold_says_so_and_stays_controlled(book: RuleBook) -> None:
    d = classify(book, **TRACE, tested_dy_tb=0.0008, practice_threshold=0.001)
    assert d.outcome is Outcome.CONTROLLED and d.uncertain
    assert "at or below your practice threshold of 0.1000%" in notes(d)
    assert "usually exported without a licence in practice" in notes(d)


def test_report_exactly_at_the_threshold_counts_as_at_or_below(book: RuleBook) -> None:
    d = classify(book, **TRACE, tested_dy_tb=0.001, practice_threshold=0.001)
    assert "at or below your practice threshold" in notes(d)


def test_report_above_your_threshold_is_a_plain_licence_case(book: RuleBook) -> None:
    d = classify(book, **TRACE, tested_dy_tb=0.0012, practice_threshold=0.001)
    assert d.outcome is Outcome.CONTROLLED and not d.uncertain
    assert "above your practice threshold" in notes(d)


def test_the_threshold_changes_the_wording(book: RuleBook) -> None:
    unset = classify(book, **TRACE, tested_dy_tb=0.0008)
    strict = classify(book, **TRACE, tested_dy_tb=0.0008, practice_threshold=0.0005)
    assert "No practice threshold is set" in notes(unset) and unset.uncertain
    assert "above your practice threshold of 0.0500%" in notes(strict) and not strict.uncertain


def test_a_trace_shipment_still_needs_a_licence(book: RuleBook) -> None:
    d = ship(book, **TRACE, exporter_country="CN", destination_country="DE",
             tested_dy_tb=0.0005, practice_threshold=0.001)  # fmt: skip
    assert d.outcome is Outcome.LICENCE_REQUIRED and d.uncertain
    assert any("practice threshold" in n for n in d.uncertain_reasons)
