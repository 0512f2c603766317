"""The renders ``bench/backcurve.py`` measures the back outline on (``../shared/synth`` scenarios).

Hinges with ``rounded_back`` 10–35° and ``lumbar_overextension`` 8–20°, bridges with
``lumbar_overextension`` 6–20°, kickbacks with it, on both camera sides, a few body heights and
camera elevations, mixed with clean reps. Names with ``_holdout`` (other seeds, heights and
elevations) are reported apart by ``bench/backcurve.py`` and never used to choose a threshold.
"""

from __future__ import annotations


def _rep(fault: str | None = None, magnitude: float = 0.0) -> dict:
    return {"type": "rep", "faults": [{"type": fault, "magnitude": magnitude}] if fault else []}


RB, LO = "rounded_back", "lumbar_overextension"

SCENARIOS: dict[str, dict] = {
    "hinge_left": {
        "exercise": "hip_hinge", "seed": 11, "camera": {"view": "side", "side": "left"},
        "sequence": [_rep(), _rep(RB, 10), _rep(RB, 20), _rep(), _rep(RB, 35), _rep(LO, 8)]},
    "hinge_right_short": {
        "exercise": "hip_hinge", "seed": 12, "appearance": {"height_m": 1.58},
        "camera": {"view": "side", "side": "right", "elevation_deg": 15},
        "sequence": [_rep(), _rep(RB, 15), _rep(LO, 12), _rep(), _rep(RB, 25), _rep(LO, 20)]},
    "hinge_left_tall_low": {
        "exercise": "hip_hinge", "seed": 13, "appearance": {"height_m": 1.88},
        "camera": {"view": "side", "side": "left", "elevation_deg": -3},
        "sequence": [_rep(), _rep(LO, 15), _rep(RB, 30), _rep(), _rep(LO, 8), _rep(RB, 12)]},
    "hinge_right_high": {
        "exercise": "hip_hinge", "seed": 14,
        "camera": {"view": "side", "side": "right", "elevation_deg": 22},
        "sequence": [_rep(RB, 18), _rep(), _rep(LO, 10), _rep(RB, 10), _rep(LO, 16), _rep()]},
    "bridge_left": {
        "exercise": "glute_bridge", "seed": 21, "camera": {"view": "side", "side": "left"},
        "sequence": [_rep(), _rep(LO, 6), _rep(LO, 12), _rep(), _rep(LO, 20)]},
    "bridge_right_high": {
        "exercise": "glute_bridge", "seed": 22, "appearance": {"height_m": 1.6},
        "camera": {"view": "side", "side": "right", "elevation_deg": 25},
        "sequence": [_rep(LO, 10), _rep(), _rep(LO, 15), _rep(LO, 8), _rep()]},
    "bridge_left_low": {
        "exercise": "glute_bridge", "seed": 23, "appearance": {"height_m": 1.85},
        "camera": {"view": "side", "side": "left", "elevation_deg": 4},
        "sequence": [_rep(), _rep(LO, 18), _rep(LO, 6), _rep()]},
    "kickback_left": {
        "exercise": "standing_glute_kickback", "seed": 31,
        "exercise_params": {"leg": "left"}, "camera": {"view": "side", "side": "left"},
        "sequence": [_rep(), _rep(LO, 8), _rep(LO, 15), _rep(), _rep(LO, 20)]},
    "kickback_right_high": {
        "exercise": "standing_glute_kickback", "seed": 32, "appearance": {"height_m": 1.6},
        "exercise_params": {"leg": "right"},
        "camera": {"view": "side", "side": "right", "elevation_deg": 18},
        "sequence": [_rep(LO, 12), _rep(), _rep(LO, 18), _rep(LO, 6), _rep()]},
    "hinge_holdout": {
        "exercise": "hip_hinge", "seed": 41, "appearance": {"height_m": 1.75},
        "camera": {"view": "side", "side": "left", "elevation_deg": 10},
        "sequence": [_rep(), _rep(RB, 15), _rep(LO, 10), _rep(), _rep(RB, 22), _rep(LO, 14)]},
    "bridge_holdout": {
        "exercise": "glute_bridge", "seed": 42, "appearance": {"height_m": 1.72},
        "camera": {"view": "side", "side": "right", "elevation_deg": 12},
        "sequence": [_rep(), _rep(LO, 9), _rep(), _rep(LO, 14)]},
    "kickback_holdout": {
        "exercise": "standing_glute_kickback", "seed": 43,
        "exercise_params": {"leg": "right"}, "camera": {"view": "side", "side": "right"},
        "sequence": [_rep(), _rep(LO, 10), _rep(), _rep(LO, 16)]},
    # Second hold-out: other seeds, heights and elevations, the other camera side from the first.
    "hinge_holdout2": {
        "exercise": "hip_hinge", "seed": 44, "appearance": {"height_m": 1.66},
        "camera": {"view": "side", "side": "right", "elevation_deg": 6},
        "sequence": [_rep(RB, 15), _rep(), _rep(LO, 12), _rep(RB, 30), _rep(), _rep(LO, 8)]},
    "bridge_holdout2": {
        "exercise": "glute_bridge", "seed": 45, "appearance": {"height_m": 1.80},
        "camera": {"view": "side", "side": "left", "elevation_deg": 18},
        "sequence": [_rep(LO, 8), _rep(), _rep(LO, 16), _rep()]},
    "kickback_holdout2": {
        "exercise": "standing_glute_kickback", "seed": 46, "appearance": {"height_m": 1.68},
        "exercise_params": {"leg": "left"}, "camera": {"view": "side", "side": "left", "elevation_deg": 8},
        "sequence": [_rep(LO, 8), _rep(), _rep(LO, 14), _rep()]},
}


def scenario(name: str) -> dict:
    """The full scenario for ``name``: 15 fps, 640×480, short lead-in and lead-out."""
    base = {"fps": 15, "resolution": [640, 480], "lead_in_s": 1.5, "lead_out_s": 1.0}
    return {**base, **SCENARIOS[name]}
