#!/usr/bin/env python3
"""Analyse the real clips of ``../shared/realdev`` and compare with their hand labels.

    python bench/realdev.py [--realdev DIR] [--cache DIR] [--out bench/REALDEV.md] [--only ID ...]

Each clip present goes through the pose model once; its landmarks are cached (``--cache``,
default ``out/realdev``) and every later run replays them, which is exact and fast. Each clip is
analysed as its variant's exercise file (the label's ``movement``), and the table written to
``--out`` gives, per clip: the labelled and found count, the faults per counted rep, the
movements left uncounted and any refusal. The clips are other people's footage: they stay
outside the repository; without the folder the script says so in one line and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REALDEV = REPO.parent / "shared" / "realdev"

# The label's movement (before any "(...)") → the exercise file it is analysed as.
EXERCISE_FOR_MOVEMENT = {
    "glute_bridge": "glute_bridge",
    "single_leg_glute_bridge": "single_leg_glute_bridge",
    "hip_thrust": "hip_thrust",
    "standing_glute_kickback": "standing_glute_kickback",
    "quadruped_kickback": "donkey_kick",
    "romanian_deadlift": "romanian_deadlift",
    "deadlift_from_floor": "deadlift_from_floor",
    # No file of its own: the good morning is a hinge with the weight on the back.
    "good_morning": "hip_hinge",
}


def exercise_for(movement: str) -> str:
    return EXERCISE_FOR_MOVEMENT[movement.split("(")[0].strip()]


def formcheck(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "formcheck", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=False)


def extract(video: Path, path: Path) -> Path:
    """The video's landmark file at ``path``, running the pose model only when it is not there."""
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    # The exercise does not change the landmarks; any one will do to run the model.
    res = formcheck("analyze", str(video), "-e", "glute_bridge", "--save-landmarks", str(path),
                    "--no-history", "--quiet", "--force")
    if not path.is_file() or "internal error" in res.stderr:
        path.unlink(missing_ok=True)
        raise RuntimeError(f"{video.name}: no landmarks ({res.stderr.strip()})")
    print(f"  pose model on {video.name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return path


def analyse(landmarks: Path, exercise: str, out: Path) -> tuple[dict | None, str]:
    """The report of ``landmarks`` analysed as ``exercise`` (None if none was written), and the
    error line when formcheck refused."""
    out.unlink(missing_ok=True)
    res = formcheck("analyze", "--landmarks", str(landmarks), "-e", exercise, "--json", str(out),
                    "--no-history", "--quiet", "--force")
    refusal = res.stderr.strip().splitlines()[-1] if res.returncode else ""
    return (json.loads(out.read_text()) if out.is_file() else None), refusal


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realdev", type=Path, default=DEFAULT_REALDEV)
    ap.add_argument("--cache", type=Path, default=REPO / "out" / "realdev")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "REALDEV.md")
    ap.add_argument("--only", nargs="*", help="clip ids to analyse (default: all present)")
    args = ap.parse_args(argv)
    labels = args.realdev / "labels.csv"
    if not labels.is_file():
        print(f"realdev: {args.realdev} is absent; no real clips to analyse (skipped)")
        return 0
    rows = list(csv.DictReader(labels.open(encoding="utf-8")))
    lines = []
    stats: Counter[str] = Counter()
    for row in rows:
        if args.only and row["id"] not in args.only:
            continue
        clip = args.realdev / row["file"]
        if not clip.is_file():
            print(f"  {row['id']}: clip absent, skipped", file=sys.stderr)
            continue
        exercise = exercise_for(row["movement"])
        lm = extract(clip, args.cache / f"{clip.stem}.landmarks.jsonl.gz")
        report, refusal = analyse(lm, exercise, args.cache / f"{clip.stem}.{exercise}.report.json")
        labelled = int(row["reps_n"])
        reps = report["reps"] if report else []
        found = len(reps)
        faults = Counter(f["code"] for r in reps for f in r["faults"])
        fault_text = ", ".join(f"{c} {n}/{found}" for c, n in sorted(faults.items())) or "none"
        clean = row["faults"].startswith("none") or row["faults"].startswith("not flagged")
        most = [c for c, n in faults.items() if found and n > found / 2]
        uncounted = "; ".join(f"{m['start_s']}-{m['end_s']} s: {m['reason']}"
                              for m in (report["uncounted"] if report else [])) or ""
        cut = sum(1 for r in reps if r.get("cut_off"))
        legs = Counter(str(r.get("leg")) for r in reps) if row["leg"] not in ("", "n/a") else None
        view = row["view_class"]
        stats["clips"] += 1
        stats[f"{view == 'side'}_clips"] += 1
        stats[f"{view == 'side'}_exact"] += found == labelled
        stats[f"{view == 'side'}_within1"] += abs(found - labelled) <= 1
        stats["refused"] += bool(refusal) and found == 0
        if clean and most:
            stats["false_alarm_clips"] += 1
        v = (report or {}).get("view") or {}
        found_view = (f"{v['class']} ({v['off_side_deg']:+.0f}°)" if v.get("class") else "–")
        not_judged = ", ".join(n["code"] for n in v.get("faults_not_judged", [])) or ""
        lines.append(
            f"| {row['id']} | {row['movement']} | {exercise} | {view} | {found_view} | {not_judged} "
            f"| {labelled} | {found}"
            f"{' (' + str(cut) + ' cut off)' if cut else ''} | {'✓' if found == labelled else f'{found - labelled:+d}'}"
            f" | {fault_text}{' **(most reps, clip labelled clean)**' if clean and most else ''}"
            f" | {' '.join(f'{k}:{v}' for k, v in sorted(legs.items())) if legs else ''}"
            f" | {refusal or ''} | {uncounted} |")
        print(f"  {row['id']:<22} {exercise:<24} labelled {labelled:>2} found {found:>2} {fault_text}"
              f"{'  REFUSED: ' + refusal if refusal else ''}", file=sys.stderr)
    header = [
        "# Real clips: labelled against found",
        "",
        f"Made by `python bench/realdev.py` on {time.strftime('%Y-%m-%d')} from "
        "`../shared/realdev` (clips not in the repository). Each clip is analysed as its "
        "variant's exercise file. Faults are per counted rep; a clip labelled clean on which a "
        "fault fires on most reps is marked.",
        "",
    ]
    for side in (True, False):
        n = stats[f"{side}_clips"]
        if n:
            what = "side-view" if side else "other-view (front, oblique, mixed)"
            header.append(f"- {what} clips: {n}; count exact on {stats[f'{side}_exact']} "
                          f"({stats[f'{side}_exact'] / n:.0%}), within one rep on "
                          f"{stats[f'{side}_within1']} ({stats[f'{side}_within1'] / n:.0%})")
    header.append(f"- clips labelled clean with a fault on most reps: {stats['false_alarm_clips']}")
    header.append(f"- clips refused (nothing counted, with an error): {stats['refused']}")
    header += ["", "| clip | movement | analysed as | view (label) | view found (off side) | not judged from it "
               "| labelled | found | diff | faults (reps) | legs | refusal | uncounted |",
               "|" + "---|" * 13]
    args.out.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"written {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
