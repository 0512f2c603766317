"""Frame sources: a video file (PyAV), a folder of images or a camera (OpenCV). The one
place formcheck reads pictures.

Each source is a context manager that yields Frames from ``frames()`` and releases what it
opened in ``finally``. Timestamps come from the source: a video's presentation times, the
image index over the given fps, or the camera's clock.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import av
import cv2
import numpy as np

from .errors import InputError

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")
MAX_SANE_FPS = 1000.0
DEFAULT_FPS = 30.0


@dataclass(frozen=True)
class Frame:
    """One decoded picture: BGR uint8 pixels and when it was taken."""

    index: int
    timestamp_ms: float
    image: np.ndarray


@dataclass(frozen=True)
class SourceInfo:
    """What a source is. ``frame_count`` is the container's claim (0 when unknown)."""

    kind: str
    path: str
    fps: float
    frame_count: int
    width: int
    height: int
    fps_note: str = ""

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        if not d["fps_note"]:
            del d["fps_note"]
        return d


@dataclass(frozen=True)
class ClockReport:
    """What a video's timestamps were like, for the report's ``source``.

    ``missing``, ``repeated``, ``backwards`` and ``jumps`` count the frames whose presentation
    time had to be set by formcheck (see :class:`FrameClock`); ``largest_jump_s`` is the
    biggest forward jump closed up. ``variable`` is true when the intervals between frames
    vary (a phone's variable frame rate); ``mean_fps`` is frames over the time they span.
    """

    frames: int = 0
    missing: int = 0
    repeated: int = 0
    backwards: int = 0
    jumps: int = 0
    largest_jump_s: float = 0.0
    variable: bool = False
    mean_fps: float = math.nan

    def to_source(self) -> dict[str, object]:
        """Keys for the report's ``source``: nothing for a steady, well-timed video."""
        out: dict[str, object] = {}
        if self.variable:
            out["frame_rate"] = "variable"
            if math.isfinite(self.mean_fps):
                out["mean_fps"] = round(self.mean_fps, 3)
        fixes = []
        if self.missing:
            fixes.append(f"{self.missing} frames without a timestamp were placed one frame after the one before")
        if self.repeated:
            fixes.append(f"{self.repeated} repeated timestamps were moved one frame on")
        if self.backwards:
            fixes.append(f"{self.backwards} timestamps going backwards were moved one frame after the one before")
        if self.jumps:
            fixes.append(f"{self.jumps} forward jumps of more than {MAX_GAP_S:g} s "
                         f"(largest {self.largest_jump_s:.1f} s) were closed up to one frame; "
                         "later times are earlier than the file's by that much")
        if fixes:
            out["timestamp_note"] = "; ".join(fixes)
        return out


# A gap between two frames longer than this is a broken timestamp (or a paused recording),
# not a slow frame: a phone at a variable frame rate stays above ~10 fps.
MAX_GAP_S = 2.0
# Intervals further than this share from the median one count as uneven; a video with more
# than VARIABLE_SHARE of them is said to have a variable frame rate.
UNEVEN_TOLERANCE = 0.25
VARIABLE_SHARE = 0.02
# How many of the last intervals give "one frame on" when a timestamp must be mended.
STEP_WINDOW = 30


class FrameClock:
    """Turns each frame's presentation time into a time that always moves forward.

    Times are the file's own when its first frame is within MAX_GAP_S of 0 (so they match
    what a player shows); otherwise the first frame is at 0. A frame without a time, or whose time repeats or goes back
    (damaged files, joined recordings), is put one frame (the median recent interval, or
    ``step_ms`` before there is one) after the one
    before and the frames after it keep their spacing from there; a forward jump longer than
    MAX_GAP_S is closed up the same way. Pure arithmetic: no wall clock, no I/O.
    """

    def __init__(self, step_ms: float) -> None:
        if not (math.isfinite(step_ms) and step_ms > 0):
            raise ValueError(f"expected a positive frame step in ms, got {step_ms!r}")
        self.step_ms = step_ms
        self._origin: float | None = None
        self._offset = 0.0
        self._last: float | None = None
        self._last_raw: float | None = None
        self._counts = {"missing": 0, "repeated": 0, "backwards": 0, "jumps": 0}
        self._largest_jump_ms = 0.0
        self._intervals: list[float] = []
        self._frames = 0
        self._first_t = 0.0

    def place(self, raw_ms: float | None) -> float:
        """The time (ms) of the next frame, given its presentation time in ms (None: unknown)."""
        self._frames += 1
        if raw_ms is not None and not math.isfinite(raw_ms):
            raw_ms = None
        if self._last is None:
            # The file's own clock when it starts near 0 (as a player shows it), else from 0.
            near_zero = raw_ms is not None and 0.0 <= raw_ms <= MAX_GAP_S * 1000.0
            self._origin = 0.0 if near_zero or raw_ms is None else raw_ms
            t0 = raw_ms if near_zero else 0.0
            self._last, self._last_raw, self._first_t = t0, raw_ms, t0
            return t0
        assert self._origin is not None
        if raw_ms is None:
            self._counts["missing"] += 1
            t = self._last + self._typical_step()
        else:
            t = raw_ms - self._origin + self._offset
            gap = t - self._last
            if math.isinf(gap):  # the first frame after resume()
                self._first_t = t
            elif gap <= 0 or gap > MAX_GAP_S * 1000.0:
                if gap <= 0:
                    self._counts["repeated" if raw_ms == self._last_raw else "backwards"] += 1
                else:
                    self._counts["jumps"] += 1
                    self._largest_jump_ms = max(self._largest_jump_ms, gap)
                placed = self._last + self._typical_step()
                self._offset += placed - t
                t = placed
            else:
                self._intervals.append(gap)
            self._last_raw = raw_ms
        self._last = t
        return t

    def resume(self, first_raw_ms: float) -> None:
        """Continue after a jump in the video: times keep the origin ``first_raw_ms`` (the first
        frame's presentation time) gives, and the next frame is placed as it comes."""
        near_zero = 0.0 <= first_raw_ms <= MAX_GAP_S * 1000.0
        self._origin = 0.0 if near_zero else first_raw_ms
        self._offset = 0.0
        self._last = -math.inf
        self._last_raw = None
        self._first_t = math.nan

    def _typical_step(self) -> float:
        """One frame on, in ms: the median interval of the last frames (the claimed rate
        before there are any; a claim that a gap has skewed is no guide)."""
        recent = self._intervals[-STEP_WINDOW:]
        return float(np.median(recent)) if recent else self.step_ms

    def report(self) -> ClockReport:
        """How the timestamps were, so far."""
        gaps = np.asarray(self._intervals)
        variable = False
        mean_fps = math.nan
        if len(gaps) >= 2:
            typical = float(np.median(gaps))
            uneven = np.abs(gaps - typical) > UNEVEN_TOLERANCE * typical
            variable = bool(uneven.mean() > VARIABLE_SHARE)
        span = (self._last or 0.0) - self._first_t
        if span > 0:
            mean_fps = (self._frames - 1) * 1000.0 / span
        return ClockReport(self._frames, *self._counts.values(), self._largest_jump_ms / 1000.0,
                           variable, mean_fps)


class VideoSource:
    """Frames of a video file, decoded with PyAV (FFmpeg), upright and at their own times.

    Each frame's time is its presentation time (pts × time base, the first frame at 0), so a
    phone's variable frame rate keeps real times; broken timestamps are mended by
    :class:`FrameClock` and said in ``clock_report()``. Phone rotation (the stream's display
    matrix) is applied. ``fps_override`` (``--fps``) replaces the file's times with
    index / fps, for files whose timing is wrong. Raises InputError when the file is missing,
    empty, not a video, or nothing in it decodes.
    """

    def __init__(self, path: str | os.PathLike[str], fps_override: float | None = None) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise InputError(f"{self.path}: no such file")
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a folder; give a video file (or use it as an image folder)")
        if self.path.stat().st_size == 0:
            raise InputError(f"{self.path}: the file is empty")
        self._fps_override = fps_override
        self._container = self._open()
        stream = self._container.streams.video[0]
        # The first frame tells the upright size, and whether anything decodes at all.
        self._frames_iter = self._decoded()
        first = next(self._frames_iter, None)
        if first is None:
            self.close()
            raise InputError(f"{self.path}: no frame could be decoded (damaged file, or a codec this "
                             "FFmpeg cannot decode); convert it to H.264")
        self._first: tuple[float | None, np.ndarray] | None = (first[0], self._to_bgr(first[1]))
        height, width = self._first[1].shape[:2]
        fps = claimed_fps(stream)
        note = ""
        if fps_override is not None:
            fps, note = fps_override, "set with --fps"
        elif not (math.isfinite(fps) and 0 < fps <= MAX_SANE_FPS):
            note = f"the file claims {fps:g} fps; {DEFAULT_FPS:g} assumed"
            fps = DEFAULT_FPS
        count = max(int(stream.frames or 0), 0)
        self.info = SourceInfo("video", str(self.path), fps, count, width, height, note)
        self._clock = FrameClock(1000.0 / fps)

    def _open(self) -> av.container.InputContainer:
        try:
            container = av.open(str(self.path), "r")
        except (av.FFmpegError, UnicodeDecodeError, ValueError):
            hint = ""
            if self.path.name.endswith((".jsonl", ".jsonl.gz")):
                hint = f": it looks like saved landmarks; re-analyse them with --landmarks {self.path}"
            raise InputError(f"{self.path}: not a video formcheck can read"
                             f"{hint or ' (unknown format or damaged file)'}") from None
        if not container.streams.video:
            container.close()
            raise InputError(f"{self.path}: holds no video stream")
        stream = container.streams.video[0]
        # Slice and frame threads: decoding keeps up with the model on one spare core.
        stream.thread_type = "AUTO"
        return container

    def _decoded(self) -> Iterator[tuple[float | None, av.VideoFrame]]:
        """(presentation time in ms or None, frame) in presentation order. A packet that fails
        to decode is skipped; the demuxer failing (a cut-off file) ends the video."""
        stream = self._container.streams.video[0]
        # Exact arithmetic (pts × a Fraction), so a 20 fps frame 3 is at 150.0 ms, not 150.00000000000003.
        tb = stream.time_base * 1000 if stream.time_base else None
        bad = 0
        try:
            for packet in self._container.demux(stream):
                try:
                    decoded = packet.decode()
                except av.FFmpegError:
                    bad += 1
                    if bad > MAX_BAD_PACKETS:
                        return
                    continue
                for frame in decoded:
                    yield (None if frame.pts is None or tb is None else float(frame.pts * tb)), frame
        except av.FFmpegError:
            return

    @staticmethod
    def _to_bgr(frame: av.VideoFrame) -> np.ndarray:
        if (frame.format.name == "yuv420p" and not (frame.width % 2 or frame.height % 2)
                and int(frame.colorspace) in _BT601 and int(frame.color_range) != _FULL_RANGE):
            # The common case (phones, the samples): OpenCV's SIMD conversion costs about a
            # third of swscale's, which matters when decoding shares a core with the model.
            image = cv2.cvtColor(frame.to_ndarray(), cv2.COLOR_YUV2BGR_I420)
        else:
            image = frame.to_ndarray(format="bgr24")
        turn = _ROTATE.get(round((frame.rotation or 0) / 90.0) % 4)
        return image if turn is None else cv2.rotate(image, turn)

    def frames(self, stride: int = 1, start: int = 0, stop: int | None = None) -> Iterator[Frame]:
        """Decoded frames with their presentation time in ms (see the class docstring).

        Only frames whose index i is in ``[start, stop)`` and a multiple of ``stride`` are
        yielded, so a chunk of a strided run sees exactly the frames the whole run sees (and
        at the same times: every frame is decoded, for the clock, but only those yielded are
        converted to pixels). Can be iterated once. Raises ValueError for stride < 1 or start < 0.
        """
        _check_range(stride, start, stop)
        try:
            index = 0
            if start > 0 and self._first is not None and (jumped := self._seek(start)) is not None:
                yield from self._frames_after_seek(jumped, stride, start, stop)
                return
            if self._first is not None:
                raw, image = self._first
                self._first = None
                t = self._time(raw, index)
                if index >= start and index % stride == 0 and (stop is None or index < stop):
                    yield Frame(index, t, image)
                index += 1
            for raw, frame in self._frames_iter:
                if stop is not None and index >= stop:
                    break
                t = self._time(raw, index)
                if index >= start and index % stride == 0:
                    yield Frame(index, t, self._to_bgr(frame))
                index += 1
        finally:
            self.close()

    def _seek(self, start: int) -> tuple[float, float] | None:
        """Jump to the key frame at or before frame ``start`` of a constant-frame-rate video
        (a worker's chunk need not decode the minutes before it). Returns (the first frame's
        presentation time, the frame rate), or None when the video's rate is not steady
        enough to find frame ``start`` by its time: then it is decoded from the beginning."""
        assert self._first is not None and self._container is not None
        stream = self._container.streams.video[0]
        first_raw = self._first[0]
        avg, guess = stream.average_rate, stream.guessed_rate
        if (self._fps_override is not None or first_raw is None or not avg or not guess
                or abs(float(avg) / float(guess) - 1.0) > 1e-3 or not stream.time_base):
            return None
        fps = float(guess)
        # Half a frame early, so rounding never lands past the wanted frame.
        target_s = (first_raw + (start - 0.5) * 1000.0 / fps) / 1000.0
        try:
            self._container.seek(max(0, int(target_s / stream.time_base)), stream=stream,
                                 backward=True, any_frame=False)
        except av.FFmpegError:
            return None
        self._frames_iter = self._decoded()
        return first_raw, fps

    def _frames_after_seek(self, jumped: tuple[float, float], stride: int, start: int,
                           stop: int | None) -> Iterator[Frame]:
        """Frames after ``_seek``: each frame's index from its time (the rate is steady)."""
        first_raw, fps = jumped
        self._first = None
        self._clock.resume(first_raw)
        for raw, frame in self._frames_iter:
            if raw is None:
                continue  # cannot be placed without the frames before it
            index = round((raw - first_raw) * fps / 1000.0)
            if stop is not None and index >= stop:
                break
            if index < start:
                continue
            t = self._clock.place(raw)
            if index % stride == 0:
                yield Frame(index, t, self._to_bgr(frame))

    def _time(self, raw_ms: float | None, index: int) -> float:
        if self._fps_override is not None:
            return index * 1000.0 / self.info.fps
        return self._clock.place(raw_ms)

    def clock_report(self) -> ClockReport:
        """What the timestamps of the frames decoded so far were like."""
        return self._clock.report()

    def close(self) -> None:
        container = getattr(self, "_container", None)
        if container is not None:
            self._container = None
            container.close()

    def __enter__(self) -> VideoSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def claimed_fps(stream: av.VideoStream) -> float:
    """The frame rate a video stream claims (0 if none): FFmpeg's guess of the nominal rate
    (a phone's variable-rate clip says 30), else frames over duration (skewed by any gap)."""
    rate = stream.guessed_rate or stream.average_rate
    return float(rate) if rate else 0.0


# Packets that fail to decode before a video is given up on (a few are normal in a damaged
# file; the frames around them still decode).
MAX_BAD_PACKETS = 50
# FFmpeg colour spaces OpenCV's YUV→BGR matrix is right for (BT.601, or unspecified, which
# FFmpeg also takes as BT.601), and the full ("JPEG") range it is not.
_BT601 = (2, 5, 6)
_FULL_RANGE = 2
# Display-matrix rotation (quarter turns counterclockwise) -> the cv2 turn that makes it upright.
_ROTATE = {1: cv2.ROTATE_90_COUNTERCLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_CLOCKWISE}


class ImageFolderSource:
    """Images of a folder in name order, as frames at ``fps``."""

    def __init__(self, path: str | os.PathLike[str], fps: float | None = None) -> None:
        self.path = Path(path)
        self.files = sorted(p for p in self.path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self.files:
            raise InputError(f"{self.path}: the folder holds no images ({', '.join(IMAGE_SUFFIXES)})")
        first = cv2.imread(str(self.files[0]))
        if first is None:
            raise InputError(f"{self.files[0]}: not an image OpenCV can read")
        h, w = first.shape[:2]
        self.info = SourceInfo("images", str(self.path), fps or DEFAULT_FPS, len(self.files), w, h,
                               "" if fps else f"{DEFAULT_FPS:g} fps assumed (set --fps)")

    def frames(self, stride: int = 1, start: int = 0, stop: int | None = None) -> Iterator[Frame]:
        """The images as frames; ``stride``, ``start`` and ``stop`` as for VideoSource.frames."""
        _check_range(stride, start, stop)
        for index, f in enumerate(self.files[:stop]):
            if index < start or index % stride:
                continue
            image = cv2.imread(str(f))
            if image is None:
                raise InputError(f"{f}: not an image OpenCV can read")
            yield Frame(index, index * 1000.0 / self.info.fps, image)

    def close(self) -> None:
        pass

    def __enter__(self) -> ImageFolderSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class CameraSource:
    """Live frames from a camera; timestamps from a monotonic clock read at capture."""

    def __init__(self, index: int, width: int | None = None, height: int | None = None) -> None:
        self._cap = cv2.VideoCapture(index)
        if not self._cap.isOpened():
            self._cap.release()
            raise InputError(f"camera {index}: cannot be opened (no camera, or it is in use); "
                             "give another --camera index or a video file")
        if width and height:
            self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if not (math.isfinite(fps) and 0 < fps <= MAX_SANE_FPS):
            fps = DEFAULT_FPS
        self.info = SourceInfo("camera", f"camera:{index}", fps, 0,
                               int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
                               int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        self._t0 = time.monotonic()

    def frames(self) -> Iterator[Frame]:
        try:
            index = 0
            while True:
                ok, image = self._cap.read()
                t_ms = (time.monotonic() - self._t0) * 1000.0
                if not ok or image is None:
                    raise InputError("the camera stopped sending frames (unplugged or taken by another program)")
                yield Frame(index, t_ms, image)
                index += 1
        finally:
            self.close()

    def close(self) -> None:
        self._cap.release()

    def __enter__(self) -> CameraSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


FrameSource = VideoSource | ImageFolderSource | CameraSource


def _check_range(stride: int, start: int, stop: int | None) -> None:
    if stride < 1:
        raise ValueError(f"expected stride >= 1, got {stride}")
    if start < 0 or (stop is not None and stop < start):
        raise ValueError(f"expected 0 <= start <= stop, got start={start}, stop={stop}")


def open_source(spec: str | os.PathLike[str], fps: float | None = None) -> FrameSource:
    """A video file, an image folder, or (a plain integer) a camera index."""
    text = str(spec)
    if text.isdigit():
        return CameraSource(int(text))
    path = Path(text)
    if path.is_dir():
        return ImageFolderSource(path, fps)
    return VideoSource(path, fps)
