"""Angles and the camera's azimuth from 3D world landmarks, on bodies built with known angles."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.landmarks import N_LANDMARKS, Landmark
from formcheck.world import circular_median_deg, off_side_deg, view_class, world_angles


def body(hip_deg: float = 0.0, knee_deg: float = 0.0, trunk_deg: float = 0.0, abduction_deg: float = 0.0,
         azimuth_deg: float = 90.0) -> np.ndarray:
    """World landmarks (MediaPipe's frame: x right, y down, z away) of a standing person whose
    left leg has the given hip flexion, knee flexion and abduction and whose trunk leans
    forward by ``trunk_deg``, seen by a camera at ``azimuth_deg``."""
    # Body frame: f forward, u up, r to the person's right.
    f, u, r = np.array([1.0, 0, 0]), np.array([0, 1.0, 0]), np.array([0, 0, 1.0])
    pts = np.zeros((N_LANDMARKS, 3))
    t = math.radians(trunk_deg)
    trunk = 0.5 * (math.cos(t) * u + math.sin(t) * f)
    for side, lat in (("LEFT", -1.0), ("RIGHT", 1.0)):
        hip = 0.1 * lat * r
        pts[Landmark[f"{side}_HIP"]] = hip
        pts[Landmark[f"{side}_SHOULDER"]] = hip + trunk
        h = math.radians(hip_deg if side == "LEFT" else 0.0)
        a = math.radians(abduction_deg if side == "LEFT" else 0.0)
        # Abduction takes the thigh out of the sagittal plane, away from the midline (lat · r).
        thigh_dir = math.cos(a) * (-math.cos(h) * u + math.sin(h) * f) + math.sin(a) * lat * r
        knee = hip + 0.45 * thigh_dir
        k = math.radians(knee_deg if side == "LEFT" else 0.0)
        # The shin bends back from the thigh's line by the knee flexion, in the sagittal plane.
        shin_dir = -math.cos(h - k) * u + math.sin(h - k) * f
        pts[Landmark[f"{side}_KNEE"]] = knee
        pts[Landmark[f"{side}_ANKLE"]] = knee + 0.45 * shin_dir
    # Camera frame: the camera at azimuth A looks at the person from direction c (body frame):
    # 0 in front (c = f), 90 at the left (c = -r).
    az = math.radians(azimuth_deg)
    towards_camera = math.cos(az) * f - math.sin(az) * r
    z_cam = -towards_camera  # z points away from the camera
    y_cam = -u  # y points down
    x_cam = np.cross(y_cam, z_cam)  # right-handed: x = y × z
    return pts @ np.stack([x_cam, y_cam, z_cam]).T


@pytest.mark.parametrize("azimuth", [90.0, 45.0, 0.0, 150.0, 270.0, 315.0])
@pytest.mark.parametrize("hip", [0.0, 40.0, 80.0])
def test_hip_and_knee_flexion_do_not_depend_on_the_view(azimuth, hip):
    w = world_angles(body(hip_deg=hip, knee_deg=20.0, azimuth_deg=azimuth))
    assert w.hip_flexion[0] == pytest.approx(hip, abs=1e-6)
    assert w.knee_flexion[0] == pytest.approx(20.0, abs=1e-6)
    assert w.hip_flexion[1] == pytest.approx(0.0, abs=1e-6)


def test_a_leg_behind_the_trunk_line_reads_negative():
    assert world_angles(body(hip_deg=-20.0)).hip_flexion[0] == pytest.approx(-20.0, abs=1e-6)


def test_trunk_lean_is_inclination_and_forward_pitch():
    w = world_angles(body(trunk_deg=30.0, azimuth_deg=60.0))
    assert w.trunk_inclination == pytest.approx(30.0, abs=1e-6)
    assert w.trunk_pitch == pytest.approx(30.0, abs=1e-6)
    assert world_angles(body(trunk_deg=-10.0)).trunk_pitch == pytest.approx(-10.0, abs=1e-6)


def test_abduction_is_positive_away_from_the_midline():
    w = world_angles(body(abduction_deg=15.0, azimuth_deg=30.0))
    assert w.hip_abduction[0] == pytest.approx(15.0, abs=1e-6)
    assert w.hip_abduction[1] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("azimuth", [0.0, 30.0, 90.0, 135.0, 180.0, 225.0, 270.0, 330.0])
def test_the_camera_azimuth_is_found(azimuth):
    found = world_angles(body(hip_deg=30.0, azimuth_deg=azimuth)).azimuth_deg
    assert (found - azimuth + 180) % 360 - 180 == pytest.approx(0.0, abs=1e-6)


def test_view_classes_and_off_side_angles():
    assert off_side_deg(90) == 0 and off_side_deg(270) == 0
    assert off_side_deg(45) == 45 and off_side_deg(315) == 45  # towards the front
    assert off_side_deg(135) == -45 and off_side_deg(225) == -45  # towards the back
    assert [view_class(a) for a in (0, 45, 80, 135, 180)] == ["front", "front-oblique", "side", "rear-oblique", "back"]
    assert view_class(math.nan) is None


def test_no_world_landmarks_give_nan():
    w = world_angles(None)
    assert math.isnan(w.azimuth_deg) and math.isnan(w.hip_flexion[0])


def test_circular_median_wraps_round_zero():
    assert circular_median_deg([350.0, 355.0, 5.0, 10.0, 0.0]) == pytest.approx(0.0, abs=1e-6)
    assert math.isnan(circular_median_deg([]))
