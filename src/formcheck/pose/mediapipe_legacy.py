"""The default pose backend: MediaPipe's legacy ``solutions.pose`` with the model its wheel ships.

mediapipe 0.10.21 bundles only the full landmark model (``model_complexity=1``); the lite and
heavy models would be downloaded on first use, which formcheck never does.
"""

from __future__ import annotations

import importlib
import sys
import types

import numpy as np

from ..errors import FormcheckError
from ..landmarks import N_LANDMARKS, PoseFrame

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
    """BlazePose through ``mediapipe.solutions.pose`` in tracking (video) mode, smoothing on."""

    name = "mediapipe-legacy-full"

    def __init__(self, min_detection_confidence: float = 0.5, min_tracking_confidence: float = 0.5):
        try:
            import cv2

            mp = _import_mediapipe()
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise FormcheckError(
                f"mediapipe cannot be imported ({exc}); reinstall with: pip install -e ."
            ) from exc
        self._cv2 = cv2
        self.version = mp.__version__
        self._pose = mp.solutions.pose.Pose(
            static_image_mode=False,
            model_complexity=MODEL_COMPLEXITY,
            smooth_landmarks=True,
            enable_segmentation=False,
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
        result = self._pose.process(rgb)
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
        return PoseFrame(timestamp_ms, w, h, image, world)

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> MediaPipeLegacyPose:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
