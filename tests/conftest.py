"""Shared fixtures: the bundled samples, their truth, and short clips cut from them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import cv2
import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = {  # sample folder -> exercise
    "glute_bridge_side": "glute_bridge",
    "hip_hinge_side": "hip_hinge",
    "standing_glute_kickback_side": "standing_glute_kickback",
}


def sample_video(sample: str) -> Path:
    return REPO / "samples" / sample / "video.mp4"


def sample_truth(sample: str) -> dict:
    with gzip.open(REPO / "samples" / sample / "truth.json.gz", "rt", encoding="utf-8") as fh:
        return json.load(fh)


def cut_clip(sample: str, dst: Path, seconds: float) -> Path:
    """The first ``seconds`` of a sample, re-encoded (mp4v) to ``dst``: a short real clip."""
    cap = cv2.VideoCapture(str(sample_video(sample)))
    fps = cap.get(cv2.CAP_PROP_FPS)
    w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    out = cv2.VideoWriter(str(dst), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    try:
        for _ in range(round(seconds * fps)):
            ok, img = cap.read()
            if not ok:
                break
            out.write(img)
    finally:
        cap.release()
        out.release()
    return dst


@pytest.fixture(scope="session")
def short_clips(tmp_path_factory) -> list[Path]:
    """Two 7-second clips (a glute bridge's first rep, twice under different names)."""
    d = tmp_path_factory.mktemp("clips")
    return [
        cut_clip("glute_bridge_side", d / "bridge_a.mp4", 7.0),
        cut_clip("glute_bridge_side", d / "bridge_b.mp4", 7.0),
    ]
