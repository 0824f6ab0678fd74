"""``KeyLookup`` finds the same positions as a binary search (``np.searchsorted``)."""

from __future__ import annotations

import numpy as np
import pytest

from raretrace.analytics.key_lookup import KeyLookup


def _expected(keys: np.ndarray, needles: np.ndarray) -> np.ndarray:
    if len(keys) == 0:
        return np.full(len(needles), -1, np.int64)
    at = np.minimum(np.searchsorted(keys, needles), len(keys) - 1)
    return np.where(keys[at] == needles, at, -1)


@pytest.mark.parametrize("seed", range(5))
def test_same_positions_as_a_binary_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_parts, n_sites = 50, 30
    # skewed: a few parts at many sites, most at one or two
    parts = np.concatenate([rng.integers(0, n_parts, 60), np.repeat([3, 7], 25)])
    sites = rng.integers(0, n_sites, len(parts))
    keys = np.unique(sites.astype(np.int64) * n_parts + parts)
    needles = np.concatenate(
        [keys[rng.integers(0, len(keys), 200)], rng.integers(0, n_sites * n_parts, 200)]
    )
    got = KeyLookup(keys, n_parts).find(needles)
    assert got.tolist() == _expected(keys, needles).tolist()
    assert (got >= 0).sum() >= 200  # the keys themselves are all found


def test_hand_made_example() -> None:
    n_parts = 10
    keys = np.array([0 * 10 + 4, 1 * 10 + 4, 1 * 10 + 5, 3 * 10 + 4], np.int64)
    needles = np.array([14, 34, 4, 15, 24, 5, 99], np.int64)
    assert KeyLookup(keys, n_parts).find(needles).tolist() == [1, 3, 0, 2, -1, -1, -1]


def test_empty() -> None:
    none = np.zeros(0, np.int64)
    assert KeyLookup(none, 5).find(np.array([3], np.int64)).tolist() == [-1]
    assert KeyLookup(np.array([3], np.int64), 5).find(none).tolist() == []


@pytest.mark.parametrize("seed", range(3))
def test_group_range_gives_each_needles_group(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_parts = 40
    g_key = np.unique(rng.integers(0, 20 * n_parts, 120)).astype(np.int64)
    sizes = rng.integers(1, 4, len(g_key))
    g_lo = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    g_sum = rng.random(len(g_key))
    needles = np.concatenate([g_key[rng.integers(0, len(g_key), 100)], rng.integers(0, 800, 100)])
    lo, hi, total = KeyLookup(g_key, n_parts).group_range(g_lo, g_sum, needles)
    for i, x in enumerate(needles.tolist()):
        where = np.flatnonzero(g_key == x)
        if len(where):
            g = int(where[0])
            assert (lo[i], hi[i], total[i]) == (g_lo[g], g_lo[g + 1], g_sum[g])
        else:
            assert (lo[i], hi[i], total[i]) == (0, 0, 0.0)


def test_group_range_without_groups() -> None:
    none = np.zeros(0, np.int64)
    lo, hi, total = KeyLookup(none, 5).group_range(np.zeros(1, np.int64), np.zeros(0), none + 3)
    assert (lo.tolist(), hi.tolist(), total.tolist()) == ([], [], [])
    lo, hi, total = KeyLookup(none, 5).group_range(
        np.zeros(1, np.int64), np.zeros(0), np.array([3, 4], np.int64)
    )
    assert (lo.tolist(), hi.tolist(), total.tolist()) == ([0, 0], [0, 0], [0.0, 0.0])
