"""The annotated video's encoding: size and sharpness of H.264 settings against the old VP8.

Draws the annotated video of a sample (from a report and its saved landmarks, no model) once,
feeding every frame to each candidate encoder: OpenCV's VP8 WebM (what ``analyze --out`` wrote
before) and libx264 at several CRFs and presets. Then decodes each file and compares it with
the same frames redrawn: PSNR over the whole frame and over the overlay's top bar and verdict
(text; where blur would show first). Prints a Markdown table; run by hand:

    python bench/video_out.py OUT_DIR/report.json LANDMARKS.jsonl.gz [--video VIDEO]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import av
import cv2
import numpy as np

from formcheck.annotate import LandmarkTrack, ReportOverlay, draw_frame
from formcheck.pose.replay import LandmarkReplay
from formcheck.sinks import AvSink
from formcheck.sources import VideoSource

CANDIDATES = [("libx264", 18, "veryfast"), ("libx264", 23, "veryfast"), ("libx264", 26, "veryfast"),
              ("libx264", 23, "medium"), ("libx264", 28, "veryfast")]


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float32) - b.astype(np.float32)) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255.0**2 / mse)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("report", type=Path)
    p.add_argument("landmarks", type=Path)
    p.add_argument("--video", type=Path, help="default: the report's source path")
    a = p.parse_args(argv)
    report = json.loads(a.report.read_text())
    video = a.video or Path(report["source"]["path"])
    track = LandmarkTrack()
    for pose in LandmarkReplay(a.landmarks).poses():
        track.add(pose)
    overlay = ReportOverlay.for_report(report)
    tmp = Path(tempfile.mkdtemp(prefix="fc-video-out-"))
    sinks = {f"H.264 CRF {crf} {preset}": AvSink(tmp / f"x264_{crf}_{preset}.mp4", 30.0, crf=crf, preset=preset)
             for _, crf, preset in CANDIDATES}
    spent = dict.fromkeys(sinks, 0.0)
    spent["VP8 WebM (OpenCV, before)"] = 0.0
    webm_path = tmp / "vp8.webm"
    webm = None
    times = []
    with VideoSource(video) as src:
        fps = src.info.fps
        for frame in src.frames():
            img = draw_frame(frame.image, track.at(frame.timestamp_ms, 500 / fps), frame.timestamp_ms, overlay)
            t_s = frame.timestamp_ms / 1000
            times.append(frame.timestamp_ms)
            for name, sink in sinks.items():
                t0 = time.perf_counter()
                sink.write(img, t_s)
                spent[name] += time.perf_counter() - t0
            t0 = time.perf_counter()
            if webm is None:
                h, w = img.shape[:2]
                webm = cv2.VideoWriter(str(webm_path), cv2.VideoWriter.fourcc(*"VP80"), fps, (w, h))
            webm.write(img)
            spent["VP8 WebM (OpenCV, before)"] += time.perf_counter() - t0
    for sink in sinks.values():
        sink.close()
    webm.release()
    duration_min = (times[-1] + 1000 / fps) / 60000
    files = {name: sink.path for name, sink in sinks.items()} | {"VP8 WebM (OpenCV, before)": webm_path}
    rows = []
    for name, path in files.items():
        whole, text, n = 0.0, 0.0, 0
        with av.open(str(path)) as c, VideoSource(video) as src:
            for (frame, decoded) in zip(src.frames(), c.decode(video=0), strict=False):
                if frame.index % 10:
                    continue
                ref = draw_frame(frame.image, track.at(frame.timestamp_ms, 500 / fps), frame.timestamp_ms, overlay)
                got = decoded.to_ndarray(format="bgr24")[: ref.shape[0], : ref.shape[1]]
                h = ref.shape[0]
                band = np.r_[0 : h // 10, h - h // 4 : h]  # top bar; verdict and cue at the bottom
                whole += _psnr(ref, got)
                text += _psnr(ref[band], got[band])
                n += 1
        size = os.path.getsize(path)
        rows.append((name, size / 1e6, size / 1e6 / duration_min, whole / n, text / n,
                     1000 * spent[name] / len(times)))
    print(f"{video} ({len(times)} frames, {duration_min * 60:.1f} s); load: {os.getloadavg()[0]:.1f}\n")
    print("| encoding | MB | MB per minute | PSNR dB (frame) | PSNR dB (text bands) | encode ms/frame |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]:.2f} | {r[2]:.2f} | {r[3]:.1f} | {r[4]:.1f} | {r[5]:.1f} |")
    print(f"\nfiles in {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
