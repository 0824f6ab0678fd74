"""Market data: prices per kg by year, price scenarios, pass-through margins and
production projects outside China (for the "road out" horizon).

Every number here carries where it comes from (``source``) and whether it was read
from a source or is an assumption the user can edit (``basis``), so a result can say
which of its figures are sourced and which are illustrative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "FORMS",
    "STAGES",
    "FloorStep",
    "PassThrough",
    "PathStep",
    "PricePoint",
    "PriceScenario",
    "PriceTable",
    "Project",
    "ScaleStep",
    "ShockStep",
    "Step",
    "StoredPrices",
]

#: Material forms a price can be quoted for, in the order of the value chain.
FORMS: tuple[str, ...] = ("oxide", "metal", "alloy", "magnet")
#: Stages of the chain in the horizon (mining -> separation -> metal -> magnet).
STAGES: tuple[str, ...] = ("mining", "separation", "metal", "magnet")


@dataclass(frozen=True, slots=True)
class PricePoint:
    """One price: ``price_per_kg`` in ``currency`` for ``element`` in ``form`` in ``year``
    (``low``/``high``: a range where the source gives one; ``price_per_kg`` is then
    their midpoint and ``derived`` says so)."""

    element: str
    form: str
    year: int
    price_per_kg: float
    currency: str
    basis: str
    source: str
    low: float | None = None
    high: float | None = None
    estimated: bool = False
    derived: str = ""  # how the point was derived from the source row, if it was
    ref: str = ""  # "file, row N" of the row it came from


@dataclass(frozen=True, slots=True)
class PriceTable:
    """A set of price points: the shipped USGS series or a file the user imported."""

    name: str
    points: tuple[PricePoint, ...]
    illustrative: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredPrices:
    table: PriceTable
    sha256: str
    stored_by: str
    stored_at: datetime
    prices_id: int | None = None


@dataclass(frozen=True, slots=True)
class ScaleStep:
    """Multiply ``factors[element]`` in the years ``first..last`` (inclusive)."""

    factors: dict[str, float]
    first: int
    last: int
    source: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class ShockStep:
    """Price ×``factor`` for ``days`` days from day ``start_day`` (1-based) of ``year``;
    on a yearly path the annual average rises by the days covered in each year."""

    elements: tuple[str, ...]
    factor: float
    days: int
    year: int
    start_day: int = 1
    source: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class FloorStep:
    """Price at least ``price_per_kg`` in ``first..last``."""

    elements: tuple[str, ...]
    price_per_kg: float
    first: int
    last: int
    source: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class PathStep:
    """Set prices outright: element -> year -> price per kg."""

    prices: dict[str, dict[int, float]]
    source: str = ""
    label: str = ""


Step = ScaleStep | ShockStep | FloorStep | PathStep


@dataclass(frozen=True, slots=True)
class PassThrough:
    """Margin (fraction) each stage adds on the material cost it passes on:
    oxide -> metal, metal -> alloy, alloy -> magnet. 0 = passed on at cost."""

    metal: float = 0.0
    alloy: float = 0.0
    magnet: float = 0.0

    def multiplier(self, form: str = "oxide") -> float:
        """What one unit of cost at ``form`` costs once it reaches the magnet."""
        m = 1.0
        for stage in FORMS[FORMS.index(form) + 1 :]:
            m *= 1.0 + getattr(self, stage)
        return m


@dataclass(frozen=True, slots=True)
class PriceScenario:
    name: str
    base_year: int
    first_year: int
    last_year: int
    steps: tuple[Step, ...] = ()
    pass_through: PassThrough = field(default_factory=PassThrough)
    form: str = "oxide"
    currency: str | None = None  # of absolute prices in the steps; None: relative only
    description: str = ""
    illustrative: bool = True
    source_file: str = ""
    assumptions: tuple[str, ...] = ()

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))


@dataclass(frozen=True, slots=True)
class Project:
    """Capacity outside China at one stage: ``capacity_t`` per year once ramped up.

    ``start_year`` None: operating before any year asked for. Output in year y is
    ``capacity_t * min(1, (y - start + 1) / (ramp_years + 1))``."""

    project_id: str
    company: str
    facility: str
    country: str
    stage: str
    elements: tuple[str, ...]  # () = every rare earth
    capacity_t: float | None
    capacity_unit: str
    start_year: int | None
    ramp_years: int
    status: str
    counted: bool
    start_basis: str = ""
    ramp_basis: str = ""
    derivation: str = ""
    source: str = ""
    ref: str = ""
