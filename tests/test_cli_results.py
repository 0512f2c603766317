"""formcheck analyze --out, formcheck report, formcheck history: called as main(argv)."""

from __future__ import annotations

import csv
import os
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import pytest
from conftest import ModelRun, Replay
from report_builders import bridge_report

from formcheck import annotate, history
from formcheck.cli import main
from formcheck.reports import load_report, write_json

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "glute_bridge_side" / "video.mp4"


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


# -- formcheck report -------------------------------------------------------------------------


def test_report_rerenders_html_and_csv_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_json(tmp_path / "session.json", bridge_report(4, {3: "lumbar_overextension"}))
    out = tmp_path / "out"
    assert main(["report", str(tmp_path / "session.json"), "--out", str(out)]) == 0
    assert sorted(os.listdir(out)) == ["report.html", "reps.csv"]
    html = (out / "report.html").read_text()
    assert len(re.findall(r'<tr class="(?:ok|faulty)" data-rep=', html)) == 4
    assert "re-rendered from the saved report without the video" in html
    with open(out / "reps.csv", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 4
    capsys.readouterr()
    before = (out / "report.html").stat().st_mtime_ns
    assert main(["report", str(tmp_path / "session.json"), "--out", str(out)]) == 5
    line = _one_error_line(capsys.readouterr().err)
    assert "already exist" in line and "--force" in line
    assert (out / "report.html").stat().st_mtime_ns == before
    assert main(["report", str(tmp_path / "session.json"), "--out", str(out), "--force"]) == 0


@pytest.mark.parametrize(
    ("content", "words"),
    [("{oops", "not valid JSON"), ('{"schema_version": 7}', "schema_version 7")],
)
def test_report_rejects_a_bad_json_with_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, words: str
) -> None:
    (tmp_path / "bad.json").write_text(content)
    assert main(["report", str(tmp_path / "bad.json"), "--out", str(tmp_path / "o")]) == 3
    assert words in _one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "o").exists()


def test_report_with_a_video_that_is_not_the_recording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_json(tmp_path / "s.json", bridge_report(2, {1: "too_fast"}))  # 11 s; the sample is 39 s
    assert (
        main(
            [
                "report",
                str(tmp_path / "s.json"),
                "--out",
                str(tmp_path / "o"),
                "--video",
                str(SAMPLE),
            ]
        )
        == 2
    )
    assert "not the same recording" in _one_error_line(capsys.readouterr().err)


# -- formcheck history ------------------------------------------------------------------------


def test_history_table_and_plot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], _private_history: Path
) -> None:
    day = datetime(2025, 5, 1, tzinfo=UTC)
    for week, rom in enumerate([28.0, 31.0, 35.0]):
        history.record_session(
            _private_history,
            bridge_report(4, {1: "too_fast"}, rom_deg=rom),
            performed_at=day + timedelta(days=7 * week),
        )
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert len([line for line in out.splitlines() if "glute_bridge" in line]) == 3
    assert "range of motion 28° → 35°" in out and "most common fault: too fast" in out
    plot = tmp_path / "progress.png"
    assert main(["history", "--exercise", "glute_bridge", "--plot", str(plot)]) == 0
    assert plot.read_bytes()[:4] == b"\x89PNG"
    capsys.readouterr()
    assert main(["history", "--plot", str(plot)]) == 5  # exists, no --force
    assert "--force" in _one_error_line(capsys.readouterr().err)
    assert main(["history", "--exercise", "hip_hinge"]) == 0
    assert "No sessions of hip_hinge" in capsys.readouterr().out


def test_history_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--history", str(tmp_path / "nothing.sqlite3")]) == 3
    assert "no history yet" in _one_error_line(capsys.readouterr().err)
    (tmp_path / "junk.sqlite3").write_text("junk" * 1000)
    assert main(["history", "--history", str(tmp_path / "junk.sqlite3")]) == 3
    assert "history database error" in _one_error_line(capsys.readouterr().err)


# -- formcheck analyze --out ------------------------------------------------------------------


def test_analyze_out_refuses_existing_files_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("keep me")
    t0 = time.monotonic()
    assert main(["analyze", str(SAMPLE), "-e", "glute_bridge", "--out", str(out)]) == 5
    assert time.monotonic() - t0 < 5.0  # refused before the pose model was even loaded
    assert "report.html already exists" in _one_error_line(capsys.readouterr().err)
    assert os.listdir(out) == ["report.html"] and (out / "report.html").read_text() == "keep me"


def test_analyze_landmarks_and_video_needs_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", str(SAMPLE), "--landmarks", str(tmp_path / "x.jsonl")]) == 2
    assert "only with --out" in _one_error_line(capsys.readouterr().err)


def test_real_analysis_writes_every_output(model_run: ModelRun) -> None:
    """The pose model on the bundled bridge sample, with --out: report.json, reps.csv,
    report.html and annotated.mp4 (H.264, every frame), and one session in the history."""
    assert model_run.returncode == 0, model_run.stderr
    assert sorted(os.listdir(model_run.out)) == [
        "annotated.mp4",
        "report.html",
        "report.json",
        "reps.csv",
    ]
    report = load_report(model_run.out / "report.json")
    reps = report["reps"]
    faulty = [r for r in reps if r["faults"]]
    assert len(reps) >= 5 and faulty  # the sample has 6 counted reps, 3 with a fault
    with open(model_run.out / "reps.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["rep"]) for r in rows] == [r["index"] for r in reps]
    html = (model_run.out / "report.html").read_text()
    assert len(re.findall(r'<tr class="(?:ok|faulty)" data-rep=', html)) == len(reps)
    assert html.count('src="data:image/svg+xml;base64,') == 2
    assert html.count('src="data:image/jpeg;base64,') == len(faulty)  # a thumbnail per faulty rep
    assert 'src="annotated.mp4"' in html
    with av.open(str(model_run.out / "annotated.mp4")) as video:
        stream = video.streams.video[0]
        assert stream.codec_context.name == "h264" and stream.codec_context.pix_fmt == "yuv420p"
        frames = sum(1 for _ in video.decode(stream))
    assert frames == report["source"]["frame_count"]
    sessions = history.load_sessions(model_run.history)
    assert [(s.exercise, s.reps) for s in sessions] == [("glute_bridge", len(reps))]
    assert "Session stored in the history" in model_run.stdout


def test_replayed_landmarks_with_the_video_give_the_same_outputs(
    model_run: ModelRun, tmp_path: Path, _private_history: Path
) -> None:
    """VIDEO --landmarks FILE --out: the saved landmarks stand in for the model."""
    out = tmp_path / "again"
    assert (
        main(
            [
                "analyze",
                str(model_run.video),
                "--landmarks",
                str(model_run.landmarks),
                "-e",
                "glute_bridge",
                "--out",
                str(out),
                "-q",
            ]
        )
        == 0
    )
    first = load_report(model_run.out / "report.json")
    again = load_report(out / "report.json")
    assert again["reps"] == first["reps"]
    assert (out / "annotated.mp4").stat().st_size > 100_000
    assert len(history.load_sessions(_private_history)) == 1


def test_analysing_the_same_file_again_replaces_its_history_entry(
    bridge_replay: Replay, _private_history: Path
) -> None:
    for _ in range(2):
        assert (
            main(["analyze", "--landmarks", str(bridge_replay.landmarks), "-e", "glute_bridge", "-q"])
            == 0
        )
    assert len(history.load_sessions(_private_history)) == 1


def test_ctrl_c_while_drawing_the_video_leaves_no_video(
    bridge_replay: Replay,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    _private_history: Path,
) -> None:
    calls = 0
    real = annotate.draw_frame

    def draw_then_stop(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 200:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(annotate, "draw_frame", draw_then_stop)
    out = tmp_path / "stopped"
    assert (
        main(
            [
                "analyze",
                str(bridge_replay.video),
                "--landmarks",
                str(bridge_replay.landmarks),
                "-e",
                "glute_bridge",
                "--out",
                str(out),
                "-q",
            ]
        )
        == 130
    )
    # JSON and CSV were complete before the video pass began; no video, no temporary file.
    assert sorted(os.listdir(out)) == ["report.json", "reps.csv"]
    assert not _private_history.exists()  # an interrupted run is not a session


def test_analyze_no_history(bridge_replay: Replay, tmp_path: Path, _private_history: Path) -> None:
    assert (
        main(
            [
                "analyze",
                "--landmarks",
                str(bridge_replay.landmarks),
                "-e",
                "glute_bridge",
                "--no-history",
                "-q",
            ]
        )
        == 0
    )
    assert not _private_history.exists()
    assert (
        main(
            [
                "analyze",
                "--landmarks",
                str(bridge_replay.landmarks),
                "-e",
                "glute_bridge",
                "-q",
                "--history",
                str(tmp_path / "mine.sqlite3"),
            ]
        )
        == 0
    )
    assert len(history.load_sessions(tmp_path / "mine.sqlite3")) == 1


def test_ctrl_c_during_the_analysis_writes_what_was_analysed(
    bridge_replay: Replay,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    _private_history: Path,
) -> None:
    from formcheck.pose import replay

    real = replay.LandmarkReplay.poses

    def stop_after_300(self):  # type: ignore[no-untyped-def]
        for i, pose in enumerate(real(self)):
            if i == 300:
                raise KeyboardInterrupt
            yield pose

    monkeypatch.setattr(replay.LandmarkReplay, "poses", stop_after_300)
    out = tmp_path / "partial"
    args = ["analyze", str(bridge_replay.video), "--landmarks", str(bridge_replay.landmarks)]
    assert main([*args, "-e", "glute_bridge", "--out", str(out), "-q"]) == 130
    # The page, CSV and JSON of the part analysed, marked incomplete; no second pass for a video.
    assert sorted(os.listdir(out)) == ["report.html", "report.json", "reps.csv"]
    assert load_report(out / "report.json")["complete"] is False
    html = (out / "report.html").read_text()
    assert "Incomplete" in html and "the analysis was stopped early" in html
    assert not _private_history.exists()
