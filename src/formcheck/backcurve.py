"""The back's curve from the person's outline (segmentation mask), seen side-on. numpy only.

Two steps, so that only a compact profile (not the mask) has to travel and be saved:

1. ``trunk_profile(mask, hip, shoulder)``: along the mid-hip → mid-shoulder axis, at
   ``N_STATIONS`` evenly spaced stations (0 at the hip, 1 at the shoulder), the distance from the
   axis to the edge of the person's mask, on each side of the axis, scanning outwards from the
   axis to the first pixel that is not the person. Distances are in trunk lengths (the axis
   length on screen); NaN where the axis point itself is not on the person or no edge is found
   within ``MAX_REACH`` trunk lengths or inside the picture. Column 0 is the side to the
   right of the axis direction in the image (x right, y down: the axis turned by +90°,
   ``(-dy, dx)``), column 1 the other side.
2. ``back_curve_deg(profile, facing, view_ratio, arms)``: the back is the side away from the
   belly. With ``facing`` +1 (the person's left side towards the camera) it is column 0, with -1
   column 1, standing, hinged or lying on the back (the facing sign follows the body, not the
   world: lying face up, the back is the side towards the floor, and it is still that column).
   Where the outline found is an arm's, not the back's, the frame is not read (NaN): an arm
   hanging behind a trunk that leans back (a hinge's lean-back at lockout), or lying on the floor
   beside a bridging trunk, closes the silhouette over the back, and the edge found is then the
   arm's skin, within ``ARM_CLEARANCE`` of the shoulder → elbow → wrist line. (Leaving out only
   the stations it covers fits the parabola to another part of the back from frame to frame,
   which moves the number more than the spine does.) Between the stations ``SPAN`` a parabola
   is fitted to the back's distance from the axis; the number is the turn of its tangent from
   the lower end to the upper end, in degrees: 0 for a straight back outline, positive when the
   outline is hollow (the low back arched, extended), negative when it bulges outwards
   (rounded, flexed).

The outline is a mirror-symmetric measure: the same body seen from its other side (the picture
and the landmarks mirrored) gives the same number (tests/test_backcurve.py).

This measures the *skin outline*, not the spine: the buttocks, the shoulder blades, clothing, hair
and the arms shape it too, and a natural back reads far from 0 (+45° to +70° standing, on the
renders). It is meant to be compared with the same person's own value at the start position;
README "The back's curve" gives its measured agreement with the true spine angles of rendered
clips.
"""

from __future__ import annotations

import math

import numpy as np

N_STATIONS = 17
STATIONS = np.linspace(0.0, 1.0, N_STATIONS)
# Hip end to shoulder end of the fitted part: the buttocks' bulge below and the shoulder joint's
# arm above are left out.
SPAN = (0.15, 0.85)
MAX_REACH = 0.8          # trunk lengths: how far from the axis an edge is looked for
MIN_TRUNK_PX = 20.0      # a shorter trunk on screen gives no profile
MIN_STATIONS = 7         # fitted stations needed inside SPAN (of 11)
MAX_VIEW_RATIO = 0.35    # shoulder or hip width over trunk length: above it, not side-on enough
# An outline point this close (trunk lengths) to the centre line of an arm is taken for the arm's
# skin: an upper arm is 0.08-0.09 trunk lengths from its line to its skin (the renders' body). On
# the renders a clean standing back lies 0.10-0.2 from the near arm's line, an arm hanging behind
# a lean-back 0.02-0.08 (results hardly change between 0.08 and 0.10; at 0.12 standing backs of
# thin-waisted bodies start to go unread).
ARM_CLEARANCE = 0.10
MASK_THRESHOLD = 0.5
STEP_PX = 1.0            # scan step along each ray (pixels)
_IN_SPAN = np.abs(STATIONS - (SPAN[0] + SPAN[1]) / 2) <= (SPAN[1] - SPAN[0]) / 2 + 1e-9


def _bilinear(img: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """``img`` sampled at pixel-centre coordinates ``xs``, ``ys`` (clamped to the picture)."""
    h, w = img.shape
    x = np.clip(xs, 0, w - 1)
    y = np.clip(ys, 0, h - 1)
    x0 = np.minimum(np.floor(x).astype(int), w - 2)
    y0 = np.minimum(np.floor(y).astype(int), h - 2)
    fx, fy = x - x0, y - y0
    top = img[y0, x0] * (1 - fx) + img[y0, x0 + 1] * fx
    bottom = img[y0 + 1, x0] * (1 - fx) + img[y0 + 1, x0 + 1] * fx
    return np.asarray(top * (1 - fy) + bottom * fy)


def trunk_profile(mask: np.ndarray, hip: tuple[float, float], shoulder: tuple[float, float],
                  threshold: float = MASK_THRESHOLD) -> np.ndarray:
    """The outline's distance from the hip→shoulder axis, shape ``(N_STATIONS, 2)``.

    ``mask``: the person's segmentation, shape (height, width), values 0..1 (or bool).
    ``hip``, ``shoulder``: the axis ends in pixels (x right, y down). Distances are in trunk
    lengths; NaN where not measurable (see the module docstring). Raises ValueError for a mask
    that is not 2D.
    """
    m = np.asarray(mask)
    if m.ndim != 2:
        raise ValueError(f"expected a 2D mask, got shape {m.shape}")
    out = np.full((N_STATIONS, 2), np.nan)
    hx, hy = float(hip[0]), float(hip[1])
    dx, dy = float(shoulder[0]) - hx, float(shoulder[1]) - hy
    length = math.hypot(dx, dy)
    if not math.isfinite(length) or length < MIN_TRUNK_PX:
        return out
    soft = m.astype(np.float32) if m.dtype == bool else m
    h, w = soft.shape
    ux, uy = dx / length, dy / length
    nx, ny = -uy, ux  # column 0's direction
    steps = np.arange(0.0, MAX_REACH * length, STEP_PX)
    cx = hx + STATIONS * dx
    cy = hy + STATIONS * dy
    rows = np.arange(N_STATIONS)
    for col, sign in enumerate((1.0, -1.0)):
        xs = cx[:, None] + sign * nx * steps[None, :]
        ys = cy[:, None] + sign * ny * steps[None, :]
        inside = (xs >= 0) & (xs <= w - 1) & (ys >= 0) & (ys <= h - 1)
        # A coarse scan on the nearest pixels finds the first step off the person...
        xi = np.clip(np.rint(xs).astype(int), 0, w - 1)
        yi = np.clip(np.rint(ys).astype(int), 0, h - 1)
        on = inside & (soft[yi, xi] > threshold)
        off = ~on
        first = np.argmax(off, axis=1)
        # ...leaving the picture is no edge...
        ok = on[:, 0] & off.any(axis=1) & inside[rows, first]
        # ...and the mask's soft edge, sampled between that step and the one before, places
        # the edge to a fraction of a pixel.
        k = np.maximum(first, 1)
        v0 = _bilinear(soft, xs[rows, k - 1], ys[rows, k - 1])
        v1 = _bilinear(soft, xs[rows, k], ys[rows, k])
        frac = np.clip((v0 - threshold) / np.where(v0 > v1, v0 - v1, 1.0), 0.0, 1.0)
        dist = steps[k - 1] + frac * STEP_PX
        out[ok, col] = dist[ok] / length
    return out


def axis_coords(points: np.ndarray, hip: tuple[float, float],
                shoulder: tuple[float, float]) -> np.ndarray:
    """``points`` (pixels, shape (..., 2)) in the trunk axis frame of ``trunk_profile``: along the
    axis (0 at the hip, 1 at the shoulder) and across it (positive on column 0's side), both in
    trunk lengths. NaN for a degenerate axis."""
    p = np.asarray(points, dtype=float)
    hx, hy = float(hip[0]), float(hip[1])
    dx, dy = float(shoulder[0]) - hx, float(shoulder[1]) - hy
    length2 = dx * dx + dy * dy
    if not length2 > 0:
        return np.full(p.shape, np.nan)
    rx, ry = p[..., 0] - hx, p[..., 1] - hy
    return np.stack(((rx * dx + ry * dy) / length2, (-rx * dy + ry * dx) / length2), axis=-1)


def _near_arms(t: list[float], s: list[float], arms: list) -> bool:
    """Whether any outline point (``t``, ``s``: axis frame) lies within ``ARM_CLEARANCE`` of a
    segment of ``arms`` (nested lists, shape (n, 2, 2): segment, end, (t, s); a segment with a
    NaN end is ignored). It runs once per frame on a dozen points and two segments: Python
    floats, as in ``kinematics.py``, cost a fraction of many tiny numpy calls."""
    for (at, as_), (bt, bs) in arms:
        dt, ds = bt - at, bs - as_
        len2 = dt * dt + ds * ds
        for pt, ps in zip(t, s, strict=True):
            u = ((pt - at) * dt + (ps - as_) * ds) / len2 if len2 > 0 else 0.0
            u = min(1.0, max(0.0, u))
            if math.hypot(pt - (at + u * dt), ps - (as_ + u * ds)) < ARM_CLEARANCE:
                return True  # NaN distances compare False: an unknown end hides nothing
    return False


def back_curve_deg(profile: np.ndarray | None, facing: int, view_ratio: float = 0.0,
                   arms: np.ndarray | None = None) -> float:
    """The signed curve of the back outline in degrees (+ hollow/extended, - rounded/flexed).

    ``profile`` from ``trunk_profile``; ``facing`` +1 / -1 (0: unknown); ``view_ratio`` the
    shoulder or hip width over the trunk length on screen; ``arms`` the arms' segments
    (shoulder → elbow, elbow → wrist) in the axis frame (``axis_coords``), shape (n, 2, 2), or
    None. NaN when the view is not side-on (``view_ratio`` above ``MAX_VIEW_RATIO``), the
    facing is unknown, fewer than ``MIN_STATIONS`` stations of the span were read, or any of
    them lies within ``ARM_CLEARANCE`` of an arm segment (the outline there is the arm's).
    """
    if profile is None or facing == 0 or not view_ratio <= MAX_VIEW_RATIO:
        return math.nan
    col = 0 if facing > 0 else 1
    d = profile[:, col]
    sel = _IN_SPAN & np.isfinite(d)
    if arms is not None and len(arms) and sel.any():
        side = 1.0 if col == 0 else -1.0
        if _near_arms(STATIONS[sel].tolist(), (side * d[sel]).tolist(), np.asarray(arms, dtype=float).tolist()):
            return math.nan
    if int(sel.sum()) < MIN_STATIONS:
        return math.nan
    t, y = STATIONS[sel], d[sel]
    c2, c1, _c0 = np.polyfit(t, y, 2)
    # d is measured outwards from the axis: an outline bulging out (rounded) has c2 < 0, and
    # its tangent turns towards the axis going up; a hollow one turns away (+).
    slope0 = c1 + 2.0 * c2 * SPAN[0]
    slope1 = c1 + 2.0 * c2 * SPAN[1]
    return math.degrees(math.atan(slope1) - math.atan(slope0))
