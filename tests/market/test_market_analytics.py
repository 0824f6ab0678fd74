"""The market arithmetic on cases small enough to do by hand."""

from __future__ import annotations

import numpy as np
import pytest

from raretrace.analytics import market as m
from raretrace.domain.market import FloorStep, PassThrough, PathStep, ScaleStep, ShockStep


def test_oxide_factor_is_the_formula_mass_ratio() -> None:
    # Nd2O3: (2 x 144.24 + 3 x 15.999) / (2 x 144.24); Tb4O7 and CeO2 have their own.
    assert m.oxide_factor("Nd") == pytest.approx((2 * 144.24 + 3 * 15.999) / (2 * 144.24))
    assert m.oxide_factor("Tb") == pytest.approx((4 * 158.93 + 7 * 15.999) / (4 * 158.93))
    assert m.oxide_factor("Ce") == pytest.approx((140.12 + 2 * 15.999) / 140.12)


def test_price_path_holds_last_year_and_applies_steps_in_order() -> None:
    series = {"Nd": {2025: 100.0, 2026: 90.0}, "Dy": {2025: 400.0}}
    years = (2025, 2026, 2027)
    steps = (
        ScaleStep({"Nd": 2.0}, 2027, 2027),
        FloorStep(("Nd",), 110.0, 2026, 2026),
        ShockStep(("Dy",), 3.0, 73, 2026),  # 73 of 365 days at x3: +40 % on the year
        PathStep({"Dy": {2027: 1000.0}}),
    )
    p = m.price_path(series, ("Nd", "Dy", "Tb"), years, steps)
    assert p.base[:, 0].tolist() == [100.0, 90.0, 90.0]  # 2027 holds 2026
    assert p.held[:, 0].tolist() == [False, False, True]
    assert p.scenario[:, 0].tolist() == [100.0, 110.0, 180.0]
    assert p.scenario[:, 1].tolist() == pytest.approx([400.0, 400.0 * 1.4, 1000.0])
    assert np.isnan(p.scenario[:, 2]).all()  # no Tb price: unknown, not zero


def test_shock_spanning_new_year_is_split_by_days() -> None:
    # 10 days from day 360 of 2026 (365 days): 6 days in 2026, 4 in 2027.
    p = m.price_path(
        {"Dy": {2026: 100.0}}, ("Dy",), (2026, 2027), (ShockStep(("Dy",), 2.0, 10, 2026, 360),)
    )
    assert p.scenario[:, 0].tolist() == pytest.approx([100 * (1 + 6 / 365), 100 * (1 + 4 / 365)])


def test_unit_cost_is_rollup_times_price_matrix() -> None:
    content = np.array([[0.6, 0.1], [0.0, 1.0]])  # kg Nd, Dy per unit of two nodes
    prices = np.array([[100.0, 400.0], [150.0, 400.0]])  # two years
    factor = np.ones(2)
    mult = PassThrough(alloy=0.0, magnet=0.1).multiplier("metal")
    assert mult == pytest.approx(1.1)
    cost = m.unit_cost(content, prices, factor, mult)
    np.testing.assert_allclose(cost, [[110.0, 143.0], [440.0, 440.0]])
    by_el = m.cost_by_element(content[0], prices, factor, mult)
    np.testing.assert_allclose(by_el, [[66.0, 44.0], [99.0, 44.0]])


def test_pass_through_multiplies_the_stages_after_the_priced_form() -> None:
    pt = PassThrough(metal=0.2, alloy=0.1, magnet=0.5)
    assert pt.multiplier("oxide") == pytest.approx(1.2 * 1.1 * 1.5)
    assert pt.multiplier("metal") == pytest.approx(1.1 * 1.5)
    assert pt.multiplier("magnet") == 1.0


def test_capacity_ramps_linearly_and_first_year() -> None:
    cap = m.capacity_by_year(
        np.array([3.0, 1.0]), np.array([2027.0, np.nan]), np.array([1.0, 0.0]), (2026, 2027, 2028)
    )
    assert cap.tolist() == [[0.0, 1.5, 3.0], [1.0, 1.0, 1.0]]
    years = (2026, 2027, 2028)
    assert m.first_year(cap.sum(axis=0), np.full(3, 2.0), years) == 2027
    assert m.first_year(cap[0], np.full(3, 2.0), years) == 2028
    assert m.first_year(cap[1], np.full(3, 2.0), years) is None
