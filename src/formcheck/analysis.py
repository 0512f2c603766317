"""The one path that analyses a recording: ``analyze_source(source, estimator, spec, options)``.

``formcheck analyze`` (one video, or saved landmarks), batch jobs and the chunked workers all
call it, so a video gives the same reps, faults and warnings whichever way it is analysed.
Each pose goes through ``FrameAnalysis.step``: ``analyze_source`` drives it over a source, and
the live session (``live.py``) drives the same step with the poses its threads hand over, so a
frame is analysed one way in every mode.

Options are a frozen ``AnalysisOptions``; the CLI builds it from its arguments, and nothing
here sees the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .errors import AnalysisError, UsageError
from .exercise import ExerciseSpec
from .landmarks import PoseFrame, Side
from .pose import PoseEstimator
from .reps import Movement, Rep
from .session import Analyzer, AnalyzerResult
from .sources import Frame, SourceInfo

# A file that decodes fewer than this share of the frames its container claims was cut off.
ENDED_EARLY_SHARE = 0.9


@dataclass(frozen=True)
class AnalysisOptions:
    """How to analyse one recording.

    ``side``: the body side facing the camera (None: found from the landmarks). ``stride``:
    analyse every Nth frame (1 or more). ``first_frame``: start there (a chunk's warm-up).
    ``save_landmarks``: write every frame's landmarks there. ``stop``: asked after each frame
    of a chunk (with the analyzer and the frame's time, seconds) whether to stop before the end;
    a stopped run is not finished, so a rep under way is neither counted nor dropped.
    """

    side: Side | None = None
    stride: int = 1
    first_frame: int = 0
    save_landmarks: Path | None = None
    stop: Callable[[Analyzer, float], bool] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.stride < 1:
            raise UsageError(f"--stride must be 1 or more, got {self.stride}")
        if self.first_frame < 0:
            raise ValueError(f"expected first_frame >= 0, got {self.first_frame}")


class LandmarkSink(Protocol):
    """Where each analysed pose's landmarks are saved (``pose.replay.LandmarkWriter``)."""

    def write(self, pose: PoseFrame) -> None: ...


class FrameAnalysis:
    """The analysis of one recording, one pose at a time: the per-frame path every mode takes.

    ``step(pose)`` saves the pose's landmarks (when a sink is given), feeds it to the
    ``analyzer`` and returns the reps and uncounted movements that finished with it;
    ``finish()`` judges what is complete at the end of the input. ``frames`` counts the poses
    stepped. ``reset()`` starts the analysis afresh (a new Analyzer); the landmarks go on being
    saved and ``frames`` goes on counting.
    """

    def __init__(self, spec: ExerciseSpec, *, side: Side | None = None,
                 landmarks: LandmarkSink | None = None) -> None:
        self.spec = spec
        self.side = side
        self.landmarks = landmarks
        self.frames = 0
        self.analyzer = Analyzer(spec, side=side)

    def step(self, pose: PoseFrame) -> list[Rep | Movement]:
        if self.landmarks is not None:
            self.landmarks.write(pose)
        events = self.analyzer.update(pose)
        self.frames += 1
        return events

    def finish(self) -> list[Rep | Movement]:
        return self.analyzer.finish()

    def reset(self) -> None:
        self.analyzer = Analyzer(self.spec, side=self.side)


class FrameSource(Protocol):
    """A video file or image folder: ``frames(stride, start)`` and its ``info``."""

    info: SourceInfo

    def frames(self, stride: int = 1, start: int = 0, stop: int | None = None) -> Iterator[Frame]: ...


class PoseSource(Protocol):
    """Saved landmarks (``pose.replay.LandmarkReplay``): poses and the header they came with."""

    header: dict[str, Any]

    def poses(self) -> Iterator[PoseFrame]: ...


@dataclass(frozen=True)
class AnalysisResult:
    """What the analysis of one recording found.

    ``analysis`` is the analyzer's frozen result (reps, uncounted movements, frame records);
    ``source`` the input's description for the report (with ``stride`` when above 1 and
    ``frames_decoded``); ``frames`` the number analysed; ``complete`` False when stopped early
    (Ctrl-C, or a chunk stopped at a pause); ``warnings`` what the report should say first.
    """

    analysis: AnalyzerResult
    source: dict[str, Any]
    backend: str
    frames: int
    complete: bool
    warnings: tuple[str, ...] = ()

    def report(self) -> dict[str, Any]:
        """The JSON report (schema_version 1)."""
        from .reports import build_report

        report = build_report(self.analysis, self.source, self.backend, complete=self.complete)
        report["summary"]["warnings"][:0] = list(self.warnings)
        return report

    @staticmethod
    def check_counted(report: dict[str, Any]) -> None:
        """Raise AnalysisError when frames were read but nothing could be counted and the
        report says why (nobody in view, wrong view, wrong exercise)."""
        summ = report["summary"]
        if summ["frames"] and not summ["reps"] and summ["warnings"]:
            raise AnalysisError(summ["warnings"][0] + " Nothing could be counted.")


def analyze_source(
    source: FrameSource | PoseSource,
    estimator: PoseEstimator | None,
    spec: ExerciseSpec,
    options: AnalysisOptions = AnalysisOptions(),
    *,
    on_pose: Callable[[PoseFrame], None] | None = None,
) -> AnalysisResult:
    """Analyse ``source`` (a frame source through ``estimator``, or saved landmarks, for which
    ``estimator`` is None) as exercise ``spec``.

    ``on_pose`` sees every pose after it is analysed (progress bars, keeping landmarks for the
    annotated video). Ctrl-C stops early: the result is then marked incomplete.
    Raises InputError (unreadable source), OutputError (landmarks not writable), UsageError.
    """
    from .pose.replay import LandmarkWriter
    from .runner import poses_from_frames

    if estimator is None:
        if not hasattr(source, "header"):
            raise TypeError("a frame source needs a pose estimator")
        info: dict[str, Any] = dict(source.header.get("source", {}))  # type: ignore[union-attr]
        backend = str(source.header.get("backend", "replay"))  # type: ignore[union-attr]
        poses: Iterable[PoseFrame] = source.poses()  # type: ignore[union-attr]
    else:
        src: FrameSource = source  # type: ignore[assignment]
        info = src.info.to_dict()
        if options.stride > 1:
            info["stride"] = options.stride
        backend = getattr(estimator, "name", "unknown")
        frames = src.frames(options.stride, options.first_frame) if (options.stride > 1 or options.first_frame) \
            else src.frames()
        poses = poses_from_frames(frames, estimator)
    writer = None
    if options.save_landmarks is not None:
        writer = LandmarkWriter(options.save_landmarks, info, backend, extra={"exercise": spec.name})
    run = FrameAnalysis(spec, side=options.side, landmarks=writer)
    complete, stopped = True, False
    try:
        for pose in poses:
            run.step(pose)
            if on_pose is not None:
                on_pose(pose)
            if options.stop is not None and options.stop(run.analyzer, pose.timestamp_ms / 1000.0):
                stopped = True
                break
    except KeyboardInterrupt:
        complete = False
    finally:
        close = getattr(poses, "close", None)
        if close is not None:
            close()  # stops the decode thread when the loop ended before the video did
        if writer is not None:
            writer.close(complete=True)
    if not stopped:
        run.finish()
    # Variable frame rate, mended timestamps (PyAV sources): known once the frames are decoded.
    clock_report = getattr(source, "clock_report", None) if estimator is not None else None
    if clock_report is not None:
        info.update(clock_report().to_source())
    if estimator is not None:
        # A model loaded beside the decoding (runner.EstimatorLoader) is built by now.
        backend = getattr(estimator, "name", backend)
    # The same in both paths, so a replay of saved landmarks gives the identical report.
    n = run.frames
    info["frames_decoded"] = n
    warnings = []
    claimed = int(info.get("frame_count") or 0)
    if complete and not stopped and claimed and n < ENDED_EARLY_SHARE * claimed:
        warnings.append(f"The video ended early: {n} of the {claimed} frames it claims could be decoded "
                        "(a cut-off or damaged file).")
    return AnalysisResult(run.analyzer.result(), info, backend, n, complete and not stopped, tuple(warnings))


