#!/usr/bin/env python3
"""How well each angle is measured from each camera view: the view table, against render truth.

    python bench/views.py [DIR ...] [--cache out/views-cache] [--readme README.md] [--module]

``DIR`` defaults to every render under ``out/views`` (made by ``bench/view_scenarios.py``).
Each render goes through the pose model once (landmarks cached under ``--cache``). Per frame it
compares with the truth: (a) the 2D image angles formcheck has always used, (b) the angles from
MediaPipe's 3D world landmarks (``formcheck.world``), (c) their mean. Angles: hip (the
shoulder–hip–knee bend), knee, trunk inclination and trunk pitch; the kickback also hip
abduction. The bridge and hinge are measured on the side formcheck tracks, the kickback on the
working leg during its reps. It also checks the view formcheck estimates (azimuth) against the
camera's.

The views are grouped by how far the camera is from side-on (0 = side, + towards the front,
− towards the back, in 15° steps). The table goes to stdout and, with ``--readme``, between the
``<!-- view-table -->`` markers of the README; ``--module`` rewrites
``src/formcheck/view_errors.py``, the figures formcheck chooses its estimates and judges its
faults by.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realdev import REPO, extract  # noqa: E402
from renders import load_truth  # noqa: E402

from formcheck.kinematics import Kinematics  # noqa: E402
from formcheck.landmarks import Side  # noqa: E402
from formcheck.pose.replay import LandmarkReplay  # noqa: E402
from formcheck.smoothing import LandmarkSmoother  # noqa: E402
from formcheck.world import circular_median_deg, off_side_deg, world_angles  # noqa: E402

# angle name → (truth key, per side?)
ANGLES = {
    "hip": ("hip_line_flexion_deg", True),
    "knee": ("knee_flexion_deg", True),
    "trunk": ("trunk_inclination_deg", False),
    "pitch": ("trunk_forward_pitch_deg", False),
    "abduction": ("hip_abduction_deg", True),
}
ESTIMATES = ("2d", "world", "mean")
EXERCISES = ("glute_bridge", "hip_hinge", "standing_glute_kickback")


def measured(frames: list, truth: dict) -> dict[str, dict[str, list[float]]]:
    """Per angle and estimate, the signed errors (estimate − truth) over the usable frames, and
    the per-frame azimuth estimates under ``"view"``."""
    exercise = truth["scenario"]["exercise"]
    tframes = truth["frames"]
    fps = truth["video"]["fps"]
    kin = Kinematics()
    smoother = LandmarkSmoother()
    err: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    pairs: dict[str, dict[str, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
    for pose in frames:
        i = int(round(pose.timestamp_ms / 1000.0 * fps))
        if not 0 <= i < len(tframes):
            continue
        pose = smoother.update(pose)
        a2 = kin.update(pose)
        if not a2.detected:
            continue
        w = world_angles(pose.world)
        err["view"]["azimuth"].append(w.azimuth_deg)
        tf = tframes[i]
        if exercise == "standing_glute_kickback":
            leg = tf.get("working_leg")
            side = Side(leg) if tf.get("rep_index") is not None and leg in ("left", "right") else None
        else:
            side = a2.side
        for name, (key, per_side) in ANGLES.items():
            if name == "abduction" and exercise != "standing_glute_kickback":
                continue
            if per_side:
                if side is None:
                    continue
                k = 0 if side is Side.LEFT else 1
                true = tf["angles"][key][side.value]
                est2 = math.nan if name == "abduction" else getattr(a2, _attr(name))[k]
                estw = getattr(w, _attr(name))[k]
            else:
                true = tf["angles"][key]
                est2 = getattr(a2, _attr(name))
                estw = getattr(w, _attr(name))
            both = (est2 + estw) / 2
            for est, val in zip(ESTIMATES, (est2, estw, both), strict=True):
                if math.isfinite(val):
                    err[name][est].append(val - true)
                    pairs[name][est].append((true, val))
    # gain: how much of a true change the estimate shows (least-squares slope; 1 = all of it,
    # below 1 when the view foreshortens the movement).
    for name, per_est in pairs.items():
        for est, tv in per_est.items():
            tr, va = np.array(tv).T
            var = float(np.var(tr))
            err.setdefault("gain", {})[f"{name}:{est}"] = (
                [float(np.cov(tr, va, bias=True)[0, 1] / var)] if var > 1.0 else [])
    return err


def _attr(name: str) -> str:
    return {"hip": "hip_flexion", "knee": "knee_flexion", "trunk": "trunk_inclination",
            "pitch": "trunk_pitch", "abduction": "hip_abduction"}[name]


def clip_summary(d: Path, cache: Path) -> dict:
    truth = load_truth(d)
    lm = extract(d / "video.mp4", cache / f"{d.name}.landmarks.jsonl.gz")
    err = measured(list(LandmarkReplay(lm).poses()), truth)
    az_true = float(truth["scenario"]["camera"]["azimuth_deg"])
    az = circular_median_deg(err["view"]["azimuth"])
    out = {"clip": d.name, "exercise": truth["scenario"]["exercise"], "azimuth": az_true,
           "off_side": round(off_side_deg(az_true)), "azimuth_found": az,
           "azimuth_error": ((az - az_true + 180) % 360 - 180) if math.isfinite(az) else math.nan,
           "angles": {}}
    out["gain"] = {k: v[0] for k, v in err.get("gain", {}).items() if v}
    for name, per_est in err.items():
        if name in ("view", "gain"):
            continue
        # spread: the error once the clip's own bias is taken off (what rules that compare a rep
        # with the person's own start position meet).
        out["angles"][name] = {est: {"mae": float(np.mean(np.abs(v))), "bias": float(np.mean(v)),
                                     "spread": float(np.mean(np.abs(np.array(v) - np.mean(v)))), "n": len(v)}
                               for est, v in per_est.items() if v}
    return out


# A clean rep's hold this close to the threshold is not a fair test of hold_too_short.
HOLD_MARGIN_S = 0.3


def outcome(d: Path, cache: Path) -> dict:
    """Count and faults of one render analysed with counting and every fault forced on (the
    view table's sources in place): whether the count is exact, and per fault code whether it
    was found on every rep it was injected in and whether it fired on a clean rep."""
    from formcheck import view_errors, views
    from formcheck.exercise import find_exercise
    from formcheck.session import Analyzer

    truth = load_truth(d)
    spec = find_exercise(truth["scenario"]["exercise"])
    saved = (views.View.judges, view_errors.COUNTED, view_errors.FAULTS_OK)
    views.View.judges = lambda self, rule, driving: True  # type: ignore[method-assign]
    view_errors.COUNTED, view_errors.FAULTS_OK = {}, {}
    saved_count, views.COUNT_MAX_ERROR_DEG = views.COUNT_MAX_ERROR_DEG, math.inf
    try:
        an = Analyzer(spec)
        for pose in LandmarkReplay(cache / f"{d.name}.landmarks.jsonl.gz").poses():
            an.update(pose)
        an.finish()
    finally:
        views.View.judges, view_errors.COUNTED, view_errors.FAULTS_OK = saved
        views.COUNT_MAX_ERROR_DEG = saved_count
    treps = [r for r in truth["reps"] if r["counts"]]
    codes = {r.code for r in spec.faults}
    missed: set[str] = set()
    flagged: set[str] = set()
    for rep in an.reps:
        t = min(treps, key=lambda r: abs(r["top_time"] - rep.top_s))
        injected = {f["type"] for f in t["faults"]}
        got = {f.code for f in rep.faults}
        missed |= (injected & codes) - got
        for code in got - injected:
            hold = t["tempo_s"]["hold"]
            rule = next(r for r in spec.faults if r.code == code)
            if code == "hold_too_short" and rule.below is not None and hold < rule.below + HOLD_MARGIN_S:
                continue
            flagged.add(code)
    return {"exercise": spec.name, "off_side": round(off_side_deg(float(truth["scenario"]["camera"]["azimuth_deg"]))),
            "exact": len(an.reps) == len(treps), "missed": sorted(missed), "flagged": sorted(flagged),
            "codes": sorted(codes)}


def outcomes_table(outs: list[dict]) -> dict:
    """Per exercise and off-side step: COUNTED (the share of renders counted exactly) and FAULTS_OK (the
    codes found on every rep they were injected in and never on a clean rep, in every render)."""
    exact: dict = {}
    ok: dict = {}
    for o in outs:
        ex, off = o["exercise"], o["off_side"]
        exact.setdefault(ex, {}).setdefault(off, []).append(o["exact"])
        good = set(o["codes"]) - set(o["missed"]) - set(o["flagged"])
        per = ok.setdefault(ex, {})
        per[off] = sorted(good & set(per.get(off, good)))
    counted = {ex: {off: round(sum(v) / len(v), 2) for off, v in per.items()} for ex, per in exact.items()}
    return {"counted": counted, "faults_ok": ok}


def table(rows: list[dict]) -> tuple[str, dict]:
    """The markdown table and, per exercise → off-side → angle → estimate, the worse MAE of the
    set-ups (what formcheck relies on)."""
    by = defaultdict(list)
    for r in rows:
        by[(r["exercise"], r["off_side"])].append(r)
    worst: dict = {}
    lines = []
    for ex in EXERCISES:
        names = [n for n in ANGLES if n != "abduction" or ex == "standing_glute_kickback"]
        head = ["off side", "clips", "azimuth error"] + [f"{n} {e}" for n in names for e in ESTIMATES
                                                        if not (n == "abduction" and e != "world")]
        lines += [f"**{ex}** (mean absolute error / bias, degrees)", "",
                  "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for off in sorted({o for e, o in by if e == ex}, reverse=True):
            group = by[(ex, off)]
            az = [abs(r["azimuth_error"]) for r in group if math.isfinite(r["azimuth_error"])]
            cells = [f"{off:+d}°", str(len(group)), f"{np.mean(az):.0f}" if az else "–"]
            for n in names:
                for e in ESTIMATES:
                    if n == "abduction" and e != "world":
                        continue
                    vals = [r["angles"].get(n, {}).get(e) for r in group]
                    vals = [v for v in vals if v]
                    if not vals:
                        cells.append("–")
                        continue
                    w = np.array([v["n"] for v in vals], dtype=float)
                    mae = float(np.average([v["mae"] for v in vals], weights=w))
                    bias = float(np.average([v["bias"] for v in vals], weights=w))
                    cells.append(f"{mae:.1f} / {bias:+.1f}")
                    gains = [r.get("gain", {}).get(f"{n}:{e}") for r in group]
                    gain = min((g for g in gains if g is not None), default=1.0)
                    for kind in ("mae", "spread", "bias", "gain"):
                        # Errors: the worse set-up; the bias: their mean; the gain: the smaller.
                        value = {"bias": bias, "gain": gain}.get(kind)
                        if value is None:
                            value = max(v[kind] for v in vals)
                        worst.setdefault(kind, {}).setdefault(ex, {}).setdefault(off, {}).setdefault(n, {})[e] = \
                            round(value, 2 if kind == "gain" else 1)
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines), worst


MODULE_HEAD = '''"""Measured angle errors per exercise and camera view: what formcheck chooses its estimates by.

Made by ``python bench/views.py --module`` on {date} from {n} renders (``bench/view_scenarios.py``:
two set-ups, azimuths every 15°); do not edit by hand. Keys: exercise → degrees off side-on
(+ towards the front, − towards the back) → angle → estimate (``2d`` image angles, ``world`` 3D
world landmarks, ``mean`` of the two) → error in degrees, the worse of the two
set-ups. Renders are one body shape without clothes: real errors are larger.
"""

Table = dict[str, dict[int, dict[str, dict[str, float]]]]
'''


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--cache", type=Path, default=REPO / "out" / "views-cache")
    ap.add_argument("--readme", type=Path, help="write the table between the README's view-table markers")
    ap.add_argument("--module", action="store_true", help="rewrite src/formcheck/view_errors.py")
    args = ap.parse_args(argv)
    dirs = args.dirs or sorted(p for p in (REPO / "out" / "views").glob("*") if (p / "truth.json").is_file())
    if not dirs:
        print("views: no renders (make them with python bench/view_scenarios.py)")
        return 1
    rows = []
    for d in dirs:
        summary_path = args.cache / f"{d.name}.summary.json"
        if summary_path.is_file() and summary_path.stat().st_mtime > (d / "truth.json").stat().st_mtime:
            rows.append(json.loads(summary_path.read_text()))
            continue
        args.cache.mkdir(parents=True, exist_ok=True)
        row = clip_summary(d, args.cache)
        summary_path.write_text(json.dumps(row))
        rows.append(row)
        print(f"  {d.name}: azimuth {row['azimuth']:.0f} found {row['azimuth_found']:.0f}", file=sys.stderr)
    text, worst = table(rows)
    if args.module:
        write_module(worst, len(rows))
        # With the new sources in place: where the count and each fault held on the renders.
        outs = [outcome(d, args.cache) for d in dirs]
        write_module(worst, len(rows), outcomes_table(outs))
    text += "\n" + judged_table()
    print(text)
    if args.readme:
        readme = args.readme.read_text(encoding="utf-8")
        a, b = "<!-- view-table -->", "<!-- /view-table -->"
        if a not in readme or b not in readme:
            print(f"views: {args.readme} has no {a} … {b} markers", file=sys.stderr)
            return 1
        pre, rest = readme.split(a, 1)
        post = rest.split(b, 1)[1]
        args.readme.write_text(f"{pre}{a}\n{text}\n{b}{post}", encoding="utf-8")
    return 0


def write_module(worst: dict, n: int, outs: dict | None = None) -> None:
    """Rewrite ``src/formcheck/view_errors.py`` from the measured table (and reload it)."""
    import importlib

    from formcheck import view_errors

    path = REPO / "src" / "formcheck" / "view_errors.py"
    parts = []
    spread_doc = "error once each clip's own bias is taken off (rules measured from the start position)"
    for kind, doc in (("mae", "mean absolute error"), ("spread", spread_doc),
                      ("bias", "mean error (estimate − truth) over the set-ups"),
                      ("gain", "how much of a true change the estimate shows (the smaller of the set-ups)")):
        body = _compact(worst.get(kind, {}))
        parts.append(f"# {doc}\n{kind.upper()}: Table = {body}\n")
    outs = outs or {"counted": {}, "faults_ok": {}}
    for kind, doc, typ in (
            ("counted", "the share of the renders from this view that were counted exactly",
             "dict[str, dict[int, float]]"),
            ("faults_ok", "the faults found on every rep they were put in, and on no clean rep, in every "
             "render from this view (counting and all faults forced on)", "dict[str, dict[int, list[str]]]")):
        body = _compact(outs[kind])
        parts.append(f"# {doc}\n{kind.upper()}: {typ} = {body}\n")
    path.write_text(MODULE_HEAD.format(date=time.strftime("%Y-%m-%d"), n=n) + "\n".join(parts),
                    encoding="utf-8")
    importlib.reload(view_errors)


def _compact(table: dict) -> str:
    """A two-level dict (exercise → off-side step → anything) as Python source, one step a line."""
    lines = ["{"]
    for ex in sorted(table):
        lines.append(f"    {ex!r}: {{")
        for step in sorted(table[ex], key=int, reverse=True):
            lines.append(f"        {int(step)}: {table[ex][step]!r},")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines)


def judged_table() -> str:
    """Per exercise file and fault: the views (degrees off side-on) it is judged from, by the
    table now in ``view_errors.py`` and each rule's ``max_error_deg``."""
    from formcheck import view_errors
    from formcheck.exercise import exercise_names, find_exercise
    from formcheck.views import base_exercise, view_for

    steps = sorted({s for per in view_errors.MAE.values() for s in per}, reverse=True)
    head = ["exercise", "fault"] + [f"{s:+d}" for s in steps]
    lines = ["**Judged from** (degrees off side-on; + towards the front, − towards the back; "
             "`count` = reps are counted there; · = not rendered)", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in exercise_names():
        spec = find_exercise(name)
        base = base_exercise(spec)
        if base is None:
            continue
        vs = [view_for(spec, s) if s in view_errors.MAE[base] else None for s in steps]

        def mark(v: object, ok: bool) -> str:
            return "·" if v is None else "✓" if ok else "–"

        lines.append("| " + " | ".join([name, "count"] + [mark(v, v is not None and v.countable) for v in vs]) + " |")
        unjudged = [v.unjudged(spec) if v is not None else {} for v in vs]
        for code in dict.fromkeys(r.code for r in spec.faults):
            cells = [mark(v, v is not None and code not in u) for v, u in zip(vs, unjudged, strict=True)]
            lines.append("| " + " | ".join(["", code] + cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
