"""Where the camera stands, and what can be measured from there. numpy only.

The camera's azimuth comes from the world landmarks (``world.py``), one estimate per frame; the
*view* is their median over the last 90 frames (3–6 s), put in a 15° step (how far off side-on).
For that step the measured error table (``view_errors.py``, from ``bench/views.py``) says, per
angle, which estimate is best (2D image angles, 3D world landmarks, or their mean) and how far
it can be trusted, so:

* each angle comes from its best estimate for the view;
* reps are counted where the renders from that view were counted exactly (where only some
  were, with a caution in the report); nothing is counted where none were;
* a view that foreshortens the driving angle (its measured gain) shrinks the rep's range
  thresholds with it (``View.range_scale``); off side the analyzer follows both legs
  (``session.Analyzer.both_sides``);
* each fault is judged only where the angles it reads are measured within the error its rule
  tolerates (its ``max_error_deg``) and the renders from that view found it on every rep it
  was put in and on no clean rep; elsewhere it is reported as not judged from this view.

Exercise files name the exercise they vary (``variant_of``); the table has the three base
exercises. An exercise with no table entry is measured in 2D and counted side-on only, as before.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field, replace

from . import view_errors
from .exercise import ExerciseSpec, FaultRule
from .kinematics import JointAngles
from .world import WorldAngles, circular_median_deg, off_side_deg, view_class

# The azimuth is the median of this many recent frames.
VIEW_WINDOW_FRAMES = 90
# The view's step changes only when the median is this far past the edge between the current
# step and the nearest one, so a view between two steps does not flip the estimates back and forth.
HYSTERESIS_DEG = 5.0
# A view that shows less of a movement than side-on 2D angles do (its gain relative to theirs
# below 1: foreshortening) has its rep range thresholds scaled by that, never below this share.
MIN_RANGE_SCALE = 0.6
# Reps are counted from the views where at least one render was counted exactly (the table's
# COUNTED; where some were not, the report says so); for a view the renders did not cover,
# where the driving angle's error (once the clip's own bias is taken off: a rep is measured
# from the start position) is at most this.
COUNT_MAX_ERROR_DEG = 8.0

# Exercise signals → the table's angle names.
ANGLE_OF_SIGNAL = {"hip_flexion": "hip", "knee_flexion": "knee", "trunk_inclination": "trunk",
                   "trunk_pitch": "pitch"}
# Within this many degrees of side-on the 2D image angles are kept, and judged by the side-on
# figures, whatever the table says: the exercise files' thresholds were set on them (a lying
# body's 2D hip line reads 5–8° low, and the bridge's lumbar threshold allows for it), so side
# views keep their results.
SIDE_KEEPS_2D_DEG = 15
# Stats that compare a rep with its own start (bias cancels out) rather than an absolute value.
RELATIVE_STATS = ("max_change", "min_change", "ratio_change")
ESTIMATES = ("2d", "world", "mean")


def base_exercise(spec: ExerciseSpec) -> str | None:
    """The table's exercise for ``spec`` (itself or the one it varies), or None."""
    for name in (spec.name, spec.variant_of):
        if name and name in view_errors.MAE:
            return name
    return None


def nearest_step(off_side: float, steps: list[int]) -> int:
    return min(steps, key=lambda s: abs(s - off_side))


@dataclass(frozen=True)
class View:
    """What one camera position allows: ``off_side_deg`` (a table step, + towards the front),
    ``sources`` (signal → ``2d``/``world``/``mean``), their ``errors`` on the scale the
    thresholds were set on (signal → spread + distance of the bias from side-on 2D's, degrees:
    for rules on absolute angles) and ``spreads`` (the error once the clip's own bias is taken
    off: for ranges and rules measured from the rep's start), and whether reps can be counted."""

    off_side_deg: int | None
    sources: dict[str, str]
    errors: dict[str, float]
    spreads: dict[str, float]
    # The share of the renders from this view that were counted exactly (1 when not measured).
    counted_share: float = 1.0
    # The fault codes the renders from this view found right (None: not measured).
    faults_ok: frozenset[str] | None = None
    # Per signal, how much of a true change the chosen estimate shows from here, relative to
    # side-on 2D angles (1 side-on; below 1 where the view foreshortens the movement).
    gains: dict[str, float] = field(default_factory=dict)

    @property
    def countable(self) -> bool:
        """Whether reps are counted from this view (some render from it was counted right)."""
        return self.counted_share > 0

    def unjudged(self, spec: ExerciseSpec) -> dict[str, str]:
        """The fault codes of ``spec`` none of whose rules this view judges, each with why."""
        driving = spec.rep.signal
        judged = {r.code for r in spec.faults if self.judges(r, driving)}
        out: dict[str, str] = {}
        for rule in spec.faults:
            if rule.code not in judged and rule.code not in out:
                out[rule.code] = self.why_not_judged(rule, driving)
        return out

    def range_scale(self, signal: str) -> float:
        """What a rep's range threshold is multiplied by from this view: its gain, at least
        MIN_RANGE_SCALE and at most 1."""
        return min(1.0, max(MIN_RANGE_SCALE, self.gains.get(signal, 1.0)))

    @property
    def count_warning(self) -> str:
        """A caution when reps are counted from a view some test renders were miscounted from."""
        if not self.countable or self.counted_share >= 1 or self.off_side_deg is None:
            return ""
        return (f"Reps were counted from a {self.name} view ({self.step_words}), where "
                f"{1 - self.counted_share:.0%} of the test renders were miscounted: check the count, "
                "or film nearer side-on.")

    @property
    def step_words(self) -> str:
        """The table's step in words: the estimate itself is given elsewhere ("about 33°"), and
        what a view allows was measured every 15°."""
        return f"taken as {abs(self.off_side_deg or 0)}° off side-on, the nearest view measured"

    @property
    def name(self) -> str:
        return "unknown" if self.off_side_deg is None else str(view_class(_azimuth_of(self.off_side_deg)))

    def fault_error(self, rule: FaultRule, driving: str) -> float:
        """The error of the angles ``rule`` reads (the worst of them), degrees; 0 for rules on
        time alone (they need only the count). ``driving``: the exercise's rep signal."""
        if rule.metric is not None:
            if rule.metric != "rom_deg":
                return 0.0
            signals, relative = [driving], True
        else:
            signals = [s for s in (rule.signal, rule.relative_to) if s]
            relative = rule.stat in RELATIVE_STATS
        table = self.spreads if relative else self.errors
        return max((table.get(s, math.inf) for s in signals), default=0.0)

    def why_not_judged(self, rule: FaultRule, driving: str) -> str:
        """In words, why ``rule`` is not judged from this view ("" when it is)."""
        if self.judges(rule, driving):
            return ""
        where = f"from a {self.name} view ({self.step_words})"
        if not self.countable:
            return f"not judged {where}: reps cannot be counted from there"
        if self.faults_ok is not None and rule.code not in self.faults_ok:
            return (f"not judged {where}: on test renders from there it was missed or fired on clean "
                    "reps; film from nearer side-on to judge it")
        err = self.fault_error(rule, driving)
        return (f"not judged {where}: the angles it reads are measured to about ±{err:.0f}° there "
                f"and the rule needs ±{rule.max_error_deg:g}°; film from nearer side-on to judge it")

    def judges(self, rule: FaultRule, driving: str) -> bool:
        """Whether ``rule`` can be judged from this view."""
        if not self.countable:
            return False
        if self.off_side_deg is None:
            return True
        if self.faults_ok is not None and rule.code not in self.faults_ok:
            return False
        return rule.max_error_deg is None or self.fault_error(rule, driving) <= rule.max_error_deg


def _azimuth_of(off_side: float) -> float:
    """An azimuth with this off-side angle (the person's left side towards the camera)."""
    return (90.0 - off_side) % 360.0


def view_for(spec: ExerciseSpec, off_side: float | None) -> View:
    """What the camera ``off_side`` degrees from side-on allows for ``spec`` (None: unknown yet,
    2D angles as before)."""
    base = base_exercise(spec)
    driving = spec.rep.signal
    if base is None or off_side is None or not math.isfinite(off_side):
        side_on = off_side is None or not math.isfinite(off_side) or abs(off_side) <= 22.5
        return View(None, {s: "2d" for s in ANGLE_OF_SIGNAL}, {}, {}, 1.0 if side_on else 0.0)
    steps = view_errors.MAE[base]
    step = nearest_step(off_side, sorted(steps))
    side = nearest_step(0, sorted(steps))
    # Within 15° of side-on formcheck works as it always has: 2D angles, and the side-on
    # figures for what can be judged (the thresholds were validated there, on renders and on
    # real side-view clips, several filmed 10–20° off side-on).
    judged_as = side if abs(step) <= SIDE_KEEPS_2D_DEG else step
    spread = view_errors.SPREAD[base][judged_as]
    bias = view_errors.BIAS.get(base, {}).get(judged_as, {})
    sources, errors, spreads = {}, {}, {}
    for signal, angle in ANGLE_OF_SIGNAL.items():
        # The thresholds were set on side-on 2D angles, bias and all (a lying body's 2D hip line
        # reads 5–8° low): an estimate's error on that scale is its spread plus how far its bias
        # is from theirs.
        ref = view_errors.BIAS.get(base, {}).get(side, {}).get(angle, {}).get("2d", 0.0)
        on_scale = {e: spread[angle][e] + abs(bias.get(angle, {}).get(e, ref) - ref)
                    for e in ESTIMATES if e in spread.get(angle, {})}
        if judged_as == side and "2d" in on_scale:
            best = "2d"
        else:
            best = min(on_scale, key=lambda e: on_scale[e], default="2d")
        sources[signal] = best
        errors[signal] = on_scale.get(best, math.inf)
        spreads[signal] = spread.get(angle, {}).get(best, math.inf)
    share = view_errors.COUNTED.get(base, {}).get(judged_as)
    if share is None:
        share = 1.0 if spreads.get(driving, math.inf) <= COUNT_MAX_ERROR_DEG else 0.0
    # Side-on keeps every fault its margins allow (what the renders from there showed is in
    # the README); off side, a fault must also have been right on every render from the view.
    ok = None if judged_as == side else view_errors.FAULTS_OK.get(base, {}).get(judged_as)
    # Gains relative to side-on 2D's, on which the range thresholds were set.
    gain_table = view_errors.GAIN.get(base, {})
    gains = {}
    for signal, src in sources.items():
        angle = ANGLE_OF_SIGNAL[signal]
        ref = gain_table.get(side, {}).get(angle, {}).get("2d", 1.0)
        here = gain_table.get(judged_as, {}).get(angle, {}).get(src, ref)
        gains[signal] = 1.0 if judged_as == side or ref <= 0 else here / ref
    return View(step, sources, errors, spreads, share, None if ok is None else frozenset(ok), gains)


class ViewTracker:
    """Follows the camera's azimuth frame by frame and holds the current ``View``."""

    def __init__(self, spec: ExerciseSpec) -> None:
        self.spec = spec
        self.steps = sorted(view_errors.MAE.get(base_exercise(spec) or "", {})) or [0]
        self.reset()

    def reset(self) -> None:
        self._azimuths: deque[float] = deque(maxlen=VIEW_WINDOW_FRAMES)
        self.azimuth_deg = math.nan
        self._step: int | None = None
        self.view = view_for(self.spec, None)

    def update(self, azimuth_deg: float) -> View:
        if math.isfinite(azimuth_deg):
            self._azimuths.append(azimuth_deg)
            self.azimuth_deg = circular_median_deg(list(self._azimuths))
            off = off_side_deg(self.azimuth_deg)
            nearest = nearest_step(off, self.steps)
            if self._step is None or abs(off - self._step) > abs(off - nearest) + 2 * HYSTERESIS_DEG:
                self._step = nearest
                self.view = view_for(self.spec, self._step)
        return self.view


def _pick(two_d: float, world: float, source: str) -> float:
    if source == "world" or (source == "mean" and not math.isfinite(two_d)):
        return world
    if source == "mean" and math.isfinite(world):
        return (two_d + world) / 2
    return two_d


def choose(angles: JointAngles, world: WorldAngles, sources: dict[str, str]) -> JointAngles:
    """``angles`` with each signal taken from the estimate ``sources`` names for it."""
    if not angles.detected or all(v == "2d" for v in sources.values()):
        return angles
    changes: dict[str, object] = {}
    for signal, source in sources.items():
        if source == "2d":
            continue
        mine, theirs = getattr(angles, signal), getattr(world, signal)
        if isinstance(mine, tuple):
            changes[signal] = tuple(_pick(a, b, source) for a, b in zip(mine, theirs, strict=True))
        else:
            changes[signal] = _pick(mine, theirs, source)
    return replace(angles, **changes)  # type: ignore[arg-type]


def where_to_film(spec: ExerciseSpec) -> str:
    """Where to put the camera for ``spec``, in words: the range of views reps are counted from."""
    base = base_exercise(spec)
    if base is None:
        return "film from the side"
    steps = sorted(view_errors.MAE[base])
    side = nearest_step(0, steps)
    if not view_for(spec, side).countable:
        return "film from the side"
    # The views counted from, in one stretch on each side of side-on.
    front = back = side
    for s in (s for s in steps if s > side):
        if not view_for(spec, s).countable:
            break
        front = s
    for s in (s for s in reversed(steps) if s < side):
        if not view_for(spec, s).countable:
            break
        back = s
    if front <= 0 and back >= 0:
        return "film from the side"
    parts = []
    if front > 0:
        parts.append(f"up to {front}° towards the front")
    if back < 0:
        parts.append(f"up to {-back}° towards the back")
    return "film from the side, or " + " or ".join(parts)
