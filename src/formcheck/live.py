"""Live coaching: camera → pose → the same ``Analyzer`` as ``analyze`` → overlay, cues and sets.

Three stages run at once so lag cannot build up:

* **capture** (a thread): reads the source. A camera keeps only its newest frame, so the
  model always works on the latest picture and stale frames are dropped; a video file
  hands over every frame in order (paced at its own fps, or as fast as it is analysed), so
  a file gives exactly the reps and faults ``analyze`` gives.
* **pose** (a thread): runs the pose model on each frame it takes (MediaPipe keeps one
  core busy; the GIL is released while it works).
* **analysis and drawing** (the calling thread): feeds every pose, in order, to the
  Analyzer, then the set, cue and hold logic, and draws the newest frame's overlay.

Analysis is timed by the frames' own timestamps (the camera clock, or the file's frame
clock), never by the wall clock; only pacing, fps and latency read the wall clock.

The set, hold and cue logic are small pure objects with ``update`` (``SetTracker``,
``HoldTimer``, ``CueScheduler``), tested alone.
"""

from __future__ import annotations

import math
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import FormcheckError, InputError
from .exercise import ExerciseSpec
from .landmarks import SIDES, PoseFrame, Side
from .pose import PoseEstimator
from .pose.replay import LandmarkWriter
from .render import (
    CUE_FAULT,
    CUE_INFO,
    CUE_POSITION,
    PHASE_ACTIVE,
    PHASE_DONE,
    PHASE_POSITION,
    PHASE_REST,
    OverlayState,
    draw_overlay,
    draw_skeleton,
    fault_label,
    position_advice,
)
from .session import Analyzer, Status
from .sinks import AvSink, open_sink
from .sources import Frame, SourceInfo
from .tracker import Movement, Rep, TrackerState

DEFAULT_REST_S = 60.0
# A camera that sends nothing for this long is taken as lost (a stalled USB camera may
# block forever instead of failing). Cameras send every 33–130 ms, even in dim light.
CAMERA_STALL_S = 1.0
# ...except before its first frame: cameras take a moment to start streaming.
CAMERA_FIRST_FRAME_S = 5.0
# A paced file that falls this far behind its clock (a pause, a slow machine) restarts its
# clock from now, instead of rushing to catch up.
PACE_SLACK_S = 0.25
# How long the end summary stays in the window (any key closes it sooner).
SUMMARY_HOLD_S = 5.0
# The position checklist appears only after the position has been wrong this long, so one
# odd frame does not flash it.
POSITION_SHOW_AFTER_S = 0.5
# fps is measured over this much wall time.
FPS_WINDOW_S = 1.0
# Analysed frames waiting to be drawn; the pose stage blocks beyond this (files) — the
# drawing stage drains the queue every loop, so it is never full for a camera.
POSE_QUEUE_FRAMES = 4
# A file's decoded frames waiting for the model.
FILE_QUEUE_FRAMES = 2


# -- sets --------------------------------------------------------------------------------------


class SetPhase(StrEnum):
    ACTIVE = "active"  # doing a set
    REST = "rest"  # between sets
    DONE = "done"  # all sets done


@dataclass(frozen=True)
class SetPlan:
    """What to do: ``sets`` sets of ``reps`` reps (per leg when ``per_leg``), ``rest_s`` apart."""

    sets: int
    reps: int
    per_leg: bool
    rest_s: float = DEFAULT_REST_S

    def __post_init__(self) -> None:
        if self.sets < 1:
            raise ValueError(f"expected at least 1 set, got {self.sets}")
        if self.reps < 1:
            raise ValueError(f"expected at least 1 rep per set, got {self.reps}")
        if not (math.isfinite(self.rest_s) and self.rest_s >= 0):
            raise ValueError(f"expected a rest of 0 s or more, got {self.rest_s}")

    @classmethod
    def from_spec(
        cls,
        spec: ExerciseSpec,
        sets: int | None = None,
        reps: int | None = None,
        rest_s: float | None = None,
    ) -> SetPlan:
        """The exercise's prescription, with any of its numbers replaced. The rep target is
        the low end of the prescribed range (12 of "12–15"): reaching it completes the set."""
        p = spec.prescription
        return cls(
            sets if sets is not None else p.sets,
            reps if reps is not None else p.reps_min,
            p.per_leg,
            DEFAULT_REST_S if rest_s is None else rest_s,
        )


@dataclass(frozen=True)
class SetRecord:
    """One set: its number, when it started and ended (seconds, source clock), its reps."""

    index: int
    start_s: float
    end_s: float
    reps: tuple[Rep, ...]

    @property
    def good(self) -> int:
        return sum(1 for r in self.reps if r.good)

    def counts(self) -> dict[str, int]:
        out = {"total": len(self.reps)}
        for s in SIDES:
            out[s.value] = sum(1 for r in self.reps if r.leg is s)
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "start_s": _round(self.start_s),
            "end_s": _round(self.end_s),
            "reps": [r.index for r in self.reps],
            "good_reps": self.good,
        }


class SetEvent(StrEnum):
    SET_DONE = "set_done"  # a set reached its target (or was ended): rest begins
    REST_OVER = "rest_over"  # the rest is over: the next set begins
    ALL_DONE = "all_done"  # the last set is done


class SetTracker:
    """Splits counted reps into sets and times the rest between them.

    A set ends when its rep target is reached (each leg's, for per-leg exercises) or when
    ``end_set`` is called. Reps counted during the rest still belong to the set just done
    (the person finished their last reps) and restart the rest. After the last set, further
    reps are added to it. Times come from the source clock.
    """

    def __init__(self, plan: SetPlan) -> None:
        self.plan = plan
        self.reset()

    def reset(self) -> None:
        self.phase = SetPhase.ACTIVE
        self.index = 1  # the set being done, or (resting) the set just done
        self._reps: list[Rep] = []
        self._start_s = math.nan
        self._rest_until = math.nan
        self.records: list[SetRecord] = []

    def update(self, t_s: float, reps: Sequence[Rep] = ()) -> list[SetEvent]:
        """Credit ``reps`` (newly counted) at time ``t_s``; returns what changed."""
        events: list[SetEvent] = []
        if self.phase is SetPhase.REST and reps:
            self._amend(reps)
            self._rest_until = t_s + self.plan.rest_s
            return events
        if self.phase is SetPhase.DONE:
            if reps:
                self._amend(reps)
            return events
        if self.phase is SetPhase.REST:
            if t_s >= self._rest_until:
                self.phase = SetPhase.ACTIVE
                self.index += 1
                self._reps = []
                self._start_s = math.nan
                events.append(SetEvent.REST_OVER)
            return events
        for rep in reps:
            if math.isnan(self._start_s):
                self._start_s = rep.start_s
            self._reps.append(rep)
        if reps and self._target_reached():
            events += self.end_set(t_s)
        return events

    def end_set(self, t_s: float) -> list[SetEvent]:
        """End the set under way now (the person stops early). No-op when none is under way."""
        if self.phase is not SetPhase.ACTIVE or not self._reps:
            return []
        self.records.append(
            SetRecord(self.index, self._start_s, self._reps[-1].end_s, tuple(self._reps))
        )
        if self.index >= self.plan.sets:
            self.phase = SetPhase.DONE
            return [SetEvent.ALL_DONE]
        self.phase = SetPhase.REST
        self._rest_until = t_s + self.plan.rest_s
        return [SetEvent.SET_DONE]

    def rest_left_s(self, t_s: float) -> float:
        """Seconds of rest left (NaN when not resting)."""
        return max(0.0, self._rest_until - t_s) if self.phase is SetPhase.REST else math.nan

    def counts(self) -> dict[str, int]:
        """This set's counts (resting or done: the set just done), in total and per leg."""
        if self.phase is not SetPhase.ACTIVE and self.records:
            return self.records[-1].counts()
        return SetRecord(self.index, self._start_s, math.nan, tuple(self._reps)).counts()

    def all_sets(self) -> list[SetRecord]:
        """The sets done, and the one under way if it has reps."""
        out = list(self.records)
        if self.phase is SetPhase.ACTIVE and self._reps:
            out.append(SetRecord(self.index, self._start_s, math.nan, tuple(self._reps)))
        return out

    def _target_reached(self) -> bool:
        c = self.counts()
        if self.plan.per_leg:
            return all(c[s.value] >= self.plan.reps for s in SIDES)
        return c["total"] >= self.plan.reps

    def _amend(self, reps: Sequence[Rep]) -> None:
        last = self.records[-1]
        more = (*last.reps, *reps)
        self.records[-1] = SetRecord(last.index, last.start_s, more[-1].end_s, more)


# -- the hold timer ------------------------------------------------------------------------------


class HoldTimer:
    """Seconds held at the top of the rep under way, for the overlay (the rep's own
    ``hold_s``, measured by the tracker afterwards, is what counts).

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

    def update(self, t_s: float, progress_deg: float, moving: bool) -> float:
        """Feed the driving angle's progress (degrees from the start position)."""
        if not moving:
            self.reset()
            return math.nan
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


# -- cues -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One thing to tell the person: its words, kind (render.CUE_*), and when it was issued."""

    text: str
    kind: str
    t_s: float
    key: str = ""


# Which cue wins when several wait: set news, then a fault, then position advice.
_PRIORITY = {CUE_INFO: 0, CUE_FAULT: 1, CUE_POSITION: 2}
_SEVERITY_ORDER = {"major": 0, "warning": 1, "info": 2}
# Statuses that stop the counting, with advice worth saying.
_POSITION_STATUSES = (Status.NO_PERSON, Status.WRONG_VIEW, Status.OUT_OF_FRAME, Status.SETUP)


class CueScheduler:
    """Chooses the one cue to show (and say) at a time.

    Candidates: the ``cue`` of the worst fault of each newly counted rep, advice for a
    position problem that has lasted ``settle_s``, and news given with ``info``. A new cue
    is issued only ``cooldown_s`` after the last one; the best waiting candidate is kept
    until then (a fault cue for ``stale_s`` at most, position advice only while the
    problem lasts). The same words are not issued again within ``repeat_s``. An issued cue
    is shown for ``show_s`` (position advice: while the problem lasts). Times are seconds
    on the source clock.
    """

    def __init__(
        self,
        cooldown_s: float = 4.0,
        show_s: float = 5.0,
        repeat_s: float = 12.0,
        settle_s: float = 1.0,
        stale_s: float = 8.0,
    ) -> None:
        if not 0 <= cooldown_s <= show_s:
            raise ValueError(f"expected 0 <= cooldown_s <= show_s, got {cooldown_s} and {show_s}")
        self.cooldown_s, self.show_s, self.repeat_s = cooldown_s, show_s, repeat_s
        self.settle_s, self.stale_s = settle_s, stale_s
        self.reset()

    def reset(self) -> None:
        self._current: Cue | None = None
        self._pending: Cue | None = None
        self._issued: dict[str, float] = {}
        self._status = ""
        self._status_since = math.nan
        self._advice = ""

    def update(
        self, t_s: float, status: str, advice: str = "", reps: Sequence[Rep] = (), info: str = ""
    ) -> Cue | None:
        """Feed one frame's status (and its advice), new reps and news; returns the cue
        issued now (to be said), if any."""
        if status != self._status:
            self._status, self._status_since = status, t_s
        self._advice = advice
        for rep in reps:
            worst = sorted(rep.faults, key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
            if worst:
                self._offer(Cue(worst[0].cue, CUE_FAULT, t_s, f"fault:{worst[0].code}"))
        if info:
            self._offer(Cue(info, CUE_INFO, t_s, f"info:{info}"))
        if status in _POSITION_STATUSES and advice and t_s - self._status_since >= self.settle_s:
            self._offer(Cue(advice, CUE_POSITION, t_s, f"position:{advice}"))
        p = self._pending
        if p is not None and (
            (p.kind == CUE_FAULT and t_s - p.t_s > self.stale_s)
            or (p.kind == CUE_POSITION and not self._position_holds(p))
        ):
            self._pending = p = None
        if p is None or (self._current is not None and t_s - self._current.t_s < self.cooldown_s):
            return None
        self._pending = None
        last = self._issued.get(p.key, -math.inf)
        if t_s - last < self.repeat_s:
            return None
        cue = replace(p, t_s=t_s)
        self._current = cue
        self._issued[p.key] = t_s
        return cue

    def current(self, t_s: float) -> Cue | None:
        """The cue to show now."""
        c = self._current
        if c is None:
            return None
        if c.kind == CUE_POSITION:
            return c if self._position_holds(c) else None
        return c if t_s - c.t_s < self.show_s else None

    def _position_holds(self, cue: Cue) -> bool:
        return self._status in _POSITION_STATUSES and cue.text == self._advice

    def _offer(self, cue: Cue) -> None:
        p = self._pending
        if p is None or _PRIORITY[cue.kind] <= _PRIORITY[p.kind]:
            self._pending = cue


# -- sound ----------------------------------------------------------------------------------------

TONE_HZ = 880.0
TONE_S = 0.12
SPEECH_ENGINES = (
    ("espeak-ng", ["espeak-ng", "-s", "165"]),
    ("espeak", ["espeak", "-s", "165"]),
    ("spd-say", ["spd-say", "--wait"]),
)
TONE_PLAYERS = (("paplay", ["paplay"]), ("aplay", ["aplay", "-q"]))


class Sound:
    """A short tone per counted rep and spoken cues, through whatever players are installed.

    Looks once for a WAV player (paplay, aplay) and a speech engine (espeak-ng, espeak,
    spd-say); ``notes`` says in words what is missing. Sounds are started with Popen and
    never waited for, so the loop never blocks; a new utterance replaces one still speaking.
    """

    def __init__(
        self, enabled: bool = True, which: Callable[[str], str | None] = shutil.which
    ) -> None:
        self.notes: list[str] = []
        self._player: list[str] | None = None
        self._speech: list[str] | None = None
        self._speaking: subprocess.Popen[bytes] | None = None
        self._children: list[subprocess.Popen[bytes]] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._tone: Path | None = None
        if not enabled:
            return
        self._player = next((cmd for name, cmd in TONE_PLAYERS if which(name)), None)
        self._speech = next((cmd for name, cmd in SPEECH_ENGINES if which(name)), None)
        if self._player is None:
            self.notes.append("no rep tone: neither paplay nor aplay is installed")
        if self._speech is None:
            self.notes.append(
                "no spoken cues: no speech engine is installed (espeak-ng, espeak or "
                "spd-say); cues are shown only"
            )

    def beep(self) -> None:
        if self._player is None:
            return
        if self._tone is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="formcheck-")
            self._tone = Path(self._tmp.name) / "rep.wav"
            _write_tone(self._tone, TONE_HZ, TONE_S)
        self._spawn([*self._player, str(self._tone)])

    def say(self, text: str) -> None:
        if self._speech is None or not text:
            return
        if self._speaking is not None and self._speaking.poll() is None:
            self._speaking.terminate()
        self._speaking = self._spawn([*self._speech, text])

    def _spawn(self, cmd: list[str]) -> subprocess.Popen[bytes] | None:
        self._children = [c for c in self._children if c.poll() is None]
        try:
            child = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        except OSError as exc:  # the player vanished or cannot run: stop trying, say why once
            self.notes.append(f"sound turned off: {cmd[0]} could not run ({exc.strerror or exc})")
            self._player = self._speech = None
            return None
        self._children.append(child)
        return child

    def close(self) -> None:
        """Reap finished players; ones still playing finish on their own (the tone file
        they hold open outlives its deletion)."""
        self._children = [c for c in self._children if c.poll() is None]
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = self._tone = None


def _write_tone(path: Path, hz: float, seconds: float, rate: int = 22050) -> None:
    t = np.arange(int(rate * seconds)) / rate
    fade = np.minimum(1.0, np.minimum(t, seconds - t) / 0.01)  # no clicks at the ends
    samples = (0.4 * 32767 * np.sin(2 * np.pi * hz * t) * fade).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())


# -- the pipeline ---------------------------------------------------------------------------------


class FrameSourceLike(Protocol):
    """What the live loop needs of a frame source (sources.VideoSource, CameraSource...)."""

    info: SourceInfo

    def frames(self) -> Iterator[Frame]: ...


class Display(Protocol):
    """A window (render.Window) or none; ``poll`` returns a command ("quit", "pause",
    "reset", "next_set") or None."""

    def show(self, image_bgr: np.ndarray) -> None: ...

    def poll(self, wait_ms: int = 1) -> str | None: ...

    def close(self) -> None: ...


class NoWindow:
    """The display of ``--no-window``: shows nothing, no keys."""

    def show(self, image_bgr: np.ndarray) -> None:
        pass

    def poll(self, wait_ms: int = 1) -> str | None:
        return None

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class Captured:
    """A frame and the wall-clock time (time.monotonic, s) it was taken from the source."""

    frame: Frame
    t_wall: float


@dataclass(frozen=True)
class Analysed:
    """A captured frame with its pose, and when the model finished (time.monotonic, s)."""

    captured: Captured
    pose: PoseFrame
    t_posed: float


_END = object()


class FrameFeed:
    """The capture stage: a thread reading ``frames``.

    With ``latest_only`` (cameras) it keeps just the newest frame: an older one not yet
    taken is dropped (``dropped`` counts them). Otherwise every frame is handed over in
    order through a small queue, and with ``pace_fps`` no sooner than the frame's own time
    after the first (a file played at its speed). An error of the source is raised by
    ``get`` in the consumer's thread.
    """

    def __init__(
        self,
        frames: Iterator[Frame],
        *,
        latest_only: bool,
        pace: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._frames = frames
        self.latest_only = latest_only
        self.pace = pace
        self._clock = clock
        self._stop = threading.Event()
        self._cond = threading.Condition()
        self._latest: Captured | None = None  # the newest frame not yet taken
        self._final: object | None = None  # then: _END or the source's exception
        self._queue: queue.Queue[object] = queue.Queue(maxsize=FILE_QUEUE_FRAMES)
        self.captured = 0
        self.dropped = 0
        self.last_t_wall = math.nan
        self.ended = False
        self._thread = threading.Thread(target=self._run, name="formcheck-capture", daemon=True)

    def start(self) -> FrameFeed:
        self._thread.start()
        return self

    def stop(self, timeout: float = 0.5) -> None:
        """Stop reading. A thread stuck in a dead camera's read is left behind (a daemon),
        so stopping never takes longer than ``timeout``."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        self._thread.join(timeout)

    def get(self, timeout: float) -> Captured | None:
        """The next frame; None at the end of the source or after ``timeout`` s with none
        (``ended`` tells which). Raises what the source raised."""
        item: object | None
        if self.latest_only:
            with self._cond:
                if self._latest is None and self._final is None:
                    self._cond.wait(timeout)
                if self._latest is not None:
                    item, self._latest = self._latest, None
                else:
                    item = self._final
        else:
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                return None
            if item is _END:
                self._queue.put(_END)  # later calls see the end too
        if item is None:
            return None
        if item is _END:
            self.ended = True
            return None
        if isinstance(item, BaseException):
            raise item
        assert isinstance(item, Captured)
        return item

    def _hand_over(self, item: object) -> bool:
        """Pass ``item`` on; False when stopped meanwhile."""
        if self.latest_only:
            with self._cond:
                if isinstance(item, Captured):
                    if self._latest is not None:
                        self.dropped += 1
                    self._latest = item
                else:
                    self._final = item  # after the newest frame, which is still handed over
                self._cond.notify_all()
            return True
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        t0_wall = t0_frame = math.nan
        try:
            for frame in self._frames:
                if self._stop.is_set():
                    return
                if self.pace:
                    now = self._clock()
                    offset = (
                        (frame.timestamp_ms - t0_frame) / 1000.0 if math.isfinite(t0_frame) else 0.0
                    )
                    due = t0_wall + offset
                    if not math.isfinite(due) or now - due > PACE_SLACK_S:
                        t0_wall, t0_frame = now, frame.timestamp_ms  # (re)start the clock here
                    elif due > now and self._stop.wait(due - now):
                        return
                t = self._clock()
                self.captured += 1
                self.last_t_wall = t
                if not self._hand_over(Captured(frame, t)):
                    return
            self._hand_over(_END)
        except FormcheckError as exc:
            self._hand_over(exc)
        except Exception as exc:  # a decoder or driver failure: reported by the consumer
            self._hand_over(InputError(f"reading the input failed: {type(exc).__name__}: {exc}"))
        finally:
            close = getattr(self._frames, "close", None)
            if close is not None:
                close()


class PoseStage:
    """The pose stage: a thread taking frames from a FrameFeed and running the model."""

    def __init__(
        self, feed: FrameFeed, estimator: PoseEstimator, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.feed = feed
        self.estimator = estimator
        self._clock = clock
        self._stop = threading.Event()
        self.out: queue.Queue[object] = queue.Queue(maxsize=POSE_QUEUE_FRAMES)
        self.busy_s = 0.0
        self._thread = threading.Thread(target=self._run, name="formcheck-pose", daemon=True)

    def start(self) -> PoseStage:
        self._thread.start()
        return self

    def stop(self, timeout: float = 0.5) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def get(self, timeout: float) -> Analysed | None:
        """The next analysed frame; None after ``timeout`` s with none. Raises
        StopIteration at the end of the input and what the source or model raised."""
        try:
            item = self.out.get(timeout=timeout)
        except queue.Empty:
            return None
        if item is _END:
            self.out.put(_END)
            raise StopIteration
        if isinstance(item, BaseException):
            raise item
        assert isinstance(item, Analysed)
        return item

    def _put(self, item: object) -> None:
        while not self._stop.is_set():
            try:
                self.out.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                cap = self.feed.get(timeout=0.1)
                if cap is None:
                    if self.feed.ended:
                        self._put(_END)
                        return
                    continue
                t = self._clock()
                pose = self.estimator.estimate(cap.frame.image, cap.frame.timestamp_ms)
                done = self._clock()
                self.busy_s += done - t
                self._put(Analysed(cap, pose, done))
        except BaseException as exc:  # handed to the drawing stage, raised there
            self._put(exc)


# -- the session ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveOptions:
    """How a live session runs.

    ``pace``: play a file at its own fps (else as fast as it is analysed). ``drop_late``:
    analyse only the newest frame, dropping older ones (None: cameras do, files do not).
    ``record``: write the overlay video here. ``echo``: print reps and cues as they come
    (for a session without a window).
    """

    plan: SetPlan
    side: Side | None = None
    pace: bool = True
    drop_late: bool | None = None
    record: Path | None = None
    echo: bool = False


class Ended(StrEnum):
    END_OF_INPUT = "end_of_input"  # the file ended
    QUIT = "quit"  # q, Esc, or the window closed
    INTERRUPTED = "interrupted"  # Ctrl-C
    ERROR = "error"  # the camera was lost, the model failed...


@dataclass(frozen=True)
class LiveStats:
    """How the pipeline kept up. Times in seconds or milliseconds as named.

    ``latency_ms`` holds, per frame drawn, the time from capture to the overlay being
    drawn and handed to the display. ``wall_s`` runs from the start to the end of the
    input (the summary shown afterwards is not counted).
    """

    wall_s: float
    frames_captured: int
    frames_analysed: int
    frames_dropped: int
    frames_drawn: int
    pose_busy_s: float
    latency_ms: tuple[float, ...]

    @property
    def fps(self) -> float:
        """Frames analysed per second of wall time."""
        return self.frames_analysed / self.wall_s if self.wall_s > 0 else math.nan

    def latency_percentile(self, q: float) -> float:
        return float(np.percentile(self.latency_ms, q)) if self.latency_ms else math.nan

    def to_dict(self) -> dict[str, object]:
        return {
            "wall_s": _round(self.wall_s),
            "frames_captured": self.frames_captured,
            "frames_analysed": self.frames_analysed,
            "frames_dropped": self.frames_dropped,
            "fps": _round(self.fps),
            "latency_ms_median": _round(self.latency_percentile(50), 1),
            "latency_ms_p95": _round(self.latency_percentile(95), 1),
        }


@dataclass(frozen=True)
class LiveResult:
    """The outcome: the analyzer (reps, movements, frames), the sets, how it ended."""

    analyzer: Analyzer
    plan: SetPlan
    sets: tuple[SetRecord, ...]
    ended: Ended
    error: FormcheckError | None
    stats: LiveStats
    source: SourceInfo

    @property
    def complete(self) -> bool:
        """Whether the whole input was analysed: a file to its end, a camera until the
        person stopped it."""
        if self.ended is Ended.ERROR:
            return False
        if self.source.kind == "camera":
            return True
        return self.ended is Ended.END_OF_INPUT

    def report_extra(self) -> dict[str, object]:
        """The live part of the JSON report: the plan, the sets, how it ended, the timing."""
        return {
            "plan": {
                "sets": self.plan.sets,
                "reps": self.plan.reps,
                "per_leg": self.plan.per_leg,
                "rest_s": self.plan.rest_s,
            },
            "sets": [s.to_dict() for s in self.sets],
            "ended": self.ended.value,
            "error": str(self.error) if self.error else None,
            "timing": self.stats.to_dict(),
        }


def summary_lines(analyzer: Analyzer, sets: Sequence[SetRecord]) -> tuple[str, ...]:
    """The end summary in a few short lines (for the window and the terminal)."""
    lines = []
    for s in sets:
        c = s.counts()
        legs = f" (left {c['left']}, right {c['right']})" if analyzer.per_leg else ""
        lines.append(f"Set {s.index}: {c['total']} reps{legs}, {s.good} good")
    if not sets:
        lines.append("No reps were counted.")
    faults: dict[str, int] = {}
    for r in analyzer.reps:
        for f in r.faults:
            faults[f.code] = faults.get(f.code, 0) + 1
    if faults:
        lines.append(
            "Faults: " + ", ".join(f"{fault_label(c).lower()} x{n}" for c, n in faults.items())
        )
    elif analyzer.reps:
        lines.append("No faults: well done.")
    return tuple(lines)


class LiveSession:
    """Runs one live session: the three stages, the analysis, sets, cues, sound and window.

    Build it, then call ``run()`` once. The source, estimator and landmark writer are opened
    and closed by the caller; the session closes what it opens (its threads, the recording,
    the window).
    """

    def __init__(
        self,
        source: FrameSourceLike,
        estimator: PoseEstimator,
        spec: ExerciseSpec,
        options: LiveOptions,
        *,
        display: Display | None = None,
        sound: Sound | None = None,
        landmarks: LandmarkWriter | None = None,
        out: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.source = source
        self.estimator = estimator
        self.spec = spec
        self.options = options
        self.display: Display = display or NoWindow()
        self.sound = sound or Sound(enabled=False)
        self.landmarks = landmarks
        self._out = out or (lambda text: print(text, file=sys.stderr))
        self._clock = clock
        self.is_camera = source.info.kind == "camera"
        self.drop_late = self.is_camera if options.drop_late is None else options.drop_late
        self._sink: AvSink | None = None
        self._latency: list[float] = []
        self._analysed_at: deque[float] = deque()
        self._paused = False
        self._last_item: Analysed | None = None
        self._show_end = False
        self._t_s = 0.0
        self.frames_analysed = 0
        self.frames_drawn = 0
        self._new_analysis()

    def _new_analysis(self) -> None:
        spec = self.spec
        self.analyzer = Analyzer(spec, side=self.options.side)
        self.sets = SetTracker(self.options.plan)
        self.cues = CueScheduler()
        rep = spec.rep
        self.hold = HoldTimer(rep.peak_band_deg, max(rep.partial_rom_deg, rep.start_deg))
        self._hold_s = math.nan
        self._not_counting_since = math.nan

    # -- the loop ----------------------------------------------------------------------------

    def run(self) -> LiveResult:
        """Run until the input ends, the person quits, Ctrl-C, or an error. Errors are not
        raised: the result carries them, with everything counted until then."""
        feed = FrameFeed(
            self.source.frames(),
            latest_only=self.drop_late,
            pace=self.options.pace and not self.is_camera,
            clock=self._clock,
        )
        stage = PoseStage(feed, self.estimator, clock=self._clock)
        for note in self.sound.notes:
            self._out(f"formcheck: {note}")
        t_start = self._clock()
        ended, error = Ended.QUIT, None
        try:
            try:
                feed.start()
                stage.start()
                ended = self._loop(feed, stage)
            except FormcheckError as exc:
                ended, error = Ended.ERROR, exc
            except KeyboardInterrupt:
                ended = Ended.INTERRUPTED
            except Exception as exc:  # a bug: end the session but keep what was counted
                ended, error = (
                    Ended.ERROR,
                    FormcheckError(f"internal error: {type(exc).__name__}: {exc}"),
                )
                error.__cause__ = exc
            finally:
                t_end = self._clock()
                stage.stop()
                feed.stop()
                self._react(self._t_s, self.analyzer.finish())
                if self._sink is not None:
                    # What was recorded is kept however the session ended.
                    self._sink.close(complete=True)
            if ended is Ended.END_OF_INPUT or self.sets.phase is SetPhase.DONE:
                try:
                    self._show_summary()
                except KeyboardInterrupt:
                    ended = Ended.INTERRUPTED
        finally:
            self.display.close()
            self.sound.close()
        stats = LiveStats(
            t_end - t_start,
            feed.captured,
            self.frames_analysed,
            feed.dropped,
            self.frames_drawn,
            stage.busy_s,
            tuple(self._latency),
        )
        info = self.source.info
        if info.kind == "camera":
            info = replace(info, frame_count=self.frames_analysed)
        return LiveResult(
            self.analyzer, self.options.plan, tuple(self.sets.all_sets()), ended, error, stats, info
        )

    def _loop(self, feed: FrameFeed, stage: PoseStage) -> Ended:
        t_loop0 = self._clock()
        while True:
            batch: list[Analysed] = []
            # A paused file stops here and the pipeline behind waits; a camera streams on.
            if not (self._paused and not self.drop_late):
                try:
                    item = stage.get(timeout=0.02)
                    while item is not None:
                        batch.append(item)
                        item = stage.get(timeout=0.0)
                except StopIteration:
                    self._process(batch)
                    return Ended.END_OF_INPUT
            if self.is_camera:
                self._check_camera(feed, t_loop0)
            if self._paused:
                batch = []  # frames a camera sends while paused are not analysed
            drawn = self._process(batch)
            command = self.display.poll(30 if self._paused else 1)
            if drawn is not None:
                self._latency.append((self._clock() - drawn.captured.t_wall) * 1000.0)
            if command == "quit":
                return Ended.QUIT
            if command is not None:
                self._command(command)

    def _check_camera(self, feed: FrameFeed, t_loop0: float) -> None:
        now = self._clock()
        if math.isnan(feed.last_t_wall):
            if now - t_loop0 > CAMERA_FIRST_FRAME_S:
                raise InputError(f"the camera sent no picture in {CAMERA_FIRST_FRAME_S:g} s")
        elif now - feed.last_t_wall > CAMERA_STALL_S:
            raise InputError(
                f"the camera stopped sending pictures (nothing for {CAMERA_STALL_S:g} s: "
                "unplugged, or taken by another program)"
            )

    def _process(self, batch: list[Analysed]) -> Analysed | None:
        """Analyse every frame of ``batch`` in order; draw the newest (or each, when
        recording). Returns the last frame drawn."""
        drawn = None
        for i, item in enumerate(batch):
            self._analyse(item)
            if self.options.record is not None or i == len(batch) - 1:
                self._draw(item)
                drawn = item
        return drawn

    def _analyse(self, item: Analysed) -> None:
        pose = item.pose
        if self.landmarks is not None:
            self.landmarks.write(pose)
        events = self.analyzer.update(pose)
        self.frames_analysed += 1
        self._analysed_at.append(self._clock())
        self._react(pose.timestamp_ms / 1000.0, events)

    def _react(self, t_s: float, events: Sequence[Rep | Movement]) -> None:
        """Sets, hold timer, cues and sound after one analysed frame (or the final judgement)."""
        self._t_s = t_s
        reps = [e for e in events if isinstance(e, Rep)]
        info = self._set_news(self.sets.update(t_s, reps))
        status = self.analyzer.status
        advice = position_advice(status, self.analyzer.last_angles)
        cue = self.cues.update(t_s, status, advice, reps, info)
        for rep in reps:
            self.sound.beep()
            if self.options.echo:
                self._echo_rep(rep)
        if cue is not None:
            self.sound.say(cue.text)
            if self.options.echo:
                self._out(f"[{t_s:7.1f} s] {cue.text}")
        if status in (Status.READY, Status.MOVING):
            self._not_counting_since = math.nan
        elif math.isnan(self._not_counting_since):
            self._not_counting_since = t_s
        moving = [
            t
            for t in self.analyzer.trackers().values()
            if t.state in (TrackerState.MOVING, TrackerState.LOCKOUT)
        ]
        if moving:
            tracker = max(
                moving, key=lambda t: t.progress_deg if math.isfinite(t.progress_deg) else -math.inf
            )
            self._hold_s = self.hold.update(t_s, tracker.progress_deg, True)
        else:
            self._hold_s = self.hold.update(t_s, math.nan, False)

    def _set_news(self, events: list[SetEvent]) -> str:
        plan = self.options.plan
        if SetEvent.ALL_DONE in events:
            return f"All {plan.sets} sets done. Well done!"
        if SetEvent.SET_DONE in events:
            return f"Set {self.sets.index} done. Rest {plan.rest_s:g} seconds."
        if SetEvent.REST_OVER in events:
            return f"Set {self.sets.index} of {plan.sets}: go!"
        return ""

    def _echo_rep(self, rep: Rep) -> None:
        leg = f" ({rep.leg.value})" if rep.leg else ""
        verdict = "good" if rep.good else ", ".join(f.code for f in rep.faults)
        self._out(
            f"[{rep.end_s:7.1f} s] rep {rep.index}{leg}: {verdict} ({rep.rom_deg:.0f} deg range)"
        )

    def overlay_state(self, t_s: float) -> OverlayState:
        """What the overlay shows at source time ``t_s``."""
        sets, plan = self.sets, self.options.plan
        phase = PHASE_ACTIVE
        if sets.phase is SetPhase.DONE or self._show_end:
            phase = PHASE_DONE
        elif sets.phase is SetPhase.REST:
            phase = PHASE_REST
        elif (
            math.isfinite(self._not_counting_since)
            and t_s - self._not_counting_since >= POSITION_SHOW_AFTER_S
        ):
            phase = PHASE_POSITION
        cue = self.cues.current(t_s)
        now = self._clock()
        while self._analysed_at and now - self._analysed_at[0] > FPS_WINDOW_S:
            self._analysed_at.popleft()
        times = self._analysed_at
        span = times[-1] - times[0] if len(times) > 1 else 0.0
        fps = (len(times) - 1) / span if span > 0 else math.nan
        state = OverlayState.from_analyzer(
            self.analyzer,
            counts=sets.counts(),
            rep_target=plan.reps,
            set_index=sets.index,
            sets_total=plan.sets,
            cue=cue.text if cue else "",
            cue_kind=cue.kind if cue else CUE_INFO,
            rest_left_s=sets.rest_left_s(t_s),
            hold_s=self._hold_s,
            fps=fps,
            latency_ms=self._latency[-1] if self._latency else math.nan,
            paused=self._paused,
        )
        state = replace(state, phase=phase)
        if phase != PHASE_POSITION:
            state = replace(state, checklist=())
        if phase == PHASE_DONE:
            state = replace(state, summary=summary_lines(self.analyzer, sets.all_sets()))
        return state

    def _render(self, item: Analysed) -> np.ndarray:
        state = self.overlay_state(item.pose.timestamp_ms / 1000.0)
        image = draw_skeleton(
            item.captured.frame.image, item.pose, state.side, other_leg=self.analyzer.per_leg
        )
        return draw_overlay(image, state, inplace=True)  # on the skeleton's copy, not the frame

    def _draw(self, item: Analysed) -> None:
        image = self._render(item)
        self.display.show(image)
        self.frames_drawn += 1
        self._last_item = item
        if self.options.record is not None:
            if self._sink is None:
                self._sink = open_sink(self.options.record, self.source.info.fps)
            # At the frame's own time: frames the live loop skipped leave a gap, not a jump.
            self._sink.write(image, item.pose.timestamp_ms / 1000.0)

    def _command(self, command: str) -> None:
        t_s = self._t_s
        if command == "pause":
            self._paused = not self._paused
            if self._paused and self.is_camera:
                # Frames are skipped while paused: judge what is complete, drop what is not,
                # so no rep straddles the pause.
                self._react(t_s, self.analyzer.finish())
        elif command == "reset":
            self._new_analysis()
            self._paused = False
        elif command == "next_set":
            info = self._set_news(self.sets.end_set(t_s))
            cue = self.cues.update(t_s, self.analyzer.status, "", (), info) if info else None
            if cue is not None:
                self.sound.say(cue.text)
        if self._last_item is not None:
            self.display.show(self._render(self._last_item))

    def _show_summary(self) -> None:
        """At the end, keep the summary on screen a moment (any key closes it)."""
        if isinstance(self.display, NoWindow) or self._last_item is None:
            return
        self._show_end = True
        self.display.show(self._render(self._last_item))
        until = self._clock() + SUMMARY_HOLD_S
        while self._clock() < until:
            if self.display.poll(50) is not None:
                return


def _round(x: float, nd: int = 2) -> float | None:
    return round(float(x), nd) if x is not None and math.isfinite(x) else None


def default_report_path(exercise: str, now: float | None = None) -> Path:
    """``formcheck-live-EXERCISE-YYYYmmdd-HHMMSS.json`` in the current folder."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    return Path(f"formcheck-live-{exercise}-{stamp}.json")


__all__ = [
    "CAMERA_STALL_S",
    "Cue",
    "CueScheduler",
    "DEFAULT_REST_S",
    "Ended",
    "FrameFeed",
    "HoldTimer",
    "LiveOptions",
    "LiveResult",
    "LiveSession",
    "LiveStats",
    "NoWindow",
    "PoseStage",
    "SetEvent",
    "SetPhase",
    "SetPlan",
    "SetRecord",
    "SetTracker",
    "Sound",
    "default_report_path",
    "summary_lines",
]
