"""analysis.py: analyze_source, the one path from a source to a result, on synthetic poses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from builders import BRIDGE_ARCHED, BRIDGE_START, Sequence, bridge_rep

from formcheck.analysis import AnalysisOptions, AnalysisResult, analyze_source
from formcheck.errors import AnalysisError, UsageError
from formcheck.exercise import find_exercise
from formcheck.landmarks import PoseFrame
from formcheck.pose.replay import LandmarkReplay
from formcheck.sources import Frame, SourceInfo

SPEC = find_exercise("glute_bridge")


def bridge_poses() -> list[PoseFrame]:
    """Still for 1 s, a clean bridge rep, an arched one, still for 1 s (30 fps)."""
    s = Sequence(BRIDGE_START).then(1.0)
    bridge_rep(s)
    bridge_rep(s, top=BRIDGE_ARCHED)
    s.then(1.0)
    return s.poses()


class Frames:
    """A frame source of blank images at the poses' times (``frames(stride, start)`` as a video's)."""

    def __init__(self, poses: list[PoseFrame]) -> None:
        self.poses = poses
        self.info = SourceInfo("video", "synthetic.mp4", 30.0, len(poses), 64, 48)

    def frames(self, stride: int = 1, start: int = 0, stop: int | None = None):  # type: ignore[no-untyped-def]
        image = np.zeros((48, 64, 3), np.uint8)
        for i, p in enumerate(self.poses):
            if i >= start and i % stride == 0:
                yield Frame(i, p.timestamp_ms, image)


class Poses:
    """A pose 'model' that returns the pose of the frame at that time."""

    name = "synthetic"

    def __init__(self, poses: list[PoseFrame]) -> None:
        self.by_t = {p.timestamp_ms: p for p in poses}

    def estimate(self, image, timestamp_ms):  # type: ignore[no-untyped-def]
        return self.by_t[timestamp_ms]


def test_frames_and_saved_landmarks_give_the_same_result(tmp_path: Path):
    poses = bridge_poses()
    saved = tmp_path / "l.jsonl.gz"
    from_frames = analyze_source(Frames(poses), Poses(poses), SPEC, AnalysisOptions(save_landmarks=saved))
    from_file = analyze_source(LandmarkReplay(saved), None, SPEC)
    assert [[f.code for f in r.faults] for r in from_frames.analysis.reps] == [[], ["lumbar_overextension"]]
    assert from_file.analysis.reps == from_frames.analysis.reps
    assert from_frames.source["frames_decoded"] == from_file.source["frames_decoded"] == len(poses)
    assert from_frames.complete and from_frames.warnings == ()
    assert from_file.report()["reps"] == from_frames.report()["reps"]


def test_stride_is_recorded_in_the_source():
    poses = bridge_poses()
    result = analyze_source(Frames(poses), Poses(poses), SPEC, AnalysisOptions(stride=2))
    assert result.source["stride"] == 2 and result.frames == (len(poses) + 1) // 2
    assert len(result.analysis.reps) == 2


def test_a_stopped_run_is_not_finished():
    """Stopping in the middle of the second rep: it is neither counted nor dropped."""
    poses = bridge_poses()
    result = analyze_source(Frames(poses), Poses(poses), SPEC,
                            AnalysisOptions(stop=lambda analyzer, t_s: t_s > 6.5))
    assert not result.complete and len(result.analysis.reps) == 1
    assert result.analysis.movements == ()


def test_a_file_that_ends_early_is_said_in_the_warnings():
    poses = bridge_poses()
    src = Frames(poses)
    src.info = SourceInfo("video", "cut.mp4", 30.0, 2 * len(poses), 64, 48)
    result = analyze_source(src, Poses(poses), SPEC)
    assert result.warnings[0].startswith("The video ended early")
    assert result.report()["summary"]["warnings"][0] == result.warnings[0]


def test_nothing_counted_is_an_analysis_error():
    still = Sequence(BRIDGE_START).then(3.0).poses()
    report = analyze_source(Frames(still), Poses(still), find_exercise("hip_hinge")).report()
    with pytest.raises(AnalysisError, match="Nothing could be counted"):
        AnalysisResult.check_counted(report)


def test_bad_options_are_refused():
    with pytest.raises(UsageError, match="--stride must be 1 or more"):
        AnalysisOptions(stride=0)


def test_a_frame_source_needs_an_estimator():
    with pytest.raises(TypeError):
        analyze_source(Frames([]), None, SPEC)
