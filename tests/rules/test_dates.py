"""Effective and suspension dates: the day before, on and after each one.

Reading of Announcement 2025 No. 70: suspended "until 10 Nov 2026" is inclusive, so the
suspended rules apply again from 11 Nov 2026 (flagged uncertain: the sheet does not
know whether the suspension was extended).
"""

from __future__ import annotations

from datetime import date

import pytest
from rule_helpers import DY_NDFEB, classify, fired, ship

from raretrace.rules import RuleBook, SuspensionPolicy

HO_METAL = {"content": {"Ho": 1.0}, "form": "metal"}
FOREIGN_MAGNET = {
    **DY_NDFEB,
    "origin": "JP",
    "cn_value_share": 0.02,
    "exporter_country": "JP",
    "destination_country": "US",
}
REEXPORT_DY = {
    "content": {"Dy": 1.0},
    "form": "metal",
    "origin": "CN",
    "exporter_country": "DE",
    "destination_country": "US",
}
TO_JAPAN_MIL = {**DY_NDFEB, "exporter_country": "CN", "destination_country": "JP"}


def d(text: str) -> date:
    return date.fromisoformat(text)


ITEM_CASES = [
    # Announcement 18: in force on publication, 4 Apr 2025
    ("ann18.1C905.a.ndfeb-magnet", DY_NDFEB, "2025-04-03", False),
    ("ann18.1C905.a.ndfeb-magnet", DY_NDFEB, "2025-04-04", True),
    ("ann18.1C905.a.ndfeb-magnet", DY_NDFEB, "2025-04-05", True),
    ("ann18.1C905.a.ndfeb-magnet", DY_NDFEB, "2026-11-10", True),  # not suspended by No. 70
    # Announcement 57: planned 8 Nov 2025, suspended 7 Nov 2025 .. 10 Nov 2026
    ("ann57.1C909.a.metal-alloy-target", HO_METAL, "2025-11-06", False),
    ("ann57.1C909.a.metal-alloy-target", HO_METAL, "2025-11-07", False),
    ("ann57.1C909.a.metal-alloy-target", HO_METAL, "2025-11-08", False),
    ("ann57.1C909.a.metal-alloy-target", HO_METAL, "2025-11-09", False),
    ("ann57.1C909.a.metal-alloy-target", HO_METAL, "2026-11-09", False),
    ("ann57.1C909.a.metal-alloy-target", HO_METAL, "2026-11-10", False),
    ("ann57.1C909.a.metal-alloy-target", HO_METAL, "2026-11-11", True),
]

SHIP_CASES = [
    # Announcement 61 item 1(3): on publication 9 Oct 2025, suspended from 7 Nov 2025
    ("ann61.1-3.part1-metal", REEXPORT_DY, "2025-10-08", False),
    ("ann61.1-3.part1-metal", REEXPORT_DY, "2025-10-09", True),
    ("ann61.1-3.part1-metal", REEXPORT_DY, "2025-10-10", True),
    ("ann61.1-3.part1-metal", REEXPORT_DY, "2025-11-06", True),
    ("ann61.1-3.part1-metal", REEXPORT_DY, "2025-11-07", False),
    ("ann61.1-3.part1-metal", REEXPORT_DY, "2025-11-08", False),
    ("ann61.1-3.part1-metal", REEXPORT_DY, "2026-11-09", False),
    ("ann61.1-3.part1-metal", REEXPORT_DY, "2026-11-10", False),
    ("ann61.1-3.part1-metal", REEXPORT_DY, "2026-11-11", True),
    # Announcement 61 item 1(1): from 1 Dec 2025, but suspended then
    ("ann61.1-1.magnet", FOREIGN_MAGNET, "2025-11-30", False),
    ("ann61.1-1.magnet", FOREIGN_MAGNET, "2025-12-01", False),
    ("ann61.1-1.magnet", FOREIGN_MAGNET, "2025-12-02", False),
    ("ann61.1-1.magnet", FOREIGN_MAGNET, "2026-11-10", False),
    ("ann61.1-1.magnet", FOREIGN_MAGNET, "2026-11-11", True),
    # Announcement 2026 No. 1: 6 Jan 2026
    ("ann2026-01.japan.military-use", {**TO_JAPAN_MIL, "end_use": "military"}, "2026-01-05",
     False),
    ("ann2026-01.japan.military-use", {**TO_JAPAN_MIL, "end_use": "military"}, "2026-01-06",
     True),
    ("ann2026-01.japan.military-use", {**TO_JAPAN_MIL, "end_use": "military"}, "2026-01-07",
     True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule_id", "facts", "day", "fires"), ITEM_CASES, ids=[f"{c[0]}@{c[2]}" for c in ITEM_CASES]
)
def test_item_rule_dates(book: RuleBook, rule_id: str, facts: dict, day: str, fires: bool) -> None:
    assert (rule_id in fired(classify(book, as_of=d(day), **facts))) is fires


@pytest.mark.parametrize(
    ("rule_id", "facts", "day", "fires"), SHIP_CASES, ids=[f"{c[0]}@{c[2]}" for c in SHIP_CASES]
)
def test_shipment_rule_dates(
    book: RuleBook, rule_id: str, facts: dict, day: str, fires: bool
) -> None:
    assert (rule_id in fired(ship(book, as_of=d(day), **facts))) is fires


def test_suspended_rule_is_explained(book: RuleBook) -> None:
    det = ship(book, as_of=d("2026-04-01"), **FOREIGN_MAGNET)
    r = next(r for r in det.reasons if r.rule_id == "ann61.1-1.magnet")
    assert not r.considered and not r.fired
    assert "suspended from 2025-11-07 until 2026-11-10" in r.detail
    assert "Announcement 2025 No. 70" in r.detail
    assert "its conditions would hold" in r.detail


def test_after_the_suspension_the_verdict_is_uncertain(book: RuleBook) -> None:
    det = ship(book, as_of=d("2026-11-11"), **FOREIGN_MAGNET)
    assert det.uncertain
    assert any("extended is unknown" in n for n in det.uncertain_reasons)


@pytest.mark.parametrize(
    ("policy", "day", "fires"),
    [
        (SuspensionPolicy.LIFTED, "2026-04-01", True),
        (SuspensionPolicy.EXTENDED, "2026-11-29", False),
        (SuspensionPolicy.AS_WRITTEN, "2026-11-29", True),
        (SuspensionPolicy.LIFTED, "2025-11-30", False),  # not yet effective either way
    ],
)
def test_what_if_policies(book: RuleBook, policy: SuspensionPolicy, day: str, fires: bool) -> None:
    det = ship(book, as_of=d(day), policy=policy, **FOREIGN_MAGNET)
    assert ("ann61.1-1.magnet" in fired(det)) is fires


# -- issue 14: the rules added from regime.md section 9, at their boundary dates ---------
ER_OXIDE = {"content": {"Er": 0.87}, "form": "oxide"}
TECH = {"kind": "technology"}
FROM_CN_TO_TH = {**REEXPORT_DY, "origin": "", "exporter_country": "CN", "destination_country": "TH"}
WATCH = {**FROM_CN_TO_TH, "end_user_list_kind": "watch"}
CONTROL_RETRANSFER = {**REEXPORT_DY, "consignee_list_kind": "control"}

NEW_ITEM_CASES = [
    ("ann57.1C910.b.oxide", ER_OXIDE, "2026-11-10", False),  # suspended through 10 Nov
    ("ann57.1C910.b.oxide", ER_OXIDE, "2026-11-11", True),
    ("ann62.1E902.technology", TECH, "2025-10-08", False),
    ("ann62.1E902.technology", TECH, "2025-10-09", True),  # on publication
    ("ann62.1E902.technology", TECH, "2025-11-07", False),  # No. 70
    ("ann62.1E902.technology", TECH, "2026-11-10", False),
    ("ann62.1E902.technology", TECH, "2026-11-11", True),
    ("ann56.2B902.equipment", {"kind": "equipment"}, "2026-11-10", False),
    ("ann56.2B902.equipment", {"kind": "equipment"}, "2026-11-11", True),
    ("ann18.1C908.yttrium-oxide", {"content": {"Y": 0.78}, "form": "oxide"}, "2025-04-03",
     False),
    ("ann18.1C908.yttrium-oxide", {"content": {"Y": 0.78}, "form": "oxide"}, "2025-04-04",
     True),
]  # fmt: skip

NEW_SHIP_CASES = [
    ("ann2026-01.military-capability", {**FROM_CN_TO_TH, "end_use": "japan_military_capability"},
     "2026-01-05", False),
    ("ann2026-01.military-capability", {**FROM_CN_TO_TH, "end_use": "japan_military_capability"},
     "2026-01-06", True),
    ("lists.watch.export-from-china", WATCH, "2025-04-03", False),  # no dual-use item yet
    ("lists.watch.export-from-china", WATCH, "2025-04-04", True),
    ("lists.watch.export-from-china", WATCH, "2026-11-10", True),  # not suspended
    ("lists.control.retransfer", CONTROL_RETRANSFER, "2026-11-11", True),
    ("techcat2023.re-technology.export-from-china", {**FROM_CN_TO_TH, **TECH}, "2023-12-30",
     False),
    ("techcat2023.re-technology.export-from-china", {**FROM_CN_TO_TH, **TECH}, "2023-12-31",
     True),
    ("techcat2023.re-technology.export-from-china", {**FROM_CN_TO_TH, **TECH}, "2026-11-10",
     True),  # never suspended
    ("ann62.licence.export-from-china", {**FROM_CN_TO_TH, **TECH}, "2026-11-10", False),
    ("ann62.licence.export-from-china", {**FROM_CN_TO_TH, **TECH}, "2026-11-11", True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule_id", "facts", "day", "fires"),
    NEW_ITEM_CASES,
    ids=[f"{c[0]}@{c[2]}" for c in NEW_ITEM_CASES],
)
def test_new_item_rule_dates(
    book: RuleBook, rule_id: str, facts: dict, day: str, fires: bool
) -> None:
    assert (rule_id in fired(classify(book, as_of=d(day), **facts))) is fires


@pytest.mark.parametrize(
    ("rule_id", "facts", "day", "fires"),
    NEW_SHIP_CASES,
    ids=[f"{c[0]}@{c[2]}" for c in NEW_SHIP_CASES],
)
def test_new_shipment_rule_dates(
    book: RuleBook, rule_id: str, facts: dict, day: str, fires: bool
) -> None:
    assert (rule_id in fired(ship(book, as_of=d(day), **facts))) is fires


@pytest.mark.parametrize(
    ("rule_id", "day", "state"),
    [
        ("ann2024-46.us.military-end-user", "2024-12-02", "not_yet_in_force"),
        ("ann2024-46.us.military-end-user", "2024-12-03", "in_force"),
        ("ann2024-46.us.military-end-user", "2026-11-28", "in_force"),  # clause 1: never
        ("lists.control.export-from-china", "2024-11-30", "not_yet_in_force"),
        ("lists.control.export-from-china", "2024-12-01", "in_force"),
        ("ann2026-01.retransfer.military-capability", "2026-01-05", "not_yet_in_force"),
        ("ann2026-01.retransfer.military-capability", "2026-01-06", "in_force"),
        ("ann61.denial.listed-party", "2026-11-10", "suspended"),
        ("ann61.denial.listed-party", "2026-11-11", "in_force"),
        ("ann56.licence.export-from-china", "2025-11-07", "not_yet_in_force"),
        ("ann56.licence.export-from-china", "2025-11-08", "suspended"),
    ],
)
def test_status_at_boundaries(book: RuleBook, rule_id: str, day: str, state: str) -> None:
    from raretrace.rules import rule_status

    r = book.rule(rule_id)
    assert rule_status(r.pack, r.rule, d(day)).state == state


def test_us_military_end_user_gets_nothing_from_china(book: RuleBook) -> None:
    us = {**FROM_CN_TO_TH, "destination_country": "US", "end_user_military": True}
    det = ship(book, as_of=d("2025-04-04"), **us)
    assert det.outcome.value == "prohibited"
    assert "ann2024-46.us.military-end-user" in fired(det)
