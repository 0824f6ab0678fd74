"""Classification use cases on a small network stored in a real database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from raretrace.domain.network import BomLine, Network, Production, SupplyLink
from raretrace.domain.parties import Party, Site
from raretrace.domain.parts import CompositionLine, Form, MagnetType, Part, PartKind
from raretrace.errors import InputError, NotFoundError
from raretrace.rules import Outcome, SuspensionPolicy
from raretrace.services.classification import use_cases as classification
from raretrace.services.classification.use_cases import Shipment
from raretrace.workspace import Workspace

TODAY = date(2026, 11, 29)
USER_PACK = """
id: my-pack
title: Test
instrument: Test instrument
issuer: Me
published: 2026-01-01
citations: [{text: t, url: "https://example.org", quality: C}]
rules:
  - id: my.rule
    title: Nd metal
    scope: item
    article: "1"
    effective_from: 2026-01-01
    when: [{predicate: contains_any, params: {elements: [Nd]}}]
    then: {outcome: controlled, control_codes: [X1]}
"""


def _net() -> Network:
    def party(pid: str, cc: str, **kw: object) -> Party:
        return Party(pid, pid.title(), cc, **kw)  # type: ignore[arg-type]

    parties = [
        party("CNMAG", "CN"),
        party("JPMAG", "JP"),
        party("DEOEM", "DE"),
        party("LISTED", "US"),
        party("SUB50", "US", owner_party_id="LISTED", ownership_pct=50.0),
        party("SUB49", "US", owner_party_id="LISTED", ownership_pct=49.0),
    ]
    sites = [Site(f"S-{p.party_id}", p.party_id, p.party_id, p.country) for p in parties]
    usd = {"currency": "USD"}
    parts = [
        Part("ALLOY-DY", "Dy-Fe alloy", PartKind.RAW_MATERIAL, "kg", 1.0, Decimal(40), **usd,
             form=Form.ALLOY, magnet_type=MagnetType.NDFEB),
        Part("MAG-JP", "NdFeB magnet with Dy", PartKind.MAGNET, "ea", 0.02, Decimal(10), **usd,
             form=Form.MAGNET, magnet_type=MagnetType.NDFEB),
        Part("MAG-FREE", "Dy-free NdFeB magnet", PartKind.MAGNET, "ea", 0.02, Decimal(5), **usd,
             form=Form.MAGNET, magnet_type=MagnetType.NDFEB),
        Part("ROTOR", "Rotor assembly", PartKind.ASSEMBLY, "ea", 1.0, Decimal(80), **usd,
             form=Form.DEEP_PROCESSED_ASSEMBLY),
        Part("MOTOR", "Motor", PartKind.PRODUCT, "ea", 5.0, Decimal(300), **usd),
    ]  # fmt: skip
    comp = [
        CompositionLine("ALLOY-DY", "Dy", 0.8),
        CompositionLine("ALLOY-DY", "Fe", 0.2),
        CompositionLine("MAG-JP", "Nd", 0.3),
        CompositionLine("MAG-JP", "Dy", 0.01),
        CompositionLine("MAG-JP", "Fe", 0.69),
        CompositionLine("MAG-FREE", "Nd", 0.31),
        CompositionLine("MAG-FREE", "Fe", 0.69),
    ]
    bom = [
        BomLine("MAG-JP", "ALLOY-DY", 0.01),
        BomLine("ROTOR", "MAG-JP", 10),
        BomLine("MOTOR", "ROTOR", 1),
        BomLine("MOTOR", "MAG-FREE", 2),
    ]
    supply = [
        SupplyLink("S-CNMAG", "ALLOY-DY", "S-JPMAG", 1.0),
        SupplyLink("S-JPMAG", "MAG-JP", "S-DEOEM", 1.0),
        SupplyLink("S-CNMAG", "MAG-FREE", "S-DEOEM", 1.0),
        SupplyLink("S-JPMAG", "MAG-JP", "S-SUB50", 1.0),
        SupplyLink("S-JPMAG", "MAG-JP", "S-SUB49", 1.0),
    ]
    prod = [Production("S-DEOEM", "ROTOR"), Production("S-DEOEM", "MOTOR")]
    return Network(parties, sites, parts, comp, bom, supply, prod)


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    with workspace._uow() as uow:
        uow.network.upsert(_net())
        uow.network.bump_revision()
    return workspace


def test_classify_part_declared_and_rolled_up(ws: Workspace) -> None:
    mag = ws.classify_part("MAG-JP", TODAY)
    assert mag.controlled and mag.control_codes == ("1C905.a",)
    fired = next(r for r in mag.reasons if r.fired)
    assert fired.inputs["content_basis"] == "declared"
    rotor = ws.classify_part("ROTOR", TODAY)
    assert not rotor.controlled and rotor.uncertain
    basis = {r.inputs.get("content_basis") for r in rotor.reasons} - {None}
    assert basis == {"rolled_up"}
    with pytest.raises(NotFoundError):
        ws.classify_part("NOPE", TODAY)


def test_classify_bom_marks_the_controlled_parts(ws: Workspace) -> None:
    rows = {r.part_id: r for r in ws.classify_bom("MOTOR", TODAY)}
    assert set(rows) == {"MOTOR", "ROTOR", "MAG-JP", "MAG-FREE", "ALLOY-DY"}
    controlled = {p for p, r in rows.items() if r.determination.controlled}
    assert controlled == {"MAG-JP", "ALLOY-DY"}
    assert rows["ALLOY-DY"].level == 3


def test_flows_today_and_if_the_suspension_were_renewed(ws: Workspace) -> None:
    rep = ws.determine_flows(TODAY, alternative=SuspensionPolicy.EXTENDED)
    flows = {(f.supplier_site_id, f.part_id, f.buyer_site_id): f for f in rep.flows}
    alloy = flows[("S-CNMAG", "ALLOY-DY", "S-JPMAG")]
    assert alloy.outcome is Outcome.LICENCE_REQUIRED
    assert alloy.rules == ("ann18.licence.export-from-china",) and not alloy.changes
    mag = flows[("S-JPMAG", "MAG-JP", "S-DEOEM")]
    assert mag.outcome is Outcome.LICENCE_REQUIRED and "ann61.1-1.magnet" in mag.rules
    assert mag.alternative_outcome is Outcome.NOT_CONTROLLED and mag.changes and mag.uncertain
    free = flows[("S-CNMAG", "MAG-FREE", "S-DEOEM")]
    assert free.outcome is Outcome.NOT_CONTROLLED


def test_listed_owner_look_through_on_flows(ws: Workspace) -> None:
    rep = ws.determine_flows(TODAY, listed=frozenset({"LISTED"}))
    by_buyer = {f.buyer_site_id: f for f in rep.flows if f.part_id == "MAG-JP"}
    assert by_buyer["S-SUB50"].outcome is Outcome.PRESUMPTION_OF_DENIAL
    assert by_buyer["S-SUB49"].outcome is Outcome.LICENCE_REQUIRED


def test_determine_one_shipment_with_declared_end_use(ws: Workspace) -> None:
    ship = Shipment("MAG-JP", "S-JPMAG", "DEOEM", end_use="advanced_chip")
    d = ws.determine(ship, TODAY)
    assert d.outcome is Outcome.CASE_BY_CASE and d.licence_required
    assert d.item is not None and d.item.controlled
    before = ws.determine(ship, date(2026, 11, 10))
    assert before.outcome is Outcome.NOT_CONTROLLED


def test_diff_across_the_end_of_the_suspension(ws: Workspace) -> None:
    d = ws.rules_diff(date(2026, 11, 10), date(2026, 11, 11))
    changed = {rid for rid, a, b in d.rules if (a, b) == ("suspended", "in_force")}
    assert "ann61.1-1.magnet" in changed and "ann57.1C909.a.metal-alloy-target" in changed
    assert any("MAG-JP" in c.subject and c.after is Outcome.LICENCE_REQUIRED for c in d.flows)
    assert d.parts == []  # no Ann. 57 items in this network


def test_user_rules_dir(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(USER_PACK, encoding="utf-8")
    ids = [lp.pack.id for lp in classification.load_packs(tmp_path)]
    assert ids[-1] == "my-pack" and "ann-2025-18" in ids
    assert classification.check_rules(tmp_path) == []
    (tmp_path / "bad.yaml").write_text("id: [", encoding="utf-8")
    assert classification.check_rules(tmp_path)
    with pytest.raises(InputError):
        classification.load_packs(tmp_path / "missing")
