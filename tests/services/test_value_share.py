"""The Ann. 61 0.1 % value test, exactly, through every BOM level (issue 14 item 5), and
the Part 2 magnet scope (plain Nd-Pr NdFeB out, assemblies containing Dy/Tb NdFeB in)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from raretrace.domain.network import BomLine, Network, Production, SupplyLink
from raretrace.domain.parties import Party, Site
from raretrace.domain.parts import CompositionLine, Form, MagnetType, Part, PartKind
from raretrace.services.classification.facts import facts_of
from raretrace.services.classification.use_cases import Shipment, determine, load_book

TODAY = date(2026, 11, 29)  # after the No. 70 suspension ended as written
ANN61 = "ann61.1-1.magnet"


def eps_net(
    dy_kg: str = "0.0007",
    dy_price: str = "100",
    magnet_price: str = "70",
    motor_price: str | None = None,
    heavy: bool = True,
) -> Network:
    """A Chinese Dy metal in a Japanese NdFeB magnet, optionally in a Japanese EPS motor."""
    parties = [Party("CN", "Cn Metal", "CN"), Party("JP", "Jp Maker", "JP"),
               Party("DE", "De Oem", "DE")]  # fmt: skip
    sites = [Site(f"S-{p.party_id}", p.party_id, p.party_id, p.country) for p in parties]
    usd = {"currency": "USD"}
    dy = float(Decimal(dy_kg) / Decimal("0.07"))  # declared = what the BOM explains
    magnet_comp = {"Nd": 0.3, "Fe": 0.69} | ({"Dy": dy} if heavy else {"Pr": 0.01})
    parts = [
        Part("DY", "Dy metal", PartKind.RAW_MATERIAL, "kg", 1.0, Decimal(dy_price), **usd,
             form=Form.METAL),
        Part("MAG", "NdFeB magnet", PartKind.MAGNET, "ea", 0.07, Decimal(magnet_price), **usd,
             form=Form.MAGNET, magnet_type=MagnetType.NDFEB),
    ]  # fmt: skip
    comp = [CompositionLine("DY", "Dy", 1.0)] + [
        CompositionLine("MAG", e, f) for e, f in magnet_comp.items()
    ]
    bom = [BomLine("MAG", "DY", float(dy_kg))] if heavy else []
    supply = [SupplyLink("S-CN", "DY", "S-JP", 1.0)] if heavy else []
    if motor_price is not None:
        parts.append(Part("EPS", "EPS motor", PartKind.ASSEMBLY, "ea", 2.0,
                          Decimal(motor_price), **usd, form=Form.DEEP_PROCESSED_ASSEMBLY))  # fmt: skip
        bom.append(BomLine("EPS", "MAG", 1))
    prod = [Production("S-JP", p.part_id) for p in parts if p.part_id != "DY"]
    return Network(parties, sites, parts, comp, bom, supply, prod)


def test_exactly_one_tenth_of_a_percent_is_exact_and_controlled() -> None:
    # 0.7 g at 100 USD/kg in a 70 USD magnet: 0.07 / 70 = 1/1000 exactly
    facts = facts_of(eps_net())
    assert facts.cn_value_exact("MAG", "S-JP") == Fraction(1, 1000)
    d = determine(eps_net(), load_book(), Shipment("MAG", "S-JP", "DE"), TODAY)
    assert ANN61 in {r.rule_id for r in d.reasons if r.fired}


def test_the_share_goes_through_the_magnet_into_the_motor() -> None:
    # the same magnet in a motor worth 15.5555... USD: 0.07 / 15.5 = 0.4516 %
    net = eps_net(motor_price="15.5")
    facts = facts_of(net)
    assert facts.cn_value_exact("EPS", "S-JP") == Fraction(7, 100) / Fraction(155, 10)
    assert facts.cn_value_exact("MAG", "S-JP") == Fraction(1, 1000)
    d = determine(net, load_book(), Shipment("EPS", "S-JP", "DE"), TODAY)
    assert d.licence_required and ANN61 in {r.rule_id for r in d.reasons if r.fired}


def test_a_plain_nd_pr_magnet_is_not_a_part2_item() -> None:
    net = eps_net(heavy=False, motor_price="20")
    facts = facts_of(net)
    assert facts.part2_magnet("MAG") == 0 and facts.part2_magnet("EPS") == 0
    heavy = facts_of(eps_net(motor_price="20"))
    assert heavy.part2_magnet("MAG") == 1 and heavy.part2_magnet("EPS") == 1


# (Dy kg per magnet, Dy USD/kg, magnet USD, fires): ordinary prices around 0.1 %
GRID = [
    ("0.0007", "100", "70", True),  # exactly 0.1 %
    ("0.0007", "100", "70.01", False),  # a cent more: just under
    ("0.0007", "99.99", "70", False),
    ("0.0007", "100.01", "70", True),
    ("0.0003", "350", "105", True),  # 0.105 / 105 = 0.1 % exactly
    ("0.0003", "350", "105.01", False),
    ("0.001", "300", "300", True),  # exactly 0.1 %
    ("0.001", "300", "300.03", False),
    ("0.00011", "1000", "110", True),  # 0.11 / 110 exactly
    ("0.00011", "1000", "110.1", False),
    ("0.0001", "1", "10", False),
    ("0.05", "300", "15", True),
]


@pytest.mark.parametrize(("dy_kg", "price", "magnet", "fires"), GRID)
def test_grid_of_ordinary_prices(dy_kg: str, price: str, magnet: str, fires: bool) -> None:
    net = eps_net(dy_kg, price, magnet)
    share = facts_of(net).cn_value_exact("MAG", "S-JP")
    assert share == Fraction(Decimal(dy_kg)) * Fraction(Decimal(price)) / Fraction(Decimal(magnet))
    d = determine(net, load_book(), Shipment("MAG", "S-JP", "DE"), TODAY)
    assert (ANN61 in {r.rule_id for r in d.reasons if r.fired}) is fires


def test_suspended_on_10_nov_applies_on_11_nov() -> None:
    net = eps_net(motor_price="15.5")
    ship = Shipment("EPS", "S-JP", "DE")
    on_10 = determine(net, load_book(), ship, date(2026, 11, 10))
    on_11 = determine(net, load_book(), ship, date(2026, 11, 11))
    assert not on_10.licence_required
    assert on_11.licence_required and on_11.uncertain
