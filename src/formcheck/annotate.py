"""The annotated video and the thumbnails of faulty reps, drawn with render.py and skeleton.py.

The video is made in a second pass over the source, after the analysis, because a fault is
known only when its rep has ended, yet its banner belongs on the frames where it happened.
The pass streams: one decoded frame at a time, drawn and encoded, plus the landmarks of every
frame kept from the analysis (``LandmarkTrack``, ~0.5 KB a frame). The thumbnails of the worst
moment of each faulty rep are taken from the same pass, so the video is decoded only once more.

What to draw on each frame is rebuilt from the finished typed report (``ReportOverlay`` makes
the ``coaching.OverlayState`` live mode shows: counter, driving-angle gauge, hold timer, the last
rep's verdict, and the fault's cue as a banner); ``skeleton.draw_skeleton`` and
``render.draw_overlay`` draw it, so live and recorded videos look the same.

Output is H.264 in MP4 (``sinks.py``: what phones and browsers play), each frame at its own
time, so a variable-frame-rate clip's annotated video stays in step with its report.
"""

from __future__ import annotations

import bisect
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from . import coaching
from .errors import ExerciseError, InputError, OutputError
from .exercise import ExerciseSpec, find_exercise
from .landmarks import PoseFrame, Side
from .media import Thumbnail
from .render import draw_overlay
from .report import FrameEntry, Report, as_report, most_serious_first
from .session import Status
from .sinks import open_sink
from .skeleton import MIN_DRAW_VISIBILITY, draw_skeleton
from .sources import open_source

VIDEO_NAME = "annotated.mp4"
THUMB_WIDTH_PX = 360
THUMB_JPEG_QUALITY = 82
# Thumbnails are cropped to the person with this margin (share of their size on each side),
# but never to less than this share of the frame's width (a close-up loses the context).
THUMB_MARGIN = 0.15
THUMB_MIN_SHARE = 0.5
# A fault's banner shows from shortly before its worst moment until a little after its rep
# ends (or for BANNER_MIN_S, whichever is later), so it is on screen long enough to read.
BANNER_BEFORE_S = 0.5
BANNER_AFTER_REP_S = 0.5
BANNER_MIN_S = 2.0


# -- the landmarks of every frame, kept from the analysis ----------------------------------


class LandmarkTrack:
    """Image landmarks (33 × [x, y, z, visibility], normalised) of each analysed frame, by time.

    ``keep`` passes PoseFrames through unchanged while recording them, so it can wrap the
    analysis stream. ``at(t_ms)`` gives the landmarks of the frame nearest ``t_ms`` if it is
    within half a frame, else None.
    """

    def __init__(self) -> None:
        self._t_ms: list[float] = []
        self._lm: list[np.ndarray | None] = []

    def __len__(self) -> int:
        return len(self._t_ms)

    def add(self, pose: PoseFrame) -> None:
        if self._t_ms and pose.timestamp_ms <= self._t_ms[-1]:
            return  # the analyzer ignores repeated or backwards time; so does the track
        self._t_ms.append(float(pose.timestamp_ms))
        self._lm.append(None if pose.image is None else pose.image.astype(np.float32))

    def keep(self, poses: Iterable[PoseFrame]) -> Iterator[PoseFrame]:
        for pose in poses:
            self.add(pose)
            yield pose

    def at(self, t_ms: float, tolerance_ms: float) -> np.ndarray | None:
        i = _nearest(self._t_ms, t_ms)
        if i is None or abs(self._t_ms[i] - t_ms) > tolerance_ms:
            return None
        return self._lm[i]


def _nearest(sorted_values: list[float], x: float) -> int | None:
    if not sorted_values:
        return None
    i = bisect.bisect_left(sorted_values, x)
    if i == len(sorted_values):
        return i - 1
    if i > 0 and x - sorted_values[i - 1] <= sorted_values[i] - x:
        return i - 1
    return i


# -- what the overlay says at each moment ---------------------------------------------------


class ReportOverlay:
    """Answers "what does the overlay show at time t?" from a finished report (typed, or a
    JSON report dict), as the ``coaching.OverlayState`` the live mode draws. ``spec`` (the
    exercise) gives the gauge its target band; without it the band is taken from the reps."""

    def __init__(self, report: Report | Mapping[str, Any], spec: ExerciseSpec | None = None) -> None:
        typed = as_report(report)
        self.report = typed
        self.spec = spec
        self.per_leg = typed.per_leg
        self.signal = typed.driving_signal()
        self.sign = spec.rep.sign if spec is not None else _direction(typed, self.signal)
        self.hold_target_s = spec.prescription.hold_s if spec else typed.prescribed_hold_s() or 0.0
        self._frame_t = [float(f.t_s) for f in typed.frames]
        self._reps = sorted(typed.reps, key=lambda r: r.start_s)
        self._cues: list[tuple[float, float, int, str]] = []
        for r in self._reps:
            for f in most_serious_first(r.faults):
                t = r.fault_time(f)
                start = t - BANNER_BEFORE_S
                end = max(float(r.end_s) + BANNER_AFTER_REP_S, start + BANNER_MIN_S)
                leg = f" ({r.leg})" if r.leg else ""
                text = f"Rep {r.index}{leg}: {coaching.fault_label(f.code)}. {f.cue}"
                # Sorted later most serious first: the rank, negated.
                self._cues.append((start, end, -f.rank, text))
        roms = [r.range_of_motion_deg for r in self._reps if r.range_of_motion_deg]
        self._fallback_band = (min(roms) if roms else 0.0, math.inf)

    @classmethod
    def for_report(cls, report: Report | Mapping[str, Any]) -> ReportOverlay:
        """With the exercise looked up by its name (None for an exercise file not bundled)."""
        typed = as_report(report)
        try:
            spec: ExerciseSpec | None = find_exercise(typed.exercise.name)
        except ExerciseError:
            spec = None
        return cls(typed, spec)

    def _frame(self, t_s: float) -> FrameEntry | None:
        i = _nearest(self._frame_t, t_s)
        return None if i is None else self.report.frames[i]

    def _value(self, frame: FrameEntry | None, side: Side) -> float:
        if frame is None:
            return math.nan
        v = frame.angle(f"{self.signal}_deg", side.value)
        return v if v is not None else math.nan

    def working_side(self, t_s: float) -> Side | None:
        """The side drawn and measured at ``t_s``: the leg (or side) of the rep under way or,
        between reps, of the last one (the first one before any)."""
        current = next((r for r in self._reps if r.start_s <= t_s <= r.end_s), None)
        done = [r for r in self._reps if r.end_s < t_s]
        rep = current or (done[-1] if done else (self._reps[0] if self._reps else None))
        if rep is not None:
            return Side(rep.leg or rep.side)
        return Side(self.report.side) if self.report.side else None

    def _baseline(self, side: Side, t_s: float) -> float:
        """The person's start position for ``side``: the start angle of the latest rep of that
        side begun by ``t_s`` (of its first rep before then)."""
        mine = [r for r in self._reps if Side(r.leg or r.side) is side]
        begun = [r for r in mine if r.start_s <= t_s]
        rep = begun[-1] if begun else (mine[0] if mine else None)
        if rep is None:
            return math.nan
        v = rep.start.get(f"{self.signal}_deg")
        return float(v) if v is not None else math.nan

    def state(self, t_s: float) -> coaching.OverlayState:
        """The overlay at ``t_s`` seconds into the video."""
        frame = self._frame(t_s)
        status = frame.status if frame is not None else Status.NO_PERSON
        counting = status in (Status.READY, Status.MOVING)
        done = [r for r in self._reps if r.end_s <= t_s]
        if self.per_leg:
            counts = tuple(
                (s.value, sum(1 for r in done if r.leg == s.value))
                for s in (Side.LEFT, Side.RIGHT)
            )
        else:
            counts = (("reps", len(done)),)
        side = self.working_side(t_s)
        gauge = None
        if side is not None:
            value = self._value(frame, side)
            baseline = self._baseline(side, t_s)
            lo, hi = (
                coaching.target_band(self.spec, baseline)
                if self.spec is not None
                else self._fallback_band
            )
            start_deg = self.spec.rep.start_deg if self.spec is not None else 0.0
            name = self.signal.replace("_flexion", "").replace("_", " ")
            gauge = coaching.Gauge(
                f"{side.value} {name}", value, self.sign * (value - baseline), start_deg, lo, hi
            )
        hold = math.nan
        current = next((r for r in self._reps if r.start_s <= t_s <= r.end_s), None)
        if current is not None and self.hold_target_s > 0:
            held = current.tempo.hold_s or 0.0
            since = t_s - (float(current.top_s) - held / 2)
            if since >= 0:
                hold = min(since, held)
        verdict = None
        if done:
            last = done[-1]
            verdict = coaching.RepVerdict.of(
                last.verdict,
                last.index,
                last.leg,
                float(last.range_of_motion_deg or math.nan),
                float(last.tempo.hold_s or 0.0),
            )
        cues = sorted((c for c in self._cues if c[0] <= t_s <= c[1]), key=lambda c: c[2])
        return coaching.OverlayState(
            title=self.report.exercise.title,
            status=status,
            advice=Status.MESSAGES.get(status, ""),
            phase=coaching.PHASE_ACTIVE if counting else coaching.PHASE_POSITION,
            side=side,
            per_leg=self.per_leg,
            counts=counts,
            gauge=gauge,
            hold_s=hold,
            hold_target_s=self.hold_target_s,
            cue=cues[0][3] if cues else "",
            cue_kind=coaching.CUE_FAULT if cues else coaching.CUE_INFO,
            last_rep=verdict,
            checklist=() if counting else coaching.position_checklist(status),
        )


def _direction(report: Report, signal: str) -> float:
    """+1 when the driving angle rises from the start position to the peak, -1 when it falls:
    from the report, or (reports without the field) from its reps' start and peak angles."""
    direction = report.exercise.direction
    if direction in ("increase", "decrease"):
        return 1.0 if direction == "increase" else -1.0
    key = f"{signal}_deg"
    moves = [
        r.peak[key] - r.start[key]  # type: ignore[operator]
        for r in report.reps
        if r.peak.get(key) is not None and r.start.get(key) is not None
    ]
    return -1.0 if moves and float(np.median(moves)) < 0 else 1.0


def _pose(landmarks: np.ndarray | None, t_ms: float, image: np.ndarray) -> PoseFrame:
    h, w = image.shape[:2]
    return PoseFrame(t_ms, w, h, None if landmarks is None else landmarks.astype(np.float64))


def draw_frame(
    image: np.ndarray,
    landmarks: np.ndarray | None,
    t_ms: float,
    overlay: ReportOverlay,
    full: bool = True,
) -> np.ndarray:
    """One annotated frame: the skeleton of the working side (and, per leg, the other leg) and,
    with ``full``, the overlay of that moment. Returns a new image."""
    t_s = t_ms / 1000.0
    img = draw_skeleton(
        image, _pose(landmarks, t_ms, image), overlay.working_side(t_s), other_leg=overlay.per_leg
    )
    return draw_overlay(img, overlay.state(t_s)) if full else img


def thumbnail_times(report: Report | Mapping[str, Any]) -> dict[int, float]:
    """Rep index → the time (s) of its worst fault, for every faulty rep."""
    out = {}
    for r in as_report(report).reps:
        f = r.worst_fault
        if f is not None:
            out[r.index] = r.fault_time(f)
    return out


def crop_to_person(image: np.ndarray, landmarks: np.ndarray | None) -> np.ndarray:
    """The part of ``image`` around the seen landmarks (with a margin), in the image's own
    aspect ratio, so a small thumbnail still shows the joints; the whole image if none is seen."""
    if landmarks is None:
        return image
    h, w = image.shape[:2]
    seen = landmarks[landmarks[:, 3] >= MIN_DRAW_VISIBILITY, :2]
    seen = seen[np.all((seen > -0.05) & (seen < 1.05), axis=1)]
    if len(seen) < 4:
        return image
    (x0, y0), (x1, y1) = seen.min(axis=0) * (w, h), seen.max(axis=0) * (w, h)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bw = max(x1 - x0, (y1 - y0) * w / h) * (1 + 2 * THUMB_MARGIN)
    bw = min(max(bw, w * THUMB_MIN_SHARE), w)
    bh = bw * h / w
    left = int(round(min(max(cx - bw / 2, 0), w - bw)))
    top = int(round(min(max(cy - bh / 2, 0), h - bh)))
    return image[top : top + int(round(bh)), left : left + int(round(bw))]


def _thumbnail(image: np.ndarray, rep: int, t_s: float) -> Thumbnail:
    h, w = image.shape[:2]
    size = (THUMB_WIDTH_PX, max(1, round(h * THUMB_WIDTH_PX / w)))
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, THUMB_JPEG_QUALITY])
    if not ok:
        raise OutputError(f"could not encode the thumbnail of rep {rep}")
    return Thumbnail(rep, t_s, buf.tobytes())


class _ThumbGrabber:
    """Keeps, for each wanted time, the frame nearest to it as the frames stream past."""

    def __init__(self, wanted: Mapping[int, float], frame_s: float) -> None:
        self.wanted = dict(wanted)
        self.half = frame_s / 2
        self.found: dict[int, Thumbnail] = {}

    @property
    def last_s(self) -> float:
        return max(self.wanted.values(), default=-math.inf)

    def due(self, t_s: float) -> list[int]:
        """The reps whose thumbnail is the frame at ``t_s`` (the frame nearest their time)."""
        return [
            rep
            for rep, want in self.wanted.items()
            if rep not in self.found and abs(t_s - want) <= self.half + 1e-6
        ]

    def take(self, rep: int, t_s: float, image: np.ndarray) -> None:
        self.found[rep] = _thumbnail(image, rep, t_s)


def annotate_video(
    video: str | os.PathLike[str],
    report: Report | Mapping[str, Any],
    track: LandmarkTrack,
    out_path: Path,
    on_frame: Callable[[], None] | None = None,
    spec: ExerciseSpec | None = None,
) -> dict[int, Thumbnail]:
    """Writes the annotated video of ``video`` to ``out_path`` (H.264 MP4, atomically) and returns
    the thumbnail of each faulty rep's worst moment (skeleton only, cropped to the person; the
    page beside it has the words), by rep index.

    ``report`` is the finished report of the same video and ``track`` its landmarks.
    Raises InputError if the video cannot be read, OutputError if the result cannot be written.
    Ctrl-C (KeyboardInterrupt) leaves no file behind.
    """
    report = as_report(report)
    # The exercise analysed gives the gauge its target band; looked up by name only when the
    # caller does not have it (formcheck report, from a saved JSON).
    overlay = ReportOverlay(report, spec) if spec is not None else ReportOverlay.for_report(report)
    with open_source(video) as src:
        fps = src.info.fps
        grabber = _ThumbGrabber(thumbnail_times(report), 1.0 / fps)
        tolerance_ms = 500.0 / fps
        with open_sink(out_path, fps) as writer:
            for frame in src.frames():
                t_s = frame.timestamp_ms / 1000.0
                lm = track.at(frame.timestamp_ms, tolerance_ms)
                writer.write(draw_frame(frame.image, lm, frame.timestamp_ms, overlay), t_s)
                for rep in grabber.due(t_s):
                    picture = draw_frame(frame.image, lm, frame.timestamp_ms, overlay, full=False)
                    grabber.take(rep, t_s, crop_to_person(picture, lm))
                if on_frame is not None:
                    on_frame()
        if writer.frames == 0:
            raise InputError(f"{video}: no frames could be decoded for the annotated video")
    return grabber.found


def grab_thumbnails(video: str | os.PathLike[str], report: Report | Mapping[str, Any]) -> dict[int, Thumbnail]:
    """The frame of each faulty rep's worst moment, without overlay (no landmarks are known),
    decoding ``video`` once from the start up to the last one. Raises InputError."""
    wanted = thumbnail_times(report)
    if not wanted:
        return {}
    with open_source(video) as src:
        grabber = _ThumbGrabber(wanted, 1.0 / src.info.fps)
        for frame in src.frames():
            t_s = frame.timestamp_ms / 1000.0
            for rep in grabber.due(t_s):
                grabber.take(rep, t_s, frame.image)
            if t_s > grabber.last_s + 1.0:
                break
    return grabber.found
