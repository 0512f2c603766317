"""Speed options without the pose model: chunk plans, merge, strides, batch inputs, CLI errors."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.batch import expand_inputs, is_batch, report_paths, stride_for
from formcheck.cli import main
from formcheck.errors import InputError, UsageError
from formcheck.exercise import find_exercise
from formcheck.parallel import ChunkPlan, ChunkResult, choose_cut, merge_chunks, plan_chunks
from formcheck.reps import Movement, Rep
from formcheck.session import FrameRecord
from formcheck.sources import VideoSource

# -- chunk plans ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frames", "fps", "workers", "stride", "chunk_s", "overlap_s", "expected"),
    [
        # 10 min at 30 fps, 2 workers: two halves, the second warms up 12 s before its half.
        (18000, 30.0, 2, 1, None, 12.0, [(0, 0, 9000), (8640, 9000, None)]),
        # A short video is not cut into chunks that would be mostly warm-up.
        (900, 30.0, 4, 1, None, 12.0, [(0, 0, None)]),
        # Explicit chunk length; the last chunk runs to the end.
        (1200, 30.0, 2, 1, 15.0, 6.0, [(0, 0, 450), (270, 450, 900), (720, 900, None)]),
        # Stride 4: every boundary and warm-up start is a multiple of 4.
        (
            1000,
            30.0,
            2,
            4,
            10.0,
            3.3,
            [(0, 0, 300), (200, 300, 600), (500, 600, 900), (800, 900, None)],
        ),
        # Unknown length (0 frames claimed): one chunk.
        (0, 25.0, 3, 1, None, 12.0, [(0, 0, None)]),
    ],
)
def test_plan_chunks_table(frames, fps, workers, stride, chunk_s, overlap_s, expected):
    plans = plan_chunks(frames, fps, workers, stride, chunk_s, overlap_s)
    assert [(p.first, p.own_from, p.own_to) for p in plans] == expected
    assert [p.index for p in plans] == list(range(len(plans)))


@pytest.mark.parametrize(
    "bad", [dict(workers=0), dict(stride=0), dict(fps=0.0), dict(overlap_s=-1.0), dict(chunk_s=0.0)]
)
def test_plan_chunks_rejects_bad_values(bad):
    args = dict(frame_count=100, fps=30.0, workers=2, stride=1, chunk_s=None, overlap_s=12.0)
    args.update(bad)
    with pytest.raises(ValueError, match="expected"):
        plan_chunks(**args)


# -- the merge -----------------------------------------------------------------------------


def _rep(start: float, end: float, faults: tuple = ()) -> Rep:
    return Rep(
        None,
        __import__("formcheck.landmarks").landmarks.Side.LEFT,
        start,
        (start + end) / 2,
        end,
        1.0,
        1.0,
        1.0,
        30.0,
        {},
        {},
        faults,
    )


def _frames(
    t0: float, t1: float, fps: float = 10.0, status: str = "ready"
) -> tuple[FrameRecord, ...]:
    n0, n1 = round(t0 * fps), round(t1 * fps)
    return tuple(
        FrameRecord(i / fps, True, status, (0.0, 0.0), (0.0, 0.0), 0.0, 0.0) for i in range(n0, n1)
    )


def _chunk(
    index: int,
    first_s: float,
    own_from_s: float,
    own_to_s: float | None,
    stop_s: float,
    reps: list[Rep],
    movements: list[Movement] | None = None,
    fps: float = 10.0,
) -> ChunkResult:
    plan = ChunkPlan(
        index,
        round(first_s * fps),
        round(own_from_s * fps),
        None if own_to_s is None else round(own_to_s * fps),
    )
    return ChunkResult(
        plan,
        tuple(reps),
        tuple(movements or ()),
        _frames(first_s, stop_s + 0.1),
        stop_s,
        None,
        "test",
    )


def test_cut_is_in_a_gap_of_both_chunks():
    # Chunk 0 owns up to 20 s, ran on to 26 s (idle from 25.5). A rep at 19.9–24 straddles
    # the boundary; chunk 1 sees it starting a hair later (tracking history).
    a = _chunk(0, 0, 0, 20, 26.0, [_rep(12, 16), _rep(19.9, 24.0)])
    b = _chunk(1, 8, 20, None, 40.0, [_rep(12.1, 16.0), _rep(20.05, 24.1), _rep(30, 34)])
    cut, found = choose_cut(a, b, 20.0)
    assert found and 24.1 < cut < 26.0


@pytest.mark.parametrize("jitter", [-0.2, -0.01, 0.0, 0.01, 0.2])
def test_merge_keeps_each_rep_once_whatever_the_jitter_at_the_boundary(jitter):
    spec = find_exercise("glute_bridge")
    a = _chunk(0, 0, 0, 20, 27.0, [_rep(2, 6), _rep(19.9, 24.0)])
    b = _chunk(
        1, 8, 20, None, 40.0, [_rep(9, 13), _rep(19.9 + jitter, 24.0 + jitter), _rep(30, 34)]
    )
    merged = merge_chunks(spec, None, [b, a], fps=10.0)
    starts = [r.start_s for r in merged.result.reps]
    assert starts == [2, 19.9, 30]
    assert [r.index for r in merged.result.reps] == [1, 2, 3]
    assert not merged.warnings
    # Every frame once, from the chunk that owns its time.
    ts = [f.t_s for f in merged.result.frames]
    assert ts == sorted(set(ts)) and len(ts) == 401
    assert sum(merged.result.status_counts.values()) == 401


def test_merge_warns_when_the_chunks_disagree():
    spec = find_exercise("glute_bridge")
    a = _chunk(0, 0, 0, 20, 23.0, [_rep(20.5, 22.0)])
    b = _chunk(1, 8, 20, None, 40.0, [])  # chunk 1 was not warmed up: it missed the rep
    merged = merge_chunks(spec, None, [a, b], fps=10.0)
    assert merged.warnings and "disagree" in merged.warnings[0]


def test_merge_without_a_gap_falls_back_to_the_boundary_and_says_so():
    spec = find_exercise("glute_bridge")
    a = _chunk(0, 0, 0, 20, 22.0, [_rep(18, 22.5)])
    b = _chunk(1, 8, 20, None, 40.0, [_rep(18, 22.5)])
    merged = merge_chunks(spec, None, [a, b], fps=10.0)
    assert merged.cuts_s == [20.0]
    assert any("no pause" in w for w in merged.warnings)
    assert len(merged.result.reps) == 1


# -- strides and frame ranges --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fps", "stride", "max_fps", "expected"),
    [
        (30.0, 1, None, 1),
        (30.0, 3, None, 3),
        (30.0, 1, 15.0, 2),
        (30.0, 1, 10.0, 3),
        (29.97, 1, 15.0, 2),
        (60.0, 1, 25.0, 3),
        (30.0, 1, 30.0, 1),
        (30.0, 1, 100.0, 1),
    ],
)
def test_stride_for(fps, stride, max_fps, expected):
    assert stride_for(fps, stride, max_fps) == expected


@pytest.mark.parametrize(("stride", "max_fps"), [(0, None), (1, 0.0), (1, -5.0)])
def test_stride_for_rejects_bad_values(stride, max_fps):
    with pytest.raises(UsageError):
        stride_for(30.0, stride, max_fps)


@pytest.fixture(scope="module")
def tiny_video(tmp_path_factory) -> Path:
    """40 frames at 20 fps, each frame's grey level its own index (so frames can be told apart)."""
    path = tmp_path_factory.mktemp("tiny") / "tiny.avi"
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 20.0, (64, 48))
    for i in range(40):
        out.write(np.full((48, 64, 3), i * 6, np.uint8))
    out.release()
    return path


@pytest.mark.parametrize(
    ("stride", "start", "stop"),
    [(1, 0, None), (2, 0, None), (3, 0, None), (2, 10, 30), (3, 7, 20), (1, 39, None)],
)
def test_video_frames_stride_and_range_keep_true_indices_and_times(tiny_video, stride, start, stop):
    with VideoSource(tiny_video) as src:
        frames = list(src.frames(stride, start, stop))
    want = [i for i in range(start, 40 if stop is None else stop) if i % stride == 0]
    assert [f.index for f in frames] == want
    assert [f.timestamp_ms for f in frames] == [i * 1000.0 / 20.0 for i in want]
    # The pixels are those of that frame (seeking is exact).
    assert [round(float(f.image.mean()) / 6) for f in frames] == want


@pytest.mark.parametrize(("stride", "start", "stop"), [(0, 0, None), (1, -1, None), (1, 5, 2)])
def test_video_frames_reject_bad_ranges(tiny_video, stride, start, stop):
    with VideoSource(tiny_video) as src, pytest.raises(ValueError, match="expected"):
        list(src.frames(stride, start, stop))


# -- batch inputs --------------------------------------------------------------------------


@pytest.fixture()
def clip_tree(tmp_path) -> Path:
    for rel in ("a/one.mp4", "a/two.MOV", "a/notes.txt", "b/one.mp4", "imgs/0001.png"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x")
    return tmp_path


def test_expand_inputs_files_folders_and_globs(clip_tree):
    t = clip_tree
    assert expand_inputs([str(t / "a")]) == [t / "a/one.mp4", t / "a/two.MOV"]
    assert expand_inputs([str(t / "*/one.mp4")]) == [t / "a/one.mp4", t / "b/one.mp4"]
    # Order kept, duplicates dropped.
    assert expand_inputs([str(t / "b/one.mp4"), str(t / "a"), str(t / "b/one.mp4")]) == [
        t / "b/one.mp4",
        t / "a/one.mp4",
        t / "a/two.MOV",
    ]


@pytest.mark.parametrize("item", ["missing.mp4", "*.nothing", "imgs"])
def test_expand_inputs_errors(clip_tree, item):
    with pytest.raises(InputError):
        expand_inputs([str(clip_tree / item)])


def test_is_batch(clip_tree):
    t = clip_tree
    assert not is_batch([str(t / "a/one.mp4")])
    assert not is_batch([str(t / "imgs")])  # an image folder is one source, as before
    assert not is_batch([])
    assert is_batch([str(t / "a")])
    assert is_batch([str(t / "*.mp4")])
    assert is_batch([str(t / "a/one.mp4"), str(t / "b/one.mp4")])
    assert is_batch([str(t / "a/one.mp4")], out_dir=t / "out")


def test_report_paths_beside_videos_or_in_out_dir(clip_tree):
    t = clip_tree
    vids = [t / "a/one.mp4", t / "a/two.MOV"]
    assert report_paths(vids, None) == [t / "a/one.formcheck.json", t / "a/two.formcheck.json"]
    same_name = [t / "a/one.mp4", t / "b/one.mp4"]
    assert report_paths(same_name, t / "out") == [
        t / "out/a-one.formcheck.json",
        t / "out/b-one.formcheck.json",
    ]


# -- command line mistakes (exit 2, one line) ----------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--stride", "0"],
        ["--stride", "2", "--max-fps", "10"],
        ["--workers", "0"],
        ["--jobs", "2"],
        ["--chunk-s", "10"],
        ["--workers", "2", "--save-landmarks", "x.jsonl"],
        ["--workers", "2", "--chunk-s", "-1"],
    ],
)
def test_speed_option_mistakes_exit_2(argv, capsys):
    video = Path(__file__).resolve().parents[1] / "samples/glute_bridge_side/video.mp4"
    assert main(["analyze", str(video), "-e", "glute_bridge", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("formcheck: error:")


def test_batch_mistakes(clip_tree, capsys):
    t = clip_tree
    assert main(["analyze", str(t / "a"), "-e", "glute_bridge", "--json", "x.json"]) == 2
    assert main(["analyze", str(t / "a"), "-e", "glute_bridge", "--workers", "2"]) == 2
    assert main(["analyze", str(t / "a"), "-e", "nope"]) == 4
    assert main(["analyze", str(t / "*.none"), "-e", "glute_bridge"]) == 3
    # Reports that exist are not overwritten without --force (checked before any work).
    (t / "a/one.formcheck.json").write_text("{}")
    assert main(["analyze", str(t / "a"), "-e", "glute_bridge"]) == 5
    assert (t / "a/one.formcheck.json").read_text() == "{}"
    capsys.readouterr()


def test_math_is_finite_guard():  # the cut search copes with events of unknown end
    a = _chunk(0, 0, 0, 20, 22.0, [], [Movement(None, 19.0, math.nan, 5.0, 0.0, "x")])
    b = _chunk(1, 8, 20, None, 30.0, [])
    cut, found = choose_cut(a, b, 20.0)
    assert found and 20.0 <= cut <= 22.0


# -- the live mailbox ----------------------------------------------------------------------


def test_latest_gives_the_newest_frame_and_counts_the_dropped():
    import threading
    import time

    from formcheck.runner import Latest
    from formcheck.sources import Frame

    produced = threading.Event()

    def source():
        for i in range(50):
            yield Frame(i, i * 10.0, np.zeros((1, 1, 3), np.uint8))
        produced.set()

    got = []
    with Latest(source()) as latest:
        produced.wait(2.0)
        time.sleep(0.05)  # the slow consumer arrives after all 50 frames were read
        got = [f.index for f in latest]
    assert got == [49] and latest.dropped == 49


def test_latest_raises_the_readers_error():
    from formcheck.runner import Latest

    def broken():
        raise InputError("camera unplugged")
        yield  # pragma: no cover

    with Latest(broken()) as latest, pytest.raises(InputError, match="unplugged"):
        list(latest)


def test_merge_when_a_chunk_saw_nothing_or_stopped_mid_movement():
    import dataclasses

    from formcheck.kinematics import JointAngles
    from formcheck.landmarks import Side

    spec = find_exercise("glute_bridge")
    seen = JointAngles(1000.0, True, side=Side.RIGHT)
    a = dataclasses.replace(
        _chunk(0, 0, 0, 20, 30.0, [_rep(2, 6)]), last_angles=seen, stopped_idle=False
    )
    # The container claimed more frames than there were: the last chunk got none.
    b = ChunkResult(ChunkPlan(1, 80, 200, None), (), (), (), math.nan, None, "test")
    merged = merge_chunks(spec, None, [a, b], fps=10.0)
    assert merged.result.side is seen.side
    assert any("stop during a movement" in w for w in merged.warnings)
    assert [r.start_s for r in merged.result.reps] == [2]
