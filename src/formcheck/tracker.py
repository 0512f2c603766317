"""Rep tracking: a hysteresis state machine over one driving signal, and per-rep metrics. numpy only.

A ``RepTracker`` follows one leg's (or the camera side's) driving angle. It first waits for the
person to hold still in the exercise's start position and takes that as their own baseline
(absolute angles from 2D landmarks carry a steady bias of several degrees; changes against
the person's own baseline are precise). A rep begins when the angle moves ``start_deg`` from
the baseline towards the peak and ends when it is back within ``end_deg``. Only then is the
movement judged: counted (and checked for faults) or set aside as a half rep or fidget.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from .exercise import ExerciseSpec
from .faults import Fault, check_rule, keep_reported
from .kinematics import JointAngles
from .landmarks import Side

# Time marks are taken where the rep crosses this fraction of its own range (or end_deg, if
# larger): "time up" runs from 10 % to the band around the peak, which noise cannot fake.
EDGE_FRACTION = 0.10
# The band around the peak that counts as "at the top" is at least this fraction of the range.
PEAK_BAND_FRACTION = 0.10
# "Time up" ends, and "time down" starts, where the rep passes this fraction of its range, so
# tempo does not depend on how far the rep went.
TEMPO_TOP_FRACTION = 0.90
# The lockout phase starts once the way down passes this fraction of the range.
LOCKOUT_FROM_FRACTION = 0.4
# A real rep stays past half its range at least this long; shorter spikes are landmark glitches.
MIN_HALF_PEAK_S = 0.15
# How long before a rep starts is kept, to find where the movement really began.
PREROLL_S = 1.5
# In the start position, the baseline follows slow drift at this rate per frame.
BASELINE_RATE = 0.02
# Leaving the start range (not as a rep) for this long sends the tracker back to set-up.
OUT_OF_START_S = 1.0


class TrackerState(str, Enum):
    SETUP = "setup"  # waiting for the person to be still in the start position
    READY = "ready"  # at the start position, baseline known
    MOVING = "moving"  # a rep is under way
    LOCKOUT = "lockout"  # the rep is back at the start; watching the finish


@dataclass(frozen=True)
class Rep:
    """A counted rep. Times in seconds from the start of the source, angles in degrees.

    ``rom_deg`` is the driving angle's change from the person's start position to the peak.
    ``up_s`` and ``down_s`` run between 10 % and 90 % of that range; ``hold_s`` is the time
    spent within ``peak_band_deg`` (or 10 % of the range) of the peak. ``peak`` and ``start`` hold the working side's
    angles at those moments.
    """

    leg: Side | None
    side: Side
    start_s: float
    top_s: float
    end_s: float
    up_s: float
    hold_s: float
    down_s: float
    rom_deg: float
    peak: dict[str, float]
    start: dict[str, float]
    faults: tuple[Fault, ...]
    index: int = 0

    @property
    def good(self) -> bool:
        return not self.faults

    @property
    def move_s(self) -> float:
        return self.up_s + self.down_s


@dataclass(frozen=True)
class Movement:
    """A movement away from the start position that was not counted, and why."""

    leg: Side | None
    start_s: float
    end_s: float
    rom_deg: float
    hold_s: float
    reason: str


@dataclass
class _Sample:
    t: float
    value: float
    angles: JointAngles


@dataclass
class _Rep:
    samples: list[_Sample] = field(default_factory=list)
    peak: float = 0.0
    preroll: int = 0
    ended_at: float = math.nan
    last_valid_t: float = math.nan


class RepTracker:
    """Finds reps in one side's driving signal. ``update`` returns finished Reps and Movements."""

    def __init__(self, spec: ExerciseSpec, side: Side, leg: Side | None = None) -> None:
        self.spec = spec
        self.side = side
        self.leg = leg
        self.reset()

    def reset(self) -> None:
        self.state = TrackerState.SETUP
        self.baseline = math.nan
        self._settle: deque[tuple[float, float]] = deque()
        self._preroll: deque[_Sample] = deque()
        self._rep: _Rep | None = None
        self._out_of_start_since = math.nan
        self._last_t = -math.inf

    @property
    def progress_deg(self) -> float:
        """How far the last value is from the baseline towards the peak (NaN before set-up)."""
        return self._progress

    _progress = math.nan

    def update(self, angles: JointAngles) -> list[Rep | Movement]:
        """Feed one frame. Frames out of time order are ignored."""
        t = angles.t_s
        if not t > self._last_t:
            return []
        self._last_t = t
        value = angles.value(self.spec.rep.signal, self.side)
        spec = self.spec.rep
        out: list[Rep | Movement] = []
        self._progress = spec.sign * (value - self.baseline) if math.isfinite(value) else math.nan

        if self.state is TrackerState.SETUP:
            self._update_setup(t, value, angles.trunk_inclination)
            return out

        if self.state in (TrackerState.MOVING, TrackerState.LOCKOUT):
            rep = self._rep
            assert rep is not None
            if not math.isfinite(value):
                if t - rep.last_valid_t > spec.max_gap_s:
                    out += self._abort(rep, "the person was lost from view")
                return out
            rep.last_valid_t = t
            sample = _Sample(t, value, angles)
            p = self._progress
            if self.state is TrackerState.LOCKOUT:
                if p >= spec.start_deg or t - rep.ended_at >= spec.lockout_window_s:
                    out.append(self._finish(rep))
                    self._begin_ready(rep.samples)
                    if p >= spec.start_deg:
                        self._start_rep(sample)
                    return out
                rep.samples.append(sample)
                return out
            rep.samples.append(sample)
            rep.peak = max(rep.peak, p)
            if t - rep.samples[0].t > spec.max_rep_s:
                return self._abort(rep, "it took longer than a rep can")
            if p <= spec.end_deg:
                rep.ended_at = t
                if spec.lockout_window_s > 0:
                    self.state = TrackerState.LOCKOUT
                else:
                    out.append(self._finish(rep))
                    self._begin_ready(rep.samples)
            return out

        # READY
        if not math.isfinite(value):
            return out
        sample = _Sample(t, value, angles)
        p = self._progress
        if p >= spec.start_deg:
            self._start_rep(sample)
            return out
        if abs(p) < spec.end_deg:
            self.baseline += BASELINE_RATE * (value - self.baseline)
        elif self._still_at(t, value, angles.trunk_inclination):
            # Settled somewhere new (a kickback leg lifted, a shuffled bridge): start from there.
            self.baseline = float(np.median([v for _, v in self._settle]))
        self._preroll.append(sample)
        while self._preroll and t - self._preroll[0].t > PREROLL_S:
            self._preroll.popleft()
        if spec.start_min_deg <= value <= spec.start_max_deg:
            self._out_of_start_since = math.nan
        elif math.isnan(self._out_of_start_since):
            self._out_of_start_since = t
        elif t - self._out_of_start_since > OUT_OF_START_S:
            self.reset()
            self._last_t = t
        return out

    def finish(self) -> list[Rep | Movement]:
        """End of input: a rep that is back at the start is judged; one still under way is not."""
        rep = self._rep
        out: list[Rep | Movement] = []
        if rep is not None and self.state is TrackerState.LOCKOUT:
            out.append(self._finish(rep))
        elif rep is not None and self.state is TrackerState.MOVING:
            out += self._abort(rep, "the video ended during it")
        self._rep = None
        self.state = TrackerState.SETUP
        return out

    # -- states ------------------------------------------------------------------------

    def _update_setup(self, t: float, value: float, trunk: float) -> None:
        if not math.isfinite(value):
            self._settle.clear()
            return
        if self._still_at(t, value, trunk):
            self.baseline = float(np.median([v for _, v in self._settle]))
            self._settle.clear()
            self.state = TrackerState.READY
            self._preroll.clear()
            self._out_of_start_since = math.nan

    def _still_at(self, t: float, value: float, trunk: float) -> bool:
        """Whether the last ``settle_s`` were still, in the start range and the start posture."""
        spec = self.spec.rep
        if not (spec.start_min_deg <= value <= spec.start_max_deg
                and spec.start_trunk_min_deg <= trunk <= spec.start_trunk_max_deg):
            self._settle.clear()
            return False
        self._settle.append((t, value))
        while self._settle and t - self._settle[0][0] > spec.settle_s:
            self._settle.popleft()
        values = [v for _, v in self._settle]
        return (t - self._settle[0][0] >= 0.9 * spec.settle_s
                and max(values) - min(values) <= spec.still_tol_deg)

    def _begin_ready(self, samples: list[_Sample]) -> None:
        self.state = TrackerState.READY
        self._settle.clear()
        self._rep = None
        t_end = samples[-1].t if samples else -math.inf
        self._preroll = deque(s for s in samples if t_end - s.t <= PREROLL_S)
        self._out_of_start_since = math.nan

    @property
    def moving_since(self) -> float:
        """When the movement under way was first seen (NaN when none is)."""
        return self._moving_since if self._rep is not None else math.nan

    _moving_since = math.nan

    def _start_rep(self, sample: _Sample) -> None:
        self.state = TrackerState.MOVING
        self._moving_since = sample.t
        self._settle.clear()
        self._rep = _Rep(samples=[*self._preroll, sample], peak=self._progress,
                         preroll=len(self._preroll), last_valid_t=sample.t)
        self._preroll.clear()

    def _abort(self, rep: _Rep, why: str) -> list[Rep | Movement]:
        s = rep.samples
        self.reset()
        self._last_t = s[-1].t if s else self._last_t
        return [Movement(self.leg, s[0].t if s else math.nan, s[-1].t if s else math.nan,
                         rep.peak, 0.0, f"not finished: {why}")]

    # -- judging a finished movement -----------------------------------------------------

    def _finish(self, rep: _Rep) -> Rep | Movement:
        spec = self.spec.rep
        t = np.array([s.t for s in rep.samples])
        p = spec.sign * (np.array([s.value for s in rep.samples]) - self.baseline)
        if spec.start_from_turn and rep.preroll:
            # Measure from where this movement turned (e.g. the kickback leg lifted forward
            # just before it went back), when that was further back than the baseline.
            pre = p[: rep.preroll]
            p = p - min(0.0, float(np.min(pre[int(np.argmax(pre)):])))
        # The peak is searched from the moment the rep began: the pre-roll may hold the end
        # of an earlier movement.
        i_peak = rep.preroll + int(np.argmax(p[rep.preroll :]))
        peak = float(p[i_peak])
        level = max(spec.end_deg, EDGE_FRACTION * peak)
        i0 = _last_at_or_below(p, level, i_peak)
        i1 = _first_at_or_below(p, level, i_peak)
        start_s = _cross_time(t, p, level, i0, i0 + 1) if i0 is not None else float(t[0])
        end_s = _cross_time(t, p, level, i1 - 1, i1) if i1 is not None else float(t[-1])
        band = max(spec.peak_band_deg, PEAK_BAND_FRACTION * peak)
        lo, hi = (i0 or 0), (i1 if i1 is not None else len(p) - 1)
        in_band = np.flatnonzero(p[lo : hi + 1] >= peak - band) + lo
        enter, leave = int(in_band[0]), int(in_band[-1])
        top_level = TEMPO_TOP_FRACTION * peak
        above = np.flatnonzero(p[lo : hi + 1] >= top_level) + lo
        a0, a1 = int(above[0]), int(above[-1])
        t_up = _cross_time(t, p, top_level, a0 - 1, a0) if a0 > 0 else float(t[a0])
        t_down = _cross_time(t, p, top_level, a1 + 1, a1) if a1 + 1 < len(p) else float(t[a1])
        up_s = t_up - start_s
        hold_s = float(t[leave] - t[enter])
        down_s = end_s - t_down
        duration = end_s - start_s

        half = np.flatnonzero(p[lo : hi + 1] >= 0.5 * peak)
        if duration < spec.min_rep_s or float(t[lo + half[-1]] - t[lo + half[0]]) < MIN_HALF_PEAK_S:
            return Movement(self.leg, start_s, end_s, peak, hold_s, "too brief to be a rep")
        counted = peak >= spec.count_rom_deg or (
            peak >= spec.partial_rom_deg and hold_s >= spec.partial_hold_s
        )
        if not counted:
            return Movement(self.leg, start_s, end_s, peak, hold_s, "half rep: too little range and no hold")

        i_start = lo
        windows = {
            "rep": (lo, hi),
            "up": (lo, enter),
            "peak": (enter, leave),
            "down": (leave, hi),
            "lockout": (_lockout_from(p, peak, i_peak), len(p) - 1),
        }
        metrics = {"rom_deg": peak, "hold_s": hold_s, "up_s": up_s, "down_s": down_s,
                   "move_s": up_s + down_s}
        faults = [f for rule in self.spec.faults
                  if (f := check_rule(rule, rep.samples, windows, i_start, metrics, self.side)) is not None]
        faults = keep_reported(faults, self.spec.faults)
        peak_angles = _angles_at(rep.samples[i_peak].angles, self.side)
        return Rep(
            leg=self.leg, side=self.side, start_s=start_s, top_s=(float(t[enter]) + float(t[leave])) / 2,
            end_s=end_s, up_s=up_s, hold_s=hold_s, down_s=down_s, rom_deg=peak,
            peak=peak_angles, start=_angles_at(rep.samples[i_start].angles, self.side),
            faults=tuple(faults),
        )


def _angles_at(a: JointAngles, side: Side) -> dict[str, float]:
    return {
        "hip_flexion_deg": a.value("hip_flexion", side),
        "knee_flexion_deg": a.value("knee_flexion", side),
        "trunk_inclination_deg": a.trunk_inclination,
    }


def _last_at_or_below(p: np.ndarray, level: float, before: int) -> int | None:
    idx = np.flatnonzero(p[:before] <= level)
    return int(idx[-1]) if idx.size else None


def _first_at_or_below(p: np.ndarray, level: float, after: int) -> int | None:
    idx = np.flatnonzero(p[after:] <= level)
    return int(idx[0]) + after if idx.size else None


def _cross_time(t: np.ndarray, p: np.ndarray, level: float, i: int, j: int) -> float:
    """Time where p crosses ``level`` between samples i and j (linear interpolation)."""
    if p[j] == p[i]:
        return float(t[i])
    f = (level - p[i]) / (p[j] - p[i])
    return float(t[i] + min(max(f, 0.0), 1.0) * (t[j] - t[i]))


def _lockout_from(p: np.ndarray, peak: float, i_peak: int) -> int:
    idx = np.flatnonzero(p[i_peak:] <= LOCKOUT_FROM_FRACTION * peak)
    return int(idx[0]) + i_peak if idx.size else len(p) - 1
