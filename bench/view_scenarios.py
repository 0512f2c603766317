#!/usr/bin/env python3
"""Render the camera-view sweep with ``../shared/synth`` (renders stay outside the repository).

    python bench/view_scenarios.py [--out out/views] [--only EXERCISE ...] [--list] [--python PY]

Each exercise (glute bridge, hip hinge, standing kickback) is rendered from camera azimuths every
15° round the person, in two set-ups: A, the camera on the person's left (azimuth 0 = in front,
90 = the left side, 180 = behind) at the renderer's default elevation with a 1.70 m body; B, the
camera on the right (180…360) from higher up (20°, the bridge 25°) with a 1.85 m body. Every clip
mixes clean reps with the faults formcheck judges, so the same renders measure angle errors
(``bench/views.py``) and count and fault findings. Existing renders are kept.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SYNTH = REPO.parent / "shared" / "synth"

SEQUENCES = {
    "glute_bridge": [
        {"type": "rep"},
        {"type": "rep", "faults": [{"type": "lumbar_overextension", "magnitude": 15}]},
        {"type": "rep"},
    ],
    "hip_hinge": [
        {"type": "rep"},
        {"type": "rep", "faults": [{"type": "squat_instead_of_hinge", "magnitude": 60}]},
        {"type": "rep"},
        {"type": "rep", "faults": [{"type": "lumbar_overextension", "magnitude": 15}]},
    ],
    "standing_glute_kickback": [
        {"type": "rep", "leg": "right"},
        {"type": "rep", "leg": "right", "faults": [{"type": "knee_bend", "magnitude": 35}]},
        {"type": "rep", "leg": "right", "faults": [{"type": "lumbar_overextension", "magnitude": 15}]},
        {"type": "rep", "leg": "left"},
    ],
}
TEMPO = {
    "glute_bridge": {"hold": 1.0, "rest": 0.6},
    "hip_hinge": {"hold": 0.4, "rest": 0.8},
    "standing_glute_kickback": {"hold": 1.0, "rest": 0.6},
}
SHORT = {"glute_bridge": "b", "hip_hinge": "h", "standing_glute_kickback": "k"}
SETUPS = {
    # name: (azimuths, elevation per exercise or None for the default, body height)
    "A": (range(0, 181, 15), None, 1.70),
    "B": (range(180, 361, 15), 20, 1.85),
}


def scenarios() -> list[tuple[str, dict]]:
    """(name, scenario) for the whole sweep, the views nearest the side first."""
    out = []
    for exercise, seq in SEQUENCES.items():
        for setup, (azimuths, elevation, height) in SETUPS.items():
            for az in azimuths:
                cam: dict = {"azimuth_deg": az}
                if elevation is not None:
                    cam["elevation_deg"] = elevation + (5 if exercise == "glute_bridge" else 0)
                scen = {"exercise": exercise, "seed": az + (1000 if setup == "B" else 0),
                        "fps": 15, "lead_in_s": 0.6, "lead_out_s": 0.6, "tempo": TEMPO[exercise],
                        "camera": cam, "appearance": {"height_m": height}, "sequence": seq}
                out.append((f"{SHORT[exercise]}{setup}{az:03d}", scen))
    side = lambda name: min(abs(int(name[2:]) - s) for s in (90, 270))  # noqa: E731
    return sorted(out, key=lambda x: (side(x[0]), x[0]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "out" / "views")
    ap.add_argument("--only", nargs="*", help="exercise names or clip names to render")
    ap.add_argument("--list", action="store_true", help="list the clips and render nothing")
    ap.add_argument("--python", type=Path, default=SYNTH / ".venv" / "bin" / "python",
                    help="the renderer's Python (its venv from setup.sh; default: synth's .venv)")
    args = ap.parse_args(argv)
    py = args.python
    if not args.list and not py.is_file():
        print(f"view_scenarios: the renderer's venv {py} is absent (run {SYNTH}/setup.sh)")
        return 1
    for name, scen in scenarios():
        if args.only and name not in args.only and scen["exercise"] not in args.only:
            continue
        d = args.out / name
        if args.list:
            print(name, json.dumps(scen["camera"]), scen["appearance"]["height_m"])
            continue
        if (d / "truth.json").is_file() and (d / "video.mp4").is_file():
            continue
        d.mkdir(parents=True, exist_ok=True)
        (d / "scenario.json").write_text(json.dumps(scen, indent=1))
        res = subprocess.run(["nice", "-n", "5", str(py), str(SYNTH / "render.py"),
                              str(d / "scenario.json"), "--out", str(d), "--no-preview"],
                             capture_output=True, text=True, env={**os.environ}, check=False)
        status = "ok" if res.returncode == 0 else f"FAILED: {res.stderr.strip()[-300:]}"
        print(f"{name}: {status}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
