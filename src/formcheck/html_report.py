"""``report.html``: one self-contained page built from the JSON report (schema_version 1).

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
from statistics import median
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from . import __version__, plots
from .media import Media, Thumbnail  # noqa: F401  (Thumbnail: for callers that build a Media)
from .report import as_report, fault_time, most_serious, view_line


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


def _fault_view(rep: dict[str, Any], f: dict[str, Any]) -> dict[str, Any]:
    unit = _unit(f.get("unit", ""))
    below = (
        f.get("value") is not None
        and f.get("threshold") is not None
        and f["value"] < f["threshold"]
    )
    return {
        "code": f["code"],
        "label": nice_code(f["code"]),
        "severity": f.get("severity", "warning"),
        "message": f["message"],
        "cue": f["cue"],
        "proxy": f.get("proxy", ""),
        "measured": (
            f"{_num(f.get('value'), unit, 1)} (limit: {'at least' if below else 'at most'} "
            f"{_num(f.get('threshold'), unit, 1)})"
        )
        if f.get("value") is not None
        else "",
        "t_s": fault_time(rep, f),
        "clock": clock(fault_time(rep, f)),
    }


def build_context(report: dict[str, Any], media: Media) -> dict[str, Any]:
    """Everything the template shows, as display strings (the template does no arithmetic)."""
    src, ex, summ = report["source"], report["exercise"], report["summary"]
    reps = report["reps"]
    typed = as_report(report)
    per_leg = typed.per_leg
    fps, count = src.get("fps"), src.get("frame_count")
    duration = count / fps if fps and count else None
    good = [r for r in reps if r.get("good", not r["faults"])]
    roms = [r["range_of_motion_deg"] for r in reps if r["range_of_motion_deg"] is not None]
    good_roms = [r["range_of_motion_deg"] for r in good if r["range_of_motion_deg"] is not None]
    faults = Counter(f["code"] for r in reps for f in r["faults"])
    severity = {f["code"]: f.get("severity", "warning") for r in reps for f in r["faults"]}
    top_code = typed.top_fault
    top_fault = (top_code, faults[top_code]) if top_code is not None else None
    thumbs = media.thumbnails or {}

    count_text = str(len(reps))
    if per_leg and "per_leg" in summ:
        count_text += " (" + " · ".join(f"{leg} {n}" for leg, n in summ["per_leg"].items()) + ")"
    cards = [
        {
            "label": "Reps counted",
            "value": count_text,
            "sub": f"programme: {ex.get('prescription', '')}",
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
        t = r["tempo"]
        fv = [_fault_view(r, f) for f in r["faults"]]
        row = {
            "index": r["index"],
            "leg": r.get("leg") or "",
            "start": clock(r["start_s"]),
            "end": clock(r["end_s"]),
            "t_s": r["start_s"],
            "rom": _num(r["range_of_motion_deg"], "°"),
            "up": _num(t.get("up_s"), " s", 1),
            "hold": _num(t.get("hold_s"), " s", 1),
            "down": _num(t.get("down_s"), " s", 1),
            "hip": _num(r["peak"].get("hip_flexion_deg"), "°"),
            "knee": _num(r["peak"].get("knee_flexion_deg"), "°"),
            "good": not fv,
            "faults": fv,
        }
        rows.append(row)
        worst = most_serious(r["faults"])
        if worst is not None:
            thumb = thumbs.get(r["index"])
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
            "start": clock(m["start_s"]),
            "end": clock(m["end_s"]),
            "t_s": m["start_s"],
            "leg": m.get("leg") or "",
            "rom": _num(m.get("range_of_motion_deg"), "°"),
            "reason": m["reason"],
        }
        for m in report.get("uncounted", [])
    ]

    signal = typed.driving_signal()
    return {
        "title": f"{ex['title']} – {os.path.basename(str(src.get('path', '')))}",
        "exercise": ex,
        "source": src,
        "complete": report.get("complete", True),
        "source_line": (
            f"{src.get('path', '')} · {src.get('width', '?')}×{src.get('height', '?')}"
            f" · {_num(fps, ' fps', 3 if fps and fps % 1 else 0)}"
            + (f" · {clock(duration)}" if duration else "")
        ),
        "side": report.get("side") or "unknown",
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
        "warnings": summ.get("warnings", []),
        "view_line": view_line(report.get("view")),
        "not_judged": [{"label": nice_code(n["code"]), "reason": n["reason"].removeprefix("not judged ")}
                       for n in (report.get("view") or {}).get("faults_not_judged", [])],
        "timeline_svg": _svg_uri(plots.timeline_svg(report)) if report["frames"] else None,
        "reps_svg": _svg_uri(plots.reps_svg(report)) if reps else None,
        "video_name": media.video_name,
        "missing": media.missing,
        "note": report.get("note", ""),
        "version": report.get("tool", {}).get("version", __version__),
        "backend": report.get("pose_backend", ""),
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


def render_html(report: dict[str, Any], media: Media | None = None) -> str:
    """The whole ``report.html`` text for ``report`` (a JSON report dict, as built or loaded)."""
    return _env().get_template("report.html.j2").render(**build_context(report, media or Media()))
