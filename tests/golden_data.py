"""The golden landmarks of the bundled samples, stored compactly, and the way back to a landmark file.

MediaPipe gives float32 landmarks; a ``--save-landmarks`` file writes them as float64 text
(~2.4 MB for a 40 s clip). ``tests/golden/<sample>/landmarks.npz`` keeps the same numbers as
float32 (exact: every value is a float32 to begin with, which ``pack`` checks), with the world
landmarks the view is estimated from. ``unpack`` writes a standard landmark file whose replay
gives exactly the report the model run gave.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden"
SAMPLES = {  # sample folder -> exercise
    "glute_bridge_side": "glute_bridge",
    "hip_hinge_side": "hip_hinge",
    "standing_glute_kickback_side": "standing_glute_kickback",
}


def pack(landmarks: Path, dst: Path) -> None:
    """``landmarks`` (a formcheck landmark file) → ``dst`` (.npz). Raises ValueError if a value
    is not exactly a float32 (it would not come back the same)."""
    with gzip.open(landmarks, "rt", encoding="utf-8") as fh:
        header = fh.readline()
        rows = [json.loads(line) for line in fh if line.strip()]
    t_ms = np.array([r["t_ms"] for r in rows], dtype=np.float64)
    wh = np.array([(r["w"], r["h"]) for r in rows], dtype=np.int32)
    detected = np.array([r["image"] is not None for r in rows])
    image64 = np.full((len(rows), 33, 4), np.nan)
    for i, r in enumerate(rows):
        if r["image"] is not None:
            image64[i] = r["image"]
    world64 = np.full((len(rows), 33, 3), np.nan)
    for i, r in enumerate(rows):
        if r.get("world") is not None:
            world64[i] = r["world"]
    image, world = image64.astype(np.float32), world64.astype(np.float32)
    for a32, a64 in ((image, image64), (world, world64)):
        same = (a32.astype(np.float64) == a64) | np.isnan(a64)
        if not same.all():
            raise ValueError(f"{landmarks}: landmarks that are not float32 values cannot be packed exactly")
    extra = {}
    if any(r.get("outline") is not None for r in rows):
        # The trunk outline (segmentation), float64 as written; NaN for a row without one.
        extra["outline"] = np.array([np.full((17, 2), np.nan) if r.get("outline") is None else
                                     [[np.nan if v is None else v for v in p] for p in r["outline"]]
                                     for r in rows], dtype=np.float64)
    np.savez_compressed(dst, header=np.array(header.strip()), t_ms=t_ms, wh=wh, detected=detected, image=image,
                        world=world, **extra)


def unpack(src: Path, dst: Path) -> Path:
    """``src`` (.npz from ``pack``) → ``dst``, a landmark file (.jsonl.gz) for ``--landmarks``."""
    data = np.load(src)
    with gzip.open(dst, "wt", encoding="utf-8", compresslevel=1) as fh:
        fh.write(str(data["header"]) + "\n")
        image = data["image"].astype(np.float64)
        world = data["world"].astype(np.float64) if "world" in data.files else np.full((len(image), 33, 3), np.nan)
        outline = data["outline"] if "outline" in data.files else [None] * len(image)
        for t, (w, h), det, im, wo, ol in zip(data["t_ms"], data["wh"], data["detected"], image, world, outline,
                                              strict=True):
            row = {"t_ms": float(t), "w": int(w), "h": int(h), "image": im.tolist() if det else None,
                   "world": wo.tolist() if det and np.isfinite(wo).all() else None}
            if ol is not None and det and not np.isnan(ol).all():
                row["outline"] = [[None if v != v else v for v in p] for p in ol.tolist()]
            fh.write(json.dumps(row) + "\n")
    return dst


def golden_landmarks(sample: str, dst_dir: Path) -> Path:
    """The golden landmarks of ``sample`` as a landmark file in ``dst_dir``."""
    return unpack(GOLDEN / sample / "landmarks.npz", dst_dir / f"{sample}.landmarks.jsonl.gz")


class GoldenPoses:
    """A pose 'model' that gives the golden landmarks of the frame at the same timestamp."""

    name = "mediapipe-legacy-full"

    def __init__(self, poses: list) -> None:
        self.by_t = {round(p.timestamp_ms, 3): p for p in poses}

    def estimate(self, image_bgr: np.ndarray, timestamp_ms: float):  # noqa: ANN201
        return self.by_t[round(timestamp_ms, 3)]

    def close(self) -> None:
        pass

    def __enter__(self) -> GoldenPoses:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def live_with_golden_poses(sample: str, out: Path) -> Path:
    """``formcheck live --camera samples/SAMPLE/video.mp4 --no-window --no-pace --json OUT``, run
    from the repository root (the report names the video as given), with the golden landmarks in
    place of the pose model: the real decoder and live loop, no model. Raises AssertionError if
    it does not exit 0."""
    import os
    import tempfile

    import formcheck.pose.mediapipe_legacy as backend
    from formcheck.cli import main
    from formcheck.pose.replay import LandmarkReplay

    with tempfile.TemporaryDirectory() as tmp:
        poses = list(LandmarkReplay(golden_landmarks(sample, Path(tmp))).poses())
    real, cwd = backend.MediaPipeLegacyPose, os.getcwd()
    backend.MediaPipeLegacyPose = lambda **kw: GoldenPoses(poses)  # type: ignore[assignment,misc]
    try:
        os.chdir(REPO)
        code = main(["live", "-e", SAMPLES[sample], "--camera", f"samples/{sample}/video.mp4", "--no-window",
                     "--no-pace", "--mute", "--no-history", "-q", "--force", "--json", str(out.resolve())])
    finally:
        backend.MediaPipeLegacyPose = real  # type: ignore[misc]
        os.chdir(cwd)
    assert code == 0, f"formcheck live exited {code}"
    return out
