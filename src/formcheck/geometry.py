"""Plane angles in degrees, vectorised over any leading dimensions. numpy only.

Image coordinates have y pointing down, so a positive signed angle here turns clockwise
on screen. Callers that need anatomical signs multiply by the facing sign (kinematics.py).
"""

from __future__ import annotations

import numpy as np


def signed_angle_deg(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Signed angle from vector ``u`` to vector ``v`` (…, 2), in degrees in (-180, 180].

    Positive when turning from u to v is clockwise on screen (image y down). A zero-length
    vector or a NaN component gives NaN.
    """
    u = np.asarray(u, dtype=float)
    v = np.asarray(v, dtype=float)
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    dot = u[..., 0] * v[..., 0] + u[..., 1] * v[..., 1]
    with np.errstate(invalid="ignore"):
        out = np.degrees(np.arctan2(cross, dot))
    degenerate = (np.hypot(u[..., 0], u[..., 1]) == 0) | (np.hypot(v[..., 0], v[..., 1]) == 0)
    return np.where(degenerate, np.nan, out)


def interior_angle_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Unsigned angle a-b-c at vertex ``b``, in degrees in [0, 180]; 180 means a straight line."""
    return np.abs(signed_angle_deg(np.asarray(a) - b, np.asarray(c) - b))


def bend_deg(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Signed bend at ``b`` of the chain a→b→c: 0 when straight, sign as in signed_angle_deg.

    It is the turn from the direction a→b to the direction b→c, so a chain that goes on
    straight reads 0 and one that folds back reads ±180.
    """
    b = np.asarray(b, dtype=float)
    return signed_angle_deg(b - a, np.asarray(c) - b)


def angle_to_vertical_deg(v: np.ndarray, *, down: bool = False) -> np.ndarray:
    """Signed angle from image vertical (up, or down with ``down=True``) to ``v`` (…, 2)."""
    ref = np.array([0.0, 1.0 if down else -1.0])
    return signed_angle_deg(np.broadcast_to(ref, np.shape(v)), v)
