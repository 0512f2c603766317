"""The coaching overlay for live coaching and annotated videos.

Drawing is kept apart from analysis. What to show is gathered into an :class:`OverlayState`
(a frozen snapshot, usually built with :meth:`OverlayState.from_analyzer` right after
``Analyzer.update``); :func:`draw_overlay` and :func:`draw_skeleton` take a BGR image and
return a new one, never changing the image given. Every length is a multiple of
``Layout.unit`` (the shorter image side over 480 px; less for a narrow portrait frame,
whose rows then stack), so a 640×480 and a 1280×720 frame get the same look at their own
size; sizes, colours (:class:`Palette`) and text primitives live in ``layout.py``, the
skeleton in ``skeleton.py``.

Stable API (``analyze --out`` reuses it)::

    state = OverlayState.from_analyzer(analyzer, fps=30.0)   # + set, cue, rest, hold extras
    image = draw_skeleton(frame.image, pose, state.side)       # a new image
    image = draw_overlay(image, state, inplace=True)           # drawn on that new image
    with sinks.open_sink(path, fps) as sink:                    # H.264 MP4 (sinks.py)
        sink.write(image, t_s)

The live window (``Window``, ``check_display``) is in ``window.py``; the video files in ``sinks.py``.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from .coaching import (
    CUE_POSITION,
    PHASE_ACTIVE,
    PHASE_DONE,
    PHASE_POSITION,
    PHASE_REST,
    Gauge,
    OverlayState,
)
from .layout import DEGREE, Layout, Palette

# Under the names the drawing below calls (tests wrap _text and _panel to find every box drawn).
from .layout import clock_text as _clock
from .layout import fit_text as _fit
from .layout import panel as _panel
from .layout import put_text as _text
from .layout import text_size as _text_size
from .layout import wrap_text as _wrap
from .skeleton import MIN_DRAW_VISIBILITY, draw_skeleton

__all__ = ["MIN_DRAW_VISIBILITY", "Layout", "Palette", "draw_overlay", "draw_skeleton"]

# The gauge's tallest (in layout units): the height of a 640×480 frame's.
GAUGE_MAX_HEIGHT_UNITS = 330.0


# -- the overlay ----------------------------------------------------------------------------------


def draw_overlay(
    image_bgr: np.ndarray, state: OverlayState, *, inplace: bool = False
) -> np.ndarray:
    """A copy of ``image_bgr`` (H×W×3 uint8) with the coaching overlay for ``state`` drawn on it.

    Top bar: exercise, set, hold timer, fps. Left: the rep counter. Right: the driving
    angle's gauge. Bottom: the last rep's verdict and the current cue. In the middle, when
    they apply: the get-into-position checklist, the rest timer, the end summary, "paused".
    ``inplace=True`` draws on ``image_bgr`` itself and returns it (an image just made by
    ``draw_skeleton`` need not be copied again: 1–2 ms a frame at 1280×720).
    Raises ValueError for an image that is not H×W×3 uint8.
    """
    if image_bgr.ndim != 3 or image_bgr.shape[2] != 3 or image_bgr.dtype != np.uint8:
        raise ValueError(
            f"expected an H×W×3 uint8 image, got shape {image_bgr.shape} {image_bgr.dtype}"
        )
    img = image_bgr if inplace else image_bgr.copy()
    lay = Layout.for_image(img.shape[1], img.shape[0])
    top = _draw_top_bar(img, lay, state)
    bottom = _draw_bottom(img, lay, state)
    left, counter_bottom = _draw_counter(img, lay, state, top)
    right = lay.width
    if state.gauge is not None and state.phase in (PHASE_ACTIVE, PHASE_POSITION):
        right = _draw_gauge(img, lay, state.gauge, top, bottom)
    if math.isfinite(state.hold_s) and state.hold_target_s > 0 and state.phase == PHASE_ACTIVE:
        _draw_hold(img, lay, state, top, left, right, counter_bottom)
    if state.phase == PHASE_DONE and state.summary:
        _draw_center_box(
            img, lay, "Session summary", [(s, Palette.TEXT) for s in state.summary], top, bottom
        )
    elif state.phase == PHASE_REST:
        _draw_rest(img, lay, state, top, bottom)
    elif state.phase == PHASE_POSITION and state.checklist:
        items = [
            (("[x] " if ok else "[ ] ") + label, Palette.GOOD if ok else Palette.TEXT_DIM)
            for label, ok in state.checklist
        ]
        _draw_center_box(img, lay, "Get into position", items, top, bottom)
    if state.paused:
        keys = ["space: carry on", "r: start over", "q: quit"]
        _draw_center_box(img, lay, "Paused", [(k, Palette.TEXT) for k in keys], top, bottom)
    return img


def _draw_top_bar(img: np.ndarray, lay: Layout, state: OverlayState) -> int:
    """The bar across the top; returns its bottom edge (px). The title, the set and the
    fps share one line when they fit, else each part that does not fit goes on a line of its
    own (a portrait frame: title, then set and fps); a title wider than the frame is cut."""
    m = lay.px(8)
    s, t = lay.body, lay.stroke(lay.body)
    ss, st = lay.small, lay.stroke(lay.small)
    _, h, base = _text_size("Hg", s, t)
    line_h = h + base + lay.px(4)
    room = lay.width - 2 * m
    gap = lay.px(16)
    title = _fit(state.title, s, t, room)
    set_text = f"Set {state.set_index}/{state.sets_total}" if state.set_index > 0 else ""
    bits = []
    if math.isfinite(state.fps):
        bits.append(f"{state.fps:.0f} fps")
    if math.isfinite(state.latency_ms):
        bits.append(f"{state.latency_ms:.0f} ms")
    right = "  ".join(bits)
    tw = _text_size(title, s, t)[0]
    sw = _text_size(f"  |  {set_text}", s, t)[0] if set_text else 0
    rw = _text_size(right, ss, st)[0] if right else 0
    # Lines of (left text, right text); the set joins the title when both fit.
    if tw + sw + (gap + rw if rw else 0) <= room:
        lines = [(title + (f"  |  {set_text}" if set_text else ""), right)]
    elif tw + sw <= room:
        lines = [(title + (f"  |  {set_text}" if set_text else ""), ""), ("", right)]
    else:
        lines = [(title, ""), (set_text, right)]
    lines = [ln for ln in lines if ln[0] or ln[1]]
    bar_h = len(lines) * line_h - lay.px(4) + 2 * m
    _panel(img, 0, 0, lay.width, bar_h)
    for i, (left, r) in enumerate(lines):
        y = m + h + i * line_h
        if left:
            _text(img, left, (m, y), s, Palette.TEXT, t)
        if r:
            _text(img, r, (lay.width - m - _text_size(r, ss, st)[0], y), ss, Palette.TEXT_DIM, st)
    return bar_h


def _draw_hold(
    img: np.ndarray,
    lay: Layout,
    state: OverlayState,
    bar_h: int,
    left: int,
    right: int,
    counter_bottom: int,
) -> None:
    """The hold timer under the top bar, centred where the counter and gauge leave room:
    seconds held at the top of the rep against the programme's hold. When that room is too
    narrow (a portrait frame) it goes under the counter instead, smaller if it must."""
    done = state.hold_s >= state.hold_target_s
    color = Palette.GOOD if done else Palette.ACCENT
    text = f"HOLD {state.hold_s:.1f} / {state.hold_target_s:g} s"
    m = lay.px(6)
    gap = lay.px(8)
    s, t = lay.large, lay.stroke(lay.large)
    w, h, base = _text_size(text, s, t)
    box_w = w + 2 * m
    x0 = (lay.width - box_w) // 2
    y0 = bar_h + lay.px(8)
    if x0 < left + gap or x0 + box_w > right - gap:
        x0 = (left + right - box_w) // 2
        if x0 < left + gap or x0 + box_w > right - gap:
            # No room beside the counter: under it, from the left edge.
            x0, y0 = lay.px(8), counter_bottom + gap
            if x0 + box_w > right - gap:
                s, t = lay.body, lay.stroke(lay.body)
                w, h, base = _text_size(text, s, t)
                box_w = w + 2 * m
    bar = lay.px(7)
    _panel(img, x0, y0, x0 + box_w, y0 + h + base + 2 * m + bar)
    _text(img, text, (x0 + m, y0 + m + h), s, color, t)
    by = y0 + h + base + m + m // 2
    frac = min(1.0, state.hold_s / state.hold_target_s)
    cv2.rectangle(img, (x0 + m, by), (x0 + m + w, by + bar), Palette.GAUGE_TRACK, -1)
    cv2.rectangle(img, (x0 + m, by), (x0 + m + round(w * frac), by + bar), color, -1)


def _draw_counter(img: np.ndarray, lay: Layout, state: OverlayState, top: int) -> tuple[int, int]:
    """The rep counter at the top left; returns its right and bottom edges (px)."""
    m = lay.px(8)
    big, bt = lay.huge, lay.stroke(lay.huge)
    lab, lt = lay.small, lay.stroke(lay.small)
    _, bh, _ = _text_size("0", big, bt)
    _, lh, lbase = _text_size("Hg", lab, lt)
    target = f"/{state.rep_target}" if state.rep_target else ""
    cols = []
    for label, n in state.counts:
        name = label.upper()
        num_w = _text_size(str(n), big, bt)[0]
        tgt_w = _text_size(target, lay.body, lay.stroke(lay.body))[0] if target else 0
        cols.append((name, str(n), num_w, tgt_w, max(_text_size(name, lab, lt)[0], num_w + tgt_w)))
    gap = lay.px(16)
    width = sum(c[4] for c in cols) + gap * (len(cols) - 1) + 2 * m
    height = lh + lbase + bh + 3 * m
    x0, y0 = m, top + m
    _panel(img, x0, y0, x0 + width, y0 + height)
    x = x0 + m
    for name, num, num_w, _tgt_w, col_w in cols:
        _text(img, name, (x, y0 + m + lh), lab, Palette.TEXT_DIM, lt)
        ny = y0 + 2 * m + lh + lbase + bh
        _text(img, num, (x, ny), big, Palette.TEXT, bt)
        if target:
            _text(
                img,
                target,
                (x + num_w + lay.px(3), ny),
                lay.body,
                Palette.TEXT_DIM,
                lay.stroke(lay.body),
            )
        x += col_w + gap
    return x0 + width, y0 + height


def _draw_gauge(img: np.ndarray, lay: Layout, g: Gauge, top: int, bottom: int) -> int:
    """A vertical bar on the right: 0 (start position) at the bottom, the band in green, the
    zone past the band's limit in red, a tick where a rep begins. Returns its left edge (px)."""
    m = lay.px(8)
    s, t = lay.small, lay.stroke(lay.small)
    _, h, base = _text_size("Hg", s, t)
    value = f"{g.value_deg:.0f}{DEGREE}" if math.isfinite(g.value_deg) else "--"
    label_w = max(
        _text_size(g.label, s, t)[0], _text_size(value, lay.body, lay.stroke(lay.body))[0]
    )
    bar_w = lay.px(16)
    box_w = max(label_w, bar_w) + 2 * m
    x1 = lay.width - m
    x0 = x1 - box_w
    y0 = top + m
    # In a tall frame the gauge would run down most of it: no taller than it is useful.
    y1 = min(bottom - m, y0 + lay.px(GAUGE_MAX_HEIGHT_UNITS))
    if y1 - y0 < lay.px(120):
        return lay.width  # too little room (a very wide, short image): no gauge, not a cramped one
    _panel(img, x0, y0, x1, y1)
    _text(img, g.label, (x0 + m, y0 + m + h), s, Palette.TEXT_DIM, t)
    bh = _text_size("Hg", lay.body, lay.stroke(lay.body))[1]
    _text(
        img,
        value,
        (x0 + m, y0 + 2 * m + h + base + bh),
        lay.body,
        Palette.TEXT,
        lay.stroke(lay.body),
    )
    bx0 = x0 + (box_w - bar_w) // 2
    bx1 = bx0 + bar_w
    by0 = y0 + 3 * m + h + base + bh + base
    by1 = y1 - m
    scale = g.scale_deg
    if not (scale > 0 and by1 - by0 > lay.px(20)):
        return x0

    def y_of(deg: float) -> int:
        f = min(max(deg / scale, 0.0), 1.0)
        return round(by1 - f * (by1 - by0))

    cv2.rectangle(img, (bx0, by0), (bx1, by1), Palette.GAUGE_TRACK, -1)
    if math.isnan(g.band_hi_deg):
        return x0  # the start position is not known yet: no band to show against
    hi = g.band_hi_deg if math.isfinite(g.band_hi_deg) else scale
    if math.isfinite(g.band_hi_deg):
        cv2.rectangle(img, (bx0, by0), (bx1, y_of(hi)), Palette.GAUGE_OVER, -1)
    cv2.rectangle(img, (bx0, y_of(hi)), (bx1, y_of(g.band_lo_deg)), Palette.GAUGE_BAND, -1)
    ys = y_of(g.start_deg)
    cv2.line(img, (bx0, ys), (bx1, ys), Palette.TEXT_DIM, lay.px(1.5))
    p = g.progress_deg
    if math.isfinite(p):
        yp = y_of(p)
        color = (
            Palette.GAUGE_OVER
            if p > hi
            else Palette.GAUGE_BAND
            if p >= g.band_lo_deg
            else Palette.TEXT
        )
        tri = lay.px(7)
        pts = np.array(
            [
                [bx0 - tri - lay.px(2), yp - tri],
                [bx0 - lay.px(2), yp],
                [bx0 - tri - lay.px(2), yp + tri],
            ],
            np.int32,
        )
        cv2.fillConvexPoly(img, pts, color, cv2.LINE_AA)
        cv2.line(img, (bx0 - lay.px(2), yp), (bx1 + lay.px(2), yp), Palette.SHADOW, lay.px(5))
        cv2.line(img, (bx0 - lay.px(2), yp), (bx1 + lay.px(2), yp), Palette.TEXT, lay.px(2.5))
    return x0


def _draw_bottom(img: np.ndarray, lay: Layout, state: OverlayState) -> int:
    """The cue banner and, above it, the last rep's verdict; returns their top edge (px)."""
    m = lay.px(8)
    y = lay.height
    cue = state.cue or (state.advice if state.phase == PHASE_POSITION else state.view_note)
    kind = state.cue_kind if state.cue else CUE_POSITION
    if cue:
        s, t = lay.body, lay.stroke(lay.body)
        _, h, base = _text_size("Hg", s, t)
        accent = lay.px(6)
        lines = _wrap(cue, s, t, lay.width - 2 * m - accent - m)
        line_h = h + base + lay.px(4)
        box_h = len(lines) * line_h + 2 * m - lay.px(4)
        y0 = y - box_h
        _panel(img, 0, y0, lay.width, y, alpha=0.72)
        cv2.rectangle(img, (0, y0), (accent, y), Palette.CUE.get(kind, Palette.INFO), -1)
        for i, line in enumerate(lines):
            _text(img, line, (accent + m, y0 + m + h + i * line_h), s, Palette.TEXT, t)
        y = y0
    if state.last_rep is not None:
        v = state.last_rep
        s, t = lay.body, lay.stroke(lay.body)
        _, h, base = _text_size("Hg", s, t)
        who = f"Rep {v.index}" + (f" ({v.leg})" if v.leg else "") + ": "
        rom = f"   {v.rom_deg:.0f}{DEGREE} range"
        if state.hold_target_s > 0:
            rom += f", held {v.hold_s:.1f} s"
        box_h = h + base + 2 * m
        y0 = y - box_h - (m if y < lay.height else 0)
        color = Palette.GOOD if v.good else Palette.SEVERITY.get(v.severity, Palette.WARN)
        dot = lay.px(6)
        total = (
            3 * dot
            + _text_size(who, s, t)[0]
            + _text_size(v.text, s, t)[0]
            + _text_size(rom, lay.small, lay.stroke(lay.small))[0]
            + 3 * m
        )
        lines = [v.text]
        if total > lay.width - 2 * m:
            rom = ""
            total = 3 * dot + _text_size(who, s, t)[0] + _text_size(v.text, s, t)[0] + 3 * m
        if total > lay.width - 2 * m:
            # Still too wide (a portrait frame): the verdict wraps under "Rep N:".
            room = lay.width - 2 * m - (3 * dot + _text_size(who, s, t)[0] + 3 * m)
            lines = _wrap(v.text, s, t, room, max_lines=2)
            total = lay.width - 2 * m
        line_h = h + base + lay.px(4)
        box_h += (len(lines) - 1) * line_h
        y0 = y - box_h - (m if y < lay.height else 0)
        _panel(img, m, y0, m + total, y0 + box_h)
        cy = y0 + m + h // 2 + base // 2
        cv2.circle(img, (m + m + dot, cy), dot, color, -1, cv2.LINE_AA)
        x = m + 2 * m + 2 * dot + dot
        x += _text(img, who, (x, y0 + m + h), s, Palette.TEXT_DIM, t)
        for i, line in enumerate(lines):
            end = x + _text(img, line, (x, y0 + m + h + i * line_h), s, color, t)
        if rom:
            _text(img, rom, (end, y0 + m + h), lay.small, Palette.TEXT_DIM, lay.stroke(lay.small))
        y = y0
    return y


def _draw_center_box(
    img: np.ndarray,
    lay: Layout,
    title: str,
    items: list[tuple[str, tuple[int, int, int]]],
    top: int,
    bottom: int,
) -> None:
    m = lay.px(10)
    ts, tt = lay.large, lay.stroke(lay.large)
    s, t = lay.body, lay.stroke(lay.body)
    _, th, tbase = _text_size("Hg", ts, tt)
    _, h, base = _text_size("Hg", s, t)
    max_w = lay.width - 2 * lay.px(110)
    lines: list[tuple[str, tuple[int, int, int]]] = []
    for text, color in items:
        lines += [(ln, color) for ln in _wrap(text, s, t, max_w, max_lines=2)]
    line_h = h + base + lay.px(5)
    w = max([_text_size(title, ts, tt)[0]] + [_text_size(ln, s, t)[0] for ln, _ in lines]) + 2 * m
    box_h = th + tbase + m + len(lines) * line_h + 2 * m
    x0 = (lay.width - w) // 2
    y0 = max(top + m, (top + bottom - box_h) // 2)
    _panel(img, x0, y0, x0 + w, y0 + box_h, alpha=0.75)
    _text(img, title, (x0 + m, y0 + m + th), ts, Palette.ACCENT, tt)
    y = y0 + m + th + tbase + m + h
    for text, color in lines:
        _text(img, text, (x0 + m, y), s, color, t)
        y += line_h


def _draw_rest(img: np.ndarray, lay: Layout, state: OverlayState, top: int, bottom: int) -> None:
    """The rest timer between sets: ``set_index`` is the set just done."""
    m = lay.px(12)
    big, bt = lay.huge, lay.stroke(lay.huge)
    s, t = lay.body, lay.stroke(lay.body)
    left = state.rest_left_s if math.isfinite(state.rest_left_s) else 0.0
    clock = _clock(left)
    head = f"Set {max(1, state.set_index)} done: rest"
    nxt = f"Next: set {state.set_index + 1} of {state.sets_total}" if state.sets_total else ""
    _, bh, bbase = _text_size(clock, big, bt)
    _, h, base = _text_size("Hg", s, t)
    w = (
        max(_text_size(clock, big, bt)[0], _text_size(head, s, t)[0], _text_size(nxt, s, t)[0])
        + 2 * m
    )
    box_h = h + base + bh + bbase + h + base + 3 * m
    x0 = (lay.width - w) // 2
    y0 = max(top + m, (top + bottom - box_h) // 2)
    _panel(img, x0, y0, x0 + w, y0 + box_h, alpha=0.75)
    _text(img, head, (x0 + (w - _text_size(head, s, t)[0]) // 2, y0 + m + h), s, Palette.TEXT, t)
    cy = y0 + m + h + base + m + bh
    _text(img, clock, (x0 + (w - _text_size(clock, big, bt)[0]) // 2, cy), big, Palette.ACCENT, bt)
    if nxt:
        _text(
            img,
            nxt,
            (x0 + (w - _text_size(nxt, s, t)[0]) // 2, cy + bbase + m + h),
            s,
            Palette.TEXT_DIM,
            t,
        )
