"""The default pose backend: MediaPipe's legacy ``solutions.pose`` with the model its wheel ships.

mediapipe 0.10.21 bundles only the full landmark model (``model_complexity=1``); the lite and
heavy models would be downloaded on first use, which formcheck never does.

With ``segmentation=True`` the model's person mask is turned, per frame, into the compact
outline across the trunk that ``backcurve`` reads (the mask itself is not kept). Its cost is
measured in bench/RESULTS.md ("Segmentation").
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

import numpy as np

from ..backcurve import trunk_profile
from ..errors import FormcheckError
from ..landmarks import N_LANDMARKS, Landmark, PoseFrame

MODEL_COMPLEXITY = 1
# mediapipe.solutions imports these drawing helpers, which import matplotlib.pyplot: about
# 60 % of `import mediapipe` (1.5 of 2.5 s measured under load). formcheck never uses them,
# so they stand in as modules that load the real one on first use.
_DRAWING_MODULES = ("mediapipe.python.solutions.drawing_utils", "mediapipe.python.solutions.drawing_styles")


class _LoadOnUse(types.ModuleType):
    """A placeholder for a module: the first attribute asked for loads the real one."""

    def __getattr__(self, attr: str) -> object:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attr)


def _import_mediapipe() -> types.ModuleType:
    """``import mediapipe`` without its drawing helpers (loaded on use). Raises ImportError."""
    placeholders = {}
    for name in _DRAWING_MODULES:
        if name not in sys.modules:
            placeholders[name] = sys.modules[name] = _LoadOnUse(name)
    import mediapipe as mp

    solutions = sys.modules.get("mediapipe.python.solutions")
    for name, module in placeholders.items():
        if solutions is not None and not hasattr(solutions, name.rsplit(".", 1)[1]):
            setattr(solutions, name.rsplit(".", 1)[1], module)
    return mp


class MediaPipeLegacyPose:
    """BlazePose through ``mediapipe.solutions.pose`` in tracking (video) mode, smoothing on.

    ``segmentation``: also run the person mask and give each PoseFrame its trunk ``outline``.
    """

    name = "mediapipe-legacy-full"

    def __init__(self, min_detection_confidence: float = 0.5, min_tracking_confidence: float = 0.5,
                 segmentation: bool = True):
        try:
            import cv2

            mp = _import_mediapipe()
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise FormcheckError(
                f"mediapipe cannot be imported ({exc}); reinstall with: pip install -e ."
            ) from exc
        self._cv2 = cv2
        self.version = mp.__version__
        self.segmentation = segmentation
        self._pose = mp.solutions.pose.Pose(
            static_image_mode=False,
            model_complexity=MODEL_COMPLEXITY,
            smooth_landmarks=True,
            enable_segmentation=segmentation,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )

    def estimate(self, image_bgr: np.ndarray, timestamp_ms: float) -> PoseFrame:
        return self.estimate_prepared(self.prepare(image_bgr), timestamp_ms)

    def prepare(self, image_bgr: np.ndarray) -> np.ndarray:
        """The model's input for ``image_bgr`` (RGB, read-only). Thread-safe: the runner calls
        it in the decode thread, so the colour conversion overlaps with inference."""
        rgb = self._cv2.cvtColor(image_bgr, self._cv2.COLOR_BGR2RGB)
        rgb.flags.writeable = False
        return rgb

    def estimate_prepared(self, rgb: np.ndarray, timestamp_ms: float) -> PoseFrame:
        """The pose in an image from ``prepare`` (same result as ``estimate`` on the original)."""
        h, w = rgb.shape[:2]
        return self.estimate_from_result(self._pose.process(rgb), w, h, timestamp_ms)

    def estimate_from_result(self, result: Any, w: int, h: int, timestamp_ms: float) -> PoseFrame:
        """The PoseFrame of one ``Pose.process`` result for a ``w`` × ``h`` image."""
        if result.pose_landmarks is None:
            return PoseFrame(timestamp_ms, w, h)
        image = np.array(
            [(p.x, p.y, p.z, p.visibility) for p in result.pose_landmarks.landmark], dtype=float
        )
        world = None
        if result.pose_world_landmarks is not None:
            world = np.array(
                [(p.x, p.y, p.z) for p in result.pose_world_landmarks.landmark], dtype=float
            )
        if image.shape[0] != N_LANDMARKS:  # pragma: no cover - a model contract
            raise FormcheckError(f"expected {N_LANDMARKS} landmarks from mediapipe, got {image.shape[0]}")
        outline = None
        if self.segmentation and result.segmentation_mask is not None:
            outline = _outline(result.segmentation_mask, image, w, h)
        return PoseFrame(timestamp_ms, w, h, image, world, outline)

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> MediaPipeLegacyPose:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_TRUNK = (Landmark.LEFT_HIP, Landmark.RIGHT_HIP, Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)


def _outline(mask: np.ndarray, image: np.ndarray, w: int, h: int) -> np.ndarray:
    """The trunk outline of ``mask`` about the mid-hip → mid-shoulder axis (landmarks ``image``)."""
    xy = image[list(_TRUNK), :2] * np.array([w, h], dtype=float)
    hip = (xy[0] + xy[1]) / 2
    shoulder = (xy[2] + xy[3]) / 2
    return trunk_profile(mask, (hip[0], hip[1]), (shoulder[0], shoulder[1]))
