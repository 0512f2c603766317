"""faults.py: one fault rule on one rep, as a table (value → fault or not), and the dedupe."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from formcheck.exercise import FaultRule
from formcheck.faults import Fault, check_rule, check_rules, keep_reported
from formcheck.kinematics import JointAngles
from formcheck.landmarks import Side


@dataclass
class S:
    """A rep sample: time (s) and angles with one hip-line value on the left side."""

    t: float
    angles: JointAngles


def samples(hips: list[float]) -> list[S]:
    out = []
    for i, h in enumerate(hips):
        out.append(S(i / 10, JointAngles(i * 100.0, True, side=Side.LEFT, hip_flexion=(h, math.nan))))
    return out


def rule(**kw) -> FaultRule:
    base = dict(code="arch", message="m", cue="c", unit="deg", below=None, above=None)
    return FaultRule(**{**base, **kw})


@pytest.mark.parametrize(
    ("rule_kw", "metrics", "expected"),
    [
        ({"metric": "rom_deg", "below": 24.0}, {"rom_deg": 20.0}, 20.0),  # too little range
        ({"metric": "rom_deg", "below": 24.0}, {"rom_deg": 30.0}, None),
        ({"metric": "move_s", "below": 0.8}, {"move_s": 0.5}, 0.5),
        ({"signal": "hip_flexion", "phase": "peak", "stat": "min", "below": -12.0}, {}, -18.0),
        ({"signal": "hip_flexion", "phase": "peak", "stat": "min", "below": -20.0}, {}, None),
        # A change from the rep's start: the median before it is 40, the peak's max is -5.
        ({"signal": "hip_flexion", "phase": "peak", "stat": "max_change", "above": -50.0}, {}, -45.0),
    ],
)
def test_check_rule_table(rule_kw, metrics, expected):
    s = samples([40.0, 40.0, 20.0, -5.0, -18.0, -10.0, 20.0, 40.0])
    windows = {"rep": (0, 7), "up": (1, 3), "peak": (3, 5), "down": (5, 7), "lockout": (7, 7)}
    f = check_rule(rule(**rule_kw), s, windows, 1, metrics, Side.LEFT)
    if expected is None:
        assert f is None
    else:
        assert isinstance(f, Fault) and f.value == pytest.approx(expected)
        assert f.code == "arch" and f.unit == "deg"
        assert math.isnan(f.t_s) if "metric" in rule_kw else f.t_s in {x.t for x in s}


def test_an_unseen_signal_is_no_fault():
    s = samples([math.nan] * 5)
    windows = {"peak": (1, 3)}
    assert check_rule(rule(signal="hip_flexion", phase="peak", stat="min", below=0.0), s, windows, 0, {},
                      Side.LEFT) is None


def test_each_code_once_and_unless_drops_the_explained_fault():
    a1, a2 = Fault("arch", "", "", 1, 0, "deg", "major"), Fault("arch", "", "", 2, 0, "deg", "major")
    rom = Fault("insufficient_rom", "", "", 3, 0, "deg", "warning")
    rules = [rule(code="arch"), rule(code="insufficient_rom", unless=("arch",))]
    assert keep_reported([a1, a2, rom], rules) == [a1]
    assert keep_reported([rom], rules) == [rom]


def curve_samples(curves: list[float], hips: list[float]) -> list[S]:
    """Rep samples with a back curve (body signal) and a hip-line value (left side)."""
    return [S(i / 10, JointAngles(i * 100.0, True, side=Side.LEFT, hip_flexion=(h, math.nan), back_curve=c))
            for i, (c, h) in enumerate(zip(curves, hips, strict=True))]


BACK = rule(code="rounded_back", signal="back_curve", phase="peak", stat="min_change", below=-5.0,
            proxy="outline")
PROXY = rule(code="rounded_back", signal="hip_flexion", phase="peak", stat="max", above=92.0,
             proxy="landmarks", fallback=True)
HIPS = [0.0, 0.0, 50.0, 95.0, 96.0, 60.0, 0.0]  # deep enough for the proxy to fire


@pytest.mark.parametrize(
    ("curves", "expected"),
    [
        # The outline is read and straight: the proxy is not asked, however deep the hinge.
        ([40.0, 40.0, 40.0, 39.0, 39.0, 40.0, 40.0], []),
        # The outline bulges by 8° at the bottom: found by the outline.
        ([40.0, 40.0, 38.0, 32.0, 33.0, 38.0, 40.0], [("outline", -8.0)]),
        # No outline at the bottom (NaN): the proxy stands in, and says so.
        ([40.0, 40.0, 40.0, math.nan, math.nan, 40.0, 40.0], [("landmarks", 96.0)]),
        # No outline at all: the proxy.
        ([math.nan] * 7, [("landmarks", 96.0)]),
    ],
)
def test_a_fallback_rule_stands_in_only_where_the_measure_is_not_read(curves, expected):
    s = curve_samples(curves, HIPS)
    windows = {"rep": (1, 6), "peak": (3, 4)}
    found = check_rules([BACK, PROXY], s, windows, 1, {}, Side.LEFT)
    assert [(f.proxy, f.value) for f in found] == [(p, pytest.approx(v)) for p, v in expected]


def test_two_fallbacks_of_one_code_both_stand_in():
    other = rule(code="rounded_back", signal="hip_flexion", phase="peak", stat="max_change", above=80.0,
                 proxy="landmarks 2", fallback=True)
    s = curve_samples([math.nan] * 7, HIPS)
    found = check_rules([BACK, PROXY, other], s, {"peak": (3, 4)}, 1, {}, Side.LEFT)
    assert [f.proxy for f in found] == ["landmarks", "landmarks 2"]
