"""The analysis engine: PoseFrames in, rep and status events out, one frame at a time. No I/O.

``analyze`` (from a file) and ``live`` (from a camera) both step an ``Analyzer`` through
``analysis.FrameAnalysis``, so the same frames give the same reps and faults in both modes. What
the person is shown reads the read-only ``progress()`` snapshot (phase, progress, hold).
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from .exercise import ExerciseSpec
from .kinematics import JointAngles, Kinematics, KinematicsConfig
from .landmarks import SIDES, PoseFrame, Side
from .reps import Movement, Rep, median
from .smoothing import LandmarkSmoother, OneEuroConfig
from .tracker import RepTracker, TrackerState
from .views import SIDE_KEEPS_2D_DEG, View, ViewTracker, base_exercise, choose, view_for
from .world import circular_median_deg, off_side_deg, world_angles

# The view is judged on the median of this many recent frames, so one odd frame cannot flip it.
VIEW_WINDOW_FRAMES = 15
# Per-leg exercises: movements of both legs that begin within this many seconds of each other
# are one movement; the leg that moved further did it (a hidden leg's landmarks get dragged along).
SAME_MOVEMENT_S = 1.0
# After this long with nobody in view, whoever comes back may stand elsewhere or face the other
# way: the facing sign, the side in use and the smoothing start afresh.
FORGET_AFTER_S = 1.0
# Per-leg exercises: reps of the two legs that share this much of the shorter one's time are
# one movement...
OVERLAP_SHARE = 0.5
# ...credited to the leg whose range was at least this many times the other's; otherwise to no leg.
LEG_RANGE_RATIO = 1.4


class Status:
    """What the analyzer can see this frame (a code, and the words for a person)."""

    NO_PERSON = "no_person"
    WRONG_VIEW = "wrong_view"
    OUT_OF_FRAME = "out_of_frame"
    SETUP = "setup"
    READY = "ready"
    MOVING = "moving"

    MESSAGES = {
        NO_PERSON: "Nobody in view: step into the picture.",
        WRONG_VIEW: "From here the movement cannot be measured: turn side-on to the camera.",
        OUT_OF_FRAME: "Move so your whole body is in the picture.",
        SETUP: "Get into the start position and hold still.",
        READY: "Ready.",
        MOVING: "",
    }


@dataclass(frozen=True)
class FrameRecord:
    """One frame's angles for the report (degrees; NaN where unseen)."""

    t_s: float
    detected: bool
    status: str
    hip_flexion: tuple[float, float]
    knee_flexion: tuple[float, float]
    trunk_inclination: float
    trunk_pitch: float
    # The camera's azimuth this frame, from the 3D landmarks (NaN when unknown).
    azimuth_deg: float = math.nan
    # The curve of the back's outline (segmentation mask; NaN when not read).
    back_curve: float = math.nan


@dataclass(frozen=True)
class Progress:
    """Where one tracked side (or leg) is, read-only, for what the person is shown: the rep
    ``phase`` (``setup``, ``ready``, ``moving``, ``lockout``), ``progress_deg`` from their own
    start position towards the peak (NaN before set-up) and that start position,
    ``baseline_deg`` (degrees of the driving signal); ``hold_s``, the seconds held at the top
    of the rep under way so far (None when not holding: see ``HoldTimer``)."""

    side: Side
    leg: Side | None
    phase: str
    progress_deg: float
    baseline_deg: float
    hold_s: float | None = None

    @property
    def moving(self) -> bool:
        """A rep is under way (moving, or back at the start and being watched)."""
        return self.phase in (TrackerState.MOVING.value, TrackerState.LOCKOUT.value)


class HoldTimer:
    """Seconds held at the top of the rep under way, for what the person is shown (the rep's
    own ``hold_s``, measured by the tracker afterwards, is what counts).

    "At the top" is within ``band_deg`` (or 10 % of the range so far) of the highest
    progress of this rep, once the rep has gone at least ``min_rom_deg``. NaN when not at
    the top, or there for less than ``show_after_s`` (a rep passing through the top on its
    way up is not a hold).
    """

    def __init__(self, band_deg: float, min_rom_deg: float, show_after_s: float = 0.3) -> None:
        self.band_deg = band_deg
        self.min_rom_deg = min_rom_deg
        self.show_after_s = show_after_s
        self.reset()

    def reset(self) -> None:
        self._samples: deque[tuple[float, float]] = deque()
        self._peak = -math.inf
        self.held_s = math.nan  # what the last update returned

    def update(self, t_s: float, progress_deg: float, moving: bool) -> float:
        """Feed the driving angle's progress (degrees from the start position)."""
        if not moving:
            self.reset()
        else:
            self.held_s = self._held(t_s, progress_deg)
        return self.held_s

    def _held(self, t_s: float, progress_deg: float) -> float:
        if not math.isfinite(progress_deg):
            return math.nan
        self._samples.append((t_s, progress_deg))
        self._peak = max(self._peak, progress_deg)
        if self._peak < self.min_rom_deg:
            return math.nan
        floor = self._peak - max(self.band_deg, 0.1 * self._peak)
        if progress_deg < floor:
            return math.nan
        since = t_s
        for t, p in reversed(self._samples):
            if p < floor:
                break
            since = t
        held = t_s - since
        return held if held >= self.show_after_s else math.nan


@dataclass(frozen=True)
class AnalyzerResult:
    """What an Analyzer found, frozen: the counted reps (numbered from 1), the movements not
    counted, one record per frame (when kept), how many frames had each status, and the body
    side facing the camera (fixed by the caller, else the last one seen; None if never seen)."""

    spec: ExerciseSpec
    reps: tuple[Rep, ...]
    movements: tuple[Movement, ...]
    frames: tuple[FrameRecord, ...]
    status_counts: Mapping[str, int]
    side: Side | None
    # The camera's azimuth over the whole recording (median; NaN when never estimated).
    azimuth_deg: float = math.nan

    @property
    def per_leg(self) -> bool:
        return self.spec.rep.legs == "each"

    @property
    def view(self) -> View:
        """What the recording's camera position allowed (the median view)."""
        return view_for(self.spec, off_side_deg(self.azimuth_deg) if math.isfinite(self.azimuth_deg) else None)

    def counts(self) -> dict[str, int]:
        """Counted reps, in total and per leg (for per-leg exercises)."""
        return count_reps(self.reps, self.per_leg)


@dataclass
class Analyzer:
    """Streams PoseFrames through kinematics and the rep trackers of one exercise."""

    spec: ExerciseSpec
    side: Side | None = None
    kinematics_config: KinematicsConfig | None = None
    smoothing: OneEuroConfig | None = None
    keep_frames: bool = True
    reps: list[Rep] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)
    frames: list[FrameRecord] = field(default_factory=list)
    status_counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.smoother = LandmarkSmoother(self.smoothing)
        self.kinematics = Kinematics(self.kinematics_config, side=self.side)
        self.views = ViewTracker(self.spec)
        self._azimuths: list[float] = []
        self._azimuth = math.nan
        self._trackers: dict[Side, RepTracker] = {}
        self._holds: dict[Side, HoldTimer] = {}
        self._views: deque[float] = deque(maxlen=VIEW_WINDOW_FRAMES)
        self.status = Status.NO_PERSON
        self.last_angles: JointAngles | None = None
        self._last_t = -math.inf
        self._pending: list[Rep] = []
        self._absent_since = math.nan
        self._forgotten = False

    @property
    def per_leg(self) -> bool:
        return self.spec.rep.legs == "each"

    @property
    def idle(self) -> bool:
        """No rep under way, in lockout or waiting to be paired: a safe place to cut a video."""
        return not self._pending and all(
            t.state in (TrackerState.SETUP, TrackerState.READY) for t in self._trackers.values())

    def result(self) -> AnalyzerResult:
        """What has been found so far, frozen (the analyzer carries on unchanged)."""
        side = self.kinematics.fixed_side or (self.last_angles.side if self.last_angles else None)
        return AnalyzerResult(self.spec, tuple(self.reps), tuple(self.movements), tuple(self.frames),
                              dict(self.status_counts), side, circular_median_deg(self._azimuths))

    def progress(self) -> tuple[Progress, ...]:
        """A read-only snapshot of each tracked side's rep progress (none before a side is seen)."""
        return tuple(Progress(t.side, t.leg, t.state.value, t.progress_deg, t.baseline,
                              self._held(key)) for key, t in self._trackers.items())

    @property
    def view(self) -> View:
        """What the camera position allows now (the recent frames' view)."""
        return self.views.view

    def counts(self) -> dict[str, int]:
        """Counted reps so far, in total and per leg (for per-leg exercises)."""
        return count_reps(self.reps, self.per_leg)

    def update(self, pose: PoseFrame) -> list[Rep | Movement]:
        """Feed one frame; returns the reps and uncounted movements that finished with it."""
        if not pose.timestamp_ms / 1000.0 > self._last_t:
            return []  # repeated or backwards time: ignored, never double-counted
        self._last_t = pose.timestamp_ms / 1000.0
        if pose.detected:
            self._absent_since = math.nan
            self._forgotten = False
        elif math.isnan(self._absent_since):
            self._absent_since = self._last_t
        elif not self._forgotten and self._last_t - self._absent_since >= FORGET_AFTER_S:
            self.kinematics.reset()
            self.smoother.reset()
            self._views.clear()
            self.views.reset()
            self._forgotten = True
        smoothed = self.smoother.update(pose)
        angles = self.kinematics.update(smoothed, pose)
        self._azimuth = math.nan
        if angles.detected:
            # Each angle from the estimate that is best for where the camera stands.
            world = world_angles(smoothed.world)
            self._azimuth = world.azimuth_deg
            view = self.views.update(world.azimuth_deg)
            if math.isfinite(world.azimuth_deg):
                self._azimuths.append(world.azimuth_deg)
            angles = choose(angles, world, view.sources)
        self.last_angles = angles
        status = self._status(angles)
        usable = status not in (Status.NO_PERSON, Status.WRONG_VIEW, Status.OUT_OF_FRAME)
        feed = angles if usable else JointAngles(angles.timestamp_ms, False, side=angles.side,
                                                 facing=angles.facing)
        events: list[Rep | Movement] = []
        for tracker in self._trackers_for(angles):
            tracker.view, tracker.azimuth_deg = self.views.view, self.views.azimuth_deg
            events += tracker.update(feed)
        if usable:
            status = self._tracker_status()
        self.status = status
        self.status_counts[status] += 1
        self._record(angles, status)
        events = self._accept(events)
        self._time_holds()
        return events

    def finish(self) -> list[Rep | Movement]:
        """End of input: judge what is complete, drop what is not."""
        events: list[Rep | Movement] = []
        for tracker in self._trackers.values():
            events += tracker.finish()
        events = self._accept(events, final=True)
        self._time_holds()
        return events

    # ------------------------------------------------------------------------------------

    def _time_holds(self) -> None:
        """Each tracked side's hold at the top, timed on the frames' clock."""
        rep = self.spec.rep
        holds = {}
        for key, t in self._trackers.items():
            timer = self._holds.get(key) or HoldTimer(rep.peak_band_deg, max(rep.partial_rom_deg, rep.start_deg))
            timer.update(self._last_t, t.progress_deg, t.state in (TrackerState.MOVING, TrackerState.LOCKOUT))
            holds[key] = timer
        self._holds = holds

    def _held(self, key: Side) -> float | None:
        timer = self._holds.get(key)
        held = timer.held_s if timer is not None else math.nan
        return held if math.isfinite(held) else None

    @property
    def both_sides(self) -> bool:
        """Whether a one-side exercise follows both sides: from an oblique view, where the 3D
        landmarks see both legs and the leg nearer the camera need not be the working one (a
        single-leg bridge filmed from the free leg's side)."""
        step = self.views.view.off_side_deg
        return not self.per_leg and step is not None and abs(step) > SIDE_KEEPS_2D_DEG

    def _trackers_for(self, angles: JointAngles) -> list[RepTracker]:
        if self.per_leg:
            if not self._trackers:
                self._trackers = {s: RepTracker(self.spec, s, leg=s) for s in SIDES}
            return list(self._trackers.values())
        if self.both_sides:
            if len(self._trackers) != 2:
                self._trackers = {s: self._trackers.get(s) or RepTracker(self.spec, s) for s in SIDES}
            return list(self._trackers.values())
        side = angles.side
        if side is None:
            return list(self._trackers.values())
        if side not in self._trackers or len(self._trackers) == 2:
            # The side in use changed (or was first chosen, or the view turned side-on): a
            # fresh tracker for it.
            self._trackers = {side: self._trackers.get(side) or RepTracker(self.spec, side)}
        return [self._trackers[side]]

    def _status(self, a: JointAngles) -> str:
        if not a.detected:
            return Status.NO_PERSON
        if math.isfinite(a.view_ratio):
            self._views.append(a.view_ratio)
        if base_exercise(self.spec) is not None and math.isfinite(self.views.azimuth_deg):
            # The measured view table says whether the driving angle can be measured from here.
            if not self.views.view.countable:
                return Status.WRONG_VIEW
        elif (self.spec.view == "side" and self._views
                and median(self._views) > self.spec.max_view_ratio):
            # No measured views (an exercise without a table, or no 3D landmarks): side-on
            # only, judged by the body's width on screen.
            return Status.WRONG_VIEW
        if a.missing:
            return Status.OUT_OF_FRAME
        return Status.SETUP

    def _tracker_status(self) -> str:
        states = {t.state for t in self._trackers.values()}
        if TrackerState.MOVING in states or TrackerState.LOCKOUT in states:
            return Status.MOVING
        if TrackerState.READY in states:
            return Status.READY
        return Status.SETUP

    def _record(self, a: JointAngles, status: str) -> None:
        if self.keep_frames:
            self.frames.append(FrameRecord(a.t_s, a.detected, status, a.hip_flexion,
                                           a.knee_flexion, a.trunk_inclination, a.trunk_pitch,
                                           self._azimuth, a.back_curve))

    def _pair_legs(self, events: list[Rep | Movement], final: bool) -> list[Rep | Movement]:
        """Per-leg exercises: one movement is one rep, credited to the leg that moved.

        Reps of the two legs that overlap in time are one movement (a hidden leg's landmarks
        are dragged along with the moving one, or the model swaps the legs). The leg whose range
        was clearly larger gets the rep; when neither was, the rep counts once with no leg.
        """
        self._pending += [e for e in events if isinstance(e, Rep)]
        out: list[Rep | Movement] = [e for e in events if not isinstance(e, Rep)]
        waiting: list[Rep] = []
        done: set[int] = set()
        for rep in self._pending:
            if any(r.leg is not rep.leg and _overlap(r, rep) for r in self.reps[-3:]):
                # The other leg's rep over the same time was already counted (it did not wait
                # for this leg, which had moved much less by then): one movement.
                out.append(_as_movement(rep, "moved along with the working leg: one movement, counted once"))
                done.add(id(rep))
        for rep in self._pending:
            if id(rep) in done:
                continue
            assert rep.leg is not None
            other = self._trackers[rep.leg.other]
            since = other.moving_since
            if (not final and math.isfinite(since) and since < rep.end_s
                    and other.moving_range_deg * LEG_RANGE_RATIO > rep.rom_deg):
                # The other leg is moving at the same time, and as far so far: wait for it. (A
                # standing leg dragged along by less is not waited for: in a set of shallow
                # kickbacks its movement lasts the whole set.)
                waiting.append(rep)
                continue
            spanned = next((r for r in self.reps if r.leg is not rep.leg
                            and r.start_s > rep.start_s + SAME_MOVEMENT_S and r.end_s <= rep.end_s), None)
            if spanned is not None:
                out.append(_as_movement(rep, "the standing leg while the other leg worked: a change of stance"))
                done.add(id(rep))
                continue
            rival = next((r for r in self._pending if r.leg is not rep.leg and id(r) not in done
                          and _overlap(r, rep)), None)
            if rival is None:
                out.append(rep)
                done.add(id(rep))
                continue
            # Each leg's own travel tells which moved: its range from the start position also
            # holds the switch from standing leg to working leg.
            big, small = (rep, rival) if rep.travel_deg >= rival.travel_deg else (rival, rep)
            out.append(_as_movement(small, "moved along with the working leg: one movement, counted once"))
            if big.travel_deg < LEG_RANGE_RATIO * small.travel_deg:
                big = replace(big, leg=None, note="both legs appeared to move as much: the camera "
                              "could not tell which leg worked (film the working leg's side)")
            out.append(big)
            done.update((id(rep), id(rival)))
        self._pending = [r for r in waiting if id(r) not in done]
        return out

    def _pair_sides(self, events: list[Rep | Movement], final: bool) -> list[Rep | Movement]:
        """A one-side exercise followed on both sides: a rep both sides saw is one rep, the
        side that moved further; a movement counts once too. A rep waits while the other side
        is still moving."""
        self._pending += [e for e in events if isinstance(e, Rep)]
        out: list[Rep | Movement] = []
        waiting: list[Rep] = []
        done: set[int] = set()
        for rep in self._pending:
            if id(rep) in done:
                continue
            other = self._trackers.get(rep.side.other)
            since = other.moving_since if other is not None else math.nan
            if not final and math.isfinite(since) and since < rep.end_s:
                waiting.append(rep)
                continue
            done.add(id(rep))
            if any(_overlap(r, rep) for r in self.reps[-3:]):
                continue  # the other side's view of a rep already counted
            rival = next((r for r in self._pending if r.side is not rep.side and id(r) not in done
                          and _overlap(r, rep)), None)
            if rival is not None:
                done.add(id(rival))
                rep = rep if rep.travel_deg >= rival.travel_deg else rival
            out.append(rep)
        self._pending = [r for r in waiting if id(r) not in done]
        counted = [*self.reps, *out, *self._pending]
        for m in events:
            if isinstance(m, Rep) or any(_overlap_times(m, r) for r in counted):
                continue
            if any(_overlap_times(m, n) for n in self.movements[-3:]):
                continue
            out.append(m)
        return out

    def _accept(self, events: list[Rep | Movement], final: bool = False) -> list[Rep | Movement]:
        if self.per_leg:
            events = self._pair_legs(events, final)
        elif len(self._trackers) == 2 or self._pending:
            events = self._pair_sides(events, final)
        out: list[Rep | Movement] = []
        for e in sorted(events, key=lambda e: e.start_s):
            if isinstance(e, Rep):
                e = _with_index(e, len(self.reps) + 1)
                self.reps.append(e)
            else:
                self.movements.append(e)
            out.append(e)
        return out


def count_reps(reps: Iterable[Rep], per_leg: bool) -> dict[str, int]:
    """Reps in total and, for per-leg exercises, per leg (a rep no leg could be told for
    counts in the total only)."""
    reps = list(reps)
    out = {"total": len(reps)}
    if per_leg:
        for side in SIDES:
            out[side.value] = sum(1 for r in reps if r.leg is side)
    return out


def _overlap_times(a: Rep | Movement, b: Rep | Movement) -> bool:
    """Whether two spans share any time."""
    return min(a.end_s, b.end_s) > max(a.start_s, b.start_s)


def _overlap(a: Rep, b: Rep) -> bool:
    """Whether two reps share at least half of the shorter one's time."""
    lo, hi = max(a.start_s, b.start_s), min(a.end_s, b.end_s)
    return hi > lo and hi - lo >= OVERLAP_SHARE * min(a.end_s - a.start_s, b.end_s - b.start_s)


def _as_movement(rep: Rep, reason: str) -> Movement:
    return Movement(rep.leg, rep.start_s, rep.end_s, rep.rom_deg, rep.hold_s, reason)


def _with_index(rep: Rep, index: int) -> Rep:
    return replace(rep, index=index)
