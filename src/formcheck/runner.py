"""Frames to poses: decoding in a background thread (so it overlaps with pose inference, which
keeps one core busy), the model loaded while the first frames decode, and the newest frame of
a live source. ``analysis.analyze_source`` drives the Analyzer with what this yields. The
threads are ``producer.Producer``: the one producer thread the live loop's stages use too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterable, Iterator

from .landmarks import PoseFrame
from .pose import PoseEstimator
from .producer import Producer
from .sources import Frame

# Decoded frames waiting for the model: at least this many, and more while they fit in
# PREFETCH_BYTES, so the decoder runs well ahead while the model loads (a second or so) and
# smooths out decode jitter after; memory stays flat (64 MB: 23 frames of 720p, 10 of 1080p).
PREFETCH_FRAMES = 8
PREFETCH_BYTES = 64 * 2**20


def prefetch(frames: Iterable[Frame], depth: int = PREFETCH_FRAMES,
             budget_bytes: int = PREFETCH_BYTES) -> Iterator[Frame]:
    """Yield ``frames`` while a background thread decodes the next ones: up to ``depth``
    frames ahead, or more while their pixels fit in ``budget_bytes``."""
    ahead: Producer[Frame] = Producer(frames, name="formcheck-decode", depth=depth, budget_bytes=budget_bytes)
    ahead.start()
    try:
        yield from ahead
    finally:
        ahead.stop()


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
        self._reader: Producer[Frame] = Producer(frames, name="formcheck-capture", latest_only=True).start()

    @property
    def dropped(self) -> int:
        return self._reader.dropped

    def __iter__(self) -> Iterator[Frame]:
        return iter(self._reader)

    def close(self) -> None:
        self._reader.stop()

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
