"""The suppliers table: tracing's exposure table (every site at every tier that handles
the chosen rare earths) filtered by product, country, element, tier and a search text.
The web app's suppliers page and downloads, ``raretrace exposure`` and the Python API
(``TracingService.suppliers``) filter the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from raretrace.domain.elements import ANNOUNCEMENT_18_ELEMENTS, RARE_EARTHS
from raretrace.errors import InputError
from raretrace.services.tracing.exposure import ExposureResult, ExposureRow

SCOPES = ("controlled", "all")


@dataclass(frozen=True, slots=True)
class SupplierFilter:
    #: only suppliers of this product ("" = every planned product)
    product: str = ""
    #: ISO 3166-1 alpha-2 country ("" = any), any case
    country: str = ""
    #: only sites handling this rare earth ("" = any)
    element: str = ""
    #: only tiers up to this one (0 = the maker)
    max_tier: int | None = None
    #: "controlled": the Announcement No. 18 elements; "all": every rare earth
    scope: str = "controlled"
    #: substring of the site, party id, party name or a part id, any case
    q: str = ""

    def __post_init__(self) -> None:
        if self.scope not in SCOPES:
            raise InputError(f"scope {self.scope!r}: use controlled or all")

    @property
    def elements(self) -> tuple[str, ...]:
        """The elements the exposure table is computed for."""
        return ANNOUNCEMENT_18_ELEMENTS if self.scope == "controlled" else RARE_EARTHS

    def keeps(self, row: ExposureRow, party_name: str) -> bool:
        needle = self.q.strip().lower()
        haystack = " ".join([row.site, row.party, party_name, *row.parts]).lower()
        return not (
            (self.country and row.country != self.country.upper())
            or (self.element and self.element not in row.kg_per_year)
            or (self.max_tier is not None and row.tier > self.max_tier)
            or (needle and needle not in haystack)
        )


@dataclass(frozen=True, slots=True)
class SupplierRow:
    rank: int
    site: str
    party: str
    party_name: str
    country: str
    tier: int
    parts: list[str]
    kg_per_year: dict[str, float]
    total_kg_per_year: float
    products: list[str] | None


@dataclass(frozen=True, slots=True)
class SupplierTable:
    filter: SupplierFilter
    #: the filter's elements that any supplier handles (before filtering)
    elements: list[str]
    rows: list[SupplierRow]
    #: every supplier country (before filtering): the choices of the country filter
    countries: list[str]
    unplanned_products: list[str]
    unknown_content_parts: int
    #: the exposure table before filtering (with its provenance and data quality)
    exposure: ExposureResult


def supplier_table(
    result: ExposureResult, f: SupplierFilter, party_names: Mapping[str, str]
) -> SupplierTable:
    """``result`` (computed for ``f.elements``) filtered by ``f``; ranks are kept."""
    rows = []
    for r in result.rows:
        name = party_names.get(r.party, r.party)
        if f.keeps(r, name):
            rows.append(
                SupplierRow(
                    r.rank, r.site, r.party, name, r.country, r.tier, r.parts, r.kg_per_year,
                    r.total_kg_per_year, r.products,
                )
            )  # fmt: skip
    return SupplierTable(
        filter=f,
        elements=[e for e in f.elements if any(e in r.kg_per_year for r in result.rows)],
        rows=rows,
        countries=sorted({r.country for r in result.rows}),
        unplanned_products=result.unplanned_products,
        unknown_content_parts=len(result.quality.unknown_content_parts),
        exposure=result,
    )


def filter_exposure(
    result: ExposureResult, f: SupplierFilter, party_names: Mapping[str, str]
) -> ExposureResult:
    """``result`` with only the rows ``f`` keeps (ranks kept; ``f.product`` and
    ``f.scope`` are not looked at: they chose how ``result`` was computed)."""
    rows = [r for r in result.rows if f.keeps(r, party_names.get(r.party, r.party))]
    return replace(result, rows=rows)
