"""One long video, many cores: time chunks analysed in parallel processes, merged into one report.

Each chunk runs in its own process with its own pose model. It starts ``overlap_s`` before
the part of the video it owns, so its Analyzer (baseline, side, facing) and MediaPipe's
tracker are warmed up when its own part begins, and it runs past the end of its part until
its Analyzer is idle (no rep under way), so no rep is cut at a chunk edge.

Merging, for each boundary b between chunk k and chunk k+1: both chunks analysed the
stretch from b to where chunk k stopped. In that stretch a cut time m is chosen where
neither chunk has a rep or movement under way (the middle of the widest such gap); chunk k
gives every rep, movement and frame before m, chunk k+1 everything from m on. Because m
is in a gap of both, tiny differences between the two timelines (MediaPipe's output
depends slightly on its history) cannot count a rep twice or lose it.

Limit (documented in the README): the warm-up must hold a moment of stillness in the start
position (``settle_s`` of the exercise) so that chunk k+1's tracker is ready at b. With the
default 12 s overlap that holds for any set with a pause between reps or sets; when a
boundary falls where the two chunks disagree, ``MergeResult.warnings`` says so.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context

from .exercise import ExerciseSpec
from .kinematics import JointAngles
from .landmarks import Side
from .pose import PoseEstimator, default_estimator
from .reps import Movement, Rep
from .session import Analyzer, AnalyzerResult, FrameRecord
from .sources import VideoSource
from .world import circular_median_deg

# Warm-up before each chunk's own part, in seconds. Longer than the longest rep the bundled
# exercises expect (a slow bridge with its hold is ~8 s), and long enough to hold a pause.
OVERLAP_S = 12.0
# Past its own part, a chunk stops once its Analyzer has been idle this long (seconds).
IDLE_S = 0.5
# A chunk shorter than this (seconds) is mostly warm-up: fewer chunks are made instead.
MIN_CHUNK_S = 2 * OVERLAP_S


@dataclass(frozen=True)
class ChunkPlan:
    """Frames a chunk reads: from ``first`` (warm-up) on; it owns ``[own_from, own_to)``.

    ``own_to`` is None for the last chunk (to the end of the video). Indices are frame numbers
    of the source; all are multiples of the run's stride.
    """

    index: int
    first: int
    own_from: int
    own_to: int | None


@dataclass(frozen=True)
class ChunkJob:
    """Everything a worker process needs to analyse one chunk (picklable)."""

    video: str
    spec: ExerciseSpec  # loaded once, in the parent process
    side: Side | None
    stride: int
    fps: float | None
    plan: ChunkPlan
    idle_s: float = IDLE_S


@dataclass(frozen=True)
class ChunkResult:
    """What one chunk found. Times in seconds from the start of the video."""

    plan: ChunkPlan
    reps: tuple[Rep, ...]
    movements: tuple[Movement, ...]
    frames: tuple[FrameRecord, ...]
    stop_s: float  # the last frame analysed
    last_angles: JointAngles | None
    backend: str
    # False when the chunk had to stop with a rep still under way (see run_chunk).
    stopped_idle: bool = True


@dataclass(frozen=True)
class MergeResult:
    """The chunks' findings joined (report them with build_report) and what the merge noticed."""

    result: AnalyzerResult
    cuts_s: list[float]
    warnings: list[str]
    backend: str


def plan_chunks(
    frame_count: int,
    fps: float,
    workers: int,
    stride: int = 1,
    chunk_s: float | None = None,
    overlap_s: float = OVERLAP_S,
) -> list[ChunkPlan]:
    """Split ``frame_count`` frames into chunks: ``workers`` equal ones, or ``chunk_s`` long.

    Without ``chunk_s``, chunks shorter than MIN_CHUNK_S are not made (a short video gets
    fewer chunks). Boundaries and warm-up starts are multiples of ``stride``.
    Raises ValueError for workers < 1, stride < 1, fps <= 0 or a negative overlap.
    """
    if workers < 1 or stride < 1 or not fps > 0 or overlap_s < 0:
        raise ValueError(
            f"expected workers >= 1, stride >= 1, fps > 0, overlap >= 0; got "
            f"{workers}, {stride}, {fps}, {overlap_s}"
        )
    if chunk_s is None:
        n = max(1, min(workers, int(frame_count / fps // MIN_CHUNK_S)))
        size = math.ceil(frame_count / n) if frame_count > 0 else 0
    else:
        if not chunk_s > 0:
            raise ValueError(f"expected chunk_s > 0, got {chunk_s}")
        size = max(1, round(chunk_s * fps))
        n = max(1, math.ceil(frame_count / size)) if frame_count > 0 else 1

    def align(i: int) -> int:
        return (i // stride) * stride

    warm = round(overlap_s * fps)
    plans = []
    for k in range(n):
        own_from = align(k * size)
        own_to = None if k == n - 1 else align((k + 1) * size)
        if own_to is not None and own_to <= own_from:
            continue
        plans.append(ChunkPlan(k, align(max(0, own_from - warm)), own_from, own_to))
    return [replace(p, index=i) for i, p in enumerate(plans)] or [ChunkPlan(0, 0, 0, None)]


class _ChunkStop:
    """Decides, after each frame, whether a chunk past its own part can stop: once its
    Analyzer has been idle ``idle_s``, or at ``give_up_s`` (seconds). Remembers the last
    frame's time and angles, and whether it stopped idle."""

    def __init__(self, own_to_s: float | None, give_up_s: float | None, idle_s: float) -> None:
        self.own_to_s, self.give_up_s, self.idle_s = own_to_s, give_up_s, idle_s
        self.idle_since = math.nan
        self.last_t = math.nan
        self.last_angles: JointAngles | None = None
        self.stopped_idle = True

    def __call__(self, analyzer: Analyzer, t_s: float) -> bool:
        self.last_t = t_s
        self.last_angles = analyzer.last_angles
        if self.own_to_s is None or t_s < self.own_to_s:
            return False
        if analyzer.idle:
            if math.isnan(self.idle_since):
                self.idle_since = t_s
            if t_s - self.idle_since >= self.idle_s:
                return True
        else:
            self.idle_since = math.nan
        if self.give_up_s is not None and t_s >= self.give_up_s:
            self.stopped_idle = analyzer.idle
            return True
        return False


def run_chunk(
    job: ChunkJob, estimator_factory: Callable[[], PoseEstimator] = default_estimator
) -> ChunkResult:
    """Analyse one chunk (in a worker process; it opens its own video and pose model)."""
    from .analysis import AnalysisOptions, analyze_source

    spec = job.spec
    plan = job.plan
    with VideoSource(job.video, job.fps) as src, estimator_factory() as estimator:
        fps = src.info.fps
        own_to_s = None if plan.own_to is None else plan.own_to / fps
        # Past its own part a chunk runs until idle; never longer than a rep can take.
        give_up_s = None
        if own_to_s is not None:
            give_up_s = own_to_s + spec.rep.max_rep_s + spec.rep.lockout_window_s + 2 * job.idle_s
        stop = _ChunkStop(own_to_s, give_up_s, job.idle_s)
        how = AnalysisOptions(side=job.side, stride=job.stride, first_frame=plan.first, stop=stop)
        # A chunk that saw the real end of the video (the last one, usually) is finished;
        # one stopped at a pause is not, so a movement under way is left to the next chunk.
        result = analyze_source(src, estimator, spec, how)
    found = result.analysis
    return ChunkResult(
        plan,
        found.reps,
        found.movements,
        found.frames,
        stop.last_t,
        stop.last_angles,
        result.backend,
        stopped_idle=stop.stopped_idle,
    )


def _events(r: ChunkResult) -> list[tuple[float, float]]:
    events: list[Rep | Movement] = [*r.reps, *r.movements]
    return [
        (e.start_s, e.end_s) for e in events if math.isfinite(e.start_s) and math.isfinite(e.end_s)
    ]


def choose_cut(a: ChunkResult, b: ChunkResult, boundary_s: float) -> tuple[float, bool]:
    """A time in [boundary_s, a.stop_s] where neither chunk has a rep or movement under way.

    Returns (cut, found): the middle of the widest such gap, or (boundary_s, False) when the
    two chunks leave no gap there.
    """
    lo, hi = boundary_s, max(boundary_s, a.stop_s)
    busy = sorted((s, e) for s, e in _events(a) + _events(b) if e >= lo and s <= hi)
    best, best_w, t = lo, -1.0, lo
    for s, e in busy:
        if s > t and s - t > best_w:
            best, best_w = (t + s) / 2, s - t
        t = max(t, e)
    if hi > t and hi - t > best_w:
        best, best_w = (t + hi) / 2, hi - t
    return (best, True) if best_w > 0 else (boundary_s, False)


def merge_chunks(
    spec: ExerciseSpec, side: Side | None, results: list[ChunkResult], fps: float
) -> MergeResult:
    """One Analyzer holding every chunk's reps, movements and frames, each from its owner."""
    results = sorted(results, key=lambda r: r.plan.index)
    cuts: list[float] = []
    warnings: list[str] = []
    for a, b in zip(results, results[1:], strict=False):
        boundary = b.plan.own_from / fps
        if not a.stopped_idle:
            warnings.append(
                f"the chunk ending near {boundary:.1f} s had to stop during a "
                "movement; it may be missing from the report"
            )
        cut, found = choose_cut(a, b, boundary)
        if not found:
            warnings.append(
                f"no pause near {boundary:.1f} s to join two chunks; a rep there "
                "may be counted differently than in a one-worker run"
            )
        cuts.append(cut)
        # Both chunks analysed [boundary, cut]: they should have found the same reps there.
        a_reps = [r for r in a.reps if r.end_s >= boundary and r.start_s < cut]
        b_reps = [r for r in b.reps if r.end_s >= boundary and r.start_s < cut]
        if len(a_reps) != len(b_reps):
            warnings.append(
                f"the chunks on both sides of {cut:.1f} s disagree near it; "
                "a longer --overlap-s may help"
            )
    edges = [-math.inf, *cuts, math.inf]
    reps: list[Rep] = []
    movements: list[Movement] = []
    frames: list[FrameRecord] = []
    for r, lo, hi in zip(results, edges, edges[1:], strict=False):
        reps += [x for x in r.reps if lo <= x.start_s < hi]
        movements += [x for x in r.movements if lo <= x.start_s < hi]
        frames += [f for f in r.frames if lo <= f.t_s < hi]
    # The side seen last: from the last chunk that saw anything (a chunk past the real end
    # of a video whose length the container overstated saw nothing).
    last = next((r.last_angles for r in reversed(results) if r.last_angles is not None), None)
    merged = AnalyzerResult(
        spec,
        tuple(replace(rep, index=i) for i, rep in enumerate(reps, start=1)),
        tuple(movements),
        tuple(frames),
        dict(Counter(f.status for f in frames)),
        side or (last.side if last is not None else None),
        circular_median_deg([f.azimuth_deg for f in frames]),
    )
    return MergeResult(merged, cuts, warnings, results[0].backend if results else "unknown")


def analyze_in_chunks(
    video: str,
    spec: ExerciseSpec,
    side: Side | None,
    workers: int,
    stride: int = 1,
    fps: float | None = None,
    chunk_s: float | None = None,
    overlap_s: float = OVERLAP_S,
    estimator_factory: Callable[[], PoseEstimator] = default_estimator,
) -> tuple[MergeResult, dict[str, object]]:
    """Analyse ``video`` with ``workers`` processes; returns the merge and the source info.

    Raises InputError (video unreadable), ValueError (bad workers/stride/chunk values).
    """
    with VideoSource(video, fps) as src:
        info = src.info
    plans = plan_chunks(info.frame_count, info.fps, workers, stride, chunk_s, overlap_s)
    jobs = [ChunkJob(video, spec, side, stride, fps, p) for p in plans]
    if len(jobs) == 1 or workers == 1:
        results = [run_chunk(j, estimator_factory) for j in jobs]
    else:
        # spawn: a fresh interpreter per worker (mediapipe's threads do not survive fork).
        with ProcessPoolExecutor(
            max_workers=min(workers, len(jobs)), mp_context=get_context("spawn")
        ) as pool:
            futures = [pool.submit(run_chunk, j, estimator_factory) for j in jobs]
            results = [f.result() for f in futures]
    merge = merge_chunks(spec, side, results, info.fps)
    source = info.to_dict()
    if stride > 1:
        source["stride"] = stride
    return merge, source
