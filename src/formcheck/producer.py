"""The one producer thread: runs an iterator in the background and hands what it yields over.

Decoding ahead of the pose model (``runner.prefetch``), a live source's newest frame
(``runner.Latest``) and the live loop's capture and pose stages (``capture.FrameFeed``,
``capture.PoseStage``) are all a :class:`Producer`; they differ only in how much it may hold:

* a bounded buffer (``depth`` items, or more while their pixels fit in ``budget_bytes``),
  where the thread waits for room, so every item is handed over in order and memory stays
  flat;
* ``latest_only``: the newest item only, an older one not yet taken is dropped (``dropped``
  counts them), so the consumer always works on the freshest picture.

The end of the iterator, or what it raised, is handed over after the items before it and
raised (or reported) in the consumer's thread, every time it asks after that.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

# How often (s) a thread waiting for room, or for an item, looks whether it was stopped.
POLL_S = 0.1


class _End:
    """The iterator ended (``error`` None) or raised ``error``."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def nbytes(item: object) -> int:
    """Bytes of pixels an item holds (a Frame, anything with an ``image``, or a tuple of them)."""
    if isinstance(item, tuple):
        return sum(nbytes(x) for x in item)
    image = getattr(item, "image", None)
    return int(getattr(image, "nbytes", 0))


class Producer(Generic[T]):
    """A daemon thread that iterates ``items`` and hands each item to the consumer.

    ``depth``: items the buffer holds at least; ``budget_bytes`` (with ``size``, bytes of an
    item): more while they fit. ``latest_only``: hold only the newest item. ``stop_event``:
    the event ``stop()`` sets (an iterator that waits, e.g. to pace a file, can wait on it).
    The iterator is closed in the thread when it ends or is stopped.
    """

    def __init__(
        self,
        items: Iterable[T],
        *,
        name: str,
        depth: int = 1,
        budget_bytes: int = 0,
        size: Callable[[object], int] = nbytes,
        latest_only: bool = False,
        stop_event: threading.Event | None = None,
    ) -> None:
        if depth < 1:
            raise ValueError(f"expected depth >= 1, got {depth}")
        self._items = items
        self.depth = depth
        self.budget_bytes = budget_bytes
        self._size = size
        self.latest_only = latest_only
        self.stop_event = stop_event or threading.Event()
        self._cond = threading.Condition()
        self._buffer: deque[T] = deque()
        self._held = 0  # bytes of the items waiting (with a byte budget)
        self._end: _End | None = None
        self.dropped = 0
        self.ended = False  # the consumer has seen the end of the items
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Producer[T]:
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Stop producing and wait up to ``timeout`` s for the thread. A thread stuck in the
        iterator (a dead camera's read) is left behind: it is a daemon."""
        self.stop_event.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def get(self, timeout: float | None) -> T | None:
        """The next item; None at the end of the items (``ended`` is then True) or after
        ``timeout`` s with none (None: wait as long as it takes). Raises what the iterator
        raised, once the items before the error are taken."""
        with self._cond:
            if not self._buffer and self._end is None and timeout != 0:
                self._cond.wait_for(lambda: self._buffer or self._end is not None, timeout)
            if self._buffer:
                item = self._buffer.popleft()
                if self.budget_bytes:
                    self._held -= self._size(item)
                self._cond.notify_all()
                return item
            end = self._end
        if end is None:
            return None
        if end.error is not None:
            raise end.error
        self.ended = True
        return None

    def __iter__(self) -> Iterator[T]:
        """Every item until the end (raising what the iterator raised)."""
        while True:
            item = self.get(None)
            if item is None:
                return
            yield item

    # -- the thread ----------------------------------------------------------------------------

    def _room(self, size: int) -> bool:
        if len(self._buffer) < self.depth:
            return True
        return bool(self.budget_bytes) and self._held + size <= self.budget_bytes

    def _put(self, item: T) -> bool:
        """Hand ``item`` over; False when stopped first."""
        size = self._size(item) if self.budget_bytes else 0
        with self._cond:
            if self.latest_only:
                self.dropped += len(self._buffer)
                self._buffer.clear()
            else:
                while not self._room(size):
                    if self.stop_event.is_set():
                        return False
                    self._cond.wait(POLL_S)
            self._buffer.append(item)
            self._held += size
            self._cond.notify_all()
        return True

    def _finish(self, end: _End) -> None:
        with self._cond:
            self._end = end
            self._cond.notify_all()

    def _run(self) -> None:
        it = iter(self._items)
        try:
            for item in it:
                if self.stop_event.is_set() or not self._put(item):
                    return
            self._finish(_End())
        except BaseException as exc:  # handed to the consumer, raised there
            self._finish(_End(exc))
        finally:
            close = getattr(it, "close", None)
            if close is not None:
                close()
