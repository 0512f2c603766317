"""The back's curve from synthetic masks: straight bands and bands bent both ways."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.backcurve import N_STATIONS, SPAN, back_curve_deg, trunk_profile

H, W = 480, 640
TRUNK_PX = 200.0


def band_mask(bulge: float, angle_deg: float = 0.0, width: float = 0.4,
              front_bulge: float = 0.0) -> tuple[np.ndarray, tuple[float, float], tuple[float, float]]:
    """A trunk-like band (a soft-edged mask) from hip to shoulder, ``TRUNK_PX`` long, tilted ``angle_deg`` from
    vertical (clockwise on screen), ``width`` trunk lengths wide on each side of the axis.

    The edge on the +90° side (``trunk_profile``'s column 0, the back for ``facing`` +1) lies at
    ``width + bulge·4·t·(1 - t)`` trunk lengths from the axis (t: 0 at the hip, 1 at the
    shoulder): ``bulge`` > 0 bulges out (rounded), < 0 dips in (hollow). The other edge bulges by
    ``front_bulge``. Returns the mask and the hip and shoulder points in pixels.
    """
    a = math.radians(angle_deg)
    ux, uy = math.sin(a), -math.cos(a)       # hip → shoulder, y down
    nx, ny = -uy, ux                         # column 0's side
    hip = (W / 2 - ux * TRUNK_PX / 2, H / 2 - uy * TRUNK_PX / 2)
    yy, xx = np.mgrid[0:H, 0:W].astype(float)
    rx, ry = xx - hip[0], yy - hip[1]
    t = (rx * ux + ry * uy) / TRUNK_PX
    s = (rx * nx + ry * ny) / TRUNK_PX
    shape = 4 * t * (1 - t)
    back = width + bulge * shape
    front = width + front_bulge * shape
    # Soft edges, one pixel wide, as a segmentation model gives.
    inner = np.minimum(back - s, s + front) * TRUNK_PX
    ends = np.minimum(t + 0.1, 1.1 - t) * TRUNK_PX
    mask = np.clip(0.5 + np.minimum(inner, ends), 0.0, 1.0)
    shoulder = (hip[0] + ux * TRUNK_PX, hip[1] + uy * TRUNK_PX)
    return mask.astype(np.float32), hip, shoulder


@pytest.mark.parametrize("angle", [0.0, 35.0, 90.0, -100.0])
def test_straight_band_reads_zero(angle: float) -> None:
    mask, hip, sh = band_mask(0.0, angle)
    prof = trunk_profile(mask, hip, sh)
    assert prof.shape == (N_STATIONS, 2)
    assert np.allclose(prof[:, 0], 0.4, atol=0.01)
    assert abs(back_curve_deg(prof, +1)) < 1.0
    assert abs(back_curve_deg(prof, -1)) < 1.0


@pytest.mark.parametrize("bulge, sign", [(0.08, -1), (0.15, -1), (-0.06, +1), (-0.12, +1)])
@pytest.mark.parametrize("angle", [0.0, 60.0, -95.0])
def test_bent_band_has_the_sign_and_size_of_its_bend(bulge: float, sign: int, angle: float) -> None:
    mask, hip, sh = band_mask(bulge, angle)
    curve = back_curve_deg(trunk_profile(mask, hip, sh), +1)
    want = math.degrees(math.atan(4 * bulge * (1 - 2 * SPAN[1])) - math.atan(4 * bulge * (1 - 2 * SPAN[0])))
    assert math.copysign(1, curve) == sign
    assert curve == pytest.approx(want, abs=2.0)


def test_the_belly_side_is_not_read_as_the_back() -> None:
    # A straight back with a big belly: facing +1 reads the straight side, facing -1 the belly.
    mask, hip, sh = band_mask(0.0, 0.0, front_bulge=0.2)
    prof = trunk_profile(mask, hip, sh)
    assert abs(back_curve_deg(prof, +1)) < 1.0
    assert back_curve_deg(prof, -1) < -20


def test_rounding_reads_below_hollowing() -> None:
    curves = [back_curve_deg(trunk_profile(*band_mask(b, 20.0)), +1) for b in (-0.1, -0.05, 0, 0.05, 0.1)]
    assert all(a > b for a, b in zip(curves, curves[1:], strict=False))


@pytest.mark.parametrize("facing, view_ratio", [(0, 0.1), (1, 0.5), (-1, math.nan)])
def test_no_curve_without_facing_or_side_view(facing: int, view_ratio: float) -> None:
    mask, hip, sh = band_mask(0.1)
    assert math.isnan(back_curve_deg(trunk_profile(mask, hip, sh), facing, view_ratio))


def test_no_curve_from_an_empty_mask_or_a_tiny_trunk() -> None:
    empty = np.zeros((H, W), np.float32)
    assert np.isnan(trunk_profile(empty, (320, 300), (320, 100))).all()
    assert math.isnan(back_curve_deg(trunk_profile(empty, (320, 300), (320, 100)), 1))
    mask, _, _ = band_mask(0.0)
    assert np.isnan(trunk_profile(mask, (320, 240), (320, 230))).all()
    assert math.isnan(back_curve_deg(None, 1))


def test_edge_outside_the_picture_is_not_measured() -> None:
    # The band's back edge is beyond the right border: no edge, no curve.
    mask = np.zeros((H, W), np.float32)
    mask[:, 500:] = 1
    prof = trunk_profile(mask, (620, 400), (620, 100))
    assert np.isnan(prof[:, 0]).all()
    assert np.isfinite(prof[:, 1]).all()


def test_bad_mask_is_refused() -> None:
    with pytest.raises(ValueError, match="expected a 2D mask"):
        trunk_profile(np.zeros((4, 4, 3)), (1, 1), (1, 3))


@pytest.mark.parametrize(("facing", "trunk_deg", "read"), [
    (1, 0.0, True),      # standing
    (1, -60.0, True),    # hinged, facing left: the back faces up
    (-1, 60.0, True),    # hinged, facing right
    (1, 100.0, False),   # lying on the back (a bridge, feet on the left): the back faces the floor
    (-1, -100.0, False),
    (1, 25.0, True),     # leaning back a little
])
def test_a_back_facing_the_floor_is_not_read(facing: int, trunk_deg: float, read: bool) -> None:
    mask, hip, sh = band_mask(0.0)
    curve = back_curve_deg(trunk_profile(mask, hip, sh), facing, 0.1, trunk_deg)
    assert math.isfinite(curve) == read
