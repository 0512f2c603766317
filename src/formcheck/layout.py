"""Sizes, colours and text for the overlay: the ``Layout`` of an image size, the ``Palette``,
and the text and panel primitives ``render.py`` (the overlay) and ``skeleton.py`` draw with.

Every length is a multiple of ``Layout.unit`` (the shorter image side over 480 px; less for a
narrow portrait frame), so a 640×480 and a 1280×720 frame get the same look at their own size.
Hershey fonts have no degree sign: the text primitives draw one as a small ring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from .coaching import CUE_FAULT, CUE_INFO, CUE_POSITION

# The image height (px) at which unit == 1; every size below is in these units.
REFERENCE_SIDE_PX = 480.0
# The narrowest width (in units) the overlay's widest row (counter, hold timer, gauge) needs.
REFERENCE_WIDTH_UNITS = 560.0


class Palette:
    """Every colour the overlay uses (BGR)."""

    TEXT = (255, 255, 255)
    TEXT_DIM = (200, 200, 200)
    SHADOW = (0, 0, 0)
    PANEL = (32, 28, 24)
    GOOD = (80, 200, 60)
    WARN = (0, 190, 255)
    BAD = (60, 60, 235)
    INFO = (235, 170, 60)
    ACCENT = (0, 220, 255)
    SKELETON = (255, 220, 120)
    SKELETON_OTHER = (170, 140, 90)
    JOINT = (255, 255, 255)
    GAUGE_TRACK = (90, 90, 90)
    GAUGE_BAND = (80, 200, 60)
    GAUGE_OVER = (60, 60, 235)

    SEVERITY = {"major": BAD, "warning": WARN, "info": INFO}
    CUE = {CUE_FAULT: WARN, CUE_POSITION: ACCENT, CUE_INFO: INFO}


@dataclass(frozen=True)
class Layout:
    """Sizes for one image size: ``unit`` px per layout unit, fonts and strokes from it."""

    width: int
    height: int
    unit: float

    @classmethod
    def for_image(cls, width: int, height: int) -> Layout:
        """The layout of a ``width``×``height`` px image; raises ValueError unless both > 0.

        The unit follows the shorter side, but never lets a line of the overlay need more
        than REFERENCE_WIDTH_UNITS across: a portrait phone frame (360×640) gets smaller
        text, and the things that sat side by side stack instead (see draw_overlay)."""
        if width <= 0 or height <= 0:
            raise ValueError(f"expected a positive image size, got {width}x{height}")
        unit = min(min(width, height) / REFERENCE_SIDE_PX, width / REFERENCE_WIDTH_UNITS)
        return cls(width, height, unit)

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    def px(self, units: float) -> int:
        """``units`` layout units in whole pixels (at least 1)."""
        return max(1, round(units * self.unit))

    # Font scales for cv2's Hershey fonts: the cap height is about 22 px × scale.
    @property
    def small(self) -> float:
        return 0.5 * self.unit

    @property
    def body(self) -> float:
        return 0.62 * self.unit

    @property
    def large(self) -> float:
        return 0.95 * self.unit

    @property
    def huge(self) -> float:
        return 2.0 * self.unit

    def stroke(self, scale: float) -> int:
        """A legible text stroke for a font scale (thicker for bigger text)."""
        return max(1, round(scale * 1.9))



FONT = cv2.FONT_HERSHEY_DUPLEX
DEGREE = "°"


def text_size(text: str, scale: float, thick: int) -> tuple[int, int, int]:
    """Width, cap height and descent of ``text`` in px (a degree sign drawn as a ring)."""
    parts = text.split(DEGREE)
    w = sum(cv2.getTextSize(p, FONT, scale, thick)[0][0] for p in parts if p)
    w += (len(parts) - 1) * degree_width(scale)
    (_, h), base = cv2.getTextSize("Hg", FONT, scale, thick)
    return w, h, base


def degree_width(scale: float) -> int:
    return max(3, round(9 * scale))


def put_text(
    img: np.ndarray,
    text: str,
    org: tuple[int, int],
    scale: float,
    color: tuple[int, int, int],
    thick: int,
    outline: bool = False,
) -> int:
    """Draw ``text`` with its baseline-left at ``org``; returns its width. Hershey fonts have
    no degree sign, so one is drawn as a small ring."""
    x, y = org
    parts = text.split(DEGREE)
    (_, h), _ = cv2.getTextSize("H", FONT, scale, thick)
    r = max(2, round(h * 0.2))
    for i, part in enumerate(parts):
        if part:
            if outline:
                cv2.putText(
                    img,
                    part,
                    (x, y),
                    FONT,
                    scale,
                    Palette.SHADOW,
                    thick + max(2, thick),
                    cv2.LINE_AA,
                )
            cv2.putText(img, part, (x, y), FONT, scale, color, thick, cv2.LINE_AA)
            x += cv2.getTextSize(part, FONT, scale, thick)[0][0]
        if i < len(parts) - 1:
            c = (x + r + max(1, thick // 2), y - h + r)
            if outline:
                cv2.circle(img, c, r, Palette.SHADOW, max(1, thick) + 2, cv2.LINE_AA)
            cv2.circle(img, c, r, color, max(1, thick), cv2.LINE_AA)
            x += degree_width(scale)
    return x - org[0]


def panel(
    img: np.ndarray,
    x0: int,
    y0: int,
    x1: int,
    y1: int,
    alpha: float = 0.62,
    color: tuple[int, int, int] = Palette.PANEL,
) -> None:
    """Darken a rectangle (clipped to the image) so text on it reads on any background."""
    h, w = img.shape[:2]
    x0, x1 = max(0, x0), min(w, x1)
    y0, y1 = max(0, y0), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return
    roi = img[y0:y1, x0:x1]
    # In place, in uint8 (cv2 saturates and vectorises): roi * (1 - alpha) + color * alpha.
    cv2.convertScaleAbs(roi, dst=roi, alpha=1.0 - alpha)
    cv2.add(roi, (color[0] * alpha, color[1] * alpha, color[2] * alpha, 0.0), dst=roi)


def wrap_text(text: str, scale: float, thick: int, max_w: int, max_lines: int = 3) -> list[str]:
    """Split ``text`` into lines no wider than ``max_w`` px (the last one cut with "…")."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and text_size(trial, scale, thick)[0] > max_w:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;:") + "..."
    return lines


def clock_text(seconds: float) -> str:
    s = max(0, math.ceil(seconds))
    return f"{s // 60}:{s % 60:02d}"


def fit_text(text: str, scale: float, thick: int, max_w: int) -> str:
    """``text``, cut with "..." if it is wider than ``max_w`` px."""
    if text_size(text, scale, thick)[0] <= max_w:
        return text
    while text and text_size(text + "...", scale, thick)[0] > max_w:
        text = text[:-1]
    return text.rstrip() + "..."
