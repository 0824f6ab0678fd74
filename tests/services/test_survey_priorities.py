"""Whom to ask first: suppliers ranked by kg/year of their parts with no composition."""

from __future__ import annotations

from datetime import UTC, datetime

from raretrace.domain.network import BomLine, Network, Production, SupplyLink
from raretrace.domain.parties import Party, Site
from raretrace.domain.parts import Part, PartKind
from raretrace.domain.surveys import Assertion, SurveyResponse
from raretrace.services.survey.priorities import ask_first, part_units_per_year, supplier_status


def world() -> Network:
    net = Network()
    for pid, country in (("OEM", "DE"), ("WIND", "CN"), ("MAG", "JP")):
        net.parties.append(Party(pid, pid.title(), country))
        net.sites.append(Site(f"S-{pid}", pid, pid, country))
    net.parts.extend(
        [
            Part("CAR", "Car", PartKind.PRODUCT, mass_kg=1500),
            Part("MOTOR", "Motor", PartKind.COMPONENT, mass_kg=0.6),
            Part("COIL", "Coil", PartKind.COMPONENT, mass_kg=0.2),
            Part("SENSOR", "Sensor", PartKind.COMPONENT),
        ]
    )
    net.bom.extend([BomLine("CAR", "MOTOR", 4), BomLine("MOTOR", "COIL", 1),
                    BomLine("CAR", "SENSOR", 2)])  # fmt: skip
    net.production.append(Production("S-OEM", "CAR", 100_000))
    net.supply.extend(
        [
            SupplyLink("S-WIND", "COIL", "S-OEM", 0.75),
            SupplyLink("S-MAG", "COIL", "S-OEM", 0.25),
            SupplyLink("S-WIND", "SENSOR", "S-OEM", 1),
            SupplyLink("S-MAG", "MOTOR", "S-OEM", 1),
        ]
    )
    return net


def test_units_explode_through_the_bom() -> None:
    units = part_units_per_year(world())
    assert units == {"CAR": 100_000, "MOTOR": 400_000, "COIL": 400_000, "SENSOR": 200_000}


def test_ranking_by_unexplained_kg_per_year() -> None:
    answered = SurveyResponse(
        "MAG",
        datetime(2026, 12, 1, tzinfo=UTC),
        "mag.xlsx",
        "x",
        (Assertion("parts", ("MOTOR",), "mass_kg", "0.6", "MAG", "mag.xlsx, row 4"),),
        held=1,
    )
    rows = {r.party_id: r for r in supplier_status(world(), [answered])}
    # WIND: 400,000 coils x 0.75 x 0.2 kg = 60,000 kg; SENSOR has no mass: counted apart.
    assert rows["WIND"].unexplained_kg_per_year == 60_000
    assert rows["WIND"].parts_without_mass == 1
    assert rows["WIND"].missing == ["COIL", "SENSOR"]
    # MAG: coils 400,000 x 0.25 x 0.2 = 20,000 kg, motors 400,000 x 0.6 = 240,000 kg.
    assert rows["MAG"].unexplained_kg_per_year == 260_000
    assert (rows["MAG"].answers, rows["MAG"].held, rows["MAG"].facts) == (1, 1, {"parts": 1})
    assert [r.party_id for r in ask_first(list(rows.values()))] == ["MAG", "WIND"]
