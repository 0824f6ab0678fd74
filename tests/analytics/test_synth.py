"""The synthetic network generator: shape, invariants and determinism (no I/O)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from raretrace.analytics.synth import (
    COUNTRIES,
    KINDS,
    MIN_PARTS,
    PRODUCT_LEVEL,
    SynthNetwork,
    format_ids,
    generate,
)
from raretrace.domain.parts import PartKind

N = 2_000


@pytest.fixture(scope="module")
def synth() -> SynthNetwork:
    return generate(N, rng=np.random.default_rng(42))


def _keys(*cols: np.ndarray) -> list[tuple[int, ...]]:
    return list(zip(*(c.tolist() for c in cols), strict=True))


def test_deterministic_for_a_seed(synth: SynthNetwork) -> None:
    again = generate(N, rng=np.random.default_rng(42))
    other = generate(N, rng=np.random.default_rng(43))
    for name in SynthNetwork.__dataclass_fields__:
        np.testing.assert_array_equal(getattr(synth, name), getattr(again, name), err_msg=name)
    assert not np.array_equal(synth.bom_child, other.bom_child)


def test_counts_and_tiers(synth: SynthNetwork) -> None:
    counts = synth.counts()
    assert counts["parts"] == N
    assert all(n > 0 for n in counts.values())
    kinds = {KINDS[k] for k in synth.part_kind.tolist()}
    # every kind of physical part; technologies and equipment are not in BOMs
    assert kinds == set(PartKind) - {PartKind.TECHNOLOGY, PartKind.EQUIPMENT}
    products = synth.part_kind == KINDS.index(PartKind.PRODUCT)
    assert np.array_equal(products, synth.part_level == PRODUCT_LEVEL)
    assert 0 < products.sum() <= 0.01 * N
    # products first, then lower levels: levels never increase along the part index
    assert (np.diff(synth.part_level.astype(int)) <= 0).all()
    assert (synth.part_mass_kg > 0).all()
    assert (synth.part_unit_value_cents > 0).all()


def test_bom_is_acyclic_by_level(synth: SynthNetwork) -> None:
    lv = synth.part_level
    assert (lv[synth.bom_parent] > lv[synth.bom_child]).all()


def test_bom_lines_unique_and_positive(synth: SynthNetwork) -> None:
    keys = _keys(synth.bom_parent, synth.bom_child)
    assert len(set(keys)) == len(keys)
    assert keys == sorted(keys)
    assert (synth.bom_quantity > 0).all()


def test_bom_density_and_coverage(synth: SynthNetwork) -> None:
    parents = np.unique(synth.bom_parent)
    assert 3.0 <= synth.bom_parent.shape[0] / parents.shape[0] <= 5.0
    has_parent = np.bincount(synth.bom_child, minlength=N) > 0
    below_top = synth.part_level < PRODUCT_LEVEL
    assert has_parent[below_top].all()
    assert not has_parent[~below_top].any()


def test_widely_shared_leaves(synth: SynthNetwork) -> None:
    children: dict[int, list[int]] = defaultdict(list)
    for p, c in _keys(synth.bom_parent, synth.bom_child):
        children[p].append(c)
    products = np.flatnonzero(synth.part_level == PRODUCT_LEVEL).tolist()
    used_by: dict[int, int] = defaultdict(int)  # leaf -> number of products containing it
    for product in products:
        seen: set[int] = set()
        stack = [product]
        while stack:
            for c in children.get(stack.pop(), []):
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
        for part in seen:
            if part not in children:
                used_by[part] += 1
    assert max(used_by.values()) == len(products)  # some leaf is in every product
    # a DAG, not a tree: popular parts have many direct parents
    indegree = np.bincount(synth.bom_child, minlength=N)
    assert indegree.max() >= 20 * indegree[indegree > 0].mean()


def test_composition(synth: SynthNetwork) -> None:
    keys = _keys(synth.comp_part, synth.comp_element)
    assert len(set(keys)) == len(keys)
    assert ((synth.comp_fraction > 0) & (synth.comp_fraction <= 1)).all()
    sums = np.bincount(synth.comp_part, weights=synth.comp_fraction, minlength=N)
    assert (sums <= 1.0 + 1e-12).all()
    with_comp = np.bincount(synth.comp_part, minlength=N) > 0
    leaf = np.bincount(synth.bom_parent, minlength=N) == 0
    magnet = synth.part_kind == KINDS.index(PartKind.MAGNET)
    assert np.array_equal(with_comp, leaf | magnet)


def test_shares_cover_each_need_exactly(synth: SynthNetwork) -> None:
    sums: dict[tuple[int, int], float] = defaultdict(float)
    for buyer, part, share in zip(
        synth.supply_buyer.tolist(),
        synth.supply_part.tolist(),
        synth.supply_share.tolist(),
        strict=True,
    ):
        assert 0 < share <= 1
        sums[buyer, part] += share
    assert set(sums.values()) == {1.0}
    links = _keys(synth.supply_supplier, synth.supply_part, synth.supply_buyer)
    assert len(set(links)) == len(links)
    per_need = defaultdict(int)
    for _, part, buyer in links:
        per_need[buyer, part] += 1
    assert set(per_need.values()) <= {1, 2}
    # every site making a parent needs each of its children, and nothing else
    makes: dict[int, set[int]] = defaultdict(set)  # part -> sites
    for site, part, _ in links:
        makes[part].add(site)
    for site, part in _keys(synth.production_site, synth.production_part):
        makes[part].add(site)
    needs = {(site, c) for p, c in _keys(synth.bom_parent, synth.bom_child) for site in makes[p]}
    assert needs == set(sums)


def test_production_rows(synth: SynthNetwork) -> None:
    keys = _keys(synth.production_site, synth.production_part)
    assert len(set(keys)) == len(keys)
    product = synth.part_level[synth.production_part] == PRODUCT_LEVEL
    plan = synth.production_units_per_year
    assert (plan[product] > 0).all()
    assert np.isnan(plan[~product]).all()
    all_products = set(np.flatnonzero(synth.part_level == PRODUCT_LEVEL).tolist())
    assert set(synth.production_part[product].tolist()) == all_products


def test_parties_and_sites(synth: SynthNetwork) -> None:
    owner = synth.party_owner
    owned = owner >= 0
    assert (owner[owned] < np.flatnonzero(owned)).all()  # earlier party: no cycles
    assert (
        (synth.party_ownership_pct[owned] >= 50) & (synth.party_ownership_pct[owned] <= 100)
    ).all()
    assert np.isnan(synth.party_ownership_pct[~owned]).all()
    assert (synth.site_party < synth.n_parties).all()
    # the bottom of the chain (mines to magnet makers) is mostly in China
    bottom = synth.party_roles[synth.site_party] <= 2
    cn = synth.site_country == COUNTRIES.index("CN")
    assert cn[bottom].mean() > 0.5


def test_format_ids() -> None:
    assert format_ids("P", 3) == ["P0000001", "P0000002", "P0000003"]
    assert format_ids("S", 2, width=6) == ["S000001", "S000002"]
    assert format_ids("X", 120, width=2)[-1] == "X120"  # widens when needed


def test_too_small_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        generate(MIN_PARTS - 1, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="bom_lines_per_part"):
        generate(N, rng=np.random.default_rng(0), bom_lines_per_part=0.5)
