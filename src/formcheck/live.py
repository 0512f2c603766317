"""Live coaching: camera → pose → the same per-frame analysis as ``analyze`` → overlay, cues, sets.

Three stages run at once so lag cannot build up:

* **capture** (a thread): reads the source. A camera keeps only its newest frame, so the
  model always works on the latest picture and stale frames are dropped; a video file
  hands over every frame in order (paced at its own fps, or as fast as it is analysed), so
  a file gives exactly the reps and faults ``analyze`` gives.
* **pose** (a thread): runs the pose model on each frame it takes (MediaPipe keeps one
  core busy; the GIL is released while it works).
* **analysis and drawing** (the calling thread): steps every pose, in order, through
  ``analysis.FrameAnalysis`` (the path ``analyze`` takes), then the set and cue logic, and
  draws the newest frame's overlay.

Analysis is timed by the frames' own timestamps (the camera clock, or the file's frame
clock), never by the wall clock; only pacing, fps and latency read the wall clock.

The set and cue logic live in ``coaching.py`` (no cv2; the hold at the top comes with the
analyzer's progress snapshot), the capture and pose threads in ``capture.py``, sound in
``sound.py``, the window in ``window.py``, the drawing in ``render.py`` and ``skeleton.py``
and the recording in ``sinks.py``; this module wires them into the loop.
"""

from __future__ import annotations

import math
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

import numpy as np

from .analysis import FrameAnalysis
from .capture import (
    CAMERA_FIRST_FRAME_S,
    CAMERA_STALL_S,
    Analysed,
    FrameFeed,
    FrameSourceLike,
    PoseStage,
)
from .coaching import (
    CUE_INFO,
    DEFAULT_REST_S,
    PHASE_ACTIVE,
    PHASE_DONE,
    PHASE_POSITION,
    PHASE_REST,
    Cue,
    CueScheduler,
    HoldTimer,
    OverlayState,
    SetEvent,
    SetPhase,
    SetPlan,
    SetRecord,
    SetTracker,
    fault_label,
    position_advice,
)
from .errors import FormcheckError, InputError
from .exercise import ExerciseSpec
from .landmarks import Side
from .pose import PoseEstimator
from .pose.replay import LandmarkWriter
from .render import draw_overlay
from .reps import Movement, Rep
from .session import Analyzer, Status
from .sinks import VideoSink, open_sink
from .skeleton import draw_skeleton
from .sound import Sound
from .sources import SourceInfo
from .window import Display, NoWindow

# How long the end summary stays in the window (any key closes it sooner).
SUMMARY_HOLD_S = 5.0
# The position checklist appears only after the position has been wrong this long, so one
# odd frame does not flash it.
POSITION_SHOW_AFTER_S = 0.5
# fps is measured over this much wall time.
FPS_WINDOW_S = 1.0

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
        self._sink: VideoSink | None = None
        self._latency: list[float] = []
        self._analysed_at: deque[float] = deque()
        self._paused = False
        self._last_item: Analysed | None = None
        self._show_end = False
        self._t_s = 0.0
        self.frames_drawn = 0
        self.analysis = FrameAnalysis(spec, side=options.side, landmarks=landmarks)
        self._new_coaching()

    @property
    def analyzer(self) -> Analyzer:
        """The analyzer of the analysis under way (a new one after a reset)."""
        return self.analysis.analyzer

    @property
    def frames_analysed(self) -> int:
        return self.analysis.frames

    def _new_coaching(self) -> None:
        self.sets = SetTracker(self.options.plan)
        self.cues = CueScheduler()
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
                self._react(self._t_s, self.analysis.finish())
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
        events = self.analysis.step(pose)
        self._analysed_at.append(self._clock())
        self._react(pose.timestamp_ms / 1000.0, events)

    def _react(self, t_s: float, events: Sequence[Rep | Movement]) -> None:
        """Sets, cues and sound after one analysed frame (or the final judgement)."""
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
        t = rep.top_s if rep.cut_off else rep.end_s
        cut = ", cut off" if rep.cut_off else ""
        self._out(f"[{t:7.1f} s] rep {rep.index}{leg}: {verdict} ({rep.rom_deg:.0f} deg range{cut})")

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
                self._react(t_s, self.analysis.finish())
        elif command == "reset":
            self.analysis.reset()
            self._new_coaching()
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
