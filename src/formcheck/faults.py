"""Fault rules: each exercise file's ``[[faults]]`` evaluated on one finished rep. numpy only.

The tracker (``tracker.RepTracker``) finds a rep and its phases; ``check_rule`` measures one
rule over its phase and returns a ``Fault`` when the threshold is crossed; ``keep_reported``
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
    ``deg`` or ``s``), ``t_s`` when it was worst (NaN for whole-rep measures)."""

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


def check_rule(rule: FaultRule, samples: Sequence[Sample], windows: Mapping[str, tuple[int, int]],
               i_start: int, metrics: Mapping[str, float], side: Side) -> Fault | None:
    """Evaluate ``rule`` on a rep.

    ``samples`` are the rep's frames; ``windows`` the first and last sample index of each phase
    (``rep``, ``up``, ``peak``, ``down``, ``lockout``); ``i_start`` the sample where the rep
    began (changes are measured from the median before it); ``metrics`` the rep's measures
    (``rom_deg``, ``hold_s``, ``up_s``, ``down_s``, ``move_s``); ``side`` the working side.
    Returns the Fault, or None when the rule holds or cannot be measured (nothing seen).
    """
    t_worst = math.nan
    if rule.metric is not None:
        value = metrics[rule.metric]
    else:
        assert rule.signal is not None and rule.phase is not None and rule.stat is not None
        which = side if rule.side == "working" else side.other
        a, b = windows[rule.phase]
        if b < a:
            return None
        series = np.array([s.angles.value(rule.signal, which) for s in samples[a : b + 1]])
        if not np.isfinite(series).any():
            return None
        if rule.stat.endswith("_change"):
            pre = np.array([s.angles.value(rule.signal, which) for s in samples[: i_start + 1]])
            if not np.isfinite(pre).any():
                return None
            series = series - float(np.nanmedian(pre[-max(1, len(pre) // 2):]))
        k = int(np.nanargmin(series) if rule.stat.startswith("min") else np.nanargmax(series))
        value = float(series[k])
        t_worst = samples[a + k].t
    if not rule.violated(value):
        return None
    return Fault(rule.code, rule.message, rule.cue, value, rule.threshold, rule.unit,
                 rule.severity, rule.proxy, t_worst)


def keep_reported(faults: Sequence[Fault], rules: Sequence[FaultRule]) -> list[Fault]:
    """The faults a rep reports: each code once (several rules may test one fault by
    different proxies), and none that a rule's ``unless`` says another found fault explains."""
    once = [f for i, f in enumerate(faults) if f.code not in {g.code for g in faults[:i]}]
    found = {f.code for f in once}
    by_code = {r.code: r for r in rules}
    return [f for f in once if not set(by_code[f.code].unless) & found]
