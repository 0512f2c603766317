"""Landmarks → angles on stick figures with known angles, seen from either side."""

import math

import numpy as np
import pytest
from builders import BRIDGE_ARCHED, BRIDGE_START, BRIDGE_TOP, HINGE_BOTTOM, HINGE_START, Body, kickback_peak, to_pose

from formcheck.kinematics import Kinematics
from formcheck.landmarks import Landmark, PoseFrame, Side

CASES = [
    # body, hip-line bend, knee flexion, trunk inclination, trunk pitch
    (BRIDGE_START, 40.0, 106.0, 95.0, -95.0),
    (BRIDGE_TOP, 0.0, 90.0, 113.0, -113.0),
    (BRIDGE_ARCHED, -15.0, 81.0, 117.0, -117.0),  # hips above the shoulder–knee line: negative
    (HINGE_START, 1.0, 5.0, 1.0, 1.0),
    (HINGE_BOTTOM, 80.0, 20.0, 58.0, 58.0),
    (Body(trunk=-12.0, thigh=-4.0, knee=3.0), -16.0, 3.0, 12.0, -12.0),  # leaning back
]


def _settled(k: Kinematics, pose: PoseFrame, n: int = 3):
    for _ in range(n):
        a = k.update(pose)
    return a


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize(("body", "hip", "knee", "incl", "pitch"), CASES)
def test_angles_match_the_posed_figure_from_either_side(facing, body, hip, knee, incl, pitch):
    a = _settled(Kinematics(), to_pose(body, 0.0, facing=facing))
    assert a.facing == facing
    for k in (0, 1):
        assert a.hip_flexion[k] == pytest.approx(hip, abs=1e-6)
        assert a.knee_flexion[k] == pytest.approx(knee, abs=1e-6)
    assert a.trunk_inclination == pytest.approx(incl, abs=1e-6)
    assert a.trunk_pitch == pytest.approx(pitch, abs=1e-6)


def test_legs_are_measured_separately():
    a = _settled(Kinematics(), to_pose(kickback_peak(Side.LEFT), 0.0))
    assert a.hip_flexion[0] == pytest.approx(-20.0)
    assert a.hip_flexion[1] == pytest.approx(7.0)
    assert a.value("knee_flexion", Side.LEFT) == pytest.approx(3.0)
    assert a.value("thigh_to_vertical", Side.LEFT) == pytest.approx(-30.0)


def test_unseen_landmark_gives_nan_not_a_guess():
    pose = to_pose(HINGE_BOTTOM, 0.0, hidden=[Landmark.LEFT_KNEE])
    a = _settled(Kinematics(), pose)
    assert math.isnan(a.hip_flexion[0]) and math.isnan(a.knee_flexion[0])
    assert a.hip_flexion[1] == pytest.approx(80.0)


def test_landmark_outside_the_picture_is_unseen():
    pose = to_pose(HINGE_BOTTOM, 0.0)
    image = pose.image.copy()
    image[Landmark.LEFT_ANKLE, :2] = [1.3, 1.4]
    a = _settled(Kinematics(), PoseFrame(0.0, pose.width, pose.height, image))
    assert math.isnan(a.knee_flexion[0])


def test_no_person_gives_not_detected():
    a = Kinematics().update(PoseFrame(0.0, 640, 480))
    assert not a.detected and math.isnan(a.hip_flexion[0])


def test_side_facing_the_camera_is_chosen_by_visibility_and_can_be_forced():
    pose = to_pose(HINGE_START, 0.0)
    image = pose.image.copy()
    image[[Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP, Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE], 3] = 0.3
    pose = PoseFrame(0.0, 640, 480, image)
    assert _settled(Kinematics(), pose).side is Side.RIGHT
    assert _settled(Kinematics(side=Side.LEFT), pose).side is Side.LEFT


def test_front_view_has_a_large_width_ratio():
    side_on = _settled(Kinematics(), to_pose(HINGE_START, 0.0))
    front_on = _settled(Kinematics(), to_pose(HINGE_START, 0.0, width_px=80.0))
    assert side_on.view_ratio < 0.1
    assert front_on.view_ratio > 0.6


def test_one_odd_frame_cannot_flip_the_facing_sign():
    k = Kinematics()
    for i in range(30):
        k.update(to_pose(HINGE_BOTTOM, i * 33.0, facing=1))
    a = k.update(to_pose(HINGE_BOTTOM, 1000.0, facing=-1))  # mirrored for one frame
    assert a.facing == 1


def test_nan_and_inf_coordinates_do_not_raise():
    pose = to_pose(HINGE_START, 0.0)
    image = pose.image.copy()
    image[Landmark.LEFT_HIP, 0] = np.nan
    image[Landmark.RIGHT_HIP, 1] = np.inf
    a = Kinematics().update(PoseFrame(0.0, 640, 480, image))
    assert math.isnan(a.hip_flexion[0]) and math.isnan(a.hip_flexion[1])
