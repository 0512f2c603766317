"""Builders of JSON reports (schema_version 1) for tests of the outputs, without the model.

Each builder's docstring says what session it describes. The numbers are made up but have the
shape ``reports.build_report`` gives: the same keys, units and rounding.
"""

from __future__ import annotations

import math
from typing import Any

FPS = 30.0


def _fault(
    code: str,
    severity: str,
    value: float,
    threshold: float,
    unit: str,
    t_s: float | None,
    proxy: str = "",
) -> dict[str, Any]:
    f = {
        "code": code,
        "message": f"The {code.replace('_', ' ')} message.",
        "cue": f"Cue for {code.replace('_', ' ')}.",
        "value": value,
        "threshold": threshold,
        "unit": unit,
        "severity": severity,
        "t_s": t_s,
    }
    if proxy:
        f["proxy"] = proxy
    return f


def bridge_report(
    n_reps: int = 4,
    faulty: dict[int, str] | None = None,
    rom_deg: float = 40.0,
    path: str = "bridge.mp4",
    complete: bool = True,
) -> dict[str, Any]:
    """A glute-bridge session filmed from the left: after 1 s lying still (hip flexion 35°),
    ``n_reps`` bridges of 4 s each, one every 5 s: the hip-line bend falls from 35° to
    35 - ``rom_deg`` and back (a raised-cosine), with 1 s rest between. ``faulty`` maps a rep
    index (from 1) to a fault code: ``lumbar_overextension`` (major, at the rep's top) or
    ``too_fast`` / ``insufficient_rom`` (warnings of the whole rep, no ``t_s``)."""
    faulty = faulty or {}
    duration = 1.0 + 5.0 * n_reps + 1.0
    n = int(duration * FPS)
    frames = []
    for i in range(n):
        t = i / FPS
        k, phase = divmod(t - 1.0, 5.0)
        lift = (
            0.5 - 0.5 * math.cos(2 * math.pi * phase / 4.0)
            if 0 <= k < n_reps and phase < 4.0
            else 0.0
        )
        hip = 35.0 - rom_deg * lift
        frames.append(
            {
                "t_s": round(t, 4),
                "detected": True,
                "status": "moving" if lift > 0 else "ready",
                "angles": {
                    "hip_flexion_deg": {"left": round(hip, 2), "right": round(hip + 3, 2)},
                    "knee_flexion_deg": {"left": 95.0 - 5 * lift, "right": 96.0},
                    "trunk_inclination_deg": 110.0 + 8 * lift,
                    "trunk_pitch_deg": -110.0 - 8 * lift,
                },
            }
        )
    reps = []
    for k in range(n_reps):
        start = 1.0 + 5.0 * k
        code = faulty.get(k + 1)
        faults = []
        if code == "lumbar_overextension":
            faults.append(
                _fault(
                    code,
                    "major",
                    -18.0,
                    -12.0,
                    "deg",
                    start + 2.0,
                    proxy="hips above the shoulder–knee line",
                )
            )
        elif code == "too_fast":
            faults.append(_fault(code, "warning", 0.5, 0.8, "s", None))
        elif code == "insufficient_rom":
            faults.append(_fault(code, "warning", 15.0, 24.0, "deg", None))
        elif code is not None:
            faults.append(_fault(code, "warning", 1.0, 2.0, "deg", start + 2.0))
        reps.append(
            {
                "index": k + 1,
                "leg": None,
                "side": "left",
                "start_s": round(start + 0.3, 2),
                "top_s": round(start + 2.0, 2),
                "end_s": round(start + 3.7, 2),
                "range_of_motion_deg": rom_deg,
                "tempo": {"up_s": 1.2, "hold_s": 0.9, "down_s": 1.2},
                "peak": {
                    "hip_flexion_deg": round(35.0 - rom_deg, 1),
                    "knee_flexion_deg": 90.0,
                    "trunk_inclination_deg": 118.0,
                },
                "start": {
                    "hip_flexion_deg": 35.0,
                    "knee_flexion_deg": 95.0,
                    "trunk_inclination_deg": 110.0,
                },
                "good": not faults,
                "faults": faults,
            }
        )
    counts: dict[str, int] = {}
    for r in reps:
        for f in r["faults"]:
            counts[f["code"]] = counts.get(f["code"], 0) + 1
    return {
        "schema_version": 1,
        "tool": {"name": "formcheck", "version": "0.1.0"},
        "complete": complete,
        "source": {
            "kind": "video",
            "path": path,
            "fps": FPS,
            "frame_count": n,
            "width": 640,
            "height": 480,
        },
        "pose_backend": "synthetic",
        "exercise": {
            "name": "glute_bridge",
            "title": "Glute bridge",
            "prescription": "3 × 12–15, hold 2 s at the top",
            "signal": "hip_flexion",
            "direction": "decrease",
            "legs": "camera_side",
        },
        "side": "left",
        "note": "Angles are 2D.",
        "reps": reps,
        "uncounted": [
            {
                "leg": None,
                "start_s": duration - 0.9,
                "end_s": duration - 0.2,
                "range_of_motion_deg": 8.0,
                "reason": "half rep: too little range and no hold",
            }
        ],
        "summary": {
            "reps": n_reps,
            "good_reps": sum(1 for r in reps if r["good"]),
            "faults_by_code": dict(sorted(counts.items())),
            "prescription": "3 × 12–15",
            "frames": n,
            "frames_with_person": n,
            "frames_by_status": {"ready": n},
            "warnings": [],
        },
        "frames": frames,
    }


def kickback_report() -> dict[str, Any]:
    """A standing-kickback session: 4 reps alternating legs (left, right, left, right), rep 3
    with a bent knee; the driving angle is hip flexion of each leg, falling ~30° per kick."""
    r = bridge_report(4, {3: "knee_bend"}, rom_deg=30.0, path="kickback.mp4")
    r["exercise"] = {
        "name": "standing_glute_kickback",
        "title": "Standing glute kickback",
        "prescription": "3 × 12–15 per leg, hold 2 s at the top",
        "signal": "hip_flexion",
        "direction": "decrease",
        "legs": "each",
    }
    for i, rep in enumerate(r["reps"]):
        rep["leg"] = rep["side"] = "left" if i % 2 == 0 else "right"
    r["summary"]["per_leg"] = {"left": 2, "right": 2}
    return r
