"""The live loop's capture and pose threads (``FrameFeed``, ``PoseStage``).

A camera keeps only its newest frame, so the model always works on the latest picture; a
video file hands over every frame in order (paced at its own fps, or as fast as it is
analysed). The pose stage runs the model on each frame it takes (the GIL is released while
MediaPipe works). Both are a ``producer.Producer``, the thread that also decodes ahead for
``analyze`` (``runner.prefetch``).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from .errors import FormcheckError, InputError
from .landmarks import PoseFrame
from .pose import PoseEstimator
from .producer import Producer
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


class FrameFeed:
    """The capture stage: a thread reading ``frames`` (a ``producer.Producer``).

    With ``latest_only`` (cameras) it keeps just the newest frame: an older one not yet
    taken is dropped (``dropped`` counts them). Otherwise every frame is handed over in
    order through a small queue, and with ``pace`` no sooner than the frame's own time
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
        self.captured = 0
        self.last_t_wall = math.nan
        self._stop = threading.Event()
        self._reader: Producer[Captured] = Producer(
            self._captured(), name="formcheck-capture", depth=FILE_QUEUE_FRAMES,
            latest_only=latest_only, stop_event=self._stop)

    @property
    def dropped(self) -> int:
        return self._reader.dropped

    @property
    def ended(self) -> bool:
        return self._reader.ended

    def start(self) -> FrameFeed:
        self._reader.start()
        return self

    def stop(self, timeout: float = 0.5) -> None:
        """Stop reading. A thread stuck in a dead camera's read is left behind (a daemon),
        so stopping never takes longer than ``timeout``."""
        self._reader.stop(timeout)

    def get(self, timeout: float) -> Captured | None:
        """The next frame; None at the end of the source or after ``timeout`` s with none
        (``ended`` tells which). Raises what the source raised."""
        return self._reader.get(timeout)

    def _captured(self) -> Iterator[Captured]:
        """The source's frames, paced, each with the wall-clock time it was taken (runs in
        the capture thread)."""
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
                yield Captured(frame, t)
        except FormcheckError:
            raise
        except Exception as exc:  # a decoder or driver failure: reported by the consumer
            raise InputError(f"reading the input failed: {type(exc).__name__}: {exc}") from exc
        finally:
            close = getattr(self._frames, "close", None)
            if close is not None:
                close()


class PoseStage:
    """The pose stage: a thread (a ``producer.Producer``) taking frames from a FrameFeed and
    running the model."""

    def __init__(
        self, feed: FrameFeed, estimator: PoseEstimator, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.feed = feed
        self.estimator = estimator
        self._clock = clock
        self.busy_s = 0.0
        self._stop = threading.Event()
        self._out: Producer[Analysed] = Producer(
            self._analysed(), name="formcheck-pose", depth=POSE_QUEUE_FRAMES, stop_event=self._stop)

    def start(self) -> PoseStage:
        self._out.start()
        return self

    def stop(self, timeout: float = 0.5) -> None:
        self._out.stop(timeout)

    def get(self, timeout: float) -> Analysed | None:
        """The next analysed frame; None after ``timeout`` s with none. Raises
        StopIteration at the end of the input and what the source or model raised."""
        item = self._out.get(timeout)
        if item is None and self._out.ended:
            raise StopIteration
        return item

    def _analysed(self) -> Iterator[Analysed]:
        """Each frame the feed hands over, with its pose (runs in the pose thread)."""
        while not self._stop.is_set():
            cap = self.feed.get(timeout=0.1)
            if cap is None:
                if self.feed.ended:
                    return
                continue
            t = self._clock()
            pose = self.estimator.estimate(cap.frame.image, cap.frame.timestamp_ms)
            done = self._clock()
            self.busy_s += done - t
            yield Analysed(cap, pose, done)
