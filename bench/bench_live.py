"""Benchmark of `formcheck live`: sustained fps and capture-to-overlay latency. Run by hand.

A simulated camera plays a sample clip in real time (30 fps, each frame time-stamped when
it is "captured"), at 640×480 and upscaled on the fly to 1280×720 (pillarboxed, so the body
keeps its shape). It feeds the real live pipeline — capture thread keeping the newest frame,
MediaPipe in the pose thread, Analyzer + overlay drawing in the main thread — exactly as a
webcam would. Latency is from capture to the overlay drawn and handed to the display (with
``--window``, also shown in a window: run under ``xvfb-run`` on a headless machine).

    PYTHONPATH=src python bench/bench_live.py                 # prints a table
    PYTHONPATH=src python bench/bench_live.py --write         # also updates bench/RESULTS.md

Results go in the "## Live" section of bench/RESULTS.md; other sections are left alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from formcheck.coaching import SetPlan  # noqa: E402
from formcheck.exercise import find_exercise  # noqa: E402
from formcheck.live import LiveOptions, LiveSession  # noqa: E402
from formcheck.sources import Frame, SourceInfo, VideoSource  # noqa: E402

SAMPLE = ROOT / "samples/glute_bridge_side/video.mp4"
RESULTS = ROOT / "bench/RESULTS.md"
SIZES = ((640, 480), (1280, 720))


class SimulatedCamera:
    """A sample clip delivered like a webcam: in real time at ``fps``, each frame stamped
    with the monotonic clock when it is handed over, resized (pillarboxed) to ``size``.
    Plays ``seconds`` of video, looping the clip if needed."""

    def __init__(
        self, path: Path, size: tuple[int, int], fps: float = 30.0, seconds: float = 30.0
    ) -> None:
        self.path, self.size, self.fps, self.seconds = path, size, fps, seconds
        self.info = SourceInfo(
            "camera", f"simulated:{path.name}@{size[0]}x{size[1]}", fps, 0, *size
        )

    def _fit(self, image: np.ndarray) -> np.ndarray:
        w, h = self.size
        ih, iw = image.shape[:2]
        if (iw, ih) == (w, h):
            return image
        scale = min(w / iw, h / ih)
        fw, fh = round(iw * scale), round(ih * scale)
        image = cv2.resize(image, (fw, fh), interpolation=cv2.INTER_LINEAR)
        left, top = (w - fw) // 2, (h - fh) // 2
        return cv2.copyMakeBorder(
            image, top, h - fh - top, left, w - fw - left, cv2.BORDER_REPLICATE
        )

    def frames(self) -> Iterator[Frame]:
        t0 = time.monotonic()
        index = 0
        while True:
            with VideoSource(self.path) as video:
                for f in video.frames():
                    due = t0 + index / self.fps
                    if due - t0 >= self.seconds:
                        return
                    now = time.monotonic()
                    if due > now:
                        time.sleep(due - now)  # a camera's read blocks until the next frame
                    image = self._fit(f.image)
                    yield Frame(index, (time.monotonic() - t0) * 1000.0, image)
                    index += 1


@dataclass(frozen=True)
class Row:
    size: str
    window: bool
    seconds: float
    fps_camera: float
    fps: float
    dropped: int
    frames: int
    pose_ms: float
    lat_med: float
    lat_p95: float
    lat_max: float
    load_before: str


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(size: tuple[int, int], seconds: float, window: bool) -> Row:
    from formcheck.pose.mediapipe_legacy import MediaPipeLegacyPose
    from formcheck.window import Window

    spec = find_exercise("glute_bridge")
    before = load()
    camera = SimulatedCamera(SAMPLE, size, seconds=seconds)
    with MediaPipeLegacyPose() as estimator:
        # Warm the model up (graph start-up) outside the measurement.
        warm = np.zeros((size[1], size[0], 3), np.uint8)
        for i in range(5):
            estimator.estimate(warm, float(i))
        display = Window("formcheck bench") if window else None
        session = LiveSession(
            camera,
            estimator,
            spec,
            LiveOptions(SetPlan.from_spec(spec)),
            display=display,
            out=lambda text: None,
        )
        result = session.run()
    s = result.stats
    # The first second holds the model's start-up: leave it out of the latency figures.
    lat = np.array(s.latency_ms[30:] or s.latency_ms)
    return Row(
        f"{size[0]}×{size[1]}",
        window,
        s.wall_s,
        s.frames_captured / s.wall_s,
        s.fps,
        s.frames_dropped,
        s.frames_analysed,
        1000 * s.pose_busy_s / max(1, s.frames_analysed),
        float(np.median(lat)),
        float(np.percentile(lat, 95)),
        float(lat.max()),
        before,
    )


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    m = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return m.group(1).strip() if m else "unknown"


def table(rows: list[Row]) -> str:
    head = (
        "| input | window | camera fps | analysed fps | frames dropped | pose ms/frame | "
        "latency median | p95 | max | load before |\n|---|---|---|---|---|---|---|---|---|---|\n"
    )
    return head + "".join(
        f"| {r.size} | {'Xvfb' if r.window else 'none'} | {r.fps_camera:.1f} | {r.fps:.1f} | "
        f"{r.dropped} of {r.frames + r.dropped} | {r.pose_ms:.1f} | {r.lat_med:.0f} ms | "
        f"{r.lat_p95:.0f} ms | {r.lat_max:.0f} ms | {r.load_before} |\n"
        for r in rows
    )


def section(rows: list[Row], seconds: float, note: str) -> str:
    import mediapipe

    return (
        "## Live\n\n"
        f"`bench/bench_live.py`, {dt.date.today().isoformat()}: {os.cpu_count()} cores "
        f"({cpu_model()}), Python {platform.python_version()}, mediapipe {mediapipe.__version__}, "
        f"OpenCV {cv2.__version__}.\n\n"
        f"A simulated 30 fps camera (the glute bridge sample, {seconds:g} s per run, upscaled and "
        "pillarboxed for 1280×720) feeds the live pipeline: capture thread keeping only the newest "
        "frame, MediaPipe pose (full model) in a second thread, analysis + overlay in the main "
        "thread. *Latency* is from the frame's capture to its overlay drawn and handed to the "
        "display (first second left out: model start-up). *Frames dropped* were replaced by a "
        "newer frame before the model was free.\n\n"
        + table(rows)
        + ("\n" + note + "\n" if note else "")
    )


def write_section(text: str) -> None:
    """Replace (or add) the "## Live" section of RESULTS.md, keeping the others."""
    old = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Live\n.*?(?=^## |\Z)", re.M | re.S)
    new = (
        pattern.sub(lambda _m: text + "\n", old)
        if pattern.search(old)
        else old.rstrip("\n") + "\n\n" + text
    )
    RESULTS.write_text(new)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=30.0, help="length of each run (default 30)")
    ap.add_argument(
        "--window", action="store_true", help="also show the window (needs a display; use xvfb-run)"
    )
    ap.add_argument("--write", action="store_true", help="write the results into bench/RESULTS.md")
    ap.add_argument(
        "--note", default="", help="a line to add under the table (e.g. the machine's load)"
    )
    args = ap.parse_args()
    from formcheck.cli import _silence_native_stderr

    os.environ.setdefault("GLOG_minloglevel", "2")
    _silence_native_stderr()  # mediapipe's start-up chatter on fd 2
    rows = []
    for size in SIZES:
        for window in (False, True) if args.window else (False,):
            rows.append(run(size, args.seconds, window))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    text = section(rows, args.seconds, args.note)
    print("\n" + text)
    if args.write:
        write_section(text)
        print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
