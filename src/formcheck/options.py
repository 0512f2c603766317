"""The options of each command, typed and frozen: built from the command line in ``cli.py``
(the only module that sees argparse) and passed down as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .landmarks import Side


@dataclass(frozen=True)
class AnalyzeOptions:
    """``formcheck analyze``. Paths as given; ``side`` None for auto; ``videos`` empty for the
    bundled sample. Speed: ``stride``/``max_fps`` (frames), ``workers``/``chunk_s``/``overlap_s``
    (one video in processes, seconds), ``jobs``/``out_dir``/``scheduler`` (batch)."""

    videos: tuple[str, ...] = ()
    exercise: str | None = None
    side: Side | None = None
    json: Path | None = None
    save_landmarks: Path | None = None
    landmarks: Path | None = None
    fps: float | None = None
    force: bool = False
    stride: int = 1
    max_fps: float | None = None
    workers: int = 1
    chunk_s: float | None = None
    overlap_s: float | None = None
    jobs: int | None = None
    out_dir: Path | None = None
    scheduler: str | None = None
    quiet: bool = False
    out: Path | None = None
    history: Path | None = None
    no_history: bool = False


@dataclass(frozen=True)
class LiveCommandOptions:
    """``formcheck live``: the camera (an index, or a video file), the plan's overrides
    (``sets``, ``reps``, ``rest_s``), the window and the outputs."""

    exercise: str
    camera: str = "0"
    side: Side | None = None
    sets: int | None = None
    reps: int | None = None
    rest_s: float | None = None
    size: tuple[int, int] | None = None
    no_window: bool = False
    json: Path | None = None
    record: Path | None = None
    save_landmarks: Path | None = None
    force: bool = False
    mute: bool = False
    no_pace: bool = False
    drop_late: bool = False
    history: Path | None = None
    no_history: bool = False
    quiet: bool = False


@dataclass(frozen=True)
class ReportOptions:
    """``formcheck report SESSION.json --out DIR [--video PATH]``."""

    session: Path
    out: Path
    video: str | None = None
    force: bool = False
    quiet: bool = False


@dataclass(frozen=True)
class HistoryOptions:
    """``formcheck history [--exercise NAME] [--plot PATH]``."""

    exercise: str | None = None
    plot: Path | None = None
    force: bool = False
    history: Path | None = None
