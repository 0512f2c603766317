"""The typed report (JSON ``schema_version`` 1): what every writer reads.

``Report.from_json`` reads a report dict (as written by ``formcheck analyze``/``live``, or an
older version-1 file, whose missing optional fields get defaults) and ``Report.to_json``
gives back the dict the JSON file holds, key for key, so ``from_json(d).to_json() == d`` for
every report formcheck writes. The fields are documented in the README ("The JSON report").

The judgements writers share are defined here, once: how serious a fault is
(``severity_rank``), the order faults are shown in (``most_serious_first``), a rep's most
serious fault (``most_serious``) and verdict (``Verdict``), the fault a session should work on
first (``top_fault``), when a fault was worst (``fault_time``), what drives a rep
(``driving_signal``), whether it is counted per leg (``per_leg``) and the programme's hold.

Pure Python: no numpy, no cv2.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

SCHEMA_VERSION = 1

# Severity of a fault, least to most serious (the exercise files use these words).
SEVERITIES = ("info", "warning", "major")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}
DEFAULT_SEVERITY = "warning"

T = TypeVar("T")


def severity_rank(severity: str | None) -> int:
    """How serious a severity is: info 0, warning 1, major 2 (missing or unknown: warning)."""
    return _RANK.get(severity or DEFAULT_SEVERITY, _RANK[DEFAULT_SEVERITY])


def _severity_of(fault: Any) -> str | None:
    """The severity of a fault given as an object (``.severity``) or a report dict."""
    if isinstance(fault, Mapping):
        return fault.get("severity")
    return getattr(fault, "severity", None)


def most_serious_first(faults: Iterable[T], severity_of: Callable[[T], str | None] = _severity_of) -> list[T]:
    """``faults`` from the most serious down; faults of one severity keep their order."""
    return sorted(faults, key=lambda f: -severity_rank(severity_of(f)))


def most_serious(faults: Iterable[T], severity_of: Callable[[T], str | None] = _severity_of) -> T | None:
    """The most serious of ``faults`` (the first of equals), or None when there are none."""
    ordered = most_serious_first(faults, severity_of)
    return ordered[0] if ordered else None


@dataclass(frozen=True)
class Verdict:
    """A rep in a word: good, or its fault codes most serious first and the worst severity."""

    good: bool
    codes: tuple[str, ...]
    severity: str  # the most serious fault's severity; "" for a good rep

    @classmethod
    def of(cls, faults: Iterable[Any]) -> Verdict:
        """The verdict on a rep with ``faults`` (fault objects or report dicts)."""
        ordered = most_serious_first(faults)
        codes = tuple(f["code"] if isinstance(f, Mapping) else f.code for f in ordered)
        severity = (_severity_of(ordered[0]) or DEFAULT_SEVERITY) if ordered else ""
        return cls(not ordered, codes, severity)


def top_fault(faults: Iterable[Any]) -> str | None:
    """The fault code to work on first: the most frequent, then the most serious, then the
    first seen. ``faults`` are fault objects or dicts of all reps; None when there are none."""
    counts: Counter[str] = Counter()
    rank: dict[str, int] = {}
    for f in faults:
        code = f["code"] if isinstance(f, Mapping) else f.code
        counts[code] += 1
        rank.setdefault(code, severity_rank(_severity_of(f)))
    return top_of_counts(counts, rank)


def top_of_counts(counts: Mapping[str, int], ranks: Mapping[str, int]) -> str | None:
    """``top_fault`` over counted codes: the most frequent, then the highest severity rank,
    then the first in ``counts``' order; None when empty."""
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], ranks.get(c, severity_rank(None))))


def severity_rank_sql(column: str) -> str:
    """``severity_rank`` as an SQL expression over ``column`` (for the history database)."""
    whens = " ".join(f"WHEN '{s}' THEN {i}" for s, i in _RANK.items())
    return f"CASE {column} {whens} ELSE {severity_rank(None)} END"


def fault_time(rep: Any, fault: Any) -> float:
    """When ``fault`` was worst (s): its own ``t_s``, or the top of ``rep`` for faults of a
    whole-rep measure (range, tempo), which have none. Typed entries or report dicts."""
    t = fault.get("t_s") if isinstance(fault, Mapping) else fault.t_s
    if t is not None:
        return float(t)
    return float(rep["top_s"] if isinstance(rep, Mapping) else rep.top_s)


# -- the report's parts ----------------------------------------------------------------------


@dataclass(frozen=True)
class FaultEntry:
    """A fault on a rep: the measured ``value`` against the rule's ``threshold`` (in ``unit``:
    ``deg`` or ``s``), ``t_s`` when it was worst (None for whole-rep measures)."""

    code: str
    message: str
    cue: str
    value: float | None
    threshold: float | None
    unit: str
    severity: str
    t_s: float | None
    proxy: str = ""

    @property
    def rank(self) -> int:
        return severity_rank(self.severity)

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.code, "message": self.message, "cue": self.cue, "value": self.value,
                             "threshold": self.threshold, "unit": self.unit, "severity": self.severity,
                             "t_s": self.t_s}
        if self.proxy:
            d["proxy"] = self.proxy
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> FaultEntry:
        return cls(d["code"], d.get("message", ""), d.get("cue", ""), d.get("value"), d.get("threshold"),
                   d.get("unit", ""), d.get("severity", DEFAULT_SEVERITY), d.get("t_s"), d.get("proxy", ""))


@dataclass(frozen=True)
class Tempo:
    """Seconds up (10 % → 90 % of the range), held at the top, and down."""

    up_s: float | None
    hold_s: float | None
    down_s: float | None

    def to_json(self) -> dict[str, Any]:
        return {"up_s": self.up_s, "hold_s": self.hold_s, "down_s": self.down_s}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Tempo:
        return cls(d.get("up_s"), d.get("hold_s"), d.get("down_s"))


@dataclass(frozen=True)
class RepEntry:
    """A counted rep. Times in seconds from the start of the source, angles in degrees
    (``peak`` and ``start`` by report key, e.g. ``hip_flexion_deg``; None where not seen)."""

    index: int
    leg: str | None
    side: str | None
    start_s: float
    top_s: float
    end_s: float
    range_of_motion_deg: float | None
    tempo: Tempo
    peak: Mapping[str, float | None]
    start: Mapping[str, float | None]
    good: bool
    faults: tuple[FaultEntry, ...]
    # The video ended after the rep's top: counted, end_s is where the video ended, the way
    # down (tempo.down_s) unknown. A note says what the analysis could not tell (e.g. the leg).
    cut_off: bool = False
    note: str = ""
    # The camera's azimuth during the rep and its class (None when unknown), and the faults that
    # view could not judge.
    azimuth_deg: float | None = None
    view_class: str | None = None
    not_judged: tuple[str, ...] = ()

    @property
    def worst_fault(self) -> FaultEntry | None:
        """The most serious fault (the first of equals), None for a good rep."""
        return most_serious(self.faults)

    @property
    def verdict(self) -> Verdict:
        return Verdict.of(self.faults)

    def fault_time(self, fault: FaultEntry) -> float:
        """When ``fault`` was worst (s): see ``fault_time``."""
        return fault_time(self, fault)

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index, "leg": self.leg, "side": self.side,
            "start_s": self.start_s, "top_s": self.top_s, "end_s": self.end_s,
            "range_of_motion_deg": self.range_of_motion_deg,
            "tempo": self.tempo.to_json(),
            "peak": dict(self.peak), "start": dict(self.start),
            "good": self.good,
            "faults": [f.to_json() for f in self.faults],
            "cut_off": self.cut_off,
            **({"note": self.note} if self.note else {}),
            **({"view": {"azimuth_deg": self.azimuth_deg, "class": self.view_class}}
               if self.azimuth_deg is not None else {}),
            **({"not_judged": list(self.not_judged)} if self.not_judged else {}),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> RepEntry:
        faults = tuple(FaultEntry.from_json(f) for f in d.get("faults", []))
        view = d.get("view") or {}
        return cls(d["index"], d.get("leg"), d.get("side"), d["start_s"], d["top_s"], d["end_s"],
                   d.get("range_of_motion_deg"), Tempo.from_json(d.get("tempo", {})), dict(d.get("peak", {})),
                   dict(d.get("start", {})), d.get("good", not faults), faults,
                   bool(d.get("cut_off", False)), d.get("note", ""), view.get("azimuth_deg"),
                   view.get("class"), tuple(d.get("not_judged", ())))


@dataclass(frozen=True)
class MovementEntry:
    """A movement that was not counted as a rep, and why (``reason``, in words)."""

    leg: str | None
    start_s: float | None
    end_s: float | None
    range_of_motion_deg: float | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"leg": self.leg, "start_s": self.start_s, "end_s": self.end_s,
                "range_of_motion_deg": self.range_of_motion_deg, "reason": self.reason}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> MovementEntry:
        return cls(d.get("leg"), d.get("start_s"), d.get("end_s"), d.get("range_of_motion_deg"), d.get("reason", ""))


@dataclass(frozen=True)
class FrameEntry:
    """One analysed frame: its time (s), whether a person was seen, the analyzer's status, and
    its angles by report key (``hip_flexion_deg``: one number, or one per side as
    ``{"left": .., "right": ..}``; None where not seen). ``extra``: keys other versions add."""

    t_s: float
    detected: bool
    status: str
    angles: Mapping[str, Any]
    extra: Mapping[str, Any] = field(default_factory=dict)

    def angle(self, key: str, side: str | None = None) -> float | None:
        """The angle ``key`` (``hip_flexion_deg``...), of ``side`` when it is kept per side
        (left when ``side`` is None); None when not seen or not recorded."""
        v = self.angles.get(key)
        if isinstance(v, Mapping):
            v = v.get(side or "left")
        return None if v is None else float(v)

    def to_json(self) -> dict[str, Any]:
        return {"t_s": self.t_s, "detected": self.detected, "status": self.status,
                "angles": dict(self.angles), **self.extra}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> FrameEntry:
        known = ("t_s", "detected", "status", "angles")
        return cls(d["t_s"], d.get("detected", True), d.get("status", ""), dict(d.get("angles", {})),
                   {k: v for k, v in d.items() if k not in known})


@dataclass(frozen=True)
class Summary:
    """Counts for the session; ``per_leg`` only for exercises counted per leg."""

    reps: int
    good_reps: int
    faults_by_code: Mapping[str, int]
    prescription: str
    frames: int
    frames_with_person: int
    frames_by_status: Mapping[str, int]
    warnings: tuple[str, ...]
    per_leg: Mapping[str, int] | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "reps": self.reps, "good_reps": self.good_reps, "faults_by_code": dict(self.faults_by_code),
            "prescription": self.prescription, "frames": self.frames,
            "frames_with_person": self.frames_with_person, "frames_by_status": dict(self.frames_by_status),
            "warnings": list(self.warnings),
        }
        if self.per_leg is not None:
            d["per_leg"] = dict(self.per_leg)
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Summary:
        per_leg = d.get("per_leg")
        return cls(d.get("reps", 0), d.get("good_reps", 0), dict(d.get("faults_by_code", {})),
                   d.get("prescription", ""), d.get("frames", 0), d.get("frames_with_person", 0),
                   dict(d.get("frames_by_status", {})), tuple(d.get("warnings", ())),
                   dict(per_leg) if per_leg is not None else None)


@dataclass(frozen=True)
class ExerciseInfo:
    """The exercise as the report names it; ``signal``/``direction``/``legs`` say what drives a
    rep (None in reports written before they were added)."""

    name: str
    title: str
    prescription: str = ""
    signal: str | None = None
    direction: str | None = None
    legs: str | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "title": self.title, "prescription": self.prescription}
        for key in ("signal", "direction", "legs"):
            if getattr(self, key) is not None:
                d[key] = getattr(self, key)
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ExerciseInfo:
        return cls(d["name"], d["title"], d.get("prescription", ""), d.get("signal"), d.get("direction"),
                   d.get("legs"))


@dataclass(frozen=True)
class ViewEntry:
    """Where the camera stood (estimated), which estimate each angle came from (signal →
    ``2d``, ``world`` or ``mean``) and the faults the view could not judge (code → reason)."""

    azimuth_deg: float | None = None
    off_side_deg: float | None = None
    view_class: str | None = None
    angle_sources: Mapping[str, str] = field(default_factory=dict)
    faults_not_judged: tuple[tuple[str, str], ...] = ()
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"azimuth_deg": self.azimuth_deg, "off_side_deg": self.off_side_deg, "class": self.view_class,
                "angle_sources": dict(self.angle_sources),
                "faults_not_judged": [{"code": c, "reason": r} for c, r in self.faults_not_judged],
                "note": self.note}

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ViewEntry:
        return cls(d.get("azimuth_deg"), d.get("off_side_deg"), d.get("class"), dict(d.get("angle_sources", {})),
                   tuple((n["code"], n.get("reason", "")) for n in d.get("faults_not_judged", [])),
                   d.get("note", ""))


@dataclass(frozen=True)
class Report:
    """A whole report. ``source`` is the input's description (kind, path, fps, frame_count,
    width, height, and when they apply frames_decoded, stride, fps_note); ``frames`` are the
    per-frame records (``FrameEntry``); ``extra`` holds
    the keys other modes add (``live``), kept as they are."""

    complete: bool
    source: Mapping[str, Any]
    pose_backend: str
    exercise: ExerciseInfo
    side: str | None
    note: str
    reps: tuple[RepEntry, ...]
    uncounted: tuple[MovementEntry, ...]
    summary: Summary
    frames: tuple[FrameEntry, ...] = ()
    tool: Mapping[str, str] = field(default_factory=lambda: {"name": "formcheck", "version": ""})
    schema_version: int = SCHEMA_VERSION
    extra: Mapping[str, Any] = field(default_factory=dict)
    # None in reports written before views were estimated.
    view: ViewEntry | None = None

    # -- what writers ask of a report --------------------------------------------------------

    @property
    def per_leg(self) -> bool:
        """Whether reps are counted per leg (kickbacks)."""
        if self.exercise.legs is not None:
            return self.exercise.legs == "each"
        return any(r.leg for r in self.reps)

    @property
    def top_fault(self) -> str | None:
        """The fault code to work on first (see ``top_fault``)."""
        return top_fault(f for r in self.reps for f in r.faults)

    def driving_signal(self) -> str:
        """The signal that drives a rep (``hip_flexion``...), from the report or, for reports
        written before the field existed, from the exercise file (``hip_flexion`` if unknown)."""
        if self.exercise.signal is not None:
            return self.exercise.signal
        return _signal_from_exercise_file(self.exercise.name)

    @property
    def duration_s(self) -> float | None:
        """The source's length (s) from its frame count and fps; None when either is unknown."""
        fps, count = self.source.get("fps"), self.source.get("frame_count")
        return count / fps if fps and count else None

    def prescribed_hold_s(self) -> float | None:
        """The hold at the top the programme asks for (s), read from its prescription."""
        return hold_in_prescription(self.exercise.prescription)

    # -- JSON ------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "schema_version": self.schema_version,
            "tool": dict(self.tool),
            "complete": self.complete,
            "source": dict(self.source),
            "pose_backend": self.pose_backend,
            "exercise": self.exercise.to_json(),
            "side": self.side,
            **({"view": self.view.to_json()} if self.view is not None else {}),
            "note": self.note,
            "reps": [r.to_json() for r in self.reps],
            "uncounted": [m.to_json() for m in self.uncounted],
            "summary": self.summary.to_json(),
            "frames": [f.to_json() for f in self.frames],
        }
        d.update(self.extra)
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Report:
        """The typed report of a report dict. Raises KeyError/TypeError on a dict that is not a
        report; ``reports.load_report`` checks a file's shape first and says what is wrong."""
        known = {"schema_version", "tool", "complete", "source", "pose_backend", "exercise", "side", "note",
                 "reps", "uncounted", "summary", "frames", "view"}
        return cls(
            complete=d.get("complete", True),
            source=dict(d.get("source", {})),
            pose_backend=d.get("pose_backend", ""),
            exercise=ExerciseInfo.from_json(d["exercise"]),
            side=d.get("side"),
            note=d.get("note", ""),
            reps=tuple(RepEntry.from_json(r) for r in d.get("reps", [])),
            uncounted=tuple(MovementEntry.from_json(m) for m in d.get("uncounted", [])),
            summary=Summary.from_json(d.get("summary", {})),
            frames=tuple(FrameEntry.from_json(f) for f in d.get("frames", [])),
            tool=dict(d.get("tool", {"name": "formcheck", "version": ""})),
            schema_version=d.get("schema_version", SCHEMA_VERSION),
            extra={k: v for k, v in d.items() if k not in known},
            view=ViewEntry.from_json(d["view"]) if d.get("view") else None,
        )


def view_line(view: Mapping[str, Any] | ViewEntry | None) -> str:
    """The view in a few words ("front-oblique view, camera about 45° off side-on (estimated)"),
    "" when unknown."""
    if isinstance(view, ViewEntry):
        view = view.to_json()
    if not view or view.get("class") is None or view.get("off_side_deg") is None:
        return ""
    off = abs(view["off_side_deg"])
    where = "side-on" if off < 8 else f"about {off:.0f}° off side-on"
    return f"{view['class']} view, camera {where} (estimated)"


def as_report(report: Report | Mapping[str, Any]) -> Report:
    """``report`` typed: a Report as it is, a report dict through ``Report.from_json``."""
    return report if isinstance(report, Report) else Report.from_json(report)


def hold_in_prescription(text: str) -> float | None:
    """The hold asked for in a prescription such as ``3 × 12–15, hold 2 s at the top`` (s)."""
    marker = "hold "
    if marker in text:
        try:
            return float(text.split(marker, 1)[1].split(" ", 1)[0])
        except ValueError:
            return None
    return None


def _signal_from_exercise_file(name: str) -> str:
    from .errors import ExerciseError
    from .exercise import find_exercise

    try:
        return find_exercise(name).rep.signal
    except ExerciseError:
        return "hip_flexion"
