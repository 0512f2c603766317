"""Video in: presentation times, variable frame rates and broken timestamps (PyAV decoding).

The end-to-end check runs the pose model on a render re-encoded at a variable frame rate
(frames dropped unevenly, their timestamps kept) and compares it with the same render at its
steady 30 fps: same reps, faults and rep times, angles as close to the truth as the README says.
"""

from __future__ import annotations

import gzip
import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from conftest import REPO, ModelRun

from formcheck.cli import main
from formcheck.sources import MAX_GAP_S, FrameClock, VideoSource

DATA = Path(__file__).parent / "data"
FINE_TB = Fraction(1, 90000)
# Mean absolute angle error of the README's table for the bridge sample (camera side left),
# plus a margin for the frames a variable frame rate leaves out.
README_HIP_MAE_DEG = 5.0
README_KNEE_MAE_DEG = 2.7
ANGLE_MARGIN_DEG = 1.0


def reencode(src: Path, dst: Path, keep, crf: int = 18) -> list[float]:
    """Re-encode ``src`` to H.264 in ``dst`` (MP4, time base 1/90000) keeping only the frames
    for which ``keep(index, t_s)`` is true, each at ``retime(t_s)`` = its own presentation time
    (``keep`` may return a float: the time to give the frame instead). Returns the times kept."""
    kept: list[float] = []
    with av.open(str(src)) as inp, av.open(str(dst), "w") as out:
        ist = inp.streams.video[0]
        ost = out.add_stream("libx264", rate=30)
        ost.width, ost.height, ost.pix_fmt = ist.codec_context.width, ist.codec_context.height, "yuv420p"
        ost.codec_context.time_base = FINE_TB
        ost.options = {"crf": str(crf), "preset": "ultrafast"}
        for i, frame in enumerate(inp.decode(ist)):
            t = float(frame.pts * ist.time_base)
            verdict = keep(i, t)
            if verdict is False:
                continue
            t_out = t if verdict is True else float(verdict)
            frame.pts, frame.time_base = round(t_out * FINE_TB.denominator), FINE_TB
            frame.pict_type = av.video.frame.PictureType.NONE
            out.mux(ost.encode(frame))
            kept.append(t_out)
        out.mux(ost.encode(None))
    return kept


def phone_like_drops(seed: int):
    """A ``keep`` for :func:`reencode` that drops frames unevenly, as a phone at a variable
    frame rate does: stretches of 0.7–2.5 s at 30, 24, 20, 15 or 12 fps (seeded)."""
    rng = np.random.default_rng(seed)
    state = {"until": -1.0, "rate": 30.0, "acc": 0.0}

    def keep(_i: int, t: float) -> bool:
        if t >= state["until"]:
            state["until"] = t + rng.uniform(0.7, 2.5)
            state["rate"] = float(rng.choice([30.0, 24.0, 20.0, 15.0, 12.0]))
        state["acc"] += state["rate"] / 30.0
        if state["acc"] < 1.0:
            return False
        state["acc"] -= 1.0
        return True

    return keep


# -- the clock: a table of timestamp sequences --------------------------------------------

CLOCK_CASES = [
    # (name, presentation times in ms (None: missing), expected times, expected counts)
    ("steady", [0, 33.3, 66.7, 100], [0, 33.3, 66.7, 100], {}),
    ("variable", [0, 33.3, 100, 116.7, 200], [0, 33.3, 100, 116.7, 200], {}),
    ("starts late", [5000, 5033.3, 5066.7], [0, 33.3, 66.7], {}),
    ("starts just after 0", [33, 66.3], [33, 66.3], {}),
    ("repeated", [0, 33.3, 33.3, 66.7], [0, 33.3, 66.7, 100.0], {"repeated": 1}),
    ("backwards (joined clips)", [0, 33.3, 66.7, 0, 33.3], [0, 33.3, 66.7, 100.0, 133.3], {"backwards": 1}),
    ("missing", [0, None, 66.7, 100], [0, 33.3, 66.7, 100], {"missing": 1}),
    ("jump forward", [0, 33.3, 60000, 60033.3], [0, 33.3, 66.7, 100.0], {"jumps": 1}),
]


@pytest.mark.parametrize("name,raw,expected,counts", CLOCK_CASES, ids=[c[0] for c in CLOCK_CASES])
def test_frame_clock_keeps_real_times_and_mends_broken_ones(name, raw, expected, counts):
    clock = FrameClock(1000 / 30)
    got = [clock.place(r) for r in raw]
    assert got == pytest.approx(expected, abs=0.2)
    report = clock.report()
    for key in ("missing", "repeated", "backwards", "jumps"):
        assert getattr(report, key) == counts.get(key, 0), key
    note = report.to_source().get("timestamp_note", "")
    assert bool(note) == bool(counts)


def test_frame_clock_refuses_a_bad_step():
    with pytest.raises(ValueError, match="positive frame step"):
        FrameClock(0.0)


# -- real files ---------------------------------------------------------------------------


def test_variable_frame_rate_file_gives_each_frame_its_own_time(tmp_path):
    src = DATA / "upright_reference.mp4"
    drop = {2, 3, 4, 9, 15, 16, 22}
    kept = reencode(src, tmp_path / "vfr.mp4", lambda i, t: i not in drop)
    with VideoSource(tmp_path / "vfr.mp4") as video:
        frames = list(video.frames())
        info = video.clock_report().to_source()
    assert [f.timestamp_ms / 1000 for f in frames] == pytest.approx(kept, abs=0.001)
    assert info["frame_rate"] == "variable"
    assert info["mean_fps"] == pytest.approx((len(kept) - 1) / (kept[-1] - kept[0]), rel=0.01)


@pytest.mark.model
def test_timestamp_jump_is_closed_up_and_said_in_the_report_source(tmp_path):
    """A file whose timestamps jump 50 s forward mid-way (a broken muxer): the analysis sees
    one continuous recording and the report's ``source`` says what was mended."""
    clip = tmp_path / "jump.mp4"
    reencode(DATA / "upright_reference.mp4", clip, lambda i, t: t + (50.0 if i >= 15 else 0.0))
    with VideoSource(clip) as video:
        times = [f.timestamp_ms for f in video.frames()]
    assert np.all(np.diff(times) > 0) and times[-1] < 1100
    report = tmp_path / "r.json"
    main(["analyze", str(clip), "-e", "glute_bridge", "--json", str(report), "-q", "--no-history"])
    source = json.loads(report.read_text())["source"]
    assert "forward jumps of more than" in source["timestamp_note"]
    assert f"{MAX_GAP_S:g} s" in source["timestamp_note"]


# -- the model on a variable-frame-rate render --------------------------------------------


@pytest.fixture(scope="module")
def vfr_run(tmp_path_factory) -> tuple[dict, list[float]]:
    """The bridge sample re-encoded at a variable frame rate (mean ~19 fps), analysed."""
    base = tmp_path_factory.mktemp("vfr")
    clip = base / "bridge_vfr.mp4"
    kept = reencode(REPO / "samples" / "glute_bridge_side" / "video.mp4", clip, phone_like_drops(7))
    code = main(["analyze", str(clip), "-e", "glute_bridge", "--json", str(base / "r.json"), "-q",
                 "--no-history"])
    assert code == 0
    return json.loads((base / "r.json").read_text()), kept


def test_variable_frame_rate_render_gives_the_same_reps_faults_and_times(vfr_run, model_run: ModelRun):
    vfr, kept = vfr_run
    assert model_run.returncode == 0, model_run.stderr
    steady = json.loads((model_run.out / "report.json").read_text())
    assert vfr["source"]["frame_rate"] == "variable"
    assert 15 < vfr["source"]["mean_fps"] < 25 and len(kept) < 0.75 * steady["source"]["frame_count"]
    assert [r["index"] for r in vfr["reps"]] == [r["index"] for r in steady["reps"]]
    for a, b in zip(vfr["reps"], steady["reps"], strict=True):
        assert {f["code"] for f in a["faults"]} == {f["code"] for f in b["faults"]}, a["index"]
        for key in ("start_s", "top_s", "end_s"):
            assert a[key] == pytest.approx(b[key], abs=0.3), (a["index"], key)


@pytest.mark.model
def test_variable_frame_rate_render_angles_are_within_the_readme_error(vfr_run):
    vfr, _ = vfr_run
    with gzip.open(REPO / "samples" / "glute_bridge_side" / "truth.json.gz", "rt") as fh:
        truth = json.load(fh)
    fps = truth["scenario"]["fps"]
    for ours, theirs, limit in (("hip_flexion_deg", "hip_line_flexion_deg", README_HIP_MAE_DEG),
                                ("knee_flexion_deg", "knee_flexion_deg", README_KNEE_MAE_DEG)):
        errors = []
        for f in vfr["frames"]:
            i = round(f["t_s"] * fps)
            # Each frame is compared with the truth of its own moment: times are real.
            assert abs(i / fps - f["t_s"]) < 0.002
            v = f["angles"][ours]["left"]
            if v is not None:
                errors.append(abs(v - truth["frames"][i]["angles"][theirs]["left"]))
        assert len(errors) > 0.8 * len(vfr["frames"])
        assert float(np.mean(errors)) < limit + ANGLE_MARGIN_DEG, ours


@pytest.mark.parametrize("clip", ["faststart.mp4", "upright_reference.mp4"])
@pytest.mark.parametrize(("stride", "start", "stop"), [(1, 37, None), (2, 10, 30), (3, 1, None), (1, 29, 31)])
def test_a_chunk_jumps_to_its_start_and_gets_the_frames_of_the_whole_run(monkeypatch, clip, stride, start, stop):
    """``--workers``: a chunk seeks near its first frame instead of decoding all before it, and
    gets exactly the indices, times and pixels the whole run has for those frames."""
    with VideoSource(DATA / clip) as video:
        whole = [f for f in video.frames() if f.index >= start and f.index % stride == 0
                 and (stop is None or f.index < stop)]
    seeks = []
    real_seek = VideoSource._seek

    def seek(self, frame):
        seeks.append(real_seek(self, frame))
        return seeks[-1]

    monkeypatch.setattr(VideoSource, "_seek", seek)
    with VideoSource(DATA / clip) as video:
        part = list(video.frames(stride, start, stop))
    assert seeks and seeks[0] is not None, "the chunk decoded from the beginning"
    assert [(f.index, f.timestamp_ms) for f in part] == [(f.index, f.timestamp_ms) for f in whole]
    for a, b in zip(part, whole, strict=True):
        assert np.array_equal(a.image, b.image)


def test_a_variable_frame_rate_chunk_decodes_from_the_beginning(tmp_path):
    """Its frame numbers cannot be found by time, so nothing is skipped by seeking."""
    clip = tmp_path / "vfr.mp4"
    reencode(DATA / "upright_reference.mp4", clip, lambda i, t: i not in {2, 3, 9})
    with VideoSource(clip) as video:
        whole = list(video.frames())
    with VideoSource(clip) as video:
        part = list(video.frames(1, 12))
    assert [(f.index, f.timestamp_ms) for f in part] == [(f.index, f.timestamp_ms) for f in whole[12:]]
