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


def default_estimator() -> PoseEstimator:
    """The bundled MediaPipe model, with its native start-up chatter turned down.

    A plain function (picklable), so worker processes can be told to build their own model.
    """
    import os

    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from .mediapipe_legacy import MediaPipeLegacyPose

    return MediaPipeLegacyPose()
