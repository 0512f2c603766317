"""Test clips for the benchmark, made on the fly from a bundled sample (never committed).

``make_clip`` upscales a sample to the asked size and loops it (forwards, then backwards, so
the motion has no jump at the seams) until it lasts the asked time, written with OpenCV's
mp4v encoder, which every opencv-contrib-python wheel has.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


def make_clip(
    sample: str, dst: Path, width: int = 1280, height: int = 720, seconds: float | None = None
) -> Path:
    """Write ``dst`` (.mp4) from ``samples/<sample>/video.mp4`` at ``width``×``height``.

    ``seconds``: loop the sample (palindrome) to this length; None keeps its own length.
    Returns ``dst``. Raises OSError when the sample cannot be read or the clip written.
    """
    src = SAMPLES / sample / "video.mp4"
    cap = cv2.VideoCapture(str(src))
    if not cap.isOpened():
        raise OSError(f"{src}: cannot be read")
    fps = float(cap.get(cv2.CAP_PROP_FPS))
    frames = []
    try:
        while True:
            ok, img = cap.read()
            if not ok:
                break
            # Keep the small source frames; upscale while writing, so memory stays small.
            frames.append(img)
    finally:
        cap.release()
    if not frames:
        raise OSError(f"{src}: no frames")
    total = len(frames) if seconds is None else round(seconds * fps)
    order = list(range(len(frames))) + list(range(len(frames) - 2, 0, -1))
    dst.parent.mkdir(parents=True, exist_ok=True)
    out = cv2.VideoWriter(str(dst), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    if not out.isOpened():
        raise OSError(f"{dst}: cannot be written")
    try:
        for i in range(total):
            img = frames[order[i % len(order)]]
            out.write(cv2.resize(img, (width, height), interpolation=cv2.INTER_LINEAR))
    finally:
        out.release()
    return dst


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("sample", help="a folder name under samples/")
    p.add_argument("out", type=Path)
    p.add_argument("--size", default="1280x720")
    p.add_argument("--seconds", type=float)
    a = p.parse_args(argv)
    w, h = (int(x) for x in a.size.split("x"))
    make_clip(a.sample, a.out, w, h, a.seconds)
    print(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
