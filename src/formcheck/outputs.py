"""The output folder of ``formcheck analyze --out DIR`` and ``formcheck report --out DIR``.

A folder holds ``report.json``, ``reps.csv``, ``report.html`` and (when the video is at hand)
``annotated.mp4``. ``plan_outputs`` runs before any long work: it creates the folder and
refuses files that exist (unless ``force``), so a mistake costs a second, not an analysis.
Every file is written under a temporary name and renamed into place, so an interrupted run
leaves no file that looks complete.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OutputError, UsageError
from .reports import write_atomic, write_json

if TYPE_CHECKING:
    from .annotate import LandmarkTrack
    from .exercise import ExerciseSpec

JSON_NAME = "report.json"
CSV_NAME = "reps.csv"
HTML_NAME = "report.html"
VIDEO_NAME = "annotated.mp4"


@dataclass(frozen=True)
class OutputPlan:
    """Where the outputs go and which ones: the folder, and the files by kind
    (``json``, ``csv``, ``html``, ``video``)."""

    directory: Path
    files: dict[str, Path]

    def has(self, kind: str) -> bool:
        return kind in self.files


def plan_outputs(directory: Path, kinds: tuple[str, ...], force: bool) -> OutputPlan:
    """Create ``directory`` if needed and check its files of ``kinds`` can be written.

    Raises OutputError (one line) if the folder cannot be made or written to, or if any of
    the files exists and ``force`` is false (all existing names are listed).
    """
    names = {"json": JSON_NAME, "csv": CSV_NAME, "html": HTML_NAME, "video": VIDEO_NAME}
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"{directory}: exists and is not a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{directory}: cannot create the folder ({exc.strerror or exc})"
        ) from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputError(f"{directory}: cannot write here (permission denied)")
    files = {k: directory / names[k] for k in kinds}
    existing = [p.name for p in files.values() if p.exists()]
    if existing and not force:
        raise OutputError(
            f"{directory}: {', '.join(existing)} already exist"
            f"{'s' if len(existing) == 1 else ''}; add --force to overwrite"
        )
    folders = [p.name for p in files.values() if p.is_dir()]
    if folders:
        raise OutputError(
            f"{directory}: {', '.join(folders)} is a folder; remove it or use another --out"
        )
    return OutputPlan(directory, files)


# Containers' frame counts are estimates (duration × fps): this much difference is the same file.
FRAME_COUNT_SLACK = 0.02


def check_same_recording(video: dict[str, Any], report_source: dict[str, Any], what: str) -> None:
    """Raise UsageError unless ``video`` (a SourceInfo dict) has the size and frame count
    ``report_source`` (a report's ``source``) records: a wrong video would get pictures and
    banners of other moments."""
    size_v = (video.get("width"), video.get("height"))
    size_r = (report_source.get("width"), report_source.get("height"))
    n_v, n_r = int(video.get("frame_count") or 0), int(report_source.get("frame_count") or 0)
    same_count = not n_v or not n_r or abs(n_v - n_r) <= max(2, FRAME_COUNT_SLACK * n_r)
    if size_v != size_r or not same_count:
        raise UsageError(
            f"{what} are not the same recording ({size_v[0]}×{size_v[1]}, {n_v} frames "
            f"vs {size_r[0]}×{size_r[1]}, {n_r} frames)"
        )


@dataclass(frozen=True)
class Written:
    """The files written, in the order they were written."""

    paths: tuple[Path, ...]


def write_outputs(
    plan: OutputPlan,
    report: dict[str, Any],
    *,
    video: str | None = None,
    track: LandmarkTrack | None = None,
    on_frame: Callable[[], None] | None = None,
    missing: str = "",
    spec: ExerciseSpec | None = None,
) -> Written:
    """Write the planned outputs of ``report``.

    ``video`` + ``track`` (an ``annotate.LandmarkTrack``) make the annotated video and the
    thumbnails; ``video`` alone gives thumbnails of the bare frames. ``missing`` says on the
    page why there is no video or picture. The JSON and CSV come first (cheap, and useful if
    the video pass is interrupted), the page last (it needs the thumbnails).
    Raises OutputError, InputError (the video cannot be read again).
    """
    from .csv_report import reps_csv
    from .html_report import Media, render_html
    from .report import as_report

    written: list[Path] = []
    if plan.has("json"):
        write_json(plan.files["json"], report)
        written.append(plan.files["json"])
    typed = as_report(report)  # what every other writer reads
    if plan.has("csv"):
        write_atomic(plan.files["csv"], reps_csv(typed))
        written.append(plan.files["csv"])
    thumbs = {}
    video_name = None
    if video is not None and track is not None and plan.has("video"):
        from .annotate import annotate_video

        thumbs = annotate_video(video, typed, track, plan.files["video"], on_frame=on_frame, spec=spec)
        written.append(plan.files["video"])
        video_name = plan.files["video"].name
    elif video is not None:
        from .annotate import grab_thumbnails

        thumbs = grab_thumbnails(video, typed)
    if plan.has("html"):
        media = Media(video_name=video_name, thumbnails=thumbs, missing=missing)
        write_atomic(plan.files["html"], render_html(typed, media))
        written.append(plan.files["html"])
    return Written(tuple(written))
