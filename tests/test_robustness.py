"""Bad input, odd scenes and failing outputs: one clear line, a documented exit code, nothing lost.

The README's robustness table names these tests; keep the two in step.
"""

from __future__ import annotations

import errno
import gzip
import json
import math
import os
import tracemalloc
from pathlib import Path

import cv2
import numpy as np
import pytest
from builders import BRIDGE_START, HINGE_START, Sequence, bridge_rep, hinge_rep
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from test_cli import write_landmarks

from formcheck import reports, sources
from formcheck.cli import main
from formcheck.exercise import find_exercise
from formcheck.landmarks import N_LANDMARKS, PoseFrame
from formcheck.session import Analyzer
from formcheck.sources import VideoSource

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def run(argv, capsys) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def write_video(path: Path, frames: list[np.ndarray], fps: float = 30.0) -> Path:
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    assert writer.isOpened()
    for f in frames:
        writer.write(f)
    writer.release()
    return path


# -- files ---------------------------------------------------------------------------------

def test_empty_file(tmp_path, capsys):
    (tmp_path / "empty.mp4").write_bytes(b"")
    code, err = run(["analyze", str(tmp_path / "empty.mp4"), "-e", "hip_hinge"], capsys)
    assert code == 3 and "the file is empty" in err


def test_text_file_named_mp4(tmp_path, capsys):
    (tmp_path / "notes.mp4").write_text("this is not a video\n" * 50)
    code, err = run(["analyze", str(tmp_path / "notes.mp4"), "-e", "hip_hinge"], capsys)
    assert code == 3 and "not a video formcheck can read" in err


def test_landmark_file_given_as_the_video_points_to_landmarks(tmp_path, capsys):
    path = tmp_path / "set1.landmarks.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"t_s": 0.0}\n'))
    code, err = run(["analyze", str(path), "-e", "hip_hinge"], capsys)
    assert code == 3 and f"--landmarks {path}" in err and len(err.strip().splitlines()) == 1


def test_folder_without_images(tmp_path, capsys):
    code, err = run(["analyze", str(tmp_path), "-e", "hip_hinge"], capsys)
    assert code == 3 and "holds no images" in err


def test_truncated_mp4_without_its_index(tmp_path, capsys):
    data = (SAMPLES / "hip_hinge_side" / "video.mp4").read_bytes()
    (tmp_path / "cut.mp4").write_bytes(data[: len(data) // 2])
    code, err = run(["analyze", str(tmp_path / "cut.mp4"), "-e", "hip_hinge"], capsys)
    assert code == 3 and "not a video formcheck can read" in err


@pytest.mark.model
def test_truncated_mp4_that_still_decodes_is_analysed_with_a_warning(tmp_path, capsys):
    data = (DATA / "faststart.mp4").read_bytes()
    (tmp_path / "cut.mp4").write_bytes(data[: int(len(data) * 0.7)])  # about a third decodes
    report = tmp_path / "r.json"
    code = main(["analyze", str(tmp_path / "cut.mp4"), "-e", "glute_bridge", "--json", str(report), "-q"])
    capsys.readouterr()
    out = json.loads(report.read_text())
    assert 0 < out["source"]["frames_decoded"] < out["source"]["frame_count"]
    assert any("ended early" in w for w in out["summary"]["warnings"])
    assert code in (0, 6)


def test_av1_file_decodes():
    """AV1 (which the OpenCV wheel opened but could not decode) decodes through PyAV's dav1d."""
    with VideoSource(DATA / "av1.mp4") as src:
        frames = list(src.frames())
    assert len(frames) == 30 and frames[0].image.shape == (120, 160, 3)
    assert frames[0].image.std() > 10  # a picture, not a blank


def test_video_whose_packets_all_fail_to_decode(tmp_path, capsys):
    """A container that opens but whose video decodes to nothing: one line, exit 3."""
    data = bytearray((DATA / "faststart.mp4").read_bytes())
    # Keep the index (moov, at the front with faststart) but overwrite the coded frames.
    start = data.index(b"mdat") + 4
    data[start:] = bytes(len(data) - start)
    (tmp_path / "blank.mp4").write_bytes(bytes(data))
    code, err = run(["analyze", str(tmp_path / "blank.mp4"), "-e", "glute_bridge"], capsys)
    assert code == 3 and "no frame could be decoded" in err


@pytest.mark.model
def test_one_frame_video_with_nobody(tmp_path, capsys):
    path = write_video(tmp_path / "one.mp4", [np.full((240, 320, 3), 128, np.uint8)])
    code, err = run(["analyze", str(path), "-e", "glute_bridge"], capsys)
    assert code == 6 and "Nobody was detected" in err


@pytest.mark.model
@pytest.mark.parametrize("size", [(64, 64), (3840, 2160)], ids=["64x64", "4K"])
def test_tiny_and_4k_frames(tmp_path, capsys, size):
    w, h = size
    rng = np.random.default_rng(0)
    frames = [rng.integers(0, 255, (h, w, 3), dtype=np.uint8) for _ in range(3)]
    path = write_video(tmp_path / "v.mp4", frames)
    report = tmp_path / "r.json"
    code, err = run(["analyze", str(path), "-e", "hip_hinge", "--json", str(report)], capsys)
    assert code == 6 and "Nobody was detected" in err
    out = json.loads(report.read_text())
    assert (out["source"]["width"], out["source"]["height"]) == (w, h)
    assert out["summary"]["reps"] == 0


@pytest.mark.parametrize("claimed", [0.0, -5.0, float("nan"), 1e6])
def test_zero_or_absurd_fps_falls_back_to_30_and_says_so(monkeypatch, claimed):
    monkeypatch.setattr(sources, "claimed_fps", lambda stream: claimed)
    with VideoSource(DATA / "upright_reference.mp4") as src:
        assert src.info.fps == 30.0
        assert "30 assumed" in src.info.fps_note
        frames = list(src.frames())
    assert frames[1].timestamp_ms == pytest.approx(1000 / 30)


def test_fps_override(tmp_path):
    with VideoSource(DATA / "upright_reference.mp4", fps_override=25.0) as src:
        assert src.info.fps == 25.0
        assert [f.timestamp_ms for f in list(src.frames())[:2]] == [0.0, 40.0]


def test_portrait_phone_video_is_turned_upright():
    with VideoSource(DATA / "portrait_rotated.mp4") as src:
        assert (src.info.width, src.info.height) == (320, 240)
        rotated = next(src.frames()).image
    cap = cv2.VideoCapture(str(DATA / "upright_reference.mp4"))
    ok, upright = cap.read()
    cap.release()
    assert ok and rotated.shape == upright.shape
    assert float(np.abs(rotated.astype(int) - upright.astype(int)).mean()) < 5.0


def test_memory_stays_flat_on_a_long_session():
    """Analysis keeps no per-frame state beyond the report's small frame records."""
    seq = Sequence(HINGE_START).then(1.0)
    for _ in range(4):
        hinge_rep(seq)
    poses = seq.poses()
    period_ms = len(poses) * 1000 / 30

    def feed(an: Analyzer, first: int, last: int) -> None:
        for lap in range(first, last):
            for p in poses:
                an.update(PoseFrame(p.timestamp_ms + lap * period_ms, p.width, p.height, p.image))

    an = Analyzer(find_exercise("hip_hinge"), keep_frames=False)
    tracemalloc.start()
    feed(an, 0, 2)
    after_short, _ = tracemalloc.get_traced_memory()
    feed(an, 2, 8)
    after_long, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(an.reps) == 4 * 8
    assert after_long - after_short < 200_000  # the 24 new reps only


# -- scenes ----------------------------------------------------------------------------------

@pytest.mark.model
def test_nobody_in_view(tmp_path, capsys):
    frames = [np.full((240, 320, 3), 200, np.uint8)] * 10
    code, err = run(["analyze", str(write_video(tmp_path / "empty_room.mp4", frames)), "-e", "hip_hinge"], capsys)
    assert code == 6 and "Nobody was detected in any frame" in err


def test_front_view_is_refused_not_counted(tmp_path, capsys):
    s = Sequence(HINGE_START).then(1.0)
    hinge_rep(s)
    hinge_rep(s)
    lm = write_landmarks(tmp_path / "front.jsonl", s.poses(width_px=80.0), "hip_hinge")
    code, err = run(["analyze", "--landmarks", str(lm)], capsys)
    assert code == 6 and "could not be measured from where the camera stood (film from the side" in err


def test_wrong_exercise_for_the_video(tmp_path, capsys):
    s = Sequence(HINGE_START).then(1.0)
    hinge_rep(s)
    hinge_rep(s)
    lm = write_landmarks(tmp_path / "hinge.jsonl", s.poses(), "hip_hinge")
    code, err = run(["analyze", "--landmarks", str(lm), "-e", "glute_bridge"], capsys)
    assert code == 6 and "is --exercise glute_bridge the right exercise?" in err


def test_person_leaves_mid_set_and_comes_back(tmp_path):
    s = Sequence(BRIDGE_START).then(1.0)
    bridge_rep(s)
    s.then(3.0)  # out of view for these 3 s
    bridge_rep(s)
    bridge_rep(s)
    s.then(1.0)
    n_before = round((1.0 + 6.0) * 30)
    poses = s.poses(drop=lambda i: n_before + 5 <= i < n_before + 85)
    an = Analyzer(find_exercise("glute_bridge"))
    for p in poses:
        an.update(p)
    an.finish()
    assert len(an.reps) == 3
    assert an.status_counts["no_person"] == 80


@pytest.mark.model
def test_two_people_in_view(tmp_path, capsys):
    """Two people side by side: the model follows one, and the count is that person's."""
    cap = cv2.VideoCapture(str(SAMPLES / "glute_bridge_side" / "video.mp4"))
    frames = []
    for _ in range(int(7.5 * 30)):  # the lead-in and the first rep
        ok, f = cap.read()
        assert ok
        small = cv2.resize(f, (320, 240))
        frames.append(np.hstack([small, cv2.flip(small, 1)]))
    cap.release()
    report = tmp_path / "r.json"
    code = main(["analyze", str(write_video(tmp_path / "two.mp4", frames)), "-e", "glute_bridge",
                 "--json", str(report), "-q"])
    capsys.readouterr()
    assert code == 0
    assert json.loads(report.read_text())["summary"]["reps"] == 1


def test_broken_exercise_file_on_the_command_line(tmp_path, capsys):
    bad = tmp_path / "glute_bridge.toml"
    bad.write_text('name = "glute_bridge"\n[rep\n')
    code, err = run(["analyze", "missing.mp4", "-e", str(bad)], capsys)
    assert code == 4 and str(bad) in err and "invalid TOML" in err


# -- outputs ---------------------------------------------------------------------------------

@pytest.fixture
def hinge_landmarks(tmp_path) -> Path:
    s = Sequence(HINGE_START).then(1.0)
    for _ in range(3):
        hinge_rep(s)
    return write_landmarks(tmp_path / "hinge.jsonl.gz", s.poses(), "hip_hinge")


def test_report_path_is_a_folder(hinge_landmarks, tmp_path, capsys):
    code, err = run(["analyze", "--landmarks", str(hinge_landmarks), "--json", str(tmp_path)], capsys)
    assert code == 5 and "is a folder" in err


def test_disk_full_while_writing_leaves_no_partial_report(hinge_landmarks, tmp_path, capsys, monkeypatch):
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, text):
            self.fh.write(text[: len(text) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(reports.os, "fdopen", lambda *a, **k: FullDisk(real_fdopen(*a, **k)))
    out = tmp_path / "out"
    out.mkdir()
    code, err = run(["analyze", "--landmarks", str(hinge_landmarks), "--json", str(out / "r.json"), "-q"], capsys)
    assert code == 5 and "No space left on device" in err
    assert list(out.iterdir()) == []  # neither the report nor a temporary file is left


def test_ctrl_c_keeps_what_was_analysed_in_a_report_marked_incomplete(hinge_landmarks, tmp_path, capsys, monkeypatch):
    from formcheck.pose import replay

    real = replay.LandmarkReplay.poses

    def interrupted(self):
        for i, p in enumerate(real(self)):
            if i == 300:
                raise KeyboardInterrupt
            yield p

    monkeypatch.setattr(replay.LandmarkReplay, "poses", interrupted)
    report = tmp_path / "r.json"
    code = main(["analyze", "--landmarks", str(hinge_landmarks), "--json", str(report), "-q"])
    assert code == 130
    out = json.loads(report.read_text())
    assert out["complete"] is False
    assert len(out["frames"]) == 300
    assert out["summary"]["reps"] >= 1  # the first rep ended before frame 300
    assert "stopped" in capsys.readouterr().err


# -- fuzzing the landmarks → analysis path -------------------------------------------------

ODD = st.sampled_from([math.nan, math.inf, -math.inf, -5.0, 7.0, 0.5])


@st.composite
def messy_sequences(draw):
    """A still person with jitter, holes, odd values, flickering visibility and bad timestamps."""
    n = draw(st.integers(20, 120))
    base = Sequence(BRIDGE_START).then(n / 30).poses()[0].image
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    t = 0.0
    frames = []
    for _ in range(n):
        step = draw(st.sampled_from([33.3, 33.3, 33.3, 0.0, -50.0, 500.0]))
        t += step
        if draw(st.integers(0, 9)) == 0:
            frames.append(PoseFrame(t, 640, 480))
            continue
        image = base.copy()
        image[:, :2] += rng.normal(0, 0.002, (N_LANDMARKS, 2))
        image[:, 3] = rng.choice([0.0, 0.3, 0.95], N_LANDMARKS) if draw(st.booleans()) else 0.95
        for _ in range(draw(st.integers(0, 4))):
            image[rng.integers(N_LANDMARKS), rng.integers(4)] = draw(ODD)
        frames.append(PoseFrame(t, 640, 480, image))
    return frames


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames=messy_sequences(), exercise=st.sampled_from(["glute_bridge", "hip_hinge", "standing_glute_kickback"]))
def test_fuzzed_landmarks_never_raise_and_never_make_a_phantom_rep(frames, exercise):
    an = Analyzer(find_exercise(exercise))
    for f in frames:
        an.update(f)
    an.finish()
    assert an.reps == []
    report = reports.build_report(an, {"kind": "fuzz", "path": "-", "fps": 30.0, "frame_count": len(frames),
                                       "width": 640, "height": 480}, "fuzz")
    json.dumps(report, allow_nan=False)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 40), st.just(N_LANDMARKS), st.just(4)),
                  elements=st.floats(allow_nan=True, allow_infinity=True, width=32)))
def test_arbitrary_landmark_values_never_raise(rows):
    an = Analyzer(find_exercise("standing_glute_kickback"))
    for i, row in enumerate(rows):
        an.update(PoseFrame(i * 33.3, 640, 480, row))
    an.finish()
    assert an.reps == []
