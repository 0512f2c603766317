"""Coaching, without drawing: what a coached session decides to show and say. No cv2.

Sets and rest (``SetPlan``, ``SetTracker``), cues and their vocabulary
(``CueScheduler``, ``CUE_*``, the session's ``PHASE_*``), a rep's verdict in words
(``RepVerdict``, ``fault_label``), position advice and the checklist, the gauge's target band,
and the ``OverlayState`` that the drawing (``render.py``) draws. Small pure objects with
``update``, tested alone; time is an input (seconds from the source's clock).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from .exercise import ExerciseSpec, FaultRule
from .kinematics import JointAngles
from .landmarks import SIDES, Side
from .report import Verdict, most_serious
from .reps import Rep
from .session import Analyzer, Progress, Status
from .session import HoldTimer as HoldTimer  # timed by the Analyzer; named here for coaching's callers
from .views import View, view_for

DEFAULT_REST_S = 60.0

# Phases of a coached session, as the overlay shows them.
PHASE_POSITION = "position"  # getting into position: the checklist is shown
PHASE_ACTIVE = "active"  # counting
PHASE_REST = "rest"  # between sets: the rest timer is shown
PHASE_DONE = "done"  # all sets done, or the input ended: the summary is shown
PHASES = (PHASE_POSITION, PHASE_ACTIVE, PHASE_REST, PHASE_DONE)

# Kinds of cue; they choose the cue banner's accent colour.
CUE_FAULT = "fault"
CUE_POSITION = "position"
CUE_INFO = "info"
# Said when the camera could not tell which leg did a kickback rep.
TURN_WORKING_LEG = "Turn the working leg's side to the camera, so each rep goes to the right leg."


@dataclass(frozen=True)
class Gauge:
    """The driving angle against its target band, in degrees.

    ``progress_deg`` is how far the angle has moved from the person's own start position
    towards the peak (0 at the start; NaN before the start position is known). A rep begins
    at ``start_deg``; the target band runs from ``band_lo_deg`` (enough range) to
    ``band_hi_deg`` (beyond it a fault rule fires; inf when no rule limits it, NaN while
    the start position is unknown: then only the empty track is drawn).
    ``value_deg`` is the angle itself, ``label`` what it measures.
    """

    label: str
    value_deg: float
    progress_deg: float
    start_deg: float
    band_lo_deg: float
    band_hi_deg: float

    @property
    def scale_deg(self) -> float:
        """The top of the gauge: a margin past the band."""
        top = self.band_hi_deg if math.isfinite(self.band_hi_deg) else 1.4 * self.band_lo_deg
        return 1.2 * max(top, self.band_lo_deg)

    @classmethod
    def for_progress(cls, spec: ExerciseSpec, progress: Progress, angles: JointAngles | None) -> Gauge:
        """The gauge of one tracked side, from the analyzer's progress snapshot."""
        rep = spec.rep
        value = angles.value(rep.signal, progress.side) if angles is not None else math.nan
        lo, hi = target_band(spec, progress.baseline_deg)
        name = rep.signal.replace("_flexion", "").replace("_", " ")
        return cls(
            f"{progress.side.value} {name}", value, progress.progress_deg, rep.start_deg, lo, hi
        )


def target_band(spec: ExerciseSpec, baseline_deg: float) -> tuple[float, float]:
    """The range of rep progress (degrees from the start position) that is the target.

    The low end is the range a rep needs to count and to pass the exercise's range rule;
    the high end is where a fault rule on the driving angle at the peak fires (inf if none,
    NaN while the start position is unknown).
    """
    rep = spec.rep
    lo = rep.count_rom_deg
    limits = [math.inf]
    for rule in spec.faults:
        if rule.metric == "rom_deg" and rule.below is not None:
            lo = max(lo, rule.below)
        if rule.signal != rep.signal or rule.side != "working" or rule.phase not in ("peak", "rep"):
            continue
        # Only a limit past the peak, in the direction the rep moves, bounds the band.
        if rep.sign > 0 and rule.stat == "max" and rule.above is not None:
            limits.append(rule.above - baseline_deg)
        elif rep.sign < 0 and rule.stat == "min" and rule.below is not None:
            limits.append(baseline_deg - rule.below)
    hi = math.nan if any(math.isnan(x) for x in limits) else min(limits)
    return lo, hi


@dataclass(frozen=True)
class RepVerdict:
    """The last counted rep in a few words: which, good or which faults, range and hold."""

    index: int
    leg: str | None
    good: bool
    text: str
    severity: str
    rom_deg: float
    hold_s: float

    @classmethod
    def of(cls, verdict: Verdict, index: int, leg: str | None, rom_deg: float, hold_s: float) -> RepVerdict:
        """The words for ``verdict`` (the report model's judgement of the rep)."""
        text = ", ".join(fault_label(c) for c in verdict.codes) or "Good rep"
        return cls(index, leg, verdict.good, text, verdict.severity, rom_deg, hold_s)

    @classmethod
    def from_rep(cls, rep: Rep) -> RepVerdict:
        return cls.of(Verdict.of(rep.faults), rep.index, rep.leg.value if rep.leg else None, rep.rom_deg, rep.hold_s)


def fault_label(code: str) -> str:
    """A fault code in words: ``insufficient_rom`` → ``Insufficient range``."""
    words = {"rom": "range"}
    text = " ".join(words.get(w, w) for w in code.split("_"))
    return text[:1].upper() + text[1:]


def position_advice(status: str, angles: JointAngles | None) -> str:
    """What to tell a person whose position stops the counting (empty when nothing)."""
    if status == Status.OUT_OF_FRAME and angles is not None and angles.missing:
        parts = list(angles.missing)
        if parts == ["feet"]:
            return "Step back so your feet are visible."
        named = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"Step back so your {named} are in the picture."
    return Status.MESSAGES.get(status, "")


# What a person calls the body part an angle is about, for view advice.
_PART_OF_SIGNAL = {"trunk_pitch": "back", "trunk_inclination": "back", "hip_flexion": "hips",
                   "knee_flexion": "knees"}


def view_advice(spec: ExerciseSpec, view: View) -> str:
    """While reps are counted from an off-side view: a better camera position, when a more
    side-on view would judge faults this one cannot ("" when there is none)."""
    if not view.countable or view.off_side_deg is None:
        return ""
    driving = spec.rep.signal
    unjudged = view.unjudged(spec)
    missing = [r for r in spec.faults if r.code in unjudged]
    if not missing:
        return ""
    side_on = view_for(spec, 0)
    gained = [r for r in missing if side_on.judges(r, driving)]

    def named(rules: list[FaultRule]) -> str:
        parts = list(dict.fromkeys(_PART_OF_SIGNAL.get(r.signal or driving, "form") for r in rules))
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

    if not gained:
        return f"From here your {named(missing)} cannot be checked."
    how = "a little more side-on" if abs(view.off_side_deg) <= 45 else "side-on"
    return f"Turn {how} to the camera so your {named(gained)} can be checked too."


def position_checklist(status: str) -> tuple[tuple[str, bool], ...]:
    """The get-into-position checks, in order, each with whether it passes now."""
    order = [Status.NO_PERSON, Status.WRONG_VIEW, Status.OUT_OF_FRAME, Status.SETUP]
    reached = order.index(status) if status in order else len(order)
    labels = [
        "In the picture",
        "Camera where the movement shows",
        "Whole body visible",
        "Still in the start position",
    ]
    return tuple((label, i < reached) for i, label in enumerate(labels))


@dataclass(frozen=True)
class OverlayState:
    """Everything the overlay shows for one frame. Times in seconds, angles in degrees.

    ``counts`` pairs labels with counts (``(("reps", 5),)``, or per leg
    ``(("left", 3), ("right", 4))``); ``rep_target`` is the reps wanted per set (per leg),
    None for no target. ``set_index`` is 1-based, 0 when sets are not tracked; while resting
    it is the set just done. NaN means
    "not shown" for ``rest_left_s``, ``hold_s``, ``fps`` and ``latency_ms``.
    """

    title: str
    status: str = Status.NO_PERSON
    advice: str = ""
    phase: str = PHASE_POSITION
    side: Side | None = None
    per_leg: bool = False
    counts: tuple[tuple[str, int], ...] = (("reps", 0),)
    rep_target: int | None = None
    set_index: int = 0
    sets_total: int = 0
    gauge: Gauge | None = None
    hold_s: float = math.nan
    hold_target_s: float = 0.0
    cue: str = ""
    cue_kind: str = CUE_INFO
    last_rep: RepVerdict | None = None
    rest_left_s: float = math.nan
    fps: float = math.nan
    latency_ms: float = math.nan
    paused: bool = False
    checklist: tuple[tuple[str, bool], ...] = ()
    summary: tuple[str, ...] = field(default_factory=tuple)
    # A better camera position while counting from an off-side view ("" when none).
    view_note: str = ""

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise ValueError(f"expected phase in {PHASES}, got {self.phase!r}")

    @classmethod
    def from_analyzer(
        cls, analyzer: Analyzer, *, counts: Mapping[str, int] | None = None, **extras: object
    ) -> OverlayState:
        """The state of ``analyzer`` now, plus ``extras`` (any other field of this class).

        ``counts`` defaults to the analyzer's totals (per leg for per-leg exercises). The
        phase defaults to "position" until the analyzer is ready to count, then "active".
        """
        spec = analyzer.spec
        angles = analyzer.last_angles
        status = analyzer.status
        counts = dict(analyzer.counts() if counts is None else counts)
        if analyzer.per_leg:
            shown = tuple((s.value, int(counts.get(s.value, 0))) for s in SIDES)
        else:
            shown = (("reps", int(counts.get("total", 0))),)
        counting = status in (Status.READY, Status.MOVING)
        fields: dict[str, object] = {
            "title": spec.title,
            "status": status,
            "advice": position_advice(status, angles),
            "phase": PHASE_ACTIVE if counting else PHASE_POSITION,
            "side": angles.side if angles is not None else None,
            "per_leg": analyzer.per_leg,
            "counts": shown,
            "gauge": _gauge(analyzer),
            "hold_s": _hold_s(analyzer),
            "hold_target_s": spec.prescription.hold_s,
            "last_rep": RepVerdict.from_rep(analyzer.reps[-1]) if analyzer.reps else None,
            "checklist": () if counting else position_checklist(status),
            "view_note": view_advice(spec, analyzer.view) if counting else "",
        }
        fields.update(extras)
        return cls(**fields)  # type: ignore[arg-type]


def _gauge(analyzer: Analyzer) -> Gauge | None:
    progress = analyzer.progress()
    if not progress:
        return None
    # Per leg: show the leg that is moving (or, when none is, the one that moved further).
    pool = [p for p in progress if p.moving] or list(progress)
    return Gauge.for_progress(analyzer.spec, furthest(pool), analyzer.last_angles)


def _hold_s(analyzer: Analyzer) -> float:
    """Seconds held at the top by the side furthest into its rep (NaN: not holding)."""
    moving = [p for p in analyzer.progress() if p.moving]
    held = furthest(moving).hold_s if moving else None
    return math.nan if held is None else held


def furthest(progress: Sequence[Progress]) -> Progress:
    """Of several sides' progress (not empty), the one furthest from its start position."""
    return max(progress, key=lambda p: p.progress_deg if math.isfinite(p.progress_deg) else -math.inf)


# -- sets --------------------------------------------------------------------------------------


class SetPhase(StrEnum):
    ACTIVE = "active"  # doing a set
    REST = "rest"  # between sets
    DONE = "done"  # all sets done


@dataclass(frozen=True)
class SetPlan:
    """What to do: ``sets`` sets of ``reps`` reps (per leg when ``per_leg``), ``rest_s`` apart."""

    sets: int
    reps: int
    per_leg: bool
    rest_s: float = DEFAULT_REST_S

    def __post_init__(self) -> None:
        if self.sets < 1:
            raise ValueError(f"expected at least 1 set, got {self.sets}")
        if self.reps < 1:
            raise ValueError(f"expected at least 1 rep per set, got {self.reps}")
        if not (math.isfinite(self.rest_s) and self.rest_s >= 0):
            raise ValueError(f"expected a rest of 0 s or more, got {self.rest_s}")

    @classmethod
    def from_spec(
        cls,
        spec: ExerciseSpec,
        sets: int | None = None,
        reps: int | None = None,
        rest_s: float | None = None,
    ) -> SetPlan:
        """The exercise's prescription, with any of its numbers replaced. The rep target is
        the low end of the prescribed range (12 of "12–15"): reaching it completes the set."""
        p = spec.prescription
        return cls(
            sets if sets is not None else p.sets,
            reps if reps is not None else p.reps_min,
            p.per_leg,
            DEFAULT_REST_S if rest_s is None else rest_s,
        )


@dataclass(frozen=True)
class SetRecord:
    """One set: its number, when it started and ended (seconds, source clock), its reps."""

    index: int
    start_s: float
    end_s: float
    reps: tuple[Rep, ...]

    @property
    def good(self) -> int:
        return sum(1 for r in self.reps if r.good)

    def counts(self) -> dict[str, int]:
        out = {"total": len(self.reps)}
        for s in SIDES:
            out[s.value] = sum(1 for r in self.reps if r.leg is s)
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "start_s": _round(self.start_s),
            "end_s": _round(self.end_s),
            "reps": [r.index for r in self.reps],
            "good_reps": self.good,
        }


class SetEvent(StrEnum):
    SET_DONE = "set_done"  # a set reached its target (or was ended): rest begins
    REST_OVER = "rest_over"  # the rest is over: the next set begins
    ALL_DONE = "all_done"  # the last set is done


class SetTracker:
    """Splits counted reps into sets and times the rest between them.

    A set ends when its rep target is reached (each leg's, for per-leg exercises) or when
    ``end_set`` is called. Reps counted during the rest still belong to the set just done
    (the person finished their last reps) and restart the rest. After the last set, further
    reps are added to it. Times come from the source clock.
    """

    def __init__(self, plan: SetPlan) -> None:
        self.plan = plan
        self.reset()

    def reset(self) -> None:
        self.phase = SetPhase.ACTIVE
        self.index = 1  # the set being done, or (resting) the set just done
        self._reps: list[Rep] = []
        self._start_s = math.nan
        self._rest_until = math.nan
        self.records: list[SetRecord] = []

    def update(self, t_s: float, reps: Sequence[Rep] = ()) -> list[SetEvent]:
        """Credit ``reps`` (newly counted) at time ``t_s``; returns what changed."""
        events: list[SetEvent] = []
        if self.phase is SetPhase.REST and reps:
            self._amend(reps)
            self._rest_until = t_s + self.plan.rest_s
            return events
        if self.phase is SetPhase.DONE:
            if reps:
                self._amend(reps)
            return events
        if self.phase is SetPhase.REST:
            if t_s >= self._rest_until:
                self.phase = SetPhase.ACTIVE
                self.index += 1
                self._reps = []
                self._start_s = math.nan
                events.append(SetEvent.REST_OVER)
            return events
        for rep in reps:
            if math.isnan(self._start_s):
                self._start_s = rep.start_s
            self._reps.append(rep)
        if reps and self._target_reached():
            events += self.end_set(t_s)
        return events

    def end_set(self, t_s: float) -> list[SetEvent]:
        """End the set under way now (the person stops early). No-op when none is under way."""
        if self.phase is not SetPhase.ACTIVE or not self._reps:
            return []
        self.records.append(
            SetRecord(self.index, self._start_s, self._reps[-1].end_s, tuple(self._reps))
        )
        if self.index >= self.plan.sets:
            self.phase = SetPhase.DONE
            return [SetEvent.ALL_DONE]
        self.phase = SetPhase.REST
        self._rest_until = t_s + self.plan.rest_s
        return [SetEvent.SET_DONE]

    def rest_left_s(self, t_s: float) -> float:
        """Seconds of rest left (NaN when not resting)."""
        return max(0.0, self._rest_until - t_s) if self.phase is SetPhase.REST else math.nan

    def counts(self) -> dict[str, int]:
        """This set's counts (resting or done: the set just done), in total and per leg."""
        if self.phase is not SetPhase.ACTIVE and self.records:
            return self.records[-1].counts()
        return SetRecord(self.index, self._start_s, math.nan, tuple(self._reps)).counts()

    def all_sets(self) -> list[SetRecord]:
        """The sets done, and the one under way if it has reps."""
        out = list(self.records)
        if self.phase is SetPhase.ACTIVE and self._reps:
            out.append(SetRecord(self.index, self._start_s, math.nan, tuple(self._reps)))
        return out

    def _target_reached(self) -> bool:
        c = self.counts()
        if self.plan.per_leg:
            return all(c[s.value] >= self.plan.reps for s in SIDES)
        return c["total"] >= self.plan.reps

    def _amend(self, reps: Sequence[Rep]) -> None:
        last = self.records[-1]
        more = (*last.reps, *reps)
        self.records[-1] = SetRecord(last.index, last.start_s, more[-1].end_s, more)


# -- cues -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One thing to tell the person: its words, kind (``CUE_*``), and when it was issued."""

    text: str
    kind: str
    t_s: float
    key: str = ""


# Which cue wins when several wait: set news, then a fault, then position advice.
_PRIORITY = {CUE_INFO: 0, CUE_FAULT: 1, CUE_POSITION: 2}
# Statuses that stop the counting, with advice worth saying.
_POSITION_STATUSES = (Status.NO_PERSON, Status.WRONG_VIEW, Status.OUT_OF_FRAME, Status.SETUP)


class CueScheduler:
    """Chooses the one cue to show (and say) at a time.

    Candidates: the ``cue`` of the worst fault of each newly counted rep, advice for a
    position problem that has lasted ``settle_s``, and news given with ``info``. A new cue
    is issued only ``cooldown_s`` after the last one; the best waiting candidate is kept
    until then (a fault cue for ``stale_s`` at most, position advice only while the
    problem lasts). The same words are not issued again within ``repeat_s``. An issued cue
    is shown for ``show_s`` (position advice: while the problem lasts). Times are seconds
    on the source clock.
    """

    def __init__(
        self,
        cooldown_s: float = 4.0,
        show_s: float = 5.0,
        repeat_s: float = 12.0,
        settle_s: float = 1.0,
        stale_s: float = 8.0,
    ) -> None:
        if not 0 <= cooldown_s <= show_s:
            raise ValueError(f"expected 0 <= cooldown_s <= show_s, got {cooldown_s} and {show_s}")
        self.cooldown_s, self.show_s, self.repeat_s = cooldown_s, show_s, repeat_s
        self.settle_s, self.stale_s = settle_s, stale_s
        self.reset()

    def reset(self) -> None:
        self._current: Cue | None = None
        self._pending: Cue | None = None
        self._issued: dict[str, float] = {}
        self._status = ""
        self._status_since = math.nan
        self._advice = ""

    def update(
        self, t_s: float, status: str, advice: str = "", reps: Sequence[Rep] = (), info: str = ""
    ) -> Cue | None:
        """Feed one frame's status (and its advice), new reps and news; returns the cue
        issued now (to be said), if any."""
        if status != self._status:
            self._status, self._status_since = status, t_s
        self._advice = advice
        for rep in reps:
            worst = most_serious(rep.faults)
            if worst is not None:
                self._offer(Cue(worst.cue, CUE_FAULT, t_s, f"fault:{worst.code}"))
            elif rep.leg is None and rep.note:
                # A per-leg rep the view could not credit to a leg: ask for a better view.
                self._offer(Cue(TURN_WORKING_LEG, CUE_INFO, t_s, "info:working-leg"))
        if info:
            self._offer(Cue(info, CUE_INFO, t_s, f"info:{info}"))
        if status in _POSITION_STATUSES and advice and t_s - self._status_since >= self.settle_s:
            self._offer(Cue(advice, CUE_POSITION, t_s, f"position:{advice}"))
        p = self._pending
        if p is not None and (
            (p.kind == CUE_FAULT and t_s - p.t_s > self.stale_s)
            or (p.kind == CUE_POSITION and not self._position_holds(p))
        ):
            self._pending = p = None
        if p is None or (self._current is not None and t_s - self._current.t_s < self.cooldown_s):
            return None
        self._pending = None
        last = self._issued.get(p.key, -math.inf)
        if t_s - last < self.repeat_s:
            return None
        cue = replace(p, t_s=t_s)
        self._current = cue
        self._issued[p.key] = t_s
        return cue

    def current(self, t_s: float) -> Cue | None:
        """The cue to show now."""
        c = self._current
        if c is None:
            return None
        if c.kind == CUE_POSITION:
            return c if self._position_holds(c) else None
        return c if t_s - c.t_s < self.show_s else None

    def _position_holds(self, cue: Cue) -> bool:
        return self._status in _POSITION_STATUSES and cue.text == self._advice

    def _offer(self, cue: Cue) -> None:
        p = self._pending
        if p is None or _PRIORITY[cue.kind] <= _PRIORITY[p.kind]:
            self._pending = cue


def _round(x: float, nd: int = 2) -> float | None:
    return round(float(x), nd) if x is not None and math.isfinite(x) else None
