"""The compiler's CSR assembly and concatenated ranges (``analytics.csr``) against
plain Python: sorted by (row, column), entries of one cell in the order given."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp  # type: ignore[import-untyped]

from raretrace.analytics.csr import csr, spans
from raretrace.analytics.matrices import ranges


@pytest.mark.parametrize("seed", range(4))
def test_csr_orders_by_row_then_column_keeping_duplicates_in_order(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 30, 400
    rows = rng.integers(0, n, m).astype(np.int64)
    cols = rng.integers(0, n, m).astype(np.int64)
    vals = rng.random(m)
    indptr, indices, data = csr(rows, cols, vals, n)
    expected = sorted(range(m), key=lambda i: (rows[i], cols[i], i))
    assert indices.dtype == np.int32 and data.dtype == np.float64
    assert indices.tolist() == [int(cols[i]) for i in expected]
    assert data.tolist() == [float(vals[i]) for i in expected]
    assert indptr.tolist() == [0, *np.cumsum(np.bincount(rows, minlength=n)).tolist()]
    # the same matrix as scipy's, duplicates summed
    ours = sp.csr_matrix((data, indices, indptr), shape=(n, n)).toarray()
    theirs = sp.coo_matrix((vals, (rows, cols)), shape=(n, n)).toarray()
    assert np.allclose(ours, theirs)


def test_csr_hand_made_and_empty() -> None:
    indptr, indices, data = csr(
        np.array([2, 0, 2, 2]), np.array([1, 3, 0, 1]), np.array([1.0, 2.0, 3.0, 4.0]), 4
    )
    assert indptr.tolist() == [0, 1, 1, 4, 4]
    assert indices.tolist() == [3, 0, 1, 1]
    assert data.tolist() == [2.0, 3.0, 1.0, 4.0]
    none = np.zeros(0, np.int64)
    indptr, indices, data = csr(none, none, np.zeros(0), 3)
    assert (indptr.tolist(), indices.tolist(), data.tolist()) == ([0, 0, 0, 0], [], [])


@pytest.mark.parametrize("seed", range(4))
def test_spans_are_the_concatenated_ranges(seed: int) -> None:
    rng = np.random.default_rng(seed)
    starts = rng.integers(0, 1000, 50)
    counts = rng.integers(0, 5, 50)  # zeros included
    got = spans(starts, counts)
    assert got.tolist() == [s + j for s, c in zip(starts, counts, strict=True) for j in range(c)]
    assert got.tolist() == ranges(starts, counts).tolist()
    assert spans(np.zeros(0, np.int64), np.zeros(0, np.int64)).tolist() == []
