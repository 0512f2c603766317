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
from .commands import (  # noqa: F401  (DEFAULT_SAMPLE, samples_dir: the bundled sample, for callers)
    DEFAULT_SAMPLE,
    EXIT_INTERRUPTED,
    _silence_native_stderr,
    cmd_analyze,
    cmd_exercises,
    cmd_live,
    samples_dir,
)
from .errors import FormcheckError, UsageError
from .landmarks import Side
from .options import AnalyzeOptions, HistoryOptions, LiveCommandOptions, ReportOptions


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
            return cmd_analyze(analyze_options(args))
        if args.command == "exercises":
            return cmd_exercises()
        if args.command == "report":
            from .results_cli import cmd_report

            return cmd_report(ReportOptions(args.session, args.out, args.video, args.force, args.quiet))
        if args.command == "history":
            from .results_cli import cmd_history

            return cmd_history(HistoryOptions(args.exercise, args.plot, args.force, args.history))
        if args.command == "live":
            return cmd_live(live_options(args))
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
    except BrokenPipeError:
        # The reader went away (``formcheck exercises | head``): nothing more to say.
        _drop_stdout()
        return 0
    except Exception as exc:  # a bug, not a user mistake: say so plainly
        if want_tb:
            traceback.print_exc()
        print(f"formcheck: internal error: {type(exc).__name__}: {exc} (run again with --traceback "
              "and report it)", file=sys.stderr)
        return 1


def _drop_stdout() -> None:
    """Send what is left of stdout nowhere, so Python does not complain of the closed pipe
    when it flushes at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main_entry() -> None:
    code = main()
    try:
        sys.stdout.flush()  # here, not at exit, so a reader that stopped early is no error
    except BrokenPipeError:
        _drop_stdout()
    sys.exit(code)


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


def analyze_options(args: argparse.Namespace) -> AnalyzeOptions:
    """The parsed ``analyze`` arguments as the typed options the commands take."""
    return AnalyzeOptions(
        videos=tuple(args.video), exercise=args.exercise, side=_side(args.side), json=args.json,
        save_landmarks=args.save_landmarks, landmarks=args.landmarks, fps=args.fps, force=args.force,
        stride=args.stride, max_fps=args.max_fps, workers=args.workers, chunk_s=args.chunk_s,
        overlap_s=args.overlap_s, jobs=args.jobs, out_dir=args.out_dir, scheduler=args.scheduler,
        quiet=args.quiet, out=args.out, history=args.history, no_history=args.no_history,
    )


def live_options(args: argparse.Namespace) -> LiveCommandOptions:
    """The parsed ``live`` arguments as typed options."""
    return LiveCommandOptions(
        exercise=args.exercise, camera=str(args.camera), side=_side(args.side), sets=args.sets, reps=args.reps,
        rest_s=args.rest, size=args.size, no_window=args.no_window, json=args.json, record=args.record,
        save_landmarks=args.save_landmarks, force=args.force, mute=args.mute, no_pace=args.no_pace,
        drop_late=args.drop_late, history=args.history, no_history=args.no_history, quiet=args.quiet,
    )


def _side(text: str) -> Side | None:
    return None if text == "auto" else Side(text)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
