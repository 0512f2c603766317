"""The live loop: same reps and faults as analyze, sets, cues, hold timer, failures, keys.

``live_runs`` plays each sample through the CLI as a user would run it headless (the real
video decoder and live loop), with the committed golden landmarks in place of the pose model
(tests/golden_data.py; the model's own run is checked against them in test_golden.py);
everything else replays the landmarks that run saved, through the same LiveSession with a
replaying estimator, so it is fast and exact.
"""

from __future__ import annotations

import gzip
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from formcheck.capture import CAMERA_STALL_S
from formcheck.cli import main
from formcheck.coaching import (
    PHASE_POSITION,
    SetPhase,
    SetPlan,
)
from formcheck.errors import InputError
from formcheck.exercise import find_exercise
from formcheck.landmarks import PoseFrame
from formcheck.live import Ended, LiveOptions, LiveSession
from formcheck.pose.replay import LandmarkReplay
from formcheck.session import Analyzer, Status
from formcheck.sources import Frame, SourceInfo

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {
    "glute_bridge": ROOT / "samples/glute_bridge_side/video.mp4",
    "hip_hinge": ROOT / "samples/hip_hinge_side/video.mp4",
    "standing_glute_kickback": ROOT / "samples/standing_glute_kickback_side/video.mp4",
}
def truth_reps(exercise: str) -> list[tuple[str | None, list[str]]]:
    """(leg, fault codes expected) of every rep the renderer says should count: the injected
    faults the exercise judges. Speed is judged only where the programme asks for a tempo; the
    renderer's rushed rep also has no hold, which the kickback does judge."""
    path = SAMPLES[exercise].parent / "truth.json.gz"
    with gzip.open(path, "rt") as fh:
        truth = json.load(fh)
    judged = {f.code for f in find_exercise(exercise).faults}
    out = []
    for r in truth["reps"]:
        if r["counts"]:
            codes = {f["type"] for f in r["faults"]}
            if "too_fast" in codes and "too_fast" not in judged and "hold_too_short" in judged:
                codes.add("hold_too_short")
            out.append((r["leg"], sorted(codes & judged)))
    return out


FRAME_COUNTS = {"glute_bridge": 1175, "hip_hinge": 1350, "standing_glute_kickback": 1386}


@dataclass(frozen=True)
class LiveRun:
    exercise: str
    code: int
    report: dict
    report_path: Path
    landmarks: Path
    seconds: float


@pytest.fixture(scope="session")
def live_runs(tmp_path_factory) -> dict[str, LiveRun]:
    """``formcheck live --camera VIDEO --no-window --no-pace`` once on each sample, the golden
    landmarks standing in for the model, with its report and landmarks kept for the other tests."""
    from golden_data import GoldenPoses, golden_landmarks

    import formcheck.pose.mediapipe_legacy as backend

    out = tmp_path_factory.mktemp("live")
    runs = {}
    for exercise, video in SAMPLES.items():
        report = out / f"{exercise}.json"
        landmarks = out / f"{exercise}.landmarks.jsonl.gz"
        golden = list(LandmarkReplay(golden_landmarks(video.parent.name, out)).poses())
        t0 = time.monotonic()
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(backend, "MediaPipeLegacyPose", lambda golden=golden, **kw: GoldenPoses(golden))
            code = main(
                [
                    "live",
                    "-e",
                    exercise,
                    "--camera",
                    str(video),
                    "--no-window",
                    "--no-pace",
                    "--mute",
                    "--quiet",
                    "--json",
                    str(report),
                    "--save-landmarks",
                    str(landmarks),
                    "--history",
                    str(out / "history.sqlite3"),
                ]
            )
        runs[exercise] = LiveRun(
            exercise, code, json.loads(report.read_text()), report, landmarks, time.monotonic() - t0
        )
    return runs


def rep_table(report: dict) -> list[tuple[str | None, list[str]]]:
    return [(r["leg"], sorted(f["code"] for f in r["faults"])) for r in report["reps"]]


# -- the same results as analyze ----------------------------------------------------------------


@pytest.mark.parametrize("exercise", list(SAMPLES))
def test_live_on_a_sample_gives_the_reps_and_faults_of_analyze(live_runs, exercise):
    run = live_runs[exercise]
    assert run.code == 0
    assert rep_table(run.report) == truth_reps(exercise)
    assert run.report["complete"] is True
    assert run.report["summary"]["frames"] == FRAME_COUNTS[exercise], "every frame must be analysed"
    assert run.report["live"]["timing"]["frames_dropped"] == 0
    if exercise == "standing_glute_kickback":
        assert run.report["summary"]["per_leg"] == {"left": 3, "right": 4}


@pytest.mark.parametrize("exercise", list(SAMPLES))
def test_live_report_equals_analyze_on_the_same_poses(live_runs, exercise, tmp_path):
    """analyze --landmarks on the poses the live run saw: the whole report agrees, timings too."""
    run = live_runs[exercise]
    out = tmp_path / "analyze.json"
    assert (
        main(
            ["analyze", "--landmarks", str(run.landmarks), "-e", exercise, "--json", str(out), "-q"]
        )
        == 0
    )
    ref = json.loads(out.read_text())
    for key in ("reps", "uncounted", "summary", "frames", "side", "exercise"):
        assert run.report[key] == ref[key], key


# -- replaying saved poses through the live loop ----------------------------------------------


class ReplayEstimator:
    """A pose 'model' that returns the saved pose of the frame with the same timestamp."""

    name = "replay"

    def __init__(self, poses: list[PoseFrame]) -> None:
        self.by_t = {round(p.timestamp_ms, 3): p for p in poses}

    def estimate(self, image_bgr: np.ndarray, timestamp_ms: float) -> PoseFrame:
        return self.by_t[round(timestamp_ms, 3)]

    def close(self) -> None:
        pass

    def __enter__(self) -> ReplayEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class FakeSource:
    """Small blank frames at the saved poses' times; optionally fails after ``fail_after``
    frames (a camera unplugged), or hangs there (a camera that stalls)."""

    def __init__(
        self,
        poses: list[PoseFrame],
        kind: str = "video",
        fail_after: int | None = None,
        hang: bool = False,
        fps: float = 30.0,
        pace_s: float = 0.0,
    ) -> None:
        self.poses = poses
        self.fail_after = fail_after
        self.hang = hang
        self.pace_s = pace_s
        self.release = threading.Event()
        self.info = SourceInfo(
            kind, "fake" if kind == "video" else "camera:0", fps, len(poses), 64, 48
        )

    def frames(self) -> Iterator[Frame]:
        image = np.zeros((48, 64, 3), np.uint8)
        for i, p in enumerate(self.poses):
            if self.fail_after is not None and i == self.fail_after:
                if self.hang:
                    self.release.wait(30)
                    return
                raise InputError(
                    "the camera stopped sending frames (unplugged or taken by another program)"
                )
            if self.pace_s:
                time.sleep(self.pace_s)
            yield Frame(i, p.timestamp_ms, image)

    def __enter__(self) -> FakeSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()


class ScriptedDisplay:
    """A display that records what it shows and sends commands after given numbers of polls."""

    def __init__(self, script: dict[int, str] | None = None) -> None:
        self.script = dict(script or {})
        self.polls = 0
        self.shown = 0
        self.closed = False

    def show(self, image_bgr: np.ndarray) -> None:
        self.shown += 1

    def poll(self, wait_ms: int = 1) -> str | None:
        self.polls += 1
        return self.script.pop(self.polls, None)

    def close(self) -> None:
        self.closed = True


def poses_of(run: LiveRun) -> list[PoseFrame]:
    return list(LandmarkReplay(run.landmarks).poses())


def replay(run: LiveRun, poses: list[PoseFrame] | None = None, **kw) -> tuple[LiveSession, object]:
    poses = poses if poses is not None else poses_of(run)
    source_kw = {k: kw.pop(k) for k in ("kind", "fail_after", "hang", "pace_s") if k in kw}
    display = kw.pop("display", None)
    spec = find_exercise(run.exercise)
    plan = kw.pop("plan", SetPlan.from_spec(spec))
    source = FakeSource(poses, **source_kw)
    session = LiveSession(
        source,
        ReplayEstimator(poses),
        spec,
        LiveOptions(plan, pace=False, **kw),
        display=display,
        out=lambda text: None,
    )
    with source:
        result = session.run()
    return session, result


def test_replay_through_the_loop_gives_the_same_reps(live_runs):
    run = live_runs["standing_glute_kickback"]
    _, result = replay(run)
    assert [
        (r.leg.value if r.leg else None, sorted(f.code for f in r.faults)) for r in result.analyzer.reps
    ] == rep_table(run.report)
    assert result.ended is Ended.END_OF_INPUT and result.complete


def test_sets_rest_and_the_next_set(live_runs):
    """Bridge sample with 2 sets of 3 and a 1 s rest: reps 1–3 are set 1, then 4–6 set 2."""
    run = live_runs["glute_bridge"]
    plan = SetPlan(sets=2, reps=3, per_leg=False, rest_s=1.0)
    session, result = replay(run, plan=plan)
    assert [[r.index for r in s.reps] for s in result.sets] == [[1, 2, 3], [4, 5, 6]]
    assert session.sets.phase is SetPhase.DONE
    extra = result.report_extra()
    assert extra["plan"] == {"sets": 2, "reps": 3, "per_leg": False, "rest_s": 1.0}
    assert [s["good_reps"] for s in extra["sets"]] == [2, 1]


def test_source_failing_mid_set_keeps_what_was_counted(live_runs):
    run = live_runs["glute_bridge"]
    poses = poses_of(run)
    cut = next(
        i for i, p in enumerate(poses) if p.timestamp_ms > 20_000
    )  # after rep 3, before rep 4
    _, result = replay(run, poses, fail_after=cut)
    assert isinstance(result.error, InputError) and result.ended is Ended.ERROR
    assert not result.complete
    assert [r.index for r in result.analyzer.reps] == [1, 2, 3]


def test_cli_saves_the_report_when_the_source_fails(live_runs, monkeypatch, tmp_path):
    """Through the CLI: exit 3 with the message, and the report holds the reps counted."""
    run = live_runs["glute_bridge"]
    poses = poses_of(run)
    cut = next(i for i, p in enumerate(poses) if p.timestamp_ms > 20_000)
    import formcheck.pose.mediapipe_legacy as backend
    import formcheck.sources as sources

    monkeypatch.setattr(
        sources, "open_source", lambda spec, fps=None: FakeSource(poses, fail_after=cut)
    )
    monkeypatch.setattr(backend, "MediaPipeLegacyPose", lambda **kw: ReplayEstimator(poses))
    out = tmp_path / "session.json"
    t0 = time.monotonic()
    code = main(
        [
            "live",
            "-e",
            "glute_bridge",
            "--camera",
            "fake.mp4",
            "--no-window",
            "--no-pace",
            "--mute",
            "--quiet",
            "--json",
            str(out),
        ]
    )
    assert code == 3
    assert time.monotonic() - t0 < 10
    report = json.loads(out.read_text())
    assert report["complete"] is False
    assert [r["index"] for r in report["reps"]] == [1, 2, 3]
    assert report["live"]["ended"] == "error" and "camera stopped" in report["live"]["error"]


def test_a_stalled_camera_ends_the_session_quickly(live_runs):
    run = live_runs["glute_bridge"]
    poses = poses_of(run)[:400]
    t0 = time.monotonic()
    _, result = replay(run, poses, kind="camera", fail_after=200, hang=True, pace_s=0.002)
    elapsed = time.monotonic() - t0
    assert isinstance(result.error, InputError) and "stopped sending" in str(result.error)
    # 200 frames at ~2 ms, then the stall limit, then stopping: well inside 2 s of the stall.
    assert elapsed < 200 * 0.002 + CAMERA_STALL_S + 2.0
    assert result.source.frame_count == result.stats.frames_analysed


def test_keys_quit_pause_reset(live_runs):
    run = live_runs["glute_bridge"]
    poses = poses_of(run)
    # A camera-like run (newest frame only) quit by the keyboard.
    display = ScriptedDisplay({5: "pause", 8: "pause", 12: "reset", 40: "quit"})
    session, result = replay(run, poses, display=display, kind="camera", pace_s=0.002)
    assert result.ended is Ended.QUIT and result.complete  # a camera session the person ended
    assert display.closed and display.shown > 0
    # A file quit early is marked incomplete.
    _, result = replay(run, poses, display=ScriptedDisplay({3: "quit"}))
    assert result.ended is Ended.QUIT and not result.complete


def test_record_writes_the_overlay_video(live_runs, tmp_path):
    """--record x.mp4: H.264, one frame per frame drawn, each at its frame's own time."""
    import av

    run = live_runs["hip_hinge"]
    poses = poses_of(run)[:60]
    path = tmp_path / "rec.mp4"
    _, result = replay(run, poses, record=path)
    with av.open(str(path)) as video:
        stream = video.streams.video[0]
        assert stream.codec_context.name == "h264"
        times = [float(f.pts * f.time_base) for f in video.decode(stream)]
    assert len(times) == result.stats.frames_drawn == 60
    assert times == pytest.approx([p.timestamp_ms / 1000 for p in poses], abs=1e-3)


def test_no_phantom_reps_when_the_person_walks_away_and_back(live_runs):
    """Bridge frames to 12.5 s (after rep 2), nobody for 3 s, a standing person (from the
    hinge clip, facing the other way) for 2 s, nobody for 2 s, then the bridge clip again
    from 6 s (lying still, then reps 2 to 6). Exactly the reps done are counted: the
    walk-out, the standing and the lying down add none."""
    bridge = poses_of(live_runs["glute_bridge"])
    standing = poses_of(live_runs["hip_hinge"])[:60]

    def at(t_s: float) -> int:
        return next(i for i, p in enumerate(bridge) if p.timestamp_ms > t_s * 1000)

    dt = 1000.0 / 30.0
    seq: list[PoseFrame] = []

    def add(p: PoseFrame | None) -> None:
        t = len(seq) * dt
        seq.append(
            PoseFrame(t, 640, 480)
            if p is None
            else PoseFrame(t, p.width, p.height, p.image, p.world)
        )

    for p in bridge[: at(12.5)]:
        add(p)
    for _ in range(90):
        add(None)
    for p in standing:
        add(p)
    for _ in range(60):
        add(None)
    for p in bridge[at(6.0) :]:
        add(p)
    expected = [[], [], [], ["lumbar_overextension"], ["insufficient_rom"], ["too_fast"], []]
    analyzer = Analyzer(find_exercise("glute_bridge"))
    for p in seq:
        analyzer.update(p)
    analyzer.finish()
    assert [[f.code for f in r.faults] for r in analyzer.reps] == expected
    away = [f.status for f in analyzer.frames[at(12.5) : at(12.5) + 90]]
    assert away == [Status.NO_PERSON] * 90
    # Through the live loop: the same reps.
    _, result = replay(live_runs["glute_bridge"], seq)
    assert [[f.code for f in r.faults] for r in result.analyzer.reps] == expected


def test_overlay_asks_for_position_once_counting_stops_for_a_while(live_runs):
    session, _ = replay(live_runs["glute_bridge"], poses_of(live_runs["glute_bridge"])[:10])
    session._show_end = False
    session.sets.reset()
    session._not_counting_since = 5.0
    assert session.overlay_state(5.2).phase != PHASE_POSITION  # a moment: not yet
    assert session.overlay_state(5.6).phase == PHASE_POSITION


def test_getting_set_adds_no_reps(live_runs):
    """A standing person (hinge clip) for 2 s before the bridge clip: nothing is counted."""
    bridge = poses_of(live_runs["glute_bridge"])
    standing = poses_of(live_runs["hip_hinge"])[:60]
    dt = 1000.0 / 30.0
    seq = [
        PoseFrame(i * dt, p.width, p.height, p.image, p.world)
        for i, p in enumerate(standing + bridge)
    ]
    analyzer = Analyzer(find_exercise("glute_bridge"))
    for p in seq:
        analyzer.update(p)
    analyzer.finish()
    assert len(analyzer.reps) == 6


# -- the CLI's failures -------------------------------------------------------------------------


def test_no_display_exits_7_quickly(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    t0 = time.monotonic()
    code = main(
        [
            "live",
            "-e",
            "glute_bridge",
            "--camera",
            str(SAMPLES["glute_bridge"]),
            "--json",
            str(tmp_path / "s.json"),
        ]
    )
    assert code == 7
    assert time.monotonic() - t0 < 2.0
    assert "--no-window" in capsys.readouterr().err


def test_display_that_does_not_answer_exits_7(monkeypatch, tmp_path):
    monkeypatch.setenv("DISPLAY", ":97")  # no X server there
    assert (
        main(["live", "-e", "glute_bridge", "--camera", "0", "--json", str(tmp_path / "s.json")])
        == 7
    )


def test_no_camera_exits_3_quickly(tmp_path, capsys):
    t0 = time.monotonic()
    code = main(
        [
            "live",
            "-e",
            "glute_bridge",
            "--camera",
            "9",
            "--no-window",
            "--json",
            str(tmp_path / "s.json"),
        ]
    )
    assert code == 3
    assert time.monotonic() - t0 < 2.0
    assert "camera 9" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["--sets", "0"], 2, "expected 1 or more"),
        (["--size", "big"], 2, "WIDTHxHEIGHT"),
        (["--camera", "x.mp4", "--size", "640x480"], 2, "--size is for a camera"),
        (["--camera", "0", "--no-pace"], 2, "for a video file"),
        (["--record", "out.gif"], 5, "cannot write this kind"),
    ],
)
def test_usage_errors(argv, code, words, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["live", "-e", "glute_bridge", "--no-window", "--json", "s.json", *argv]) == code
    assert words in capsys.readouterr().err


def test_existing_report_is_not_overwritten(tmp_path, capsys):
    out = tmp_path / "s.json"
    out.write_text("{}")
    assert (
        main(["live", "-e", "glute_bridge", "--camera", "9", "--no-window", "--json", str(out)])
        == 5
    )
    assert "--force" in capsys.readouterr().err


# -- a real window, under Xvfb when it is installed ------------------------------------------


@pytest.fixture
def xvfb_display():
    """A private Xvfb server (skips the test when Xvfb is not installed)."""
    import shutil
    import subprocess

    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    number = 90 + (os.getpid() % 500)
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        from formcheck.window import _x_server_answers

        deadline = time.monotonic() + 10
        while not _x_server_answers(f":{number}"):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.skip("Xvfb did not start")
            time.sleep(0.1)
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(5)


@pytest.mark.model  # the subprocess runs the real pose model on 60 frames
def test_window_under_xvfb_shows_and_records_every_frame(xvfb_display, tmp_path):
    """`formcheck live --camera CLIP` with a window: it runs, every frame is drawn and
    recorded, and it ends by itself (after the summary) with exit 0."""
    import subprocess
    import sys

    import cv2

    clip = tmp_path / "clip.avi"
    cap = cv2.VideoCapture(str(SAMPLES["hip_hinge"]))
    out = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (640, 480))
    for _ in range(60):
        ok, image = cap.read()
        out.write(image)
    out.release()
    cap.release()
    env = dict(os.environ, DISPLAY=xvfb_display, PYTHONPATH=str(ROOT / "src"))
    report, video = tmp_path / "s.json", tmp_path / "overlay.avi"
    cmd = [
        sys.executable,
        "-m",
        "formcheck.cli",
        "live",
        "-e",
        "hip_hinge",
        "--camera",
        str(clip),
        "--mute",
        "--quiet",
        "--json",
        str(report),
        "--record",
        str(video),
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(report.read_text())["summary"]["frames"] == 60
    cap = cv2.VideoCapture(str(video))
    frames = 0
    while cap.read()[0]:
        frames += 1
    cap.release()
    assert frames == 60


def test_live_sessions_are_stored_in_the_history(live_runs):
    from formcheck.history import load_sessions

    db = next(iter(live_runs.values())).report_path.parent / "history.sqlite3"
    sessions = load_sessions(db)
    assert len(sessions) == len(live_runs)
    for exercise, run in live_runs.items():
        assert any(s.exercise == exercise and s.reps == run.report["summary"]["reps"] for s in sessions)
