"""Overlay drawing on synthetic images: draws on a copy, scales with resolution, stays legible."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from formcheck.coaching import (
    PHASE_ACTIVE,
    PHASE_DONE,
    PHASE_POSITION,
    PHASE_REST,
    Gauge,
    OverlayState,
    RepVerdict,
    fault_label,
    position_advice,
    position_checklist,
    target_band,
)
from formcheck.exercise import find_exercise
from formcheck.kinematics import JointAngles
from formcheck.landmarks import N_LANDMARKS, Landmark, PoseFrame, Side
from formcheck.render import Layout, draw_overlay, draw_skeleton
from formcheck.session import Analyzer, Status

SIZES = [(640, 480), (1280, 720)]


def white(w: int, h: int) -> np.ndarray:
    return np.full((h, w, 3), 255, np.uint8)


def busy_state(**changes: object) -> OverlayState:
    """A state with every element on: counter, gauge in the band, hold, verdict, a long cue."""
    state = OverlayState(
        title="Glute bridge",
        status=Status.MOVING,
        phase=PHASE_ACTIVE,
        side=Side.LEFT,
        counts=(("reps", 7),),
        rep_target=12,
        set_index=2,
        sets_total=3,
        gauge=Gauge("left hip", -3.0, 38.0, 8.0, 24.0, 52.0),
        hold_s=1.2,
        hold_target_s=2.0,
        cue="Lift with your glutes, keep your ribs down: stop when shoulders, hips and knees "
        "line up.",
        cue_kind="fault",
        last_rep=RepVerdict(6, None, False, "Lumbar overextension", "major", 44.0, 2.1),
        fps=29.8,
        latency_ms=41.0,
    )
    return dataclasses.replace(state, **changes)


def dark_rows_from_top(img: np.ndarray, x: int) -> int:
    """How many rows from the top of column ``x`` are darkened by a panel."""
    col = img[:, x].astype(int).sum(axis=1)
    return int(np.argmax(col > 3 * 250)) if (col > 3 * 250).any() else img.shape[0]


@pytest.mark.parametrize(("w", "h"), SIZES)
def test_draws_on_a_copy(w, h):
    img = white(w, h)
    out = draw_overlay(img, busy_state())
    assert out is not img and out.shape == img.shape and out.dtype == np.uint8
    assert (img == 255).all(), "the input image was changed"
    assert (out != 255).any(), "nothing was drawn"


def test_sizes_scale_with_resolution():
    small = draw_overlay(white(640, 480), busy_state(fps=math.nan, latency_ms=math.nan))
    large = draw_overlay(white(1280, 720), busy_state(fps=math.nan, latency_ms=math.nan))
    # The top bar, measured in the last column (no text there): 1.5 times as tall at 720p.
    bar_small, bar_large = dark_rows_from_top(small, 639), dark_rows_from_top(large, 1279)
    assert bar_small > 10
    assert bar_large == pytest.approx(1.5 * bar_small, abs=2)
    # So is the cue banner at the bottom (two lines at both sizes).
    cue_small = dark_rows_from_top(small[::-1], 639)
    cue_large = dark_rows_from_top(large[::-1], 1279)
    assert cue_small > 2 * bar_small * 0.8
    assert cue_large == pytest.approx(1.5 * cue_small, abs=3)


@pytest.mark.parametrize(
    ("w", "h", "min_body_px", "min_small_px"), [(640, 480, 13, 10), (1280, 720, 19, 15)]
)
def test_text_is_legible(w, h, min_body_px, min_small_px):
    import cv2

    lay = Layout.for_image(w, h)
    for scale, least in ((lay.body, min_body_px), (lay.small, min_small_px)):
        (_, cap), _ = cv2.getTextSize("H", cv2.FONT_HERSHEY_DUPLEX, scale, lay.stroke(scale))
        assert cap >= least
        assert lay.stroke(scale) >= 1


def test_layout_unit_follows_the_shorter_side_and_narrow_frames_get_smaller_text():
    assert Layout.for_image(640, 480).unit == 1.0
    assert Layout.for_image(1280, 720).unit == 1.5
    assert Layout.for_image(1920, 1080).unit == 2.25
    # Portrait: the widest row (counter, hold, gauge) must still fit across.
    assert Layout.for_image(720, 1280).unit == pytest.approx(720 / 560)
    assert Layout.for_image(360, 640).unit == pytest.approx(360 / 560)
    with pytest.raises(ValueError, match="positive image size"):
        Layout.for_image(0, 480)


@pytest.mark.parametrize(("w", "h"), [(160, 120), (480, 640), (1920, 1080), (1280, 200)])
@pytest.mark.parametrize("phase", [PHASE_POSITION, PHASE_ACTIVE, PHASE_REST, PHASE_DONE])
def test_any_size_and_phase_draws_without_error(w, h, phase):
    state = busy_state(
        phase=phase,
        rest_left_s=42.0,
        paused=phase == PHASE_REST,
        summary=("Set 1: 12 reps, 10 good", "Faults: too_fast x2"),
        checklist=position_checklist(Status.OUT_OF_FRAME),
    )
    out = draw_overlay(white(w, h), state)
    assert out.shape == (h, w, 3)


def test_unknown_values_are_drawn_as_unknown():
    state = busy_state(
        gauge=Gauge("left hip", math.nan, math.nan, 8.0, 24.0, math.nan),
        hold_s=math.nan,
        fps=math.nan,
        latency_ms=math.nan,
        last_rep=None,
        cue="",
        counts=(("left", 0), ("right", 0)),
    )
    draw_overlay(white(640, 480), state)


def test_bad_image_is_refused():
    with pytest.raises(ValueError, match="H×W×3 uint8"):
        draw_overlay(np.zeros((48, 64), np.uint8), busy_state())


def test_unknown_phase_is_refused():
    with pytest.raises(ValueError, match="phase"):
        busy_state(phase="warming up")


@pytest.mark.parametrize(
    ("exercise", "baseline", "lo", "hi"),
    [
        ("glute_bridge", 40.0, 24.0, 52.0),  # hips may rise 12° past the shoulder–knee line
        ("hip_hinge", 0.0, 55.0, 92.0),  # from standing to the rounded-back limit
        ("standing_glute_kickback", 15.0, 22.0, 43.0),  # leg back to -28°
        ("glute_bridge", math.nan, 24.0, math.nan),  # before the start position is known
    ],
)
def test_target_band(exercise, baseline, lo, hi):
    got_lo, got_hi = target_band(find_exercise(exercise), baseline)
    assert got_lo == lo
    assert (math.isnan(got_hi) and math.isnan(hi)) or got_hi == pytest.approx(hi)


def test_state_from_a_fresh_analyzer_asks_for_position():
    analyzer = Analyzer(find_exercise("standing_glute_kickback"))
    state = OverlayState.from_analyzer(analyzer, fps=30.0, set_index=1, sets_total=3)
    assert state.phase == PHASE_POSITION
    assert state.counts == (("left", 0), ("right", 0))
    assert state.checklist[0] == ("In the picture", False)
    assert state.advice == Status.MESSAGES[Status.NO_PERSON]
    assert state.fps == 30.0 and state.set_index == 1
    draw_overlay(white(640, 480), state)


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        (("feet",), "Step back so your feet are visible."),
        (("knees", "feet"), "Step back so your knees and feet are in the picture."),
    ],
)
def test_position_advice_names_what_is_missing(missing, expected):
    angles = JointAngles(0.0, True, side=Side.LEFT, missing=missing)
    assert position_advice(Status.OUT_OF_FRAME, angles) == expected
    assert position_advice(Status.WRONG_VIEW, angles) == Status.MESSAGES[Status.WRONG_VIEW]


def test_checklist_passes_in_order():
    assert [ok for _, ok in position_checklist(Status.NO_PERSON)] == [False] * 4
    assert [ok for _, ok in position_checklist(Status.OUT_OF_FRAME)] == [True, True, False, False]
    assert [ok for _, ok in position_checklist(Status.READY)] == [True] * 4


def test_fault_label():
    assert fault_label("insufficient_rom") == "Insufficient range"
    assert fault_label("lumbar_overextension") == "Lumbar overextension"


def side_pose(w: int = 640, h: int = 480) -> PoseFrame:
    """A pose with every landmark visible on a diagonal line, the left hip at the centre."""
    image = np.zeros((N_LANDMARKS, 4))
    image[:, 0] = np.linspace(0.2, 0.8, N_LANDMARKS)
    image[:, 1] = np.linspace(0.2, 0.8, N_LANDMARKS)
    image[:, 3] = 0.9
    image[Landmark.LEFT_HIP, :2] = (0.5, 0.5)
    return PoseFrame(0.0, w, h, image)


@pytest.mark.parametrize(("w", "h"), SIZES)
def test_skeleton_is_drawn_on_a_copy_around_the_hip(w, h):
    img = white(w, h)
    out = draw_skeleton(img, side_pose(), Side.LEFT, other_leg=True)
    assert (img == 255).all()
    near_hip = out[h // 2 - 20 : h // 2 + 20, w // 2 - 20 : w // 2 + 20]
    assert (near_hip != 255).any()


def test_skeleton_without_a_pose_draws_nothing():
    img = white(64, 48)
    out = draw_skeleton(img, PoseFrame(0.0, 64, 48), None)
    assert out is not img and (out == 255).all()


# -- the display check ----------------------------------------------------------------------


def test_no_display_variable_is_refused_with_a_hint():
    from formcheck.errors import DisplayError
    from formcheck.window import check_display

    with pytest.raises(DisplayError, match="--no-window"):
        check_display({}, "linux")
    with pytest.raises(DisplayError, match="Wayland"):
        check_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    with pytest.raises(DisplayError, match="does not answer"):
        check_display({"DISPLAY": ":977"}, "linux")
    with pytest.raises(DisplayError, match="does not answer"):
        check_display({"DISPLAY": "garbage"}, "linux")
    check_display({}, "darwin")  # other platforms always have a display


def test_a_display_that_answers_passes():
    """An X server is faked by listening on the abstract socket X clients try."""
    import socket

    from formcheck.window import check_display

    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind("\0/tmp/.X11-unix/X978")
        server.listen(1)
        check_display({"DISPLAY": ":978.0"}, "linux")
    finally:
        server.close()


def test_inplace_drawing_reuses_the_image():
    img = white(640, 480)
    out = draw_overlay(img, busy_state(), inplace=True)
    assert out is img and (img != 255).any()
    frame = white(640, 480)
    drawn = draw_skeleton(frame, side_pose(), Side.LEFT, inplace=True)
    assert drawn is frame and (frame != 255).any()


# -- layout: nothing overlaps or leaves the frame, from portrait phones to 1080p ------------

LAYOUT_SIZES = [(360, 640), (406, 720), (480, 480), (640, 480), (720, 1280), (1280, 720), (1920, 1080)]


def _drawn_boxes(monkeypatch, w: int, h: int, state: OverlayState):
    """Draw ``state`` at w×h; return the text boxes and the side panels (x0, y0, x1, y1)."""
    from formcheck import render

    texts, panels = [], []
    real_text, real_panel = render._text, render._panel

    def text(img, s, org, scale, color, thick, outline=False):
        width = real_text(img, s, org, scale, color, thick, outline)
        _, cap, base = render._text_size(s, scale, thick)
        texts.append((s, (org[0], org[1] - cap, org[0] + width, org[1] + base)))
        return width

    def panel(img, x0, y0, x1, y1, alpha=0.62, color=render.Palette.PANEL):
        if alpha < 0.75:  # 0.75: the boxes meant to sit over everything (checklist, rest, summary)
            panels.append((x0, y0, x1, y1))
        return real_panel(img, x0, y0, x1, y1, alpha, color)

    monkeypatch.setattr(render, "_text", text)
    monkeypatch.setattr(render, "_panel", panel)
    draw_overlay(white(w, h), state)
    return texts, panels


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(("w", "h"), LAYOUT_SIZES, ids=[f"{w}x{h}" for w, h in LAYOUT_SIZES])
@pytest.mark.parametrize("per_leg", [False, True], ids=["reps", "per-leg"])
def test_nothing_overlaps_or_runs_off_the_frame(monkeypatch, w, h, per_leg):
    state = busy_state(
        title="Standing glute kickback" if per_leg else "Glute bridge",
        per_leg=per_leg,
        counts=(("left", 7), ("right", 12)) if per_leg else (("reps", 12),),
        last_rep=RepVerdict(6, "left" if per_leg else None, False, "Lumbar overextension, Too fast",
                            "major", 44.0, 2.1),
    )
    texts, panels = _drawn_boxes(monkeypatch, w, h, state)
    assert {"HOLD 1.2 / 2 s", "Set 2/3"} <= {t for t, _ in texts} | {
        t.split("|")[-1].strip() for t, _ in texts}
    for text, box in texts:
        assert box[0] >= 0 and box[1] >= 0 and box[2] <= w and box[3] <= h, (text, box)
    for i, (ta, a) in enumerate(texts):
        for tb, b in texts[i + 1 :]:
            assert not _overlap(a, b), f"{ta!r} overlaps {tb!r}"
    # The top bar spans the width; the other panels (counter, hold, gauge, verdict, cue) are apart.
    for i, a in enumerate(panels):
        assert a[0] >= 0 and a[2] <= w, a
        for b in panels[i + 1 :]:
            assert not _overlap(a, b), f"panel {a} overlaps {b}"
