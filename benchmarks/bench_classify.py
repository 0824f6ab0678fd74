"""Classify every part of a 1M-part synthetic network for one date; print the rate.

Facts come from ``raretrace.analytics.synth.generate`` (declared composition, form and
magnet type per part; origin and value share drawn at random), then one vectorised pass
of every shipped item rule, and of every shipment rule over the same rows treated as
cross-border shipments. Usage::

    .venv/bin/python benchmarks/bench_classify.py [n_parts]
"""

from __future__ import annotations

import sys
import time
from datetime import date

import numpy as np

from raretrace.analytics import synth
from raretrace.rules import (
    PartFacts,
    builtin_packs,
    classify_items,
    compile_book,
    determine_shipments,
    shipment_facts,
)
from raretrace.rules.facts import CONTENT_BASES, FORMS, KINDS, MAGNET_TYPES
from raretrace.rules.schema import Outcome

LICENCE = (
    Outcome.LICENCE_REQUIRED,
    Outcome.CASE_BY_CASE,
    Outcome.PRESUMPTION_OF_DENIAL,
    Outcome.PROHIBITED,
)


DEEP = ("assembly", "product")


def facts_from_synth(n_parts: int, rng: np.random.Generator) -> PartFacts:
    net = synth.generate(n_parts, rng=rng)
    n = len(net.part_kind)
    elements = synth.ELEMENTS
    mf = np.zeros((n, len(elements)), dtype=np.float64)
    mf[net.comp_part, net.comp_element] = net.comp_fraction
    has = np.zeros(n, dtype=bool)
    has[net.comp_part] = True

    def remap(src: tuple[str, ...], dst: tuple[str, ...]) -> np.ndarray:
        return np.array([dst.index(x) for x in src], dtype=np.int8)

    countries = np.array(["CN", "JP", "DE", "US", "VN"], dtype="<U2")
    return PartFacts(
        part_ids=tuple(map(str, range(n))),
        elements=elements,
        mass_fraction=mf,
        form=remap(synth.FORMS, FORMS)[net.part_form],
        magnet_type=remap(synth.MAGNET_TYPES, MAGNET_TYPES)[net.part_magnet_type],
        kind=remap(synth.KINDS, KINDS)[net.part_kind],
        deep_processed=np.isin(net.part_kind, [synth.KINDS.index(k) for k in DEEP]),
        cn_value_share=rng.random(n) * 0.01,
        origin_country=countries[rng.integers(0, len(countries), n)],
        content_basis=np.where(has, 0, CONTENT_BASES.index("unknown")).astype(np.int8),
    )


def main(n_parts: int = 1_000_000) -> None:
    rng = np.random.default_rng(20261129)
    t0 = time.perf_counter()
    facts = facts_from_synth(n_parts, rng)
    t1 = time.perf_counter()
    book = compile_book(builtin_packs())
    as_of = date(2026, 11, 29)
    t2 = time.perf_counter()
    v = classify_items(book, facts, as_of)
    t3 = time.perf_counter()
    n = len(facts)
    print(f"synthetic facts: {n:,} parts built in {t1 - t0:.2f} s (not part of the timing)")
    print(
        f"classify {n:,} parts, {len(book.item_rules)} item rules, as of {as_of}: "
        f"{t3 - t2:.2f} s = {n / (t3 - t2):,.0f} parts/s; "
        f"{int(v.mask(Outcome.CONTROLLED).sum()):,} controlled, "
        f"{int(v.uncertain.sum()):,} uncertain"
    )
    countries = np.array(["CN", "DE", "JP", "US"], dtype="<U2")
    s = shipment_facts(
        facts,
        shipment_ids=facts.part_ids,
        exporter_country=countries[rng.integers(0, 4, n)],
        destination_country=countries[rng.integers(0, 4, n)],
        end_use=np.array(["civilian", "military", ""], dtype="<U16")[rng.integers(0, 3, n)],
    )
    t4 = time.perf_counter()
    sv = determine_shipments(book, s, as_of)
    t5 = time.perf_counter()
    print(
        f"determine {n:,} shipments, {len(book.shipment_rules)} shipment rules (+ item rules): "
        f"{t5 - t4:.2f} s = {n / (t5 - t4):,.0f} shipments/s; "
        f"{int(sv.mask(*LICENCE).sum()):,} need a licence or are prohibited"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
