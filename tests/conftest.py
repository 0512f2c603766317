"""Shared fixtures. Every test gets its own history database: none may touch the user's."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2
import pytest
from hypothesis import settings

# Test helpers (builders.py, report_builders.py) import by module name.
sys.path.insert(0, str(Path(__file__).parent))

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"

# Hypothesis (the fuzz tests in test_robustness.py) draws the same examples on every run, so the
# suite passes or fails the same way on every machine. To search new examples by hand:
# FORMCHECK_FUZZ=explore python -m pytest tests/test_robustness.py -k fuzz
settings.register_profile("fixed", derandomize=True, database=None, max_examples=50)
settings.register_profile("explore", derandomize=False, max_examples=2000)
settings.load_profile("explore" if os.environ.get("FORMCHECK_FUZZ") == "explore" else "fixed")


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


# -- the pose model: once per sample per test session --------------------------------------
#
# Tests that run the pose model carry the marker ``model`` (``pytest -m "not model"`` is the
# fast loop). A test that uses a fixture below which runs the model is marked automatically;
# any other test that starts the model without the marker fails (``_model_guard``), so the
# marker cannot silently go stale. Everything else replays landmarks: the committed golden
# ones (``golden_data``), or those a model run saved here; a replay is exact.

MODEL_FIXTURES = frozenset({"model_runs", "model_run"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


@pytest.fixture(autouse=True)
def _model_guard(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside ``model`` tests, starting the pose model is an error that names the marker."""
    if request.node.get_closest_marker("model") is not None:
        return
    import formcheck.pose.mediapipe_legacy as backend

    def refuse(*_a: object, **_k: object) -> None:
        raise RuntimeError("this test runs the pose model: mark it @pytest.mark.model, or replay landmarks")

    monkeypatch.setattr(backend.MediaPipeLegacyPose, "__init__", refuse)


@dataclass(frozen=True)
class ModelRun:
    """One real analysis of a bundled sample, with every output."""

    video: Path
    out: Path
    landmarks: Path
    history: Path
    returncode: int
    stdout: str
    stderr: str


def _model_run(base: Path, sample: str) -> ModelRun:
    """``formcheck analyze VIDEO -e EXERCISE --out DIR --save-landmarks ... --history ...`` in a
    subprocess: the pose model over the whole sample (about a minute on two cores)."""
    video = sample_video(sample)
    out, landmarks, history = base / "out", base / "landmarks.jsonl.gz", base / "history.sqlite3"
    proc = subprocess.run(
        [sys.executable, "-m", "formcheck.cli", "analyze", str(video), "-e", SAMPLES[sample],
         "--out", str(out), "--save-landmarks", str(landmarks), "--history", str(history)],
        capture_output=True,
        text=True,
        env=formcheck_env(),
        timeout=1800,  # a model run takes ~1 min on two quiet cores; far longer only on a loaded machine
        check=False,
    )
    return ModelRun(video, out, landmarks, history, proc.returncode, proc.stdout, proc.stderr)


class ModelRuns:
    """The model run of each sample, made the first time it is asked for (so a test session
    that needs one sample runs the model on that sample only).

    Under pytest-xdist the workers share the runs: the first worker to ask for a sample runs
    it in the run's common temporary folder while holding a lock there; the others wait for it
    and read what it wrote. So each sample goes through the model once per test run however
    many workers there are."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._runs: dict[str, ModelRun] = {}

    def __getitem__(self, sample: str) -> ModelRun:
        if sample not in self._runs:
            self._runs[sample] = self._shared(sample) if _xdist_worker() else _model_run(
                self._factory.mktemp(f"model-{sample}"), sample)
        return self._runs[sample]

    def _shared(self, sample: str) -> ModelRun:
        common = self._factory.getbasetemp().parent  # one folder per test run, shared by its workers
        base, done = common / f"model-{sample}", common / f"model-{sample}.json"
        with _locked(common / f"model-{sample}.lock"):
            if done.exists():
                return ModelRun(**{k: Path(v) if k in _RUN_PATHS else v
                                   for k, v in json.loads(done.read_text()).items()})
            base.mkdir(exist_ok=True)
            run = _model_run(base, sample)
            done.write_text(json.dumps({k: str(v) if k in _RUN_PATHS else v for k, v in vars(run).items()}))
            return run


_RUN_PATHS = frozenset({"video", "out", "landmarks", "history"})


def _xdist_worker() -> bool:
    return bool(os.environ.get("PYTEST_XDIST_WORKER"))


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` across processes (POSIX ``flock``). Where there is no
    ``fcntl`` (Windows) it does not lock, and two workers may both run a sample: slower, not wrong."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def model_runs(tmp_path_factory: pytest.TempPathFactory) -> ModelRuns:
    """The pose model over each bundled sample, once per test session, by sample name."""
    return ModelRuns(tmp_path_factory)


@pytest.fixture(scope="session")
def model_run(model_runs: ModelRuns) -> ModelRun:
    """The model run of samples/glute_bridge_side."""
    return model_runs["glute_bridge_side"]


@dataclass(frozen=True)
class Replay:
    """A sample's video and its golden landmarks as a landmark file (no model needed)."""

    sample: str
    exercise: str
    video: Path
    landmarks: Path


@pytest.fixture(scope="session")
def golden_replays(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Replay]:
    """Each sample's committed golden landmarks, written out as landmark files."""
    from golden_data import golden_landmarks

    base = tmp_path_factory.mktemp("golden-landmarks")
    return {s: Replay(s, ex, sample_video(s), golden_landmarks(s, base)) for s, ex in SAMPLES.items()}


@pytest.fixture(scope="session")
def bridge_replay(golden_replays: dict[str, Replay]) -> Replay:
    return golden_replays["glute_bridge_side"]


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
