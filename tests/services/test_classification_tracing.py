"""Classification facts from the tracing engine: content basis, Chinese-origin value
share through the supply chain, and unknown shares (mixed currencies) -> uncertain."""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from raretrace.rules import Outcome
from raretrace.services.classification.facts import facts_of
from raretrace.services.classification.use_cases import Shipment, determine, load_book

sys.path.insert(0, str(Path(__file__).parent))
from test_classification import _net

TODAY = date(2026, 11, 29)
ANN61_MAGNET = "ann61.1-1.magnet"


def test_content_basis_and_value_share_per_node() -> None:
    facts = facts_of(_net())
    assert facts.content("MAG-JP")[1] == "declared"
    rotor, basis = facts.content("ROTOR")
    assert basis == "rolled_up"
    # 10 magnets x 0.01 kg Dy-Fe alloy (80 % Dy) in a 1 kg rotor, from the tracing rollup
    assert rotor is not None and rotor["Dy"] == pytest.approx(10 * 0.01 * 0.8)
    # the JP magnet: 0.01 kg CN alloy at 40 USD/kg in a 10 USD magnet
    assert facts.cn_value_share("MAG-JP", "S-JPMAG") == pytest.approx(0.01 * 40 / 10)
    # the alloy itself has no inputs: nothing is known about them
    assert math.isnan(facts.cn_value_share("ALLOY-DY", "S-CNMAG"))
    assert facts.origin("MAG-JP") == "JP" and facts.origin("MAG-JP", "S-DEOEM") == "DE"


def test_inputs_priced_in_another_currency_make_the_share_unknown_and_the_verdict_uncertain() -> (
    None
):
    net = _net()
    net.parts = [replace(p, currency="JPY") if p.part_id == "MAG-JP" else p for p in net.parts]
    facts = facts_of(net)
    assert math.isnan(facts.cn_value_share("MAG-JP", "S-JPMAG"))
    ship = Shipment("MAG-JP", "S-JPMAG", "DEOEM")
    d = determine(net, load_book(), ship, TODAY)
    reason = next(r for r in d.reasons if r.rule_id == ANN61_MAGNET)
    assert not reason.fired and reason.inputs.get("cn_value_share") is None
    # never silently "not controlled under Ann. 61": the verdict names the unknown input
    assert d.uncertain
    assert any(
        n.startswith(f"{ANN61_MAGNET}: would apply, but an input is unknown (cn_value_share")
        for n in d.uncertain_reasons
    )
    same = determine(_net(), load_book(), ship, TODAY)
    assert same.outcome is Outcome.LICENCE_REQUIRED
    assert next(r for r in same.reasons if r.rule_id == ANN61_MAGNET).fired


def test_unpriced_controlled_input_makes_the_share_unknown() -> None:
    net = _net()
    net.parts = [replace(p, unit_value=None) if p.part_id == "ALLOY-DY" else p for p in net.parts]
    assert math.isnan(facts_of(net).cn_value_share("MAG-JP", "S-JPMAG"))
