"""Pack schema and cross-checks: what `raretrace rules check` reports."""

from __future__ import annotations

import pytest

from raretrace.errors import InputError
from raretrace.rules import REGISTRY, builtin_packs, check_packs, parse_pack

MINIMAL = """
id: my-pack
title: Test
instrument: Test instrument
issuer: Me
published: 2026-01-01
citations: [{text: t, url: "https://example.org", quality: C}]
rules:
  - id: my.rule
    title: Sm metal
    scope: item
    article: "1"
    effective_from: 2026-01-01
    when: [{predicate: contains_any, params: {elements: [Sm]}}]
    then: {outcome: controlled, control_codes: [X1]}
"""


def test_shipped_packs_are_valid_and_cited() -> None:
    packs = builtin_packs()
    assert [p.id for p in packs] == [
        "ann-2024-46",
        "ann-2025-18",
        "ann-2025-56",
        "ann-2025-57",
        "ann-2025-61",
        "ann-2025-62",
        "ann-2026-01",
        "china-party-lists",
        "tech-catalogue-2023",
    ]
    assert check_packs(packs) == []
    for p in packs:
        for r in p.rules:
            assert p.citations_of(r), r.id
            assert all(c.url.startswith("http") for c in p.citations_of(r)), r.id


def test_uncertain_flags_follow_the_fact_sheet() -> None:
    rules = {r.id: r for p in builtin_packs() for r in p.rules}
    for rid in ("ann18.1C906.lutetium", "ann18.1C907.scandium", "ann18.1C908.yttrium"):
        assert rules[rid].uncertain and "inferred" in rules[rid].uncertain_note
    assert all(r.uncertain for r in rules.values() if r.id.startswith("ann2026-01"))
    assert not rules["ann18.1C904.a.ndfeb-magnet"].uncertain


def test_no70_suspension_is_data_on_57_and_61() -> None:
    packs = {p.id: p for p in builtin_packs()}
    for pid in ("ann-2025-57", "ann-2025-61"):
        (s,) = packs[pid].suspensions
        assert (str(s.from_), str(s.until)) == ("2025-11-07", "2026-11-10")
        assert "No. 70" in s.by.instrument and s.uncertain_after
    assert packs["ann-2025-18"].suspensions == ()


def test_user_pack_parses_and_checks_with_the_shipped_ones() -> None:
    pack = parse_pack(MINIMAL, "my.yaml")
    assert check_packs([*builtin_packs(), pack]) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("predicate: contains_any", "unknown predicate"),
        ("elements: [Sm]", "unknown element"),
        ("scope: item", "needs shipment facts"),
    ],
)
def test_check_reports_located_problems(change: str, message: str) -> None:
    text = {
        "predicate: contains_any": MINIMAL.replace("contains_any", "contains_anything"),
        "elements: [Sm]": MINIMAL.replace("[Sm]", "[Xx]"),
        "scope: item": MINIMAL.replace(
            "[{predicate: contains_any, params: {elements: [Sm]}}]", "[{predicate: crosses_border}]"
        ),
    }[change]
    problems = check_packs([parse_pack(text, "my.yaml")])
    assert any(message in p.message and p.column and "my.rule" in p.column for p in problems)


def test_schema_errors_are_input_errors() -> None:
    with pytest.raises(InputError) as exc:
        parse_pack(MINIMAL.replace("quality: C", "quality: E"), "bad.yaml")
    assert any("quality" in (p.column or "") for p in exc.value.problems)
    with pytest.raises(InputError, match="uncertain_note"):
        parse_pack(MINIMAL.replace("    title: Sm metal", "    title: x\n    uncertain: true"), "u")


def test_duplicate_rule_ids_across_packs() -> None:
    pack = parse_pack(MINIMAL.replace("my.rule", "ann18.1C905.a.metal-alloy"), "dup.yaml")
    problems = check_packs([*builtin_packs(), pack])
    assert any("another pack" in p.message for p in problems)


def test_every_predicate_is_documented() -> None:
    for spec in REGISTRY.values():
        assert len(spec.doc) > 40, spec.name


def test_docs_list_every_predicate_and_shipped_pack() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    for name in REGISTRY:
        assert f"### `{name}`" in text, name
    for p in builtin_packs():
        assert f"`{p.id}`" in text, p.id
