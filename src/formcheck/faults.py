"""Fault rules: each exercise file's ``[[faults]]`` evaluated on one finished rep. numpy only.

The tracker (``tracker.RepTracker``) finds a rep and its phases; ``check_rules`` measures each
rule over its phase (``measure_rule``) and returns a ``Fault`` where the threshold is crossed
(a ``fallback`` rule only where the rules before it for its code could not measure); ``keep_reported``
drops what one rep must not report twice (the same fault found by two proxies, or a fault
another one found explains, ``unless``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .exercise import FaultRule
from .kinematics import JointAngles
from .landmarks import Side


@dataclass(frozen=True)
class Fault:
    """A fault found on one rep: the measured value against the rule's threshold (in ``unit``:
    ``deg``, ``s`` or ``ratio``), ``t_s`` when it was worst (NaN for whole-rep measures)."""

    code: str
    message: str
    cue: str
    value: float
    threshold: float
    unit: str
    severity: str
    proxy: str = ""
    t_s: float = math.nan


class Sample(Protocol):
    """One frame of a rep: its time (s) and angles."""

    t: float
    angles: JointAngles


def check_rules(rules: Sequence[FaultRule], samples: Sequence[Sample],
                windows: Mapping[str, tuple[int, int]], i_start: int, metrics: Mapping[str, float],
                side: Side, reference: Sample | None = None) -> list[Fault]:
    """Every rule of ``rules`` on a rep (arguments as ``check_rule``), in order; a ``fallback``
    rule only where no rule with its code that is not a fallback could be measured on this rep."""
    measured: set[str] = set()
    found = []
    for rule in rules:
        if rule.fallback and rule.code in measured:
            continue
        m = measure_rule(rule, samples, windows, i_start, metrics, side, reference)
        if m is None:
            continue
        if not rule.fallback:
            measured.add(rule.code)
        if rule.violated(m[0]):
            found.append(_fault(rule, *m))
    return found


def check_rule(rule: FaultRule, samples: Sequence[Sample], windows: Mapping[str, tuple[int, int]],
               i_start: int, metrics: Mapping[str, float], side: Side,
               reference: Sample | None = None) -> Fault | None:
    """Evaluate ``rule`` on a rep (the arguments as ``measure_rule``): the Fault, or None when
    the rule holds or cannot be measured."""
    m = measure_rule(rule, samples, windows, i_start, metrics, side, reference)
    return _fault(rule, *m) if m is not None and rule.violated(m[0]) else None


def _fault(rule: FaultRule, value: float, t_worst: float) -> Fault:
    return Fault(rule.code, rule.message, rule.cue, value, rule.threshold, rule.unit,
                 rule.severity, rule.proxy, t_worst)


def measure_rule(rule: FaultRule, samples: Sequence[Sample], windows: Mapping[str, tuple[int, int]],
                 i_start: int, metrics: Mapping[str, float], side: Side,
                 reference: Sample | None = None) -> tuple[float, float] | None:
    """Measure ``rule`` on a rep: its value and the time (s) it was worst (NaN for whole-rep
    measures), or None when it cannot be measured (nothing seen in its phase).

    ``samples`` are the rep's frames; ``windows`` the first and last sample index of each phase
    (``rep``, ``up``, ``peak``, ``down``, ``lockout``; a rep cut off by the end of the video has
    no ``down`` nor ``lockout``, and rules on them are not judged); ``i_start`` the sample where
    the rep began; changes are measured from ``reference`` (a frame at the start position, for
    a rep that left from where the last one stopped short) or else from the median before
    ``i_start``; ``metrics`` the rep's measures (``rom_deg``, ``hold_s``, ``up_s``, ``down_s``,
    ``move_s``; NaN when unknown); ``side`` the working side.
    """
    t_worst = math.nan
    if rule.metric is not None:
        value = metrics[rule.metric]
    else:
        assert rule.signal is not None and rule.phase is not None and rule.stat is not None
        which = side if rule.side == "working" else side.other
        if rule.phase not in windows:
            return None
        a, b = windows[rule.phase]
        if b < a:
            return None
        series = np.array([s.angles.value(rule.signal, which) for s in samples[a : b + 1]])
        if not np.isfinite(series).any():
            return None
        if rule.relative_to is not None:
            # ratio_change: the change of the signal per unit change of the other one, at the
            # frame of the phase where the other one had changed most.
            other = np.array([s.angles.value(rule.relative_to, which) for s in samples[a : b + 1]])
            base = _base(samples, rule.signal, which, i_start, reference)
            other_base = _base(samples, rule.relative_to, which, i_start, reference)
            moved = np.abs(other - other_base)
            if not np.isfinite(moved).any() or not math.isfinite(base):
                return None
            k = int(np.nanargmax(moved))
            if not moved[k] >= 1.0 or not math.isfinite(series[k]):
                return None  # the other signal did not move: no ratio to judge
            value = float((series[k] - base) / (other[k] - other_base))
        else:
            if rule.stat.endswith("_change"):
                base = _base(samples, rule.signal, which, i_start, reference)
                if not math.isfinite(base):
                    return None
                series = series - base
            k = int(np.nanargmin(series) if rule.stat.startswith("min") else np.nanargmax(series))
            value = float(series[k])
        t_worst = samples[a + k].t
    if not math.isfinite(value):
        return None
    return value, t_worst


def _base(samples: Sequence[Sample], signal: str, side: Side, i_start: int,
          reference: Sample | None) -> float:
    """What a change is measured from: the reference frame, or the median of the second half
    of the frames before the rep began."""
    if reference is not None:
        return reference.angles.value(signal, side)
    pre = np.array([s.angles.value(signal, side) for s in samples[: i_start + 1]])
    pre = pre[-max(1, len(pre) // 2):]
    return float(np.nanmedian(pre)) if np.isfinite(pre).any() else math.nan


def keep_reported(faults: Sequence[Fault], rules: Sequence[FaultRule]) -> list[Fault]:
    """The faults a rep reports: each code once (several rules may test one fault by
    different proxies), and none that a rule's ``unless`` says another found fault explains."""
    once = [f for i, f in enumerate(faults) if f.code not in {g.code for g in faults[:i]}]
    found = {f.code for f in once}
    by_code = {r.code: r for r in rules}
    return [f for f in once if not set(by_code[f.code].unless) & found]
