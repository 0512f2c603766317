"""Make (or check) the golden outputs of the bundled samples: ``tests/golden/<sample>/``.

    python tests/make_golden.py            # regenerate every golden file (runs the pose model)
    python tests/make_golden.py --replay   # regenerate from the committed landmarks (no model)

Each sample is analysed with ``formcheck analyze VIDEO -e EXERCISE --out DIR`` (run from the
repository root, so the paths in the report are relative and the same on every machine).
What is kept, per sample:

- ``landmarks.npz``: the pose model's landmarks of every frame (``--save-landmarks``, packed
  by ``golden_data.pack``: float32, exact). The golden test replays them (a replay gives the
  identical report), so comparing the writers' outputs needs no model; a ``model`` test
  checks the model still gives these landmarks and this report.
- ``report.json``, ``reps.csv``, ``report.html``: the files ``--out`` writes, as written.
- ``annotated_frames.npz``: the annotated video decoded, each frame shrunk to a 32×24 grey
  thumbnail (uint8), plus the frame count, size and container; the video itself is too big
  to commit. Compared per frame within a tolerance (a codec may round differently).
- ``live.json`` (the glute bridge only: live mode decides reps with the same analysis):
  ``formcheck live --camera VIDEO --no-window --no-pace`` with the golden landmarks in place
  of the model; its timings vary and the test drops them.

Regenerate them, and review the diff, whenever an output is meant to change (another video
container, a different rep counter); ``tests/test_golden.py`` says what it ignores and why.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np

# This tree's formcheck and test helpers, whatever is installed.
sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).resolve().parents[1] / "src")]
from golden_data import GOLDEN, REPO, SAMPLES, golden_landmarks, live_with_golden_poses, pack  # noqa: E402

LIVE_SAMPLES = ("glute_bridge_side",)
THUMB_SIZE = (32, 24)  # width, height of each frame's grey thumbnail
OUT_FILES = ("report.json", "reps.csv", "report.html")


def video_thumbnails(path: Path) -> np.ndarray:
    """Every frame of ``path`` as a THUMB_SIZE grey uint8 image: shape (frames, 24, 32)."""
    cap = cv2.VideoCapture(str(path))
    thumbs = []
    try:
        while True:
            ok, img = cap.read()
            if not ok:
                break
            grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
            thumbs.append(cv2.resize(grey, THUMB_SIZE, interpolation=cv2.INTER_AREA))
    finally:
        cap.release()
    return np.stack(thumbs) if thumbs else np.zeros((0, THUMB_SIZE[1], THUMB_SIZE[0]), np.uint8)


def find_video(out: Path) -> Path:
    """The annotated video ``--out`` wrote (its container may change: annotated.*)."""
    found = sorted(out.glob("annotated.*"))
    if len(found) != 1:
        raise SystemExit(f"{out}: expected one annotated video, found {[p.name for p in found]}")
    return found[0]


def formcheck(*args: str) -> None:
    """Run this tree's formcheck from the repository root; stop on failure."""
    env = {"PYTHONPATH": str(REPO / "src"), "FORMCHECK_NATIVE_LOGS": "0"}
    proc = subprocess.run([sys.executable, "-m", "formcheck.cli", *args], cwd=REPO,
                          env={**os.environ, **env}, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"formcheck {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")


def analyze_outputs(sample: str, out: Path, landmarks: Path | None, save_landmarks: Path | None) -> None:
    """``formcheck analyze`` of ``sample`` into ``out`` (paths relative to the repository)."""
    video = f"samples/{sample}/video.mp4"
    args = ["analyze", video, "-e", SAMPLES[sample], "--out", str(out), "--no-history", "-q", "--force"]
    if landmarks is not None:
        args += ["--landmarks", str(landmarks)]
    if save_landmarks is not None:
        args += ["--save-landmarks", str(save_landmarks)]
    formcheck(*args)


def make(sample: str, replay: bool, live: bool) -> None:
    dst = GOLDEN / sample
    dst.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        if not replay:
            # The model once, to get the landmarks; the outputs are then made from the packed
            # landmarks the tests replay, and must equal the model run's.
            saved = Path(tmp) / "landmarks.jsonl.gz"
            analyze_outputs(sample, Path(tmp) / "model", None, saved)
            pack(saved, dst / "landmarks.npz")
        analyze_outputs(sample, out, golden_landmarks(sample, Path(tmp)), None)
        if not replay and (Path(tmp) / "model" / "report.json").read_bytes() != (out / "report.json").read_bytes():
            raise SystemExit(f"{sample}: the replay of the packed landmarks differs from the model run")
        for name in OUT_FILES:
            shutil.copyfile(out / name, dst / name)
        video = find_video(out)
        thumbs = video_thumbnails(video)
        cap = cv2.VideoCapture(str(video))
        size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        cap.release()
        np.savez_compressed(dst / "annotated_frames.npz", thumbs=thumbs, size=np.array(size),
                            container=np.array(video.suffix))
        if live and sample in LIVE_SAMPLES:
            live_with_golden_poses(sample, dst / "live.json")
    print(f"{dst.relative_to(REPO)}: written", file=sys.stderr)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--replay", action="store_true", help="use the committed landmarks, not the pose model")
    p.add_argument("--no-live", action="store_true", help="keep the committed live.json")
    p.add_argument("samples", nargs="*", default=list(SAMPLES), help="samples to regenerate (default: all)")
    a = p.parse_args()
    for sample in a.samples:
        make(sample, a.replay, not a.no_live)


if __name__ == "__main__":
    main()
