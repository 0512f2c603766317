"""Plane angles: signs, hyperextension past a straight line, NaN on degenerate input."""

import math

import numpy as np
import pytest

from formcheck.geometry import angle_to_vertical_deg, bend_deg, interior_angle_deg, signed_angle_deg


@pytest.mark.parametrize(
    ("u", "v", "expected"),
    [
        ((1, 0), (1, 0), 0.0),
        ((1, 0), (0, 1), 90.0),  # image y points down: turning right-to-down is clockwise, +
        ((1, 0), (0, -1), -90.0),
        ((1, 0), (-1, 0), 180.0),
        ((0, 1), (1, 1), -45.0),
    ],
)
def test_signed_angle_table(u, v, expected):
    assert signed_angle_deg(np.array(u), np.array(v)) == pytest.approx(expected)


def test_zero_length_vector_gives_nan():
    assert math.isnan(float(signed_angle_deg(np.array([0.0, 0.0]), np.array([1.0, 0.0]))))


def test_nan_input_gives_nan():
    assert math.isnan(float(signed_angle_deg(np.array([np.nan, 0.0]), np.array([1.0, 0.0]))))


@pytest.mark.parametrize(
    ("b", "expected_sign"),
    [((5.0, 0.0), 1), ((5.0, -3.0), -1), ((5.0, -2.0), 0)],
)
def test_bend_sign_flips_when_the_middle_point_passes_the_line(b, expected_sign):
    # a=(10,0), c=(0,-4): b on the line a-c bends 0; above it (smaller y) bends the other way.
    a, c = np.array([10.0, 0.0]), np.array([0.0, -4.0])
    bend = float(bend_deg(a, np.array(b), c))
    if expected_sign == 0:
        assert bend == pytest.approx(0.0, abs=1e-9)
    else:
        assert np.sign(bend) == expected_sign


def test_interior_angle_is_unsigned():
    a, b = np.array([1.0, 0.0]), np.array([0.0, 0.0])
    assert interior_angle_deg(a, b, np.array([0.0, 1.0])) == pytest.approx(90.0)
    assert interior_angle_deg(a, b, np.array([0.0, -1.0])) == pytest.approx(90.0)
    assert interior_angle_deg(a, b, np.array([-1.0, 0.0])) == pytest.approx(180.0)


def test_vectorised_over_leading_dimensions():
    u = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    v = np.array([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(signed_angle_deg(u, v), [90.0, 0.0, -45.0])


def test_angle_to_vertical():
    assert angle_to_vertical_deg(np.array([0.0, -1.0])) == pytest.approx(0.0)
    assert abs(float(angle_to_vertical_deg(np.array([1.0, 0.0])))) == pytest.approx(90.0)
    assert angle_to_vertical_deg(np.array([0.0, 1.0]), down=True) == pytest.approx(0.0)
