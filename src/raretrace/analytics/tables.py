"""Build ``NetworkArrays`` from the network tables given as id columns.

Storage reads columns (``storage.sql.columns``) and the services convert in-memory
``Network`` records; both end here, so ids are mapped to indices in one place and a
dangling reference is reported with the ids involved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from raretrace.analytics.matrices import KINDS, NAMED, NetworkArrays
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
    """Floats, ``None`` -> NaN (numpy converts ``None``, ``Decimal`` and numeric text)."""
    return np.array(values, dtype=np.float64) if len(values) else np.zeros(0, np.float64)


def _coded(values: Sequence[Any], table: Mapping[Any, Any], dtype: type) -> np.ndarray[Any, Any]:
    """Codes of ``values`` in ``table`` (a dict lookup per value, in C through ``map``)."""
    return np.fromiter(map(table.__getitem__, values), dtype=dtype, count=len(values))


def _sorted_ids(values: Sequence[str]) -> tuple[list[str], np.ndarray[Any, Any]]:
    """The ids sorted, and the stable order that sorts them."""
    order = sorted(range(len(values)), key=values.__getitem__)
    return [values[i] for i in order], np.asarray(order, dtype=np.int64)


def build_arrays(cols: TableColumns) -> NetworkArrays:
    """Map ids to indices (sorted id arrays) and decode the categorical columns.

    Raises ``NetworkError`` naming the ids of dangling references.
    """
    party_list, p_order = _sorted_ids(cols.party_id)
    site_list, s_order = _sorted_ids(cols.site_id)
    part_list, t_order = _sorted_ids(cols.part_id)
    party_ids, site_ids, part_ids = _ids(party_list), _ids(site_list), _ids(part_list)
    index = {
        "party": {v: i for i, v in enumerate(party_list)},
        "site": {v: i for i, v in enumerate(site_list)},
        "part": {v: i for i, v in enumerate(part_list)},
    }

    problems: list[str] = []

    def ref(kind: str, values: Sequence[str]) -> Any:
        try:
            return _coded(values, index[kind], np.int32)
        except KeyError:
            idx = np.fromiter((index[kind].get(v, -1) for v in values), np.int32, len(values))
        missing = sorted({values[i] for i in np.flatnonzero(idx < 0).tolist()})
        more = f" (and {len(missing) - NAMED} more)" if len(missing) > NAMED else ""
        problems.append(f"unknown {kind}(s) {', '.join(map(repr, missing[:NAMED]))}{more}")
        return idx

    countries = tuple(sorted(set(cols.party_country) | set(cols.site_country)))
    c_index = {c: i for i, c in enumerate(countries)}
    kind_code = {k.value: i for i, k in enumerate(KINDS)}
    kinds = _coded(cols.part_kind, kind_code, np.int8)[t_order]
    none_type = MagnetType.NONE.value
    magnet = (kinds == KINDS.index(PartKind.MAGNET)) | _coded(
        cols.part_magnet_type, _NotEqual(none_type), np.bool_
    )[t_order]
    mass = _floats(cols.part_mass_kg)
    uoms = sorted(set(cols.part_uom))
    uom_kg = _coded(cols.part_uom, {u: u.strip().lower() == "kg" for u in uoms}, np.bool_)
    mass = np.where(np.isnan(mass) & uom_kg, 1.0, mass)[t_order] if len(mass) else mass
    currencies = tuple(sorted({c for c in set(cols.part_currency) if c}))
    cur_index: dict[str | None, int] = {c: i for i, c in enumerate(currencies)}
    cur_index.update({c: -1 for c in set(cols.part_currency) if not c})
    currency = _coded(cols.part_currency, cur_index, np.int32)
    elements = tuple(sorted(set(cols.comp_element)))
    e_index = {e: i for i, e in enumerate(elements)}
    arrays = NetworkArrays(
        party_ids=party_ids,
        party_country=_coded(cols.party_country, c_index, np.int32)[p_order],
        site_ids=site_ids,
        site_party=ref("party", cols.site_party)[s_order],
        site_country=_coded(cols.site_country, c_index, np.int32)[s_order],
        countries=countries,
        part_ids=part_ids,
        part_kind=kinds,
        part_magnet=magnet,
        part_mass_kg=mass,
        part_value=_floats(cols.part_value)[t_order],
        part_currency=currency[t_order],
        currencies=currencies,
        elements=elements,
        comp_part=ref("part", cols.comp_part),
        comp_element=_coded(cols.comp_element, e_index, np.int32),
        comp_fraction=_floats(cols.comp_fraction),
        bom_parent=ref("part", cols.bom_parent),
        bom_child=ref("part", cols.bom_child),
        bom_qty=_floats(cols.bom_qty),
        sup_supplier=ref("site", cols.sup_supplier),
        sup_part=ref("part", cols.sup_part),
        sup_buyer=ref("site", cols.sup_buyer),
        sup_share=_floats(cols.sup_share),
        prod_site=ref("site", cols.prod_site),
        prod_part=ref("part", cols.prod_part),
        prod_units=_floats(cols.prod_units),
    )
    if problems:
        raise NetworkError("dangling references: " + "; ".join(problems))
    return arrays


class _NotEqual(dict[str, bool]):
    """``value != other`` as a mapping, for ``_coded``."""

    def __init__(self, other: str) -> None:
        super().__init__()
        self.other = other

    def __missing__(self, key: str) -> bool:
        self[key] = key != self.other
        return self[key]
