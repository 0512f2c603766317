"""Shared fixtures. Every test gets its own history database: none may touch the user's."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import pytest

# Test helpers (builders.py, report_builders.py) import by module name.
sys.path.insert(0, str(Path(__file__).parent))

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"


@pytest.fixture(scope="session", autouse=True)
def _no_user_history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """For the whole run, before any session-scoped fixture analyses a sample: without it
    ``formcheck analyze`` run by those fixtures would store sessions in the user's history."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FORMCHECK_HISTORY", str(tmp_path_factory.mktemp("session-history") / "h.sqlite3"))
        yield


@pytest.fixture(autouse=True)
def _private_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own history database (not created until something is stored)."""
    path = tmp_path / "history" / "history.sqlite3"
    monkeypatch.setenv("FORMCHECK_HISTORY", str(path))
    return path


def formcheck_env(**extra: str) -> dict[str, str]:
    """The environment for running this tree's formcheck in a subprocess."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


@dataclass(frozen=True)
class ModelRun:
    """One real analysis of the bundled glute-bridge sample, with every output."""

    video: Path
    out: Path
    landmarks: Path
    history: Path
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def model_run(tmp_path_factory: pytest.TempPathFactory) -> ModelRun:
    """Runs the pose model once on samples/glute_bridge_side (about a minute on two cores):
    ``formcheck analyze VIDEO --out DIR --save-landmarks ... --history ...`` in a subprocess."""
    base = tmp_path_factory.mktemp("model_run")
    video = REPO / "samples" / "glute_bridge_side" / "video.mp4"
    out, landmarks, history = base / "out", base / "landmarks.jsonl.gz", base / "history.sqlite3"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "formcheck.cli",
            "analyze",
            str(video),
            "-e",
            "glute_bridge",
            "--out",
            str(out),
            "--save-landmarks",
            str(landmarks),
            "--history",
            str(history),
        ],
        capture_output=True,
        text=True,
        env=formcheck_env(),
        timeout=900,
        check=False,
    )
    return ModelRun(video, out, landmarks, history, proc.returncode, proc.stdout, proc.stderr)


# -- the bundled samples, their truth, and short clips cut from them ------------------------

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
