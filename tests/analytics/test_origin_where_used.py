"""Origin shares and where-used against brute-force path enumeration (random DAGs with
traders, partial supply and made-on-site needs)."""

from __future__ import annotations

import numpy as np
import pytest
import tracing_brute as brute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tracing_networks import compiled, magnet_chain, random_networks

from raretrace.analytics.matrices import CompiledNetwork
from raretrace.analytics.origin import group_origin, origin
from raretrace.analytics.rollup import rollup
from raretrace.analytics.where_used import Direction, Tracer
from raretrace.domain.network import Network, Production
from raretrace.domain.parts import Part, PartKind

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _key(c: CompiledNetwork, i: int) -> tuple[str, str]:
    return str(c.net.site_ids[c.node_site[i]]), str(c.net.part_ids[c.node_part[i]])


@SETTINGS
@given(random_networks())
def test_origin_shares_sum_to_one_per_node_and_element(net: Network) -> None:
    c = compiled(net)
    r = rollup(c)
    tracer = Tracer(c)
    for node in range(c.n_nodes):
        o = origin(c, tracer, r, node)
        by_country = group_origin(o, c.node_country(), len(c.net.countries))
        total = r.content_kg[node]
        assert np.all(o.entry_kg >= 0)
        np.testing.assert_allclose(o.entry_kg.sum(axis=0), total, rtol=1e-9, atol=1e-15)
        np.testing.assert_allclose(by_country.sum(axis=0), total, rtol=1e-9, atol=1e-15)
        # Shares are only meaningful for normal floats: hypothesis draws fractions like
        # 1e-322, where a subnormal kg has one significant digit (a "share" of 2.0).
        has = total > 1e-250
        shares = by_country[:, has] / total[has]
        np.testing.assert_allclose(shares.sum(axis=0), 1.0, rtol=1e-9)


@SETTINGS
@given(random_networks())
def test_origin_by_entry_point_matches_path_enumeration(net: Network) -> None:
    c = compiled(net)
    r = rollup(c)
    tracer = Tracer(c)
    for node in range(c.n_nodes):
        o = origin(c, tracer, r, node)
        got = {
            _key(c, int(m)): {e: float(kg[j]) for j, e in enumerate(r.elements) if kg[j] > 0}
            for m, kg in zip(o.entry_nodes, o.entry_kg, strict=True)
        }
        want = brute.origin(net, *_key(c, node))
        for entry in set(got) | set(want):
            g, w = got.get(entry, {}), want.get(entry, {})
            for e in set(g) | {e for e, v in w.items() if v > 0}:
                assert g.get(e, 0.0) == pytest.approx(w.get(e, 0.0), rel=1e-9, abs=1e-15)


@SETTINGS
@given(random_networks(), st.data())
def test_where_used_both_directions_match_path_enumeration(
    net: Network, data: st.DataObject
) -> None:
    c = compiled(net)
    tracer = Tracer(c)
    start = data.draw(st.integers(0, c.n_nodes - 1))
    for direction in Direction:
        reach = tracer.reach(np.array([start]), direction)
        got = {
            _key(c, int(n)): (float(q), int(t))
            for n, q, t in zip(reach.nodes, reach.quantity, reach.tier, strict=True)
        }
        want = brute.reach(net, _key(c, start), up=direction is Direction.UP)
        assert set(got) == set(want)
        for node, (qty, tier) in want.items():
            assert got[node][0] == pytest.approx(qty, rel=1e-9)
            assert got[node][1] == tier
        # propagation order: every node after the nodes it is reached through
        pos = {int(n): i for i, n in enumerate(reach.nodes)}
        indptr = c.rev_indptr if direction is Direction.DOWN else c.fwd_indptr
        indices = c.rev_indices if direction is Direction.DOWN else c.fwd_indices
        for v, i in pos.items():
            for u in indices[indptr[v] : indptr[v + 1]].tolist():
                assert pos[u] > i


def test_repeated_and_overlapping_reach_queries_reuse_scratch_arrays() -> None:
    c = compiled(magnet_chain())
    tracer = Tracer(c)
    nodes = np.arange(c.n_nodes)
    first = [tracer.reach(np.array([n]), Direction.DOWN) for n in nodes]
    again = [tracer.reach(np.array([n]), Direction.DOWN) for n in nodes]
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a.nodes, b.nodes) and np.array_equal(a.quantity, b.quantity)
    both = tracer.reach(np.array([0, 0, 1]), Direction.DOWN)
    assert set(both.nodes.tolist()) == set(first[0].nodes.tolist()) | set(first[1].nodes.tolist())


def test_sparse_reach_in_a_wide_network_matches_path_enumeration() -> None:
    """Few nodes reached over a wide index range: the reached nodes are sorted, not
    found by scanning the marks."""
    net = magnet_chain()
    for i in range(400):
        net.parts.append(Part(f"X{i:03}", "filler", PartKind.RAW_MATERIAL, mass_kg=1.0))
        net.production.append(Production("S-MINE", f"X{i:03}"))
    c = compiled(net)
    tracer = Tracer(c)
    for direction in Direction:
        for part in ("OXIDE", "CAR"):
            (start,) = np.flatnonzero(c.net.part_ids[c.node_part] == part)
            reach = tracer.reach(np.array([start]), direction)
            want = brute.reach(net, _key(c, int(start)), up=direction is Direction.UP)
            got = {_key(c, int(n)): (float(q), int(t)) for n, q, t in
                   zip(reach.nodes, reach.quantity, reach.tier, strict=True)}  # fmt: skip
            assert got.keys() == want.keys()
            for node, (qty, tier) in want.items():
                assert got[node] == (pytest.approx(qty, rel=1e-12), tier)


def test_declared_content_an_incomplete_bom_does_not_explain_enters_at_that_node() -> None:
    """A motor maker declares Tb its BOM does not show (a part we have no line for):
    the Tb is kept at the motor, attributed to the motor maker's site, and counted
    without a known value; Dy it declares below what the BOM explains is not cut."""
    from raretrace.analytics.origin import controlled_value
    from raretrace.domain.network import CompositionLine

    net = magnet_chain()
    net.composition += [
        CompositionLine("MOTOR", "Tb", 0.001),  # 40 kg x 0.001 = 0.04 kg, no Tb below
        CompositionLine("MOTOR", "Dy", 1e-6),  # far less than the magnets bring
        CompositionLine("CAR", "Fe", 0.5),  # a declaration of the whole car
    ]
    c = compiled(net)
    r = rollup(c)
    el = {e: i for i, e in enumerate(r.elements)}
    node = {_key(c, i): i for i in range(c.n_nodes)}
    motor, car = node[("S-TIER1", "MOTOR")], node[("S-OEM", "CAR")]
    assert r.content_kg[motor, el["Tb"]] == pytest.approx(0.04, rel=1e-12)
    assert r.content_kg[motor, el["Dy"]] == pytest.approx(4 * 0.03 * 0.87, rel=1e-12)
    assert r.content_kg[car, el["Tb"]] == pytest.approx(0.08, rel=1e-12)
    assert r.content_kg[car, el["Fe"]] == pytest.approx(1800 * 0.5, rel=1e-12)
    # The declaration covers the car, so its 100 bolts of unknown content are not open.
    assert r.unknown_units[car] == 0.0
    res = r.residual()
    assert res[motor, el["Tb"]] == pytest.approx(0.04, rel=1e-12)
    assert res[motor, el["Dy"]] == 0.0
    o = origin(c, Tracer(c), r, car)
    at = {_key(c, int(n)): kg for n, kg in zip(o.entry_nodes, o.entry_kg, strict=True)}
    assert at[("S-TIER1", "MOTOR")][el["Tb"]] == pytest.approx(0.08, rel=1e-12)
    assert at[("S-TIER1", "MOTOR")][el["Dy"]] == 0.0
    np.testing.assert_allclose(o.entry_kg.sum(axis=0), r.content_kg[car], rtol=1e-12)
    cv = controlled_value(c, r, ("Dy", "Tb"), "CN")
    assert cv.unpriced_units[motor] == 1.0  # the Tb came in with an input we cannot price


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal bit for bit, NaN where NaN."""
    return bool(np.array_equal(a, b, equal_nan=True))


@SETTINGS
@given(random_networks(), st.data())
def test_controlled_value_of_a_cone_is_the_whole_sweep_bit_for_bit(
    net: Network, data: st.DataObject
) -> None:
    from raretrace.analytics.origin import cone, controlled_value

    c = compiled(net)
    r = rollup(c)
    tracer = Tracer(c)
    controlled = tuple(data.draw(st.sets(st.sampled_from(["Dy", "Tb", "Nd", "Sm"]))))
    full = controlled_value(c, r, controlled, "CN")
    picked = data.draw(st.sets(st.integers(0, c.n_nodes - 1), min_size=1, max_size=3))
    starts = np.array(sorted(picked), np.int64)
    nodes = cone(tracer, starts)
    assert set(starts.tolist()) <= set(nodes.tolist())
    assert np.all(np.diff(nodes) > 0)
    part = controlled_value(c, r, controlled, "CN", nodes=nodes)
    for field in ("value", "origin_value", "share", "origin_share", "unpriced_units"):
        whole, sub = getattr(full, field), getattr(part, field)
        assert len(sub) == len(nodes)
        for n in starts.tolist():
            assert _same(whole[n : n + 1], sub[part.row(n) : part.row(n) + 1]), (field, n)


@SETTINGS
@given(random_networks(), st.data())
def test_small_reach_without_numba_is_the_kernel_bit_for_bit(
    net: Network, data: st.DataObject
) -> None:
    c = compiled(net)
    tracer = Tracer(c, small=0)
    starts = np.array(
        data.draw(st.lists(st.integers(0, c.n_nodes - 1), min_size=1, max_size=3)), np.int64
    )
    for direction in Direction:
        for stop in (None, c.is_entry()):
            a = tracer.reach(starts, direction, stop)
            b = tracer.reach_in_python(starts, direction, stop, c.n_nodes)
            assert b is not None
            assert a.nodes.tolist() == b.nodes.tolist()
            assert a.tier.tolist() == b.tier.tolist()
            assert _same(a.quantity, b.quantity)
            if len(a.nodes) > 1:
                assert tracer.reach_in_python(starts, direction, stop, len(a.nodes) - 1) is None


def test_a_tracer_answers_in_python_until_its_budget_is_spent() -> None:
    from raretrace.analytics import kernels

    c = compiled(magnet_chain())
    leaf = np.array([int(np.flatnonzero(c.is_leaf())[0])])
    n = len(Tracer(c, small=0).reach(leaf, Direction.DOWN).nodes)
    assert n > 1
    tracer = Tracer(c, small=n + 1)
    loaded = kernels.is_loaded("reach")
    first = tracer.reach(leaf, Direction.DOWN)
    if loaded:  # another test loaded the kernel in this process: it answers, always
        assert tracer.small == n + 1
    else:
        assert tracer.small == 1  # answered in Python, budget spent by n
        tracer.reach(leaf, Direction.DOWN)  # more than the budget left: the kernel
        assert tracer.small == 0 and kernels.is_loaded("reach")
    assert first.nodes.tolist() == tracer.reach(leaf, Direction.DOWN).nodes.tolist()
