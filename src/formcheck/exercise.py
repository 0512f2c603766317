"""Exercise definitions: load and check ``exercises/*.toml`` into frozen dataclasses.

An exercise is data. Its file names the camera view it needs, the joint-angle signal that
drives a rep, the rep-detection thresholds (hysteresis, durations), the programme's
prescription, and its fault rules. Every key carries its unit in its name (``_deg``, ``_s``).
Unknown keys, missing keys, wrong types and thresholds out of order are rejected with the
file and key named.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ExerciseError
from .kinematics import PER_SIDE_SIGNALS, SIGNALS

VIEWS = ("side", "any")
DIRECTIONS = ("increase", "decrease")
LEGS = ("camera_side", "each")
PHASES = ("rep", "up", "peak", "down", "lockout")
STATS = ("min", "max", "min_change", "max_change", "ratio_change")
RULE_SIDES = ("working", "other")
# Rep metrics a rule can test, with their units.
METRICS = {"rom_deg": "deg", "hold_s": "s", "up_s": "s", "down_s": "s", "move_s": "s"}
SEVERITIES = ("info", "warning", "major")


def default_exercise_dir() -> Path:
    """The bundled exercises: inside the installed package, or the checkout's exercises/."""
    from .packaged import EXERCISES, data_dir

    return data_dir(EXERCISES)


@dataclass(frozen=True)
class Prescription:
    """What the programme asks for: sets × reps (per leg where ``per_leg``) and a hold at the top."""

    sets: int
    reps_min: int
    reps_max: int
    per_leg: bool
    hold_s: float
    note: str

    def describe(self) -> str:
        reps = f"{self.reps_min}–{self.reps_max}" if self.reps_min != self.reps_max else str(self.reps_min)
        text = f"{self.sets} × {reps}" + (" per leg" if self.per_leg else "")
        if self.hold_s > 0:
            text += f", hold {self.hold_s:g} s at the top"
        return text


@dataclass(frozen=True)
class RepSpec:
    """How a rep is found in the driving signal. Angles in degrees, times in seconds.

    ``direction``: whether the signal rises or falls from the start position to the peak.
    A rep begins when the signal moves ``start_deg`` from the person's own start-position
    baseline (held still in the start range, with the trunk inclined between
    ``start_trunk_min_deg`` and ``start_trunk_max_deg``: lying for a bridge, upright for the
    standing exercises) and ends when it is back within ``end_deg`` of it (``end_deg`` < ``start_deg``:
    hysteresis). A movement counts as a rep when its range reaches ``count_rom_deg``, or
    reaches ``partial_rom_deg`` with a hold of at least ``partial_hold_s`` at its peak
    (a deliberate but short rep); anything smaller is a half rep or a fidget, not counted.
    A rep that stops short of the start position ends once its way back has covered
    ``return_share`` of its own range and the signal turns or holds still, or once a shallow
    dip brought the signal back to the top (see tracker.py).
    With ``start_from_turn``, a rep's range is measured from the turn it left from when that
    lies further back than the start position (a kickback leg drawn forward first, or a leg
    that was the standing leg until this rep).
    """

    signal: str
    direction: str
    legs: str
    start_min_deg: float
    start_max_deg: float
    settle_s: float
    still_tol_deg: float
    start_deg: float
    end_deg: float
    count_rom_deg: float
    partial_rom_deg: float
    partial_hold_s: float
    peak_band_deg: float
    min_rep_s: float
    max_rep_s: float
    max_gap_s: float
    lockout_window_s: float
    return_share: float = 0.5
    start_from_turn: bool = False
    start_trunk_min_deg: float = 0.0
    start_trunk_max_deg: float = 180.0

    @property
    def sign(self) -> float:
        return 1.0 if self.direction == "increase" else -1.0


@dataclass(frozen=True)
class FaultRule:
    """One fault test, run on each counted rep.

    Either ``metric`` (a rep measure such as ``rom_deg``) or ``signal`` + ``phase`` + ``stat``
    (e.g. the minimum of ``hip_flexion`` at the peak, or its largest change from the rep's
    start). The fault is reported when the value is below ``below`` or above ``above``
    (in ``unit``). ``unless`` names faults that, when found on the same rep, make this one
    redundant. ``proxy`` names the measure honestly (what a 2D stand-in stands in for).
    ``fallback``: the rule is judged only on a rep where no rule with the same code that is not
    a fallback could measure (e.g. a landmark proxy standing in where the back's outline was not
    read); such a rule must come before it in the file.

    With ``stat = "ratio_change"`` and ``relative_to`` (another signal), the value is the
    change of ``signal`` divided by the change of ``relative_to``, both from the rep's start to
    the frame of the phase where ``relative_to`` changed most (unit ``ratio``): the person's
    own movement judges itself, e.g. knee bend per degree of hip bend for squat-versus-hinge,
    where an absolute 2D knee angle depends on the build, the load and the view.

    ``max_error_deg`` is the measurement error the rule tolerates (its margin): the fault is
    judged only from camera views whose measured error for the angles it reads is within it
    (``views.py``); None: wherever reps are counted.
    """

    code: str
    message: str
    cue: str
    unit: str
    below: float | None
    above: float | None
    metric: str | None = None
    signal: str | None = None
    phase: str | None = None
    stat: str | None = None
    side: str = "working"
    severity: str = "warning"
    unless: tuple[str, ...] = ()
    proxy: str = ""
    relative_to: str | None = None
    max_error_deg: float | None = None
    fallback: bool = False

    @property
    def threshold(self) -> float:
        return self.below if self.below is not None else self.above  # type: ignore[return-value]

    def violated(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.below is not None and value < self.below:
            return True
        return self.above is not None and value > self.above


@dataclass(frozen=True)
class ExerciseSpec:
    """A whole exercise definition."""

    name: str
    title: str
    summary: str
    view: str
    max_view_ratio: float
    prescription: Prescription
    rep: RepSpec
    faults: tuple[FaultRule, ...]
    path: str
    # The programme exercise this one is done in place of ("" for the programme's own).
    variant_of: str = ""


class _Table:
    """Reads one TOML table, naming the file and the key in every error."""

    def __init__(self, data: Any, where: str, path: Path) -> None:
        if not isinstance(data, dict):
            raise ExerciseError(f"{path}: [{where}] must be a table")
        self.data, self.where, self.path = data, where, path
        self.used: set[str] = set()

    def _key(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _fail(self, key: str, what: str) -> ExerciseError:
        return ExerciseError(f"{self.path}: key '{self._key(key)}' {what}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        self.used.add(key)
        if key not in self.data:
            if default is ...:
                near = difflib.get_close_matches(key, [k for k in self.data if k != key], n=1, cutoff=0.8)
                hint = f" (is '{self._key(near[0])}' a typo for it?)" if near else ""
                raise self._fail(key, "is missing" + hint)
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise self._fail(key, f"must be {names}, got {type(value).__name__} {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise self._fail(key, f"must be a finite number, got {value!r}")
        return value

    def choice(self, key: str, options: tuple[str, ...], default: Any = ...) -> Any:
        value = self.get(key, str, default)
        if value is not None and value not in options:
            raise self._fail(key, f"must be one of {', '.join(options)}; got {value!r}")
        return value

    def positive(self, key: str, default: Any = ..., zero_ok: bool = False) -> float:
        value = self.get(key, float, default)
        if value < 0 or (value == 0 and not zero_ok):
            raise self._fail(key, f"must be {'>= 0' if zero_ok else '> 0'}, got {value:g}")
        return float(value)

    def order(self, low: str, high: str, strict: bool = True) -> None:
        a, b = self.data.get(low), self.data.get(high)
        if a is not None and b is not None and (a >= b if strict else a > b):
            raise ExerciseError(
                f"{self.path}: thresholds out of order: '{self._key(low)}' ({a:g}) must be "
                f"{'below' if strict else 'at most'} '{self._key(high)}' ({b:g})"
            )

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self._fail(unknown[0], f"is not a known key here (known: {', '.join(sorted(self.used))})")


def load_exercise(path: str | Path) -> ExerciseSpec:
    """Read and check one exercise file. Raises ExerciseError naming the file and key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExerciseError(f"{path}: no such exercise file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExerciseError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ExerciseError(f"{path}: invalid TOML ({exc})") from None

    top = _Table(data, "", path)
    name = top.get("name", str)
    if name != path.stem:
        raise ExerciseError(f"{path}: key 'name' is {name!r} but must match the file name {path.stem!r}")
    title = top.get("title", str)
    summary = top.get("summary", str)
    view = top.choice("view", VIEWS)
    max_view_ratio = top.positive("max_view_ratio", 1e9)
    variant_of = top.get("variant_of", str, "")

    p = _Table(top.get("prescription", dict), "prescription", path)
    prescription = Prescription(
        sets=p.get("sets", int), reps_min=p.get("reps_min", int), reps_max=p.get("reps_max", int),
        per_leg=p.get("per_leg", bool), hold_s=p.positive("hold_s", zero_ok=True),
        note=p.get("note", str, ""),
    )
    p.order("reps_min", "reps_max", strict=False)
    if prescription.sets < 1 or prescription.reps_min < 1:
        raise ExerciseError(f"{path}: key 'prescription.sets' and 'prescription.reps_min' must be >= 1")
    p.done()

    r = _Table(top.get("rep", dict), "rep", path)
    rep = RepSpec(
        signal=r.choice("signal", PER_SIDE_SIGNALS),
        direction=r.choice("direction", DIRECTIONS),
        legs=r.choice("legs", LEGS),
        start_min_deg=r.get("start_min_deg", float),
        start_max_deg=r.get("start_max_deg", float),
        settle_s=r.positive("settle_s"),
        still_tol_deg=r.positive("still_tol_deg"),
        start_deg=r.positive("start_deg"),
        end_deg=r.positive("end_deg"),
        count_rom_deg=r.positive("count_rom_deg"),
        partial_rom_deg=r.positive("partial_rom_deg"),
        partial_hold_s=r.positive("partial_hold_s", zero_ok=True),
        peak_band_deg=r.positive("peak_band_deg"),
        min_rep_s=r.positive("min_rep_s"),
        max_rep_s=r.positive("max_rep_s"),
        max_gap_s=r.positive("max_gap_s"),
        lockout_window_s=r.positive("lockout_window_s", 0.0, zero_ok=True),
        return_share=r.positive("return_share", 0.5),
        start_from_turn=r.get("start_from_turn", bool, False),
        start_trunk_min_deg=r.get("start_trunk_min_deg", float, 0.0),
        start_trunk_max_deg=r.get("start_trunk_max_deg", float, 180.0),
    )
    r.order("start_min_deg", "start_max_deg")
    r.order("start_trunk_min_deg", "start_trunk_max_deg")
    r.order("end_deg", "start_deg")
    r.order("start_deg", "partial_rom_deg", strict=False)
    r.order("partial_rom_deg", "count_rom_deg", strict=False)
    r.order("min_rep_s", "max_rep_s")
    if rep.return_share > 1:
        raise ExerciseError(f"{path}: key 'rep.return_share' must be at most 1, got {rep.return_share:g}")
    r.done()

    raw_faults = top.get("faults", list, [])
    faults = tuple(_load_rule(f, i, path) for i, f in enumerate(raw_faults))
    codes = [f.code for f in faults]
    for i, rule in enumerate(faults):
        if rule.fallback and not any(r.code == rule.code and not r.fallback for r in faults[:i]):
            raise ExerciseError(f"{path}: fault '{rule.code}' is a fallback, but no rule for it that is "
                                "not a fallback comes before it")
    for rule in faults:
        for other in rule.unless:
            if other not in codes:
                raise ExerciseError(f"{path}: fault '{rule.code}' key 'unless' names unknown fault {other!r}")
    top.done()
    return ExerciseSpec(name, title, summary, view, max_view_ratio, prescription, rep, faults, str(path),
                        variant_of)


def _load_rule(data: Any, i: int, path: Path) -> FaultRule:
    t = _Table(data, f"faults[{i}]", path)
    code = t.get("code", str)
    t.where = f"faults[{i}] ({code})"
    metric = t.choice("metric", tuple(METRICS), None)
    signal = t.choice("signal", SIGNALS, None)
    if (metric is None) == (signal is None):
        raise ExerciseError(f"{path}: fault '{code}' needs exactly one of 'metric' or 'signal'")
    phase = stat = relative_to = None
    side = "working"
    if signal is not None:
        phase = t.choice("phase", PHASES)
        stat = t.choice("stat", STATS)
        side = t.choice("side", RULE_SIDES, "working")
        relative_to = t.choice("relative_to", SIGNALS, None)
        if (stat == "ratio_change") != (relative_to is not None):
            raise ExerciseError(f"{path}: fault '{code}': 'stat = \"ratio_change\"' and "
                                "'relative_to' go together")
        unit = "ratio" if relative_to is not None else "deg"
    else:
        unit = METRICS[metric]
    below = t.get(f"below_{unit}", float, None)
    above = t.get(f"above_{unit}", float, None)
    rule = FaultRule(
        code=code, message=t.get("message", str), cue=t.get("cue", str), unit=unit,
        below=below, above=above, metric=metric, signal=signal, phase=phase, stat=stat, side=side,
        severity=t.choice("severity", SEVERITIES, "warning"),
        unless=tuple(t.get("unless", list, [])), proxy=t.get("proxy", str, ""),
        relative_to=relative_to, max_error_deg=t.get("max_error_deg", float, None),
        fallback=t.get("fallback", bool, False),
    )
    t.done()
    if rule.max_error_deg is not None and rule.max_error_deg <= 0:
        raise ExerciseError(f"{path}: fault '{code}' key 'max_error_deg' must be > 0, got {rule.max_error_deg:g}")
    if (below is None) == (above is None):
        raise ExerciseError(
            f"{path}: fault '{code}' needs exactly one of 'below_{unit}' or 'above_{unit}'"
        )
    return rule


def exercise_names(directory: Path | None = None) -> list[str]:
    """Names of the exercises defined in ``directory`` (default: the bundled ones)."""
    directory = directory or default_exercise_dir()
    return sorted(p.stem for p in directory.glob("*.toml"))


def find_exercise(name_or_path: str, directory: Path | None = None) -> ExerciseSpec:
    """Load an exercise by name (from ``directory``) or from a path to a .toml file."""
    if name_or_path.endswith(".toml"):
        return load_exercise(Path(name_or_path))
    directory = directory or default_exercise_dir()
    path = directory / f"{name_or_path}.toml"
    if not path.is_file():
        known = ", ".join(exercise_names(directory)) or "none"
        raise ExerciseError(f"unknown exercise {name_or_path!r}; known: {known}")
    return load_exercise(path)
