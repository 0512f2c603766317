"""Stride, workers and batch with the real pose model on the bundled samples (slow: ~2 min).

The single-worker run of a sample is the session's one model run of it (``model_runs``,
conftest.py) and is the reference:
``--workers 2`` with short chunks (so there are real chunk boundaries) must find the same reps
with the same faults, and ``--stride 2`` must still count what the truth says.

Each runs on one sample, not all three (a minute of model time each): the kickback for the
workers, as its two legs make the merge hardest; the hinge for the stride. Chunking and
striding do not depend on the exercise, and every sample's single run is checked against
the truth in test_samples.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formcheck.cli import main

from .conftest import SAMPLES, sample_truth, sample_video

pytestmark = pytest.mark.model  # every test here runs the pose model

# Reps of two runs are the same movement when their times agree this closely (seconds);
# MediaPipe's output depends slightly on its history, so times may differ by a frame or so.
SAME_REP_S = 0.1


def analyze(tmp: Path, name: str, *argv: str) -> dict:
    out = tmp / f"{name}.json"
    assert main(["analyze", *argv, "--json", str(out), "-q"]) == 0
    return json.loads(out.read_text())


def single_run(model_runs, sample: str) -> dict:
    return json.loads((model_runs[sample].out / "report.json").read_text())


def counting_truth(sample: str) -> list[dict]:
    return [r for r in sample_truth(sample)["reps"] if r["counts"]]


def rep_keys(report: dict) -> list[tuple]:
    return [(r["leg"], tuple(sorted(f["code"] for f in r["faults"]))) for r in report["reps"]]


@pytest.mark.parametrize("sample", ["standing_glute_kickback_side"])
def test_workers_merge_equals_the_single_worker_run(sample, model_runs, tmp_path):
    single = single_run(model_runs, sample)
    # 15 s chunks on a ~40 s clip: three chunks, two boundaries inside the exercise.
    merged = analyze(
        tmp_path,
        "merged",
        str(sample_video(sample)),
        "-e",
        SAMPLES[sample],
        "--workers",
        "2",
        "--chunk-s",
        "15",
        "--overlap-s",
        "10",
    )
    assert rep_keys(merged) == rep_keys(single)
    for a, b in zip(merged["reps"], single["reps"], strict=True):
        assert a["index"] == b["index"]
        assert abs(a["start_s"] - b["start_s"]) <= SAME_REP_S
        assert abs(a["end_s"] - b["end_s"]) <= SAME_REP_S
    assert merged["summary"]["frames"] == single["summary"]["frames"]
    assert [f["t_s"] for f in merged["frames"]] == [f["t_s"] for f in single["frames"]]
    assert merged["summary"]["reps"] == single["summary"]["reps"]
    assert merged["summary"]["faults_by_code"] == single["summary"]["faults_by_code"]
    assert merged["summary"]["warnings"] == single["summary"]["warnings"]


@pytest.mark.parametrize("sample", ["hip_hinge_side"])
def test_single_run_and_stride_2_count_what_the_truth_says(sample, model_runs, tmp_path):
    truth = counting_truth(sample)
    single = single_run(model_runs, sample)
    assert single["summary"]["reps"] == len(truth)
    strided = analyze(
        tmp_path, "s2", str(sample_video(sample)), "-e", SAMPLES[sample], "--stride", "2"
    )
    assert strided["source"]["stride"] == 2
    assert strided["summary"]["reps"] == len(truth)
    # Timestamps stay true: every other frame, at i / fps.
    fps = strided["source"]["fps"]
    assert [f["t_s"] for f in strided["frames"][:3]] == [round(i / fps, 4) for i in (0, 2, 4)]
    legs = [r["leg"] for r in strided["reps"]]
    assert legs == [r["leg"] for r in single["reps"]]


def test_batch_writes_one_report_per_video_and_a_summary(short_clips, tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(
        [
            "analyze",
            str(short_clips[0].parent / "*.mp4"),
            "-e",
            "glute_bridge",
            "--jobs",
            "2",
            "--out-dir",
            str(out),
        ]
    )
    assert rc == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["bridge_a.formcheck.json", "bridge_b.formcheck.json", "summary.json"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["videos"] == 2 and summary["failed"] == 0
    reports = [json.loads((out / n).read_text()) for n in names[:2]]
    assert [r["summary"]["reps"] for r in reports] == [1, 1]
    assert summary["reps"] == 2
    assert [r["video"] for r in summary["results"]] == [str(p) for p in short_clips]
    assert "2 videos (0 failed), 2 reps" in capsys.readouterr().out
    # Run again: the reports exist, so nothing is overwritten without --force.
    assert (
        main(
            [
                "analyze",
                str(short_clips[0].parent / "*.mp4"),
                "-e",
                "glute_bridge",
                "--out-dir",
                str(out),
            ]
        )
        == 5
    )


def test_dask_local_cluster_runs_the_same_job(short_clips, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    out = tmp_path / "dask"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        rc = main(
            [
                "analyze",
                *map(str, short_clips),
                "-e",
                "glute_bridge",
                "--scheduler",
                cluster.scheduler_address,
                "--out-dir",
                str(out),
                "-q",
            ]
        )
    assert rc == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["videos"] == 2 and summary["reps"] == 2
    assert (out / "bridge_a.formcheck.json").is_file() and (
        out / "bridge_b.formcheck.json"
    ).is_file()
