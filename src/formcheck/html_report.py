"""``report.html``: one self-contained page built from the typed report (``report.Report``).

Plots are SVG and thumbnails JPEG, both embedded as data URIs; the stylesheet and the little
script that seeks the video are inline. Nothing is fetched when the page is opened. The only
reference out of the file is the annotated video next to it (``<video src=...>``), which the
page works without.

The page is rendered with a Jinja2 template (``templates/report.html.j2``) with autoescaping
on, so text from the report (file names, messages) can never break the markup.
"""

from __future__ import annotations

import base64
import functools
import math
import os
from collections import Counter
from collections.abc import Mapping
from statistics import median
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from . import __version__, plots
from .media import Media, Thumbnail  # noqa: F401  (Thumbnail: for callers that build a Media)
from .report import FaultEntry, RepEntry, Report, as_report, view_line


def _num(x: Any, unit: str = "", nd: int = 0) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    return f"{float(x):.{nd}f}{unit}"


def clock(t_s: float | None) -> str:
    """Seconds as ``m:ss.s`` (a video player's clock)."""
    if t_s is None:
        return "–"
    m, s = divmod(max(float(t_s), 0.0), 60.0)
    return f"{int(m)}:{s:04.1f}"


def _unit(unit: str) -> str:
    return {"deg": "°", "s": " s"}.get(unit, f" {unit}" if unit else "")


def nice_code(code: str) -> str:
    return code.replace("_", " ")


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _fault_view(rep: RepEntry, f: FaultEntry) -> dict[str, Any]:
    unit = _unit(f.unit)
    below = f.value is not None and f.threshold is not None and f.value < f.threshold
    return {
        "code": f.code,
        "label": nice_code(f.code),
        "severity": f.severity,
        "message": f.message,
        "cue": f.cue,
        "proxy": f.proxy,
        "measured": (
            f"{_num(f.value, unit, 1)} (limit: {'at least' if below else 'at most'} "
            f"{_num(f.threshold, unit, 1)})"
        )
        if f.value is not None
        else "",
        "t_s": rep.fault_time(f),
        "clock": clock(rep.fault_time(f)),
    }


def build_context(report: Report | Mapping[str, Any], media: Media) -> dict[str, Any]:
    """Everything the template shows, as display strings (the template does no arithmetic)."""
    typed = as_report(report)
    src, ex, summ = typed.source, typed.exercise, typed.summary
    reps = typed.reps
    per_leg = typed.per_leg
    fps = src.get("fps")
    duration = typed.duration_s
    good = [r for r in reps if r.good]
    roms = [r.range_of_motion_deg for r in reps if r.range_of_motion_deg is not None]
    good_roms = [r.range_of_motion_deg for r in good if r.range_of_motion_deg is not None]
    faults = Counter(f.code for r in reps for f in r.faults)
    severity = {f.code: f.severity for r in reps for f in r.faults}
    top_code = typed.top_fault
    top_fault = (top_code, faults[top_code]) if top_code is not None else None
    thumbs = media.thumbnails or {}

    count_text = str(len(reps))
    if per_leg and summ.per_leg is not None:
        count_text += " (" + " · ".join(f"{leg} {n}" for leg, n in summ.per_leg.items()) + ")"
    cards = [
        {
            "label": "Reps counted",
            "value": count_text,
            "sub": f"programme: {ex.prescription}",
        },
        {
            "label": "Good reps",
            "value": f"{len(good)} of {len(reps)}",
            "sub": f"{100 * len(good) / len(reps):.0f} % without a fault" if reps else "no reps",
        },
        {
            "label": "Range of motion",
            "value": _num(median(good_roms) if good_roms else None, "°"),
            "sub": (
                f"median of good reps; all reps {min(roms):.0f}–{max(roms):.0f}°"
                if roms
                else "no reps"
            ),
        },
        {
            # With every fault seen once, "most common" would be a coin toss: say which is worst.
            "label": "Most common fault"
            if not top_fault or top_fault[1] > 1 or len(faults) == 1
            else "Most serious fault",
            "value": nice_code(top_fault[0]) if top_fault else "none",
            "sub": f"{top_fault[1]} rep{'s' if top_fault[1] != 1 else ''}"
            if top_fault
            else "every rep was good",
        },
    ]

    rows = []
    fixes = []
    for r in reps:
        t = r.tempo
        fv = [_fault_view(r, f) for f in r.faults]
        row = {
            "index": r.index,
            "leg": r.leg or "",
            "start": clock(r.start_s),
            "end": clock(r.end_s),
            "t_s": r.start_s,
            "rom": _num(r.range_of_motion_deg, "°"),
            "up": _num(t.up_s, " s", 1),
            "hold": _num(t.hold_s, " s", 1),
            "down": _num(t.down_s, " s", 1),
            "hip": _num(r.peak.get("hip_flexion_deg"), "°"),
            "knee": _num(r.peak.get("knee_flexion_deg"), "°"),
            "good": not fv,
            "faults": fv,
        }
        rows.append(row)
        worst = r.worst_fault
        if worst is not None:
            thumb = thumbs.get(r.index)
            fixes.append(
                {
                    **row,
                    "worst": _fault_view(r, worst),
                    "thumb": thumb.data_uri() if thumb else None,
                    "thumb_clock": clock(thumb.t_s) if thumb else "",
                }
            )

    uncounted = [
        {
            "start": clock(m.start_s),
            "end": clock(m.end_s),
            "t_s": m.start_s,
            "leg": m.leg or "",
            "rom": _num(m.range_of_motion_deg, "°"),
            "reason": m.reason,
        }
        for m in typed.uncounted
    ]

    signal = typed.driving_signal()
    view = typed.view
    return {
        "title": f"{ex.title} – {os.path.basename(str(src.get('path', '')))}",
        "exercise": ex,
        "source": dict(src),
        "complete": typed.complete,
        "source_line": (
            f"{src.get('path', '')} · {src.get('width', '?')}×{src.get('height', '?')}"
            f" · {_num(fps, ' fps', 3 if fps and fps % 1 else 0)}"
            + (f" · {clock(duration)}" if duration else "")
        ),
        "side": typed.side or "unknown",
        "per_leg": per_leg,
        "signal": plots.NICE_SIGNAL.get(signal, signal),
        "cards": cards,
        "rows": rows,
        "fixes": fixes,
        "uncounted": uncounted,
        "faults_by_code": [
            {"label": nice_code(c), "count": n, "severity": severity[c]}
            for c, n in sorted(faults.items(), key=lambda kv: -kv[1])
        ],
        "warnings": list(summ.warnings),
        "view_line": view_line(view),
        "not_judged": [{"label": nice_code(code), "reason": reason.removeprefix("not judged ")}
                       for code, reason in (view.faults_not_judged if view is not None else ())],
        "timeline_svg": _svg_uri(plots.timeline_svg(typed)) if typed.frames else None,
        "reps_svg": _svg_uri(plots.reps_svg(typed)) if reps else None,
        "video_name": media.video_name,
        "missing": media.missing,
        "note": typed.note,
        "version": typed.tool.get("version", __version__),
        "backend": typed.pose_backend,
    }


@functools.cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("formcheck", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: Report | Mapping[str, Any], media: Media | None = None) -> str:
    """The whole ``report.html`` text for ``report`` (the typed report, or a JSON report dict
    as built or loaded)."""
    return _env().get_template("report.html.j2").render(**build_context(report, media or Media()))
