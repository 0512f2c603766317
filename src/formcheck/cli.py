"""The formcheck command line: a thin shell over the library.

Exit codes: 0 done; 1 unexpected internal error; 2 bad command line; 3 an input cannot be read;
4 an exercise file is invalid or unknown; 5 an output cannot be written; 6 the input was
read but nothing could be analysed (nobody in view, wrong camera view); 130 stopped with Ctrl-C.
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
    a.add_argument("video", nargs="?", help="video file, image folder; omit to analyse a bundled sample")
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
    a.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    a.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)

    e = sub.add_parser("exercises", help="list the exercises formcheck knows, with their programme")
    e.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    return p


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
        if args.video:
            raise UsageError("give either a video or --landmarks, not both")
        return None, args.exercise or ""
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
    from .reports import build_report, check_writable, render_text, write_json
    from .session import Analyzer

    video, exercise_name = _resolve_input(args)
    warnings: list[str] = []
    side = None if args.side == "auto" else Side(args.side)
    for out in (args.json, args.save_landmarks):
        if out is not None:
            check_writable(out, args.force)
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
        result = _run(replay.poses(), analyzer, None, args, source.get("frame_count", 0))
    else:
        from .sources import open_source

        spec = find_exercise(exercise_name)
        analyzer = Analyzer(spec, side=side)
        with open_source(video, fps=args.fps) as src:  # type: ignore[arg-type]
            source = src.info.to_dict()
            estimator = _open_estimator()
            with estimator:
                from .runner import poses_from_frames

                writer = None
                if args.save_landmarks is not None:
                    from .pose.replay import LandmarkWriter

                    writer = LandmarkWriter(args.save_landmarks, source, estimator.name,
                                            extra={"exercise": spec.name})
                poses = poses_from_frames(src.frames(), estimator)
                try:
                    result = _run(poses, analyzer, writer, args, src.info.frame_count)
                finally:
                    if writer is not None:
                        writer.close(complete=True)
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
    if args.json is not None:
        write_json(args.json, report)
    if not args.quiet:
        print(render_text(report))
        if args.json is not None:
            print(f"\nReport written to {args.json}")
    if not result.complete:
        print("formcheck: stopped; the report covers the part analysed and is marked incomplete",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    summ = report["summary"]
    if summ["frames"] and not analyzer.reps and summ["warnings"]:
        raise AnalysisError(summ["warnings"][0] + " Nothing could be counted.")
    return 0


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
