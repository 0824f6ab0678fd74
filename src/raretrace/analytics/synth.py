"""Large synthetic supply networks for benchmarks and tests (pure, vectorised numpy).

``generate(n_parts, rng=...)`` builds a columnar ``SynthNetwork``: every table of a
bundle (``docs/bundle.md``) as integer-coded numpy arrays, ids as 0-based indices.
``services.network.synth`` turns it into CSV files or bulk-loads it into a workspace.

The network has eight tiers, from raw materials at the bottom (level 0) to products at
the top (level 7). A part's BOM children are always drawn from strictly lower levels, so
the BOM is acyclic by construction. Children are drawn partly round-robin (so that every
part below the top has a parent) and partly from a power law over a random popularity
order, so that a few sub-assemblies and leaves are shared very widely (a DAG, not a
tree). Sites sit in tier-specific countries (mostly CN at the bottom); every
(buyer site, part) need implied by the BOM is covered by one or two supply links whose
shares sum to exactly 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from raretrace.analytics.synth_codes import (
    _C,
    COUNTRIES,
    ELEMENTS,
    F64,
    FORMS,
    I8,
    I32,
    I64,
    KINDS,
    MAGNET_TYPES,
    MIN_PARTS,
    PRODUCT_LEVEL,
    ROLE_SETS,
    SKEW,
    TIERS,
    UOMS,
    Bool,
    Tier,
)
from raretrace.analytics.synth_composition import _composition, _forms


@dataclass(frozen=True, slots=True)
class SynthNetwork:
    """A synthetic network as columns. Ids are 0-based indices; see ``format_ids``.

    Parts are ordered from the top tier down (products first). Categorical columns hold
    indices into ``KINDS``, ``FORMS``, ``MAGNET_TYPES``, ``UOMS``, ``ELEMENTS``,
    ``COUNTRIES`` and ``ROLE_SETS``. NaN stands for "no value" in float columns, -1 in
    ``party_owner``.
    """

    # parts
    part_level: I8
    part_kind: I8
    part_uom: I8
    part_form: I8
    part_magnet_type: I8
    part_mass_kg: F64
    part_unit_value_cents: I64
    # composition (leaf raw materials and bought-in parts: content; magnets: declared)
    comp_part: I32
    comp_element: I8
    comp_fraction: F64
    # BOM, sorted by (parent, child)
    bom_parent: I32
    bom_child: I32
    bom_quantity: F64
    # parties and sites
    party_country: I8
    party_roles: I8
    party_military: Bool
    party_owner: I32
    party_ownership_pct: F64
    site_party: I32
    site_country: I8
    # supply links, sorted by (supplier, part, buyer)
    supply_supplier: I32
    supply_part: I32
    supply_buyer: I32
    supply_share: F64
    supply_lead_time_days: I32
    # production, sorted by (site, part)
    production_site: I32
    production_part: I32
    production_units_per_year: F64

    @property
    def n_parts(self) -> int:
        return int(self.part_level.shape[0])

    @property
    def n_parties(self) -> int:
        return int(self.party_country.shape[0])

    @property
    def n_sites(self) -> int:
        return int(self.site_party.shape[0])

    def counts(self) -> dict[str, int]:
        """Rows per bundle table (``domain.network.TABLES`` order)."""
        return {
            "parties": self.n_parties,
            "sites": self.n_sites,
            "parts": self.n_parts,
            "composition": int(self.comp_part.shape[0]),
            "bom": int(self.bom_parent.shape[0]),
            "supply": int(self.supply_part.shape[0]),
            "production": int(self.production_part.shape[0]),
        }


def format_ids(prefix: str, count: int, width: int = 7) -> list[str]:
    """``["P0000001", "P0000002", ...]``: string ids of indices ``0 .. count-1``.

    Zero-padded so that string order equals index order (sorted inserts stay sorted).
    """
    w = max(width, len(str(count)))
    return [f"{prefix}{i:0{w}d}" for i in range(1, count + 1)]


def generate(
    n_parts: int,
    *,
    rng: np.random.Generator,
    bom_lines_per_part: float = 4.0,
    parts_per_site: float = 150.0,
    second_source_share: float = 0.15,
) -> SynthNetwork:
    """A synthetic network of ``n_parts`` parts; deterministic for a given ``rng`` state.

    ``bom_lines_per_part`` is the mean number of BOM lines of a part that has children;
    ``parts_per_site`` sets how many sites there are; ``second_source_share`` is the
    fraction of parts made at two sites (the others at one).
    """
    if n_parts < MIN_PARTS:
        raise ValueError(f"n_parts must be at least {MIN_PARTS}")
    if bom_lines_per_part < 1:
        raise ValueError("bom_lines_per_part must be at least 1")
    counts = _tier_counts(n_parts)
    start = _tier_starts(counts)
    level = np.repeat(np.arange(len(TIERS), dtype=np.int8)[::-1], counts[::-1])

    parent, child, quantity = _bom(counts, start, level, rng, bom_lines_per_part)
    kind = np.array([KINDS.index(t.kind) for t in TIERS], dtype=np.int8)[level]
    uom = np.array([UOMS.index(t.uom) for t in TIERS], dtype=np.int8)[level]
    mass = np.array([t.mass_kg for t in TIERS])[level] * rng.lognormal(0.0, 0.6, n_parts)
    mass = np.where(uom == UOMS.index("kg"), 1.0, np.maximum(np.round(mass, 4), 1e-4))
    value = np.array([t.value for t in TIERS])[level] * rng.lognormal(0.0, 0.7, n_parts)
    cents = np.maximum(np.rint(value * 100), 1).astype(np.int64)
    form, magnet_type = _forms(level, parent, child, start, counts, rng)
    comp_part, comp_element, comp_fraction = _composition(start, counts, magnet_type, rng)

    (
        party_country,
        party_roles,
        party_military,
        owner,
        pct,
        site_party,
        site_country,
        site_start,
        site_count,
    ) = _sites(counts, parts_per_site, rng)
    producer1, producer2 = _producers(level, site_start, site_count, second_source_share, rng)
    supply = _supply(parent, child, producer1, producer2, n_parts, rng)
    production = _production(level, producer1, producer2, supply[0], supply[1], n_parts, rng)
    return SynthNetwork(
        part_level=level,
        part_kind=kind,
        part_uom=uom,
        part_form=form,
        part_magnet_type=magnet_type,
        part_mass_kg=mass,
        part_unit_value_cents=cents,
        comp_part=comp_part,
        comp_element=comp_element,
        comp_fraction=comp_fraction,
        bom_parent=parent,
        bom_child=child,
        bom_quantity=quantity,
        party_country=party_country,
        party_roles=party_roles,
        party_military=party_military,
        party_owner=owner,
        party_ownership_pct=pct,
        site_party=site_party,
        site_country=site_country,
        supply_supplier=supply[0],
        supply_part=supply[1],
        supply_buyer=supply[2],
        supply_share=supply[3],
        supply_lead_time_days=supply[4],
        production_site=production[0],
        production_part=production[1],
        production_units_per_year=production[2],
    )


# --- tiers ---------------------------------------------------------------------------


def _tier_counts(n_parts: int) -> I64:
    counts = np.array([max(t.minimum, round(t.share * n_parts)) for t in TIERS], dtype=np.int64)
    biggest = int(np.argmax([t.share for t in TIERS]))
    counts[biggest] += n_parts - int(counts.sum())
    return counts


def _tier_starts(counts: I64) -> I64:
    """Index of the first part of each level (parts are stored top level first)."""
    above = np.concatenate([np.cumsum(counts[::-1])[::-1][1:], [0]])
    return above.astype(np.int64)


# --- BOM -----------------------------------------------------------------------------


def _bom(
    counts: I64, start: I64, level: I8, rng: np.random.Generator, mean_lines: float
) -> tuple[I32, I32, F64]:
    n_levels = len(TIERS)
    weights = np.zeros((n_levels, n_levels))
    for lv, tier in enumerate(TIERS):
        for below, w in tier.children.items():
            weights[lv, below] = w
    weights /= np.maximum(weights.sum(axis=1, keepdims=True), 1e-300)
    has_children = weights.sum(axis=1) > 0
    first_pass = _first_pass_mean(counts.astype(np.float64), weights, has_children, mean_lines)

    # Lines per parent (parents are contiguous per level), then each line's child level.
    cum = np.cumsum(weights, axis=1)
    parents: list[I32] = []
    child_levels: list[I64] = []
    for lv in range(n_levels - 1, -1, -1):  # top level first, like the part index
        if not has_children[lv]:
            continue
        lo, n = int(start[lv]), int(counts[lv])
        n_lines = 1 + rng.poisson(first_pass - 1.0, n)
        parents.append(np.repeat(np.arange(lo, lo + n, dtype=np.int32), n_lines))
        picked = np.searchsorted(cum[lv], rng.random(int(n_lines.sum())), side="right")
        child_levels.append(np.minimum(picked, int(np.flatnonzero(weights[lv]).max())))
    parent = np.concatenate(parents)
    child_level = np.concatenate(child_levels)

    child = np.empty(parent.shape[0], dtype=np.int32)
    extra_parent: list[I32] = []
    extra_child: list[I32] = []
    for lv in range(n_levels):
        lines = np.flatnonzero(child_level == lv)
        n, lo = int(counts[lv]), int(start[lv])
        if lines.shape[0]:
            child[lines] = lo + _pick(n, lines.shape[0], rng)
        if lv == PRODUCT_LEVEL:
            continue
        # Adopt the parts no line reached: one line from a random parent above.
        used = np.zeros(n, dtype=bool)
        used[child[lines] - lo] = True
        orphans = np.flatnonzero(~used).astype(np.int32) + lo
        if orphans.shape[0]:
            p_level = weights[:, lv] * counts
            p_level /= p_level.sum()
            pl = rng.choice(n_levels, size=orphans.shape[0], p=p_level)
            offset = (rng.random(orphans.shape[0]) * counts[pl]).astype(np.int64)
            extra_parent.append((start[pl] + offset).astype(np.int32))
            extra_child.append(orphans)
    parent = np.concatenate([parent, *extra_parent])
    child = np.concatenate([child, *extra_child])

    # One line per (parent, child): drop repeats, sort by (parent, child).
    key = parent.astype(np.int64) * int(counts.sum()) + child
    key = _unique(key)
    parent = (key // int(counts.sum())).astype(np.int32)
    child = (key % int(counts.sum())).astype(np.int32)
    quantity = _quantities(level[parent], level[child], rng)
    return parent, child, quantity


def _first_pass_mean(counts: F64, weights: F64, has_children: Bool, target: float) -> float:
    """Mean lines per parent before adoption, so that the final mean is ``target``.

    Adoption adds one line per part that no line reached; the expected number of such
    parts falls as the first-pass mean rises, so the total is monotone: bisect.
    """
    n_parents = float(counts[has_children].sum())
    inflow = (weights * counts[:, None]).sum(axis=0)  # lines into each level per unit mean
    inflow[PRODUCT_LEVEL] = np.inf

    def total(m: float) -> float:
        return n_parents * m + float(np.maximum(counts - m * inflow, 0).sum())

    lo, hi = 1.0, target
    if total(lo) >= n_parents * target:
        return lo
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if total(mid) < n_parents * target else (lo, mid)
    return lo


def _pick(n: int, size: int, rng: np.random.Generator) -> I64:
    """``size`` local child indices in ``[0, n)``: round-robin first, then skewed.

    The first ``min(n, size)`` picks cover distinct parts (so every part gets a
    parent when there are enough lines); the rest follow the popularity law. The
    sequence is shuffled so neither kind clusters on particular parents.
    """
    cover = min(n, size)
    rank = np.minimum((n * rng.random(size - cover) ** SKEW).astype(np.int64), n - 1)
    popularity = rng.permutation(n)
    picks = np.concatenate([rng.permutation(n)[:cover], popularity[rank]])
    return rng.permutation(picks)


def _quantities(parent_level: I8, child_level: I8, rng: np.random.Generator) -> F64:
    size = parent_level.shape[0]
    bulk = np.array([t.uom == "kg" for t in TIERS])[child_level]
    parent_mass = np.array([t.mass_kg for t in TIERS])[parent_level]
    kg = np.maximum(np.round(0.3 * parent_mass * rng.lognormal(0.0, 0.6, size), 4), 1e-4)
    p_each = np.where(child_level == 3, 0.35, 0.7)
    each = rng.geometric(p_each).astype(np.float64)
    return np.where(bulk, kg, each)


# --- parties, sites, supply, production --------------------------------------------------


def _country_draw(tier: Tier, size: int, rng: np.random.Generator) -> I8:
    codes = np.array([_C[c] for c in tier.countries], dtype=np.int8)
    p = np.array(list(tier.countries.values()))
    return rng.choice(codes, size=size, p=p / p.sum())


def _sites(
    counts: I64, parts_per_site: float, rng: np.random.Generator
) -> tuple[I8, I8, Bool, I32, F64, I32, I8, I64, I64]:
    """Parties and sites per tier (top tier first, like parts)."""
    site_count = np.array([max(2, round(int(c) / parts_per_site)) for c in counts], dtype=np.int64)
    site_start = _tier_starts(site_count)
    p_country, p_roles, s_party, s_country = [], [], [], []
    n_parties = 0
    for lv in range(len(TIERS) - 1, -1, -1):  # top tier first
        tier, k = TIERS[lv], int(site_count[lv])
        new = rng.random(k) < 0.6
        new[0] = True
        local = np.cumsum(new) - 1
        m = int(local[-1]) + 1
        country = _country_draw(tier, m, rng)
        p_country.append(country)
        p_roles.append(np.full(m, lv, dtype=np.int8))
        s_party.append((local + n_parties).astype(np.int32))
        moved = rng.random(k) < 0.2
        s_country.append(np.where(moved, _country_draw(tier, k, rng), country[local]))
        n_parties += m
    party_country = np.concatenate(p_country).astype(np.int8)
    party_roles = np.concatenate(p_roles)
    military_odds = np.where(party_roles == PRODUCT_LEVEL, 0.1, 0.0)
    military_odds[(party_roles == 5) | (party_roles == 6)] = 0.02
    military = rng.random(n_parties) < military_odds
    # Some parties are owned by an earlier one: ownership chains, never cycles.
    idx = np.arange(n_parties)
    owned = (rng.random(n_parties) < 0.1) & (idx > 0)
    owner = np.where(owned, (rng.random(n_parties) * idx).astype(np.int64), -1).astype(np.int32)
    pct = np.where(owned, np.round(rng.uniform(50.0, 100.0, n_parties), 1), np.nan)
    site_party = np.concatenate(s_party)
    site_country = np.concatenate(s_country).astype(np.int8)
    return (
        party_country,
        party_roles,
        military,
        owner,
        pct,
        site_party,
        site_country,
        site_start,
        site_count,
    )


def _producers(
    level: I8, site_start: I64, site_count: I64, second_share: float, rng: np.random.Generator
) -> tuple[I32, I32]:
    """Each part is made at one site of its tier; ``second_share`` of them at two."""
    n = level.shape[0]
    g = site_count[level]
    local = (rng.random(n) * g).astype(np.int64)
    first = (site_start[level] + local).astype(np.int32)
    two = rng.random(n) < second_share
    other = (local + 1 + (rng.random(n) * (g - 1)).astype(np.int64)) % g
    second = np.where(two, site_start[level] + other, -1).astype(np.int32)
    return first, second


def _supply(
    parent: I32,
    child: I32,
    producer1: I32,
    producer2: I32,
    n_parts: int,
    rng: np.random.Generator,
) -> tuple[I32, I32, I32, F64, I32]:
    """Supply links covering every (buyer site, part) need with shares summing to 1."""
    second = producer2[parent] >= 0
    buyer = np.concatenate([producer1[parent], producer2[parent][second]]).astype(np.int64)
    part = np.concatenate([child, child[second]]).astype(np.int64)
    need = _unique(buyer * n_parts + part)
    buyer, part = need // n_parts, need % n_parts
    k = need.shape[0]

    two = producer2[part] >= 0
    r = rng.random(k)
    split = two & (r < 0.5)
    only_second = two & ~split & (r > 0.8)
    # Sterbenz: for a in [0.5, 1), 1 - a is exact, so a + (1 - a) == 1 exactly.
    a: F64 = np.divide(rng.integers(10, 20, size=k), 20.0)
    supplier = np.where(only_second, producer2[part], producer1[part])
    share = np.where(split, a, 1.0)
    supplier = np.concatenate([supplier, producer2[part][split]]).astype(np.int64)
    share = np.concatenate([share, 1.0 - a[split]])
    buyer = np.concatenate([buyer, buyer[split]])
    part = np.concatenate([part, part[split]])
    lead = np.concatenate([rng.integers(7, 120, k), rng.integers(7, 120, int(split.sum()))])

    n_sites = int(max(supplier.max(initial=0), buyer.max(initial=0))) + 1
    order = np.argsort((supplier * n_parts + part) * n_sites + buyer, kind="stable")
    return (
        supplier[order].astype(np.int32),
        part[order].astype(np.int32),
        buyer[order].astype(np.int32),
        share[order],
        lead[order].astype(np.int32),
    )


def _production(
    level: I8,
    producer1: I32,
    producer2: I32,
    supplier: I32,
    supplied_part: I32,
    n_parts: int,
    rng: np.random.Generator,
) -> tuple[I32, I32, F64]:
    """Production rows: every product's plants with a plan, and any (site, part) that is
    made but not supplied onwards (so every producing site is a network node)."""
    idx = np.arange(n_parts, dtype=np.int64)
    has2 = producer2 >= 0
    site = np.concatenate([producer1, producer2[has2]]).astype(np.int64)
    part = np.concatenate([idx, idx[has2]])
    key = site * n_parts + part
    supplied = supplier.astype(np.int64) * n_parts + supplied_part
    product = level[part] == PRODUCT_LEVEL
    keep = product | ~_contains(_unique(supplied), key)
    key = np.sort(key[keep])
    site, part = key // n_parts, key % n_parts
    plan = np.round(rng.lognormal(np.log(20_000.0), 0.8, key.shape[0]))
    units = np.where(level[part] == PRODUCT_LEVEL, plan, np.nan)
    return site.astype(np.int32), part.astype(np.int32), units


def _unique(keys: I64) -> I64:
    """Sorted distinct values (sort-based; faster than ``np.unique`` on big int keys)."""
    s = np.sort(keys)
    return s[np.concatenate([[True], s[1:] != s[:-1]])] if s.shape[0] else s


def _contains(sorted_keys: I64, keys: I64) -> Bool:
    """``keys`` found in the sorted, distinct ``sorted_keys``."""
    if not sorted_keys.shape[0]:
        return np.zeros(keys.shape[0], dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.shape[0] - 1)
    return np.asarray(sorted_keys[pos] == keys, dtype=np.bool_)


__all__ = [
    "COUNTRIES",
    "ELEMENTS",
    "F64",
    "FORMS",
    "I8",
    "I32",
    "I64",
    "KINDS",
    "MAGNET_TYPES",
    "MIN_PARTS",
    "PRODUCT_LEVEL",
    "ROLE_SETS",
    "SKEW",
    "TIERS",
    "UOMS",
    "Bool",
    "SynthNetwork",
    "Tier",
    "format_ids",
    "generate",
]
