"""`analyze` end to end against the pose model alone, side by side in one run (issue 14, item 3).

Every measurement is its own process:

- **model only**: ``bench/tasks.py model`` decodes the 30 s 720p clip into memory, then times
  the pose model on every frame (model load not counted; the first frame's detection is);
- **end to end**: ``python -m formcheck.cli analyze CLIP -e glute_bridge --json R -q``, timed
  from the moment the process is launched until it has exited (Python start, imports, model
  load, decoding, inference, analysis, the JSON report): frames / that time.

The ratio of the two is the figure to compare across machines. The short runs alternate
(model, e2e, model, e2e, ...) and the best of each is kept: on a shared machine the fastest
run is the least disturbed. The 1-minute load average is written before and after each run.

    python bench/startup.py [--repeat 3] [--long-s 600] [--tmp DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from clips import make_clip  # noqa: E402

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def model_only(clip: Path, landmarks: Path) -> dict:
    load = os.getloadavg()[0]
    out = subprocess.run([sys.executable, str(BENCH / "tasks.py"), "model", str(clip), str(landmarks)],
                         capture_output=True, text=True, env=_env(), check=True).stdout
    res = json.loads(next(ln for ln in out.splitlines() if ln.startswith("BENCH "))[6:])
    res.update(load_before=load, load_after=os.getloadavg()[0])
    return res


def end_to_end(clip: Path, report: Path) -> dict:
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    # What `formcheck analyze` runs, through a plain `python -c` (the console script's work).
    code = "import sys; from formcheck.cli import main; sys.exit(main(sys.argv[1:]))"
    subprocess.run([sys.executable, "-c", code, "analyze", str(clip), "-e", "glute_bridge",
                    "--json", str(report), "--force", "--no-history", "-q"], env=_env(), check=True)
    wall = time.perf_counter() - t0
    frames = json.loads(report.read_text())["summary"]["frames"]
    return {"wall_s": wall, "frames": frames, "fps": frames / wall, "load_before": load,
            "load_after": os.getloadavg()[0]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--short-s", type=float, default=30.0)
    p.add_argument("--long-s", type=float, default=600.0, help="0: no long run")
    p.add_argument("--tmp", type=Path)
    a = p.parse_args(argv)
    tmp = a.tmp or Path(tempfile.mkdtemp(prefix="fc-startup-"))
    tmp.mkdir(parents=True, exist_ok=True)
    short = tmp / f"clip720_{a.short_s:.0f}s.mp4"
    long = tmp / f"clip720_{a.long_s:.0f}s.mp4"
    if not short.is_file():
        make_clip("glute_bridge_side", short, 1280, 720, a.short_s)
    if a.long_s and not long.is_file():
        make_clip("glute_bridge_side", long, 1280, 720, a.long_s)
    print(f"{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}; {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores; Python {platform.python_version()}", flush=True)
    models, e2es = [], []
    for i in range(a.repeat):
        models.append(model_only(short, tmp / "short.landmarks.jsonl.gz"))
        print(f"model {i + 1}: {models[-1]['model_fps']:.2f} fps (load {models[-1]['load_before']:.1f})", flush=True)
        e2es.append(end_to_end(short, tmp / "short.json"))
        print(f"e2e {i + 1}: {e2es[-1]['fps']:.2f} fps (load {e2es[-1]['load_before']:.1f})", flush=True)
    m = max(models, key=lambda r: r["model_fps"])
    e = max(e2es, key=lambda r: r["fps"])
    rows = [("pose model only, frames in memory", m["model_fps"], 1.0, m),
            ("`analyze` end to end, process launch to exit", e["fps"], e["fps"] / m["model_fps"], e)]
    if a.long_s:
        lg = end_to_end(long, tmp / "long.json")
        print(f"long: {lg['fps']:.2f} fps (load {lg['load_before']:.1f})", flush=True)
        name = f"`analyze` end to end, {a.long_s / 60:.0f}-minute clip"
        rows.append((name, lg["fps"], lg["fps"] / m["model_fps"], lg))
    print(f"\n{a.short_s:.0f} s 720p clip: {m['frames']} frames; model load {m['model_load_s']:.2f} s, "
          f"first frame {m['first_frame_s']:.2f} s (not in model-only)\n")
    print("| measure | fps | ratio to model-only | all runs (fps) | load before → after |")
    print("|---|---|---|---|---|")
    for name, fps, ratio, r in rows:
        runs = ([round(x["model_fps"], 2) for x in models] if r is m else
                [round(x["fps"], 2) for x in e2es] if r is e else [round(fps, 2)])
        print(f"| {name} | {fps:.2f} | {ratio:.3f} | {runs} | {r['load_before']:.1f} → {r['load_after']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
