"""Builders of synthetic pose sequences with known angles, for tests that need no model.

A side-view stick figure is posed from a few named angles and turned into PoseFrames the
way MediaPipe would report it (x, y normalised to the image, visibility per landmark).

Angles (degrees) follow kinematics.py:
* ``trunk``: direction of hip→shoulder from straight up, positive towards where the toes point
  (0 standing tall, 30 leaning forward, about -100 lying on the back with the head behind).
* ``thigh``: direction of hip→knee from straight down, positive forward (0 standing; 135 in
  a bridge's start with the knees up).
* ``knee``: knee flexion, 0 straight.
So the hip-line bend (``hip_flexion_deg``) is ``trunk + thigh``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from formcheck.landmarks import N_LANDMARKS, Landmark, PoseFrame, Side

WIDTH, HEIGHT = 640, 480
TRUNK_PX, THIGH_PX, SHANK_PX, FOOT_PX, HEAD_PX = 110.0, 85.0, 80.0, 28.0, 30.0


@dataclass(frozen=True)
class Body:
    """One frame's posture. Per-leg angles default to the same for both legs."""

    trunk: float = 0.0
    thigh: float = 0.0
    knee: float = 5.0
    thigh_right: float | None = None
    knee_right: float | None = None


def _dir(angle_deg: float, ref: tuple[float, float], facing: int) -> np.ndarray:
    """Unit vector at ``angle_deg`` from ``ref`` (image coords, y down), positive = forward.

    Forward on screen is -x when the left side faces the camera (facing +1), +x otherwise.
    """
    a = math.radians(angle_deg)
    # Rotating "up" (0,-1) forward by a: x = -sin(a)*facing; rotating "down" (0,1): same x.
    rx, ry = ref
    fx = -facing * math.sin(a)
    return np.array([fx if ry != 0 else 0.0, ry * math.cos(a)])


def pose_points(body: Body, facing: int = 1, width_px: float = 0.0) -> dict[Landmark, np.ndarray]:
    """Pixel positions of the landmarks the analysis uses, before centring in the image."""
    pts: dict[Landmark, np.ndarray] = {}
    hip = np.array([0.0, 0.0])
    trunk = _dir(body.trunk, (0.0, -1.0), facing)
    shoulder = hip + TRUNK_PX * trunk
    for side, thigh_a, knee_a in (
        (Side.LEFT, body.thigh, body.knee),
        (Side.RIGHT, body.thigh if body.thigh_right is None else body.thigh_right,
         body.knee if body.knee_right is None else body.knee_right),
    ):
        # The far side sits a few pixels off the near side (width_px apart when seen front-on).
        off = np.array([width_px / 2 * (1 if side is Side.LEFT else -1), 0.0])
        thigh = _dir(thigh_a, (0.0, 1.0), facing)
        knee = hip + off + THIGH_PX * thigh
        # The shank turns back from the thigh by the knee flexion.
        shank = _rotate(thigh, -facing * knee_a)
        ankle = knee + SHANK_PX * shank
        foot = _rotate(shank, facing * 90.0)
        name = side.name
        pts[Landmark[f"{name}_HIP"]] = hip + off
        pts[Landmark[f"{name}_SHOULDER"]] = shoulder + off
        pts[Landmark[f"{name}_KNEE"]] = knee
        pts[Landmark[f"{name}_ANKLE"]] = ankle
        pts[Landmark[f"{name}_HEEL"]] = ankle - 0.25 * FOOT_PX * foot
        pts[Landmark[f"{name}_FOOT_INDEX"]] = ankle + 0.75 * FOOT_PX * foot
    head = shoulder + HEAD_PX * trunk
    for lm in Landmark:
        if lm not in pts:
            pts[lm] = head.copy()
    return pts


def _rotate(v: np.ndarray, deg: float) -> np.ndarray:
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return np.array([c * v[0] - s * v[1], s * v[0] + c * v[1]])


def to_pose(body: Body, t_ms: float, facing: int = 1, visibility: float = 0.95,
            hidden: Iterable[Landmark] = (), width_px: float = 0.0,
            noise_px: float = 0.0, rng: np.random.Generator | None = None) -> PoseFrame:
    """A PoseFrame of ``body`` centred in a 640×480 image."""
    pts = pose_points(body, facing, width_px)
    xy = np.array([pts[Landmark(i)] for i in range(N_LANDMARKS)])
    xy += np.array([WIDTH / 2, HEIGHT / 2]) - (xy.min(0) + xy.max(0)) / 2
    if noise_px and rng is not None:
        xy += rng.normal(0.0, noise_px, xy.shape)
    image = np.zeros((N_LANDMARKS, 4))
    image[:, 0] = xy[:, 0] / WIDTH
    image[:, 1] = xy[:, 1] / HEIGHT
    image[:, 3] = visibility
    for lm in hidden:
        image[lm, 3] = 0.0
    return PoseFrame(t_ms, WIDTH, HEIGHT, image, None)


# -- movement profiles ---------------------------------------------------------------------

@dataclass(frozen=True)
class Phase:
    """A stretch of time: ``to`` is the Body reached at its end (eased), or None to hold."""

    duration_s: float
    to: Body | None = None


@dataclass
class Sequence:
    """Phases from a start posture, sampled at ``fps`` into PoseFrames."""

    start: Body
    phases: list[Phase] = field(default_factory=list)
    fps: float = 30.0

    def then(self, duration_s: float, to: Body | None = None) -> Sequence:
        self.phases.append(Phase(duration_s, to))
        return self

    def bodies(self) -> list[Body]:
        out = [self.start]
        cur = self.start
        for ph in self.phases:
            n = max(1, round(ph.duration_s * self.fps))
            target = ph.to or cur
            for i in range(1, n + 1):
                e = (1 - math.cos(math.pi * i / n)) / 2
                out.append(_mix(cur, target, e))
            cur = target
        return out

    def poses(self, facing: int = 1, noise_px: float = 0.0, seed: int = 0,
              drop: Callable[[int], bool] | None = None, **kw) -> list[PoseFrame]:
        rng = np.random.default_rng(seed)
        frames = []
        for i, b in enumerate(self.bodies()):
            t = i * 1000.0 / self.fps
            if drop is not None and drop(i):
                frames.append(PoseFrame(t, WIDTH, HEIGHT))
            else:
                frames.append(to_pose(b, t, facing, noise_px=noise_px, rng=rng, **kw))
        return frames


def _mix(a: Body, b: Body, e: float) -> Body:
    def m(x: float | None, y: float | None, dx: float, dy: float) -> float:
        x = dx if x is None else x
        y = dy if y is None else y
        return x + (y - x) * e

    return Body(
        trunk=m(a.trunk, b.trunk, 0, 0), thigh=m(a.thigh, b.thigh, 0, 0), knee=m(a.knee, b.knee, 0, 0),
        thigh_right=m(a.thigh_right, b.thigh_right, a.thigh, b.thigh),
        knee_right=m(a.knee_right, b.knee_right, a.knee, b.knee),
    )


# -- the three exercises, with the synth renderer's default tempos ----------------------------

def bridge(hip: float, knee: float, trunk: float) -> Body:
    """Lying on the back: ``hip`` is the hip-line bend, ``trunk`` the (negative) trunk direction."""
    return Body(trunk=trunk, thigh=hip - trunk, knee=knee)


BRIDGE_START = bridge(40.0, 106.0, -95.0)
BRIDGE_TOP = bridge(0.0, 90.0, -113.0)
BRIDGE_ARCHED = bridge(-15.0, 81.0, -117.0)


def bridge_rep(seq: Sequence, top: Body = BRIDGE_TOP, go: float = 1.5, hold: float = 2.0,
               ret: float = 1.5, rest: float = 1.0) -> Sequence:
    return seq.then(go, top).then(hold).then(ret, BRIDGE_START).then(rest)


def standing(trunk: float = 1.0, thigh: float = 0.0, knee: float = 5.0, **kw) -> Body:
    return Body(trunk=trunk, thigh=thigh, knee=knee, **kw)


HINGE_START = standing()
HINGE_BOTTOM = standing(trunk=58.0, thigh=22.0, knee=20.0)


def hinge_rep(seq: Sequence, bottom: Body = HINGE_BOTTOM, go: float = 2.0, hold: float = 0.5,
              ret: float = 1.5, rest: float = 1.0, lean_back: float = 0.0) -> Sequence:
    seq.then(go, bottom).then(hold).then(ret, seq.start)
    if lean_back:
        seq.then(0.4, standing(trunk=-lean_back, thigh=-0.3 * lean_back)).then(0.3)
        seq.then(0.5, seq.start)
    return seq.then(rest)


def kickback_start(leg: Side) -> Body:
    """On one leg, the working foot lifted beside the standing one."""
    work = dict(thigh=12.0, knee=20.0)
    stand = dict(thigh=-3.0, knee=5.0)
    if leg is Side.LEFT:
        return Body(trunk=10.0, thigh=work["thigh"], knee=work["knee"],
                    thigh_right=stand["thigh"], knee_right=stand["knee"])
    return Body(trunk=10.0, thigh=stand["thigh"], knee=stand["knee"],
                thigh_right=work["thigh"], knee_right=work["knee"])


def kickback_peak(leg: Side, reach: float = 1.0, knee: float = 3.0, trunk_extra: float = 0.0) -> Body:
    """The working leg back: thigh 30° behind vertical at full reach."""
    start = kickback_start(leg)
    thigh = 12.0 + reach * (-30.0 - 12.0)
    kn = 20.0 + reach * (knee - 20.0)
    if leg is Side.LEFT:
        return Body(trunk=10.0 + trunk_extra, thigh=thigh, knee=kn,
                    thigh_right=start.thigh_right, knee_right=start.knee_right)
    return Body(trunk=10.0 + trunk_extra, thigh=start.thigh, knee=start.knee,
                thigh_right=thigh, knee_right=kn)


def kickback_rep(seq: Sequence, leg: Side, reach: float = 1.0, knee: float = 3.0,
                 trunk_extra: float = 0.0, go: float = 1.2, hold: float = 2.0, ret: float = 1.2,
                 rest: float = 0.8) -> Sequence:
    start = kickback_start(leg)
    return seq.then(go, kickback_peak(leg, reach, knee, trunk_extra)).then(hold).then(ret, start).then(rest)
