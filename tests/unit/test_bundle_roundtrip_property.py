"""Property: any valid network written as a bundle reads back equal (CSV and XLSX)."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raretrace.domain.network import BomLine, Network, Production, SupplyLink, bom_depth
from raretrace.domain.parties import Party, Role, Site
from raretrace.domain.parts import CompositionLine, Form, MagnetType, Part, PartKind
from raretrace.services.formats.bundle import read_bundle, write_bundle
from raretrace.services.network.validation import validate_network

ids = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-_.", min_size=1, max_size=12).filter(
    lambda s: s.strip(".") != ""  # "." and ".." are refused: URL dot segments
)
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co")), min_size=1, max_size=30
).filter(lambda s: s.strip() == s and s != "")
fractions = st.floats(min_value=0, max_value=0.1, allow_nan=False)
positive = st.floats(min_value=1e-9, max_value=1e6, allow_nan=False, allow_infinity=False)
money = st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False)


@st.composite
def networks(draw: st.DrawFn) -> Network:
    part_ids = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    site_ids = draw(st.lists(ids, min_size=2, max_size=4, unique=True))
    party_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    parties = [
        Party(p, draw(names), draw(st.sampled_from(["CN", "JP", "DE", "US", "MY", "AU"])),
              tuple(draw(st.lists(st.sampled_from(list(Role)), unique=True, max_size=3))),
              draw(st.booleans()))
        for p in party_ids
    ]  # fmt: skip
    sites = [Site(s, draw(st.sampled_from(party_ids)), draw(names), "CN") for s in site_ids]
    parts = []
    for pid in part_ids:
        value = draw(st.none() | money)
        parts.append(
            Part(pid, draw(names), draw(st.sampled_from(list(PartKind))),
                 mass_kg=draw(st.none() | positive),
                 unit_value=None if value is None else Decimal(value),
                 currency=None if value is None else "EUR",
                 form=draw(st.sampled_from(list(Form))),
                 magnet_type=draw(st.sampled_from(list(MagnetType))))
        )  # fmt: skip
    composition = [
        CompositionLine(pid, el, draw(fractions))
        for pid in part_ids
        for el in draw(st.lists(st.sampled_from(["Dy", "Nd", "Fe", "Tb", "B"]), unique=True))
    ]
    # BOM edges only from earlier to later parts: acyclic by construction.
    bom = [
        BomLine(part_ids[i], part_ids[j], draw(positive))
        for i in range(len(part_ids))
        for j in range(i + 1, len(part_ids))
        if draw(st.booleans())
    ]
    supply = []
    if len(site_ids) >= 2:
        supply.append(SupplyLink(site_ids[0], part_ids[-1], site_ids[1], draw(st.floats(0.01, 1)),
                                 draw(st.none() | st.integers(0, 400))))  # fmt: skip
    production = [Production(site_ids[0], part_ids[0], draw(st.none() | st.floats(0, 1e6)))]
    return Network(parties, sites, parts, composition, bom, supply, production)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=networks(), xlsx=st.booleans())
def test_write_then_read_gives_the_same_network(net: Network, xlsx: bool) -> None:
    assert validate_network(net, lambda t, k: ("mem", None)) == []
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / ("b.xlsx" if xlsx else "b")
        write_bundle(net, target)
        again = read_bundle(target).network
    assert again == net
    assert bom_depth(again.bom) == bom_depth(net.bom)


def test_bom_depth_counts_levels() -> None:
    bom = [BomLine("A", "B", 1), BomLine("B", "C", 1), BomLine("A", "C", 2), BomLine("X", "C", 1)]
    assert bom_depth(bom) == 3
    assert bom_depth([]) == 0
