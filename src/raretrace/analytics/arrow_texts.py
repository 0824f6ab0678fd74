"""A pyarrow text array as a numpy unicode array, without a Python string per value.

pyarrow's own ``to_numpy`` makes a Python ``str`` of every value, which numpy then
copies into a fixed-width array: the sorted part ids of the tracing engine's cold
start (``analytics.tables``), a million at 1M parts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]


def texts_to_numpy(texts: Any) -> np.ndarray[Any, np.dtype[np.str_]]:
    """A pyarrow ``string``/``large_string`` array without nulls as a numpy unicode
    array, as ``np.asarray(texts.to_numpy(zero_copy_only=False), dtype=np.str_)`` gives
    it (trailing NULs dropped, as numpy does).

    The UTF-8 bytes are laid out in a fixed-width bytes array by one masked assignment;
    ASCII is then widened to UTF-32 in place, anything else decoded value by value."""
    n = len(texts)
    if n == 0:
        return np.zeros(0, dtype="<U1")
    if texts.null_count:
        raise ValueError("texts_to_numpy: null values")
    _, offsets_buf, data_buf = texts.buffers()
    wide = pa.types.is_large_string(texts.type)
    offsets = np.frombuffer(offsets_buf, dtype=np.int64 if wide else np.int32)
    offsets = offsets[texts.offset : texts.offset + n + 1].astype(np.int64)
    first, last = int(offsets[0]), int(offsets[-1])
    if last == first:
        return np.full(n, "", dtype="<U1")
    data = np.frombuffer(data_buf, dtype=np.uint8)[first:last]
    lengths = np.diff(offsets)
    width = int(lengths.max())
    grid = np.zeros((n, width), dtype=np.uint8)
    grid[np.arange(width) < lengths[:, None]] = data
    if int(data.max()) < 0x80:
        ascii_: np.ndarray[Any, np.dtype[np.str_]] = (
            grid.astype(np.uint32).view(f"<U{width}").reshape(n)
        )
        return ascii_
    # As wide as the longest value in characters (UTF-8 lead bytes), as numpy makes it
    # from Python strings, even where decoding drops a value's trailing NULs.
    leads = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum((data & 0xC0) != 0x80, out=leads[1:])
    chars = leads[offsets[1:] - first] - leads[offsets[:-1] - first]
    decoded: np.ndarray[Any, np.dtype[np.str_]] = np.char.decode(
        grid.view(f"S{width}").reshape(n), "utf-8"
    ).astype(f"<U{max(int(chars.max()), 1)}")
    return decoded
