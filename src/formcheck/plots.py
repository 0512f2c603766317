"""Charts for the HTML report and the history, drawn with matplotlib's object API (no pyplot,
so no global backend or figure state is touched) from the JSON report alone.

Every function returns the encoded image (SVG text or PNG bytes); nothing is written here.
Colours live in ``COLORS``; the HTML stylesheet uses the same ones.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .report import RepEntry, Report, as_report

COLORS = {
    "left": "#1f6fb4",  # the person's left leg / side
    "right": "#d9730d",
    "good": "#2e9e4f",
    "fault": "#d93a3a",
    "uncounted": "#9a9a9a",
    "major": "#b3171d",
    "warning": "#e07b00",
    "info": "#5b6b7b",
    "knee": "#7a4fb3",
    "trunk": "#0f8a8a",
    "text": "#1d2329",
    "grid": "#d9dde2",
}
# Fault names in the timeline: the first row's top and the step between rows (axes fraction).
FAULT_ROW_TOP = 0.89
FAULT_ROW_STEP = 0.085

# Text as glyph paths: the SVG looks the same in every browser, with or without its fonts.
_RC: dict[str, Any] = {
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same metrics everywhere
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "axes.edgecolor": "#888888",
    "axes.grid": True,
    "grid.color": COLORS["grid"],
    "grid.linewidth": 0.8,
    "legend.fontsize": 11,
    "legend.frameon": False,
}


def _style(extra: dict[str, Any] | None = None) -> AbstractContextManager[None]:
    """matplotlib settings for formcheck's charts, for the ``with`` block only."""
    # matplotlib types rc keys as a Literal of every known name; a plain dict is fine at run time.
    settings: Any = {**_RC, **(extra or {})}
    return rc_context(settings)


NICE_SIGNAL = {
    "hip_flexion": "hip flexion",
    "knee_flexion": "knee flexion",
    "thigh_to_vertical": "thigh to vertical",
    "trunk_pitch": "trunk pitch",
    "trunk_inclination": "trunk inclination",
}


@dataclass(frozen=True)
class Series:
    """One angle over time: times in seconds, values in degrees (NaN where not seen)."""

    label: str
    t_s: np.ndarray
    deg: np.ndarray
    color: str


def _frame_array(report: Report, key: str, side: str | None) -> np.ndarray:
    out = np.full(len(report.frames), np.nan)
    for i, f in enumerate(report.frames):
        v = f.angle(key, side)
        if v is not None:
            out[i] = v
    return out


def frame_times(report: Report | Mapping[str, Any]) -> np.ndarray:
    return np.array([float(f.t_s) for f in as_report(report).frames], dtype=float)


def driving_series(report: Report | Mapping[str, Any]) -> list[Series]:
    """The driving angle: both legs for per-leg exercises, else the side facing the camera."""
    report = as_report(report)
    t = frame_times(report)
    signal = report.driving_signal()
    key = f"{signal}_deg"
    if not report.frames or key not in report.frames[0].angles:
        key, signal = "hip_flexion_deg", "hip_flexion"  # the frames hold hip and knee only
    name = NICE_SIGNAL.get(signal, signal)
    if report.per_leg:
        return [
            Series(f"{name}, {s} leg", t, _frame_array(report, key, s), COLORS[s])
            for s in ("left", "right")
        ]
    side = report.side or "left"
    return [Series(f"{name} ({side} side)", t, _frame_array(report, key, side), COLORS[side])]


def support_series(report: Report | Mapping[str, Any]) -> list[Series]:
    """The angles most faults test besides the driving one: knee bend and trunk pitch."""
    report = as_report(report)
    t = frame_times(report)
    out = []
    if report.per_leg:
        for s, style in (("left", COLORS["left"]), ("right", COLORS["right"])):
            out.append(
                Series(f"knee flexion, {s}", t, _frame_array(report, "knee_flexion_deg", s), style)
            )
    else:
        side = report.side or "left"
        out.append(
            Series(
                f"knee flexion ({side})",
                t,
                _frame_array(report, "knee_flexion_deg", side),
                COLORS["knee"],
            )
        )
    out.append(
        Series(
            "trunk pitch (+ forward)",
            t,
            _frame_array(report, "trunk_pitch_deg", None),
            COLORS["trunk"],
        )
    )
    return out


def _duration(report: Report) -> float:
    t_end = float(report.frames[-1].t_s) if report.frames else 0.0
    if report.duration_s:
        t_end = max(t_end, report.duration_s)
    for r in report.reps:
        t_end = max(t_end, float(r.end_s))
    return max(t_end, 1.0)


def _rep_label(rep: RepEntry) -> str:
    return f"{rep.index}{(rep.leg or '')[:1].upper()}"


def _value_at(series: Series, t: float) -> float:
    if series.t_s.size == 0:
        return math.nan
    i = int(np.clip(np.searchsorted(series.t_s, t), 0, series.t_s.size - 1))
    return float(series.deg[i])


def _shade_reps(ax: Axes, report: Report, label_y: float | None) -> None:
    reps = report.reps
    for m in report.uncounted:
        if any(r.start_s < m.end_s and m.start_s < r.end_s for r in reps):  # type: ignore[operator]
            continue  # the other leg moving along with a counted rep: shown by that rep
        ax.axvspan(m.start_s, m.end_s, color=COLORS["uncounted"], alpha=0.18, lw=0)  # type: ignore[arg-type]
    for r in reps:
        color = COLORS["good"] if r.good else COLORS["fault"]
        ax.axvspan(r.start_s, r.end_s, color=color, alpha=0.16, lw=0)
        if label_y is not None:
            ax.text(
                (r.start_s + r.end_s) / 2,
                label_y,
                _rep_label(r),
                ha="center",
                va="top",
                fontsize=12,
                fontweight="bold",
                color=color,
                transform=ax.get_xaxis_transform(),
            )


def _to_svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.08)
    return buf.getvalue()


def timeline_svg(report: Report | Mapping[str, Any]) -> str:
    """The driving angle over the whole recording (top) and knee/trunk angles (bottom), with
    each counted rep shaded (green good, red faulty, numbered; L/R for the leg), uncounted
    movements in grey, and each fault marked where it was worst. Returns SVG text."""
    report = as_report(report)
    with _style():
        fig = Figure(figsize=(9.4, 5.4))  # plus the legend on the right: as wide as reps_svg
        top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
        drive = driving_series(report)
        for s in drive:
            top.plot(s.t_s, s.deg, color=s.color, lw=1.8, label=s.label)
        _shade_reps(top, report, label_y=0.98)
        marked = set()
        duration = _duration(report)
        # Fault names sit in horizontal rows above the curves; a name that would run into the
        # one before it in a row moves down a row (about 1 % of the time axis per letter).
        row_ends: list[float] = []
        for r in report.reps:
            leg_series = next((s for s in drive if r.leg and r.leg in s.label), drive[0])
            for f in r.faults:
                t = r.fault_time(f)
                sev = f.severity
                color = COLORS.get(sev, COLORS["warning"])
                for ax in (top, bottom):
                    ax.axvline(t, color=color, lw=1.2, ls="--", alpha=0.9)
                y = _value_at(leg_series, t)
                if math.isfinite(y):
                    top.plot(
                        [t],
                        [y],
                        marker="v" if sev == "major" else "o",
                        ms=9,
                        color=color,
                        mec="white",
                        mew=1.2,
                        zorder=5,
                    )
                text = f.code.replace("_", " ")
                row = next((i for i, end in enumerate(row_ends) if end < t), len(row_ends))
                end = t + duration * 0.0105 * (len(text) + 2)
                row_ends[row : row + 1] = [end]
                top.text(
                    t,
                    FAULT_ROW_TOP - FAULT_ROW_STEP * row,
                    " " + text,
                    transform=top.get_xaxis_transform(),
                    ha="left",
                    va="top",
                    fontsize=10.5,
                    color=color,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.5},
                )
                marked.add(sev)
        rows = max(len(row_ends), 1)
        signal = report.driving_signal()
        top.set_ylabel(f"{NICE_SIGNAL.get(signal, signal)} (°)")
        top.set_title(f"{report.exercise.title}: driving angle over time", loc="left")
        # Room above the curves for the rep numbers and the rows of fault names.
        lo, hi = top.get_ylim()
        free = 1.0 - (FAULT_ROW_TOP - FAULT_ROW_STEP * (rows + 0.3))
        top.set_ylim(lo, hi + (hi - lo) * free / (1.0 - free))
        for s in support_series(report):
            bottom.plot(
                s.t_s,
                s.deg,
                color=s.color,
                lw=1.4,
                label=s.label,
                ls="-" if "knee" in s.label else (0, (5, 2)),
            )
        _shade_reps(bottom, report, label_y=None)
        bottom.set_ylabel("angle (°)")
        bottom.set_xlabel("time in the video (s)")
        bottom.set_xlim(0, _duration(report))
        handles: list[Artist] = [
            Patch(color=COLORS["good"], alpha=0.35, label="good rep"),
            Patch(color=COLORS["fault"], alpha=0.35, label="rep with a fault"),
            Patch(color=COLORS["uncounted"], alpha=0.35, label="not counted"),
        ]
        handles += [
            Line2D(
                [],
                [],
                color=COLORS[s],
                ls="--",
                marker="v" if s == "major" else "o",
                label=f"{s} fault",
            )
            for s in ("major", "warning", "info")
            if s in marked
        ]
        top.legend(
            handles=top.get_legend_handles_labels()[0] + handles,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            borderaxespad=0.4,
        )
        bottom.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), borderaxespad=0.4)
        fig.align_ylabels([top, bottom])
        return _to_svg(fig)


def reps_svg(report: Report | Mapping[str, Any]) -> str:
    """Per-rep bars: range of motion (left, with the median of the good reps dashed) and tempo
    (right: up, hold at the top, down, stacked, in seconds). Returns SVG text."""
    report = as_report(report)
    reps = report.reps
    with _style():
        fig = Figure(figsize=(11.5, 3.6))
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1]})
        x = np.arange(len(reps))
        labels = [_rep_label(r) for r in reps]
        colors = [COLORS["good"] if r.good else COLORS["fault"] for r in reps]
        rom = np.array(
            [np.nan if r.range_of_motion_deg is None else r.range_of_motion_deg for r in reps],
            dtype=float,
        )
        left.bar(x, np.nan_to_num(rom), color=colors, width=0.7)
        for xi, v in zip(x, rom, strict=True):
            if math.isfinite(v):
                left.text(xi, v, f"{v:.0f}°", ha="center", va="bottom", fontsize=11)
        good = rom[[bool(r.good) for r in reps]] if reps else rom
        good = good[np.isfinite(good)]
        if good.size:
            med = float(np.median(good))
            left.axhline(
                med,
                color=COLORS["text"],
                ls="--",
                lw=1.1,
                label=f"median of the good reps: {med:.0f}°",
            )
            left.legend(loc="upper right")
        left.set_title("Range of motion per rep", loc="left")
        left.set_ylabel("degrees")
        if rom.size and np.isfinite(rom).any():
            left.set_ylim(0, float(np.nanmax(rom)) * 1.35)  # headroom for labels and legend
        tempo = {
            k: np.array([np.nan_to_num(getattr(r.tempo, f"{k}_s") or 0.0) for r in reps])
            for k in ("up", "hold", "down")
        }
        bottom = np.zeros(len(reps))
        for k, shade in (("up", "#6f9fd8"), ("hold", "#f2b84b"), ("down", "#8c6bb1")):
            right.bar(x, tempo[k], bottom=bottom, color=shade, width=0.7, label=k)
            bottom = bottom + tempo[k]
        hold_goal = report.prescribed_hold_s()
        if hold_goal:
            right.axhline(
                hold_goal,
                color=COLORS["text"],
                ls=":",
                lw=1.2,
                label=f"hold asked for: {hold_goal:g} s",
            )
        right.set_title("Tempo per rep (s): up · hold at the top · down", loc="left")
        right.set_ylabel("seconds")
        right.legend(loc="upper right", ncols=2)
        if reps:
            right.set_ylim(0, float(bottom.max()) * 1.3 + 0.1)
        for ax in (left, right):
            ax.set_xticks(x, labels)
            ax.set_xlabel("rep" + (" (L/R = leg)" if report.per_leg else ""))
            ax.grid(axis="x", visible=False)
        return _to_svg(fig)


@dataclass(frozen=True)
class ProgressPoint:
    """One session in a progress plot: when, range of motion of its reps (°), good-rep share."""

    when: datetime
    rom_mean_deg: float
    rom_min_deg: float
    rom_max_deg: float
    good_ratio: float
    reps: int


def progress_png(
    by_exercise: Mapping[str, Sequence[ProgressPoint]], titles: Mapping[str, str]
) -> bytes:
    """Sessions over time, one panel per exercise: mean range of motion with the session's
    smallest and largest rep as whiskers (left axis, °) and the share of good reps as bars
    (right axis, %). Returns PNG bytes. Raises ValueError when there is nothing to plot."""
    names = [n for n, pts in by_exercise.items() if pts]
    if not names:
        raise ValueError("expected at least one session to plot, got none")
    with _style({"axes.grid": False}):
        fig = Figure(figsize=(10, 3.4 * len(names)), layout="constrained")
        axes = fig.subplots(len(names), 1, squeeze=False)[:, 0]
        for ax, name in zip(axes, names, strict=True):
            pts = sorted(by_exercise[name], key=lambda p: p.when)
            when = [p.when for p in pts]
            share = ax.twinx()
            # Bars a bit narrower than the closest two sessions, so they never overlap.
            gaps = np.diff([w.timestamp() for w in when]) / 86400.0
            width = float(min(0.8, 0.6 * gaps[gaps > 0].min())) if (gaps > 0).any() else 0.8
            share.bar(
                when,
                [100 * p.good_ratio for p in pts],
                width=width,
                color=COLORS["good"],
                alpha=0.25,
                label="good reps (%)",
            )
            share.set_ylim(0, 105)
            share.set_ylabel("good reps (%)", color=COLORS["good"])
            mean = np.array([p.rom_mean_deg for p in pts])
            err = np.array(
                [
                    [p.rom_mean_deg - p.rom_min_deg for p in pts],
                    [p.rom_max_deg - p.rom_mean_deg for p in pts],
                ]
            )
            ax.errorbar(
                when,
                mean,
                yerr=np.nan_to_num(err),
                color=COLORS["left"],
                marker="o",
                capsize=4,
                lw=1.8,
                label="range of motion (°), mean and min–max",
            )
            ax.set_zorder(share.get_zorder() + 1)
            ax.patch.set_visible(False)
            ax.set_ylabel("range of motion (°)", color=COLORS["left"])
            # From zero: a change of a few degrees should look like what it is.
            top = max(p.rom_max_deg for p in pts if math.isfinite(p.rom_max_deg))
            ax.set_ylim(0, top * 1.2 if top > 0 else 1.0)
            ax.set_title(
                f"{titles.get(name, name)}: {len(pts)} session{'s' if len(pts) != 1 else ''}",
                loc="left",
            )
            ax.grid(axis="y", color=COLORS["grid"])
            locator = AutoDateLocator()
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
            lines, labels = ax.get_legend_handles_labels()
            bars, blabels = share.get_legend_handles_labels()
            ax.legend(
                lines + bars,
                labels + blabels,
                loc="lower right",
                bbox_to_anchor=(1.0, 1.0),
                ncols=2,
                fontsize=10,
                borderaxespad=0.2,
            )
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110)
        return buf.getvalue()
