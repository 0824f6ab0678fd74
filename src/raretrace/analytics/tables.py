"""Build ``NetworkArrays`` from the network tables given as id columns.

Storage reads columns (``storage.sql.columns``) and the services convert in-memory
``Network`` records; both end here, so ids are mapped to indices in one place and a
dangling reference is reported with the ids involved.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from raretrace.analytics.matrices import KINDS, NAMED, NetworkArrays, index_of
from raretrace.domain.network import Network
from raretrace.domain.parts import MagnetType, PartKind
from raretrace.errors import NetworkError


@dataclass(slots=True)
class TableColumns:
    """The network tables column by column (as read from a database or a file)."""

    party_id: Sequence[str] = field(default_factory=list)
    party_country: Sequence[str] = field(default_factory=list)
    site_id: Sequence[str] = field(default_factory=list)
    site_party: Sequence[str] = field(default_factory=list)
    site_country: Sequence[str] = field(default_factory=list)
    part_id: Sequence[str] = field(default_factory=list)
    part_kind: Sequence[str] = field(default_factory=list)
    part_uom: Sequence[str] = field(default_factory=list)
    part_mass_kg: Sequence[float | None] = field(default_factory=list)
    part_value: Sequence[Any] = field(default_factory=list)  # Decimal | str | None
    part_currency: Sequence[str | None] = field(default_factory=list)
    part_magnet_type: Sequence[str] = field(default_factory=list)
    comp_part: Sequence[str] = field(default_factory=list)
    comp_element: Sequence[str] = field(default_factory=list)
    comp_fraction: Sequence[float] = field(default_factory=list)
    bom_parent: Sequence[str] = field(default_factory=list)
    bom_child: Sequence[str] = field(default_factory=list)
    bom_qty: Sequence[float] = field(default_factory=list)
    sup_supplier: Sequence[str] = field(default_factory=list)
    sup_part: Sequence[str] = field(default_factory=list)
    sup_buyer: Sequence[str] = field(default_factory=list)
    sup_share: Sequence[float] = field(default_factory=list)
    prod_site: Sequence[str] = field(default_factory=list)
    prod_part: Sequence[str] = field(default_factory=list)
    prod_units: Sequence[float | None] = field(default_factory=list)


def columns_of(net: Network) -> TableColumns:
    """The columns of an in-memory network."""
    return TableColumns(
        party_id=[p.party_id for p in net.parties],
        party_country=[p.country for p in net.parties],
        site_id=[s.site_id for s in net.sites],
        site_party=[s.party_id for s in net.sites],
        site_country=[s.country for s in net.sites],
        part_id=[p.part_id for p in net.parts],
        part_kind=[p.kind.value for p in net.parts],
        part_uom=[p.uom for p in net.parts],
        part_mass_kg=[p.mass_kg for p in net.parts],
        part_value=[p.unit_value for p in net.parts],
        part_currency=[p.currency for p in net.parts],
        part_magnet_type=[p.magnet_type.value for p in net.parts],
        comp_part=[c.part_id for c in net.composition],
        comp_element=[c.element for c in net.composition],
        comp_fraction=[c.mass_fraction for c in net.composition],
        bom_parent=[b.parent_part_id for b in net.bom],
        bom_child=[b.child_part_id for b in net.bom],
        bom_qty=[b.quantity for b in net.bom],
        sup_supplier=[s.supplier_site_id for s in net.supply],
        sup_part=[s.part_id for s in net.supply],
        sup_buyer=[s.buyer_site_id for s in net.supply],
        sup_share=[s.share for s in net.supply],
        prod_site=[p.site_id for p in net.production],
        prod_part=[p.part_id for p in net.production],
        prod_units=[p.units_per_year for p in net.production],
    )


def _ids(values: Sequence[str]) -> np.ndarray[Any, np.dtype[np.str_]]:
    arr = np.asarray(values, dtype=np.str_) if len(values) else np.zeros(0, dtype="<U1")
    return arr


def _floats(values: Sequence[Any]) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)


def build_arrays(cols: TableColumns) -> NetworkArrays:
    """Map ids to indices (sorted id arrays) and decode the categorical columns.

    Raises ``NetworkError`` naming the ids of dangling references.
    """
    party_ids = _ids(cols.party_id)
    p_order = np.argsort(party_ids, kind="stable")
    site_ids = _ids(cols.site_id)
    s_order = np.argsort(site_ids, kind="stable")
    part_ids = _ids(cols.part_id)
    t_order = np.argsort(part_ids, kind="stable")
    party_ids, site_ids, part_ids = party_ids[p_order], site_ids[s_order], part_ids[t_order]

    problems: list[str] = []

    def ref(kind: str, sorted_ids: np.ndarray[Any, Any], values: Sequence[str]) -> Any:
        arr = _ids(values)
        idx = index_of(sorted_ids, arr)
        missing = sorted(set(arr[idx < 0].tolist()))
        if missing:
            more = f" (and {len(missing) - NAMED} more)" if len(missing) > NAMED else ""
            problems.append(f"unknown {kind}(s) {', '.join(map(repr, missing[:NAMED]))}{more}")
        return idx

    countries = tuple(sorted(set(cols.party_country) | set(cols.site_country)))
    c_index = {c: i for i, c in enumerate(countries)}
    kind_code = {k.value: i for i, k in enumerate(KINDS)}
    kinds = np.array([kind_code[k] for k in cols.part_kind], dtype=np.int8)[t_order]
    magnet = np.array(
        [
            k == PartKind.MAGNET.value or m != MagnetType.NONE.value
            for k, m in zip(cols.part_kind, cols.part_magnet_type, strict=True)
        ],
        dtype=bool,
    )[t_order]
    mass = _floats(cols.part_mass_kg)
    is_kg = np.array([u.strip().lower() == "kg" for u in cols.part_uom], dtype=bool)
    mass = np.where(np.isnan(mass) & is_kg, 1.0, mass)[t_order] if len(mass) else mass
    currencies = tuple(sorted({c for c in cols.part_currency if c}))
    cur_index = {c: i for i, c in enumerate(currencies)}
    currency = np.array([cur_index.get(c or "", -1) for c in cols.part_currency], np.int32)
    elements = tuple(sorted(set(cols.comp_element)))
    e_index = {e: i for i, e in enumerate(elements)}
    arrays = NetworkArrays(
        party_ids=party_ids,
        party_country=np.array([c_index[c] for c in cols.party_country], np.int32)[p_order],
        site_ids=site_ids,
        site_party=ref("party", party_ids, cols.site_party)[s_order],
        site_country=np.array([c_index[c] for c in cols.site_country], np.int32)[s_order],
        countries=countries,
        part_ids=part_ids,
        part_kind=kinds,
        part_magnet=magnet,
        part_mass_kg=mass,
        part_value=_floats(cols.part_value)[t_order],
        part_currency=currency[t_order],
        currencies=currencies,
        elements=elements,
        comp_part=ref("part", part_ids, cols.comp_part),
        comp_element=np.array([e_index[e] for e in cols.comp_element], np.int32),
        comp_fraction=np.asarray(cols.comp_fraction, np.float64),
        bom_parent=ref("part", part_ids, cols.bom_parent),
        bom_child=ref("part", part_ids, cols.bom_child),
        bom_qty=np.asarray(cols.bom_qty, np.float64),
        sup_supplier=ref("site", site_ids, cols.sup_supplier),
        sup_part=ref("part", part_ids, cols.sup_part),
        sup_buyer=ref("site", site_ids, cols.sup_buyer),
        sup_share=np.asarray(cols.sup_share, np.float64),
        prod_site=ref("site", site_ids, cols.prod_site),
        prod_part=ref("part", part_ids, cols.prod_part),
        prod_units=_floats(cols.prod_units),
    )
    if problems:
        raise NetworkError("dangling references: " + "; ".join(problems))
    return arrays
