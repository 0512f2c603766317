"""Reports: the JSON report (schema_version 1) and the terminal table. Files are written atomically.

The JSON report is the one format every other output (HTML, CSV, history) is built from; its
fields are documented in the README under "The JSON report".
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .errors import InputError, OutputError
from .exercise import ExerciseSpec
from .faults import Fault
from .report import SCHEMA_VERSION, Report, as_report, view_line  # noqa: F401  (SCHEMA_VERSION: defined once, on the report model)
from .reps import Movement, Rep
from .session import Analyzer, AnalyzerResult, FrameRecord, Status
from .sources import SourceInfo
from .views import SIDE_KEEPS_2D_DEG, where_to_film
from .world import off_side_deg, view_class

PROXY_NOTE = (
    "Angles are measured from one camera: in the 2D picture, or from the pose model's 3D estimate "
    "where that is more accurate for the view (view.angle_sources). The low back is not a landmark: "
    "lumbar faults are inferred from proxies (hip line, trunk pitch) named with each fault."
)
VIEW_NOTE = (
    "The camera's position is estimated from the pose model's 3D landmarks (azimuth 0 = in front, "
    "90 = the person's left, 180 = behind, 270 = the right; lying down, 0 is at the feet). Which "
    "faults a view can judge comes from errors measured on rendered videos (bench/views.py)."
)


def _num(x: float, nd: int = 2) -> float | None:
    return round(float(x), nd) if x is not None and math.isfinite(x) else None


def _pair(values: tuple[float, float], nd: int = 2) -> dict[str, float | None]:
    return {"left": _num(values[0], nd), "right": _num(values[1], nd)}


def fault_dict(f: Fault) -> dict[str, Any]:
    d = {"code": f.code, "message": f.message, "cue": f.cue, "value": _num(f.value),
         "threshold": _num(f.threshold), "unit": f.unit, "severity": f.severity, "t_s": _num(f.t_s)}
    if f.proxy:
        d["proxy"] = f.proxy
    return d


def rep_dict(r: Rep) -> dict[str, Any]:
    return {
        "index": r.index,
        "leg": r.leg.value if r.leg else None,
        "side": r.side.value,
        "start_s": _num(r.start_s), "top_s": _num(r.top_s), "end_s": _num(r.end_s),
        "range_of_motion_deg": _num(r.rom_deg, 1),
        "tempo": {"up_s": _num(r.up_s), "hold_s": _num(r.hold_s), "down_s": _num(r.down_s)},
        "peak": {k: _num(v, 1) for k, v in r.peak.items()},
        "start": {k: _num(v, 1) for k, v in r.start.items()},
        "good": r.good,
        "faults": [fault_dict(f) for f in r.faults],
        # The video ended after the rep's top: counted, its way down unknown (null, not invented).
        "cut_off": r.cut_off,
        **({"note": r.note} if r.note else {}),
        # Where the camera stood for this rep (when known), and the faults it could not judge.
        **({"view": {"azimuth_deg": _num(r.azimuth_deg, 0), "class": view_class(r.azimuth_deg)}}
           if math.isfinite(r.azimuth_deg) else {}),
        **({"not_judged": list(r.not_judged)} if r.not_judged else {}),
    }


def view_dict(analyzer: AnalyzerResult) -> dict[str, Any]:
    """Where the camera stood (estimated from the 3D world landmarks), which estimate each
    angle came from, and the faults that view could not judge."""
    view = analyzer.view
    not_judged = [{"code": c, "reason": why} for c, why in view.unjudged(analyzer.spec).items()]
    return {
        "azimuth_deg": _num(analyzer.azimuth_deg, 0),
        "off_side_deg": _num(off_side_deg(analyzer.azimuth_deg), 0),
        "class": view_class(analyzer.azimuth_deg),
        "angle_sources": dict(view.sources),
        "faults_not_judged": not_judged,
        "note": VIEW_NOTE,
    }


def movement_dict(m: Movement) -> dict[str, Any]:
    return {"leg": m.leg.value if m.leg else None, "start_s": _num(m.start_s), "end_s": _num(m.end_s),
            "range_of_motion_deg": _num(m.rom_deg, 1), "reason": m.reason}


def frame_dict(f: FrameRecord) -> dict[str, Any]:
    return {
        "t_s": _num(f.t_s, 4), "detected": f.detected, "status": f.status,
        "angles": {
            "hip_flexion_deg": _pair(f.hip_flexion),
            "knee_flexion_deg": _pair(f.knee_flexion),
            "trunk_inclination_deg": _num(f.trunk_inclination),
            "trunk_pitch_deg": _num(f.trunk_pitch),
            # The curve of the back's outline (segmentation mask), null when not read.
            "back_curve_deg": _num(f.back_curve),
        },
    }


def summarize(analyzer: AnalyzerResult) -> dict[str, Any]:
    """Counts, good reps, faults by code, and what the camera saw."""
    reps = analyzer.reps
    spec = analyzer.spec
    faults = Counter(f.code for r in reps for f in r.faults)
    frames = sum(analyzer.status_counts.values())
    seen = frames - analyzer.status_counts.get(Status.NO_PERSON, 0)
    summary: dict[str, Any] = {
        "reps": len(reps),
        "good_reps": sum(1 for r in reps if r.good),
        "faults_by_code": dict(sorted(faults.items())),
        "prescription": spec.prescription.describe(),
        "frames": frames,
        "frames_with_person": seen,
        "frames_by_status": dict(sorted(analyzer.status_counts.items())),
        "warnings": warnings(analyzer),
    }
    if analyzer.per_leg:
        summary["per_leg"] = {leg: n for leg, n in analyzer.counts().items() if leg != "total"}
    return summary


def warnings(analyzer: AnalyzerResult) -> list[str]:
    """Plain words about frames that could not be used."""
    c = analyzer.status_counts
    total = sum(c.values())
    out = []
    if total == 0:
        return ["The source had no frames."]
    if c.get(Status.NO_PERSON, 0) == total:
        return ["Nobody was detected in any frame."]
    seen = total - c.get(Status.NO_PERSON, 0)
    if not analyzer.reps and c.get(Status.SETUP, 0) >= 0.8 * seen:
        spec = analyzer.spec
        out.append(f"The start position of the {spec.title.lower()} was never seen held still "
                   f"(is --exercise {spec.name} the right exercise?).")
    for status, what in ((Status.NO_PERSON, "nobody was in view"),
                         (Status.WRONG_VIEW, "the movement could not be measured from where the camera "
                          f"stood ({where_to_film(analyzer.spec)})"),
                         (Status.OUT_OF_FRAME, "part of the body was out of the picture")):
        share = c.get(status, 0) / total
        if share >= 0.1:
            out.append(f"In {share:.0%} of the frames {what}; nothing was counted there.")
    if analyzer.reps and (caution := analyzer.view.count_warning):
        out.append(caution)
    view = analyzer.view
    if (not analyzer.reps and not out and view.off_side_deg is not None
            and abs(view.off_side_deg) > SIDE_KEEPS_2D_DEG):
        # Off side-on the pose model can lose a movement that runs towards the camera (a lying
        # body seen from near the feet, a leg kicked back at the lens): say so, not just "0".
        out.append(f"No rep was seen from where the camera stood ({view.name} view, "
                   f"{view.step_words}): the pose model may not follow the movement "
                   f"from there; {where_to_film(analyzer.spec)}, as near side-on as you can.")
    return out


def dominant_side(analyzer: AnalyzerResult) -> str | None:
    return analyzer.side.value if analyzer.side else None


def build_report(analyzer: AnalyzerResult | Analyzer, source: SourceInfo | dict[str, Any], backend: str,
                 complete: bool = True) -> dict[str, Any]:
    """The whole JSON report as a dict, from what an analyzer found (or an analyzer's state)."""
    if isinstance(analyzer, Analyzer):
        analyzer = analyzer.result()
    spec: ExerciseSpec = analyzer.spec
    src = source.to_dict() if isinstance(source, SourceInfo) else dict(source)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "formcheck", "version": __version__},
        "complete": complete,
        "source": src,
        "pose_backend": backend,
        "exercise": {"name": spec.name, "title": spec.title,
                     "prescription": spec.prescription.describe(),
                     # What drives a rep, so plots and overlays can be redrawn from the JSON alone.
                     "signal": spec.rep.signal, "direction": spec.rep.direction,
                     "legs": spec.rep.legs},
        "side": dominant_side(analyzer),
        "view": view_dict(analyzer),
        "note": PROXY_NOTE,
        "reps": [rep_dict(r) for r in analyzer.reps],
        "uncounted": [movement_dict(m) for m in analyzer.movements],
        "summary": summarize(analyzer),
        "frames": [frame_dict(f) for f in analyzer.frames],
    }


def check_writable(path: Path, force: bool) -> None:
    """Fail early (before any work) if ``path`` cannot or must not be written."""
    if path.exists() and path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name")
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; add --force to overwrite it")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{parent}: no such folder")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{parent}: cannot write here (permission denied)")


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it; put it straight back
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (str as UTF-8, or bytes) to ``path`` through a temporary file, so no
    half-written file is left. Raises OutputError."""
    parent = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        # mkstemp makes the file private (0600); a report is an ordinary file (0666 - umask).
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            if isinstance(text, str):
                text = text.encode("utf-8")
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(f"{path}: could not be written ({exc.strerror or exc})") from None


def write_json(path: Path, report: dict[str, Any]) -> None:
    write_atomic(path, json.dumps(report, indent=1, allow_nan=False) + "\n")


# Keys a saved report must hold, with their JSON types, for the HTML and CSV to be rebuilt.
_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "source": dict, "exercise": dict, "reps": list, "uncounted": list, "summary": dict,
    "frames": list, "complete": bool,
}
_REQUIRED_REP: dict[str, type | tuple[type, ...]] = {
    "index": int, "start_s": (int, float), "top_s": (int, float), "end_s": (int, float),
    "range_of_motion_deg": (int, float, type(None)), "tempo": dict, "peak": dict,
    "faults": list, "good": bool,
}


def load_report(path: Path) -> dict[str, Any]:
    """Read a JSON report written by ``formcheck analyze`` and check its shape.

    Raises InputError (one line naming the file and what is wrong) when the file cannot be
    read, is not JSON, is not a formcheck report, or has another schema_version.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or "schema_version" not in data:
        raise InputError(f"{path}: not a formcheck report (no 'schema_version')")
    if data["schema_version"] != SCHEMA_VERSION:
        raise InputError(f"{path}: report schema_version {data['schema_version']!r}; this formcheck "
                         f"reads version {SCHEMA_VERSION}")
    _check_keys(path, data, _REQUIRED, "")
    for key in ("name", "title"):
        if not isinstance(data["exercise"].get(key), str):
            raise InputError(f"{path}: 'exercise.{key}' must be a string")
    for i, rep in enumerate(data["reps"]):
        if not isinstance(rep, dict):
            raise InputError(f"{path}: 'reps[{i}]' must be an object")
        _check_keys(path, rep, _REQUIRED_REP, f"reps[{i}].")
        for j, fault in enumerate(rep["faults"]):
            if not isinstance(fault, dict) or not all(isinstance(fault.get(k), str)
                                                      for k in ("code", "message", "cue")):
                raise InputError(f"{path}: 'reps[{i}].faults[{j}]' needs code, message and cue")
    return data


def _check_keys(path: Path, obj: dict[str, Any], required: dict[str, type | tuple[type, ...]],
                where: str) -> None:
    for key, kind in required.items():
        if key not in obj:
            raise InputError(f"{path}: not a complete formcheck report ('{where}{key}' is missing)")
        value = obj[key]
        # bool is an int in Python; a JSON true is never a count or a time here.
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise InputError(f"{path}: '{where}{key}' has the wrong type ({type(value).__name__})")


# -- the terminal --------------------------------------------------------------------------

def _fmt(x: float | None, unit: str = "", nd: int = 0) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    return f"{x:.{nd}f}{unit}"


def render_text(report: Report | Mapping[str, Any]) -> str:
    """The per-rep table, the summary and the cues, for a terminal (from the typed report, or
    a JSON report dict)."""
    typed = as_report(report)
    src, ex, summ = typed.source, typed.exercise, typed.summary
    lines = []
    dur = typed.duration_s
    head = f"{ex.title} · {src['path']} ({src['width']}×{src['height']}, {src['fps']:g} fps"
    head += f", {dur:.1f} s)" if dur else ")"
    lines.append(head)
    if not typed.complete:
        lines.append("INCOMPLETE: the analysis was stopped early; what follows covers the part analysed.")
    view = view_line(typed.view)
    lines.append(f"Camera side: {typed.side or 'unknown'}{'    View: ' + view if view else ''}")
    lines.append(f"Programme: {ex.prescription}")
    lines.append("")
    reps = typed.reps
    if reps:
        per_leg = any(r.leg for r in reps)
        hdr = (f"{'rep':>3} {'leg':<5} {'start':>6} {'top':>6} {'end':>6} {'range':>5} {'up':>5} {'hold':>5} "
               f"{'down':>5} {'hip@top':>7} {'knee@top':>8}  result")
        if not per_leg:
            hdr = hdr.replace(f"{'leg':<5} ", "")
        lines.append(hdr)
        for r in reps:
            t = r.tempo
            codes = ", ".join(f.code for f in r.faults) or "good"
            if r.cut_off:
                codes += " (cut off by the end: way down not seen)"
            if r.note:
                codes += f" ({r.note})"
            row = (f"{r.index:>3} " + (f"{(r.leg or '-'):<5} " if per_leg else "")
                   + f"{_fmt(r.start_s, 's', 1):>6} {_fmt(r.top_s, 's', 1):>6} {_fmt(r.end_s, 's', 1):>6} "
                   f"{_fmt(r.range_of_motion_deg, '°'):>5} {_fmt(t.up_s, 's', 1):>5} {_fmt(t.hold_s, 's', 1):>5} "
                   f"{_fmt(t.down_s, 's', 1):>5} {_fmt(r.peak['hip_flexion_deg'], '°'):>7} "
                   f"{_fmt(r.peak['knee_flexion_deg'], '°'):>8}  {codes}")
            lines.append(row)
    else:
        lines.append("No reps were counted.")
    lines.append("")
    count = f"{summ.reps} reps"
    if summ.per_leg is not None:
        count += " (" + ", ".join(f"{leg} {n}" for leg, n in summ.per_leg.items()) + ")"
    lines.append(f"Reps: {count}; good: {summ.good_reps}")
    if summ.faults_by_code:
        lines.append("Faults: " + ", ".join(f"{c} ×{n}" for c, n in summ.faults_by_code.items()))
    halves = sum(1 for m in typed.uncounted if m.reason.startswith("half rep"))
    if halves:
        lines.append(f"Not counted: {halves} half rep{'s' if halves != 1 else ''} (too little range and no hold).")
    for w in summ.warnings:
        lines.append(f"Warning: {w}")
    for code, reason in typed.view.faults_not_judged if typed.view is not None else ():
        lines.append(f"{code}: {reason}.")
    cues = []
    for r in reps:
        for f in r.faults:
            unit = "°" if f.unit == "deg" else " s"
            cues.append(f"  rep {r.index}: {f.code} ({_fmt(f.value, unit, 1)} vs {_fmt(f.threshold, unit, 1)}): "
                        f"{f.cue}")
            if f.proxy:
                cues.append(f"      measured as: {f.proxy}")
    if cues:
        lines.append("")
        lines.append("What to fix:")
        lines.extend(cues)
    lines.append("")
    lines.append(f"Note: {typed.note}")
    return "\n".join(lines)
