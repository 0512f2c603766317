"""Drives an Analyzer from a frame source through a pose backend, or from a landmark file.

Decoding runs in a background thread, so it overlaps with pose inference (which keeps one
core busy); the analysis itself stays in the calling thread, in frame order.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass

from .landmarks import PoseFrame
from .pose import PoseEstimator
from .pose.replay import LandmarkWriter
from .session import Analyzer
from .sources import Frame

# Decoded frames waiting for the model; enough to smooth out decode jitter, small enough
# that memory stays flat (a 4K frame is 25 MB).
PREFETCH_FRAMES = 8
_END = object()


@dataclass
class RunResult:
    frames: int
    complete: bool


def prefetch(frames: Iterable[Frame], depth: int = PREFETCH_FRAMES) -> Iterator[Frame]:
    """Yield ``frames`` while a background thread decodes the next ones."""
    q: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def work() -> None:
        try:
            for f in frames:
                while not stop.is_set():
                    try:
                        q.put(f, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(_END)
        except BaseException as exc:  # handed to the consumer, raised there
            q.put(exc)

    t = threading.Thread(target=work, name="formcheck-decode", daemon=True)
    t.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        t.join(timeout=2.0)


class Latest:
    """The newest frame of a live source, read in a background thread; older ones are dropped.

    A live window must show *now*: when the pose model is slower than the camera, a queue
    would fall further behind every second, so only the newest frame is kept and the
    consumer always works on the freshest one. ``dropped`` counts the frames skipped.
    Iterate it (``for frame in Latest(src.frames())``); ``close()`` (or leaving a ``with``
    block) stops the reader thread.
    """

    def __init__(self, frames: Iterable[Frame]) -> None:
        self._frames = frames
        self._cond = threading.Condition()
        self._item: object = None
        self._stop = False
        self.dropped = 0
        self._thread = threading.Thread(target=self._read, name="formcheck-capture", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        item: object = _END
        try:
            for f in self._frames:
                with self._cond:
                    if self._stop:
                        return
                    if self._item is not None:
                        self.dropped += 1
                    self._item = f
                    self._cond.notify()
        except BaseException as exc:  # handed to the consumer, raised there
            item = exc
        with self._cond:
            self._end = item
            self._cond.notify()

    _end: object = None

    def __iter__(self) -> Iterator[Frame]:
        while True:
            with self._cond:
                while self._item is None and self._end is None:
                    self._cond.wait()
                item, self._item = self._item, None
                if item is None:
                    end = self._end
                    if isinstance(end, BaseException):
                        raise end
                    return
            yield item  # type: ignore[misc]

    def close(self) -> None:
        with self._cond:
            self._stop = True
        self._thread.join(timeout=2.0)

    def __enter__(self) -> Latest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def poses_from_frames(frames: Iterable[Frame], estimator: PoseEstimator
                      ) -> Generator[PoseFrame, None, None]:
    """The pose of each frame, decoded ahead in a background thread. ``close()`` stops it.

    A backend with ``prepare``/``estimate_prepared`` (MediaPipe: the BGR→RGB conversion) has
    its input prepared in the decode thread too, so the inference thread does only inference.
    """
    prepare = getattr(estimator, "prepare", None)
    estimate_prepared = getattr(estimator, "estimate_prepared", None)
    if prepare is None or estimate_prepared is None:
        for f in prefetch(frames):
            yield estimator.estimate(f.image, f.timestamp_ms)
        return
    # From here on a Frame's image is the backend's prepared input, not BGR.
    prepared = (Frame(f.index, f.timestamp_ms, prepare(f.image)) for f in frames)
    for f in prefetch(prepared):
        yield estimate_prepared(f.image, f.timestamp_ms)


def run(poses: Iterable[PoseFrame], analyzer: Analyzer, writer: LandmarkWriter | None = None,
        on_frame: Callable[[PoseFrame], None] | None = None) -> RunResult:
    """Feed every pose to ``analyzer`` (and ``writer``). Ctrl-C stops early: ``complete=False``."""
    n = 0
    complete = True
    try:
        for pose in poses:
            if writer is not None:
                writer.write(pose)
            analyzer.update(pose)
            n += 1
            if on_frame is not None:
                on_frame(pose)
    except KeyboardInterrupt:
        complete = False
    analyzer.finish()
    return RunResult(n, complete)
