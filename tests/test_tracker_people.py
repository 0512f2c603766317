"""Reps as people do them, on synthetic landmark sequences: no still start, reps that stop
short of the start position or flow into the next, clips that open mid-rep or end mid-rep,
half reps, and alternating kickback legs whose far leg the model drags or swaps."""

from __future__ import annotations

import math

import pytest
from builders import (
    BRIDGE_START,
    BRIDGE_TOP,
    HINGE_BOTTOM,
    HINGE_START,
    Body,
    Sequence,
    _mix,
    kickback_peak,
    kickback_start,
)

from formcheck.exercise import find_exercise
from formcheck.landmarks import PoseFrame, Side
from formcheck.session import Analyzer


def analyse(exercise: str, poses: list[PoseFrame]) -> Analyzer:
    an = Analyzer(find_exercise(exercise))
    for p in poses:
        an.update(p)
    an.finish()
    return an


def reps_of(start: Body, top: Body, returns: list[float], lead: float, rest: float,
            go: float, hold: float, ret: float, tail: float = 1.0) -> Sequence:
    """From ``start`` (held ``lead`` s), one rep per entry of ``returns``: up to ``top``, hold,
    back down that share of the way to ``start`` (1 = all the way), rest. The next rep starts
    from wherever the last one stopped, as the renderer's ``return_fraction`` does."""
    s = Sequence(start).then(lead) if lead else Sequence(start)
    for f in returns:
        s.then(go, top).then(hold).then(ret, _mix(top, start, f))
        if rest:
            s.then(rest)
    return s.then(1.0, start).then(tail)


PATTERNS = [
    # id, exercise, start, top, returns, lead, rest, (go, hold, ret), expected count
    ("bridge stops short 0.7, no still start", "glute_bridge", BRIDGE_START, BRIDGE_TOP,
     [0.7] * 6, 0.0, 0.2, (1.5, 2.0, 1.5), 6),
    ("bridge stops short 0.6, no rest", "glute_bridge", BRIDGE_START, BRIDGE_TOP,
     [0.6] * 5, 0.25, 0.0, (1.5, 1.5, 1.5), 5),
    ("bridge returns 0.9 with a pause", "glute_bridge", BRIDGE_START, BRIDGE_TOP,
     [0.9] * 4, 0.3, 0.3, (1.5, 2.0, 1.5), 4),
    ("hinges flow into each other", "hip_hinge", HINGE_START, HINGE_BOTTOM,
     [0.8] * 8, 0.2, 0.0, (1.2, 0.0, 1.0), 8),
    ("hinges stop short 0.6", "hip_hinge", HINGE_START, HINGE_BOTTOM,
     [0.6] * 5, 0.3, 0.1, (2.0, 0.5, 1.5), 5),
    ("kickback leg never touches down", "standing_glute_kickback", kickback_start(Side.LEFT),
     kickback_peak(Side.LEFT), [0.7] * 5, 0.3, 0.0, (1.2, 2.0, 1.2), 5),
]


@pytest.mark.parametrize(("exercise", "start", "top", "returns", "lead", "rest", "tempo", "n"),
                         [p[1:] for p in PATTERNS], ids=[p[0] for p in PATTERNS])
@pytest.mark.parametrize("facing", [1, -1])
def test_reps_that_stop_short_or_flow_on_count_once_each(exercise, start, top, returns, lead, rest,
                                                        tempo, n, facing):
    go, hold, ret = tempo
    seq = reps_of(start, top, returns, lead, rest, go, hold, ret)
    an = analyse(exercise, seq.poses(facing=facing, noise_px=0.6, seed=3))
    assert len(an.reps) == n
    # Range is measured from the person's start position, and changes (a hinge's lean-back at
    # lockout) from the angle there, so stopping short is no fault.
    assert [r.faults for r in an.reps] == [()] * n
    assert not any(r.cut_off for r in an.reps)


def test_a_first_rep_that_begins_with_the_video_counts():
    # The clip opens with the hips already on their way up.
    s = Sequence(_mix(BRIDGE_START, BRIDGE_TOP, 0.15)).then(1.2, BRIDGE_TOP).then(2.0)
    s.then(1.5, BRIDGE_START).then(1.0).then(1.5, BRIDGE_TOP).then(2.0).then(1.5, BRIDGE_START).then(1.0)
    an = analyse("glute_bridge", s.poses())
    assert len(an.reps) == 2


def test_a_clip_that_opens_at_the_top_does_not_count_that_partial_movement():
    s = Sequence(BRIDGE_TOP).then(1.0).then(1.5, BRIDGE_START).then(1.0)
    s.then(1.5, BRIDGE_TOP).then(2.0).then(1.5, BRIDGE_START).then(1.0)
    an = analyse("glute_bridge", s.poses())
    assert len(an.reps) == 1
    assert an.reps[0].start_s > 2.0


def test_a_rep_most_of_the_way_down_at_the_end_counts_as_a_whole_rep():
    s = Sequence(BRIDGE_START).then(0.5).then(1.5, BRIDGE_TOP).then(2.0).then(1.5, BRIDGE_START).then(1.0)
    s.then(1.5, BRIDGE_TOP).then(2.0).then(1.2, _mix(BRIDGE_TOP, BRIDGE_START, 0.75))
    an = analyse("glute_bridge", s.poses())
    assert len(an.reps) == 2
    assert not an.reps[-1].cut_off and math.isfinite(an.reps[-1].end_s)


@pytest.mark.parametrize("exercise,start,bottom", [
    ("hip_hinge", HINGE_START, HINGE_BOTTOM),
    ("glute_bridge", BRIDGE_START, BRIDGE_TOP),
])
def test_a_thirty_percent_half_rep_without_a_hold_is_not_counted(exercise, start, bottom):
    s = Sequence(start).then(0.3)
    s.then(2.0, bottom).then(0.5).then(1.5, start).then(0.5)
    s.then(0.7, _mix(start, bottom, 0.3)).then(0.6, start).then(0.5)
    s.then(2.0, bottom).then(0.5).then(1.5, start).then(1.0)
    an = analyse(exercise, s.poses(noise_px=0.5, seed=1))
    assert len(an.reps) == 2
    assert any("half rep" in m.reason for m in an.movements)


def test_fidgets_before_the_first_rep_do_not_count():
    wobble = _mix(BRIDGE_START, BRIDGE_TOP, 0.08)
    s = Sequence(BRIDGE_START).then(0.2)
    for _ in range(3):
        s.then(0.3, wobble).then(0.3, BRIDGE_START)
    s.then(1.5, BRIDGE_TOP).then(2.0).then(1.5, BRIDGE_START).then(1.0)
    an = analyse("glute_bridge", s.poses(noise_px=0.5, seed=2))
    assert len(an.reps) == 1


# -- kickback legs ----------------------------------------------------------------------------

def dragged(leg: Side, drag: float) -> tuple[Body, Body]:
    """The start and the peak of a ``leg`` kickback in which the model drags the other leg's
    estimate ``drag`` of the way along (a far leg hidden behind the near one)."""
    start, peak = kickback_start(leg), kickback_peak(leg)
    if leg is Side.LEFT:
        return start, Body(trunk=peak.trunk, thigh=peak.thigh, knee=peak.knee,
                           thigh_right=start.thigh_right + drag * (peak.thigh - start.thigh_right),
                           knee_right=peak.knee_right)
    return start, Body(trunk=peak.trunk, thigh=start.thigh + drag * (peak.thigh_right - start.thigh),
                       knee=peak.knee, thigh_right=peak.thigh_right, knee_right=peak.knee_right)


def alternating(legs: list[Side], drag: float) -> Sequence:
    s = Sequence(kickback_start(legs[0])).then(0.3)
    for leg in legs:
        start, peak = dragged(leg, drag)
        s.then(0.5, start).then(1.2, peak).then(1.5).then(1.2, start).then(0.2)
    return s.then(1.0)


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize("drag", [0.0, 0.3])
def test_alternating_legs_one_movement_is_one_rep_on_the_leg_that_moved(facing, drag):
    legs = [Side.LEFT, Side.RIGHT] * 3
    an = analyse("standing_glute_kickback", alternating(legs, drag).poses(facing=facing))
    assert len(an.reps) == len(legs)
    assert [r.leg for r in an.reps] == legs


@pytest.mark.parametrize("facing", [1, -1])
@pytest.mark.parametrize("drag", [0.6, 0.8, 1.0])
def test_a_leg_dragged_far_along_never_takes_the_rep_nor_doubles_it(facing, drag):
    legs = [Side.LEFT, Side.RIGHT] * 3
    an = analyse("standing_glute_kickback", alternating(legs, drag).poses(facing=facing))
    assert len(an.reps) == len(legs)
    assert all(r.leg in (leg, None) for r, leg in zip(an.reps, legs, strict=True))
    assert all("could not tell" in r.note for r in an.reps if r.leg is None)
    if drag == 1.0:  # both legs move alike: the view cannot tell, and says so
        assert any(r.leg is None for r in an.reps)


def test_stepping_the_foot_down_from_a_lifted_knee_is_not_a_kickback():
    # A band kickback leaning on a rack (trunk 25° forward): the knee is drawn forward between
    # kicks, and at the end the foot is set down beside the other one.
    lean = 25.0
    knee_up = Body(trunk=lean, thigh=45.0, knee=90.0, thigh_right=-3.0, knee_right=5.0)
    back = Body(trunk=lean, thigh=-30.0, knee=5.0, thigh_right=-3.0, knee_right=5.0)
    s = Sequence(Body(trunk=lean, thigh=0.0, knee=5.0)).then(0.3).then(0.8, knee_up)
    for _ in range(2):
        s.then(0.8, back).then(0.8).then(0.8, knee_up).then(0.2)
    s.then(0.8, Body(trunk=lean, thigh=-3.0, knee=5.0)).then(1.0)
    an = analyse("standing_glute_kickback", s.poses())
    assert len(an.reps) == 2
    assert any("usual end position" in m.reason for m in an.movements)


def test_sitting_up_after_the_last_bridge_is_not_a_rep():
    s = Sequence(BRIDGE_START).then(0.3)
    for _ in range(2):
        s.then(1.5, BRIDGE_TOP).then(2.0).then(1.5, BRIDGE_START).then(0.5)
    s.then(1.5, Body(trunk=-10.0, thigh=80.0, knee=100.0)).then(1.5)  # sitting up, knees bent
    an = analyse("glute_bridge", s.poses())
    assert len(an.reps) == 2
