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


def _alpha(cutoff_hz: np.ndarray | float, dt: float) -> np.ndarray | float:
    tau = 1.0 / (2.0 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt)


class OneEuroFilter:
    """Smooths arrays of the same shape over time; NaN entries pass through as NaN."""

    def __init__(self, config: OneEuroConfig | None = None) -> None:
        self.config = config or OneEuroConfig()
        self.reset()

    def reset(self) -> None:
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t = -math.inf

    def update(self, t_s: float, x: np.ndarray) -> np.ndarray:
        """The filtered value of ``x`` at time ``t_s`` (seconds, increasing)."""
        cfg = self.config
        dt = t_s - self._t
        if self._x is None or not (0 < dt <= cfg.max_gap_s) or self._x.shape != x.shape:
            self._x = x.copy()
            self._dx = np.zeros_like(x)
            self._t = t_s
            return x.copy()
        assert self._dx is not None
        fresh = np.isnan(self._x) & ~np.isnan(x)
        prev = np.where(fresh, x, self._x)
        dx = (x - prev) / dt
        dx_hat = self._dx + _alpha(cfg.d_cutoff_hz, dt) * (dx - self._dx)
        dx_hat = np.where(np.isnan(dx_hat), 0.0, dx_hat)
        a = _alpha(cfg.min_cutoff_hz + cfg.beta * np.abs(dx_hat), dt)
        out = prev + a * (x - prev)
        self._x, self._dx, self._t = out, dx_hat, t_s
        return out.copy()


class LandmarkSmoother:
    """Smooths a PoseFrame's image x, y (in image heights, so both axes share one scale)."""

    def __init__(self, config: OneEuroConfig | None = None) -> None:
        self._filter = OneEuroFilter(config)

    def reset(self) -> None:
        self._filter.reset()

    def update(self, pose: PoseFrame) -> PoseFrame:
        if pose.image is None:
            return pose
        scale = np.array([pose.width / pose.height, 1.0])
        raw = pose.image[:, :2]
        raw = np.where(np.isfinite(raw), raw, np.nan)  # an infinite coordinate is a missing one
        xy = self._filter.update(pose.timestamp_ms / 1000.0, raw * scale) / scale
        image = pose.image.copy()
        image[:, :2] = xy
        return PoseFrame(pose.timestamp_ms, pose.width, pose.height, image, pose.world)
