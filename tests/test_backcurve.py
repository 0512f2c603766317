"""The back's curve from synthetic masks: straight bands and bands bent both ways."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.backcurve import ARM_CLEARANCE, N_STATIONS, SPAN, axis_coords, back_curve_deg, trunk_profile

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


def mirrored(mask: np.ndarray, hip: tuple[float, float], sh: tuple[float, float]):  # noqa: ANN201
    """The same picture seen from the body's other side: the mask flipped left-right and the
    axis ends with it (pixel centres: column x becomes W - 1 - x)."""
    return (np.ascontiguousarray(mask[:, ::-1]), (W - 1 - hip[0], hip[1]), (W - 1 - sh[0], sh[1]))


@pytest.mark.parametrize("bulge", [0.1, -0.08, 0.0])
@pytest.mark.parametrize("angle", [0.0, 70.0, -15.0, 100.0])  # standing, hinged, leaning back, lying
def test_the_other_camera_side_reads_the_same_curve(bulge: float, angle: float) -> None:
    # Facing +1 sees the back as column 0; mirrored, the body faces the other way (facing -1)
    # and the same back is column 1: the number must not change, nor its sign.
    mask, hip, sh = band_mask(bulge, angle, front_bulge=-0.05)
    one = back_curve_deg(trunk_profile(mask, hip, sh), +1)
    other = back_curve_deg(trunk_profile(*mirrored(mask, hip, sh)), -1)
    assert math.isfinite(one)
    assert other == pytest.approx(one, abs=0.05)
    if bulge:
        assert math.copysign(1, other) == (-1 if bulge > 0 else 1)
    # Read from the wrong side it would be the belly's curve, which is another number.
    assert back_curve_deg(trunk_profile(*mirrored(mask, hip, sh)), +1) != pytest.approx(one, abs=2.0)


@pytest.mark.parametrize("angle", [90.0, 75.0, 110.0])  # lying flat, bridging, head lower than hips
@pytest.mark.parametrize("seen_from_right", [False, True])
@pytest.mark.parametrize(("bulge", "sign"), [(-0.08, +1), (0.08, -1)])
def test_a_back_facing_the_floor_is_read(angle: float, seen_from_right: bool, bulge: float, sign: int) -> None:
    # Lying face up, hips on the left and head on the right, the left side faces the camera
    # (facing +1) and the back is the trunk's side towards the floor: the lower edge on screen.
    # Arched off the floor it is hollow (+), rounded it is negative; seen from the right side
    # (the picture mirrored, facing -1) the same.
    mask, hip, sh = band_mask(bulge, angle)
    facing = +1
    if seen_from_right:
        mask, hip, sh = mirrored(mask, hip, sh)
        facing = -1
    prof = trunk_profile(mask, hip, sh)
    # The column read as the back is the one whose direction points down on screen (y down).
    down = (sh[0] - hip[0]) * (1 if facing > 0 else -1)
    assert down > 0
    assert np.isfinite(prof[:, 0 if facing > 0 else 1]).all()
    curve = back_curve_deg(prof, facing, 0.1)
    want = math.degrees(math.atan(4 * bulge * (1 - 2 * SPAN[1])) - math.atan(4 * bulge * (1 - 2 * SPAN[0])))
    assert math.copysign(1, curve) == sign
    assert curve == pytest.approx(want, abs=2.0)


def test_axis_coords_put_points_along_and_across_the_trunk() -> None:
    hip, sh = (100.0, 300.0), (100.0, 100.0)  # upright: column 0 is to the right on screen
    pts = np.array([[100.0, 300.0], [100.0, 100.0], [150.0, 200.0], [60.0, 250.0]])
    assert np.allclose(axis_coords(pts, hip, sh), [[0, 0], [1, 0], [0.5, 0.25], [0.25, -0.2]])
    assert np.isnan(axis_coords(pts, hip, hip)).all()


def arm_along(s: float) -> np.ndarray:
    """An arm hanging from the shoulder (t 1) to below the hip (t -0.1), ``s`` trunk lengths
    across the axis (column 0's side positive): shoulder → elbow, elbow → wrist."""
    return np.array([[[1.0, s], [0.45, s]], [[0.45, s], [-0.1, s]]])


def test_an_arm_over_the_back_hides_it_and_one_inside_the_trunk_does_not() -> None:
    mask, hip, sh = band_mask(0.0, 0.0, width=0.2)
    prof = trunk_profile(mask, hip, sh)
    # The arm hanging behind the back (a lean-back): the edge found is its skin, not the back.
    assert math.isnan(back_curve_deg(prof, +1, 0.1, arm_along(0.2 + ARM_CLEARANCE / 2)))
    assert math.isnan(back_curve_deg(prof, +1, 0.1, arm_along(0.2 - ARM_CLEARANCE / 2)))
    # Hanging beside the trunk, the arm lies over its middle: the back's edge is clear of it.
    assert abs(back_curve_deg(prof, +1, 0.1, arm_along(0.0))) < 1.0
    # On the belly's side it hides nothing of the back either.
    assert abs(back_curve_deg(prof, +1, 0.1, arm_along(-0.2))) < 1.0
    # An arm not seen (NaN points) is no arm.
    assert abs(back_curve_deg(prof, +1, 0.1, arm_along(math.nan))) < 1.0
