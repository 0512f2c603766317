"""producer.py: the one producer thread (bounded buffer, newest-only, errors, stop)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

from formcheck.producer import Producer, nbytes
from formcheck.sources import Frame


def numbers(n: int, made: list[int] | None = None) -> Iterator[int]:
    """0 … n-1, noting each one in ``made`` as it is produced."""
    for i in range(n):
        if made is not None:
            made.append(i)
        yield i


def test_every_item_in_order_then_the_end():
    p = Producer(numbers(30), name="t", depth=2).start()
    assert list(p) == list(range(30))
    assert p.get(0.1) is None and p.ended
    p.stop()


@pytest.mark.parametrize("depth", [1, 3])
def test_a_bounded_buffer_holds_the_producer_back(depth):
    made: list[int] = []
    p = Producer(numbers(100, made), name="t", depth=depth).start()
    time.sleep(0.2)
    # The buffer is full, and one more item waits in the thread for room.
    assert len(made) == depth + 1
    assert p.get(1.0) == 0
    p.stop()


def test_the_byte_budget_lets_small_items_run_further_ahead():
    small = [Frame(i, float(i), np.zeros((10, 10, 3), np.uint8)) for i in range(50)]  # 300 B each
    made: list[int] = []

    def frames() -> Iterator[Frame]:
        for f in small:
            made.append(f.index)
            yield f

    p = Producer(frames(), name="t", depth=2, budget_bytes=10 * 300).start()
    time.sleep(0.2)
    assert len(made) == 10 + 1
    assert [f.index for f in p] == list(range(50))
    p.stop()


def test_nbytes_counts_the_pixels_of_frames_and_tuples():
    f = Frame(0, 0.0, np.zeros((4, 5, 3), np.uint8))
    assert nbytes(f) == 60 and nbytes((f, True)) == 60 and nbytes(7) == 0


def test_newest_only_drops_what_was_not_taken():
    done = threading.Event()

    def items() -> Iterator[int]:
        yield from range(20)
        done.set()

    p = Producer(items(), name="t", latest_only=True).start()
    done.wait(2.0)
    time.sleep(0.05)
    assert list(p) == [19] and p.dropped == 19
    p.stop()


@pytest.mark.parametrize("latest_only", [False, True])
def test_the_error_comes_after_the_items_before_it(latest_only):
    def broken() -> Iterator[int]:
        yield 1
        raise OSError("gone")

    p = Producer(broken(), name="t", latest_only=latest_only).start()
    assert p.get(1.0) == 1
    with pytest.raises(OSError, match="gone"):
        p.get(1.0)
    with pytest.raises(OSError, match="gone"):  # and again: the end is not forgotten
        p.get(0.0)
    p.stop()


def test_a_timeout_with_nothing_yet_is_not_the_end():
    def slow() -> Iterator[int]:
        time.sleep(0.3)
        yield 1

    p = Producer(slow(), name="t").start()
    assert p.get(0.0) is None and not p.ended
    assert p.get(2.0) == 1
    p.stop()


def test_stop_ends_a_blocked_producer_and_closes_its_iterator():
    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            closed.set()

    p = Producer(endless(), name="t", depth=1).start()
    assert p.get(1.0) == 0
    p.stop(timeout=2.0)
    assert closed.wait(2.0)
