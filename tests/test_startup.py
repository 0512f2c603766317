"""Start-up off the critical path: the model loads in a thread while the first frames decode."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from formcheck.landmarks import PoseFrame
from formcheck.runner import EstimatorLoader, poses_from_frames, prefetch
from formcheck.sources import Frame


class SlowModel:
    """A stand-in pose model that takes ``load_s`` to build and records what it was given."""

    name = "slow-model"

    def __init__(self, load_s: float, events: list[str]) -> None:
        time.sleep(load_s)
        events.append("loaded")
        self.prepared_seen = 0
        self.closed = False

    def prepare(self, image: np.ndarray) -> np.ndarray:
        return image + 1

    def estimate_prepared(self, image: np.ndarray, t_ms: float) -> PoseFrame:
        self.prepared_seen += 1
        return PoseFrame(t_ms + float(image[0, 0, 0]), 4, 4)

    def estimate(self, image: np.ndarray, t_ms: float) -> PoseFrame:
        return self.estimate_prepared(self.prepare(image), t_ms)

    def close(self) -> None:
        self.closed = True


def frames(n: int, events: list[str]):
    for i in range(n):
        events.append(f"decoded {i}")
        yield Frame(i, i * 10.0, np.zeros((4, 4, 3), np.uint8))


def test_frames_decode_while_the_model_loads_and_give_the_same_poses():
    events: list[str] = []
    with EstimatorLoader(lambda: SlowModel(0.3, events)) as loader:
        poses = list(poses_from_frames(frames(20, events), loader))
        model = loader.get()
    # Decoding ran ahead while the model was being built (the prefetch holds 8 or more).
    assert events.index("loaded") >= 8
    # Every frame gets the same answer whether it was prepared before or after the load.
    assert [p.timestamp_ms for p in poses] == [i * 10.0 + 1 for i in range(20)]
    assert model.closed and 0 < model.prepared_seen == 20


def test_a_model_that_cannot_load_raises_in_the_caller():
    def broken():
        raise RuntimeError("no model here")

    loader = EstimatorLoader(broken)
    with pytest.raises(RuntimeError, match="no model here"):
        list(poses_from_frames(frames(3, []), loader))
    loader.close()  # nothing to close; does not raise


def test_prefetch_keeps_at_least_depth_and_at_most_the_byte_budget():
    big = [Frame(i, float(i), np.zeros((100, 100, 3), np.uint8)) for i in range(50)]  # 30 KB each
    produced = []
    release = threading.Event()

    def source():
        for f in big:
            produced.append(f.index)
            yield f

    it = prefetch(source(), depth=4, budget_bytes=10 * 30_000)
    first = next(it)
    time.sleep(0.3)  # let the decoder run as far ahead as it may
    ahead = len(produced) - 1
    release.set()
    rest = list(it)
    assert first.index == 0 and [f.index for f in rest] == list(range(1, 50))
    assert 4 <= ahead <= 12


def test_mediapipe_loads_without_its_drawing_helpers_until_they_are_used():
    """matplotlib (60 % of `import mediapipe`) is not imported for the pose model alone, and
    mediapipe's drawing helpers still work for anyone who uses them."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from formcheck.pose.mediapipe_legacy import _import_mediapipe\n"
        "mp = _import_mediapipe()\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "assert mp.solutions.drawing_utils.DrawingSpec(color=(1, 2, 3)).color == (1, 2, 3)\n"
        "assert 'matplotlib.pyplot' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_decoder_stays_a_bounded_distance_ahead_of_a_slow_model():
    """Memory stays flat: poses_from_frames decodes at most the prefetch budget ahead (a bug
    that counted its queue items as 0 bytes once decoded a whole 10-minute clip into memory)."""
    from formcheck import runner

    produced = []
    side = 1024  # 3 MB frames: the 64 MB budget holds about 21

    def source():
        for i in range(200):
            produced.append(i)
            yield Frame(i, i * 10.0, np.zeros((side, side, 3), np.uint8))

    poses = poses_from_frames(source(), SlowModel(0.0, []))
    try:
        next(poses)
        time.sleep(0.5)
        ahead = len(produced) - 1
    finally:
        poses.close()
    limit = max(runner.PREFETCH_FRAMES, runner.PREFETCH_BYTES // (3 * side * side)) + 2
    assert ahead <= limit
