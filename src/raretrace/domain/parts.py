"""Parts and their declared material composition."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class PartKind(StrEnum):
    RAW_MATERIAL = "raw_material"
    MAGNET = "magnet"
    COMPONENT = "component"
    ASSEMBLY = "assembly"
    PRODUCT = "product"
    #: A technology (drawings, process specs, parameters, programs): Ann. 62 1E902 and
    #: the 2023 catalogue of technologies prohibited or restricted from export.
    TECHNOLOGY = "technology"
    #: Production equipment (Ann. 56 2B902).
    EQUIPMENT = "equipment"


class Form(StrEnum):
    """Physical form, as export-control texts distinguish them (regime.md §1.2-1.3)."""

    METAL = "metal"
    ALLOY = "alloy"
    OXIDE = "oxide"
    COMPOUND = "compound"
    TARGET = "target"
    MAGNET = "magnet"
    DEEP_PROCESSED_ASSEMBLY = "deep_processed_assembly"
    OTHER = "other"


class MagnetType(StrEnum):
    NDFEB = "ndfeb"
    SMCO = "smco"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Part:
    """A part number. ``mass_kg`` and ``unit_value`` are per unit of ``uom``.

    ``unit_value`` is exact (Decimal) in ``currency`` (ISO 4217).
    """

    part_id: str
    name: str
    kind: PartKind
    uom: str = "ea"
    mass_kg: float | None = None
    unit_value: Decimal | None = None
    currency: str | None = None
    hs_code: str = ""
    form: Form = Form.OTHER
    magnet_type: MagnetType = MagnetType.NONE
    notes: str = ""
    source: str = ""
    name_zh: str = ""  # Chinese name (商品名称 on a licence), when the user gives one


@dataclass(frozen=True, slots=True)
class CompositionLine:
    """Mass fraction (0..1) of one element in a part's material.

    For a part without BOM lines this is its content. For a part with BOM lines the
    rollup computes content from the children, and a declared composition is kept as
    the supplier's statement to compare against.
    """

    part_id: str
    element: str
    mass_fraction: float
    source: str = ""
