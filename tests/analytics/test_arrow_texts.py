"""``analytics.arrow_texts.texts_to_numpy`` gives what pyarrow's own conversion gives."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raretrace.analytics.arrow_texts import texts_to_numpy


def _pyarrow_way(texts: pa.Array) -> np.ndarray:
    return np.asarray(texts.to_numpy(zero_copy_only=False), dtype=np.str_)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(max_size=12), max_size=40),
    st.sampled_from([pa.string(), pa.large_string()]),
    st.integers(0, 5),
)
def test_same_values_and_width_as_pyarrows_conversion(
    values: list[str], kind: pa.DataType, cut: int
) -> None:
    texts = pa.array(values, type=kind).slice(min(cut, len(values)))
    got, want = texts_to_numpy(texts), _pyarrow_way(texts)
    assert got.tolist() == want.tolist()
    if len(want) and max(map(len, want.tolist())):
        assert got.dtype == want.dtype  # the same fixed width


def test_ids_ascii_and_not() -> None:
    texts = pa.array(["P-0001", "稀土-7", "Ærø", "", "x"], type=pa.large_string())
    assert texts_to_numpy(texts).tolist() == ["P-0001", "稀土-7", "Ærø", "", "x"]
    assert texts_to_numpy(pa.array([], type=pa.large_string())).tolist() == []


def test_width_counts_a_trailing_nul_as_numpy_does() -> None:
    """Found by the property test: a non-ASCII value ending in NUL keeps its width."""
    for values in (["\x80\x00"], ["日本\x00", "ab"]):
        texts = pa.array(values, type=pa.string())
        assert texts_to_numpy(texts).dtype == _pyarrow_way(texts).dtype


def test_nulls_are_refused() -> None:
    with pytest.raises(ValueError, match="null"):
        texts_to_numpy(pa.array(["a", None], type=pa.large_string()))
