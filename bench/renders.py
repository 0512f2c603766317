#!/usr/bin/env python3
"""Analyse rendered clips (``../shared/synth`` output: video.mp4 + truth.json) against their truth.

    python bench/renders.py DIR [DIR ...] [--cache out/renders] [--out FILE.md]

Each render goes through the pose model once (landmarks cached under ``--cache``); the replay is
analysed as the truth's exercise. Per clip it prints and writes: true and found count, injected
faults found on their rep, faults on clean reps, kickback legs (right, null, wrong), and each
angle's mean absolute error (the estimate formcheck chose for the view it found) against the
README's view table at the render's true view (an angle more than ``ANGLE_SLACK_DEG`` over the
table's figure is named). A found rep is matched to the counting true rep whose top time is
nearest (within 2 s).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realdev import REPO, analyse, extract  # noqa: E402

from formcheck.exercise import find_exercise  # noqa: E402

MATCH_S = 2.0
# An angle is "within the table" when its error on this render is at most the table's + this.
ANGLE_SLACK_DEG = 1.0
ANGLE_SIGNALS = {"hip": "hip_flexion", "knee": "knee_flexion", "trunk": "trunk_inclination", "pitch": "trunk_pitch"}


def angles_against_table(d: Path, cache: Path, report: dict) -> str:
    """The render's angle errors against the view table's at its true view, in words."""
    from views import clip_summary  # views imports this module: import it when needed

    from formcheck import view_errors

    s = clip_summary(d, cache)
    table = view_errors.MAE.get(s["exercise"], {}).get(s["off_side"])
    if table is None:
        return "no table"
    sources = report.get("view", {}).get("angle_sources", {})
    n, over = 0, []
    for angle, signal in ANGLE_SIGNALS.items():
        src = sources.get(signal, "2d")
        here, stated = s["angles"].get(angle, {}).get(src, {}).get("mae"), table.get(angle, {}).get(src)
        if here is None or stated is None:
            continue
        n += 1
        if here > stated + ANGLE_SLACK_DEG:
            over.append(f"{angle} ({src}) {here:.1f}° > {stated:.1f}°")
    return f"{n - len(over)}/{n} within" + (": " + ", ".join(over) if over else "")


def load_truth(d: Path) -> dict:
    for name in ("truth.json", "truth.json.gz"):
        p = d / name
        if p.is_file():
            opener = gzip.open if name.endswith(".gz") else open
            with opener(p, "rt", encoding="utf-8") as fh:
                return json.load(fh)
    raise FileNotFoundError(f"{d}: no truth.json")


def compare(report: dict, truth: dict, judged: set[str], rules: tuple = ()) -> dict:
    """Counts and faults of ``report`` against ``truth``; only injected faults the exercise
    judges (``judged``: its fault codes) are expected to be found."""
    treps = [r for r in truth["reps"] if r["counts"]]
    used: set[int] = set()
    missed_faults = clean_flagged = unmatched = 0
    not_judged: set[str] = set()
    n_not_judged = 0
    legs = {"right": 0, "null": 0, "wrong": 0}
    for rep in report["reps"]:
        cands = [t for t in treps if t["index"] not in used]
        best = min(cands, key=lambda t: abs(t["top_time"] - rep["top_s"]), default=None)
        if best is None or abs(best["top_time"] - rep["top_s"]) > MATCH_S:
            unmatched += 1
            continue
        used.add(best["index"])
        injected = {f["type"] for f in best["faults"]}
        # Faults the rep's camera view could not judge are reported as such, not expected.
        unjudged = injected & judged & set(rep.get("not_judged", []))
        not_judged |= unjudged
        n_not_judged += len(unjudged)
        want = (injected & judged) - set(rep.get("not_judged", []))
        got = {f["code"] for f in rep["faults"]}
        missed_faults += len(want - got)
        # A clean rep whose true hold is within 0.3 s of the hold threshold is no fair test of
        # hold_too_short (the view sweep's reps hold 1.0 s, the threshold).
        hold_rule = next((r for r in rules if r.code == "hold_too_short"), None)
        if hold_rule is not None and best["tempo_s"]["hold"] < hold_rule.threshold + 0.3:
            got -= {"hold_too_short"}
        clean_flagged += bool(not injected and got)
        if best.get("leg"):
            legs["null" if rep["leg"] is None else "right" if rep["leg"] == best["leg"] else "wrong"] += 1
    # A true rep no found rep matched: its faults were not found either.
    missed_faults += sum(len({f["type"] for f in t["faults"]} & judged) for t in treps if t["index"] not in used)
    return {"truth": len(treps), "found": len(report["reps"]), "unmatched": unmatched,
            "missed_faults": missed_faults, "clean_flagged": clean_flagged,
            "injected": sum(len({f["type"] for f in t["faults"]} & judged) for t in treps) - n_not_judged,
            "not_judged": sorted(not_judged), "legs": legs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--cache", type=Path, default=REPO / "out" / "renders")
    ap.add_argument("--exercise", help="analyse as this exercise instead of the truth's")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    rows, ok = [], True
    for d in args.dirs:
        truth = load_truth(d)
        exercise = args.exercise or truth["scenario"]["exercise"]
        name = d.resolve().name
        lm = extract(d / "video.mp4", args.cache / f"{name}.landmarks.jsonl.gz")
        report, refusal = analyse(lm, exercise, args.cache / f"{name}.{exercise}.report.json")
        rules = find_exercise(exercise).faults
        judged = {f.code for f in rules}
        c = compare(report, truth, judged, rules) if report else {"truth": truth["n_counting_reps"], "found": 0}
        good = (report is not None and c["truth"] == c["found"] and not c["unmatched"]
                and not c["missed_faults"] and not c["clean_flagged"] and not c["legs"]["wrong"])
        ok &= good
        legs = c.get("legs", {})
        angles = angles_against_table(d, args.cache, report) if report else ""
        line = (f"| {name} | {exercise} | {c['truth']} | {c['found']} | {c.get('unmatched', '')} "
                f"| {c.get('injected', 0) - c.get('missed_faults', 0)}/{c.get('injected', 0)} "
                f"| {', '.join(c.get('not_judged', []))} "
                f"| {c.get('clean_flagged', '')} | {' '.join(f'{k} {v}' for k, v in legs.items() if v)} "
                f"| {angles} | {'ok' if good else 'MISS'} {refusal} |")
        rows.append(line)
        print(line)
    if args.out:
        head = [f"Made by `python bench/renders.py` on {time.strftime('%Y-%m-%d')}.", "",
                "| clip | exercise | true reps | found | unmatched | injected faults found (of those judged) "
                "| not judged from the view | clean reps flagged | legs "
                f"| angles within the view table's error (+{ANGLE_SLACK_DEG:g}°) | result |", "|" + "---|" * 11]
        args.out.write_text("\n".join(head + rows) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
