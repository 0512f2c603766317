"""Decoding cost: PyAV (formcheck's VideoSource now) against the OpenCV read loop it replaced.

For each clip, decodes every frame to a BGR array both ways, best of ``--repeat`` runs, and
prints wall and CPU milliseconds per frame (CPU: the whole process, decoder threads included).
The clips are made on the fly from the bundled samples (never committed):

    python bench/decode.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).parent))
from clips import make_clip, make_phone_clip  # noqa: E402

from formcheck.sources import VideoSource  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def opencv_frames(path: Path) -> int:
    """The old VideoSource: cv2.VideoCapture with rotation applied, read() per frame."""
    cap = cv2.VideoCapture(str(path))
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    n = 0
    try:
        while True:
            ok, img = cap.read()
            if not ok:
                break
            n += 1
    finally:
        cap.release()
    return n


def pyav_frames(path: Path) -> int:
    with VideoSource(path) as src:
        return sum(1 for _ in src.frames())


def measure(fn, path: Path, repeat: int) -> tuple[float, float, int]:
    best = (float("inf"), float("inf"), 0)
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        n = fn(path)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        if wall < best[0]:
            best = (wall, cpu, n)
    return best


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="fc-decode-"))
    clips = {
        "640×480 H.264 (bridge sample)": REPO / "samples" / "glute_bridge_side" / "video.mp4",
        "1280×720 MPEG-4 Part 2 (mp4v, bench clip)": make_clip("glute_bridge_side", tmp / "720p.mp4"),
        "1920×1080 H.264": make_phone_clip("hip_hinge_side", tmp / "1080p.mp4", 1920, 1080, 20),
        "406×720 H.264, rotated (phone portrait)": make_phone_clip(
            "standing_glute_kickback_side", tmp / "portrait.mp4", 406, 720, 20, crop_x=(150, 420), rotated=True),
    }
    print(f"load before: {os.getloadavg()[0]:.1f}; best of {a.repeat}\n")
    print("| clip | frames | OpenCV wall ms/frame | OpenCV CPU ms/frame | PyAV wall ms/frame | PyAV CPU ms/frame |")
    print("|---|---|---|---|---|---|")
    for name, path in clips.items():
        ow, oc, on = measure(opencv_frames, path, a.repeat)
        pw, pc, pn = measure(pyav_frames, path, a.repeat)
        assert on == pn, (name, on, pn)
        ms = [1000 * x / pn for x in (ow, oc, pw, pc)]
        print(f"| {name} | {pn} | " + " | ".join(f"{x:.2f}" for x in ms) + " |")
    print(f"\nload after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
