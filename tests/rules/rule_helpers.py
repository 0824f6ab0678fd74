"""Helpers for rule tests (imported by the test modules): one part or shipment built inline from keyword facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from raretrace.rules import (
    Determination,
    PartFacts,
    RuleBook,
    SuspensionPolicy,
    evaluate,
    shipment_facts,
)

TODAY = date(2026, 11, 29)

DY_NDFEB: dict[str, Any] = {
    "content": {"Nd": 0.29, "Dy": 0.009, "Fe": 0.67, "B": 0.01},
    "form": "magnet",
    "magnet_type": "ndfeb",
    "kind": "magnet",
}


def part(**kw: Any) -> PartFacts:
    return PartFacts.build(
        [kw.get("part_id", "P")],
        content=[kw.get("content")],
        form=[kw.get("form", "other")],
        magnet_type=[kw.get("magnet_type", "none")],
        kind=[kw.get("kind", "component")],
        deep_processed=[kw["deep_processed"]] if "deep_processed" in kw else None,
        cn_value_share=[kw.get("cn_value_share")],
        origin_country=[kw.get("origin", "")],
        part2_magnet=[kw["part2_magnet"]] if "part2_magnet" in kw else None,
        cn_value_exact=[kw["cn_value_exact"]] if "cn_value_exact" in kw else None,
        tested_dy_tb=[kw.get("tested_dy_tb")],
        practice_threshold=[kw.get("practice_threshold")],
    )


def classify(
    book: RuleBook,
    as_of: date = TODAY,
    policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN,
    **kw: Any,
) -> Determination:
    return evaluate(part(**kw), book, as_of, policy)[0]


SHIP_KEYS = (
    "exporter_country",
    "destination_country",
    "consignee_military",
    "consignee_listed",
    "consignee_listed_owner_pct",
    "end_user_military",
    "end_user_listed",
    "end_user_listed_owner_pct",
    "end_use",
    "chinese_re_technology",
    "consignee_list_kind",
    "consignee_list_via",
    "end_user_list_kind",
    "end_user_list_via",
)


def ship(
    book: RuleBook,
    as_of: date = TODAY,
    policy: SuspensionPolicy = SuspensionPolicy.AS_WRITTEN,
    **kw: Any,
) -> Determination:
    s = {k: [kw.pop(k)] for k in SHIP_KEYS if k in kw}
    facts = shipment_facts(part(**kw), **s)
    return evaluate(facts, book, as_of, policy)[0]


def fired(d: Determination) -> set[str]:
    out = {r.rule_id for r in d.reasons if r.fired}
    if d.item is not None:
        out |= {r.rule_id for r in d.item.reasons if r.fired}
    return out
