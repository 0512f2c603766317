"""Renders that move the way people do, replayed from their saved landmarks (no model): the
count equals the truth, every injected fault the exercise judges is on its rep, no clean rep
has a fault, and every kickback leg is right or null, never wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formcheck.exercise import find_exercise
from formcheck.pose.replay import LandmarkReplay
from formcheck.reps import Rep
from formcheck.session import Analyzer

DATA = Path(__file__).parent / "data" / "people"
# A rep that stops short is decided when the next one is back at the top (bench/delay.py: at
# most 2.0 s on these renders).
DECIDED_WITHIN_S = 2.5
NAMES = sorted(p.name.removesuffix(".truth.json") for p in DATA.glob("*.truth.json"))


def analyse(name: str, keep_s: float | None = None) -> tuple[Analyzer, dict]:
    truth = json.loads((DATA / f"{name}.truth.json").read_text())
    an = Analyzer(find_exercise(truth["scenario"]["exercise"]))
    for pose in LandmarkReplay(DATA / f"{name}.landmarks.jsonl.gz").poses():
        if keep_s is not None and pose.timestamp_ms / 1000 > keep_s:
            break
        an.update(pose)
    an.finish()
    return an, truth


def match(an: Analyzer, truth: dict) -> list[tuple[object, dict]]:
    counting = [r for r in truth["reps"] if r["counts"]]
    return [(rep, min(counting, key=lambda t: abs(t["top_time"] - rep.top_s))) for rep in an.reps]


def test_there_are_renders_of_each_exercise():
    exercises = {json.loads((DATA / f"{n}.truth.json").read_text())["scenario"]["exercise"] for n in NAMES}
    assert exercises == {"glute_bridge", "hip_hinge", "standing_glute_kickback"}


@pytest.mark.parametrize("name", NAMES)
def test_reps_faults_and_legs_agree_with_the_truth(name):
    an, truth = analyse(name)
    assert len(an.reps) == truth["n_counting_reps"]
    pairs = match(an, truth)
    assert len({t["index"] for _, t in pairs}) == len(pairs), "two reps matched one true rep"
    judged = {f.code for f in an.spec.faults}
    hold_rule = next((r for r in an.spec.faults if r.code == "hold_too_short"), None)
    for rep, t in pairs:
        assert abs(rep.top_s - t["top_time"]) < 0.6
        injected = {f["type"] for f in t["faults"]}
        found = {f.code for f in rep.faults}
        assert injected & judged <= found, f"rep at {rep.top_s:.1f} s: injected {injected}, found {found}"
        if not injected:
            # A hold truly under the rule's threshold is a fault the render has, not a false one.
            held_short = hold_rule is not None and t["tempo_s"]["hold"] < hold_rule.threshold - 0.3
            assert not found - ({"hold_too_short"} if held_short else set()), \
                f"clean rep at {rep.top_s:.1f} s flagged {found}"
        if t["leg"] is not None:
            assert rep.leg is None or rep.leg.value == t["leg"], f"rep at {rep.top_s:.1f} s on the wrong leg"


@pytest.mark.parametrize("name", NAMES)
def test_a_recording_cut_after_a_top_counts_that_rep_as_cut_off(name):
    truth = json.loads((DATA / f"{name}.truth.json").read_text())
    counting = [r for r in truth["reps"] if r["counts"] and not r["faults"]]
    last = counting[-1]
    # Cut half-way through the hold (or just after the peak when there is no hold).
    cut = last["top_time"] + 0.25
    an, _ = analyse(name, keep_s=cut)
    before = sum(1 for r in truth["reps"] if r["counts"] and r["top_time"] <= cut)
    assert len(an.reps) == before
    assert an.reps[-1].cut_off


@pytest.mark.parametrize("name", NAMES)
def test_each_rep_is_decided_soon_after_it_ends(name):
    # What the live overlay waits for: a rep is shown when the analyzer returns it. A standing
    # leg dragged along through a set of shallow kickbacks once held them back 7 s.
    truth = json.loads((DATA / f"{name}.truth.json").read_text())
    an = Analyzer(find_exercise(truth["scenario"]["exercise"]))
    late = []
    for pose in LandmarkReplay(DATA / f"{name}.landmarks.jsonl.gz").poses():
        for rep in an.update(pose):
            if isinstance(rep, Rep) and pose.timestamp_ms / 1000 - rep.end_s > DECIDED_WITHIN_S:
                late.append((round(rep.end_s, 1), round(pose.timestamp_ms / 1000, 1)))
    assert not late, f"reps (end, decided) decided late: {late}"
