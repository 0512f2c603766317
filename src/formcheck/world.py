"""Angles and camera view from MediaPipe's 3D world landmarks. numpy only.

The world landmarks are metres centred on the hips, in the camera's orientation: x to the
image's right, y down, z away from the camera (a right-handed frame). They need no side view,
so they measure the body from wherever the camera stands; their errors against render truth,
per camera azimuth, are in ``view_errors.py`` (made by ``bench/views.py``).

Conventions match the 2D ones in ``kinematics.py`` and the synth truth:

* ``hip_flexion``: the shoulder→hip→knee bend in the body's sagittal plane (the plane across
  the hip axis): 0 in line, + knee in front of the trunk line, − behind it.
* ``knee_flexion``: 180 minus the hip–knee–ankle angle in 3D; 0 is straight.
* ``hip_abduction``: the thigh out of the sagittal plane, + away from the midline.
* ``trunk_inclination``: hip→shoulder line against the camera's vertical (the image's up
  direction: a camera looking down tilts it by its elevation); ``trunk_pitch`` the same signed,
  + leaning towards the heading.
* ``azimuth_deg``: where the camera stands around the person, as the renderer counts it:
  0 in front (a person lying supine: at the feet), 90 at the person's left, 180 behind,
  270 at the right. The *heading* is up × (left hip → right hip): the way a standing person
  faces, or the way a lying person's feet point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .landmarks import Landmark

_L = (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP, Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE)
_R = (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE)
_ROWS = np.array([*_L, *_R])
_UP = np.array([0.0, -1.0, 0.0])
_TOWARDS_CAMERA = np.array([0.0, 0.0, -1.0])

# View classes by how far the camera is from side-on (degrees, + towards the front).
SIDE_MAX_DEG = 22.5
OBLIQUE_MAX_DEG = 67.5
VIEW_CLASSES = ("front", "front-oblique", "side", "rear-oblique", "back")


@dataclass(frozen=True)
class WorldAngles:
    """One frame's angles from the world landmarks, degrees; per-side pairs are (left, right)."""

    hip_flexion: tuple[float, float]
    knee_flexion: tuple[float, float]
    hip_abduction: tuple[float, float]
    trunk_inclination: float
    trunk_pitch: float
    azimuth_deg: float


NAN_ANGLES = WorldAngles((math.nan,) * 2, (math.nan,) * 2, (math.nan,) * 2, math.nan, math.nan, math.nan)


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return v / n


def world_angles(world: np.ndarray | None) -> WorldAngles:
    """The angles of one frame's world landmarks (33 × 3); all NaN when there are none."""
    if world is None:
        return NAN_ANGLES
    p = world[_ROWS]
    sh, hip, knee, ankle = p[[0, 4]], p[[1, 5]], p[[2, 6]], p[[3, 7]]
    across = _unit(hip[1] - hip[0])  # left hip → right hip
    heading = _unit(np.cross(_UP, across))

    # Sagittal bend: trunk direction (shoulder → hip) to thigh, both seen along the hip axis.
    trunk_dir = hip - sh
    thigh = knee - hip
    a = trunk_dir - np.outer(trunk_dir @ across, across)
    b = thigh - np.outer(thigh @ across, across)
    cross = np.cross(a, b) @ across
    dot = np.einsum("ij,ij->i", a, b)
    hip_flex = np.degrees(np.arctan2(cross, dot))

    u, v = hip - knee, ankle - knee
    cos_k = np.einsum("ij,ij->i", u, v) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1))
    knee_flex = 180.0 - np.degrees(np.arccos(np.clip(cos_k, -1.0, 1.0)))

    side_sign = np.array([-1.0, 1.0])  # away from the midline: left is −across, right +across
    abduction = np.degrees(np.arcsin(np.clip(side_sign * (_unit(thigh) @ across), -1.0, 1.0)))

    trunk = (sh[0] + sh[1]) / 2 - (hip[0] + hip[1]) / 2
    incl = math.degrees(math.atan2(float(np.linalg.norm(np.cross(trunk, _UP))), float(trunk @ _UP)))
    pitch = math.degrees(math.atan2(float(trunk @ heading), float(trunk @ _UP)))

    left = -across
    az = math.degrees(math.atan2(float(_TOWARDS_CAMERA @ left), float(_TOWARDS_CAMERA @ heading))) % 360.0
    return WorldAngles(
        hip_flexion=(float(hip_flex[0]), float(hip_flex[1])),
        knee_flexion=(float(knee_flex[0]), float(knee_flex[1])),
        hip_abduction=(float(abduction[0]), float(abduction[1])),
        trunk_inclination=incl,
        trunk_pitch=pitch,
        azimuth_deg=az,
    )


def off_side_deg(azimuth_deg: float) -> float:
    """How far the camera is from side-on: 0 side-on, + towards the front (90 = in front),
    − towards the back (−90 = behind); NaN for NaN."""
    if not math.isfinite(azimuth_deg):
        return math.nan
    a = azimuth_deg % 360.0
    # Left side at 90, right side at 270; the front is 0/360 and the back 180 for both.
    return 90.0 - a if a <= 180.0 else a - 270.0


def view_class(azimuth_deg: float) -> str | None:
    """``side``, ``front-oblique``, ``front``, ``rear-oblique`` or ``back`` (None for NaN)."""
    off = off_side_deg(azimuth_deg)
    if not math.isfinite(off):
        return None
    if abs(off) <= SIDE_MAX_DEG:
        return "side"
    if abs(off) <= OBLIQUE_MAX_DEG:
        return "front-oblique" if off > 0 else "rear-oblique"
    return "front" if off > 0 else "back"


def circular_median_deg(values: list[float]) -> float:
    """A robust middle of angles (degrees, any range): the median of the values unwrapped
    around their circular mean. NaN when there are none."""
    vals = [v for v in values if math.isfinite(v)]
    if not vals:
        return math.nan
    r = np.radians(vals)
    mean = math.atan2(float(np.sin(r).mean()), float(np.cos(r).mean()))
    diffs = (r - mean + np.pi) % (2 * np.pi) - np.pi
    out = math.degrees(mean + float(np.median(diffs))) % 360.0
    return 0.0 if out >= 360.0 else out  # a tiny negative angle wraps to 360.0 in floats
