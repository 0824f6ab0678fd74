"""Status notices (unconfirmed measures) and ``without_rules`` (the demo's comparison)."""

from __future__ import annotations

from datetime import date

import pytest

from raretrace.rules import RuleBook, compile_book
from raretrace.rules.book import without_rules
from raretrace.rules.status import status_notices, status_rows


@pytest.mark.parametrize(
    ("day", "no70", "no72"),
    [
        ("2026-11-10", False, False),  # the last suspended day (inclusive reading)
        ("2026-11-11", True, False),
        ("2026-11-27", True, False),
        ("2026-11-28", True, True),  # Ann. 2024 No. 46 clause 2 after No. 72 ended
        ("2028-12-06", True, True),  # still unknown two years on
    ],
)
def test_notices_by_date(book: RuleBook, day: str, no70: bool, no72: bool) -> None:
    notices = status_notices(book.packs, date.fromisoformat(day))
    assert any("No. 70" in n.measure for n in notices) is no70
    assert any("No. 72" in n.measure for n in notices) is no72
    for n in notices:
        assert n.citation and n.unknown_since <= date.fromisoformat(day)


def test_rows_show_the_three_readings(book: RuleBook) -> None:
    rows = {r.rule_id: r for r in status_rows(book, date(2026, 12, 6))}
    assert "ann18.1C905.a.ndfeb-magnet" not in rows  # Ann. 18 was never suspended
    r = rows["ann57.1C910.b.oxide"]
    assert (r.as_written, r.extended, r.lifted) == ("in_force", "suspended", "in_force")


def test_without_rules_drops_references(book: RuleBook) -> None:
    packs = without_rules(book.packs, ["ann61.1-1.magnet"])
    smaller = compile_book(packs)
    ids = {r.id for r in (*smaller.item_rules, *smaller.shipment_rules)}
    assert "ann61.1-1.magnet" not in ids
    assert "ann61.humanitarian" in ids  # still overrides the other licence rules
    hum = smaller.rule("ann61.humanitarian").rule
    assert "ann61.1-1.magnet" not in hum.then.overrides
    # every licence rule gone: the denial rules that only read them go too
    licence = [r.id for r in book.shipment_rules if r.pack.id == "ann-2025-61"
               and r.rule.then.outcome.value == "licence_required"]  # fmt: skip
    none = compile_book(without_rules(book.packs, licence))
    assert not [r for r in none.shipment_rules if r.pack.id == "ann-2025-61"]
