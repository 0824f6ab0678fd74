"""Shared helpers of the tracing benchmarks: synthetic networks as ``NetworkArrays``,
peak-memory measurement and table printing."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from raretrace.analytics import synth as sy
from raretrace.analytics.matrices import KINDS, NetworkArrays
from raretrace.domain.parts import MagnetType, PartKind

T = TypeVar("T")


def arrays_from_synth(s: sy.SynthNetwork) -> NetworkArrays:
    """``SynthNetwork`` columns as ``NetworkArrays`` (its ids are sorted indices already)."""
    kinds = np.array([KINDS.index(k) for k in sy.KINDS], np.int8)[s.part_kind]
    magnet = (kinds == KINDS.index(PartKind.MAGNET)) | (
        s.part_magnet_type != sy.MAGNET_TYPES.index(MagnetType.NONE)
    )
    countries = sy.COUNTRIES
    return NetworkArrays(
        party_ids=np.array(sy.format_ids("C", s.n_parties, width=6)),
        party_country=s.party_country.astype(np.int32),
        site_ids=np.array(sy.format_ids("S", s.n_sites, width=6)),
        site_party=s.site_party.astype(np.int32),
        site_country=s.site_country.astype(np.int32),
        countries=countries,
        part_ids=np.array(sy.format_ids("P", s.n_parts)),
        part_kind=kinds,
        part_magnet=magnet,
        part_mass_kg=s.part_mass_kg,
        part_value=s.part_unit_value_cents / 100.0,
        part_currency=np.zeros(s.n_parts, np.int32),
        currencies=("USD",),
        elements=sy.ELEMENTS,
        comp_part=s.comp_part.astype(np.int32),
        comp_element=s.comp_element.astype(np.int32),
        comp_fraction=s.comp_fraction,
        bom_parent=s.bom_parent.astype(np.int32),
        bom_child=s.bom_child.astype(np.int32),
        bom_qty=s.bom_quantity,
        sup_supplier=s.supply_supplier.astype(np.int32),
        sup_part=s.supply_part.astype(np.int32),
        sup_buyer=s.supply_buyer.astype(np.int32),
        sup_share=s.supply_share,
        prod_site=s.production_site.astype(np.int32),
        prod_part=s.production_part.astype(np.int32),
        prod_units=s.production_units_per_year,
    )


def timed(fn: Callable[[], T], repeat: int = 3) -> tuple[T, float]:
    """Result and best wall time (s) of ``repeat`` calls."""
    best = float("inf")
    out: Any = None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best


def peak_mb(fn: Callable[[], Any]) -> float:
    """Peak of memory allocated (numpy included) during one call, in MB (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1e6


def rel_err(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(|b|), 0 for two zero arrays."""
    scale = float(np.max(np.abs(b))) if b.size else 0.0
    return float(np.max(np.abs(a - b))) / scale if scale else float(np.max(np.abs(a), initial=0))


def row(*cells: object, widths: tuple[int, ...] = (34, 12, 12, 12)) -> str:
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False))
