"""The back outline through the whole path: PoseFrame outline → landmark file → back_curve →
a rule on it, with the landmark proxy standing in (``fallback``) where it is not read.

The bundled exercises do not judge faults on the outline (README "The back's curve": on real
clips it did not beat the proxies); this exercise file, the hip hinge with an outline rule in
front of its proxy, is how one would."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
from builders import HINGE_START, Sequence, hinge_rep, standing

from formcheck.analysis import analyze_source
from formcheck.backcurve import STATIONS, back_curve_deg
from formcheck.errors import InputError
from formcheck.exercise import find_exercise, load_exercise
from formcheck.landmarks import Landmark, PoseFrame
from formcheck.pose.replay import LandmarkReplay, LandmarkWriter

OUTLINE_RULE = '''[[faults]]
code = "rounded_back"
signal = "back_curve"
phase = "peak"
stat = "min_change"
below_deg = -5
message = "m"
cue = "c"
proxy = "back outline"

'''
PROXY_RULE = '[[faults]]\ncode = "rounded_back"\nsignal = "hip_flexion"\nphase = "peak"\nstat = "max"\n'


def outline_spec(tmp_path: Path):  # noqa: ANN201
    """The hip hinge with a rounded_back rule on the outline, its proxy as the fallback."""
    text = Path(find_exercise("hip_hinge").path).read_text(encoding="utf-8")
    assert PROXY_RULE in text
    text = text.replace(PROXY_RULE, OUTLINE_RULE + PROXY_RULE + "fallback = true\n")
    path = tmp_path / "spec" / "hip_hinge.toml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return load_exercise(path)

DEEP = standing(trunk=75.0, thigh=25.0, knee=20.0)  # hip-line bend ~100°: the proxy fires on it
SOURCE = {"kind": "video", "path": "synthetic.mp4", "fps": 30.0, "frame_count": 0, "width": 640, "height": 480}


def outline(bulge: float) -> np.ndarray:
    """A back outline 0.3 trunk lengths from the axis, bulging out by ``bulge`` mid-trunk
    (column 0, the back when the left side faces the camera), a straight front."""
    back = 0.3 + bulge * 4 * STATIONS * (1 - STATIONS)
    return np.column_stack([back, np.full_like(STATIONS, 0.3)])


def hinge_poses(rounding: list[float], read: bool = True) -> list[PoseFrame]:
    """Still 1.5 s, then one deep hinge rep per entry of ``rounding``: the back bulges by that
    much (trunk lengths) at the bottom, in proportion to the trunk's tilt. ``read=False``: no
    outline at all (a backend without segmentation)."""
    s = Sequence(HINGE_START).then(1.5)
    bulges = []
    for r in rounding:
        before = len(s.bodies())
        hinge_rep(s, bottom=DEEP)
        bulges += [r] * (len(s.bodies()) - before)
    s.then(1.0)
    bodies = s.bodies()
    bulges = [0.0] * (len(bodies) - len(bulges)) + bulges
    poses = s.poses()
    if not read:
        return poses
    return [dataclasses.replace(p, outline=outline(b * (body.trunk - 1.0) / 74.0))
            for p, body, b in zip(poses, bodies, bulges, strict=True)]


def analyse(poses: list[PoseFrame], tmp_path: Path):  # noqa: ANN201
    path = tmp_path / "l.jsonl.gz"
    with LandmarkWriter(path, SOURCE, "synthetic") as w:
        for p in poses:
            w.write(p)
    return analyze_source(LandmarkReplay(path), None, outline_spec(tmp_path))


def test_a_rounded_rep_is_found_by_the_outline_and_a_clean_deep_one_is_not(tmp_path: Path):
    result = analyse(hinge_poses([0.0, 0.12, 0.0]), tmp_path)
    reps = result.analysis.reps
    assert len(reps) == 3
    assert [[f.code for f in r.faults if f.code == "rounded_back"] for r in reps] == [[], ["rounded_back"], []]
    fault = next(f for f in reps[1].faults if f.code == "rounded_back")
    assert fault.proxy.startswith("back outline") and fault.value < -10
    frames = result.report()["frames"]
    assert all(isinstance(f["angles"]["back_curve_deg"], float) for f in frames if f["detected"])


def test_without_an_outline_the_proxy_stands_in_and_says_so(tmp_path: Path):
    reps = analyse(hinge_poses([0.0, 0.12, 0.0], read=False), tmp_path).analysis.reps
    found = [f for r in reps for f in r.faults if f.code == "rounded_back"]
    # The deep hinge trips the landmark proxy on every rep: why the outline replaces it.
    assert len(found) == 3
    assert all(f.proxy.startswith("shoulder–hip–knee") for f in found)


def test_outline_survives_the_landmark_file_exactly(tmp_path: Path):
    o = outline(0.1)
    o[3, 1] = math.nan  # a station not read
    pose = dataclasses.replace(hinge_poses([0.0])[0], outline=o)
    path = tmp_path / "l.jsonl"
    with LandmarkWriter(path, SOURCE, "synthetic") as w:
        w.write(pose)
        w.write(PoseFrame(33.3, 640, 480))
    back = list(LandmarkReplay(path).poses())
    np.testing.assert_array_equal(back[0].outline, o)
    assert back[1].outline is None
    row = json.loads(path.read_text().splitlines()[1])
    assert row["outline"][3][1] is None


def test_a_version_1_file_without_outlines_loads(tmp_path: Path):
    path = tmp_path / "old.jsonl"
    pose = hinge_poses([0.0], read=False)[0]
    header = {"format": "formcheck-landmarks", "version": 1, "backend": "x", "source": SOURCE}
    row = {"t_ms": 0.0, "w": 640, "h": 480, "image": pose.image.tolist(), "world": None}
    path.write_text(json.dumps(header) + "\n" + json.dumps(row) + "\n")
    (p,) = LandmarkReplay(path).poses()
    assert p.outline is None


def test_a_damaged_outline_is_one_clear_error(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    pose = hinge_poses([0.0], read=False)[0]
    header = {"format": "formcheck-landmarks", "version": 1, "backend": "x", "source": SOURCE}
    row = {"t_ms": 0.0, "w": 640, "h": 480, "image": pose.image.tolist(), "world": None, "outline": [[0.1, 0.2]]}
    path.write_text(json.dumps(header) + "\n" + json.dumps(row) + "\n")
    with pytest.raises(InputError, match="damaged landmark file at line 2.*expected an outline of shape"):
        list(LandmarkReplay(path).poses())


def test_pose_frame_refuses_a_misshapen_outline():
    with pytest.raises(ValueError, match=r"expected an outline of shape \(17, 2\), got \(3,\)"):
        PoseFrame(0.0, 640, 480, None, None, np.zeros(3))


def test_the_outline_side_follows_the_facing():
    o = outline(0.1)
    assert back_curve_deg(o, +1) < -10  # the bulging side is the back
    assert abs(back_curve_deg(o, -1)) < 1e-6  # the straight side is the back


def _with_arm(pose: PoseFrame, arm: str, across: float) -> PoseFrame:
    """``pose`` with the ``arm`` (LEFT / RIGHT) hanging straight down the trunk from its
    shoulder, ``across`` trunk lengths to the right on screen of the mid-hip → mid-shoulder axis."""
    assert pose.image is not None
    image = pose.image.copy()
    wh = np.array([pose.width, pose.height], dtype=float)
    xy = image[:, :2] * wh
    hip = (xy[Landmark.LEFT_HIP] + xy[Landmark.RIGHT_HIP]) / 2
    sh = (xy[Landmark.LEFT_SHOULDER] + xy[Landmark.RIGHT_SHOULDER]) / 2
    length = float(np.hypot(*(sh - hip)))
    side = np.array([length * across, 0.0])
    for part, frac in (("SHOULDER", 1.0), ("ELBOW", 0.5), ("WRIST", -0.05)):
        image[Landmark[f"{arm}_{part}"], :2] = (hip + frac * (sh - hip) + side) / wh
    return dataclasses.replace(pose, image=image)


@pytest.mark.parametrize(("arm", "across", "read"), [
    ("LEFT", 0.32, False),   # the near arm hangs behind the back (a lean-back): its skin is the outline
    ("LEFT", 0.0, True),     # the near arm beside the trunk: the back is in view
    ("RIGHT", 0.32, True),   # the far arm's points are the model's guess behind the trunk: ignored
])
def test_the_near_arm_over_the_back_leaves_it_unread(arm: str, across: float, read: bool):
    from formcheck.kinematics import Kinematics

    poses = [dataclasses.replace(p, outline=outline(0.0)) for p in Sequence(HINGE_START).then(1.0).poses()]
    k = Kinematics()
    for p in poses[:-1]:
        k.update(p)
    a = k.update(_with_arm(poses[-1], arm, across))
    assert a.facing == 1  # the left side faces the camera: the back is column 0, to the right
    assert math.isfinite(a.back_curve) == read
    if read:
        assert abs(a.back_curve) < 1e-6


def test_the_arm_is_taken_from_the_frame_the_outline_was_measured_on():
    # The session hands Kinematics a smoothed copy; the outline belongs to the model's own frame,
    # so its arm decides (a smoothed arm lags a quick lean-back).
    from formcheck.kinematics import Kinematics

    poses = [dataclasses.replace(p, outline=outline(0.0)) for p in Sequence(HINGE_START).then(1.0).poses()]
    k = Kinematics()
    for p in poses[:-1]:
        k.update(p)
    smoothed, raw = _with_arm(poses[-1], "LEFT", 0.0), _with_arm(poses[-1], "LEFT", 0.32)
    assert math.isnan(k.update(smoothed, raw).back_curve)
    assert math.isfinite(k.update(raw, smoothed).back_curve)
