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

from .geometry import angle_to_vertical_deg, bend_deg, signed_angle_deg
from .landmarks import SIDES, Landmark, PoseFrame, Side

PER_SIDE_SIGNALS = ("hip_flexion", "knee_flexion", "thigh_to_vertical")
BODY_SIGNALS = ("trunk_inclination", "trunk_pitch")
SIGNALS = PER_SIDE_SIGNALS + BODY_SIGNALS

# Per side, in this order: shoulder, hip, knee, ankle, heel, toe.
_PARTS = ("shoulder", "hip", "knee", "ankle", "heel", "foot_index")
_IDX = np.array([[Landmark[f"{s.name}_{p.upper()}"] for p in _PARTS] for s in SIDES])
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
    ``missing`` names body parts of ``side`` that are not in view.
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
        self._side_visibility = np.array([0.0, 0.0])
        self._side: Side | None = self.fixed_side

    def update(self, pose: PoseFrame) -> JointAngles:
        """Angles for ``pose``. Frames with nobody detected give ``detected=False``."""
        if pose.image is None:
            return JointAngles(pose.timestamp_ms, False, side=self._side, facing=self._facing())
        cfg = self.config
        px = pose.pixels()
        xy_norm = pose.image[:, :2]
        # A model never gives visibility outside 0..1; a damaged landmark file might.
        vis = np.clip(np.nan_to_num(pose.image[:, 3], nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0)
        m = cfg.edge_margin
        inside = np.all((xy_norm >= -m) & (xy_norm <= 1.0 + m), axis=1)
        seen = (vis >= cfg.min_visibility) & inside & np.all(np.isfinite(px), axis=1)

        pts = px[_IDX]  # (2 sides, 6 parts, 2)
        ok = seen[_IDX]  # (2, 6)
        pts_seen = np.where(ok[..., None], pts, np.nan)

        self._update_facing(pts_seen)
        self._update_side(vis[_IDX])
        s = self._facing()
        sign = float(s) if s else math.nan

        hip = sign * bend_deg(pts_seen[:, _SH], pts_seen[:, _HIP], pts_seen[:, _KNEE])
        knee = np.abs(bend_deg(pts_seen[:, _HIP], pts_seen[:, _KNEE], pts_seen[:, _ANK]))
        thigh = sign * angle_to_vertical_deg(pts_seen[:, _KNEE] - pts_seen[:, _HIP], down=True)

        with np.errstate(invalid="ignore"):
            mid_sh = np.nanmean(pts_seen[:, _SH], axis=0) if ok[:, _SH].any() else np.full(2, np.nan)
            mid_hip = np.nanmean(pts_seen[:, _HIP], axis=0) if ok[:, _HIP].any() else np.full(2, np.nan)
        trunk = float(angle_to_vertical_deg(mid_sh - mid_hip))
        trunk_len = float(np.hypot(*(pts[:, _SH].mean(0) - pts[:, _HIP].mean(0))))
        width = max(
            float(np.hypot(*(pts[0, _SH] - pts[1, _SH]))),
            float(np.hypot(*(pts[0, _HIP] - pts[1, _HIP]))),
        )
        view_ratio = width / trunk_len if trunk_len > 0 else math.nan

        missing: tuple[str, ...] = ()
        if self._side is not None:
            k = 0 if self._side is Side.LEFT else 1
            parts = (_SH, _HIP, _KNEE, _ANK)
            missing = tuple(
                BODY_PARTS_NEEDED[_PARTS[p]] for p in parts if not ok[k, p]
            )
        return JointAngles(
            timestamp_ms=pose.timestamp_ms,
            detected=True,
            side=self._side,
            facing=s,
            view_ratio=view_ratio,
            hip_flexion=(float(hip[0]), float(hip[1])),
            knee_flexion=(float(knee[0]), float(knee[1])),
            thigh_to_vertical=(float(thigh[0]), float(thigh[1])),
            trunk_inclination=abs(trunk),
            trunk_pitch=-sign * trunk,
            missing=missing,
        )

    def _update_facing(self, pts_seen: np.ndarray) -> None:
        shin = pts_seen[:, _ANK] - pts_seen[:, _KNEE]
        foot = pts_seen[:, _TOE] - pts_seen[:, _HEEL]
        turn = signed_angle_deg(shin, foot)  # about +90 when the left side faces the camera
        votes = np.sin(np.radians(turn[np.isfinite(turn)]))
        if votes.size:
            # A running mean at first, then an exponential memory.
            self._facing_frames += 1
            a = 1.0 / min(self._facing_frames, self.config.facing_memory_frames)
            self._facing_evidence += a * (float(votes.mean()) - self._facing_evidence)

    def _facing(self) -> int:
        e = self._facing_evidence
        return 0 if abs(e) < 0.05 else (1 if e > 0 else -1)

    def _update_side(self, vis: np.ndarray) -> None:
        if self.fixed_side is not None:
            return
        v = np.nan_to_num(vis[:, :4]).mean(axis=1)  # shoulder, hip, knee, ankle per side
        a = 0.2
        self._side_visibility += a * (v - self._side_visibility)
        left, right = self._side_visibility
        if self._side is None:
            self._side = Side.LEFT if left >= right else Side.RIGHT
        else:
            k = 0 if self._side is Side.LEFT else 1
            if self._side_visibility[1 - k] > self._side_visibility[k] + self.config.side_switch_margin:
                self._side = self._side.other
