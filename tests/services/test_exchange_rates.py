"""Value shares across currencies: unknown without rates, converted with a user table."""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from raretrace.domain.currency import ExchangeRates
from raretrace.rules import Outcome
from raretrace.services.classification.facts import facts_of
from raretrace.services.classification.use_cases import Shipment, determine, load_book
from raretrace.workspace import Workspace

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "analytics"))
from test_classification import _net
from tracing_networks import magnet_chain

# Test data, not a real rate: raretrace ships none.
RATES = ExchangeRates("USD", date(2026, 11, 27), "test fixture", {"JPY": Decimal("0.0064")})


def test_trace_value_share_needs_rates_for_inputs_in_another_currency(
    workspace: Workspace,
) -> None:
    net = magnet_chain()
    jpy = Decimal(40) / RATES.rates["JPY"]
    net.parts = [replace(p, currency="JPY", unit_value=jpy) if p.part_id == "MAGNET" else p
                 for p in net.parts]  # fmt: skip
    with workspace._uow() as uow:
        uow.network.upsert(net)
        uow.network.bump_revision()
    (node,) = workspace.tracing.trace("CAR").nodes
    assert node.controlled_value_share is None and node.value_currency == "USD"
    result = workspace.tracing.trace("CAR", rates=RATES)
    (node,) = result.nodes
    assert node.controlled_value_share == pytest.approx(8 * 40 / 30000)
    assert node.origin_value_share == pytest.approx(0.6 * 8 * 40 / 30000)
    assert result.provenance.parameters["rates"]["source"] == "test fixture"
    euro = ExchangeRates("EUR", date(2026, 11, 27), "test fixture", {"JPY": 1})
    (node,) = workspace.tracing.trace("CAR", rates=euro).nodes
    assert node.controlled_value_share is None  # no rate for USD: still unknown


def test_classification_share_with_rates_decides_the_rule() -> None:
    net = _net()
    yen = [replace(p, currency="JPY", unit_value=Decimal(10) / RATES.rates["JPY"])
           if p.part_id == "MAG-JP" else p for p in net.parts]  # fmt: skip
    net.parts = yen
    assert math.isnan(facts_of(net).cn_value_share("MAG-JP", "S-JPMAG"))
    share = facts_of(net, rates=RATES).cn_value_share("MAG-JP", "S-JPMAG")
    assert share == pytest.approx(0.01 * 40 / 10)
    ship = Shipment("MAG-JP", "S-JPMAG", "DEOEM")
    d = determine(net, load_book(), ship, date(2026, 11, 29), rates=RATES)
    assert d.outcome is Outcome.LICENCE_REQUIRED
    assert next(r for r in d.reasons if r.rule_id == "ann61.1-1.magnet").fired


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base": "usd"}, "ISO 4217"),
        ({"rates": {"JPY": 0}}, "positive"),
        ({"rates": {"JPY": float("nan")}}, "positive"),
        ({"source": " "}, "source"),
    ],
)
def test_rates_are_validated(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"base": "USD", "as_of": date(2026, 1, 1), "source": "x"}
    with pytest.raises(ValueError, match=message):
        ExchangeRates(**(args | kwargs))  # type: ignore[arg-type]


def test_rate_lookup() -> None:
    assert RATES.rate("USD") == 1.0 and RATES.rate("EUR") is None
    assert RATES.vector(("JPY", "EUR"))[0] == pytest.approx(0.0064)
    assert math.isnan(RATES.vector(("JPY", "EUR"))[1])
