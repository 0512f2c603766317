"""The results commands of the CLI: ``analyze --out`` / ``--history`` helpers, ``report`` and
``history``. Kept apart from cli.py so that file stays a short table of commands; the same
rules hold here: user mistakes raise FormcheckError subclasses, which cli.main turns into one
line and an exit code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .landmarks import PoseFrame
from .options import AnalyzeOptions, HistoryOptions, ReportOptions

if TYPE_CHECKING:
    from tqdm import tqdm

    from .annotate import LandmarkTrack
    from .exercise import ExerciseSpec
    from .outputs import OutputPlan


def progress(opts: AnalyzeOptions, total: int, desc: str) -> tqdm[Any] | None:
    """A tqdm bar on a terminal (None when quiet or not a terminal)."""
    if opts.quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total or None, unit="frame", desc=desc, file=sys.stderr, leave=False)


def plan_out(
    opts: AnalyzeOptions, video: str | None
) -> tuple[OutputPlan | None, LandmarkTrack | None]:
    """The --out plan and the landmark track the annotated video needs (both None without
    --out). Checked before the analysis, so a refused overwrite costs nothing."""
    if opts.out is None:
        return None, None
    from .annotate import LandmarkTrack
    from .outputs import plan_outputs

    kinds = ("json", "csv", "html") + (("video",) if video is not None else ())
    plan = plan_outputs(opts.out, kinds, opts.force)
    return plan, (LandmarkTrack() if video is not None else None)


def keep(
    track: LandmarkTrack | None, poses: Iterable[PoseFrame]
) -> Iterable[PoseFrame] | Iterator[PoseFrame]:
    """``poses`` unchanged, recorded into ``track`` on the way when there is one."""
    return poses if track is None else track.keep(poses)


def check_same_recording(video: str, source: dict[str, Any], what: Path) -> None:
    """Raise UsageError unless ``video`` is the recording ``source`` (a report's) describes."""
    from .outputs import check_same_recording as _same_recording
    from .sources import open_source

    with open_source(video) as src:
        _same_recording(src.info.to_dict(), source, f"{video} and {what}")


def write_out(
    opts: AnalyzeOptions,
    plan: OutputPlan,
    report: dict[str, Any],
    video: str | None,
    track: LandmarkTrack | None,
    missing: str,
    spec: ExerciseSpec | None = None,
) -> None:
    """Write the --out folder, with a progress bar over the video pass. ``spec``: the exercise
    analysed (the overlay's target band); None looks it up by the report's name."""
    from .outputs import write_outputs

    if video is None:
        missing = missing or "analysed from saved landmarks without the video (give the video too)"
    bar = progress(opts, report["source"].get("frame_count", 0), "drawing video") if track else None
    try:
        written = write_outputs(
            plan,
            report,
            video=video,
            track=track,
            missing=missing,
            on_frame=bar.update if bar else None,
            spec=spec,
        )
    finally:
        if bar is not None:
            bar.close()
    if not opts.quiet:
        print(f"\nWritten to {plan.directory}: {', '.join(p.name for p in written.paths)}")


def history_target(opts: AnalyzeOptions) -> Path | None:
    """Where analyze stores the session: None with --no-history, and for the bundled sample
    (a demonstration is not the user's own session)."""
    if opts.no_history or (not opts.videos and opts.landmarks is None):
        return None
    from .history import check_history_writable, default_history_path

    path = opts.history or default_history_path()
    check_history_writable(path)
    return path


def record_history(
    opts: AnalyzeOptions, db: Path, report: dict[str, Any], video: str | None
) -> None:
    """Store the session; the input file's time stands for when it was performed."""
    from datetime import UTC, datetime

    from .history import record_session

    # When the session happened: the recording's file time is the best clue a video carries.
    # The key (path, size, time) lets a re-analysis of the same file replace its entry.
    origin = Path(video) if video is not None else opts.landmarks
    performed_at = key = None
    if origin is not None and origin.exists():
        st = origin.stat()
        performed_at = datetime.fromtimestamp(st.st_mtime, UTC)
        key = f"{origin.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    record_session(db, report, performed_at=performed_at, source_key=key)
    if not opts.quiet:
        print(f"Session stored in the history ({db}); see: formcheck history")


def cmd_report(args: ReportOptions) -> int:  # args: typed options, not argparse
    """formcheck report SESSION.json --out DIR [--video PATH]: the page and the CSV again."""
    from .outputs import plan_outputs, write_outputs
    from .reports import load_report

    report = load_report(args.session)
    if args.video is not None:
        check_same_recording(args.video, report["source"], args.session)
    plan = plan_outputs(args.out, ("csv", "html"), args.force)
    missing = (
        "made from the saved report; the annotated video is written by formcheck analyze --out"
        if args.video
        else "re-rendered from the saved report without the video (give --video)"
    )
    written = write_outputs(plan, report, video=args.video, missing=missing)
    if not args.quiet:
        print(f"Written to {plan.directory}: {', '.join(p.name for p in written.paths)}")
    return 0


def cmd_history(args: HistoryOptions) -> int:  # args: typed options, not argparse
    """formcheck history [--exercise NAME] [--plot PATH]: sessions over time and trends."""
    from .history import ENV_VAR, default_history_path, load_sessions, progress_plot, render_history
    from .reports import check_writable, write_atomic

    db = args.history or default_history_path()
    if args.plot is not None:
        check_writable(args.plot, args.force)
    if not Path(db).exists() and args.history is None and not os.environ.get(ENV_VAR):
        print(f"No sessions yet: formcheck analyze stores each session in {db}.")
        return 0
    exercise = Path(args.exercise).stem if args.exercise else None
    sessions = load_sessions(db, exercise)
    if not sessions:
        known = sorted({s.exercise for s in load_sessions(db)})
        print(
            f"No sessions{f' of {exercise}' if exercise else ''} in {db}"
            + (f" (recorded: {', '.join(known)})." if known else ".")
        )
        return 0
    print(render_history(sessions))
    if args.plot is not None:
        try:
            png = progress_plot(sessions)
        except ValueError:
            raise UsageError("no session has counted reps: nothing to plot") from None
        write_atomic(args.plot, png)
        print(f"\nProgress plot written to {args.plot}")
    return 0
