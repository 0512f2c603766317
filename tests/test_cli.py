"""The command line through main([...]): outputs, exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import BRIDGE_ARCHED, BRIDGE_START, Sequence, bridge_rep

from formcheck.cli import main
from formcheck.pose.replay import LandmarkWriter


def write_landmarks(path: Path, poses, exercise: str | None = "glute_bridge") -> Path:
    source = {"kind": "video", "path": "synthetic.mp4", "fps": 30.0, "frame_count": len(poses),
              "width": 640, "height": 480}
    with LandmarkWriter(path, source, "synthetic", extra={"exercise": exercise} if exercise else None) as w:
        for p in poses:
            w.write(p)
    return path


@pytest.fixture
def bridge_landmarks(tmp_path) -> Path:
    s = Sequence(BRIDGE_START).then(1.0)
    bridge_rep(s)
    bridge_rep(s, top=BRIDGE_ARCHED)
    s.then(1.0)
    return write_landmarks(tmp_path / "bridge.jsonl.gz", s.poses())


def test_exercises_lists_the_programme(capsys):
    assert main(["exercises"]) == 0
    out = capsys.readouterr().out
    assert "glute_bridge" in out and "3 × 12–15, hold 2 s at the top" in out
    assert "standing_glute_kickback" in out and "per leg" in out


def test_analyze_landmarks_prints_the_table_and_writes_json(bridge_landmarks, tmp_path, capsys):
    report = tmp_path / "r.json"
    assert main(["analyze", "--landmarks", str(bridge_landmarks), "--json", str(report)]) == 0
    out = capsys.readouterr().out
    assert "Reps: 2 reps; good: 1" in out
    assert "lumbar_overextension" in out and "What to fix" in out
    data = json.loads(report.read_text())
    assert data["schema_version"] == 1 and data["complete"] is True
    assert data["exercise"]["name"] == "glute_bridge"
    assert [len(r["faults"]) for r in data["reps"]] == [0, 1]
    fault = data["reps"][1]["faults"][0]
    assert fault["code"] == "lumbar_overextension" and fault["value"] < fault["threshold"]
    assert {"message", "cue", "value", "threshold", "proxy"} <= set(fault)
    f = data["frames"][0]
    assert set(f["angles"]["hip_flexion_deg"]) == {"left", "right"}
    assert f["angles"]["trunk_inclination_deg"] == pytest.approx(95.0, abs=0.5)


def test_existing_output_is_not_overwritten_without_force(bridge_landmarks, tmp_path, capsys):
    report = tmp_path / "r.json"
    report.write_text("keep me")
    assert main(["analyze", "--landmarks", str(bridge_landmarks), "--json", str(report)]) == 5
    assert report.read_text() == "keep me"
    assert "already exists; add --force" in capsys.readouterr().err
    assert main(["analyze", "--landmarks", str(bridge_landmarks), "--json", str(report), "--force", "-q"]) == 0
    assert json.loads(report.read_text())["schema_version"] == 1


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["analyze", "missing.mp4", "-e", "glute_bridge"], 3, "missing.mp4: no such file"),
        (["analyze", "missing.mp4"], 2, "which exercise is it? add --exercise"),
        (["analyze", "x.mp4", "-e", "squat"], 4, "unknown exercise 'squat'"),
        (["analyze", "--side", "up"], 2, "invalid choice: 'up'"),
        (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
        (["analyze", "--landmarks", "nope.jsonl"], 3, "nope.jsonl: no such landmark file"),
    ],
)
def test_user_mistakes_give_one_line_and_an_exit_code(argv, code, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == code
    err = capsys.readouterr().err
    assert words in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_traceback_flag_shows_the_traceback(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["analyze", "missing.mp4", "-e", "glute_bridge", "--traceback"]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_output_folder_that_does_not_exist(bridge_landmarks, tmp_path, capsys):
    assert main(["analyze", "--landmarks", str(bridge_landmarks), "--json", str(tmp_path / "no" / "r.json")]) == 5
    assert "no such folder" in capsys.readouterr().err


def test_exercise_from_a_toml_path(bridge_landmarks, tmp_path):
    from formcheck.exercise import default_exercise_dir

    toml = tmp_path / "glute_bridge.toml"
    toml.write_text((default_exercise_dir() / "glute_bridge.toml").read_text().replace("below_deg = -12", "below_deg = -20"))
    report = tmp_path / "r.json"
    assert main(["analyze", "--landmarks", str(bridge_landmarks), "-e", str(toml), "--json", str(report), "-q"]) == 0
    # with a looser arch threshold the -15° top is no longer a fault
    assert all(not r["faults"] for r in json.loads(report.read_text())["reps"])


def test_output_piped_into_a_reader_that_stops_early_is_no_error():
    """``formcheck exercises | head -1``: the closed pipe ends the listing quietly."""
    import subprocess
    import sys

    from conftest import formcheck_env

    proc = subprocess.Popen([sys.executable, "-m", "formcheck", "exercises"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=formcheck_env())
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "error" not in err.lower() and "exception" not in err.lower(), err
