"""Rep tracking: turning points of one driving signal, and per-rep metrics. numpy only.

A ``RepTracker`` follows one leg's (or the camera side's) driving angle. A rep is one excursion
of that signal from a start-side turn to a peak and back. It begins when the signal has risen
``start_deg`` above its last start-side turn (a still start position is one such turn, the
bottom of a rep that stopped short is another), and it ends at whichever comes first:

* the signal is back within ``end_deg`` of the person's start position, or
* the way back has covered ``return_share`` of the rep's own range and the signal then turns
  again (rises ``start_deg``) or holds still for ``settle_s``: reps that stop short of the start
  position, as the bridge instruction asks, and reps that flow into the next one, or
* the way back went down and up again by a shallow turn (SHALLOW_TURN_SHARE of the person's
  range) and the signal is back at the top after SHALLOW_AWAY_S away from it: a set of reps
  that each lower only until the hips begin to crease. A quicker dip at the top is a wobble.

The start position is learned from the movement itself: the most start-ward still position or
turn seen in the exercise's start range and posture (absolute angles from 2D landmarks carry a
steady bias of several degrees; changes against the person's own start are precise). Only then
is the movement judged: counted (and checked for faults) or set aside as a half rep or fidget.
A rep the video cuts off after its top is counted and marked ``cut_off``; its way down is unknown.

Decisions are made after the rep's end by at most ``max(lockout_window_s, settle_s)`` plus the
time the signal takes to turn back by ``start_deg``, and two samples of median filtering.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from enum import Enum

import numpy as np

from .exercise import ExerciseSpec
from .faults import check_rules, keep_reported
from .kinematics import JointAngles
from .landmarks import Side
from .reps import Movement, Rep, cross_time, first_at_or_below, last_at_or_below, margin, median
from .views import View

# Time marks are taken where the rep crosses this fraction of its own range (or end_deg, if
# larger): "time up" runs from 10 % to the band around the peak, which noise cannot fake.
EDGE_FRACTION = 0.10
# The band around the peak that counts as "at the top" is at least this fraction of the range.
PEAK_BAND_FRACTION = 0.10
# Reps that stop short ("lower until the hips begin to crease") may travel a third of the range.
# Their way back is a turn once down and up again by SHALLOW_TURN_SHARE of the person's range (at
# least end_deg) and back at the top after SHALLOW_AWAY_S away. Real clips: a hip thrust's top
# wobbles 7–10° of a 35° range, back within 0.9–1.2 s; renders: a 30 % return reads 7–11° of 38°
# and spends 2.5 s away from the top.
SHALLOW_TURN_SHARE = 0.15
# A short rep's start edge (end_deg above where it left from) and its band "at the top" take at
# most these shares of its own travel: a rep from where the last one stopped short travels a few
# degrees.
SHORT_EDGE_SHARE, SHORT_BAND_SHARE = 0.25, 0.15
SHALLOW_AWAY_S = 1.2
# Shallow turns are trusted only from a view whose measured spread of the driving angle (the
# view table's) is at most this share of the person's range: from 60° towards a bridge's feet
# the hip line wanders by ±43°, and any dip in it would pass for a rep; a quarter was too strict
# for a kickback from 30° in front (±6.4° on a 22° range).
SHALLOW_VIEW_SHARE = 0.5
# "Time up" ends, and "time down" starts, where the rep passes this fraction of its range, so
# tempo does not depend on how far the rep went.
TEMPO_TOP_FRACTION = 0.90
# The lockout phase starts once the way down passes this fraction of the range.
LOCKOUT_FROM_FRACTION = 0.4
# A real rep stays past half its range at least this long; shorter spikes are landmark glitches.
MIN_HALF_PEAK_S = 0.15
# How long before a rep starts is kept, to find where the movement really began.
PREROLL_S = 1.5
# The start position follows slow drift of a few degrees at this rate per still stretch or turn.
BASELINE_RATE = 0.2
# Being away from the start position (not as a rep) for this long sends the tracker back to set-up.
OUT_OF_START_S = 1.0
# Turning points are found on the running median of this many samples, and only once it has
# them all (after the start or a dropout): then two glitched frames cannot make a turn.
MEDIAN_SAMPLES = 5
# Within this of its lowest value the signal is still "at" the start-side turn: a rep starts
# from the last such moment.
VALLEY_TOL_DEG = 1.5
# A rep cut off by the end of the video counts once it has turned at the top or stayed there
# TOP_SEEN_S, with its peak no further than CUT_OFF_PEAK_SHARE of the person's usual range short
# of the median peak of their last PEAK_MEMORY reps.
TOP_SEEN_S, CUT_OFF_PEAK_SHARE, PEAK_MEMORY = 0.3, 0.35, 5


class TrackerState(str, Enum):
    SETUP = "setup"  # the start side not seen yet
    READY = "ready"  # on the start side, waiting for the next rep
    MOVING = "moving"  # a rep is under way
    LOCKOUT = "lockout"  # the rep is back at the start; watching the finish


@dataclass
class _Sample:
    t: float
    value: float
    angles: JointAngles


@dataclass
class _Rep:
    """A movement under way. Indices point into ``samples``; q is the signal turned so that
    the rep's peak is its largest value (``sign × value``)."""

    samples: list[_Sample]
    i0: int  # the valley the movement left from
    v0_q: float
    peak_q: float
    i_peak: int
    low_q: float  # the lowest point since the peak (the way back)
    i_low: int
    above_low_q: float  # the highest point since that low (to tell a stop from a turn)
    began_t: float  # when the movement was first seen leaving the valley
    i_end: int = -1  # set once the rep is over and only its lockout is being watched
    ends_at_start: bool = False


class RepTracker:
    """Finds reps in one side's driving signal. ``update`` returns finished Reps and Movements.

    Streaming, with a bounded delay: a rep that returns to the start position is decided when
    it gets there (plus ``lockout_window_s`` where the exercise watches the lockout); a rep that
    stops short is decided when the signal turns back by ``start_deg`` or holds still for
    ``settle_s`` after the way back covered ``return_share`` of the rep's own range.
    """

    def __init__(self, spec: ExerciseSpec, side: Side, leg: Side | None = None) -> None:
        self.spec = spec
        self.side = side
        self.leg = leg
        # The camera view the analyzer sees (``views.View``): which faults it can judge. None:
        # every fault is judged.
        self.view: View | None = None
        self.azimuth_deg = math.nan
        self.reset()

    def reset(self) -> None:
        self.state = TrackerState.SETUP
        # The person's start position (the signal's value there), learned from a still start
        # or from the start-side turns of the movement itself; NaN until one is seen.
        self.baseline = math.nan
        self._settle: deque[tuple[float, float]] = deque()
        self._buf: deque[_Sample] = deque()
        self._valley: _Sample | None = None
        self._valley_q = math.nan
        self._chained = False
        self._recent: deque[float] = deque(maxlen=MEDIAN_SAMPLES)
        self._rep: _Rep | None = None
        # The peaks (q) of the reps counted so far, most recent last: the person's own end position.
        self._peaks: deque[float] = deque(maxlen=PEAK_MEMORY)
        self._still_start = False  # whether the start position was seen held still
        # The last frame seen at the start position: what "change from the start" is measured
        # against for a rep that left from further up (the one before stopped short).
        self._at_start: _Sample | None = None
        self._out_since = math.nan
        self._last_valid_t = -math.inf
        self._last_t = -math.inf
        self._progress = math.nan

    @property
    def progress_deg(self) -> float:
        """How far the last value is from the start position towards the peak (NaN before one is known)."""
        return self._progress

    @property
    def moving_since(self) -> float:
        """When the movement under way left its start-side turn (NaN when none is under way)."""
        rep = self._rep
        return rep.samples[rep.i0].t if rep is not None and rep.i_end < 0 else math.nan

    @property
    def moving_range_deg(self) -> float:
        """How far the movement under way has gone from the start position (NaN when none is)."""
        rep = self._rep
        return math.nan if rep is None or rep.i_end >= 0 else self._range_of(rep)

    def update(self, angles: JointAngles) -> list[Rep | Movement]:
        """Feed one frame. Frames out of time order are ignored."""
        t = angles.t_s
        if not t > self._last_t:
            return []
        self._last_t = t
        spec = self.spec.rep
        value = angles.value(spec.signal, self.side)
        finite = math.isfinite(value)
        self._progress = spec.sign * (value - self.baseline) if finite else math.nan
        if not finite:
            return self._gap(t)
        # Over max_gap_s since the last usable value (frames missing, not only unusable): a
        # dropout too, so a lone value beside it cannot pass for a start or a peak.
        events = self._gap(t) if math.isfinite(self._last_valid_t) else []
        self._last_valid_t = t
        sample = _Sample(t, value, angles)
        # Turning points are found on a short running median, so a one- or two-frame landmark
        # glitch cannot make a turn; the samples themselves keep the raw values.
        self._recent.append(spec.sign * value)
        if len(self._recent) < MEDIAN_SAMPLES:
            return events
        q = median(self._recent)
        if self._rep is not None:
            return events + self._update_rep(self._rep, sample, q)
        self._update_waiting(sample, q, angles.trunk_inclination)
        return events

    def finish(self) -> list[Rep | Movement]:
        """End of input. A rep back at the start, or most of the way back, is judged as usual;
        one that had reached its top is counted as cut off; one that had not is not counted."""
        rep = self._rep
        out: list[Rep | Movement] = []
        if rep is not None:
            out.append(self._close(rep, "the video ended"))
        self._rep = None
        self.state = TrackerState.SETUP
        return out

    # -- waiting for a rep -------------------------------------------------------------------

    def _gap(self, t: float) -> list[Rep | Movement]:
        spec = self.spec.rep
        if t - self._last_valid_t <= spec.max_gap_s:
            return []
        self._recent.clear()
        rep = self._rep
        if rep is not None:
            self._rep = None
            self._forget_valley()
            return [self._close(rep, "the person was lost from view")]
        self._forget_valley()
        return []

    def _in_start(self, value: float, trunk: float) -> bool:
        spec = self.spec.rep
        return (spec.start_min_deg <= value <= spec.start_max_deg
                and spec.start_trunk_min_deg <= trunk <= spec.start_trunk_max_deg)

    def _away_from_start(self, q: float, trunk: float) -> bool:
        """Past the start range on the side away from the peak, or out of the start posture
        (sitting up after bridges, stepping away): not a place a rep starts from."""
        spec = self.spec.rep
        edge = min(spec.sign * spec.start_min_deg, spec.sign * spec.start_max_deg)
        return q < edge or not spec.start_trunk_min_deg <= trunk <= spec.start_trunk_max_deg

    def _update_waiting(self, sample: _Sample, q: float, trunk: float) -> None:
        spec = self.spec.rep
        t = sample.t
        in_start = self._in_start(sample.value, trunk)
        if self._still_at(t, sample.value, trunk):
            self._learn_start(float(np.median([v for _, v in self._settle])))
            self._at_start = sample
        if self._valley is None:
            if in_start:
                self._set_valley(sample, q, chained=False)
        elif q < self._valley_q and (in_start or self._chained):
            self._set_valley(sample, q, chained=self._chained and not in_start)
        elif q <= self._valley_q + VALLEY_TOL_DEG:
            # Still at the lowest point: the rep will start from the last moment there, not
            # from the beginning of a long wait.
            self._valley = sample
        elif t - self._valley.t > spec.max_rep_s:
            self._set_valley(sample, q, chained=self._chained)
        self._buf.append(sample)
        while self._buf and self._buf[0].t < t - PREROLL_S and self._buf[0] is not self._valley:
            self._buf.popleft()
        if self._valley is not None and q >= self._valley_q + self._start_turn():
            self._start_rep()
            return
        if self._away_from_start(q, trunk):
            if math.isnan(self._out_since):
                self._out_since = t
            elif t - self._out_since > OUT_OF_START_S:
                # Gone from the exercise's position for a while: whatever comes next starts afresh.
                self._forget_valley()
                self.baseline = math.nan
                self._still_start = False
                self._peaks.clear()
        else:
            self._out_since = math.nan
        self.state = TrackerState.READY if self._valley is not None else TrackerState.SETUP

    def _set_valley(self, sample: _Sample, q: float, chained: bool) -> None:
        self._valley, self._valley_q, self._chained = sample, q, chained

    def _forget_valley(self) -> None:
        self._valley, self._valley_q, self._chained = None, math.nan, False
        self._buf.clear()
        self._settle.clear()
        self._out_since = math.nan
        self.state = TrackerState.SETUP

    def _learn_start(self, value: float) -> None:
        """A start-side position the person held still: the start position is the most
        start-ward of them, following slow drift of a few degrees."""
        spec = self.spec.rep
        self._still_start = True
        if math.isnan(self.baseline) or spec.sign * (value - self.baseline) < 0:
            self.baseline = value
        elif spec.sign * (value - self.baseline) <= spec.end_deg:
            self.baseline += BASELINE_RATE * (value - self.baseline)

    def _still_at(self, t: float, value: float, trunk: float) -> bool:
        """Whether the last ``settle_s`` were still, in the start range and the start posture."""
        spec = self.spec.rep
        if not self._in_start(value, trunk):
            self._settle.clear()
            return False
        self._settle.append((t, value))
        while self._settle and t - self._settle[0][0] > spec.settle_s:
            self._settle.popleft()
        values = [v for _, v in self._settle]
        return (t - self._settle[0][0] >= 0.9 * spec.settle_s
                and max(values) - min(values) <= spec.still_tol_deg)

    def _start_rep(self) -> None:
        valley = self._valley
        assert valley is not None
        if math.isnan(self.baseline) or (
                not self._peaks and not self._still_start and not self._chained
                and self._in_start(valley.value, valley.angles.trunk_inclination)
                and self.spec.rep.sign * (valley.value - self.baseline) < 0):
            # Until a rep has been counted, the start position is the most start-ward turn
            # seen; after that only a still position moves it (a lean-back at a hinge's
            # lockout is a turn too, and no new start position).
            self.baseline = valley.value
        if not self._chained and abs(valley.value - self.baseline) <= self.spec.rep.end_deg:
            self._at_start = valley
        samples = [s for s in self._buf if s.t >= valley.t - PREROLL_S]
        i0 = next(i for i, s in enumerate(samples) if s is valley)
        qs = [self.spec.rep.sign * s.value for s in samples]
        i_peak = i0 + int(np.argmax(qs[i0:]))
        self._rep = _Rep(samples=samples, i0=i0, v0_q=self._valley_q, peak_q=qs[i_peak], i_peak=i_peak,
                         low_q=qs[-1], i_low=len(samples) - 1, above_low_q=qs[-1],
                         began_t=samples[-1].t)
        self._buf.clear()
        self._settle.clear()
        self._valley = None
        self.state = TrackerState.MOVING

    # -- a rep under way ---------------------------------------------------------------------

    def _start_q(self, rep: _Rep) -> float:
        """The start position in q units (the rep's own valley until one is known)."""
        return rep.v0_q if math.isnan(self.baseline) else self.spec.rep.sign * self.baseline

    def _update_rep(self, rep: _Rep, sample: _Sample, q: float) -> list[Rep | Movement]:
        spec = self.spec.rep
        rep.samples.append(sample)
        i = len(rep.samples) - 1
        if rep.i_end >= 0:  # over; watching the lockout, or the next rep leaving the start side
            if q < rep.low_q:
                rep.low_q, rep.i_low = q, i
            if q >= rep.low_q + spec.start_deg or sample.t - rep.samples[rep.i_end].t >= spec.lockout_window_s:
                return self._end(rep, turned=q >= rep.low_q + spec.start_deg)
            return []
        if sample.t - rep.began_t > spec.max_rep_s:
            self._rep = None
            self._forget_valley()
            return [self._movement(rep, "it took longer than a rep can")]
        if self._back_at_top(rep, q):
            return self._end(rep, turned=True, at=rep.i_low)
        if q > rep.peak_q:
            rep.peak_q, rep.i_peak = q, i
            rep.low_q, rep.i_low, rep.above_low_q = q, i, q
        elif q < rep.low_q:
            rep.low_q, rep.i_low, rep.above_low_q = q, i, q
        else:
            rep.above_low_q = max(rep.above_low_q, q)
        start_q = self._start_q(rep)
        if q <= start_q + spec.end_deg and rep.peak_q >= start_q + spec.start_deg:
            # Back at the start position (from a peak past it: a rep that left from further
            # back, a kickback leg drawn forward first, goes through it on the way up).
            rep.ends_at_start = True
            return self._mark_end(rep, i)
        if self._way_back_covered(rep):
            if q >= rep.low_q + spec.start_deg:  # turned: the next rep is already under way
                return self._end(rep, turned=True, at=rep.i_low)
            stopped = (sample.t - rep.samples[rep.i_low].t >= spec.settle_s
                       and rep.above_low_q - rep.low_q <= spec.still_tol_deg)
            if stopped:
                return self._mark_end(rep, rep.i_low)
        return []

    def _way_back_covered(self, rep: _Rep) -> bool:
        """Whether the signal has come back from the peak by ``return_share`` of the rep's range."""
        return (rep.i_low > rep.i_peak
                and rep.peak_q - rep.low_q >= self.spec.rep.return_share * (rep.peak_q - rep.v0_q))

    def _range_of(self, rep: _Rep) -> float:
        """How far ``rep`` has gone so far: from the start position, or from where it left when
        that was further back."""
        return rep.peak_q - min(rep.v0_q, self._start_q(rep))

    def _start_turn(self) -> float:
        """How far the signal must rise from its valley for a rep to start: ``start_deg``, or
        a shallow turn from the bottom of a rep that stopped short."""
        spec = self.spec.rep
        if not self._chained or not self._peaks or math.isnan(self.baseline):
            return spec.start_deg
        return min(spec.start_deg, self._shallow_turn(spec.sign * (median(self._peaks) - self.baseline)))

    def _shallow_turn(self, full: float) -> float:
        """A turn in a set of shallow reps: SHALLOW_TURN_SHARE of the person's range ``full``
        (at least ``end_deg``); infinite from a view that measures the angle too loosely."""
        spread = self.view.spreads.get(self.spec.rep.signal, 0.0) if self.view is not None else 0.0
        if spread > SHALLOW_VIEW_SHARE * full:
            return math.inf
        return max(self.spec.rep.end_deg, SHALLOW_TURN_SHARE * full)

    def _back_at_top(self, rep: _Rep, q: float) -> bool:
        """Whether the signal came down from the peak by a shallow turn, rose by one again and
        is back at the top after SHALLOW_AWAY_S or more away from it: a rep that stopped short
        of ``return_share`` of its range, and the next one already under way."""
        spec = self.spec.rep
        if rep.i_low <= rep.i_peak:
            return False
        full = self._range_of(rep)
        turn = self._shallow_turn(full)
        top = rep.peak_q - max(spec.peak_band_deg, PEAK_BAND_FRACTION * full)
        if rep.peak_q - rep.low_q < turn or q - rep.low_q < turn or q < top:
            return False
        # Raw samples (turns are found on their running median): a glitch may leave none of
        # them in the band at the peak or now, so fall back to those two moments.
        samples, sign = rep.samples, spec.sign
        left = next((i for i in range(rep.i_low, rep.i_peak - 1, -1) if sign * samples[i].value >= top),
                    rep.i_peak)
        back = next((i for i in range(rep.i_low, len(samples)) if sign * samples[i].value >= top),
                    len(samples) - 1)
        return samples[back].t - samples[left].t >= SHALLOW_AWAY_S

    def _mark_end(self, rep: _Rep, i: int) -> list[Rep | Movement]:
        rep.i_end = i
        rep.low_q = self.spec.rep.sign * rep.samples[i].value
        rep.i_low = i
        if self.spec.rep.lockout_window_s > 0:
            self.state = TrackerState.LOCKOUT
            return []
        return self._end(rep, turned=False)

    def _end(self, rep: _Rep, turned: bool, at: int | None = None) -> list[Rep | Movement]:
        """Judge a finished rep, then wait for the next one from its end (or its lowest point
        since), or follow the next one straight away when the signal has already turned."""
        if rep.i_end < 0:
            rep.i_end = at if at is not None else len(rep.samples) - 1
        out: list[Rep | Movement] = [self._judge(rep, cut_off=False)]
        self._rep = None
        i_low = max(rep.i_low, rep.i_end)
        valley = rep.samples[i_low]
        self._buf = deque(s for s in rep.samples if s.t >= valley.t - PREROLL_S)
        self._settle.clear()
        self._set_valley(valley, self.spec.rep.sign * valley.value, chained=not rep.ends_at_start)
        self.state = TrackerState.READY
        if turned:
            self._start_rep()
        return out

    def _close(self, rep: _Rep, why: str) -> Rep | Movement:
        """A rep interrupted by the end of the data (or the person leaving the picture)."""
        spec = self.spec.rep
        if rep.i_end >= 0:
            return self._judge(rep, cut_off=False)
        if self._way_back_covered(rep):
            rep.i_end = rep.i_low
            return self._judge(rep, cut_off=False)
        last = rep.samples[-1]
        band = max(spec.peak_band_deg, PEAK_BAND_FRACTION * (rep.peak_q - rep.v0_q))
        at_top = next(s.t for s in rep.samples[rep.i0:] if spec.sign * s.value >= rep.peak_q - band)
        topped = rep.peak_q - spec.sign * last.value >= spec.start_deg or last.t - at_top >= TOP_SEEN_S
        if topped and self._peaks:
            # Only a rep that reached the end position of the person's own reps: setting a
            # lifted foot down at the end of a set is no kickback.
            ref = median(self._peaks)
            if rep.peak_q < ref - CUT_OFF_PEAK_SHARE * (ref - self._start_q(rep)):
                return self._movement(rep, f"not counted: {why} before it reached the usual end position")
        if topped:
            rep.i_end = len(rep.samples) - 1
            return self._judge(rep, cut_off=True)
        return self._movement(rep, f"not finished: {why} before the top")

    def _movement(self, rep: _Rep, reason: str) -> Movement:
        s = rep.samples
        return Movement(self.leg, s[rep.i0].t, s[-1].t, rep.peak_q - self._start_q(rep), 0.0, reason)

    # -- judging a finished movement -----------------------------------------------------

    def _judge(self, rep: _Rep, cut_off: bool) -> Rep | Movement:
        spec = self.spec.rep
        samples = rep.samples
        t = np.array([s.t for s in samples])
        p = spec.sign * np.array([s.value for s in samples]) - self._start_q(rep)
        i0, hi = rep.i0, rep.i_end
        i_peak = i0 + int(np.argmax(p[i0 : hi + 1]))
        if not self._peaks and not self._still_start and not cut_off:
            # The first reps teach the start position: a rep that opened with the video (already
            # on its way up) has its true start where it comes back down to.
            i_low = i_peak + int(np.argmin(p[i_peak : hi + 1]))
            low = samples[i_low]
            if p[i_low] < 0 and self._in_start(low.value, low.angles.trunk_inclination):
                self.baseline = low.value
                p = p - p[i_low]
        peak = float(p[i_peak])
        base_up = float(p[i0])
        excursion = peak - base_up
        # A rep that left from where the last one stopped short (it travels only a few degrees).
        stopped_short = rep.v0_q > self._start_q(rep) + spec.end_deg
        # The range is from the start position, or (``start_from_turn``) from the turn the rep
        # left from when that was further back: stopping short of the start is never a short rep.
        rom = max(peak, excursion) if spec.start_from_turn else peak
        # A view that foreshortens the movement shrinks the thresholds (View.range_scale).
        scale = self.view.range_scale(spec.signal) if self.view is not None else 1.0
        if rom < spec.partial_rom_deg * scale:
            # Too little range from the start position (a lean-back and back): no rep,
            # whatever its timing.
            return Movement(self.leg, float(t[i0]), float(t[hi]), rom, 0.0,
                            "half rep: too little range and no hold")
        up_level = base_up + margin(spec.end_deg, EDGE_FRACTION, excursion, SHORT_EDGE_SHARE)
        i_s = last_at_or_below(p, up_level, i_peak, i0)
        start_s = cross_time(t, p, up_level, i_s, i_s + 1) if i_s is not None else float(t[i0])
        lo = i_s if i_s is not None else i0
        if cut_off:
            # Seen until the video ended: the rep's span stops there; its way down is unknown.
            base_dn = math.nan
            end_s = float(t[hi])
            i_e = hi
        else:
            base_dn = 0.0 if rep.ends_at_start else float(np.min(p[i_peak : hi + 1]))
            dn_level = base_dn + max(spec.end_deg, EDGE_FRACTION * (peak - base_dn))
            found = first_at_or_below(p, dn_level, i_peak)
            i_e = hi if found is None else min(found, hi)
            end_s = cross_time(t, p, dn_level, i_e - 1, i_e) if i_e > i_peak else float(t[i_e])
        # A short rep's band takes no more than SHORT_BAND_SHARE of its travel, or a rep with no
        # hold reads a second of it.
        band = (margin(spec.peak_band_deg, PEAK_BAND_FRACTION, excursion, SHORT_BAND_SHARE) if stopped_short
                else max(spec.peak_band_deg, PEAK_BAND_FRACTION * excursion))
        in_band = np.flatnonzero(p[lo : i_e + 1] >= peak - band) + lo
        enter, leave = int(in_band[0]), int(in_band[-1])
        top_up = base_up + TEMPO_TOP_FRACTION * excursion
        a0 = lo + int(np.flatnonzero(p[lo : i_e + 1] >= top_up)[0])
        t_up = cross_time(t, p, top_up, a0 - 1, a0) if a0 > 0 else float(t[a0])
        up_s = t_up - start_s
        hold_s = float(t[leave] - t[enter])
        if cut_off:
            down_s = math.nan
            duration = float(t[hi]) - start_s
        else:
            top_dn = base_dn + TEMPO_TOP_FRACTION * (peak - base_dn)
            a1 = lo + int(np.flatnonzero(p[lo : i_e + 1] >= top_dn)[-1])
            t_down = cross_time(t, p, top_dn, a1 + 1, a1) if a1 + 1 < len(p) else float(t[a1])
            down_s = end_s - t_down
            duration = end_s - start_s

        half = np.flatnonzero(p[lo : i_e + 1] >= base_up + 0.5 * excursion)
        # A rep that left from where the last one stopped short lasts at least as long as the
        # turn that began it was away from the top; a shorter one is landmark noise (unless the
        # video cut it).
        shortest = SHALLOW_AWAY_S if stopped_short and not cut_off else spec.min_rep_s
        if duration < shortest or float(t[lo + half[-1]] - t[lo + half[0]]) < MIN_HALF_PEAK_S:
            return Movement(self.leg, start_s, end_s, rom, hold_s, "too brief to be a rep")
        # A cut-off rep's hold is cut too: it counts on its range alone.
        counted = rom >= spec.count_rom_deg * scale or (
            not cut_off and rom >= spec.partial_rom_deg * scale and hold_s >= spec.partial_hold_s)
        if not counted:
            return Movement(self.leg, start_s, end_s, rom, hold_s, "half rep: too little range and no hold")

        windows = {"rep": (lo, i_e), "up": (lo, enter), "peak": (enter, leave)}
        if not cut_off:
            windows["down"] = (leave, i_e)
            windows["lockout"] = (_lockout_from(p, peak, i_peak), len(p) - 1)
        # A rep cut off by the end of the video has no way down: its timing is not judged.
        unknown = math.nan if cut_off else None
        metrics = {"rom_deg": rom, "hold_s": unknown if cut_off else hold_s, "up_s": up_s,
                   "down_s": down_s, "move_s": unknown if cut_off else up_s + down_s}
        ref = self._at_start if stopped_short else None
        view = self.view
        rules = [r for r in self.spec.faults if view is None or view.judges(r, spec.signal)]
        not_judged = tuple(view.unjudged(self.spec)) if view is not None else ()
        faults = keep_reported(check_rules(rules, samples, windows, lo, metrics, self.side, ref),
                               self.spec.faults)
        self._peaks.append(peak + self._start_q(rep))
        return Rep(
            leg=self.leg, side=self.side, start_s=start_s, top_s=(float(t[enter]) + float(t[leave])) / 2,
            end_s=end_s, up_s=up_s, hold_s=hold_s, down_s=down_s, rom_deg=rom,
            peak=_angles_at(samples[i_peak].angles, self.side), start=_angles_at(samples[lo].angles, self.side),
            faults=tuple(faults), cut_off=cut_off, travel_deg=excursion,
            azimuth_deg=self.azimuth_deg, not_judged=not_judged,
        )


def _lockout_from(p: np.ndarray, peak: float, i_peak: int) -> int:
    idx = np.flatnonzero(p[i_peak:] <= LOCKOUT_FROM_FRACTION * peak)
    return int(idx[0]) + i_peak if idx.size else len(p) - 1


def _angles_at(a: JointAngles, side: Side) -> dict[str, float]:
    return {
        "hip_flexion_deg": a.value("hip_flexion", side),
        "knee_flexion_deg": a.value("knee_flexion", side),
        "trunk_inclination_deg": a.trunk_inclination,
    }
