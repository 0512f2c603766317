#!/usr/bin/env python3
"""How long after a rep's end formcheck decides it: the live overlay's counting delay.

    python bench/delay.py [LANDMARKS.jsonl.gz ...]

Replays saved landmarks (default: the people-like renders in ``tests/data/people``; each file
needs its render's ``NAME.truth.json`` beside it, for the exercise) frame by frame through the
``Analyzer`` and, for each counted rep, takes the time of the frame that
returned it minus the rep's ``end_s``. Prints per clip the median and the largest delay, and
splits reps that came back to the start position from reps that stopped short of it.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from formcheck.exercise import find_exercise
from formcheck.pose.replay import LandmarkReplay
from formcheck.reps import Rep
from formcheck.session import Analyzer

PEOPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "people"


def delays(landmarks: Path, exercise: str) -> list[tuple[float, bool]]:
    """(delay in seconds, whether the rep stopped short of the start) per counted rep."""
    an = Analyzer(find_exercise(exercise))
    out: list[tuple[float, bool]] = []
    for pose in LandmarkReplay(landmarks).poses():
        for item in an.update(pose):
            if isinstance(item, Rep):
                out.append((pose.timestamp_ms / 1000 - item.end_s, item.travel_deg < item.rom_deg - 5))
    return out


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or sorted(PEOPLE.glob("*.landmarks.jsonl.gz"))
    short_all: list[float] = []
    full_all: list[float] = []
    print("| clip | reps decided | median delay (s) | largest (s) |")
    print("|---|---|---|---|")
    for path in paths:
        name = path.name.removesuffix(".landmarks.jsonl.gz")
        truth = path.with_name(f"{name}.truth.json")
        exercise = json.loads(truth.read_text())["scenario"]["exercise"]
        d = delays(path, exercise)
        if not d:
            print(f"| {name} | 0 | | |")
            continue
        values = [x for x, _ in d]
        short_all += [x for x, s in d if s]
        full_all += [x for x, s in d if not s]
        print(f"| {name} | {len(d)} | {statistics.median(values):.2f} | {max(values):.2f} |")
    for label, v in (("back at the start position", full_all), ("stopped short", short_all)):
        if v:
            print(f"\n{label}: {len(v)} reps, median {statistics.median(v):.2f} s, largest {max(v):.2f} s")


if __name__ == "__main__":
    main()
