"""The rollup kernel's sweep block (seeds and inputs above the leaves), accumulator and
prefetching change how it reads memory, not one addition: its result is the same bit
for bit as the plain level sweep (the kernel as it was before, in Python below) and as
a scipy.sparse level sweep over the same arrays."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from scipy.sparse import csr_matrix
from tracing_networks import compiled, magnet_chain, random_networks

from raretrace.analytics import synth
from raretrace.analytics.kernels import COL_BLOCK, PREFETCH_EDGES, RESIDUAL_RTOL, jitted
from raretrace.analytics.matrices import CompiledNetwork, NetworkArrays, compile_network
from raretrace.analytics.rollup import rollup, sweep_block
from raretrace.domain.network import Network

ROOT = Path(__file__).resolve().parents[2]


def synthetic(n_parts: int) -> NetworkArrays:
    """``analytics.synth``'s network as arrays, as the benchmarks build it."""
    spec = importlib.util.spec_from_file_location("bench_common", ROOT / "benchmarks" / "common.py")
    assert spec is not None and spec.loader is not None
    common = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(common)
    return common.arrays_from_synth(synth.generate(n_parts, rng=np.random.default_rng(7)))  # type: ignore[no-any-return]


def plain_sweep(c: CompiledNetwork, elements: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The rollup kernel before the leaf and sweep blocks: every row's inputs summed in CSR order
    from zero, leaves from their compositions (the content and unknown columns)."""
    index = {e: i for i, e in enumerate(c.net.elements)}
    col = np.full(len(c.net.elements), -1, np.int64)
    for pos, name in enumerate(elements):
        if name in index:
            col[index[name]] = pos
    comp_col = col[c.comp_element]
    last = len(elements)
    x = np.zeros((c.n_nodes, last + 1))
    res_row = c.residual_row
    for lvl in range(c.n_levels):
        for i in range(int(c.level_ptr[lvl]), int(c.level_ptr[lvl + 1])):
            a, b, p = int(c.fwd_indptr[i]), int(c.fwd_indptr[i + 1]), int(c.node_part[i])
            kinds = range(int(c.comp_ptr[p]), int(c.comp_ptr[p + 1]))
            if a == b:
                if not c.part_has_bom[p]:
                    for k in kinds:
                        if comp_col[k] >= 0:
                            x[i, comp_col[k]] += c.comp_kg[k]
                    if not c.part_known[p]:
                        x[i, last] = 1.0
                continue
            for k in range(a, b):
                j, w = int(c.fwd_indices[k]), float(c.fwd_data[k])
                for e in range(last + 1):
                    x[i, e] += w * x[j, e]
            if res_row[i] >= 0:
                for k in kinds:
                    if comp_col[k] >= 0:
                        d = c.comp_kg[k] - x[i, comp_col[k]]
                        if d > RESIDUAL_RTOL * c.comp_kg[k]:
                            x[i, comp_col[k]] = c.comp_kg[k]
                x[i, last] = 0.0
    return x[:, :-1], x[:, -1]


def assert_same_bits(c: CompiledNetwork, elements: tuple[str, ...] | None = None) -> None:
    chosen = c.net.elements if elements is None else elements
    want_kg, want_unknown = plain_sweep(c, chosen)
    # The first rollup of a network builds its sweep block, the second keeps it, the
    # third uses the kept one.
    for parallel in (False, True, False):
        got = rollup(c, elements, parallel=parallel)
        assert np.array_equal(got.content_kg, want_kg, equal_nan=True)
        assert np.array_equal(got.unknown_units, want_unknown, equal_nan=True)


def test_prefetching_kernel_is_the_plain_sweep_bit_for_bit() -> None:
    """``rollup`` prefetches only for outputs larger than a cache; the kernel with
    prefetching on, called as ``rollup`` calls it, on a network that fits: compiled for
    the column count and reading it at run time, serial and ``prange``."""
    c = compile_network(synthetic(3000))
    chosen = c.net.elements
    want_kg, want_unknown = plain_sweep(c, chosen)
    block = sweep_block(c, chosen)
    for name in ("rollup", "rollup_parallel"):
        for cols in (0, len(chosen) + 1):
            x = np.zeros((c.n_nodes, len(chosen) + 1))
            res = np.zeros((int(c.residual_row.max(initial=-1)) + 1, len(chosen) + 1))
            jitted(name, cols)(c.level_ptr, c.residual_row, res, x, *block, PREFETCH_EDGES)
            assert np.array_equal(x[:, :-1], want_kg)
            assert np.array_equal(x[:, -1], want_unknown)


def test_rows_wider_than_the_accumulator_are_the_plain_sweep_bit_for_bit() -> None:
    """More chosen elements than ``COL_BLOCK`` columns (names not declared anywhere
    give zero columns): the kernel sums each row in blocks of columns."""
    c = compile_network(synthetic(3000))
    wide = (*c.net.elements, *(f"X{k}" for k in range(COL_BLOCK)))
    assert len(wide) + 1 > COL_BLOCK
    assert_same_bits(c, wide)
    got = rollup(c, wide).content_kg
    assert np.array_equal(got[:, : len(c.net.elements)], rollup(c).content_kg)
    assert not got[:, len(c.net.elements) :].any()


def test_magnet_chain_is_the_plain_sweep_bit_for_bit() -> None:
    c = compiled(magnet_chain())
    assert_same_bits(c)
    assert_same_bits(c, ("Tb", "Dy"))  # chosen elements, one not declared anywhere


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks())
def test_random_networks_are_the_plain_sweep_bit_for_bit(net: Network) -> None:
    assert_same_bits(compiled(net))


def test_synthetic_network_is_the_plain_sweep_and_scipy_bit_for_bit() -> None:
    """3,000 parts: thousands of leaves shared by several levels of assemblies (the
    generated declarations above BOMs make residual rows too)."""
    c = compile_network(synthetic(3000))
    assert c.n_levels > 3 and int(c.level_ptr[1]) > 1000
    assert_same_bits(c)
    # scipy: X = L + A X, one level at a time, on the network without declarations
    # above BOMs (residual rows are raretrace's own rule).
    net = c.net
    bom_parts = np.zeros(len(net.part_ids), bool)
    bom_parts[net.bom_parent] = True
    keep = ~bom_parts[net.comp_part]
    plain = compile_network(
        replace(
            net,
            comp_part=net.comp_part[keep],
            comp_element=net.comp_element[keep],
            comp_fraction=net.comp_fraction[keep],
        )
    )
    x = rollup(plain).content_kg
    init = np.array(x)
    init[np.diff(plain.fwd_indptr) > 0] = 0.0
    lp = plain.level_ptr
    for k in range(1, plain.n_levels):
        lo, hi = int(lp[k]), int(lp[k + 1])
        a, b = int(plain.fwd_indptr[lo]), int(plain.fwd_indptr[hi])
        block = csr_matrix(
            (plain.fwd_data[a:b], plain.fwd_indices[a:b], plain.fwd_indptr[lo : hi + 1] - a),
            shape=(hi - lo, plain.n_nodes),
        )
        init[lo:hi] += block @ init
    assert np.array_equal(x, init)
    assert len(synth.ELEMENTS) == x.shape[1]
