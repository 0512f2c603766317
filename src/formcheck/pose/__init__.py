"""Pose backends: each turns an image into a PoseFrame. Only pose/mediapipe_legacy.py imports mediapipe."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from ..landmarks import PoseFrame


class PoseEstimator(Protocol):
    """A pose model: one image in, one PoseFrame out. Used as a context manager."""

    name: str

    def estimate(self, image_bgr: np.ndarray, timestamp_ms: float) -> PoseFrame:
        """The pose in ``image_bgr`` (H×W×3 uint8, OpenCV's BGR order) at ``timestamp_ms``."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> PoseEstimator: ...

    def __exit__(self, *exc: object) -> None: ...
