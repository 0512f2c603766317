"""Every output for the bundled samples is the same as the golden files in ``tests/golden/``.

The goldens were made by ``python tests/make_golden.py`` (see its docstring; regenerate them
with it, and review the diff, when an output is meant to change). Here the committed landmarks
are replayed through ``formcheck analyze --landmarks ... --out DIR`` (no pose model; a replay
is exact), and each output is compared:

- ``report.json``: equal as JSON, except ``tool.version`` (changes with every release).
- ``reps.csv``: equal, byte for byte.
- ``report.html``: equal after normalising what matplotlib varies from run to run inside the
  embedded SVG plots (its ``<dc:date>`` and the random ids of clip paths); the embedded JPEG
  thumbnails are compared decoded, within ``JPEG_TOLERANCE`` grey levels on average.
- the annotated video: each drawn frame's 32×24 grey thumbnail within ``FRAME_TOLERANCE``
  grey levels on average, and ``PIXEL_TOLERANCE`` at every pixel, of the golden's (decoded)
  frame, and the same size and frame count (a codec rounds; a moved banner or gauge changes a
  thumbnail by far more). Encoding costs
  ~30 s a sample, so here the frames are taken as drawn, before the encoder
  (``_ThumbSink``); the encoded file itself (container, decodability) is compared in the
  ``model`` test below, on the video the model run wrote.
- ``live.json`` (glute bridge): ``formcheck live`` through the real video decoder with the
  golden landmarks in place of the model; equal except ``live.timing`` (wall-clock speed) and
  ``tool.version``.

The one model test at the end checks the pose model still gives the golden report.
"""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest
from golden_data import GOLDEN, REPO, SAMPLES, golden_landmarks, live_with_golden_poses
from make_golden import THUMB_SIZE, find_video, video_thumbnails

from formcheck.cli import main

# The annotated video against its golden, per frame's 32×24 grey thumbnail (grey levels, 0..255).
# The codec's own loss (H.264 at CRF 18 now, VP8 before), drawn frame against decoded: small
# on the samples; a banner, digit or gauge that moved changes some pixel by tens.
FRAME_TOLERANCE = 3.0  # mean absolute difference over the thumbnail
PIXEL_TOLERANCE = 8.0  # largest difference at one thumbnail pixel
JPEG_TOLERANCE = 2.0  # the same for a thumbnail in the page, at full size
IGNORED_REPORT_KEYS = (("tool", "version"),)


def _drop(report: dict, keys: tuple[tuple[str, ...], ...]) -> dict:
    out = json.loads(json.dumps(report))
    for path in keys:
        d = out
        for k in path[:-1]:
            d = d.get(k, {})
        d.pop(path[-1], None)
    return out


class _ThumbSink:
    """Stands in for the annotated video's encoder: keeps each frame's grey thumbnail."""

    made: dict[str, _ThumbSink] = {}

    def __init__(self, path: Path, fps: float) -> None:
        self.path, self.fps, self.frames = Path(path), fps, 0
        self.thumbs: list[np.ndarray] = []
        self.size: tuple[int, int] | None = None
        _ThumbSink.made[str(self.path)] = self

    def write(self, image: np.ndarray, t_s: float) -> None:
        self.size = (image.shape[1], image.shape[0])
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        self.thumbs.append(cv2.resize(grey, THUMB_SIZE, interpolation=cv2.INTER_AREA))
        self.frames += 1

    def close(self, complete: bool = True) -> None:
        pass

    def __enter__(self) -> _ThumbSink:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


@dataclass(frozen=True)
class GoldenRun:
    out: Path
    video: _ThumbSink


@pytest.fixture(scope="session")
def golden_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GoldenRun]:
    """``analyze VIDEO --landmarks GOLDEN --out DIR`` for each sample, the video's frames
    kept as drawn (not encoded): the folder and the frames by sample."""
    from formcheck import annotate

    runs = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(annotate, "open_sink", _ThumbSink)
        for sample, exercise in SAMPLES.items():
            base = tmp_path_factory.mktemp(f"golden-{sample}")
            landmarks = golden_landmarks(sample, base)
            out = base / "out"
            video = REPO / "samples" / sample / "video.mp4"
            code = main(["analyze", str(video), "--landmarks", str(landmarks), "-e", exercise, "--out",
                         str(out), "--no-history", "-q"])
            assert code == 0
            (sink,) = [v for k, v in _ThumbSink.made.items() if Path(k).parent == out]
            runs[sample] = GoldenRun(out, sink)
    return runs


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_report_json_is_the_golden(golden_runs, sample):
    ours = json.loads((golden_runs[sample].out / "report.json").read_text())
    gold = json.loads((GOLDEN / sample / "report.json").read_text())
    assert _drop(ours, IGNORED_REPORT_KEYS) == _drop(gold, IGNORED_REPORT_KEYS)


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_reps_csv_is_the_golden(golden_runs, sample):
    assert (golden_runs[sample].out / "reps.csv").read_bytes() == (GOLDEN / sample / "reps.csv").read_bytes()


_DATA_URI = re.compile(r"data:image/(svg\+xml|jpeg);base64,([A-Za-z0-9+/=]+)")


def _svg_normalised(svg: str) -> str:
    svg = re.sub(r"<dc:date>[^<]*</dc:date>", "<dc:date/>", svg)
    ids = {}  # matplotlib's random clip-path ids, renamed in order of appearance
    return re.sub(r"\b[pm][0-9a-f]{10}\b", lambda m: ids.setdefault(m.group(0), f"clip{len(ids)}"), svg)


def _split_html(html: str) -> tuple[str, list[str], list[np.ndarray]]:
    """The page with its data URIs cut out, the SVGs normalised, and the JPEGs decoded (grey)."""
    svgs, jpegs = [], []

    def cut(m: re.Match[str]) -> str:
        data = base64.b64decode(m.group(2))
        if m.group(1) == "jpeg":
            jpegs.append(cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE))
        else:
            svgs.append(_svg_normalised(data.decode("utf-8")))
        return f"data:image/{m.group(1)};base64,..."

    return _DATA_URI.sub(cut, html), svgs, jpegs


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_report_html_is_the_golden(golden_runs, sample):
    page, svgs, jpegs = _split_html((golden_runs[sample].out / "report.html").read_text())
    g_page, g_svgs, g_jpegs = _split_html((GOLDEN / sample / "report.html").read_text())
    assert page == g_page
    assert svgs == g_svgs
    assert [j.shape for j in jpegs] == [j.shape for j in g_jpegs]
    for ours, gold in zip(jpegs, g_jpegs, strict=True):
        assert float(np.mean(np.abs(ours.astype(float) - gold))) <= JPEG_TOLERANCE


def _same_frames(thumbs: np.ndarray, gold: np.ndarray, pixel_tolerance: float = PIXEL_TOLERANCE) -> None:
    assert thumbs.shape == gold.shape
    diff = np.abs(thumbs.astype(float) - gold)
    mean = diff.mean(axis=(1, 2))
    worst = int(np.argmax(mean))
    assert mean[worst] <= FRAME_TOLERANCE, f"frame {worst} differs by {mean[worst]:.2f} grey levels on average"
    peak = diff.max(axis=(1, 2))
    worst = int(np.argmax(peak))
    assert peak[worst] <= pixel_tolerance, f"frame {worst} differs by {peak[worst]:.0f} grey levels at a pixel"


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_annotated_video_frames_are_the_golden(golden_runs, sample):
    sink = golden_runs[sample].video
    gold = np.load(GOLDEN / sample / "annotated_frames.npz")
    assert sink.size == tuple(gold["size"])
    _same_frames(np.stack(sink.thumbs), gold["thumbs"])


def test_live_report_is_the_golden(tmp_path):
    sample = "glute_bridge_side"
    out = live_with_golden_poses(sample, tmp_path / "live.json")
    ignored = (*IGNORED_REPORT_KEYS, ("live", "timing"))
    gold = json.loads((GOLDEN / sample / "live.json").read_text())
    assert _drop(json.loads(out.read_text()), ignored) == _drop(gold, ignored)


# -- the pose model still gives the golden landmarks ------------------------------------------

# The model's float32 output may differ in the last bits on another CPU (other SIMD paths):
# reps, legs and fault codes must be the same, every number within this much (°, s).
MODEL_NUMBER_TOLERANCE = 0.5


def _close(ours, gold, path="report"):  # type: ignore[no-untyped-def]
    if isinstance(gold, dict):
        assert isinstance(ours, dict) and ours.keys() == gold.keys(), path
        for k in gold:
            _close(ours[k], gold[k], f"{path}.{k}")
    elif isinstance(gold, list):
        assert isinstance(ours, list) and len(ours) == len(gold), path
        for i, (a, b) in enumerate(zip(ours, gold, strict=True)):
            _close(a, b, f"{path}[{i}]")
    elif isinstance(gold, float) and not isinstance(ours, bool) and isinstance(ours, int | float):
        assert abs(ours - gold) <= MODEL_NUMBER_TOLERANCE, f"{path}: {ours} vs {gold}"
    else:
        assert ours == gold, f"{path}: {ours!r} vs {gold!r}"


@pytest.mark.model
@pytest.mark.parametrize("sample", list(SAMPLES))
def test_the_model_gives_the_golden_report(model_runs, sample):
    """The model run's report against the golden one (paths differ: the run's video path is
    absolute, the golden's relative; the page and video follow from the report and are
    compared exactly above)."""
    run = model_runs[sample]
    assert run.returncode == 0, run.stderr
    ours = json.loads((run.out / "report.json").read_text())
    gold = json.loads((GOLDEN / sample / "report.json").read_text())
    ignored = (*IGNORED_REPORT_KEYS, ("source", "path"))
    _close(_drop(ours, ignored), _drop(gold, ignored))


@pytest.mark.model
@pytest.mark.parametrize("sample", list(SAMPLES))
def test_the_model_run_writes_the_golden_annotated_video(model_runs, sample):
    """The encoded video the model run wrote: same container and size, frames as the golden's."""
    video = find_video(model_runs[sample].out)
    gold = np.load(GOLDEN / sample / "annotated_frames.npz")
    assert video.suffix == str(gold["container"])
    cap = cv2.VideoCapture(str(video))
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    cap.release()
    assert size == tuple(gold["size"])
    # The model's angles may differ from the golden landmarks' in the last digits (another run,
    # another CPU), which can flip a digit shown on a frame: the mean over each frame is
    # checked, not every pixel (the exact drawing is checked above, on the replay).
    _same_frames(video_thumbnails(video), gold["thumbs"], pixel_tolerance=math.inf)
