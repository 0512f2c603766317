"""A One-Euro filter over landmark coordinates: steady when still, little lag when moving. numpy only.

The filter's cutoff frequency rises with the speed of each coordinate, so the jitter of a
person holding still is smoothed hard while a rep passes with little lag. A coordinate that
goes missing (NaN) restarts from its next seen value; a gap in time restarts everything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .landmarks import PoseFrame


@dataclass(frozen=True)
class OneEuroConfig:
    """``min_cutoff_hz`` when still; ``beta`` raises it per unit of speed (image heights per
    second); ``d_cutoff_hz`` smooths the speed estimate; after ``max_gap_s`` without a
    frame the filter starts afresh."""

    min_cutoff_hz: float = 1.0
    beta: float = 10.0
    d_cutoff_hz: float = 1.0
    max_gap_s: float = 0.5

    def __post_init__(self) -> None:
        for name in ("min_cutoff_hz", "d_cutoff_hz", "max_gap_s"):
            if not getattr(self, name) > 0:
                raise ValueError(f"expected {name} > 0, got {getattr(self, name)}")
        if self.beta < 0:
            raise ValueError(f"expected beta >= 0, got {self.beta}")


class OneEuroFilter:
    """Smooths arrays of the same shape over time; NaN entries pass through as NaN.

    It runs once per frame, so it keeps to a dozen whole-array numpy operations (their call
    overhead, not the arithmetic, is what costs here).
    """

    def __init__(self, config: OneEuroConfig | None = None) -> None:
        self.config = config or OneEuroConfig()
        self.reset()

    def reset(self) -> None:
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t = -math.inf
        self._holes = False  # whether the state holds NaN (missing coordinates)

    def update(self, t_s: float, x: np.ndarray) -> np.ndarray:
        """The filtered value of ``x`` at time ``t_s`` (seconds, increasing). The result is the
        filter's own state: copy it before changing it in place.

        Non-finite entries of ``x`` count as missing: NaN out, and that entry starts afresh.
        """
        cfg = self.config
        finite = np.isfinite(x)
        all_finite = bool(finite.all())
        if not all_finite:
            x = np.where(finite, x, np.nan)
        dt = t_s - self._t
        if self._x is None or not (0 < dt <= cfg.max_gap_s) or self._x.shape != x.shape:
            self._x = x.copy()
            self._dx = np.zeros_like(x)
            self._t = t_s
            self._holes = not all_finite
            return x
        assert self._dx is not None
        prev = np.where(np.isnan(self._x), x, self._x) if self._holes else self._x
        diff = x - prev
        # alpha = 1 / (1 + tau / dt) with tau = 1 / (2 pi f_c), written as f_c / (f_c + 1 / (2 pi dt)).
        k = 1.0 / (2.0 * math.pi * dt)
        ad = cfg.d_cutoff_hz / (cfg.d_cutoff_hz + k)
        dx_hat = self._dx + ad * (diff / dt - self._dx)
        if self._holes or not all_finite:
            dx_hat = np.nan_to_num(dx_hat, nan=0.0)
        cutoff = cfg.min_cutoff_hz + cfg.beta * np.abs(dx_hat)
        out = prev + cutoff / (cutoff + k) * diff
        self._x, self._dx, self._t = out, dx_hat, t_s
        self._holes = not all_finite or (self._holes and bool(np.isnan(out).any()))
        return out


class LandmarkSmoother:
    """Smooths a PoseFrame's image x, y (in image heights, so both axes share one scale)."""

    def __init__(self, config: OneEuroConfig | None = None) -> None:
        self._filter = OneEuroFilter(config)
        self._size = (0, 0)
        self._scale = np.ones(2)

    def reset(self) -> None:
        self._filter.reset()

    def update(self, pose: PoseFrame) -> PoseFrame:
        if pose.image is None:
            return pose
        if (pose.width, pose.height) != self._size:
            self._size = (pose.width, pose.height)
            self._scale = np.array([pose.width / pose.height, 1.0])
        image = pose.image.copy()
        image[:, :2] = self._filter.update(pose.timestamp_ms / 1000.0, image[:, :2] * self._scale) / self._scale
        return PoseFrame(pose.timestamp_ms, pose.width, pose.height, image, pose.world, pose.outline)
