"""Bad input to the compiler: dangling references and cycles name what is wrong."""

from __future__ import annotations

import pytest
from tracing_networks import compiled, magnet_chain

from raretrace.analytics.tables import build_arrays, columns_of
from raretrace.domain.network import BomLine, SupplyLink
from raretrace.errors import NetworkError


def test_dangling_references_name_the_ids() -> None:
    net = magnet_chain()
    net.bom.append(BomLine("CAR", "GHOST", 1.0))
    net.supply.append(SupplyLink("S-NOWHERE", "MOTOR", "S-OEM", 1.0))
    with pytest.raises(
        NetworkError, match=r"unknown part\(s\) 'GHOST'.*unknown site\(s\) 'S-NOWHERE'"
    ):
        build_arrays(columns_of(net))


def test_a_supply_cycle_is_named_as_a_path() -> None:
    net = magnet_chain()
    # the magnet maker buys motors, which contain its own magnets
    net.bom.append(BomLine("MAGNET", "MOTOR", 1.0))
    net.supply.append(SupplyLink("S-TIER1", "MOTOR", "S-MAGCN", 1.0))
    with pytest.raises(NetworkError, match=r"cycle .*S-MAGCN/MAGNET.*S-TIER1/MOTOR"):
        compiled(net)
