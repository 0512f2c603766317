"""Frames to poses: decoding in a background thread (so it overlaps with pose inference, which
keeps one core busy), the model loaded while the first frames decode, and the newest frame of
a live source. ``analysis.analyze_source`` drives the Analyzer with what this yields.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator

from .landmarks import PoseFrame
from .pose import PoseEstimator
from .sources import Frame

# Decoded frames waiting for the model: at least this many, and more while they fit in
# PREFETCH_BYTES, so the decoder runs well ahead while the model loads (a second or so) and
# smooths out decode jitter after; memory stays flat (64 MB: 23 frames of 720p, 10 of 1080p).
PREFETCH_FRAMES = 8
PREFETCH_BYTES = 64 * 2**20
_END = object()


def _nbytes(item: object) -> int:
    """Bytes of pixels an item of the decode queue holds (a Frame, or a tuple holding one)."""
    if isinstance(item, tuple):
        return sum(_nbytes(x) for x in item)
    image = getattr(item, "image", None)
    return int(getattr(image, "nbytes", 0))


def prefetch(frames: Iterable[Frame], depth: int = PREFETCH_FRAMES,
             budget_bytes: int = PREFETCH_BYTES) -> Iterator[Frame]:
    """Yield ``frames`` while a background thread decodes the next ones: up to ``depth``
    frames ahead, or more while their pixels fit in ``budget_bytes``."""
    cond = threading.Condition()
    items: deque[object] = deque()
    held = [0]  # bytes of the frames waiting
    stop = threading.Event()

    def room(size: int) -> bool:
        return len(items) < depth or held[0] + size <= budget_bytes

    def put(item: object, size: int) -> None:
        with cond:
            while not stop.is_set() and not room(size):
                cond.wait(0.1)
            items.append(item)
            held[0] += size
            cond.notify_all()

    def work() -> None:
        try:
            for f in frames:
                if stop.is_set():
                    return
                put(f, _nbytes(f))
            put(_END, 0)
        except BaseException as exc:  # handed to the consumer, raised there
            put(exc, 0)

    t = threading.Thread(target=work, name="formcheck-decode", daemon=True)
    t.start()
    try:
        while True:
            with cond:
                while not items:
                    cond.wait()
                item = items.popleft()
                held[0] -= _nbytes(item)
                cond.notify_all()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        with cond:
            cond.notify_all()
        t.join(timeout=2.0)


class EstimatorLoader:
    """Builds a pose estimator in a background thread (MediaPipe's import and graph take a
    second or so), so the video opens and the first frames decode meanwhile.

    ``get()`` waits for it and re-raises what the factory raised; ``peek()`` is the estimator
    if it is built, else None, without waiting. ``close()`` closes it once built.
    """

    def __init__(self, factory: Callable[[], PoseEstimator], name: str | None = None) -> None:
        # ``name``: the backend's name when known in advance (landmark files and reports can
        # name it before the model is built).
        self._name = name
        self._estimator: PoseEstimator | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()

        def build() -> None:
            try:
                self._estimator = factory()
            except BaseException as exc:  # handed to get(), raised there
                self._error = exc
            finally:
                self._done.set()

        self._thread = threading.Thread(target=build, name="formcheck-model-load", daemon=True)
        self._thread.start()

    def peek(self) -> PoseEstimator | None:
        return self._estimator if self._done.is_set() else None

    def get(self) -> PoseEstimator:
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._estimator is not None
        return self._estimator

    @property
    def name(self) -> str:
        """The built estimator's name; before it is built, the name given (else waits)."""
        built = self.peek()
        if built is not None:
            return built.name
        return self._name if self._name is not None else self.get().name

    def close(self) -> None:
        self._done.wait()
        if self._estimator is not None:
            self._estimator.close()

    def __enter__(self) -> EstimatorLoader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


def poses_from_frames(frames: Iterable[Frame], estimator: PoseEstimator | EstimatorLoader
                      ) -> Generator[PoseFrame, None, None]:
    """The pose of each frame, decoded ahead in a background thread. ``close()`` stops it.

    A backend with ``prepare``/``estimate_prepared`` (MediaPipe: the BGR→RGB conversion) has
    its input prepared in the decode thread too, so the inference thread does only inference.
    With an :class:`EstimatorLoader` decoding starts at once, while the model loads; the frames
    decoded before it is built are prepared in this thread instead.
    """
    loader = estimator if isinstance(estimator, EstimatorLoader) else None

    def ready() -> PoseEstimator | None:
        return loader.peek() if loader is not None else estimator  # type: ignore[return-value]

    def prepared() -> Iterator[tuple[Frame, bool]]:
        for f in frames:
            est = ready()
            prepare = getattr(est, "prepare", None)
            if prepare is not None and hasattr(est, "estimate_prepared"):
                # From here on the Frame's image is the backend's input, not BGR.
                yield Frame(f.index, f.timestamp_ms, prepare(f.image)), True
            else:
                yield f, False

    model: PoseEstimator | None = None
    for f, is_prepared in prefetch(prepared()):  # type: ignore[arg-type]
        if model is None:
            model = loader.get() if loader is not None else estimator  # type: ignore[assignment]
        assert model is not None
        if is_prepared:
            yield model.estimate_prepared(f.image, f.timestamp_ms)  # type: ignore[attr-defined]
        else:
            yield model.estimate(f.image, f.timestamp_ms)
