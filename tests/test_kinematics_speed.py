"""The per-frame kinematics works on floats for speed; it must equal the array formulas exactly.

``reference_angles`` is the array version (geometry.py over (2, 6, 2) point arrays) that the
fast path replaced; both run on seeded random poses, with parts hidden, out of the picture
and missing, and must agree bit for bit.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.geometry import angle_to_vertical_deg, bend_deg
from formcheck.kinematics import _IDX, _PARTS, BODY_PARTS_NEEDED, Kinematics, KinematicsConfig
from formcheck.landmarks import N_LANDMARKS, PoseFrame, Side
from formcheck.reps import median as _median

_SH, _HIP, _KNEE, _ANK, _HEEL, _TOE = range(6)


class ReferenceKinematics:
    """The array formulas, state kept the same way (facing memory, side hysteresis)."""

    def __init__(self, config: KinematicsConfig) -> None:
        self.config = config
        self.evidence = 0.0
        self.frames = 0
        self.side_vis = np.array([0.0, 0.0])
        self.side: Side | None = None

    def facing(self) -> int:
        e = self.evidence
        return 0 if abs(e) < 0.05 else (1 if e > 0 else -1)

    def update(self, pose: PoseFrame) -> dict[str, object]:
        cfg = self.config
        px = pose.pixels()
        xy, vis = pose.image[:, :2], pose.image[:, 3]
        m = cfg.edge_margin
        inside = np.all((xy >= -m) & (xy <= 1.0 + m), axis=1)
        seen = (vis >= cfg.min_visibility) & inside & np.all(np.isfinite(px), axis=1)
        pts, ok = px[_IDX], seen[_IDX]
        ps = np.where(ok[..., None], pts, np.nan)
        from formcheck.geometry import signed_angle_deg

        turn = signed_angle_deg(ps[:, _ANK] - ps[:, _KNEE], ps[:, _TOE] - ps[:, _HEEL])
        votes = np.sin(np.radians(turn[np.isfinite(turn)]))
        if votes.size:
            self.frames += 1
            a = 1.0 / min(self.frames, cfg.facing_memory_frames)
            self.evidence += a * (float(votes.mean()) - self.evidence)
        v = np.nan_to_num(vis[_IDX][:, :4]).mean(axis=1)
        self.side_vis += 0.2 * (v - self.side_vis)
        if self.side is None:
            self.side = Side.LEFT if self.side_vis[0] >= self.side_vis[1] else Side.RIGHT
        else:
            k = 0 if self.side is Side.LEFT else 1
            if self.side_vis[1 - k] > self.side_vis[k] + cfg.side_switch_margin:
                self.side = self.side.other
        s = self.facing()
        sign = float(s) if s else math.nan
        hip = sign * bend_deg(ps[:, _SH], ps[:, _HIP], ps[:, _KNEE])
        knee = np.abs(bend_deg(ps[:, _HIP], ps[:, _KNEE], ps[:, _ANK]))
        thigh = sign * angle_to_vertical_deg(ps[:, _KNEE] - ps[:, _HIP], down=True)
        with np.errstate(invalid="ignore"):
            msh = np.nanmean(ps[:, _SH], axis=0) if ok[:, _SH].any() else np.full(2, np.nan)
            mhip = np.nanmean(ps[:, _HIP], axis=0) if ok[:, _HIP].any() else np.full(2, np.nan)
        trunk = float(angle_to_vertical_deg(msh - mhip))
        trunk_len = float(np.hypot(*(pts[:, _SH].mean(0) - pts[:, _HIP].mean(0))))
        width = max(
            float(np.hypot(*(pts[0, _SH] - pts[1, _SH]))),
            float(np.hypot(*(pts[0, _HIP] - pts[1, _HIP]))),
        )
        k = 0 if self.side is Side.LEFT else 1
        return {
            "side": self.side,
            "facing": s,
            "view_ratio": width / trunk_len if trunk_len > 0 else math.nan,
            "hip_flexion": (float(hip[0]), float(hip[1])),
            "knee_flexion": (float(knee[0]), float(knee[1])),
            "thigh_to_vertical": (float(thigh[0]), float(thigh[1])),
            "trunk_inclination": abs(trunk),
            "trunk_pitch": -sign * trunk,
            "missing": tuple(
                BODY_PARTS_NEEDED[_PARTS[p]] for p in (_SH, _HIP, _KNEE, _ANK) if not ok[k, p]
            ),
        }


def random_poses(seed: int, n: int) -> list[PoseFrame]:
    """A side-on figure that drifts, with a share of hidden, off-picture and NaN points."""
    rng = np.random.default_rng(seed)
    base = rng.uniform(0.2, 0.8, size=(N_LANDMARKS, 2))
    poses = []
    for i in range(n):
        img = np.empty((N_LANDMARKS, 4))
        img[:, :2] = base + rng.normal(0, 0.05, size=(N_LANDMARKS, 2))
        img[:, 2] = rng.normal(size=N_LANDMARKS)
        img[:, 3] = rng.uniform(0, 1, size=N_LANDMARKS)
        r = rng.uniform(size=N_LANDMARKS)
        img[r < 0.05, 0] = rng.uniform(-0.3, 1.3, size=int((r < 0.05).sum()))  # off the picture
        img[(r >= 0.05) & (r < 0.07), 3] = np.nan
        img[(r >= 0.07) & (r < 0.08), 1] = np.nan
        if i % 17 == 5:  # two landmarks on one spot: a zero-length vector
            img[23, :2] = img[25, :2]
        nobody = i % 29 == 3
        poses.append(
            PoseFrame(i * 33.3, 640, 480) if nobody else PoseFrame(i * 33.3, 640, 480, img)
        )
    return poses


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fast_kinematics_equal_the_array_formulas_bit_for_bit(seed):
    cfg = KinematicsConfig()
    fast, ref = Kinematics(cfg), ReferenceKinematics(cfg)
    for pose in random_poses(seed, 400):
        got = fast.update(pose)
        if pose.image is None:
            assert not got.detected
            continue
        want = ref.update(pose)
        assert got.side is want["side"] and got.facing == want["facing"]
        assert got.missing == want["missing"]
        for key in ("view_ratio", "trunk_inclination", "trunk_pitch"):
            assert same(getattr(got, key), want[key]), key
        for key in ("hip_flexion", "knee_flexion", "thigh_to_vertical"):
            assert all(same(x, y) for x, y in zip(getattr(got, key), want[key], strict=True)), key


@pytest.mark.parametrize(
    "values",
    [
        [0.3],
        [0.1, 0.5],
        [0.9, 0.1, 0.4],
        [0.2, 0.7, 0.6, 0.3],
        list(np.random.default_rng(3).uniform(size=15)),
    ],
)
def test_median_equals_numpys(values):
    assert _median(values) == float(np.median(values))
