"""One benchmark measurement per process (bench/run.py starts each, and reads its JSON line).

Each task prints one line ``BENCH {json}`` with its figures. Running every measurement in a
fresh process keeps them apart (peak RSS is per process; no warm caches carried over).

    python bench/tasks.py model CLIP LANDMARKS_OUT     model-only throughput (frames in memory)
    python bench/tasks.py core EXERCISE LANDMARKS...   analysis core per frame (no model)
    python bench/tasks.py analyze ARGV...              `formcheck analyze ARGV` end to end
    python bench/tasks.py live CLIP SECONDS            simulated live loop: fps and latency
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

T_LAUNCH = float(os.environ.get("BENCH_T_LAUNCH", time.time()))  # set by run.py at Popen


def vm_hwm_mb() -> float:
    """This process's peak RSS since it started (VmHWM), MB.

    Not the rusage of the child as seen by its parent: that counts the parent's pages copied
    at fork time too.
    """
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def emit(**figures: object) -> None:
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    hwm = vm_hwm_mb()
    figures.update(peak_rss_mb=hwm, vm_hwm_mb=hwm, workers_peak_rss_mb=children or None)
    print("BENCH " + json.dumps(figures), flush=True)


def task_model(clip: str, landmarks_out: str) -> None:
    """Decode the whole clip into memory, then time the pose model alone on every frame."""
    from formcheck.pose import default_estimator
    from formcheck.pose.replay import LandmarkWriter
    from formcheck.sources import VideoSource

    t0 = time.perf_counter()
    with VideoSource(clip) as src:
        info = src.info
        frames = [(f.image, f.timestamp_ms) for f in src.frames()]
    decode_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    poses = []
    with default_estimator() as est:
        t_model = time.perf_counter() - t0
        t1 = time.perf_counter()
        poses.append(est.estimate(*frames[0]))
        first_s = time.perf_counter() - t1
        t1 = time.perf_counter()
        for image, t_ms in frames[1:]:
            poses.append(est.estimate(image, t_ms))
        rest_s = time.perf_counter() - t1
        backend = est.name
    n = len(frames)
    with LandmarkWriter(landmarks_out, info.to_dict(), backend, {"exercise": "glute_bridge"}) as w:
        for p in poses:
            w.write(p)
    emit(
        frames=n,
        width=info.width,
        height=info.height,
        decode_fps=n / decode_s,
        model_load_s=t_model,
        first_frame_s=first_s,
        model_fps=n / (first_s + rest_s),
        model_ms=(first_s + rest_s) / n * 1000,
        steady_model_fps=(n - 1) / rest_s,
    )


def task_core(exercise: str, *landmark_files: str) -> None:
    """Analyzer.update per frame (and with finish + build_report), PoseFrames pre-loaded."""
    from formcheck.exercise import find_exercise
    from formcheck.pose.replay import LandmarkReplay
    from formcheck.reports import build_report
    from formcheck.session import Analyzer

    out = {}
    for path in landmark_files:
        replay = LandmarkReplay(path)
        ex = replay.header.get("exercise") if exercise == "auto" else exercise
        spec = find_exercise(ex)
        poses = list(replay.poses())
        best_update = best_report = float("inf")
        for _ in range(7):
            an = Analyzer(spec)
            t0 = time.perf_counter()
            for p in poses:
                an.update(p)
            t1 = time.perf_counter()
            an.finish()
            build_report(an, replay.header.get("source", {}), "replay")
            t2 = time.perf_counter()
            best_update = min(best_update, t1 - t0)
            best_report = min(best_report, t2 - t0)
        name = Path(path).name
        out[Path(path).parent.name if name.startswith("landmarks") else name.split(".")[0]] = {
            "exercise": ex,
            "frames": len(poses),
            "update_us": best_update / len(poses) * 1e6,
            "update_report_us": best_report / len(poses) * 1e6,
        }
    emit(core=out)


def task_analyze(*argv: str) -> None:
    """`formcheck analyze ARGV` in this process; when its first frame was analysed."""
    from formcheck import session
    from formcheck.cli import main

    first: list[float] = []
    update = session.Analyzer.update

    def timed_update(self, pose):  # type: ignore[no-untyped-def]
        if not first:
            first.append(time.time())
        return update(self, pose)

    session.Analyzer.update = timed_update  # type: ignore[method-assign]
    t0 = time.perf_counter()
    t0_wall = time.time()
    rc = main(list(argv))
    wall = time.perf_counter() - t0
    emit(
        rc=rc,
        wall_s=wall,
        import_s=t0_wall - T_LAUNCH,
        first_frame_from_launch_s=(first[0] - T_LAUNCH) if first else None,
        first_frame_from_main_s=(first[0] - t0_wall) if first else None,
    )


def task_live(clip: str, seconds: str) -> None:
    """A camera simulated from CLIP at its frame rate; newest-frame pipeline as live mode runs it.

    Per shown frame: pose model, Analyzer.update, and an overlay drawn on a copy of the frame
    (landmarks and a status line; a stand-in for the live window's renderer). No window is
    opened. Latency is from when the simulated camera delivered the frame to overlay done.
    """
    import cv2
    import numpy as np

    from formcheck.exercise import find_exercise
    from formcheck.pose import default_estimator
    from formcheck.runner import Latest
    from formcheck.session import Analyzer
    from formcheck.sources import Frame, VideoSource

    limit = float(seconds)
    src = VideoSource(clip)
    fps = src.info.fps
    delivered: dict[int, float] = {}

    def camera():  # type: ignore[no-untyped-def]
        t_start = time.monotonic()
        for f in src.frames():
            due = t_start + f.index / fps
            now = time.monotonic()
            if now < due:
                time.sleep(due - now)
            t = time.monotonic()
            if t - t_start > limit:
                return
            delivered[f.index] = t
            yield Frame(f.index, (t - t_start) * 1000.0, f.image)

    analyzer = Analyzer(find_exercise("glute_bridge"))
    latencies = []
    shown = 0
    with default_estimator() as est:
        est.estimate(np.zeros((src.info.height, src.info.width, 3), np.uint8), 0.0)  # warm
        with Latest(camera()) as frames:
            t_first = None
            for f in frames:
                pose = est.estimate(f.image, f.timestamp_ms)
                analyzer.update(pose)
                canvas = f.image.copy()
                if pose.image is not None:
                    h, w = canvas.shape[:2]
                    pts = (pose.image[:, :2] * (w, h)).astype(int)
                    for a, b in (
                        (11, 23),
                        (23, 25),
                        (25, 27),
                        (12, 24),
                        (24, 26),
                        (26, 28),
                        (11, 12),
                        (23, 24),
                        (27, 31),
                        (28, 32),
                    ):
                        cv2.line(canvas, tuple(pts[a]), tuple(pts[b]), (0, 255, 0), 3)
                    for x, y in pts:
                        cv2.circle(canvas, (int(x), int(y)), 4, (0, 0, 255), -1)
                cv2.putText(
                    canvas,
                    f"{analyzer.status} reps {len(analyzer.reps)}",
                    (20, 40),
                    cv2.FONT_HERSHEY_SIMPLEX,
                    1.0,
                    (255, 255, 255),
                    2,
                )
                done = time.monotonic()
                latencies.append(done - delivered[f.index])
                t_first = t_first or done
                shown += 1
            dropped = frames.dropped
    lat = np.array(latencies) * 1000
    span = limit
    emit(
        camera_fps=fps,
        shown=shown,
        shown_fps=shown / span,
        dropped=dropped,
        latency_ms_p50=float(np.percentile(lat, 50)),
        latency_ms_p95=float(np.percentile(lat, 95)),
        latency_ms_max=float(lat.max()),
    )


if __name__ == "__main__":
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tasks = {"model": task_model, "core": task_core, "analyze": task_analyze, "live": task_live}
    tasks[sys.argv[1]](*sys.argv[2:])
