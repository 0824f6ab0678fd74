"""Item rules, table-driven: one case per rule id, firing and not firing."""

from __future__ import annotations

from typing import Any

import pytest
from rule_helpers import DY_NDFEB, classify, fired

from raretrace.rules import Outcome, RuleBook

RE = {"Fe": 0.5}

# (rule id, facts that fire it, facts that do not)
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("ann18.1C902.a.metal-alloy-target", {"content": {"Sm": 1.0}, "form": "metal"},
     {"content": {"Nd": 1.0}, "form": "metal"}),
    ("ann18.1C902.a.smco-magnet", {"content": {"Sm": 0.25, "Co": 0.5}, "form": "magnet",
     "magnet_type": "smco"}, {"content": {"Sm": 0.25}, "form": "magnet", "magnet_type": "none"}),
    ("ann18.1C902.b.oxide", {"content": {"Sm": 0.86}, "form": "oxide"},
     {"content": {"Sm": 0.86}, "form": "compound"}),
    ("ann18.1C902.c.compound", {"content": {"Sm": 0.5}, "form": "compound"},
     {"content": {"Sm": 0.5}, "form": "other"}),
    ("ann18.1C903.a.metal-alloy-target", {"content": {"Gd": 0.3, "Fe": 0.7}, "form": "target"},
     {"content": {"Gd": 0.3}, "form": "magnet", "magnet_type": "ndfeb"}),
    ("ann18.1C903.b.oxide", {"content": {"Gd": 0.8}, "form": "oxide"},
     {"content": {"Tb": 0.8}, "form": "oxide"}),
    ("ann18.1C903.c.compound", {"content": {"Gd": 0.4}, "form": "compound"},
     {"content": {"Gd": 0.4}, "form": "metal"}),
    ("ann18.1C904.a.metal-alloy-target", {"content": {"Tb": 0.5, "Co": 0.5}, "form": "alloy"},
     {"content": {"Tb": 0.5}, "form": "oxide"}),
    ("ann18.1C904.a.ndfeb-magnet", {"content": {"Nd": 0.3, "Tb": 0.005}, "form": "magnet",
     "magnet_type": "ndfeb"}, {"content": {"Nd": 0.3}, "form": "magnet", "magnet_type": "ndfeb"}),
    ("ann18.1C904.b.oxide", {"content": {"Tb": 0.85}, "form": "oxide"},
     {"content": {"Dy": 0.85}, "form": "metal"}),
    ("ann18.1C904.c.compound", {"content": {"Tb": 0.6}, "form": "compound"},
     {"content": {"Tb": 0.0}, "form": "compound"}),
    ("ann18.1C905.a.metal-alloy", {"content": {"Dy": 1.0}, "form": "metal"},
     {"content": {"Dy": 1.0}, "form": "other"}),
    ("ann18.1C905.a.target", {"content": {"Dy": 0.9}, "form": "target"},
     {"content": {"Nd": 0.9}, "form": "target"}),
    ("ann18.1C905.a.ndfeb-magnet", DY_NDFEB,
     {**DY_NDFEB, "content": {"Nd": 0.31, "Fe": 0.68}}),
    ("ann18.1C905.b.oxide", {"content": {"Dy": 0.87}, "form": "oxide"},
     {"content": {"Ho": 0.87}, "form": "oxide"}),
    ("ann18.1C905.c.compound", {"content": {"Dy": 0.5}, "form": "compound"},
     {"content": {"Dy": 0.5}, "form": "oxide", "deep_processed": True}),
    ("ann18.1C906.lutetium", {"content": {"Lu": 1.0}, "form": "metal"},
     {"content": {"Lu": 1.0}, "form": "compound"}),
    ("ann18.1C907.scandium", {"content": {"Sc": 0.02, "Al": 0.98}, "form": "alloy"},
     {"content": {"Sc": 1.0}, "form": "oxide"}),
    ("ann18.1C908.yttrium", {"content": {"Y": 0.1, "Al": 0.9}, "form": "alloy"},
     {"content": {"Y": 0.1}, "form": "target"}),
    ("ann18.faq5.deep-processed", {**DY_NDFEB, "kind": "assembly", "deep_processed": True},
     DY_NDFEB),
    ("ann57.1C909.a.metal-alloy-target", {"content": {"Ho": 1.0}, "form": "metal"},
     {"content": {"Ho": 1.0}, "form": "other"}),
    ("ann57.1C909.a.magnet", {**DY_NDFEB, "content": {"Nd": 0.3, "Ho": 0.01}},
     {**DY_NDFEB, "content": {"Nd": 0.3}}),
    ("ann57.1C909.b.oxide", {"content": {"Ho": 0.8}, "form": "oxide"},
     {"content": {"Nd": 0.8}, "form": "oxide"}),
    ("ann57.1C909.c.compound", {"content": {"Ho": 0.3}, "form": "compound"},
     {"content": {"Ho": 0.3}, "form": "oxide"}),
    ("ann57.1C910.a.metal-alloy-target", {"content": {"Er": 0.1, "Al": 0.9}, "form": "alloy"},
     {"content": {"Er": 1.0}, "form": "oxide"}),
    ("ann57.1C910.b.oxide", {"content": {"Er": 0.87}, "form": "oxide"},
     {"content": {"Er": 0.87}, "form": "metal"}),
    ("ann57.1C910.c.compound", {"content": {"Er": 0.4}, "form": "compound"},
     {"content": {"Tm": 0.4}, "form": "oxide"}),
    ("ann57.1C911.a.metal-alloy-target", {"content": {"Tm": 1.0}, "form": "metal"},
     {"content": {"Tm": 1.0}, "form": "compound"}),
    ("ann57.1C911.b.oxide", {"content": {"Tm": 0.87}, "form": "oxide"},
     {"content": {"Tm": 0.87}, "form": "compound"}),
    ("ann57.1C911.c.compound", {"content": {"Tm": 0.3}, "form": "compound"},
     {"content": {"Tm": 0.3}, "form": "other"}),
    ("ann57.1C912.a.metal-alloy-target", {"content": {"Eu": 0.2, "Mg": 0.8}, "form": "alloy"},
     {"content": {"Eu": 0.2}, "form": "other"}),
    ("ann57.1C912.b.oxide", {"content": {"Eu": 0.86}, "form": "oxide"},
     {"content": {"Sm": 0.86}, "form": "oxide"}),
    ("ann57.1C912.c.compound", {"content": {"Eu": 0.3}, "form": "compound"},
     {"content": {"Eu": 0.3}, "form": "metal"}),
    ("ann57.1C913.a.metal-alloy-target", {"content": {"Yb": 1.0}, "form": "target"},
     {"content": {"Yb": 1.0}, "form": "oxide"}),
    ("ann57.1C913.b.oxide", {"content": {"Yb": 0.88}, "form": "oxide"},
     {"content": {"Yb": 0.88}, "form": "target"}),
    ("ann57.1C913.c.compound", {"content": {"Yb": 0.3}, "form": "compound"},
     {"content": {"Lu": 0.3}, "form": "compound"}),
    ("ann18.1C908.yttrium-oxide", {"content": {"Y": 0.78}, "form": "oxide"},
     {"content": {"Y": 0.78}, "form": "compound"}),
    ("ann18.1C907.scandium-forms", {"content": {"Sc": 0.65}, "form": "oxide"},
     {"content": {"Sc": 0.65}, "form": "target"}),
    ("ann62.1E902.technology", {"kind": "technology"}, {"kind": "equipment"}),
    ("ann56.2B902.equipment", {"kind": "equipment"}, {"kind": "technology"}),
]  # fmt: skip


@pytest.mark.parametrize(("rule_id", "yes", "no"), CASES, ids=[c[0] for c in CASES])
def test_item_rule_fires_and_does_not(book: RuleBook, rule_id: str, yes: dict, no: dict) -> None:
    assert rule_id in fired(classify(book, **yes))
    assert rule_id not in fired(classify(book, **no))


def test_every_item_rule_has_a_case(book: RuleBook) -> None:
    assert {r.id for r in book.item_rules} == {c[0] for c in CASES}


def test_dy_free_ndfeb_is_not_controlled_but_a_trace_of_dy_is(book: RuleBook) -> None:
    free = classify(book, **{**DY_NDFEB, "content": {"Nd": 0.31, "Pr": 0.07, "Fe": 0.61}})
    trace = classify(book, **{**DY_NDFEB, "content": {"Nd": 0.31, "Dy": 1e-6, "Fe": 0.68}})
    assert free.outcome is Outcome.NOT_CONTROLLED
    assert trace.outcome is Outcome.CONTROLLED
    assert trace.control_codes == ("1C905.a",)


def test_rotor_assembly_vs_bare_magnet(book: RuleBook) -> None:
    bare = classify(book, **DY_NDFEB)
    rotor_form = classify(book, **{**DY_NDFEB, "form": "deep_processed_assembly"})
    rotor_kind = classify(book, **{**DY_NDFEB, "kind": "assembly", "deep_processed": True})
    assert bare.controlled and not bare.uncertain
    assert not rotor_form.controlled
    assert not rotor_kind.controlled
    excluded = next(r for r in rotor_kind.reasons if r.rule_id == "ann18.1C905.a.ndfeb-magnet")
    assert "excluded by ann18.faq5.deep-processed" in excluded.detail
    assert rotor_kind.uncertain  # the FAQ says "generally not"


def test_unknown_content_makes_a_magnet_uncertain_not_controlled(book: RuleBook) -> None:
    d = classify(book, form="magnet", magnet_type="ndfeb", kind="magnet")
    assert d.outcome is Outcome.NOT_CONTROLLED
    assert d.uncertain
    assert any("unknown" in n for n in d.uncertain_reasons)


def test_inferred_codes_carry_the_uncertain_flag(book: RuleBook) -> None:
    d = classify(book, content={"Lu": 1.0}, form="metal")
    assert d.controlled and d.uncertain
    assert d.control_codes == ("1C906",)
    assert any("inferred" in n for n in d.uncertain_reasons)


def test_trace_lists_every_rule_with_inputs_and_citation(book: RuleBook) -> None:
    d = classify(book, **DY_NDFEB)
    assert len(d.reasons) == len(book.item_rules)
    r = next(r for r in d.reasons if r.fired)
    assert r.inputs["mass_fraction[Dy]"] == pytest.approx(0.009)
    assert r.inputs["content_basis"] == "declared"
    assert "Announcement 2025 No. 18" in r.citation and "https://" in r.citation
