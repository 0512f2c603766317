#!/usr/bin/env python3
"""What the segmentation mask costs per frame in the legacy MediaPipe backend.

    python bench/segmentation.py [VIDEO] [--frames N] [--rounds R]

The same frames of VIDEO (default: the bundled bridge sample) go through the pose model with
``segmentation`` off and on, alternately (``--rounds`` times each, so machine load hits both
alike); per frame it times the model call alone and the outline extraction
(``backcurve.trunk_profile``) alone. Prints ms per frame (median of the rounds) and the share of
a 30 fps frame budget (33.3 ms).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from formcheck.pose.mediapipe_legacy import MediaPipeLegacyPose, _outline  # noqa: E402
from formcheck.sources import VideoSource  # noqa: E402


def run(frames: list, segmentation: bool) -> tuple[float, float]:
    """Mean ms per frame of the model call, and of the outline extraction (0 when off)."""
    model = outline = 0.0
    with MediaPipeLegacyPose(segmentation=segmentation) as est:
        for i, (rgb, t_ms) in enumerate(frames):
            t0 = time.perf_counter()
            res = est._pose.process(rgb)
            t1 = time.perf_counter()
            if segmentation and res.pose_landmarks is not None and res.segmentation_mask is not None:
                pose = est.estimate_from_result(res, rgb.shape[1], rgb.shape[0], t_ms)
                t2 = time.perf_counter()
                _outline(res.segmentation_mask, pose.image, rgb.shape[1], rgb.shape[0])
                outline += (time.perf_counter() - t2) * 1000 if i >= 10 else 0.0
            model += (t1 - t0) * 1000 if i >= 10 else 0.0  # the first frames warm the graph up
    n = max(1, len(frames) - 10)
    return model / n, outline / n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("video", nargs="?", type=Path, default=REPO / "samples" / "glute_bridge_side" / "video.mp4")
    ap.add_argument("--frames", type=int, default=150)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    frames = []
    with VideoSource(args.video) as src, MediaPipeLegacyPose(segmentation=False) as est:
        for f in src.frames():
            frames.append((est.prepare(f.image), f.timestamp_ms))
            if len(frames) >= args.frames:
                break
        size = f"{src.info.width}x{src.info.height}"
    off, on, outl = [], [], []
    for _ in range(args.rounds):
        off.append(run(frames, False)[0])
        m, o = run(frames, True)
        on.append(m)
        outl.append(o)
    a, b, c = statistics.median(off), statistics.median(on), statistics.median(outl)
    print(f"{args.video.name} {size}, {len(frames)} frames × {args.rounds} rounds; "
          f"{platform.processor() or platform.machine()}, {platform.python_version()}")
    print(f"model, segmentation off: {a:.1f} ms/frame")
    print(f"model, segmentation on:  {b:.1f} ms/frame (+{b - a:.1f} ms, +{(b - a) / a:.0%})")
    print(f"outline from the mask:   {c:.2f} ms/frame")
    print(f"total added per frame:   {b - a + c:.1f} ms = {(b - a + c) / 33.3:.0%} of a 30 fps frame")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
