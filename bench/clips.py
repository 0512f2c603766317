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


def make_phone_clip(
    sample: str,
    dst: Path,
    width: int,
    height: int,
    seconds: float,
    crop_x: tuple[int, int] | None = None,
    rotated: bool = False,
) -> Path:
    """Write ``dst`` (H.264 MP4 through PyAV) from the first ``seconds`` of a sample: cropped
    to columns ``crop_x`` (a portrait phone's view of the person), scaled to fit ``width`` ×
    ``height`` with the edges repeated to fill it (1080p from a 4:3 sample) and, with
    ``rotated``, stored sideways with a display matrix saying so, as phones write portrait
    video. Raises OSError when the sample cannot be read."""
    import av
    import numpy as np

    src = SAMPLES / sample / "video.mp4"
    dst.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        ist = inp.streams.video[0]
        fps = ist.average_rate or 30
        stored = (height, width) if rotated else (width, height)
        ost = out.add_stream("libx264", rate=fps)
        ost.width, ost.height, ost.pix_fmt = stored[0], stored[1], "yuv420p"
        ost.options = {"crf": "18", "preset": "veryfast"}
        if rotated:
            ost.set_display_rotation(-90)  # shown turned a quarter clockwise: upright
        for i, frame in enumerate(inp.decode(ist)):
            if i >= seconds * float(fps):
                break
            img = frame.to_ndarray(format="bgr24")
            if crop_x is not None:
                img = img[:, crop_x[0] : crop_x[1]]
            h, w = img.shape[:2]
            k = min(width / w, height / h)
            img = cv2.resize(img, (round(w * k), round(h * k)), interpolation=cv2.INTER_CUBIC)
            dx, dy = width - img.shape[1], height - img.shape[0]
            img = cv2.copyMakeBorder(img, dy // 2, dy - dy // 2, dx // 2, dx - dx // 2, cv2.BORDER_REPLICATE)
            if rotated:
                img = np.ascontiguousarray(np.rot90(img, 1))  # stored a quarter anticlockwise
            out.mux(ost.encode(av.VideoFrame.from_ndarray(img, format="bgr24")))
        out.mux(ost.encode(None))
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
