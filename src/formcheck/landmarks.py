"""The 33 BlazePose landmarks and the checked container that carries one frame's pose."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum, IntEnum

import numpy as np

from .backcurve import N_STATIONS

N_LANDMARKS = 33


class Landmark(IntEnum):
    """BlazePose landmark indices (the order MediaPipe returns them in)."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


class Side(str, Enum):
    """A side of the body, named from the person's own point of view."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Side:
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


SIDES: tuple[Side, Side] = (Side.LEFT, Side.RIGHT)


def side_landmark(side: Side, part: str) -> Landmark:
    """The landmark for ``part`` (e.g. ``"hip"``) on ``side``."""
    return Landmark[f"{side.name}_{part.upper()}"]


@dataclass(frozen=True)
class PoseFrame:
    """One frame's pose, as a pose backend returns it.

    ``image`` holds, per landmark, x and y normalised to the image (0..1, origin top-left),
    MediaPipe's relative depth z, and visibility (0..1). ``world`` holds metric coordinates
    centred on the hips. Both are None when nobody was detected. ``outline`` is the
    person's outline across the trunk from the segmentation mask (``backcurve.trunk_profile``,
    shape (17, 2), trunk lengths), None when the backend did not segment.
    """

    timestamp_ms: float
    width: int
    height: int
    image: np.ndarray | None = None
    world: np.ndarray | None = None
    outline: np.ndarray | None = None

    def __post_init__(self) -> None:
        if not math.isfinite(self.timestamp_ms):
            raise ValueError(f"expected a finite timestamp_ms, got {self.timestamp_ms!r}")
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"expected a positive image size, got {self.width}x{self.height}")
        if self.image is not None and self.image.shape != (N_LANDMARKS, 4):
            raise ValueError(f"expected image landmarks of shape (33, 4), got {self.image.shape}")
        if self.world is not None and self.world.shape != (N_LANDMARKS, 3):
            raise ValueError(f"expected world landmarks of shape (33, 3), got {self.world.shape}")
        if self.outline is not None and self.outline.shape != (N_STATIONS, 2):
            raise ValueError(f"expected an outline of shape ({N_STATIONS}, 2), got {self.outline.shape}")

    @property
    def detected(self) -> bool:
        return self.image is not None

    def pixels(self) -> np.ndarray:
        """Landmark x, y in pixels, shape (33, 2). Raises ValueError when nothing was detected."""
        if self.image is None:
            raise ValueError("expected a detected pose, got none")
        return self.image[:, :2] * np.array([self.width, self.height], dtype=float)
