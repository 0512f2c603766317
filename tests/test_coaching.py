"""coaching.py: sets and rest, the hold timer, cues (pure objects, no camera, no model)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.coaching import (
    CUE_FAULT,
    CUE_INFO,
    CUE_POSITION,
    Cue,
    CueScheduler,
    HoldTimer,
    SetEvent,
    SetPhase,
    SetPlan,
    SetTracker,
)
from formcheck.exercise import find_exercise
from formcheck.faults import Fault
from formcheck.landmarks import Side
from formcheck.reps import Rep
from formcheck.session import Status

# -- sets, hold timer, cues: pure objects ------------------------------------------------


def rep(index: int, end_s: float, leg: Side | None = None, faults: tuple[Fault, ...] = ()) -> Rep:
    return Rep(
        leg,
        leg or Side.LEFT,
        end_s - 2.0,
        end_s - 1.0,
        end_s,
        0.8,
        1.0,
        0.8,
        40.0,
        {},
        {},
        faults,
        index,
    )


def fault(code: str, severity: str = "warning") -> Fault:
    return Fault(code, "", f"cue for {code}", 0.0, 0.0, "deg", severity)


def test_set_plan_from_the_prescription_and_flags():
    spec = find_exercise("standing_glute_kickback")
    assert SetPlan.from_spec(spec) == SetPlan(3, 12, True, 60.0)
    assert SetPlan.from_spec(spec, sets=2, reps=5, rest_s=30) == SetPlan(2, 5, True, 30.0)
    for bad in ({"sets": 0}, {"reps": 0}, {"rest_s": -1.0}, {"rest_s": math.inf}):
        with pytest.raises(ValueError, match="expected"):
            SetPlan(**{"sets": 1, "reps": 1, "per_leg": False, **bad})


def test_set_tracker_counts_rests_and_finishes():
    sets = SetTracker(SetPlan(sets=2, reps=2, per_leg=False, rest_s=10.0))
    assert sets.update(5.0, [rep(1, 5.0)]) == []
    assert sets.update(9.0, [rep(2, 9.0)]) == [SetEvent.SET_DONE]
    assert sets.phase is SetPhase.REST and sets.rest_left_s(12.0) == pytest.approx(7.0)
    # One more rep during the rest: it joins set 1 and the rest starts again.
    assert sets.update(13.0, [rep(3, 13.0)]) == []
    assert [r.index for r in sets.records[0].reps] == [1, 2, 3]
    assert sets.update(22.0) == []
    assert sets.update(23.0) == [SetEvent.REST_OVER]
    assert sets.index == 2 and sets.counts()["total"] == 0
    sets.update(30.0, [rep(4, 30.0)])
    assert sets.update(35.0, [rep(5, 35.0)]) == [SetEvent.ALL_DONE]
    assert sets.phase is SetPhase.DONE and math.isnan(sets.rest_left_s(36.0))
    sets.update(40.0, [rep(6, 40.0)])
    assert [[r.index for r in s.reps] for s in sets.all_sets()] == [[1, 2, 3], [4, 5, 6]]


def test_set_tracker_per_leg_needs_both_legs():
    sets = SetTracker(SetPlan(sets=2, reps=2, per_leg=True, rest_s=5.0))
    sets.update(1.0, [rep(1, 1.0, Side.LEFT), rep(2, 2.0, Side.LEFT)])
    assert sets.phase is SetPhase.ACTIVE and sets.counts() == {"total": 2, "left": 2, "right": 0}
    sets.update(3.0, [rep(3, 3.0, Side.RIGHT)])
    assert sets.update(4.0, [rep(4, 4.0, Side.RIGHT)]) == [SetEvent.SET_DONE]


def test_ending_a_set_early():
    sets = SetTracker(SetPlan(sets=3, reps=10, per_leg=False, rest_s=5.0))
    assert sets.end_set(1.0) == []  # nothing to end
    sets.update(2.0, [rep(1, 2.0)])
    assert sets.end_set(3.0) == [SetEvent.SET_DONE]
    assert sets.records[0].end_s == 2.0


def test_hold_timer_counts_time_at_the_top():
    hold = HoldTimer(band_deg=3.0, min_rom_deg=10.0)
    # Up to 40° over 1 s, hold within the band for 2 s, then down.
    times = np.arange(0, 4.0, 1 / 30)
    progress = np.interp(times, [0, 1, 3, 4], [0, 40, 39, 0])
    held = [hold.update(float(t), float(p), True) for t, p in zip(times, progress, strict=True)]
    at_top = max(h for h in held if math.isfinite(h))
    assert at_top == pytest.approx(
        2.2, abs=0.25
    )  # the band (4° = 10 % of 40°) starts a bit before 1 s
    assert math.isnan(held[5])  # on the way up, below the rep's minimum range
    assert all(math.isnan(h) for h in held[20:30])  # passing through the top on the way up
    assert held[40] == pytest.approx(40 / 30 - 0.9, abs=0.1)  # at the top since about 0.9 s
    assert math.isnan(held[-1])  # on the way down
    assert math.isnan(hold.update(5.0, 0.0, False))


def test_cues_one_at_a_time_with_a_cooldown():
    cues = CueScheduler(cooldown_s=4.0, show_s=5.0, repeat_s=12.0, settle_s=1.0)
    ready = Status.READY
    c = cues.update(10.0, ready, "", [rep(1, 10.0, faults=(fault("too_fast"),))])
    assert c == Cue("cue for too_fast", CUE_FAULT, 10.0, "fault:too_fast")
    # A second fault during the cooldown waits, then comes out once the cooldown is over.
    assert cues.update(11.0, ready, "", [rep(2, 11.0, faults=(fault("knee_bend"),))]) is None
    assert cues.current(11.0).text == "cue for too_fast"
    assert cues.update(13.9, ready) is None
    assert cues.update(14.0, ready).text == "cue for knee_bend"
    # The same cue again soon after is not repeated...
    assert cues.update(18.5, ready, "", [rep(3, 18.5, faults=(fault("knee_bend"),))]) is None
    # ...and the shown cue expires.
    assert cues.current(19.5) is None


def test_cues_major_fault_first_and_set_news_before_faults():
    cues = CueScheduler()
    worst = cues.update(
        1.0,
        Status.READY,
        "",
        [rep(1, 1.0, faults=(fault("too_fast", "info"), fault("lumbar_overextension", "major")))],
    )
    assert worst.key == "fault:lumbar_overextension"
    cues = CueScheduler()
    news = cues.update(
        1.0, Status.READY, "", [rep(1, 1.0, faults=(fault("too_fast"),))], info="Set 1 done."
    )
    assert news.kind == CUE_INFO and news.text == "Set 1 done."


def test_position_cues_wait_until_the_problem_lasts_and_go_when_it_is_fixed():
    cues = CueScheduler(settle_s=1.0)
    advice = "Turn side-on to the camera."
    assert cues.update(0.0, Status.WRONG_VIEW, advice) is None
    assert cues.update(0.5, Status.WRONG_VIEW, advice) is None
    c = cues.update(1.0, Status.WRONG_VIEW, advice)
    assert c is not None and c.kind == CUE_POSITION
    assert cues.current(30.0) is not None  # shown while it lasts
    cues.update(31.0, Status.READY, "")
    assert cues.current(31.0) is None


def test_cue_scheduler_checks_its_settings():
    with pytest.raises(ValueError, match="cooldown_s"):
        CueScheduler(cooldown_s=6.0, show_s=5.0)
