"""The live loop's capture and pose threads (``FrameFeed``, ``PoseStage``).

A camera keeps only its newest frame, so the model always works on the latest picture; a
video file hands over every frame in order (paced at its own fps, or as fast as it is
analysed). The pose stage runs the model on each frame it takes (the GIL is released while
MediaPipe works).
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from .errors import FormcheckError, InputError
from .landmarks import PoseFrame
from .pose import PoseEstimator
from .sources import Frame, SourceInfo

# A camera that sends nothing for this long is taken as lost (a stalled USB camera may
# block forever instead of failing). Cameras send every 33–130 ms, even in dim light.
CAMERA_STALL_S = 1.0
# ...except before its first frame: cameras take a moment to start streaming.
CAMERA_FIRST_FRAME_S = 5.0
# A paced file that falls this far behind its clock (a pause, a slow machine) restarts its
# clock from now, instead of rushing to catch up.
PACE_SLACK_S = 0.25
# Analysed frames waiting to be drawn; the pose stage blocks beyond this (files) — the
# drawing stage drains the queue every loop, so it is never full for a camera.
POSE_QUEUE_FRAMES = 4
# A file's decoded frames waiting for the model.
FILE_QUEUE_FRAMES = 2


class FrameSourceLike(Protocol):
    """What the live loop needs of a frame source (sources.VideoSource, CameraSource...)."""

    info: SourceInfo

    def frames(self) -> Iterator[Frame]: ...


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
