"""The skeleton of the working side (and, per leg, the other leg) drawn on a copy of a frame."""

from __future__ import annotations

import cv2
import numpy as np

from .landmarks import Landmark, PoseFrame, Side, side_landmark
from .layout import Layout, Palette

# Landmarks less visible than this are not drawn (the analysis' own threshold is similar).
MIN_DRAW_VISIBILITY = 0.1

_BODY_CHAIN = (
    ("ear", "shoulder"),
    ("shoulder", "elbow"),
    ("elbow", "wrist"),
    ("shoulder", "hip"),
    ("hip", "knee"),
    ("knee", "ankle"),
    ("ankle", "heel"),
    ("heel", "foot_index"),
    ("ankle", "foot_index"),
)
_LEG_CHAIN = (
    ("hip", "knee"),
    ("knee", "ankle"),
    ("ankle", "heel"),
    ("heel", "foot_index"),
    ("ankle", "foot_index"),
)


def draw_skeleton(
    image_bgr: np.ndarray,
    pose: PoseFrame,
    side: Side | None,
    *,
    other_leg: bool = False,
    inplace: bool = False,
) -> np.ndarray:
    """A copy of ``image_bgr`` with the body chain of ``side`` drawn (head, arm, trunk, leg).

    ``side`` None picks the more visible side. ``other_leg`` also draws the far leg, fainter
    (per-leg exercises use both). The hip, whose angle drives most reps, is ringed. Points
    MediaPipe rates below MIN_DRAW_VISIBILITY are left out. Nothing is drawn when no pose
    was detected. ``inplace=True`` draws on ``image_bgr`` itself and returns it.
    """
    img = image_bgr if inplace else image_bgr.copy()
    if pose.image is None:
        return img
    h, w = img.shape[:2]
    lay = Layout.for_image(w, h)
    # The pose may come from a frame of another size (a resized preview): scale to this one.
    px = pose.image[:, :2] * np.array([w, h], dtype=float)
    vis = pose.image[:, 3]
    if side is None:
        vis_l = np.nanmean(
            [vis[side_landmark(Side.LEFT, p)] for p in ("shoulder", "hip", "knee", "ankle")]
        )
        vis_r = np.nanmean(
            [vis[side_landmark(Side.RIGHT, p)] for p in ("shoulder", "hip", "knee", "ankle")]
        )
        side = Side.LEFT if vis_l >= vis_r else Side.RIGHT

    def point(s: Side, part: str) -> tuple[int, int] | None:
        i = (
            side_landmark(s, part)
            if part != "ear"
            else (Landmark.LEFT_EAR if s is Side.LEFT else Landmark.RIGHT_EAR)
        )
        x, y = px[i]
        if not (vis[i] >= MIN_DRAW_VISIBILITY and np.isfinite(x) and np.isfinite(y)):
            return None
        return round(float(x)), round(float(y))

    def chain(
        s: Side, links: tuple[tuple[str, str], ...], color: tuple[int, int, int], width: int
    ) -> None:
        for a, b in links:
            pa, pb = point(s, a), point(s, b)
            if pa is not None and pb is not None:
                cv2.line(img, pa, pb, Palette.SHADOW, width + lay.px(2), cv2.LINE_AA)
                cv2.line(img, pa, pb, color, width, cv2.LINE_AA)

    if other_leg:
        chain(side.other, _LEG_CHAIN, Palette.SKELETON_OTHER, lay.px(3))
    chain(side, _BODY_CHAIN, Palette.SKELETON, lay.px(4))
    r = lay.px(5)
    for part in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel", "foot_index"):
        p = point(side, part)
        if p is not None:
            cv2.circle(img, p, r, Palette.JOINT, -1, cv2.LINE_AA)
    hip = point(side, "hip")
    if hip is not None:
        cv2.circle(img, hip, lay.px(11), Palette.ACCENT, lay.px(2.5), cv2.LINE_AA)
    return img
