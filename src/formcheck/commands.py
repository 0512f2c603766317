"""The commands behind ``formcheck analyze``, ``exercises`` and ``live``, over typed options.

cli.py parses the command line into the frozen options of ``options.py`` and calls these;
nothing here sees argparse. User mistakes raise FormcheckError subclasses, which ``cli.main``
turns into one line and an exit code.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from .errors import InputError, UsageError
from .exercise import exercise_names, find_exercise
from .options import AnalyzeOptions, LiveCommandOptions

EXIT_INTERRUPTED = 130
DEFAULT_SAMPLE = "glute_bridge_side"


def samples_dir() -> Path:
    """The bundled samples: inside the installed package, or the checkout's samples/."""
    from .packaged import SAMPLES, data_dir

    return data_dir(SAMPLES)


def cmd_exercises() -> int:
    specs = [find_exercise(name) for name in exercise_names()]
    for spec in [s for s in specs if not s.variant_of] + [s for s in specs if s.variant_of]:
        print(f"{spec.name:<26} {spec.title}: {spec.prescription.describe()}")
        if spec.variant_of:
            print(f"{'':<26} (done in place of {spec.variant_of})")
        print(f"{'':<26} {spec.summary}")
        print(f"{'':<26} faults checked: {', '.join(dict.fromkeys(f.code for f in spec.faults))}")
    return 0


def _resolve_input(opts: AnalyzeOptions) -> tuple[str | None, str]:
    """The video and exercise to use, with the bundled sample when no video is given."""
    video = opts.videos[0] if opts.videos else None
    if opts.landmarks is not None:
        if video and opts.out is None:
            raise UsageError("give either a video or --landmarks, not both (both only with --out: "
                             "the landmarks are analysed, the video is drawn on)")
        return video, opts.exercise or ""
    if video:
        if not opts.exercise:
            raise UsageError(f"which exercise is it? add --exercise ({', '.join(exercise_names())})")
        return video, opts.exercise
    sample = samples_dir() / DEFAULT_SAMPLE / "video.mp4"
    if not sample.is_file():
        raise InputError(f"no video given and the bundled sample is missing ({sample})")
    exercise = opts.exercise or DEFAULT_SAMPLE.removesuffix("_side")
    if not opts.quiet:
        print(f"No video given: analysing the bundled sample {os.path.relpath(sample)}"
              f" ({exercise}).\n", file=sys.stderr)
    shown = os.path.relpath(sample)
    return (shown if not shown.startswith("..") else str(sample)), exercise


def cmd_analyze(opts: AnalyzeOptions) -> int:
    """``formcheck analyze``: one video (or saved landmarks), in chunks, or a batch."""
    from .analysis import AnalysisOptions, AnalysisResult
    from .batch import is_batch, stride_for
    from .reports import check_writable
    from .results_cli import check_same_recording, history_target, plan_out, record_history, write_out

    if is_batch(list(opts.videos), opts.out_dir) or opts.scheduler:
        return cmd_batch(opts)
    video, exercise_name = _resolve_input(opts)
    _check_speed_args(opts)
    for out in (opts.json, opts.save_landmarks):
        if out is not None:
            check_writable(out, opts.force)
    plan, track = plan_out(opts, video)
    history_db = history_target(opts)
    if opts.workers > 1:
        return _analyze_in_chunks(opts, video, exercise_name)  # type: ignore[arg-type]
    if opts.landmarks is not None:
        from .pose.replay import LandmarkReplay

        replay = LandmarkReplay(opts.landmarks)
        exercise_name = exercise_name or replay.header.get("exercise") or ""
        if not exercise_name:
            raise UsageError(f"which exercise is it? add --exercise ({', '.join(exercise_names())})")
        spec = find_exercise(exercise_name)
        if video is not None:
            check_same_recording(video, replay.header.get("source", {}), opts.landmarks)
        result = _run(opts, replay, None, spec, AnalysisOptions(side=opts.side), track,
                      replay.header.get("source", {}).get("frame_count", 0))
    else:
        from .sources import CameraSource, open_source

        spec = find_exercise(exercise_name)
        with open_source(video, fps=opts.fps) as src:  # type: ignore[arg-type]
            stride = stride_for(src.info.fps, opts.stride, opts.max_fps)
            if stride > 1 and isinstance(src, CameraSource):
                raise UsageError("--stride and --max-fps work on files, not on a camera")
            from .pose.mediapipe_legacy import MediaPipeLegacyPose
            from .runner import EstimatorLoader

            # The model loads in a thread while the first frames decode: start-up off the
            # critical path.
            with EstimatorLoader(_open_estimator, name=MediaPipeLegacyPose.name) as estimator:
                how = AnalysisOptions(side=opts.side, stride=stride, save_landmarks=opts.save_landmarks)
                result = _run(opts, src, estimator, spec, how, track, src.info.frame_count)
    report = result.report()
    _show_report(opts, report)
    if plan is not None:
        # Stopped with Ctrl-C: write what was analysed, but no second pass over the video.
        write_out(opts, plan, report, video if result.complete else None, track if result.complete else None,
                  "" if result.complete else "the analysis was stopped early", spec)
    if not result.complete:
        print("formcheck: stopped; the report covers the part analysed and is marked incomplete",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    if history_db is not None and (result.analysis.reps or not report["summary"]["warnings"]):
        record_history(opts, history_db, report, video)
    AnalysisResult.check_counted(report)
    return 0


def _run(opts, source, estimator, spec, how, track, total):  # type: ignore[no-untyped-def]
    """analyze_source with a progress bar on a terminal, keeping landmarks into ``track``."""
    from .analysis import analyze_source
    from .results_cli import progress

    bar = progress(opts, total, "analysing")

    def seen(pose) -> None:  # type: ignore[no-untyped-def]
        if track is not None:
            track.add(pose)
        if bar is not None:
            bar.update()

    try:
        watch = seen if track is not None or bar is not None else None
        return analyze_source(source, estimator, spec, how, on_pose=watch)
    finally:
        if bar is not None:
            bar.close()


def _show_report(opts: AnalyzeOptions, report: dict[str, Any]) -> None:
    """Write the JSON report (with --json) and print the table (unless --quiet)."""
    from .reports import render_text, write_json

    if opts.json is not None:
        write_json(opts.json, report)
    if not opts.quiet:
        print(render_text(report))
        if opts.json is not None:
            print(f"\nReport written to {opts.json}")


def _check_speed_args(opts: AnalyzeOptions) -> None:
    """One-file mode: the speed options that make sense together."""
    if opts.stride < 1:
        raise UsageError(f"--stride must be 1 or more, got {opts.stride}")
    if opts.max_fps is not None and opts.stride != 1:
        raise UsageError("give either --stride or --max-fps, not both")
    if opts.workers < 1:
        raise UsageError(f"--workers must be 1 or more, got {opts.workers}")
    if opts.jobs is not None:
        raise UsageError("--jobs is for several videos; for one video use --workers")
    if opts.landmarks is not None and (opts.stride != 1 or opts.max_fps or opts.workers > 1):
        raise UsageError("--stride, --max-fps and --workers work on videos, not on --landmarks")
    if opts.workers > 1 and opts.save_landmarks is not None:
        raise UsageError("--save-landmarks works with one worker only")
    if opts.workers == 1 and (opts.chunk_s is not None or opts.overlap_s is not None):
        raise UsageError("--chunk-s and --overlap-s go with --workers N (N > 1)")
    if opts.chunk_s is not None and not opts.chunk_s > 0:
        raise UsageError(f"--chunk-s must be above 0, got {opts.chunk_s:g}")
    if opts.overlap_s is not None and not opts.overlap_s >= 0:
        raise UsageError(f"--overlap-s must be 0 or more, got {opts.overlap_s:g}")


def _analyze_in_chunks(opts: AnalyzeOptions, video: str, exercise_name: str) -> int:
    """One video, ``--workers`` processes: chunks in parallel, merged into one report."""
    from .analysis import AnalysisResult
    from .batch import stride_for
    from .parallel import OVERLAP_S, analyze_in_chunks
    from .reports import build_report
    from .sources import VideoSource

    if not Path(video).is_file():
        raise UsageError("--workers splits a video file; image folders and cameras use one worker")
    if opts.out is not None or opts.save_landmarks is not None:
        raise UsageError("--out and --save-landmarks work with one worker; drop --workers for them")
    spec = find_exercise(exercise_name)  # an unknown exercise fails before any process starts
    with VideoSource(video, opts.fps) as src:
        stride = stride_for(src.info.fps, opts.stride, opts.max_fps)
    _silence_native_stderr()
    merge, source = analyze_in_chunks(
        video, spec, opts.side, opts.workers, stride=stride, fps=opts.fps,
        chunk_s=opts.chunk_s, overlap_s=OVERLAP_S if opts.overlap_s is None else opts.overlap_s)
    if not merge.result.frames:
        raise InputError(f"{video}: no frames could be decoded (damaged file, or a codec this "
                         "FFmpeg cannot decode); convert it to H.264")
    report = build_report(merge.result, source, merge.backend)
    report["summary"]["warnings"] += merge.warnings
    _show_report(opts, report)
    AnalysisResult.check_counted(report)
    return 0


def cmd_batch(opts: AnalyzeOptions) -> int:
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

    if not opts.videos:
        raise UsageError("batch mode needs videos: files, a folder or a glob")
    if not opts.exercise:
        raise UsageError(f"which exercise is it? add --exercise ({', '.join(exercise_names())})")
    for flag, bad in (("--json", opts.json), ("--save-landmarks", opts.save_landmarks),
                      ("--landmarks", opts.landmarks), ("--chunk-s", opts.chunk_s),
                      ("--overlap-s", opts.overlap_s)):
        if bad is not None:
            raise UsageError(f"{flag} is for one video; in batch mode use --out-dir")
    if opts.workers != 1:
        raise UsageError("--workers splits one video; for several videos use --jobs")
    if opts.max_fps is not None and opts.stride != 1:
        raise UsageError("give either --stride or --max-fps, not both")
    if opts.stride < 1:
        raise UsageError(f"--stride must be 1 or more, got {opts.stride}")
    spec = find_exercise(opts.exercise)  # fail before any work; the workers get it loaded
    videos = expand_inputs(list(opts.videos))
    if opts.out_dir is not None:
        if opts.out_dir.exists() and not opts.out_dir.is_dir():
            raise UsageError(f"--out-dir {opts.out_dir}: is a file, not a folder")
        opts.out_dir.mkdir(parents=True, exist_ok=True)
    reports = report_paths(videos, opts.out_dir)
    summary_path = (opts.out_dir or Path(".")) / SUMMARY_NAME
    check_reports_writable([*reports, summary_path], opts.force)
    jobs = [VideoJob(str(v), str(r), spec, opts.side, opts.stride, opts.max_fps, opts.fps)
            for v, r in zip(videos, reports, strict=True)]

    def done(res) -> None:  # type: ignore[no-untyped-def]
        if not opts.quiet:
            what = f"{res.reps} reps" if res.report else f"error: {res.error}"
            print(f"  {res.video}: {what} ({res.seconds:.1f} s)", file=sys.stderr)

    t0 = time.perf_counter()
    _silence_native_stderr()
    if opts.scheduler:
        from .cluster import run_on_dask

        results = run_on_dask(jobs, opts.scheduler, on_result=done)
    else:
        n_jobs = opts.jobs if opts.jobs is not None else (os.cpu_count() or 1)
        results = run_batch(jobs, n_jobs, on_result=done)
    summary = batch_summary(results, opts.exercise, time.perf_counter() - t0)
    write_summary(summary_path, summary)
    if not opts.quiet:
        print(render_summary(summary))
        print(f"\nSummary written to {summary_path}")
    failed = [r for r in results if not r.ok]
    return failed[0].exit_code if failed else 0


def cmd_live(args: LiveCommandOptions) -> int:
    """``formcheck live``: the live loop, then the report; errors after the start keep what
    was counted (the report is saved first, then the error's exit code is returned)."""
    from .coaching import SetPlan
    from .live import Ended, LiveOptions, LiveSession, default_report_path
    from .reports import build_report, check_writable, render_text, write_json
    from .sinks import container_for
    from .sound import Sound
    from .sources import CameraSource, FrameSource, open_source
    from .window import Window

    spec = find_exercise(args.exercise)
    if args.rest_s is not None and not (args.rest_s >= 0 and args.rest_s < float("inf")):
        raise UsageError(f"--rest must be 0 or more seconds, got {args.rest_s:g}")
    plan = SetPlan.from_spec(spec, args.sets, args.reps, args.rest_s)
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
    side = args.side
    say = (lambda text: None) if args.quiet else (lambda text: print(text, file=sys.stderr))
    with source:
        from .pose.mediapipe_legacy import MediaPipeLegacyPose

        # Live reads nothing from the person's outline (no fault uses it, the overlay does not
        # show it), so it does not pay for the mask: 12 % of the model's time (bench/RESULTS.md).
        with MediaPipeLegacyPose(segmentation=False) as estimator:
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
    report = build_report(result.analyzer.result(), result.source, backend, complete=result.complete)
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




