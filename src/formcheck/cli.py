"""The formcheck command line: a thin shell over the library.

Exit codes: 0 done; 1 unexpected internal error; 2 bad command line; 3 an input cannot be read;
4 an exercise file is invalid or unknown; 5 an output cannot be written; 6 the input was
read but nothing could be analysed (nobody in view, wrong camera view); 7 a window was asked
for but there is no display (``live`` without ``--no-window``); 130 stopped with Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__
from .errors import AnalysisError, FormcheckError, InputError, UsageError
from .exercise import exercise_names, find_exercise
from .landmarks import Side

EXIT_INTERRUPTED = 130


def samples_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "samples"


DEFAULT_SAMPLE = "glute_bridge_side"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, as for every user mistake
        raise UsageError(f"{message} (see: {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="formcheck", description="Counts reps and checks form in exercise videos.")
    p.add_argument("--version", action="version", version=f"formcheck {__version__}")
    p.add_argument("--traceback", action="store_true", help="show the full traceback on errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    a = sub.add_parser("analyze", help="analyse a recorded video (or the bundled sample)",
                       description="Analyse a recorded video: count reps, measure them, find faults.")
    a.add_argument("video", nargs="*",
                   help="video file or image folder; omit to analyse a bundled sample. Several "
                        "files, a folder of videos or a glob ('clips/*.mp4') analyse each video "
                        "(batch mode, see --jobs and --out-dir)")
    a.add_argument("--exercise", "-e", help="exercise name (see: formcheck exercises) or a .toml file")
    a.add_argument("--side", choices=["auto", "left", "right"], default="auto",
                   help="body side facing the camera (default: auto, from landmark visibility)")
    a.add_argument("--json", metavar="PATH", type=Path, help="write the JSON report here")
    a.add_argument("--save-landmarks", metavar="PATH", type=Path,
                   help="save every frame's landmarks (JSON Lines; .gz compresses) for re-analysis")
    a.add_argument("--landmarks", metavar="PATH", type=Path,
                   help="re-analyse a saved landmark file instead of running the pose model")
    a.add_argument("--fps", type=float, help="frame rate to assume (image folders, files with bad metadata)")
    a.add_argument("--force", action="store_true", help="overwrite output files that exist")
    speed = a.add_argument_group("speed and batch")
    speed.add_argument("--stride", type=int, default=1, metavar="N",
                       help="analyse every Nth frame only (timestamps stay true; 2 keeps rep "
                            "counts on 30 fps video)")
    speed.add_argument("--max-fps", type=float, metavar="F",
                       help="analyse at most F frames per second (sets the stride from the "
                            "video's rate)")
    speed.add_argument("--workers", type=int, default=1, metavar="N",
                       help="split one video into time chunks analysed by N processes, then merge")
    speed.add_argument("--chunk-s", type=float, metavar="S",
                       help="chunk length in seconds for --workers (default: the video split in N)")
    speed.add_argument("--overlap-s", type=float, default=None, metavar="S",
                       help="warm-up before each chunk, seconds (default: 12)")
    speed.add_argument("--jobs", "-j", type=int, metavar="N",
                       help="batch mode: videos analysed at once, one process each "
                            "(default: cores)")
    speed.add_argument("--out-dir", type=Path, metavar="DIR",
                       help="batch mode: write NAME.formcheck.json per video and summary.json "
                            "here (default: each report beside its video, the summary in the "
                            "current folder)")
    speed.add_argument("--scheduler", metavar="ADDRESS",
                       help="batch mode: run the videos on this Dask scheduler (pip install "
                            "'formcheck[cluster]')")
    a.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    a.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    a.add_argument("--out", "-o", metavar="DIR", type=Path,
                   help="write report.json, reps.csv, report.html and annotated.mp4 into DIR "
                        "(with --landmarks, give the video too for the annotated video)")
    _add_history_option(a)
    a.add_argument("--no-history", action="store_true", help="do not store this session in the history")

    _add_live_parser(sub)

    e = sub.add_parser("exercises", help="list the exercises formcheck knows, with their programme")
    e.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)

    r = sub.add_parser("report", help="re-render report.html and reps.csv from a saved JSON report",
                       description="Re-render report.html and reps.csv from a JSON report of "
                                   "formcheck analyze (no annotated video: that needs the landmarks).")
    r.add_argument("session", metavar="SESSION.json", type=Path, help="a report.json written by analyze")
    r.add_argument("--out", "-o", metavar="DIR", type=Path, required=True, help="folder to write into")
    r.add_argument("--video", metavar="PATH", help="the analysed video, for pictures of the faulty reps")
    r.add_argument("--force", action="store_true", help="overwrite output files that exist")
    r.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    r.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)

    h = sub.add_parser("history", help="sessions over time: reps, good reps, range of motion, faults",
                       description="Show the stored sessions over time, with trends, and draw a progress plot.")
    h.add_argument("--exercise", "-e", help="only this exercise")
    h.add_argument("--plot", metavar="PATH", type=Path, help="write a progress plot (PNG) here")
    h.add_argument("--force", action="store_true", help="overwrite the plot if it exists")
    _add_history_option(h)
    h.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    return p


def _add_history_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--history", metavar="PATH", type=Path,
                   help="history database (default: $FORMCHECK_HISTORY, else "
                        "history.sqlite3 in the user data folder)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run formcheck with ``argv``; returns the exit code. Errors are printed, not raised."""
    argv = list(sys.argv[1:] if argv is None else argv)
    want_tb = "--traceback" in argv
    try:
        args = build_parser().parse_args(argv)
        if args.command == "analyze":
            if not want_tb:
                _silence_native_stderr()
            return cmd_analyze(args)
        if args.command == "exercises":
            return cmd_exercises()
        if args.command == "report":
            from .results_cli import cmd_report

            return cmd_report(args)
        if args.command == "history":
            from .results_cli import cmd_history

            return cmd_history(args)
        if args.command == "live":
            return cmd_live(args)
        build_parser().print_help()
        return 0
    except FormcheckError as exc:
        if want_tb:
            traceback.print_exc()
        print(f"formcheck: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("formcheck: stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug, not a user mistake: say so plainly
        if want_tb:
            traceback.print_exc()
        print(f"formcheck: internal error: {type(exc).__name__}: {exc} (run again with --traceback "
              "and report it)", file=sys.stderr)
        return 1


def main_entry() -> None:
    sys.exit(main())


def cmd_exercises() -> int:
    for name in exercise_names():
        spec = find_exercise(name)
        print(f"{spec.name:<26} {spec.title}: {spec.prescription.describe()}")
        print(f"{'':<26} {spec.summary}")
        print(f"{'':<26} faults checked: {', '.join(f.code for f in spec.faults)}")
    return 0


def _resolve_input(args: argparse.Namespace) -> tuple[str | None, str]:
    """The video and exercise to use, with the bundled sample when no video is given."""
    if args.landmarks is not None:
        if args.video and args.out is None:
            raise UsageError("give either a video or --landmarks, not both (both only with --out: "
                             "the landmarks are analysed, the video is drawn on)")
        return args.video, args.exercise or ""
    if args.video:
        if not args.exercise:
            raise UsageError(f"which exercise is it? add --exercise ({', '.join(exercise_names())})")
        return args.video, args.exercise
    sample = samples_dir() / DEFAULT_SAMPLE / "video.mp4"
    if not sample.is_file():
        raise InputError(f"no video given and the bundled sample is missing ({sample})")
    exercise = args.exercise or DEFAULT_SAMPLE.removesuffix("_side")
    if not args.quiet:
        print(f"No video given: analysing the bundled sample {os.path.relpath(sample)}"
              f" ({exercise}).\n", file=sys.stderr)
    shown = os.path.relpath(sample)
    return (shown if not shown.startswith("..") else str(sample)), exercise


def cmd_analyze(args: argparse.Namespace) -> int:
    from .batch import is_batch, stride_for
    from .reports import build_report, check_writable
    from .session import Analyzer

    if is_batch(args.video, args.out_dir) or args.scheduler:
        return cmd_batch(args)
    args.video = args.video[0] if args.video else None
    video, exercise_name = _resolve_input(args)
    warnings: list[str] = []
    _check_speed_args(args)
    side = None if args.side == "auto" else Side(args.side)
    for out in (args.json, args.save_landmarks):
        if out is not None:
            check_writable(out, args.force)
    from .results_cli import history_target, keep, plan_out, record_history, write_out

    plan, track = plan_out(args, video)
    history_db = history_target(args)
    if args.landmarks is not None:
        from .pose.replay import LandmarkReplay

        replay = LandmarkReplay(args.landmarks)
        header_ex = replay.header.get("exercise")
        exercise_name = exercise_name or header_ex or ""
        if not exercise_name:
            raise UsageError(f"which exercise is it? add --exercise ({', '.join(exercise_names())})")
        spec = find_exercise(exercise_name)
        analyzer = Analyzer(spec, side=side)
        source = replay.header.get("source", {})
        backend = replay.header.get("backend", "replay")
        if video is not None:
            from .results_cli import check_same_recording

            check_same_recording(video, source, args.landmarks)
        result = _run(keep(track, replay.poses()), analyzer, None, args, source.get("frame_count", 0))
    elif args.workers > 1:
        return _analyze_in_chunks(args, video, exercise_name, side)  # type: ignore[arg-type]
    else:
        from .sources import CameraSource, open_source

        spec = find_exercise(exercise_name)
        analyzer = Analyzer(spec, side=side)
        with open_source(video, fps=args.fps) as src:  # type: ignore[arg-type]
            source = src.info.to_dict()
            stride = stride_for(src.info.fps, args.stride, args.max_fps)
            if stride > 1 and isinstance(src, CameraSource):
                raise UsageError("--stride and --max-fps work on files, not on a camera")
            if stride > 1:
                source["stride"] = stride
            from .pose.mediapipe_legacy import MediaPipeLegacyPose
            from .runner import EstimatorLoader, poses_from_frames

            # The model loads in a thread while the first frames decode: start-up off the
            # critical path.
            with EstimatorLoader(_open_estimator) as estimator:
                writer = None
                if args.save_landmarks is not None:
                    from .pose.replay import LandmarkWriter

                    writer = LandmarkWriter(args.save_landmarks, source, MediaPipeLegacyPose.name,
                                            extra={"exercise": spec.name})
                frames = src.frames() if stride == 1 else src.frames(stride)  # type: ignore[call-arg]
                poses = keep(track, poses_from_frames(frames, estimator))
                try:
                    result = _run(poses, analyzer, writer, args, src.info.frame_count)
                finally:
                    if writer is not None:
                        writer.close(complete=True)
                # Variable frame rate, mended timestamps: known once the frames are decoded.
                clock_report = getattr(src, "clock_report", None)
                if clock_report is not None:
                    source.update(clock_report().to_source())
            backend = estimator.name
    # The same in both paths, so a replay of saved landmarks gives the identical report.
    source = dict(source)
    source["frames_decoded"] = result.frames
    claimed = int(source.get("frame_count") or 0)
    if result.complete and claimed and result.frames < 0.9 * claimed:
        warnings.append(f"The video ended early: {result.frames} of the {claimed} frames it claims "
                        "could be decoded (a cut-off or damaged file).")
    report = build_report(analyzer, source, backend, complete=result.complete)
    report["summary"]["warnings"][:0] = warnings
    _show_report(args, report)
    if plan is not None:
        # Stopped with Ctrl-C: write what was analysed, but no second pass over the video.
        write_out(args, plan, report, video if result.complete else None,
                  track if result.complete else None,
                  "" if result.complete else "the analysis was stopped early")
    if not result.complete:
        print("formcheck: stopped; the report covers the part analysed and is marked incomplete",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    summ = report["summary"]
    if history_db is not None and (analyzer.reps or not summ["warnings"]):
        record_history(args, history_db, report, video)
    if summ["frames"] and not analyzer.reps and summ["warnings"]:
        raise AnalysisError(summ["warnings"][0] + " Nothing could be counted.")
    return 0


def _show_report(args: argparse.Namespace, report: dict) -> None:
    """Write the JSON report (with --json) and print the table (unless --quiet)."""
    from .reports import render_text, write_json

    if args.json is not None:
        write_json(args.json, report)
    if not args.quiet:
        print(render_text(report))
        if args.json is not None:
            print(f"\nReport written to {args.json}")


def _check_speed_args(args: argparse.Namespace) -> None:
    """One-file mode: the speed options that make sense together."""
    if args.stride < 1:
        raise UsageError(f"--stride must be 1 or more, got {args.stride}")
    if args.max_fps is not None and args.stride != 1:
        raise UsageError("give either --stride or --max-fps, not both")
    if args.workers < 1:
        raise UsageError(f"--workers must be 1 or more, got {args.workers}")
    if args.jobs is not None:
        raise UsageError("--jobs is for several videos; for one video use --workers")
    if args.landmarks is not None and (args.stride != 1 or args.max_fps or args.workers > 1):
        raise UsageError("--stride, --max-fps and --workers work on videos, not on --landmarks")
    if args.workers > 1 and args.save_landmarks is not None:
        raise UsageError("--save-landmarks works with one worker only")
    if args.workers == 1 and (args.chunk_s is not None or args.overlap_s is not None):
        raise UsageError("--chunk-s and --overlap-s go with --workers N (N > 1)")
    if args.chunk_s is not None and not args.chunk_s > 0:
        raise UsageError(f"--chunk-s must be above 0, got {args.chunk_s:g}")
    if args.overlap_s is not None and not args.overlap_s >= 0:
        raise UsageError(f"--overlap-s must be 0 or more, got {args.overlap_s:g}")


def _analyze_in_chunks(args: argparse.Namespace, video: str, exercise_name: str,
                       side: Side | None) -> int:
    """One video, ``--workers`` processes: chunks in parallel, merged into one report."""
    from .batch import stride_for
    from .parallel import OVERLAP_S, analyze_in_chunks
    from .reports import build_report
    from .sources import VideoSource

    if not Path(video).is_file():
        raise UsageError("--workers splits a video file; image folders and cameras use one worker")
    if getattr(args, "out", None) is not None or getattr(args, "save_landmarks", None) is not None:
        raise UsageError("--out and --save-landmarks work with one worker; drop --workers for them")
    find_exercise(exercise_name)  # an unknown exercise fails before any process starts
    with VideoSource(video, args.fps) as src:
        stride = stride_for(src.info.fps, args.stride, args.max_fps)
    _silence_native_stderr()
    merge, source = analyze_in_chunks(
        video, exercise_name, side, args.workers, stride=stride, fps=args.fps,
        chunk_s=args.chunk_s, overlap_s=OVERLAP_S if args.overlap_s is None else args.overlap_s)
    if not merge.analyzer.frames:
        raise InputError(f"{video}: no frames could be decoded (damaged file, or a codec this "
                         "FFmpeg cannot decode); convert it to H.264")
    report = build_report(merge.analyzer, source, merge.backend)
    report["summary"]["warnings"] += merge.warnings
    _show_report(args, report)
    summ = report["summary"]
    if summ["frames"] and not merge.analyzer.reps and summ["warnings"]:
        raise AnalysisError(summ["warnings"][0] + " Nothing could be counted.")
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    """Several videos: one report each and a combined summary. Exit code: 0 when every video
    was analysed, else the exit code of the first that was not."""
    import time

    from .batch import (
        SUMMARY_NAME,
        VideoJob,
        batch_summary,
        check_reports_writable,
        expand_inputs,
        render_summary,
        report_paths,
        run_batch,
        write_summary,
    )

    if not args.video:
        raise UsageError("batch mode needs videos: files, a folder or a glob")
    if not args.exercise:
        raise UsageError(f"which exercise is it? add --exercise ({', '.join(exercise_names())})")
    for flag, bad in (("--json", args.json), ("--save-landmarks", args.save_landmarks),
                      ("--landmarks", args.landmarks), ("--chunk-s", args.chunk_s),
                      ("--overlap-s", args.overlap_s)):
        if bad is not None:
            raise UsageError(f"{flag} is for one video; in batch mode use --out-dir")
    if args.workers != 1:
        raise UsageError("--workers splits one video; for several videos use --jobs")
    if args.max_fps is not None and args.stride != 1:
        raise UsageError("give either --stride or --max-fps, not both")
    if args.stride < 1:
        raise UsageError(f"--stride must be 1 or more, got {args.stride}")
    find_exercise(args.exercise)  # fail before any work
    videos = expand_inputs(args.video)
    if args.out_dir is not None:
        if args.out_dir.exists() and not args.out_dir.is_dir():
            raise UsageError(f"--out-dir {args.out_dir}: is a file, not a folder")
        args.out_dir.mkdir(parents=True, exist_ok=True)
    reports = report_paths(videos, args.out_dir)
    summary_path = (args.out_dir or Path(".")) / SUMMARY_NAME
    check_reports_writable([*reports, summary_path], args.force)
    side = None if args.side == "auto" else Side(args.side)
    jobs = [VideoJob(str(v), str(r), args.exercise, side, args.stride, args.max_fps, args.fps)
            for v, r in zip(videos, reports, strict=True)]

    def done(res) -> None:  # type: ignore[no-untyped-def]
        if not args.quiet:
            what = f"{res.reps} reps" if res.report else f"error: {res.error}"
            print(f"  {res.video}: {what} ({res.seconds:.1f} s)", file=sys.stderr)

    t0 = time.perf_counter()
    _silence_native_stderr()
    if args.scheduler:
        from .cluster import run_on_dask

        results = run_on_dask(jobs, args.scheduler, on_result=done)
    else:
        n_jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
        results = run_batch(jobs, n_jobs, on_result=done)
    summary = batch_summary(results, args.exercise, time.perf_counter() - t0)
    write_summary(summary_path, summary)
    if not args.quiet:
        print(render_summary(summary))
        print(f"\nSummary written to {summary_path}")
    failed = [r for r in results if not r.ok]
    return failed[0].exit_code if failed else 0


def _run(poses, analyzer, writer, args, total):  # type: ignore[no-untyped-def]
    from .runner import run

    bar = None
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total or None, unit="frame", desc="analysing", file=sys.stderr, leave=False)
    try:
        return run(poses, analyzer, writer, on_frame=(lambda _p: bar.update()) if bar else None)
    finally:
        if bar is not None:
            bar.close()


def _add_live_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    lv = sub.add_parser(
        "live", help="coach from a webcam in real time (or play a video through the same loop)",
        description="Watch a camera (or a video file) and coach in real time: skeleton, angle against "
                    "its target band, rep counter, sets and rest, hold timer, one cue at a time. "
                    "Keys: q or Esc quit, space pause, r start over, n end the set now. The session "
                    "is saved as the JSON report 'analyze' writes.")
    lv.add_argument("--exercise", "-e", required=True, help="exercise name (see: formcheck exercises) or a .toml file")
    lv.add_argument("--camera", default="0", metavar="INDEX|FILE",
                    help="camera index (default 0) or a video file, played at its own speed")
    lv.add_argument("--side", choices=["auto", "left", "right"], default="auto",
                    help="body side facing the camera (default: auto, from landmark visibility)")
    lv.add_argument("--sets", type=_positive_int, help="sets to do (default: the exercise's programme)")
    lv.add_argument("--reps", type=_positive_int,
                    help="reps per set, per leg for one-leg exercises (default: the low end of the programme's range)")
    lv.add_argument("--rest", type=float, metavar="SECONDS", help="rest between sets (default 60)")
    lv.add_argument("--size", metavar="WxH", type=_size, help="ask the camera for this resolution, e.g. 1280x720")
    lv.add_argument("--no-window", action="store_true",
                    help="no window: print reps and cues instead (stop a camera with Ctrl-C)")
    lv.add_argument("--json", metavar="PATH", type=Path,
                    help="save the session report here (default: formcheck-live-EXERCISE-DATE-TIME.json "
                         "in the current folder)")
    lv.add_argument("--record", metavar="PATH", type=Path,
                    help="also save the video with the overlay (.mp4: H.264; also .mov, .mkv, .avi); "
                         "nothing is recorded without it")
    lv.add_argument("--save-landmarks", metavar="PATH", type=Path,
                    help="save every frame's landmarks (for 'analyze --landmarks')")
    lv.add_argument("--force", action="store_true", help="overwrite output files that exist")
    lv.add_argument("--mute", action="store_true", help="no rep tone and no spoken cues")
    lv.add_argument("--no-pace", action="store_true",
                    help="video file only: analyse as fast as possible instead of at the file's speed")
    lv.add_argument("--drop-late", action="store_true",
                    help="video file only: behave like a camera, analysing only the newest frame "
                         "(frames that arrive while the model is busy are dropped)")
    _add_history_option(lv)
    lv.add_argument("--no-history", action="store_true", help="do not store this session in the history")
    lv.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    lv.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {n}")
    return n


def _size(text: str) -> tuple[int, int]:
    w, _, h = text.lower().partition("x")
    if not (w.isdigit() and h.isdigit() and int(w) > 0 and int(h) > 0):
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x720, got {text!r}")
    return int(w), int(h)


def cmd_live(args: argparse.Namespace) -> int:
    """``formcheck live``: the live loop, then the report; errors after the start keep what
    was counted (the report is saved first, then the error's exit code is returned)."""
    from .live import Ended, LiveOptions, LiveSession, SetPlan, Sound, default_report_path
    from .render import Window
    from .reports import build_report, check_writable, render_text, write_json
    from .sinks import container_for
    from .sources import CameraSource, FrameSource, open_source

    spec = find_exercise(args.exercise)
    if args.rest is not None and not (args.rest >= 0 and args.rest < float("inf")):
        raise UsageError(f"--rest must be 0 or more seconds, got {args.rest:g}")
    plan = SetPlan.from_spec(spec, args.sets, args.reps, args.rest)
    camera = str(args.camera)
    is_camera = camera.isdigit()
    if not is_camera and (args.size is not None):
        raise UsageError("--size is for a camera; a video file plays at its own size")
    if is_camera and (args.no_pace or args.drop_late):
        raise UsageError("--no-pace and --drop-late are for a video file given with --camera FILE")
    report_path = args.json or default_report_path(spec.name)
    history_db = None
    if not args.no_history:
        from .history import check_history_writable, default_history_path

        history_db = args.history or default_history_path()
        check_history_writable(history_db)
    for out in (report_path, args.record, args.save_landmarks):
        if out is not None:
            check_writable(out, args.force)
    if args.record is not None:
        container_for(args.record)
    # Native libraries (OpenCV's camera probing, mediapipe's graph) write chatter to fd 2.
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    _silence_native_stderr()
    # The display first: without one the session must not start (cv2.imshow would abort).
    window = None if args.no_window else Window(f"formcheck live: {spec.title}")
    source: FrameSource
    if is_camera:
        size = args.size or (None, None)
        source = CameraSource(int(camera), *size)
    else:
        source = open_source(camera)
    side = None if args.side == "auto" else Side(args.side)
    say = (lambda text: None) if args.quiet else (lambda text: print(text, file=sys.stderr))
    with source:
        from .pose.mediapipe_legacy import MediaPipeLegacyPose

        with MediaPipeLegacyPose() as estimator:
            writer = None
            if args.save_landmarks is not None:
                from .pose.replay import LandmarkWriter

                writer = LandmarkWriter(args.save_landmarks, source.info.to_dict(), estimator.name,
                                        extra={"exercise": spec.name})
            options = LiveOptions(plan, side=side, pace=not args.no_pace, drop_late=True if args.drop_late else None,
                                  record=args.record, echo=args.no_window and not args.quiet)
            session = LiveSession(source, estimator, spec, options, display=window,
                                  sound=Sound(enabled=not args.mute), landmarks=writer, out=say)
            try:
                result = session.run()
            finally:
                if writer is not None:
                    writer.close(complete=True)
            backend = estimator.name
    report = build_report(result.analyzer, result.source, backend, complete=result.complete)
    report["live"] = result.report_extra()
    write_json(report_path, report)
    if history_db is not None and result.analyzer.reps:
        from .history import record_session

        record_session(history_db, report)
        if not args.quiet:
            print(f"Session stored in the history ({history_db}); see: formcheck history")
    if not args.quiet:
        from .live import summary_lines

        print(render_text(report))
        print()
        for line in summary_lines(result.analyzer, result.sets):
            print(line)
        t = result.stats
        print(f"\nAnalysed {t.frames_analysed} frames at {t.fps:.1f} fps"
              + (f", {t.frames_dropped} stale frames skipped" if t.frames_dropped else "")
              + (f"; capture to overlay {t.latency_percentile(50):.0f} ms (median)" if t.latency_ms else ""))
        print(f"Report written to {report_path}")
    if result.error is not None:
        print(f"formcheck: the session ended early; the {len(result.analyzer.reps)} reps counted until then "
              f"are saved in {report_path}", file=sys.stderr)
        raise result.error
    if result.ended is Ended.INTERRUPTED:
        print("formcheck: stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


def _silence_native_stderr() -> None:
    """Send what native libraries write to fd 2 to /dev/null; Python's stderr keeps working.

    mediapipe's C++ graph prints start-up chatter (from its own threads, at any time during
    the first frames) that would bury formcheck's messages. FORMCHECK_NATIVE_LOGS=1 keeps it.
    """
    global _native_silenced
    if os.environ.get("FORMCHECK_NATIVE_LOGS") == "1" or _native_silenced:
        return
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # stderr is not a real file (tests)
        return
    sys.stderr.flush()
    keep = os.dup(fd)
    sys.stderr = os.fdopen(keep, "w", buffering=1, encoding=sys.stderr.encoding or "utf-8",
                           errors="backslashreplace")
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)
    _native_silenced = True


_native_silenced = False


def _open_estimator():  # type: ignore[no-untyped-def]
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from .pose.mediapipe_legacy import MediaPipeLegacyPose

    return MediaPipeLegacyPose()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
