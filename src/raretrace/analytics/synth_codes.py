"""Code tables, array types and tiers of the synthetic networks (``analytics/synth.py``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from raretrace.domain.parties import Role
from raretrace.domain.parts import Form, MagnetType, PartKind

I32 = NDArray[np.int32]
I64 = NDArray[np.int64]
I8 = NDArray[np.int8]
F64 = NDArray[np.float64]
Bool = NDArray[np.bool_]

#: Elements that appear in compositions; ``SynthNetwork.comp_element`` indexes this.
ELEMENTS: tuple[str, ...] = ("Nd", "Pr", "Dy", "Tb", "Sm", "Fe", "B", "Co", "Cu", "Al")
#: Code tables of the categorical columns (array value = index in the tuple).
KINDS: tuple[PartKind, ...] = tuple(PartKind)
FORMS: tuple[Form, ...] = tuple(Form)
MAGNET_TYPES: tuple[MagnetType, ...] = tuple(MagnetType)
UOMS: tuple[str, ...] = ("ea", "kg")
COUNTRIES: tuple[str, ...] = (
    "CN", "JP", "DE", "US", "KR", "VN", "MY", "AU", "MX", "FR", "TH", "IN",
)  # fmt: skip

_E = {symbol: i for i, symbol in enumerate(ELEMENTS)}
_C = {code: i for i, code in enumerate(COUNTRIES)}


@dataclass(frozen=True, slots=True)
class Tier:
    """One level of the synthetic network (level = index in ``TIERS``)."""

    label: str
    kind: PartKind
    share: float  # of all parts
    minimum: int  # parts at least
    uom: str
    roles: tuple[Role, ...]
    countries: dict[str, float]  # where its sites are
    children: dict[int, float]  # child level -> weight; empty for leaves
    mass_kg: float  # median mass of one unit (1.0 for materials sold by kg)
    value: float  # median unit value, USD


TIERS: tuple[Tier, ...] = (
    Tier("Oxide", PartKind.RAW_MATERIAL, 0.02, 10, "kg", (Role.MINE, Role.SEPARATOR),
         {"CN": 0.85, "AU": 0.05, "US": 0.04, "MY": 0.06}, {}, 1.0, 40.0),
    Tier("Metal", PartKind.RAW_MATERIAL, 0.01, 5, "kg", (Role.METAL_ALLOY_MAKER,),
         {"CN": 0.9, "JP": 0.05, "VN": 0.05}, {0: 1.0}, 1.0, 80.0),
    Tier("Magnet", PartKind.MAGNET, 0.03, 10, "ea", (Role.MAGNET_MAKER,),
         {"CN": 0.9, "JP": 0.06, "DE": 0.02, "US": 0.02}, {1: 0.85, 0: 0.15}, 0.05, 5.0),
    Tier("Bought-in part", PartKind.COMPONENT, 0.42, 20, "ea", (Role.COMPONENT_MAKER,),
         {"CN": 0.45, "VN": 0.1, "MY": 0.08, "TH": 0.07, "JP": 0.1, "KR": 0.08, "DE": 0.07,
          "US": 0.05}, {}, 0.02, 0.5),
    Tier("Component", PartKind.COMPONENT, 0.30, 15, "ea", (Role.COMPONENT_MAKER,),
         {"CN": 0.5, "JP": 0.15, "KR": 0.1, "DE": 0.1, "US": 0.05, "MX": 0.05, "VN": 0.05},
         {3: 0.6, 2: 0.2, 1: 0.2}, 0.3, 12.0),
    Tier("Sub-assembly", PartKind.ASSEMBLY, 0.16, 10, "ea", (Role.ASSEMBLER,),
         {"CN": 0.3, "DE": 0.2, "JP": 0.15, "US": 0.15, "MX": 0.1, "KR": 0.1},
         {4: 0.5, 3: 0.35, 2: 0.15}, 3.0, 150.0),
    Tier("Assembly", PartKind.ASSEMBLY, 0.059, 5, "ea", (Role.ASSEMBLER,),
         {"DE": 0.25, "US": 0.25, "JP": 0.2, "CN": 0.15, "KR": 0.1, "MX": 0.05},
         {5: 0.55, 4: 0.3, 3: 0.15}, 20.0, 1500.0),
    Tier("Product", PartKind.PRODUCT, 0.001, 5, "ea", (Role.OEM,),
         {"US": 0.3, "DE": 0.25, "JP": 0.2, "FR": 0.1, "KR": 0.1, "CN": 0.05},
         {6: 0.6, 5: 0.3, 4: 0.1}, 800.0, 40000.0),
)  # fmt: skip

#: ``;``-joined roles of each tier's parties; ``SynthNetwork.party_roles`` indexes this.
ROLE_SETS: tuple[str, ...] = tuple(";".join(r.value for r in t.roles) for t in TIERS)
PRODUCT_LEVEL = len(TIERS) - 1
MIN_PARTS = sum(t.minimum for t in TIERS)

#: Power of the popularity law: a line picks popularity rank ``floor(n * u**SKEW)``.
#: With 3, the most popular 1 % of a tier receives ~22 % of the skewed lines.
SKEW = 3.0
