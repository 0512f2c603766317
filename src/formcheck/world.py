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


def _sub(a: list[float], b: list[float]) -> tuple[float, float, float]:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _dot(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, float, float]:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _unit(a: tuple[float, ...]) -> tuple[float, float, float]:
    n = math.sqrt(_dot(a, a))
    return (a[0] / n, a[1] / n, a[2] / n) if n > 0 else (math.nan,) * 3


def _along(a: tuple[float, ...], axis: tuple[float, ...]) -> tuple[float, float, float]:
    """``a`` without its component along the unit vector ``axis``."""
    k = _dot(a, axis)
    return (a[0] - k * axis[0], a[1] - k * axis[1], a[2] - k * axis[2])


def world_angles(world: np.ndarray | None) -> WorldAngles:
    """The angles of one frame's world landmarks (33 × 3); all NaN when there are none.

    It runs once per frame, so it works on Python floats: a dozen tiny numpy calls would cost
    several times more than the arithmetic (as in ``kinematics.py``).
    """
    if world is None:
        return NAN_ANGLES
    rows = world[_ROWS].tolist()
    sh, hip, knee, ankle = (rows[0], rows[4]), (rows[1], rows[5]), (rows[2], rows[6]), (rows[3], rows[7])
    across = _unit(_sub(hip[1], hip[0]))  # left hip → right hip
    up = (0.0, -1.0, 0.0)
    heading = _unit(_cross(up, across))

    hip_flex, knee_flex, abduction = [], [], []
    for k, side_sign in ((0, -1.0), (1, 1.0)):  # away from the midline: left is −across, right +across
        # Sagittal bend: trunk direction (shoulder → hip) to thigh, both seen along the hip axis.
        thigh = _sub(knee[k], hip[k])
        a = _along(_sub(hip[k], sh[k]), across)
        b = _along(thigh, across)
        hip_flex.append(math.degrees(math.atan2(_dot(_cross(a, b), across), _dot(a, b))))
        u, v = _sub(hip[k], knee[k]), _sub(ankle[k], knee[k])
        nuv = math.sqrt(_dot(u, u) * _dot(v, v))
        cos_k = _dot(u, v) / nuv if nuv > 0 else math.nan
        knee_flex.append(180.0 - math.degrees(math.acos(min(1.0, max(-1.0, cos_k)))) if cos_k == cos_k
                         else math.nan)
        t = _dot(_unit(thigh), across) * side_sign
        abduction.append(math.degrees(math.asin(min(1.0, max(-1.0, t)))) if t == t else math.nan)

    trunk = tuple((sh[0][i] + sh[1][i]) / 2 - (hip[0][i] + hip[1][i]) / 2 for i in range(3))
    c = _cross(trunk, up)
    incl = math.degrees(math.atan2(math.sqrt(_dot(c, c)), _dot(trunk, up)))
    pitch = math.degrees(math.atan2(_dot(trunk, heading), _dot(trunk, up)))

    left = (-across[0], -across[1], -across[2])
    cam = (0.0, 0.0, -1.0)  # towards the camera
    az = math.degrees(math.atan2(_dot(cam, left), _dot(cam, heading))) % 360.0
    return WorldAngles(
        hip_flexion=(hip_flex[0], hip_flex[1]),
        knee_flexion=(knee_flex[0], knee_flex[1]),
        hip_abduction=(abduction[0], abduction[1]),
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
