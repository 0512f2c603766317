"""capture.py: the live loop's capture stage (files in order, cameras newest-only, errors)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
import pytest

from formcheck.capture import FrameFeed
from formcheck.errors import InputError
from formcheck.sources import Frame

# -- the capture stage ---------------------------------------------------------------------------


def frames(n: int, fps: float = 30.0, sleep_s: float = 0.0) -> Iterator[Frame]:
    image = np.zeros((4, 4, 3), np.uint8)
    for i in range(n):
        if sleep_s:
            time.sleep(sleep_s)
        yield Frame(i, i * 1000.0 / fps, image)


def drain(feed: FrameFeed, pause_s: float = 0.0) -> list[int]:
    got = []
    while True:
        item = feed.get(timeout=1.0)
        if item is None:
            if feed.ended:
                return got
            continue
        got.append(item.frame.index)
        if pause_s:
            time.sleep(pause_s)


def test_a_file_feed_hands_over_every_frame_in_order():
    feed = FrameFeed(frames(50), latest_only=False, pace=False).start()
    assert drain(feed, pause_s=0.002) == list(range(50))
    feed.stop()


def test_a_paced_feed_keeps_the_file_speed():
    feed = FrameFeed(frames(16, fps=100.0), latest_only=False, pace=True).start()
    t0 = time.monotonic()
    assert drain(feed) == list(range(16))
    assert time.monotonic() - t0 == pytest.approx(0.15, abs=0.1)
    feed.stop()


def test_a_camera_feed_keeps_only_the_newest_frame():
    feed = FrameFeed(frames(40, sleep_s=0.002), latest_only=True, pace=False).start()
    got = drain(feed, pause_s=0.02)  # a consumer slower than the camera
    feed.stop()
    assert got == sorted(got) and got[-1] == 39
    assert len(got) < 40 and feed.dropped == 40 - len(got)


def test_a_feed_raises_the_source_error_in_the_consumer():
    def broken() -> Iterator[Frame]:
        yield from frames(3)
        raise InputError("camera gone")

    for latest in (False, True):
        feed = FrameFeed(broken(), latest_only=latest, pace=False).start()
        with pytest.raises(InputError, match="camera gone"):
            drain(feed, pause_s=0.01)
        feed.stop()
