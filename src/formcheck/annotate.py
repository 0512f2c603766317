"""The annotated video and the thumbnails of faulty reps: the output use of cv2 for files.

The video is made in a second pass over the source, after the analysis, because a fault is
known only when its rep has ended, yet its banner belongs on the frames where it happened.
The pass streams: one decoded frame at a time, drawn and encoded, plus the landmarks of every
frame kept from the analysis (``LandmarkTrack``, ~0.5 KB a frame). The thumbnails of the worst
moment of each faulty rep are taken from the same pass, so the video is decoded only once more.

Output is WebM with VP8. The opencv wheels bundle an FFmpeg built without any H.264 encoder
(x264 is GPL, OpenH264 is not included), so ``avc1``/``H264`` cannot be opened; VP8 is in the
wheel (libvpx), is royalty-free, and every current browser plays WebM VP8 in ``<video>``.

Drawing: ``draw_overlay_local`` is a stand-in for ``render.py`` (being written on the live
branch); the annotated video calls it through ``OverlayDrawer`` so the switch is one line.
"""

from __future__ import annotations

import bisect
import contextlib
import math
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from .errors import InputError, OutputError
from .html_report import Thumbnail
from .landmarks import Landmark, PoseFrame, Side
from .plots import driving_signal, fault_time, per_leg, worst_fault
from .sources import open_source

VIDEO_NAME = "annotated.webm"
# VP8 in WebM: see the module docstring for why not H.264.
VIDEO_FOURCC = "VP80"
THUMB_WIDTH_PX = 360
THUMB_JPEG_QUALITY = 82
# Thumbnails are cropped to the person with this margin (share of their size on each side),
# but never to less than this share of the frame's width (a close-up loses the context).
THUMB_MARGIN = 0.15
THUMB_MIN_SHARE = 0.5
# A fault's banner shows from shortly before its worst moment until a little after its rep
# ends (or for BANNER_MIN_S, whichever is later), so it is on screen long enough to read.
BANNER_BEFORE_S = 0.5
BANNER_AFTER_REP_S = 0.5
BANNER_MIN_S = 2.0

# BGR colours of the overlay (one place; the HTML and plots use the same hues).
COLOR = {
    "near": (60, 220, 255),  # the side facing the camera / the working leg
    "far": (170, 170, 170),
    "joint": (255, 255, 255),
    "good": (79, 158, 46),
    "fault": (58, 58, 217),
    "major": (29, 23, 179),
    "warning": (0, 123, 224),
    "info": (123, 107, 91),
    "panel": (30, 30, 30),
    "text": (255, 255, 255),
    "muted": (200, 200, 200),
    "uncounted": (150, 150, 150),
}

_LIMB_PARTS = (
    ("shoulder", "elbow"),
    ("elbow", "wrist"),
    ("shoulder", "hip"),
    ("hip", "knee"),
    ("knee", "ankle"),
    ("ankle", "heel"),
    ("heel", "foot_index"),
    ("ankle", "foot_index"),
)
_ACROSS = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
)
# Landmarks less visible than this are not drawn (MediaPipe rates a hidden far leg ~0.2).
DRAW_MIN_VISIBILITY = 0.1


def _side_lm(side: Side, part: str) -> Landmark:
    return Landmark[f"{side.name}_{part.upper()}"]


# -- the landmarks of every frame, kept from the analysis ----------------------------------


class LandmarkTrack:
    """Image landmarks (33 × [x, y, z, visibility], normalised) of each analysed frame, by time.

    ``keep`` passes PoseFrames through unchanged while recording them, so it can wrap the
    analysis stream. ``at(t_ms)`` gives the landmarks of the frame nearest ``t_ms`` if it is
    within half a frame, else None.
    """

    def __init__(self) -> None:
        self._t_ms: list[float] = []
        self._lm: list[np.ndarray | None] = []

    def __len__(self) -> int:
        return len(self._t_ms)

    def add(self, pose: PoseFrame) -> None:
        if self._t_ms and pose.timestamp_ms <= self._t_ms[-1]:
            return  # the analyzer ignores repeated or backwards time; so does the track
        self._t_ms.append(float(pose.timestamp_ms))
        self._lm.append(None if pose.image is None else pose.image.astype(np.float32))

    def keep(self, poses: Iterable[PoseFrame]) -> Iterator[PoseFrame]:
        for pose in poses:
            self.add(pose)
            yield pose

    def at(self, t_ms: float, tolerance_ms: float) -> np.ndarray | None:
        i = _nearest(self._t_ms, t_ms)
        if i is None or abs(self._t_ms[i] - t_ms) > tolerance_ms:
            return None
        return self._lm[i]


def _nearest(sorted_values: list[float], x: float) -> int | None:
    if not sorted_values:
        return None
    i = bisect.bisect_left(sorted_values, x)
    if i == len(sorted_values):
        return i - 1
    if i > 0 and x - sorted_values[i - 1] <= sorted_values[i] - x:
        return i - 1
    return i


# -- what the overlay says at each moment ---------------------------------------------------


@dataclass(frozen=True)
class Banner:
    """A fault shown on the video: the rep, the fault's words, its severity."""

    rep: int
    leg: str | None
    code: str
    cue: str
    severity: str


@dataclass(frozen=True)
class OverlayState:
    """Everything the overlay shows on one frame, besides the picture.

    ``landmarks``: 33 × 4 normalised image landmarks, or None. ``near_side``: the side drawn
    bright (the working leg or the side facing the camera). ``angle_text``: the driving angle,
    e.g. ``"hip flexion 38"`` with ``angle_deg`` its value (NaN when unseen). ``rep_text``:
    the rep under way (``"Rep 3 (left)"``) or empty; ``count_text``: reps so far.
    ``banners``: faults to show now. ``note``: a grey line (a movement not counted, a status).
    ``progress``: where this frame is in the video (0..1), with ``segments`` (start, end,
    kind) of reps along the bar; both are left out of thumbnails.
    """

    landmarks: np.ndarray | None
    near_side: Side | None
    angle_text: str
    angle_deg: float
    rep_text: str
    count_text: str
    banners: tuple[Banner, ...] = ()
    note: str = ""
    progress: float | None = None
    segments: tuple[tuple[float, float, str], ...] = ()


class OverlayTimeline:
    """Answers "what does the overlay say at time t?" from a finished JSON report."""

    def __init__(self, report: dict[str, Any]) -> None:
        self.report = report
        self.per_leg = per_leg(report)
        self.signal = driving_signal(report)
        self.label = self.signal.replace("_", " ")
        self._frame_t = [float(f["t_s"]) for f in report["frames"]]
        self.duration_s = max(
            [self._frame_t[-1] if self._frame_t else 0.0]
            + [float(r["end_s"]) for r in report["reps"]]
            + (
                [report["source"]["frame_count"] / report["source"]["fps"]]
                if report["source"].get("fps") and report["source"].get("frame_count")
                else []
            )
        )
        self._reps = sorted(report["reps"], key=lambda r: r["start_s"])
        self._banners: list[tuple[float, float, Banner]] = []
        for r in self._reps:
            for f in r["faults"]:
                t = fault_time(r, f)
                start = t - BANNER_BEFORE_S
                end = max(float(r["end_s"]) + BANNER_AFTER_REP_S, start + BANNER_MIN_S)
                self._banners.append(
                    (
                        start,
                        end,
                        Banner(
                            r["index"],
                            r.get("leg"),
                            f["code"],
                            f["cue"],
                            f.get("severity", "warning"),
                        ),
                    )
                )
        counted = [(r["start_s"], r["end_s"]) for r in self._reps]
        # Movements of the other leg alongside a counted rep are not news on the video.
        self._uncounted = [
            m
            for m in report.get("uncounted", [])
            if not any(s < m["end_s"] and m["start_s"] < e for s, e in counted)
        ]
        self._segments = (
            tuple(
                (
                    r["start_s"] / self.duration_s,
                    r["end_s"] / self.duration_s,
                    "good" if r.get("good", not r["faults"]) else "fault",
                )
                for r in self._reps
            )
            if self.duration_s > 0
            else ()
        )

    def _frame(self, t_s: float) -> dict[str, Any] | None:
        i = _nearest(self._frame_t, t_s)
        return None if i is None else self.report["frames"][i]

    def state(self, t_s: float, landmarks: np.ndarray | None, clean: bool = False) -> OverlayState:
        """The overlay at ``t_s`` seconds, drawn over ``landmarks``; ``clean`` leaves out the
        banners, notes and the timeline bar (for thumbnails, whose words are on the page)."""
        current = next((r for r in self._reps if r["start_s"] <= t_s <= r["end_s"]), None)
        done = [r for r in self._reps if r["end_s"] < t_s]
        if self.per_leg:
            count = "Reps  L {}  R {}".format(
                sum(1 for r in done if r.get("leg") == "left"),
                sum(1 for r in done if r.get("leg") == "right"),
            )
        else:
            count = f"Reps {len(done)}"
        good = sum(1 for r in done if r.get("good", not r["faults"]))
        count += f"  (good {good})"
        if current is not None:
            leg = current.get("leg")
            near = Side(leg) if leg else (Side(current["side"]) if current.get("side") else None)
        else:
            near = Side(self.report["side"]) if self.report.get("side") else None
            if self.per_leg:
                near = None  # between reps of a per-leg exercise both legs are drawn alike
        frame = self._frame(t_s)
        angle = math.nan
        if frame is not None:
            value = frame["angles"].get(f"{self.signal}_deg", {})
            side = (
                near or (Side(self.report["side"]) if self.report.get("side") else Side.LEFT)
            ).value
            v = value.get(side) if isinstance(value, dict) else value
            angle = float(v) if v is not None else math.nan
        rep_text = ""
        if current is not None:
            rep_text = f"Rep {current['index']}" + (
                f" ({current['leg']} leg)" if current.get("leg") else ""
            )
        banners = tuple(b for s, e, b in self._banners if s <= t_s <= e)
        note = ""
        if current is None:
            m = next((m for m in self._uncounted if m["start_s"] <= t_s <= m["end_s"]), None)
            if m is not None:
                note = f"Not counted: {m['reason']}"
            elif frame is not None and frame["status"] in (
                "no_person",
                "wrong_view",
                "out_of_frame",
            ):
                note = {
                    "no_person": "Nobody in view",
                    "wrong_view": "Not side-on: not analysed",
                    "out_of_frame": "Body partly out of the picture",
                }[frame["status"]]
        if clean:
            return OverlayState(landmarks, near, self.label, angle, "", "")
        return OverlayState(
            landmarks=landmarks,
            near_side=near,
            angle_text=self.label,
            angle_deg=angle,
            rep_text=rep_text,
            count_text=count,
            banners=banners,
            note=note,
            progress=t_s / self.duration_s if self.duration_s > 0 else 0.0,
            segments=self._segments,
        )


# -- drawing (a stand-in for render.py) -----------------------------------------------------


class OverlayDrawer(Protocol):
    def __call__(self, image: np.ndarray, state: OverlayState) -> np.ndarray: ...


_ASCII = str.maketrans(
    {"–": "-", "—": "-", "°": " deg", "’": "'", "‘": "'", "“": '"', "”": '"', "×": "x", "…": "..."}
)


def _ascii(text: str) -> str:
    """cv2's Hershey fonts draw ASCII only."""
    return text.translate(_ASCII).encode("ascii", "replace").decode("ascii")


def _text(
    img: np.ndarray,
    text: str,
    org: tuple[int, int],
    scale: float,
    color: tuple[int, int, int],
    thick: int,
) -> int:
    """Draws ``text`` with a dark outline; returns its width in pixels."""
    text = _ascii(text)
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thick + 2, cv2.LINE_AA)
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, color, thick, cv2.LINE_AA)
    return int(cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)[0][0])


def _wrap(text: str, scale: float, thick: int, width: int) -> list[str]:
    words, lines, line = _ascii(text).split(), [], ""
    for w in words:
        trial = f"{line} {w}".strip()
        if line and cv2.getTextSize(trial, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)[0][0] > width:
            lines.append(line)
            line = w
        else:
            line = trial
    return lines + ([line] if line else [])


def _panel(
    img: np.ndarray, x0: int, y0: int, x1: int, y1: int, color: tuple[int, int, int], alpha: float
) -> None:
    x0, y0 = max(x0, 0), max(y0, 0)
    x1, y1 = min(x1, img.shape[1]), min(y1, img.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    roi = img[y0:y1, x0:x1]
    roi[:] = (roi * (1 - alpha) + np.array(color, dtype=np.float32) * alpha).astype(np.uint8)


def _draw_skeleton(img: np.ndarray, lm: np.ndarray, near: Side | None, u: float) -> None:
    h, w = img.shape[:2]
    xy = lm[:, :2] * np.array([w, h], dtype=np.float32)
    seen = lm[:, 3] >= DRAW_MIN_VISIBILITY

    def pt(i: Landmark) -> tuple[int, int]:
        return int(round(float(xy[i, 0]))), int(round(float(xy[i, 1])))

    # The far side first, so the near side is drawn over it.
    order = [Side.LEFT, Side.RIGHT] if near is None else [near.other, near]
    for side in order:
        bright = near is None or side is near
        color = COLOR["near"] if bright else COLOR["far"]
        thick = max(2, round((4 if bright else 2) * u))
        for a, b in _LIMB_PARTS:
            la, lb = _side_lm(side, a), _side_lm(side, b)
            if seen[la] and seen[lb]:
                cv2.line(img, pt(la), pt(lb), color, thick, cv2.LINE_AA)
    for p, q in _ACROSS:
        if seen[p] and seen[q]:
            cv2.line(img, pt(p), pt(q), COLOR["far"], max(1, round(2 * u)), cv2.LINE_AA)
    for side in order:
        for part in ("shoulder", "hip", "knee", "ankle"):
            joint = _side_lm(side, part)
            if seen[joint]:
                cv2.circle(img, pt(joint), max(3, round(5 * u)), COLOR["joint"], -1, cv2.LINE_AA)


def draw_overlay_local(image: np.ndarray, state: OverlayState) -> np.ndarray:
    """Draws ``state`` on a copy of ``image`` (BGR): skeleton, driving angle at the hip, the rep
    and the count, fault banners, and a timeline of the reps. Sizes scale with the frame."""
    img = image.copy()
    h, w = img.shape[:2]
    u = h / 480.0  # sizes are designed at 480 px high
    s_big, s_mid, s_small = 0.9 * u, 0.65 * u, 0.52 * u
    t_big, t_mid = max(1, round(2 * u)), max(1, round(1.5 * u))
    pad = round(10 * u)
    if state.landmarks is not None:
        _draw_skeleton(img, state.landmarks, state.near_side, u)
        if math.isfinite(state.angle_deg) and state.near_side is not None:
            hip = state.landmarks[_side_lm(state.near_side, "hip")]
            if hip[3] >= DRAW_MIN_VISIBILITY:
                org = (int(hip[0] * w) + round(12 * u), int(hip[1] * h) - round(12 * u))
                _text(img, f"{state.angle_deg:.0f} deg", org, s_mid, COLOR["near"], t_mid)

    # Top-left: the rep under way (or the count), then the driving angle.
    lines = [
        (state.rep_text or state.count_text, s_big, COLOR["text"], t_big),
        (
            f"{state.angle_text} {state.angle_deg:.0f} deg"
            if math.isfinite(state.angle_deg)
            else f"{state.angle_text}: not seen",
            s_mid,
            COLOR["muted"],
            t_mid,
        ),
    ]
    if state.rep_text:
        lines.append((state.count_text, s_small, COLOR["muted"], t_mid))
    line_h = round(30 * u)
    top = pad
    if state.banners:
        top = _draw_banners(img, state.banners, u, pad) + pad
    if state.rep_text or state.count_text:
        # As wide as its longest line, so it hides as little of the person as it can.
        width = max(
            cv2.getTextSize(_ascii(t), cv2.FONT_HERSHEY_SIMPLEX, sc, th)[0][0]
            for t, sc, _, th in lines
        )
        _panel(
            img, pad, top, 3 * pad + width, top + line_h * len(lines) + pad, COLOR["panel"], 0.55
        )
        y = top + round(26 * u)
        for text, scale, color, thick in lines:
            _text(img, text, (2 * pad, y), scale, color, thick)
            y += line_h

    bar_h = round(10 * u)
    bottom = h - pad - (bar_h + pad if state.progress is not None else 0)
    if state.note:
        _text(img, state.note, (2 * pad, bottom - round(4 * u)), s_small, COLOR["muted"], t_mid)
    if state.progress is not None:
        y0, y1 = h - pad - bar_h, h - pad
        _panel(img, pad, y0, w - pad, y1, COLOR["panel"], 0.6)
        span = w - 2 * pad
        for a, b, kind in state.segments:
            cv2.rectangle(
                img,
                (pad + int(a * span), y0),
                (pad + max(int(b * span), int(a * span) + 1), y1),
                COLOR[kind],
                -1,
            )
        x = pad + int(min(max(state.progress, 0.0), 1.0) * span)
        cv2.line(
            img, (x, y0 - round(4 * u)), (x, y1 + round(4 * u)), COLOR["text"], max(2, round(2 * u))
        )
    return img


def _draw_banners(img: np.ndarray, banners: tuple[Banner, ...], u: float, pad: int) -> int:
    """Fault banners across the top; returns the y below them."""
    w = img.shape[1]
    y = pad
    s_head, s_cue = 0.72 * u, 0.58 * u
    thick = max(1, round(2 * u))
    for b in banners:
        head = f"Rep {b.rep}{f' ({b.leg})' if b.leg else ''}: {b.code.replace('_', ' ')}"
        cue = _wrap(b.cue, s_cue, max(1, round(1.5 * u)), w - 4 * pad)
        height = round(34 * u) + round(26 * u) * len(cue)
        _panel(img, pad, y, w - pad, y + height, COLOR.get(b.severity, COLOR["fault"]), 0.82)
        _text(img, head, (2 * pad, y + round(26 * u)), s_head, COLOR["text"], thick)
        cy = y + round(26 * u)
        for line in cue:
            cy += round(26 * u)
            _text(img, line, (2 * pad, cy), s_cue, COLOR["text"], max(1, round(1.5 * u)))
        y += height + round(4 * u)
    return y


# -- the video file --------------------------------------------------------------------------


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """OpenCV's FFmpeg wrapper prints a harmless tag warning for VP8-in-WebM straight to fd 2;
    hide it for the writer's construction only."""
    try:
        fd = os.dup(2)
    except OSError:  # no usable fd 2: nothing to hide
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(fd, 2)
        os.close(fd)
        os.close(null)


class WebmWriter:
    """Writes a WebM/VP8 video to a temporary name next to ``path``; ``close(complete=True)``
    checks it can be read back and renames it to ``path``. Anything else removes it, so no
    half-written file is ever left under the real name. Raises OutputError."""

    def __init__(self, path: Path, fps: float) -> None:
        self.path = Path(path)
        # The extension must stay .webm: FFmpeg picks the container from it.
        self._tmp = self.path.with_name(
            f".{self.path.stem}.{uuid.uuid4().hex[:8]}.part{self.path.suffix}"
        )
        self.fps = fps
        self._vw: cv2.VideoWriter | None = None
        self.frames = 0

    def write(self, image: np.ndarray) -> None:
        if self._vw is None:
            h, w = image.shape[:2]
            with _quiet_native_stderr():
                self._vw = cv2.VideoWriter(
                    str(self._tmp), cv2.VideoWriter.fourcc(*VIDEO_FOURCC), self.fps, (w, h)
                )
            if not self._vw.isOpened():
                self._vw.release()
                self._vw = None
                self._remove_tmp()
                raise OutputError(
                    f"{self.path}: cannot encode WebM/VP8 video with this OpenCV "
                    "(is opencv-contrib-python installed?)"
                )
        self._vw.write(image)
        self.frames += 1

    def _remove_tmp(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()

    def close(self, complete: bool) -> None:
        if self._vw is not None:
            self._vw.release()
            self._vw = None
        if not complete or self.frames == 0:
            self._remove_tmp()
            return
        cap = cv2.VideoCapture(str(self._tmp))
        try:
            ok = cap.isOpened() and cap.read()[0]
        finally:
            cap.release()
        if not ok:
            self._remove_tmp()
            raise OutputError(f"{self.path}: the video written could not be read back")
        try:
            os.replace(self._tmp, self.path)
        except OSError as exc:
            self._remove_tmp()
            raise OutputError(
                f"{self.path}: could not be written ({exc.strerror or exc})"
            ) from None

    def __enter__(self) -> WebmWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.close(complete=exc_type is None)


def thumbnail_times(report: dict[str, Any]) -> dict[int, float]:
    """Rep index → the time (s) of its worst fault, for every faulty rep."""
    out = {}
    for r in report["reps"]:
        f = worst_fault(r)
        if f is not None:
            out[r["index"]] = fault_time(r, f)
    return out


def crop_to_person(image: np.ndarray, landmarks: np.ndarray | None) -> np.ndarray:
    """The part of ``image`` around the seen landmarks (with a margin), in the image's own
    aspect ratio, so a small thumbnail still shows the joints; the whole image if none is seen."""
    if landmarks is None:
        return image
    h, w = image.shape[:2]
    seen = landmarks[landmarks[:, 3] >= DRAW_MIN_VISIBILITY, :2]
    seen = seen[np.all((seen > -0.05) & (seen < 1.05), axis=1)]
    if len(seen) < 4:
        return image
    (x0, y0), (x1, y1) = seen.min(axis=0) * (w, h), seen.max(axis=0) * (w, h)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bw = max(x1 - x0, (y1 - y0) * w / h) * (1 + 2 * THUMB_MARGIN)
    bw = min(max(bw, w * THUMB_MIN_SHARE), w)
    bh = bw * h / w
    left = int(round(min(max(cx - bw / 2, 0), w - bw)))
    top = int(round(min(max(cy - bh / 2, 0), h - bh)))
    return image[top : top + int(round(bh)), left : left + int(round(bw))]


def _thumbnail(image: np.ndarray, rep: int, t_s: float) -> Thumbnail:
    h, w = image.shape[:2]
    size = (THUMB_WIDTH_PX, max(1, round(h * THUMB_WIDTH_PX / w)))
    small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, THUMB_JPEG_QUALITY])
    if not ok:
        raise OutputError(f"could not encode the thumbnail of rep {rep}")
    return Thumbnail(rep, t_s, buf.tobytes())


class _ThumbGrabber:
    """Keeps, for each wanted time, the frame nearest to it as the frames stream past."""

    def __init__(self, wanted: Mapping[int, float], frame_s: float) -> None:
        self.wanted = dict(wanted)
        self.half = frame_s / 2
        self.found: dict[int, Thumbnail] = {}

    @property
    def last_s(self) -> float:
        return max(self.wanted.values(), default=-math.inf)

    def due(self, t_s: float) -> list[int]:
        """The reps whose thumbnail is the frame at ``t_s`` (the frame nearest their time)."""
        return [
            rep
            for rep, want in self.wanted.items()
            if rep not in self.found and abs(t_s - want) <= self.half + 1e-6
        ]

    def take(self, rep: int, t_s: float, image: np.ndarray) -> None:
        self.found[rep] = _thumbnail(image, rep, t_s)


def annotate_video(
    video: str | os.PathLike[str],
    report: dict[str, Any],
    track: LandmarkTrack,
    out_path: Path,
    on_frame: Callable[[], None] | None = None,
    draw: OverlayDrawer = draw_overlay_local,
) -> dict[int, Thumbnail]:
    """Writes the annotated video of ``video`` to ``out_path`` (WebM/VP8, atomically) and returns
    the thumbnail of each faulty rep's worst moment (skeleton drawn, no banners), by rep index.

    ``report`` is the finished JSON report of the same video and ``track`` its landmarks.
    Raises InputError if the video cannot be read, OutputError if the result cannot be written.
    Ctrl-C (KeyboardInterrupt) leaves no file behind.
    """
    timeline = OverlayTimeline(report)
    with open_source(video) as src:
        fps = src.info.fps
        grabber = _ThumbGrabber(thumbnail_times(report), 1.0 / fps)
        tolerance_ms = 500.0 / fps
        with WebmWriter(out_path, fps) as writer:
            for frame in src.frames():
                t_s = frame.timestamp_ms / 1000.0
                lm = track.at(frame.timestamp_ms, tolerance_ms)
                writer.write(draw(frame.image, timeline.state(t_s, lm)))
                for rep in grabber.due(t_s):
                    picture = draw(frame.image, timeline.state(t_s, lm, clean=True))
                    grabber.take(rep, t_s, crop_to_person(picture, lm))
                if on_frame is not None:
                    on_frame()
        if writer.frames == 0:
            raise InputError(f"{video}: no frames could be decoded for the annotated video")
    return grabber.found


def grab_thumbnails(video: str | os.PathLike[str], report: dict[str, Any]) -> dict[int, Thumbnail]:
    """The frame of each faulty rep's worst moment, without overlay (no landmarks are known),
    decoding ``video`` once from the start up to the last one. Raises InputError."""
    wanted = thumbnail_times(report)
    if not wanted:
        return {}
    with open_source(video) as src:
        grabber = _ThumbGrabber(wanted, 1.0 / src.info.fps)
        for frame in src.frames():
            t_s = frame.timestamp_ms / 1000.0
            for rep in grabber.due(t_s):
                grabber.take(rep, t_s, frame.image)
            if t_s > grabber.last_s + 1.0:
                break
    return grabber.found
