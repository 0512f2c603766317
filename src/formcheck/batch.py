"""Many videos: one job per video, run in parallel worker processes, and a combined summary.

``run_video_job`` is the whole per-video job (open the video, run its own pose model,
analyse, write the JSON report) and returns a small picklable ``VideoResult``. The local
pool (``run_batch``) and a Dask cluster (``formcheck.cluster``) run this same function.
"""

from __future__ import annotations

import glob
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .errors import AnalysisError, FormcheckError, InputError, UsageError
from .landmarks import Side
from .pose import PoseEstimator, default_estimator

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv")
REPORT_SUFFIX = ".formcheck.json"
SUMMARY_NAME = "summary.json"
_GLOB_CHARS = set("*?[")


def _is_glob(item: str) -> bool:
    return bool(_GLOB_CHARS & set(item)) and not Path(item).exists()


def _videos_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES)


def is_batch(items: Sequence[str], out_dir: Path | None = None) -> bool:
    """Whether these inputs ask for batch mode: several of them, a glob, a folder of videos,
    or an ``--out-dir``. One video file (or an image folder) is the single-file path."""
    if len(items) > 1 or out_dir is not None:
        return True
    if len(items) == 1:
        item = items[0]
        if _is_glob(item):
            return True
        p = Path(item)
        return p.is_dir() and bool(_videos_in(p))
    return False


def expand_inputs(items: Sequence[str]) -> list[Path]:
    """Video files named by ``items``: files, folders of videos (not recursive) and globs.

    Order is kept (each folder or glob sorted), duplicates dropped. Raises InputError for a
    missing file, a glob that matches nothing or a folder without videos.
    """
    out: list[Path] = []
    for item in items:
        if _is_glob(item):
            found = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file())
            if not found:
                raise InputError(f"{item}: matches no file")
        elif Path(item).is_dir():
            found = _videos_in(Path(item))
            if not found:
                raise InputError(
                    f"{item}: the folder holds no videos ({', '.join(VIDEO_SUFFIXES)})"
                )
        elif Path(item).is_file():
            found = [Path(item)]
        else:
            raise InputError(f"{item}: no such file")
        out += found
    seen: set[Path] = set()
    unique = []
    for p in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def report_paths(videos: Sequence[Path], out_dir: Path | None) -> list[Path]:
    """Where each video's report goes: ``out_dir/<name>.formcheck.json``, or beside the video.

    In ``out_dir``, videos with the same name (``a/video.mp4``, ``b/video.mp4``) are told
    apart by their folder: ``a-video.formcheck.json``. Raises UsageError when two videos
    would still write the same report.
    """
    if out_dir is None:
        paths = [v.parent / (v.stem + REPORT_SUFFIX) for v in videos]
    else:
        stems = Counter(v.stem for v in videos)
        paths = [
            out_dir
            / (
                (f"{v.resolve().parent.name}-{v.stem}" if stems[v.stem] > 1 else v.stem)
                + REPORT_SUFFIX
            )
            for v in videos
        ]
    dupes = [p for p, n in Counter(paths).items() if n > 1]
    if dupes:
        raise UsageError(
            f"two videos would write the same report {dupes[0]}; "
            "rename one, or analyse them in separate runs"
        )
    return paths


@dataclass(frozen=True)
class VideoJob:
    """One video to analyse and where its report goes. Picklable, so it can go to any worker."""

    video: str
    report: str
    exercise: str
    side: Side | None = None
    stride: int = 1
    max_fps: float | None = None
    fps: float | None = None


@dataclass(frozen=True)
class VideoResult:
    """What one job did. ``exit_code`` as the CLI's (0 done); ``error`` says why when not."""

    video: str
    report: str | None
    exit_code: int
    error: str = ""
    reps: int = 0
    good_reps: int = 0
    faults_by_code: dict[str, int] = field(default_factory=dict)
    per_leg: dict[str, int] | None = None
    frames: int = 0
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0  # wall time of the job

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def stride_for(fps: float, stride: int = 1, max_fps: float | None = None) -> int:
    """The frame stride: ``stride``, or the smallest that keeps the rate at most ``max_fps``.

    Raises UsageError for stride < 1 or max_fps <= 0.
    """
    if stride < 1:
        raise UsageError(f"--stride must be 1 or more, got {stride}")
    if max_fps is None:
        return stride
    if not max_fps > 0:
        raise UsageError(f"--max-fps must be above 0, got {max_fps:g}")
    # A tolerance, so 30 fps at --max-fps 15 is stride 2, not 3.
    return max(1, math.ceil(fps / max_fps - 1e-6))


def run_video_job(
    job: VideoJob, estimator_factory: Callable[[], PoseEstimator] = default_estimator
) -> VideoResult:
    """Analyse one video and write its JSON report; never raises for a user-level problem.

    A FormcheckError (unreadable video, unknown exercise, report not writable, nothing
    analysable) becomes a result with that error's exit code, so one bad file in a batch
    does not stop the others. Bugs (other exceptions) propagate.
    """
    from .exercise import find_exercise
    from .reports import build_report, write_json
    from .runner import poses_from_frames, run
    from .session import Analyzer
    from .sources import VideoSource

    t0 = time.perf_counter()
    try:
        spec = find_exercise(job.exercise)
        analyzer = Analyzer(spec, side=job.side)
        with VideoSource(job.video, job.fps) as src, estimator_factory() as estimator:
            stride = stride_for(src.info.fps, job.stride, job.max_fps)
            source = src.info.to_dict()
            if stride > 1:
                source["stride"] = stride
            result = run(poses_from_frames(src.frames(stride), estimator), analyzer)
            source.update(src.clock_report().to_source())
            backend = getattr(estimator, "name", "unknown")
        if result.frames == 0:
            raise InputError(f"{job.video}: no frames could be decoded")
        report = build_report(analyzer, source, backend, complete=result.complete)
        write_json(Path(job.report), report)
        summ = report["summary"]
        res = VideoResult(
            job.video,
            job.report,
            0,
            "",
            summ["reps"],
            summ["good_reps"],
            dict(summ["faults_by_code"]),
            summ.get("per_leg"),
            summ["frames"],
            tuple(summ["warnings"]),
            time.perf_counter() - t0,
        )
        if summ["frames"] and not analyzer.reps and summ["warnings"]:
            err = AnalysisError(summ["warnings"][0] + " Nothing could be counted.")
            res = VideoResult(**{**asdict(res), "exit_code": err.exit_code, "error": str(err)})
        return res
    except FormcheckError as exc:
        return VideoResult(
            job.video, None, exc.exit_code, str(exc), seconds=time.perf_counter() - t0
        )


def run_batch(
    jobs: Sequence[VideoJob],
    n_jobs: int,
    on_result: Callable[[VideoResult], None] | None = None,
    estimator_factory: Callable[[], PoseEstimator] = default_estimator,
) -> list[VideoResult]:
    """Run ``jobs`` in ``n_jobs`` worker processes (spawned; each opens its own pose model).

    Returns the results in the order of ``jobs``; ``on_result`` is called as each finishes.
    """
    if n_jobs < 1:
        raise UsageError(f"--jobs must be 1 or more, got {n_jobs}")
    results: dict[int, VideoResult] = {}
    if n_jobs == 1 or len(jobs) == 1:
        for i, job in enumerate(jobs):
            results[i] = run_video_job(job, estimator_factory)
            if on_result is not None:
                on_result(results[i])
    else:
        # spawn: a fresh interpreter per worker (mediapipe's threads do not survive fork).
        with ProcessPoolExecutor(
            max_workers=min(n_jobs, len(jobs)), mp_context=get_context("spawn")
        ) as pool:
            futures = {
                pool.submit(run_video_job, job, estimator_factory): i for i, job in enumerate(jobs)
            }
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                if on_result is not None:
                    on_result(results[futures[fut]])
    return [results[i] for i in range(len(jobs))]


def check_reports_writable(paths: Iterable[Path], force: bool) -> None:
    """Fail before any work when a report exists (without ``force``) or cannot be written."""
    from .reports import check_writable

    for p in paths:
        check_writable(p, force)


def batch_summary(results: Sequence[VideoResult], exercise: str, seconds: float) -> dict[str, Any]:
    """The combined summary (written as summary.json): one row per video, and totals."""
    faults: Counter[str] = Counter()
    for r in results:
        faults.update(r.faults_by_code)
    return {
        "tool": "formcheck",
        "exercise": exercise,
        "videos": len(results),
        "analysed": sum(1 for r in results if r.report is not None),
        "failed": sum(1 for r in results if r.report is None),
        "reps": sum(r.reps for r in results),
        "good_reps": sum(r.good_reps for r in results),
        "faults_by_code": dict(sorted(faults.items())),
        "frames": sum(r.frames for r in results),
        "seconds": round(seconds, 2),
        "results": [
            {**asdict(r), "warnings": list(r.warnings), "seconds": round(r.seconds, 2)}
            for r in results
        ],
    }


def render_summary(summary: dict[str, Any]) -> str:
    """The combined summary as a terminal table."""
    rows = [f"{'video':<40} {'reps':>4} {'good':>4}  faults / error"]
    for r in summary["results"]:
        name = r["video"] if len(r["video"]) <= 40 else "…" + r["video"][-39:]
        if r["report"] is None:
            rows.append(f"{name:<40} {'–':>4} {'–':>4}  error: {r['error']}")
            continue
        faults = ", ".join(f"{c} ×{n}" for c, n in r["faults_by_code"].items()) or "none"
        note = f"  ({r['error']})" if r["error"] else ""
        rows.append(f"{name:<40} {r['reps']:>4} {r['good_reps']:>4}  {faults}{note}")
    rows.append("")
    rows.append(
        f"{summary['videos']} videos ({summary['failed']} failed), {summary['reps']} reps, "
        f"{summary['good_reps']} good, in {summary['seconds']:.1f} s"
    )
    return "\n".join(rows)


def write_summary(path: Path, summary: dict[str, Any]) -> None:
    """Write summary.json atomically. Raises OutputError when it cannot be written."""
    from .reports import write_json

    write_json(path, summary)
