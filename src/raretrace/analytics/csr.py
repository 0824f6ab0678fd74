"""Loops of the network compiler (``analytics.matrices``) that numpy would do in many
passes with temporaries: concatenated ranges and CSR assembly. Compiled by
``kernels.jitted``; the functions below wrap them with the array types they are
compiled for (int64 indices, float64 values: one machine-code version each).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

I32 = NDArray[np.int32]
I64 = NDArray[np.int64]
F64 = NDArray[np.float64]


def spans(starts: NDArray[np.integer], counts: NDArray[np.integer]) -> I64:
    """Concatenation of ``arange(s, s + c)`` for each pair (``matrices.ranges``, in one
    pass)."""
    from raretrace.analytics.kernels import jitted

    out: I64 = jitted("spans_kernel")(
        np.ascontiguousarray(starts, dtype=np.int64), np.ascontiguousarray(counts, dtype=np.int64)
    )
    return out


def csr(rows: I64, cols: I64, vals: F64, n: int) -> tuple[I64, I32, F64]:
    """CSR arrays of the entries ``(rows[i], cols[i], vals[i])`` over ``n`` rows:
    columns ascending within a row, entries with the same row and column in the order
    given (a stable counting sort by column, then by row)."""
    from raretrace.analytics.kernels import jitted

    indptr, indices, data = jitted("csr_kernel")(
        np.ascontiguousarray(rows, dtype=np.int64),
        np.ascontiguousarray(cols, dtype=np.int64),
        np.ascontiguousarray(vals, dtype=np.float64),
        n,
    )
    return indptr, indices, data


def spans_kernel(starts: Any, counts: Any) -> Any:
    total = 0
    for c in counts:
        total += c
    out = np.empty(total, dtype=np.int64)
    t = 0
    for i in range(starts.shape[0]):
        s = starts[i]
        for j in range(counts[i]):
            out[t] = s + j
            t += 1
    return out


def csr_kernel(rows: Any, cols: Any, vals: Any, n: int) -> tuple[Any, Any, Any]:
    m = rows.shape[0]
    col_ptr = np.zeros(n + 1, dtype=np.int64)
    indptr = np.zeros(n + 1, dtype=np.int64)
    for i in range(m):
        col_ptr[cols[i] + 1] += 1
        indptr[rows[i] + 1] += 1
    for i in range(n):
        col_ptr[i + 1] += col_ptr[i]
        indptr[i + 1] += indptr[i]
    by_col = np.empty(m, dtype=np.int64)
    for i in range(m):  # stable by column
        c = cols[i]
        by_col[col_ptr[c]] = i
        col_ptr[c] += 1
    fill = indptr[:-1].copy()
    indices = np.empty(m, dtype=np.int32)
    data = np.empty(m, dtype=np.float64)
    for t in range(m):  # then stable by row
        i = by_col[t]
        r = rows[i]
        indices[fill[r]] = cols[i]
        data[fill[r]] = vals[i]
        fill[r] += 1
    return indptr, indices, data
