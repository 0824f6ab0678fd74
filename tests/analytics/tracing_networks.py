"""Small hand-made networks and a hypothesis strategy for random ones."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from raretrace.analytics.matrices import CompiledNetwork, compile_network
from raretrace.analytics.tables import build_arrays, columns_of
from raretrace.domain.network import BomLine, Network, Production, SupplyLink
from raretrace.domain.parties import Party, Site
from raretrace.domain.parts import CompositionLine, MagnetType, Part, PartKind


def compiled(net: Network) -> CompiledNetwork:
    return compile_network(build_arrays(columns_of(net)))


def magnet_chain() -> Network:
    """Oxide (CN mine) -> magnet (CN 60 %, JP 40 %) -> motor (DE) -> car (DE plant)."""
    net = Network()
    for pid, country in [("MINE", "CN"), ("MAGCN", "CN"), ("MAGJP", "JP"), ("TIER1", "DE"),
                         ("OEM", "DE")]:  # fmt: skip
        net.parties.append(Party(pid, pid.title(), country))
        net.sites.append(Site("S-" + pid, pid, pid, country))
    usd = "USD"
    net.parts += [
        Part("OXIDE", "Dy oxide", PartKind.RAW_MATERIAL, uom="kg", unit_value=Decimal(300), currency=usd),
        Part("MAGNET", "NdFeB magnet", PartKind.MAGNET, mass_kg=0.5, unit_value=Decimal(40), currency=usd,
             magnet_type=MagnetType.NDFEB),
        Part("NDPR", "NdPr metal", PartKind.RAW_MATERIAL, uom="kg", unit_value=Decimal(80), currency=usd),
        Part("STEEL", "Steel", PartKind.RAW_MATERIAL, uom="kg", unit_value=Decimal(1), currency=usd),
        Part("MOTOR", "Traction motor", PartKind.ASSEMBLY, mass_kg=40, unit_value=Decimal(900), currency=usd),
        Part("BOLT", "Bolt", PartKind.COMPONENT, mass_kg=0.01),
        Part("CAR", "EV", PartKind.PRODUCT, mass_kg=1800, unit_value=Decimal(30000), currency=usd),
    ]  # fmt: skip
    net.composition += [
        CompositionLine("OXIDE", "Dy", 0.87),
        CompositionLine("NDPR", "Nd", 0.75),
        CompositionLine("NDPR", "Pr", 0.25),
        CompositionLine("STEEL", "Fe", 0.98),
        CompositionLine("MAGNET", "Dy", 0.05),  # declared, compared only
    ]
    net.bom += [
        BomLine("MAGNET", "OXIDE", 0.03),
        BomLine("MAGNET", "NDPR", 0.15),
        BomLine("MOTOR", "MAGNET", 4),
        BomLine("MOTOR", "STEEL", 30),
        BomLine("CAR", "MOTOR", 2),
        BomLine("CAR", "BOLT", 100),
    ]
    net.supply += [
        SupplyLink("S-MINE", "OXIDE", "S-MAGCN", 1.0),
        SupplyLink("S-MINE", "OXIDE", "S-MAGJP", 1.0),
        SupplyLink("S-MINE", "NDPR", "S-MAGCN", 1.0),
        SupplyLink("S-MINE", "NDPR", "S-MAGJP", 1.0),
        SupplyLink("S-MAGCN", "MAGNET", "S-TIER1", 0.6),
        SupplyLink("S-MAGJP", "MAGNET", "S-TIER1", 0.4),
        SupplyLink("S-TIER1", "MOTOR", "S-OEM", 1.0),
        SupplyLink("S-TIER1", "BOLT", "S-OEM", 1.0),
    ]
    net.production += [
        Production("S-TIER1", "STEEL"),
        Production("S-OEM", "CAR", 1000.0),
    ]
    return net


@st.composite
def random_networks(draw: st.DrawFn) -> Network:
    """A random acyclic network: parts in levels, BOM children from lower levels, every
    need sourced by 1-2 suppliers (shares may sum below 1) or made on site."""
    n_sites = draw(st.integers(1, 4))
    n_levels = draw(st.integers(1, 4))
    net = Network()
    for i in range(n_sites):
        country = draw(st.sampled_from(["CN", "JP", "DE"]))
        net.parties.append(Party(f"C{i}", f"C{i}", country))
        net.sites.append(Site(f"S{i}", f"C{i}", f"S{i}", country))
    levels: list[list[str]] = []
    for lvl in range(n_levels):
        ids = [f"L{lvl}P{j}" for j in range(draw(st.integers(1, 3)))]
        levels.append(ids)
        for pid in ids:
            magnet = lvl > 0 and draw(st.integers(0, 4)) == 0
            kind = PartKind.MAGNET if magnet else PartKind.COMPONENT
            net.parts.append(Part(pid, pid, kind, mass_kg=draw(st.floats(0.1, 5)),
                                  unit_value=Decimal(draw(st.integers(1, 100))), currency="USD"))  # fmt: skip
            # Raw materials mostly declare a composition; now and then an assembly
            # does too (a supplier declaration above an incomplete BOM).
            if (lvl == 0 and draw(st.integers(0, 5)) > 0) or (
                lvl > 0 and draw(st.integers(0, 3)) == 0
            ):
                for e in draw(st.sets(st.sampled_from(["Dy", "Nd", "Fe", "Tb"]), min_size=1)):
                    net.composition.append(CompositionLine(pid, e, draw(st.floats(0.0, 0.25))))
            if lvl > 0:
                lower = [p for ls in levels[:lvl] for p in ls]
                for ch in draw(st.sets(st.sampled_from(lower), min_size=1, max_size=3)):
                    net.bom.append(BomLine(pid, ch, draw(st.floats(0.1, 4))))
    producers: dict[str, list[str]] = {}
    for ids in levels:
        for pid in ids:
            sites = draw(
                st.sets(st.sampled_from([s.site_id for s in net.sites]), min_size=1, max_size=2)
            )
            producers[pid] = sorted(sites)
            for s in producers[pid]:
                net.production.append(Production(s, pid, float(draw(st.integers(0, 50)))))
    seen: set[tuple[str, str, str]] = set()
    for b in net.bom:
        for buyer in producers[b.parent_part_id]:
            makers = producers[b.child_part_id]
            if buyer in makers and draw(st.booleans()):
                continue  # made on site
            others = [m for m in makers if m != buyer]
            if not others:
                continue  # buyer is the only maker: made on site
            total = draw(st.sampled_from([1.0, 0.7]))
            k = len(others)
            for m in others:
                if (m, b.child_part_id, buyer) in seen:
                    continue
                seen.add((m, b.child_part_id, buyer))
                net.supply.append(SupplyLink(m, b.child_part_id, buyer, total / k))
    if draw(st.booleans()) and net.supply:
        # A trader: buys one supplied part from its makers and resells it to a buyer,
        # replacing that buyer's link (a pass-through node with no production row).
        net.parties.append(Party("TR", "Trader", "CN"))
        net.sites.append(Site("S-TR", "TR", "Trader", "CN"))
        link = draw(st.sampled_from(net.supply))
        net.supply.remove(link)
        net.supply.append(SupplyLink("S-TR", link.part_id, link.buyer_site_id, link.share))
        for maker in producers[link.part_id]:
            net.supply.append(SupplyLink(maker, link.part_id, "S-TR", 0.5))
    return net
