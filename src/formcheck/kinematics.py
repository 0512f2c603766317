"""PoseFrame → JointAngles: signed joint angles from 2D image landmarks. numpy only.

Conventions (those of the synth truth, so the two compare directly):

* ``hip_flexion_deg``: the bend of the shoulder→hip→knee chain. 0 when shoulder, hip and knee
  are in one line, positive when the knee is in front of the trunk line (flexed), negative
  when the hip is pushed past the line (a bridge's hips above the shoulder–knee line, a leg
  kicked back).
* ``knee_flexion_deg``: 180 minus the hip–knee–ankle angle; 0 is a straight knee.
* ``thigh_to_vertical_deg``: the hip→knee line against straight down; positive forward.
* ``trunk_inclination_deg``: the mid-hip→mid-shoulder line against vertical; 0 upright,
  90 horizontal. ``trunk_pitch_deg`` is the same signed: positive leaning forward
  (towards where the toes point), negative leaning back.

Forward and back are told apart by the *facing sign*: the foot points forward of the shin,
so the turn from shin (knee→ankle) to foot (heel→toe) shows on screen which way the person's
front is, standing or lying. It is accumulated over frames so a noisy frame cannot flip it.
All of this is measured in the image plane: it is exact only for movement seen side-on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .backcurve import axis_coords, back_curve_deg
from .landmarks import SIDES, Landmark, PoseFrame, Side

PER_SIDE_SIGNALS = ("hip_flexion", "knee_flexion", "thigh_to_vertical")
BODY_SIGNALS = ("trunk_inclination", "trunk_pitch", "back_curve")
SIGNALS = PER_SIDE_SIGNALS + BODY_SIGNALS

# Per side, in this order: shoulder, hip, knee, ankle, heel, toe.
_PARTS = ("shoulder", "hip", "knee", "ankle", "heel", "foot_index")
_IDX = np.array([[Landmark[f"{s.name}_{p.upper()}"] for p in _PARTS] for s in SIDES])
_ROWS = _IDX.ravel().tolist()
_SH, _HIP, _KNEE, _ANK, _HEEL, _TOE = range(6)

# Parts that must be in view to analyse a side-on exercise, with the words a person needs.
BODY_PARTS_NEEDED = {"shoulder": "shoulders", "hip": "hips", "knee": "knees", "ankle": "feet"}


@dataclass(frozen=True)
class KinematicsConfig:
    """How landmarks become angles.

    ``min_visibility``: below it a landmark counts as not seen (its angles are NaN). It is
    low on purpose: in a side view the far leg is hidden behind the near one and MediaPipe
    rates it 0.2–0.3, yet infers it well (4–6° mean error against render truth, measured on
    the samples), and the kickback needs both legs.
    ``edge_margin``: a landmark further than this (fraction of the image) outside the
    picture is not seen either; MediaPipe extrapolates such points.
    ``facing_memory_frames``: how many frames of facing evidence are blended.
    ``side_switch_margin``: how much more visible the other side must become before the
    chosen side changes (hysteresis, 0..1).
    """

    min_visibility: float = 0.1
    edge_margin: float = 0.02
    facing_memory_frames: float = 30.0
    side_switch_margin: float = 0.15

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_visibility <= 1.0:
            raise ValueError(f"expected min_visibility in 0..1, got {self.min_visibility}")
        if self.facing_memory_frames < 1:
            raise ValueError(f"expected facing_memory_frames >= 1, got {self.facing_memory_frames}")


@dataclass(frozen=True)
class JointAngles:
    """Angles for one frame, in degrees; NaN where a needed landmark was not seen.

    Per-side values are ``(left, right)`` tuples. ``side`` is the side facing the camera (the
    one used for single-side exercises); ``facing`` is +1 when the person's left side faces
    the camera, -1 for the right, 0 when not yet known. ``view_ratio`` is shoulder or hip
    width over trunk length on screen: near 0 side-on, near 0.7 or more facing the camera.
    ``missing`` names body parts of ``side`` that are not in view. ``back_curve`` is the
    curve of the back's outline from the segmentation mask (``backcurve``; + hollow, - rounded),
    NaN without a mask or when not side-on.
    """

    timestamp_ms: float
    detected: bool
    side: Side | None = None
    facing: int = 0
    view_ratio: float = math.nan
    hip_flexion: tuple[float, float] = (math.nan, math.nan)
    knee_flexion: tuple[float, float] = (math.nan, math.nan)
    thigh_to_vertical: tuple[float, float] = (math.nan, math.nan)
    trunk_inclination: float = math.nan
    trunk_pitch: float = math.nan
    back_curve: float = math.nan
    missing: tuple[str, ...] = field(default_factory=tuple)

    @property
    def t_s(self) -> float:
        return self.timestamp_ms / 1000.0

    def value(self, signal: str, side: Side | None = None) -> float:
        """The value of ``signal`` (a name in SIGNALS) on ``side`` (default: the chosen side)."""
        if signal in BODY_SIGNALS:
            return float(getattr(self, signal))
        side = side or self.side
        if side is None:
            return math.nan
        pair = getattr(self, signal)
        return float(pair[0 if side is Side.LEFT else 1])


class Kinematics:
    """Turns PoseFrames into JointAngles; remembers the facing sign and the chosen side."""

    def __init__(self, config: KinematicsConfig | None = None, side: Side | None = None) -> None:
        self.config = config or KinematicsConfig()
        self.fixed_side = side
        self.reset()

    def reset(self) -> None:
        self._facing_evidence = 0.0
        self._facing_frames = 0
        self._side_visibility = [0.0, 0.0]
        self._side: Side | None = self.fixed_side

    def update(self, pose: PoseFrame, measured: PoseFrame | None = None) -> JointAngles:
        """Angles for ``pose``. Frames with nobody detected give ``detected=False``.

        ``measured``: the frame as the pose model gave it, when ``pose`` is a smoothed copy. The
        outline was measured about that frame's own trunk axis, so where its arm lay is taken
        from it too (a smoothed arm lags behind a quick lean-back by a frame or two).

        This runs once per video frame, so it works on Python floats and hands numpy only the
        transcendental functions, in one batched call each: a dozen tiny numpy calls per frame
        would cost more than all the arithmetic (see bench/). The operations are the ones
        ``geometry`` does, in the same order, so results are bit-identical to it.
        """
        if pose.image is None:
            return JointAngles(pose.timestamp_ms, False, side=self._side, facing=self._facing())
        cfg = self.config
        w, h = float(pose.width), float(pose.height)
        lo, hi = -cfg.edge_margin, 1.0 + cfg.edge_margin
        min_vis = cfg.min_visibility
        # (2 sides × 6 parts) rows of [x, y, z, visibility], left side first.
        rows = pose.image[_ROWS].tolist()
        # A point inside the margins is finite, so its pixels are too (the isfinite test of
        # the array version is implied).
        ok = [v >= min_vis and lo <= x <= hi and lo <= y <= hi for x, y, _z, v in rows]
        px = [r[0] * w for r in rows]
        py = [r[1] * h for r in rows]
        sx = [X if seen else _NAN for X, seen in zip(px, ok, strict=True)]
        sy = [Y if seen else _NAN for Y, seen in zip(py, ok, strict=True)]

        # Signed angles (u → v) needed, per side: shin→foot (facing), shoulder→hip→knee bend,
        # hip→knee→ankle bend, straight down→thigh; then straight up→trunk.
        pairs: list[tuple[float, float, float, float]] = []
        for k in (0, 6):
            sh, hp, kn, an, he, to = k + _SH, k + _HIP, k + _KNEE, k + _ANK, k + _HEEL, k + _TOE
            shin_x, shin_y = sx[an] - sx[kn], sy[an] - sy[kn]
            thigh_x, thigh_y = sx[kn] - sx[hp], sy[kn] - sy[hp]
            pairs.append((shin_x, shin_y, sx[to] - sx[he], sy[to] - sy[he]))
            pairs.append((sx[hp] - sx[sh], sy[hp] - sy[sh], thigh_x, thigh_y))
            pairs.append((thigh_x, thigh_y, sx[an] - sx[kn], sy[an] - sy[kn]))
            pairs.append((0.0, 1.0, thigh_x, thigh_y))
        msx, msy = _nan_mid(sx, sy, ok, _SH)
        mhx, mhy = _nan_mid(sx, sy, ok, _HIP)
        pairs.append((0.0, -1.0, msx - mhx, msy - mhy))
        turn_l, hip_l, knee_l, thigh_l, turn_r, hip_r, knee_r, thigh_r, trunk = (
            _signed_angles_deg(pairs))

        self._update_facing_turns(turn_l, turn_r)
        self._update_side_vis([r[3] for r in rows])
        s = self._facing()
        sign = float(s) if s else math.nan

        lsh, rsh, lhp, rhp = _SH, 6 + _SH, _HIP, 6 + _HIP
        trunk_len, w_sh, w_hip = np.hypot(
            np.array(((px[lsh] + px[rsh]) / 2 - (px[lhp] + px[rhp]) / 2,
                      px[lsh] - px[rsh], px[lhp] - px[rhp])),
            np.array(((py[lsh] + py[rsh]) / 2 - (py[lhp] + py[rhp]) / 2,
                      py[lsh] - py[rsh], py[lhp] - py[rhp])),
        ).tolist()
        width = max(w_sh, w_hip)
        view_ratio = width / trunk_len if trunk_len > 0 else math.nan

        missing: tuple[str, ...] = ()
        if self._side is not None:
            k = 0 if self._side is Side.LEFT else 6
            missing = tuple(BODY_PARTS_NEEDED[_PARTS[p]] for p in _NEEDED if not ok[k + p])
        return JointAngles(
            timestamp_ms=pose.timestamp_ms,
            detected=True,
            side=self._side,
            facing=s,
            view_ratio=view_ratio,
            hip_flexion=(sign * hip_l, sign * hip_r),
            knee_flexion=(abs(knee_l), abs(knee_r)),
            thigh_to_vertical=(sign * thigh_l, sign * thigh_r),
            trunk_inclination=abs(trunk),
            trunk_pitch=-sign * trunk,
            back_curve=(math.nan if pose.outline is None else
                        back_curve_deg(pose.outline, s, view_ratio, _near_arm(measured or pose, s))),
            missing=missing,
        )

    def _update_facing_turns(self, *turns: float) -> None:
        # sin of the shin→foot turn: about +1 when the left side faces the camera.
        votes = [math.sin(math.radians(t)) for t in turns if math.isfinite(t)]
        if votes:
            # A running mean at first, then an exponential memory.
            self._facing_frames += 1
            a = 1.0 / min(self._facing_frames, self.config.facing_memory_frames)
            mean = votes[0] if len(votes) == 1 else (votes[0] + votes[1]) / 2
            self._facing_evidence += a * (mean - self._facing_evidence)

    def _facing(self) -> int:
        e = self._facing_evidence
        return 0 if abs(e) < 0.05 else (1 if e > 0 else -1)

    def _update_side_vis(self, vis: list[float]) -> None:
        """Follow which side is more visible (``vis``: the 12 part visibilities, left first)."""
        if self.fixed_side is not None:
            return
        sv = self._side_visibility
        a = 0.2
        for i, k in enumerate((0, 6)):
            # Mean visibility of shoulder, hip, knee, ankle. A model never gives visibility
            # outside 0..1; a damaged landmark file might: NaN counts as 0, the rest is clipped.
            v = vis[k : k + 4]
            total = 0.0
            for x in v:
                total += min(max(x, 0.0), 1.0) if x == x else 0.0
            sv[i] += a * (total / 4 - sv[i])
        left, right = sv
        if self._side is None:
            self._side = Side.LEFT if left >= right else Side.RIGHT
        else:
            k = 0 if self._side is Side.LEFT else 1
            if sv[1 - k] > sv[k] + self.config.side_switch_margin:
                self._side = self._side.other


_NAN = math.nan
_NEEDED = (_SH, _HIP, _KNEE, _ANK)
# Per side (left, right): the arm's segments, shoulder → elbow → wrist.
_ARM_SEGMENTS = np.array([[[Landmark[f"{s.name}_{a}"], Landmark[f"{s.name}_{b}"]]
                           for a, b in (("SHOULDER", "ELBOW"), ("ELBOW", "WRIST"))] for s in SIDES])
_TRUNK = np.array([Landmark.LEFT_HIP, Landmark.RIGHT_HIP, Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER])


def _near_arm(pose: PoseFrame, facing: int) -> np.ndarray | None:
    """The segments (shoulder → elbow → wrist) of the arm on the camera's side (``facing`` +1:
    the left) in the frame of the trunk axis the outline was measured on (the mid-hip →
    mid-shoulder line of all four points, as the backend takes it; ``backcurve.axis_coords``),
    shape (2, 2, 2); None when the facing is unknown.

    Only the near arm: the far one is behind the trunk, where the model guesses it (its points
    often fall on the back itself, seen from the side, and would hide a back that is in view).
    An arm that hangs or lies beyond the back's outline hides it on both sides of the body
    alike, so the near one tells.
    """
    if pose.image is None or facing == 0:
        return None
    w, h = float(pose.width), float(pose.height)
    (lhx, lhy), (rhx, rhy), (lsx, lsy), (rsx, rsy) = pose.image[_TRUNK, :2].tolist()
    hip = ((lhx + rhx) / 2 * w, (lhy + rhy) / 2 * h)
    shoulder = ((lsx + rsx) / 2 * w, (lsy + rsy) / 2 * h)
    arm = pose.image[_ARM_SEGMENTS[0 if facing > 0 else 1], :2] * (w, h)
    return axis_coords(arm, hip, shoulder)


def _nan_mid(sx: list[float], sy: list[float], ok: list[bool], part: int) -> tuple[float, float]:
    """The mean of a part's left and right points that are seen (NaN when neither is)."""
    a, b = part, 6 + part
    if ok[a] and ok[b]:
        return ((sx[a] + sx[b]) / 2, (sy[a] + sy[b]) / 2)
    # nanmean's own arithmetic (the unseen point counts as 0.0), so results do not change.
    if ok[a]:
        return (sx[a] + 0.0, sy[a] + 0.0)
    if ok[b]:
        return (0.0 + sx[b], 0.0 + sy[b])
    return (_NAN, _NAN)


def _signed_angles_deg(pairs: list[tuple[float, float, float, float]]) -> list[float]:
    """``geometry.signed_angle_deg`` for many (ux, uy, vx, vy) at once, as a list of floats.

    The cross and dot products are the same float operations; numpy's arctan2 is called
    once for all pairs, because it can differ from ``math.atan2`` in the last bit (numpy
    uses vectorised kernels) and the results must not change.
    """
    cross = [ux * vy - uy * vx for ux, uy, vx, vy in pairs]
    dot = [ux * vx + uy * vy for ux, uy, vx, vy in pairs]
    out: list[float] = np.degrees(np.arctan2(np.array(cross), np.array(dot))).tolist()
    for i, (ux, uy, vx, vy) in enumerate(pairs):
        if (ux == 0 and uy == 0) or (vx == 0 and vy == 0):
            out[i] = _NAN
    return out
