"""Compare a formcheck JSON report with a sample's ground truth (samples/*/truth.json.gz).

A found rep is matched to the counting truth rep whose top time is nearest (within 2 s);
its faults agree when the set of fault codes equals the truth's. Used by bench/run.py for the
stride table.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MATCH_S = 2.0


@dataclass(frozen=True)
class TruthCheck:
    """How a report compares with the truth: counts, matched reps, reps with the right faults."""

    truth_reps: int
    found_reps: int
    matched: int
    faults_right: int
    top_error_s: float  # mean |top time - truth top time| over matched reps

    @property
    def counts_match(self) -> bool:
        return self.truth_reps == self.found_reps == self.matched


def load_truth(sample_dir: Path) -> dict[str, Any]:
    with gzip.open(sample_dir / "truth.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


def check_report(report: dict[str, Any], truth: dict[str, Any]) -> TruthCheck:
    """Match ``report["reps"]`` to the truth's counting reps by top time."""
    treps = [r for r in truth["reps"] if r["counts"]]
    used: set[int] = set()
    matched = faults_right = 0
    errors = []
    for rep in report["reps"]:
        cands = [
            t
            for t in treps
            if t["index"] not in used and (rep["leg"] is None or t.get("leg") in (None, rep["leg"]))
        ]
        if not cands:
            continue
        best = min(cands, key=lambda t: abs(t["top_time"] - rep["top_s"]))
        if abs(best["top_time"] - rep["top_s"]) > MATCH_S:
            continue
        used.add(best["index"])
        matched += 1
        errors.append(abs(best["top_time"] - rep["top_s"]))
        want = {f["type"] for f in best["faults"]}
        got = {f["code"] for f in rep["faults"]}
        faults_right += want == got
    return TruthCheck(
        len(treps),
        len(report["reps"]),
        matched,
        faults_right,
        sum(errors) / len(errors) if errors else float("nan"),
    )
