#!/usr/bin/env python3
"""How well ``back_curve_deg`` (the back's outline, from the segmentation mask) follows the truth.

    python bench/backcurve.py [--out-dir out/backcurve] [--render] [--only NAME ...]
                              [--realdev ../shared/realdev | --no-realdev] [--write bench/BACKCURVE.md]

1. Renders: each scenario of ``bench/backcurve_scenarios.py`` is rendered with ``../shared/synth``
   into ``--out-dir/NAME`` (only with ``--render`` and only when absent; set ``SYNTH_PYTHON`` to the
   renderer venv's python when it is not ``../shared/synth/.venv``: any venv with
   ``../shared/synth/requirements.txt`` and ``pyrender==0.1.18 --no-deps`` will do). The pose
   model (segmentation on) runs once per clip; its landmarks (``NAME.landmarks.jsonl.gz``, with
   the trunk outline) and masks (``NAME.masks.npz``, 1/2 size, uint8: cache only, so the outline
   can be recomputed without the model) are kept.
2. Each replay is analysed as its exercise; per frame, ``back_curve_deg`` is compared with the
   truth's ``spine_extension_deg`` and ``lumbar_extension_deg``; per rep, what a rule on the
   outline would read and what today's proxy rules read (``probe_file``: formcheck's own rule
   engine) are compared with the injected magnitude. Renders named ``*_holdout*`` are reported
   apart and never used to choose anything: per fault, an outline rule's threshold is the
   midpoint between the worst clean rep and the least faulty rep of the other renders (none where
   a faulty rep reads among the clean ones), and the "outline rule against today's proxy" table
   shows which faulty reps each finds (the proxy standing in where the outline is not read, as a
   ``fallback`` rule would) and how many clean reps each flags, on both sets.
3. Real clips: for the side-view clips of ``--realdev`` (labels.csv ``view_class == side``), the
   same extraction, per clip the median and spread of ``back_curve_deg`` at the start and at
   each rep's top, and on how many reps that outline rule would fire.

Everything printed is also written as Markdown to ``--write`` (default: stdout only).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "src"))
from backcurve_scenarios import SCENARIOS, scenario  # noqa: E402

from formcheck.backcurve import trunk_profile  # noqa: E402
from formcheck.landmarks import Landmark, PoseFrame  # noqa: E402
from formcheck.pose.replay import LandmarkReplay, LandmarkWriter  # noqa: E402

SYNTH = REPO.parent / "shared" / "synth"
EXERCISE = {"hip_hinge": "hip_hinge", "glute_bridge": "glute_bridge",
            "standing_glute_kickback": "standing_glute_kickback"}
MASK_SCALE = 2  # masks are cached at 1/2 size


# ---------------------------------------------------------------- extraction (the model, once)

def render(name: str, out_dir: Path) -> Path:
    d = out_dir / name
    if (d / "video.mp4").is_file() and (d / "truth.json").is_file():
        return d
    py = os.environ.get("SYNTH_PYTHON", str(SYNTH / ".venv" / "bin" / "python"))
    spec = out_dir / f"{name}.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(json.dumps(scenario(name)))
    t0 = time.perf_counter()
    subprocess.run(["nice", "-n", "10", py, str(SYNTH / "render.py"), str(spec), "--out", str(d),
                    "--no-preview"], check=True, stdout=subprocess.DEVNULL)
    print(f"  rendered {name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return d


def extract(video: Path, stem: Path) -> tuple[Path, Path]:
    """Landmarks (with outline) and half-size masks of ``video``, cached at ``stem.*``."""
    lm, masks = stem.with_suffix(".landmarks.jsonl.gz"), stem.with_suffix(".masks.npz")
    if lm.is_file() and masks.is_file():
        return lm, masks
    from formcheck.pose.mediapipe_legacy import MediaPipeLegacyPose
    from formcheck.sources import VideoSource

    os.nice(10)
    kept: list[np.ndarray] = []
    t0 = time.perf_counter()
    with VideoSource(video) as src, MediaPipeLegacyPose(segmentation=True) as est, \
            LandmarkWriter(lm, src.info.to_dict(), est.name) as writer:
        for frame in src.frames():
            rgb = est.prepare(frame.image)
            res = est._pose.process(rgb)  # the mask itself is wanted here, not only the outline
            pose = est.estimate_from_result(res, rgb.shape[1], rgb.shape[0], frame.timestamp_ms)
            writer.write(pose)
            m = res.segmentation_mask
            small = (np.zeros(rgb.shape[:2], np.float32) if m is None else m)[::MASK_SCALE, ::MASK_SCALE]
            kept.append(np.round(small * 255).astype(np.uint8))
    np.savez_compressed(masks, masks=np.stack(kept))
    print(f"  pose model on {video}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return lm, masks


def reprofile(lm: Path, masks: Path) -> Path:
    """A landmark file whose outlines are recomputed from the cached masks (so the outline code
    can change without running the model again)."""
    out = lm.with_name(lm.name.replace(".landmarks", ".reprofiled"))
    stack = np.load(masks)["masks"]
    rep = LandmarkReplay(lm)
    trunk = [Landmark.LEFT_HIP, Landmark.RIGHT_HIP, Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER]
    with LandmarkWriter(out, rep.header["source"], rep.header["backend"]) as w:
        for i, p in enumerate(rep.poses()):
            outline = None
            if p.image is not None:
                xy = p.image[trunk, :2] * np.array([p.width, p.height]) / MASK_SCALE
                hip, sh = (xy[0] + xy[1]) / 2, (xy[2] + xy[3]) / 2
                outline = trunk_profile(stack[i].astype(np.float32) / 255.0, tuple(hip), tuple(sh))
            w.write(PoseFrame(p.timestamp_ms, p.width, p.height, p.image, p.world, outline))
    return out


def analyse(lm: Path, exercise: str, out: Path) -> dict:
    out.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    subprocess.run([sys.executable, "-m", "formcheck", "analyze", "--landmarks", str(lm), "-e", exercise,
                    "--json", str(out), "--no-history", "--quiet", "--force"], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return json.loads(out.read_text()) if out.is_file() else {}


# ---------------------------------------------------------------- comparison with the truth

def load_truth(d: Path) -> dict:
    for name in ("truth.json", "truth.json.gz"):
        p = d / name
        if p.is_file():
            with (gzip.open if name.endswith(".gz") else open)(p, "rt", encoding="utf-8") as fh:
                return json.load(fh)
    raise FileNotFoundError(f"{d}: no truth.json")


def frame_series(report: dict, key: str, side: str | None = None) -> np.ndarray:
    out = []
    for f in report.get("frames", []):
        v = f["angles"].get(key)
        if isinstance(v, dict):
            v = v.get(side or "left")
        out.append(math.nan if v is None else float(v))
    return np.array(out)


def corr(a: np.ndarray, b: np.ndarray) -> float:
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 5 or np.std(a[ok]) == 0 or np.std(b[ok]) == 0:
        return math.nan
    return float(np.corrcoef(a[ok], b[ok])[0, 1])


# The measures probed per exercise family: (label, signal, phase, stat, fault). Their values come
# from formcheck's own rule engine: a copy of the exercise file gets each as a rule that always
# fires, so every rep reports what the measure read (the change from the rep's start for the
# ``_change`` stats). Today's proxy rules for the same faults are probed the same way.
PROBES = {
    "hip_hinge": [("curve bottom", "back_curve", "peak", "min_change", "rounded_back"),
                  ("curve lockout", "back_curve", "lockout", "max_change", "lumbar_overextension")],
    "glute_bridge": [("curve top", "back_curve", "peak", "max_change", "lumbar_overextension")],
    "standing_glute_kickback": [("curve top", "back_curve", "peak", "max_change", "lumbar_overextension")],
}
FAMILY = {"romanian_deadlift": "hip_hinge", "deadlift_from_floor": "hip_hinge", "hip_thrust": "glute_bridge",
          "single_leg_glute_bridge": "glute_bridge"}
BACK_FAULTS = ("rounded_back", "lumbar_overextension")


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(float(v))
    return json.dumps(v)


def probe_file(exercise: str, out_dir: Path) -> tuple[Path, dict[str, tuple[str, str]]]:
    """A copy of ``exercise``'s file where every back-fault measure (the outline's and the
    proxies) always fires, under probe codes. Returns its path and, per probe code,
    (fault, label)."""
    import tomllib

    from formcheck.exercise import find_exercise

    src = Path(find_exercise(exercise).path)
    data = tomllib.loads(src.read_text(encoding="utf-8"))
    probes: dict[str, tuple[str, str]] = {}
    rules: list[dict] = []
    for label, signal, phase, stat, fault in PROBES.get(FAMILY.get(exercise, exercise), []):
        low = stat.startswith("min")
        rules.append({"signal": signal, "phase": phase, "stat": stat,
                      "below_deg" if low else "above_deg": 1e9 if low else -1e9})
        probes[f"p{len(rules)}"] = (fault, label)
    for f in data.get("faults", []):
        if f["code"] in BACK_FAULTS and f.get("signal") != "back_curve":
            r = {k: (1e9 if k.startswith("below_") else -1e9 if k.startswith("above_") else v)
                 for k, v in f.items()
                 if k not in ("code", "message", "cue", "severity", "unless", "proxy", "fallback")}
            rules.append(r)
            probes[f"p{len(rules)}"] = (f["code"], f"proxy {f.get('signal', '')} {f.get('stat', '')}")
    text = src.read_text(encoding="utf-8")
    for i, r in enumerate(rules, start=1):
        text += f'\n[[faults]]\ncode = "p{i}"\nmessage = "probe"\ncue = "probe"\n'
        text += "".join(f"{k} = {_toml_value(v)}\n" for k, v in r.items())
    path = out_dir / "probe" / f"{exercise}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, probes


def probe_values(report: dict, probes: dict[str, tuple[str, str]]) -> list[dict]:
    """Per reported rep: its top time and {probe label: value} (NaN when not measurable)."""
    out = []
    for r in report.get("reps", []):
        vals: dict = {label: math.nan for _f, label in probes.values()}
        for f in r["faults"]:
            if f["code"] in probes:
                vals[probes[f["code"]][1]] = f["value"]
        out.append({"top_s": r["top_s"], "start_s": r["start_s"], **vals})
    return out


def measure_render(d: Path, name: str, out_dir: Path) -> dict:
    truth = load_truth(d)
    ex = truth["scenario"]["exercise"]
    lm, masks = extract(d / "video.mp4", out_dir / name)
    lm = reprofile(lm, masks)
    report = analyse(lm, EXERCISE[ex], out_dir / f"{name}.report.json")
    curve = frame_series(report, "back_curve_deg")
    n = min(len(curve), len(truth["frames"]))
    curve = curve[:n]
    spine = np.array([f["angles"]["spine_extension_deg"] for f in truth["frames"][:n]])
    lumbar = np.array([f["angles"]["lumbar_extension_deg"] for f in truth["frames"][:n]])
    probe_path, probes = probe_file(EXERCISE[ex], out_dir)
    probed = probe_values(analyse(lm, str(probe_path), out_dir / f"{name}.probe.json"), probes)
    reps = []
    for rep in truth["reps"]:
        if not rep["counts"]:
            continue
        injected = {f["type"]: f["magnitude"] for f in rep["faults"]}
        near = min(probed, key=lambda p: abs(p["top_s"] - rep["top_time"]), default=None)
        if near is not None and abs(near["top_s"] - rep["top_time"]) > 2.0:
            near = None
        found = [r for r in report.get("reps", []) if abs(r["top_s"] - rep["top_time"]) < 2.0]
        for fault, label in dict.fromkeys(probes.values()):
            reps.append({"clip": name, "exercise": ex, "fault": fault, "label": label,
                         "magnitude": injected.get(fault, 0.0), "other": sorted(set(injected) - {fault}),
                         "value": math.nan if near is None else near[label],
                         "reported": sorted({f"{f['code']} ({_measure_name(f)})" for r in found
                                             for f in r["faults"] if f["code"] == fault})})
    # Per-frame relation, with the clip's own standing/lying start as zero.
    lead = max(1, int(truth["video"]["fps"]))
    rel = curve - np.nanmedian(curve[:lead]) if np.isfinite(curve[:lead]).any() else curve * np.nan
    return {"name": name, "exercise": ex, "frames": n, "read": float(np.isfinite(curve).mean()),
            "curve": curve, "rel": rel, "spine": spine - spine[0], "lumbar": lumbar - lumbar[0],
            "reps": reps, "report_reps": len(report.get("reps", [])),
            "true_reps": sum(r["counts"] for r in truth["reps"])}


def table(results: list[dict]) -> list[str]:
    lines = ["| clip | set | exercise | frames read | r(curve, spine) | r(curve, lumbar) | slope vs spine | "
             "MAE vs spine (°, after own start) |", "|---|---|---|---|---|---|---|---|"]
    for r in results:
        ok = np.isfinite(r["rel"])
        slope = (np.polyfit(r["spine"][ok], r["rel"][ok], 1)[0]
                 if ok.sum() > 5 and np.std(r["spine"][ok]) > 0 else math.nan)
        mae = float(np.nanmean(np.abs(r["rel"] - r["spine"]))) if ok.any() else math.nan
        lines.append(f"| {r['name']} | {_set(r['name'])} | {r['exercise']} | {r['read']:.0%} | "
                     f"{corr(r['rel'], r['spine']):.2f} | "
                     f"{corr(r['rel'], r['lumbar']):.2f} | {slope:.2f} | {mae:.1f} |")
    return lines


def _measure_name(fault: dict) -> str:
    return "outline" if "outline" in fault.get("proxy", "") else "proxy"


def rep_table(results: list[dict]) -> list[str]:
    lines = ["| clip | fault | injected (°) | measure | value | reported |", "|---|---|---|---|---|---|"]
    for r in results:
        for x in r["reps"]:
            lines.append(f"| {x['clip']} | {x['fault']} | {x['magnitude']:.0f} | {x['label']} | {x['value']:.1f} | "
                         f"{', '.join(x['reported']) or '-'} |")
    return lines


def _sign(label: str, fault: str) -> float:
    """+1 when a larger value of the measure means more of the fault."""
    return -1.0 if label == "curve bottom" or label.split()[-1].startswith("min") else 1.0


def summary(results: list[dict]) -> list[str]:
    """Per fault and measure: correlation with the injected magnitude, the clean reps' worst
    value, and from which magnitude on every faulty rep reads beyond every clean rep."""
    lines = ["| exercise / fault | measure | reps read | r(value, magnitude) | clean reps (range) | "
             "faulty reps (magnitude: value) | smallest magnitude beyond every clean rep |",
             "|---|---|---|---|---|---|---|"]
    keys = dict.fromkeys((x["exercise"], x["fault"], x["label"]) for r in results for x in r["reps"])
    for ex, fault, label in keys:
        rows = [x for r in results for x in r["reps"]
                if (x["exercise"], x["fault"], x["label"]) == (ex, fault, label) and
                not (x["magnitude"] == 0 and x["other"])]  # a rep with another fault is not "clean"
        mag = np.array([x["magnitude"] for x in rows])
        v = np.array([x["value"] for x in rows]) * _sign(label, fault)
        ok = np.isfinite(v)
        clean = v[(mag == 0) & ok]
        cmax = float(clean.max()) if clean.size else math.nan
        above = [m for m in sorted(set(mag[mag > 0]))
                 if all(vv > cmax for mm, vv in zip(mag, v, strict=True) if mm >= m and math.isfinite(vv))]
        smallest = f"{above[0]:.0f}°" if above and math.isfinite(cmax) else "none"
        faulty = ", ".join(f"{m:.0f}: {vv:+.1f}" for m, vv in sorted(zip(mag[mag > 0], v[mag > 0], strict=True)))
        crange = f"{clean.min():+.1f} … {clean.max():+.1f}" if clean.size else "—"
        lines.append(f"| {ex} {fault} | {label} | {ok.sum()}/{len(v)} | {corr(v, mag):.2f} | {crange} | "
                     f"{faulty} | {smallest} |")
    return lines


def _set(name: str) -> str:
    """Renders named ``*_holdout*`` are never looked at when a threshold is chosen."""
    return "hold-out" if "holdout" in name else "tuned"


def _rows(results: list[dict], ex: str, fault: str, label: str) -> list[dict]:
    """The reps of ``results`` measured by ``label`` for ``fault``; a rep with only another fault
    is neither clean nor faulty here."""
    return [x for r in results for x in r["reps"]
            if (x["exercise"], x["fault"], x["label"]) == (ex, fault, label)
            and not (x["magnitude"] == 0 and x["other"])]


def choose_thresholds(tuned: list[dict]) -> dict[tuple[str, str], float]:
    """Per (exercise, fault): the outline rule's threshold (in the measure's raw sign), the midpoint
    between the worst clean rep and the least faulty rep of the tuned renders; absent where no
    threshold separates them (a faulty rep reads within the clean ones)."""
    out = {}
    for ex, labels in PROBES.items():
        for label, _signal, _phase, _stat, fault in labels:
            rows = _rows(tuned, ex, fault, label)
            v = [(x["magnitude"], x["value"] * _sign(label, fault)) for x in rows if math.isfinite(x["value"])]
            clean = [vv for m, vv in v if m == 0]
            faulty = [vv for m, vv in v if m > 0]
            if clean and faulty and min(faulty) > max(clean):
                out[(ex, fault)] = (max(clean) + min(faulty)) / 2 * _sign(label, fault)
    return out


def _outline_label(ex: str, fault: str) -> str:
    return next(label for label, *_rest, f in PROBES[ex] if f == fault)


def _proxy_found(x: dict) -> bool:
    return any(r.startswith(x["fault"]) for r in x["reported"])


def _outline_found(x: dict, thr: float | None) -> bool:
    if thr is None or not math.isfinite(x["value"]):
        return _proxy_found(x)  # the fallback
    return x["value"] < thr if thr < 0 else x["value"] > thr


def decision(results: list[dict], thresholds: dict[tuple[str, str], float]) -> list[str]:
    """What a rule on the outline (threshold from the tuned renders; the proxy where the outline is
    not read, as ``fallback``) would find, next to the proxy rules as they stand, per rep set."""
    lines = ["| exercise / fault | set | outline rule | faulty reps found: outline rule (proxy fallback) | "
             "faulty reps found: proxy | clean reps flagged: outline rule / proxy |", "|---|---|---|---|---|---|"]
    for ex, labels in PROBES.items():
        for label, _signal, _phase, stat, fault in labels:
            thr = thresholds.get((ex, fault))
            rule = "none separates" if thr is None else f"{label}: {stat} {'<' if thr < 0 else '>'} {thr:+.1f}°"
            for which in ("tuned", "hold-out"):
                rows = _rows([r for r in results if _set(r["name"]) == which], ex, fault, label)
                if not rows:
                    continue
                faulty = sorted((x for x in rows if x["magnitude"] > 0), key=lambda x: x["magnitude"])
                clean = [x for x in rows if x["magnitude"] == 0]
                by_outline = " ".join(f"{x['magnitude']:.0f}{'✓' if _outline_found(x, thr) else '✗'}"
                                      + ("" if math.isfinite(x["value"]) else "(unread)") for x in faulty)
                by_proxy = " ".join(f"{x['magnitude']:.0f}{'✓' if _proxy_found(x) else '✗'}" for x in faulty)
                flagged = "—" if thr is None else str(sum(_outline_found(x, thr) for x in clean))
                lines.append(f"| {ex} {fault} | {which} | {rule} | {by_outline} | {by_proxy} | "
                             f"{flagged} / {sum(map(_proxy_found, clean))} of {len(clean)} |")
    return lines


# ---------------------------------------------------------------- real clips

def realdev(root: Path, out_dir: Path,
            thresholds: dict[tuple[str, str], float] | None = None) -> list[str]:
    labels = root / "labels.csv"
    if not labels.is_file():
        return [f"(no {labels}: real clips skipped)"]
    rows = [r for r in csv.DictReader(labels.open(encoding="utf-8")) if r.get("view_class") == "side"]
    lines = ["| clip | exercise | frames read | start: median (spread) | rep tops: median (spread) | "
             "top − start per rep | back faults (measure) | an outline rule would flag |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        cid = row["id"]
        video = root / row["file"]
        if not video.is_file():
            continue
        ex_file = _exercise_for(row)
        lm, masks = extract(video, out_dir / "realdev" / cid)
        lm = reprofile(lm, masks)
        report = analyse(lm, ex_file, out_dir / "realdev" / f"{cid}.report.json")
        curve = frame_series(report, "back_curve_deg")
        t = np.array([f["t_s"] for f in report.get("frames", [])])
        reps = report.get("reps", [])
        first = reps[0]["start_s"] if reps else (t[-1] if t.size else 0)
        start = curve[(t <= first)] if t.size else curve
        tops = [float(np.nanmedian(curve[(t >= r["top_s"] - 0.25) & (t <= r["top_s"] + 0.25)]))
                if np.isfinite(curve[(t >= r["top_s"] - 0.25) & (t <= r["top_s"] + 0.25)]).any() else math.nan
                for r in reps]
        starts = [float(np.nanmedian(curve[(t >= r["start_s"] - 0.5) & (t <= r["start_s"])]))
                  if np.isfinite(curve[(t >= r["start_s"] - 0.5) & (t <= r["start_s"])]).any() else math.nan
                  for r in reps]
        faults = [f"{r.get('index', i + 1)}:{f['code']}({'curve' if 'outline' in f.get('proxy', '') else 'proxy'})"
                  for i, r in enumerate(reps) for f in r["faults"]
                  if f["code"] in ("rounded_back", "lumbar_overextension")]
        lines.append(f"| {cid} | {ex_file} | {np.isfinite(curve).mean():.0%} | {_ms(start)} | {_ms(np.array(tops))} | "
                     f"{' '.join(f'{b - a:+.0f}' for a, b in zip(starts, tops, strict=True))} | "
                     f"{'; '.join(faults) or 'none'} ({len(reps)} reps) | "
                     f"{_would_flag(lm, ex_file, out_dir / 'realdev' / cid, thresholds or {})} |")
    return lines


def _would_flag(lm: Path, ex_file: str, stem: Path, thresholds: dict[tuple[str, str], float]) -> str:
    """Per back fault with an outline threshold: on how many reps the outline rule would fire
    (the rep's value from formcheck's rule engine, as on the renders)."""
    family = FAMILY.get(ex_file, ex_file)
    wanted = [(fault, label, thresholds[(family, fault)]) for label, *_r, fault in PROBES.get(family, [])
              if (family, fault) in thresholds]
    if not wanted:
        return "—"
    probe_path, probes = probe_file(ex_file, stem.parent.parent)
    vals = probe_values(analyse(lm, str(probe_path), stem.with_suffix(".probe.json")), probes)
    out = []
    for fault, label, thr in wanted:
        v = [p[label] for p in vals]
        hit = sum(1 for x in v if math.isfinite(x) and (x < thr if thr < 0 else x > thr))
        out.append(f"{fault} {hit}/{len(v)} ({' '.join(f'{x:+.0f}' for x in v)})")
    return "; ".join(out)


def _exercise_for(row: dict) -> str:
    from realdev import exercise_for  # the same choice bench/realdev.py makes
    return exercise_for(row["movement"])


def _ms(v: np.ndarray) -> str:
    v = v[np.isfinite(v)]
    if not v.size:
        return "—"
    return f"{np.median(v):+.1f}° ({np.percentile(v, 90) - np.percentile(v, 10):.1f}°)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=REPO / "out" / "backcurve")
    ap.add_argument("--render", action="store_true", help="render the scenarios that are absent")
    ap.add_argument("--only", nargs="*", help="scenario names (default: all)")
    ap.add_argument("--realdev", type=Path, default=REPO.parent / "shared" / "realdev")
    ap.add_argument("--no-realdev", action="store_true")
    ap.add_argument("--write", type=Path, help="also write the tables to this Markdown file")
    args = ap.parse_args(argv)
    results = []
    for name in args.only or list(SCENARIOS):
        d = args.out_dir / name
        if args.render:
            render(name, args.out_dir)
        if not (d / "truth.json").is_file():
            print(f"  {name}: not rendered (run with --render)", file=sys.stderr)
            continue
        results.append(measure_render(d, name, args.out_dir))
    tuned = [r for r in results if _set(r["name"]) == "tuned"]
    held = [r for r in results if _set(r["name"]) == "hold-out"]
    thresholds = choose_thresholds(tuned)
    out = ["### Per frame, against the truth (renders)", "", *table(results), "",
           "### Per rep: the change the fault rule judges (tuned renders)", "", *summary(tuned), "",
           "### Per rep: the same on the hold-out renders (not used to choose anything)", "", *summary(held), "",
           "### An outline rule against today's proxy", "",
           "The outline rule's threshold is the midpoint between the worst clean rep and the least faulty",
           "rep of the tuned renders; where the outline is not read the proxy stands in (`fallback`).", "",
           *decision(results, thresholds), "",
           "<details><summary>every rep</summary>", "", *rep_table(results), "", "</details>", ""]
    if not args.no_realdev:
        out += ["### Real side-view clips", "", *realdev(args.realdev, args.out_dir, thresholds), ""]
    text = "\n".join(out)
    print(text)
    if args.write:
        args.write.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
