"""Shipment rules, table-driven by rule id, plus the value-share and ownership edges."""

from __future__ import annotations

from typing import Any

import pytest
from rule_helpers import DY_NDFEB, fired, ship

from raretrace.rules import Outcome, RuleBook

DY_METAL = {"content": {"Dy": 1.0}, "form": "metal", "kind": "raw_material"}
HO_METAL = {"content": {"Ho": 1.0}, "form": "metal", "kind": "raw_material"}
FOREIGN_MAGNET = {
    **DY_NDFEB,
    "origin": "JP",
    "cn_value_share": 0.02,
    "exporter_country": "JP",
    "destination_country": "US",
}
REEXPORT = {"origin": "CN", "exporter_country": "DE", "destination_country": "US"}
DENIAL_BASE = {**FOREIGN_MAGNET, "end_use": "civilian"}
TO_JAPAN = {**DY_METAL, "exporter_country": "CN", "destination_country": "JP"}
FROM_CN = {**DY_METAL, "exporter_country": "CN", "destination_country": "DE"}

CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("ann18.licence.export-from-china",
     {**DY_METAL, "exporter_country": "CN", "destination_country": "DE"},
     {**DY_METAL, "exporter_country": "CN", "destination_country": "CN"}),
    ("ann57.licence.export-from-china",
     {**HO_METAL, "exporter_country": "CN", "destination_country": "DE"},
     {**HO_METAL, "exporter_country": "VN", "destination_country": "DE"}),
    ("ann61.1-1.magnet", FOREIGN_MAGNET, {**FOREIGN_MAGNET, "origin": "CN"}),
    ("ann2024-46.us.military-end-user",
     {**DY_METAL, "exporter_country": "CN", "destination_country": "US",
      "end_user_military": True},
     {**DY_METAL, "exporter_country": "CN", "destination_country": "DE",
      "end_user_military": True}),
    ("ann2024-46.us.military-use",
     {**DY_METAL, "exporter_country": "CN", "destination_country": "US", "end_use": "military"},
     {**DY_METAL, "exporter_country": "CN", "destination_country": "US",
      "end_use": "civilian"}),
    ("lists.control.export-from-china", {**FROM_CN, "consignee_list_kind": "control"},
     {**FROM_CN, "consignee_list_kind": "watch"}),
    ("lists.control.retransfer",
     {**DY_METAL, **REEXPORT, "end_user_list_kind": "control"},
     {**DY_METAL, **REEXPORT, "origin": "DE", "end_user_list_kind": "control"}),
    ("lists.control.affiliate",
     {**FROM_CN, "consignee_list_kind": "control", "consignee_list_via": "branch"},
     {**FROM_CN, "consignee_list_kind": "control"}),
    ("lists.watch.export-from-china", {**FROM_CN, "end_user_list_kind": "watch"},
     {**FROM_CN, "end_user_list_kind": "control"}),
    ("lists.watch.affiliate",
     {**FROM_CN, "end_user_list_kind": "watch", "end_user_list_via": "subsidiary"},
     {**FROM_CN, "end_user_list_kind": "watch", "end_user_list_via": "listed"}),
    ("ann62.licence.export-from-china",
     {"kind": "technology", "exporter_country": "CN", "destination_country": "JP"},
     {"kind": "technology", "exporter_country": "CN", "destination_country": "CN"}),
    ("techcat2023.re-technology.export-from-china",
     {"kind": "technology", "exporter_country": "CN", "destination_country": "JP"},
     {"kind": "equipment", "exporter_country": "CN", "destination_country": "JP"}),
    ("ann56.licence.export-from-china",
     {"kind": "equipment", "exporter_country": "CN", "destination_country": "JP"},
     {"kind": "equipment", "exporter_country": "JP", "destination_country": "KR"}),
    ("ann2026-01.military-capability",
     {**FROM_CN, "destination_country": "TH", "end_use": "japan_military_capability"},
     {**FROM_CN, "destination_country": "TH", "end_use": "civilian"}),
    ("ann2026-01.retransfer.military-capability",
     {**DY_METAL, **REEXPORT, "end_use": "japan_military_capability"},
     {**DY_METAL, **REEXPORT, "origin": "DE", "end_use": "japan_military_capability"}),
    ("ann61.1-1.target",
     {**FOREIGN_MAGNET, "form": "target", "magnet_type": "none", "content": {"Gd": 0.5}},
     {**FOREIGN_MAGNET, "form": "target", "magnet_type": "none", "content": {"Cu": 1.0}}),
    ("ann61.1-2.chinese-technology",
     {**FOREIGN_MAGNET, "cn_value_share": 0.0, "chinese_re_technology": 1},
     {**FOREIGN_MAGNET, "cn_value_share": 0.0, "chinese_re_technology": 0}),
    ("ann61.1-3.part1-metal", {**DY_METAL, **REEXPORT}, {**HO_METAL, **REEXPORT}),
    ("ann61.1-3.part1-smco-alloy",
     {"content": {"Sm": 0.36, "Co": 0.64}, "form": "alloy", **REEXPORT},
     {"content": {"Sm": 0.36, "Fe": 0.64}, "form": "alloy", **REEXPORT}),
    ("ann61.1-3.part1-tb-dy-fe-alloy",
     {"content": {"Dy": 0.8, "Fe": 0.2}, "form": "alloy", **REEXPORT},
     {"content": {"Dy": 0.8, "Ni": 0.2}, "form": "alloy", **REEXPORT}),
    ("ann61.1-3.part1-oxide", {"content": {"Tb": 0.85}, "form": "oxide", **REEXPORT},
     {"content": {"Sm": 0.85}, "form": "oxide", **REEXPORT}),
    ("ann61.1-3.part2-magnet", {**DY_NDFEB, **REEXPORT},
     {**DY_NDFEB, **REEXPORT, "exporter_country": "CN"}),
    ("ann61.1-3.part2-target", {"content": {"Sm": 1.0}, "form": "target", **REEXPORT},
     {"content": {"Sm": 1.0}, "form": "target", **REEXPORT, "destination_country": "CN"}),
    ("ann61.humanitarian", {**FOREIGN_MAGNET, "end_use": "humanitarian"}, FOREIGN_MAGNET),
    ("ann61.denial.military-end-user", {**DENIAL_BASE, "end_user_military": True},
     {**DENIAL_BASE, "end_user_military": True, "cn_value_share": 0.0}),
    ("ann61.denial.listed-party", {**DENIAL_BASE, "consignee_listed": True}, DENIAL_BASE),
    ("ann61.denial.military-wmd-use", {**DENIAL_BASE, "end_use": "wmd"}, DENIAL_BASE),
    ("ann61.case-by-case.advanced-chips", {**DENIAL_BASE, "end_use": "advanced_chip"},
     DENIAL_BASE),
    ("ann61.case-by-case.military-ai", {**DENIAL_BASE, "end_use": "military_ai"}, DENIAL_BASE),
    ("ann2026-01.japan.military-end-user", {**TO_JAPAN, "end_user_military": True},
     {**TO_JAPAN, "end_user_military": True, "content": {"Nd": 1.0}}),
    ("ann2026-01.japan.military-use", {**TO_JAPAN, "end_use": "military"},
     {**TO_JAPAN, "end_use": "civilian"}),
    ("ann2026-01.retransfer.military-end-user",
     {**DY_METAL, **REEXPORT, "destination_country": "JP", "consignee_military": True},
     {**DY_METAL, **REEXPORT, "destination_country": "JP"}),
    ("ann2026-01.retransfer.military-use",
     {**DY_METAL, **REEXPORT, "destination_country": "JP", "end_use": "military"},
     {**DY_METAL, **REEXPORT, "destination_country": "KR", "end_use": "military"}),
]  # fmt: skip


@pytest.mark.parametrize(("rule_id", "yes", "no"), CASES, ids=[c[0] for c in CASES])
def test_shipment_rule_fires_and_does_not(
    book: RuleBook, rule_id: str, yes: dict, no: dict
) -> None:
    assert rule_id in fired(ship(book, **yes))
    assert rule_id not in fired(ship(book, **no))


def test_every_shipment_rule_has_a_case(book: RuleBook) -> None:
    assert {r.id for r in book.shipment_rules} == {c[0] for c in CASES}


@pytest.mark.parametrize(
    ("share", "needs_licence"),
    [(0.001, True), (0.0009999, False), (0.0, False), (0.5, True)],
    ids=["exactly-0.1pct", "just-under", "zero", "half"],
)
def test_ann61_value_share_boundary(book: RuleBook, share: float, needs_licence: bool) -> None:
    d = ship(book, **{**FOREIGN_MAGNET, "cn_value_share": share})
    assert ("ann61.1-1.magnet" in fired(d)) is needs_licence


def test_unknown_value_share_is_uncertain(book: RuleBook) -> None:
    d = ship(book, **{**FOREIGN_MAGNET, "cn_value_share": None})
    assert "ann61.1-1.magnet" not in fired(d)
    assert d.uncertain


@pytest.mark.parametrize(
    ("pct", "denied"),
    [(50.0, True), (49.0, False), (100.0, True), (49.99, False)],
    ids=["50pct-owned", "49pct-owned", "wholly-owned", "just-under-50"],
)
def test_listed_owner_look_through(book: RuleBook, pct: float, denied: bool) -> None:
    d = ship(book, **{**DENIAL_BASE, "end_user_listed_owner_pct": pct})
    assert (d.outcome is Outcome.PRESUMPTION_OF_DENIAL) is denied
    assert d.licence_required


def test_strongest_outcome_wins(book: RuleBook) -> None:
    d = ship(book, **{**TO_JAPAN, "end_user_military": True})
    assert d.outcome is Outcome.PROHIBITED
    assert {"ann18.licence.export-from-china", "ann2026-01.japan.military-end-user"} <= fired(d)


def test_humanitarian_exemption_lifts_the_licence(book: RuleBook) -> None:
    d = ship(book, **{**FOREIGN_MAGNET, "end_use": "humanitarian"})
    assert d.outcome is Outcome.NOT_CONTROLLED
    assert not d.licence_required


def test_an_exclusion_with_unknown_input_adds_no_uncertainty(book: RuleBook) -> None:
    d = ship(book, **{**DY_METAL, "exporter_country": "CN", "destination_country": "DE"})
    assert d.outcome is Outcome.LICENCE_REQUIRED
    assert not d.uncertain, d.uncertain_reasons


def test_unknown_technology_origin_is_named(book: RuleBook) -> None:
    d = ship(book, **{**FOREIGN_MAGNET, "cn_value_share": 0.0})
    assert any("chinese_re_technology()" in n for n in d.uncertain_reasons)
