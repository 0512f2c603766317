"""What a rep tracker hands on (counted reps, uncounted movements) and the small signal
helpers that measure a rep. numpy only."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .faults import Fault
from .landmarks import Side


@dataclass(frozen=True)
class Rep:
    """A counted rep. Times in seconds from the start of the source, angles in degrees.

    ``rom_deg`` is the driving angle's change from the person's start position to the peak.
    ``up_s`` and ``down_s`` run between 10 % and 90 % of that range; ``hold_s`` is the time
    spent within ``peak_band_deg`` (or 10 % of the range) of the peak. ``peak`` and ``start`` hold the working side's
    angles at those moments.
    """

    leg: Side | None
    side: Side
    start_s: float
    top_s: float
    end_s: float
    up_s: float
    hold_s: float
    down_s: float
    rom_deg: float
    peak: dict[str, float]
    start: dict[str, float]
    faults: tuple[Fault, ...]
    index: int = 0
    cut_off: bool = False
    note: str = ""
    # How far the signal travelled from the turn the rep left from to its peak (degrees).
    travel_deg: float = math.nan
    # The camera's azimuth while the rep was done (degrees, as ``world.py`` counts it; NaN when
    # unknown), and the faults that view could not judge (their codes).
    azimuth_deg: float = math.nan
    not_judged: tuple[str, ...] = ()

    @property
    def good(self) -> bool:
        return not self.faults

    @property
    def move_s(self) -> float:
        return self.up_s + self.down_s


@dataclass(frozen=True)
class Movement:
    """A movement away from the start position that was not counted, and why."""

    leg: Side | None
    start_s: float
    end_s: float
    rom_deg: float
    hold_s: float
    reason: str


def median(values: Iterable[float]) -> float:
    """np.median of a few finite floats, with its arithmetic, without its per-call cost."""
    v = sorted(values)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def margin(deg: float, fraction: float, travel: float, share: float) -> float:
    """A noise margin of ``deg``, but at most ``share`` of ``travel`` (so it cannot swallow a
    short rep), or ``fraction`` of ``travel`` when that is larger."""
    return max(min(deg, share * travel), fraction * travel)


def last_at_or_below(p: np.ndarray, level: float, before: int, start: int = 0) -> int | None:
    """Last index in ``p[start:before]`` at or below ``level``."""
    idx = np.flatnonzero(p[start:before] <= level)
    return int(idx[-1]) + start if idx.size else None


def first_at_or_below(p: np.ndarray, level: float, after: int) -> int | None:
    """First index from ``after`` on at or below ``level``."""
    idx = np.flatnonzero(p[after:] <= level)
    return int(idx[0]) + after if idx.size else None


def cross_time(t: np.ndarray, p: np.ndarray, level: float, i: int, j: int) -> float:
    """Time where p crosses ``level`` between samples i and j (linear interpolation)."""
    if p[j] == p[i]:
        return float(t[i])
    f = (level - p[i]) / (p[j] - p[i])
    return float(t[i] + min(max(f, 0.0), 1.0) * (t[j] - t[i]))
