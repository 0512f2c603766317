"""The landmark file: every frame's pose, saved so an analysis can be redone without the model.

Format ``formcheck-landmarks`` version 1, JSON Lines (gzip-compressed when the name ends in
``.gz``). The first line is a header object::

    {"format": "formcheck-landmarks", "version": 1, "backend": "...",
     "source": {kind, path, fps, frame_count, width, height},
     "image_fields": ["x", "y", "z", "visibility"], "world_fields": ["x", "y", "z"],
     "exercise": "glute_bridge"}        # the exercise analysed when it was saved (optional)

Each further line is one frame::

    {"t_ms": 33.3, "w": 640, "h": 480, "image": [[x, y, z, visibility] × 33] | null,
     "world": [[x, y, z] × 33] | null, "outline": [[a, b] × 17]}

``outline`` (optional, present when the backend segmented the person) is the outline across
the trunk that ``backcurve.trunk_profile`` gives (trunk lengths, null for not measured); files
without it, all those written before it existed, load with no outline.

``image`` x and y are normalised to the image (0..1, origin top-left); ``world`` is in metres
centred on the hips. Floats are written with full precision, so a replay is exact.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..errors import InputError
from ..landmarks import N_LANDMARKS, PoseFrame

FORMAT = "formcheck-landmarks"
VERSION = 1


def _open_text(path: Path, mode: str, gz: bool | None = None) -> IO[str]:
    if path.suffix == ".gz" if gz is None else gz:
        return io.TextIOWrapper(gzip.GzipFile(path, mode + "b"), encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def _rows(a: np.ndarray | None) -> list[list[float]] | None:
    return None if a is None else a.tolist()


class LandmarkWriter:
    """Writes a landmark file; the file appears under its name only when closed cleanly."""

    def __init__(self, path: str | os.PathLike[str], source: dict[str, Any], backend: str,
                 extra: dict[str, Any] | None = None) -> None:
        self.path = Path(path)
        self._tmp = self.path.with_name(self.path.name + ".part")
        self._fh = _open_text(self._tmp, "w", gz=self.path.suffix == ".gz")
        header = {"format": FORMAT, "version": VERSION, "backend": backend, "source": source,
                  "image_fields": ["x", "y", "z", "visibility"], "world_fields": ["x", "y", "z"],
                  **(extra or {})}
        self._fh.write(json.dumps(header) + "\n")

    def write(self, pose: PoseFrame) -> None:
        row = {"t_ms": pose.timestamp_ms, "w": pose.width, "h": pose.height,
               "image": _rows(pose.image), "world": _rows(pose.world)}
        if pose.outline is not None:
            # NaN is not JSON: a station not measured is null.
            row["outline"] = [[None if v != v else v for v in pair] for pair in pose.outline.tolist()]
        self._fh.write(json.dumps(row) + "\n")

    def close(self, complete: bool = True) -> None:
        """Finish the file; with ``complete=False`` it is kept as ``NAME.part``."""
        self._fh.close()
        if complete:
            os.replace(self._tmp, self.path)

    def __enter__(self) -> LandmarkWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.close(complete=exc_type is None)


class LandmarkReplay:
    """Reads a landmark file back as PoseFrames. ``header`` holds its first line."""

    name = "replay"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(f"{self.path}: no such landmark file")
        try:
            with _open_text(self.path, "r") as fh:
                header = json.loads(fh.readline())
        except (OSError, ValueError, EOFError) as exc:
            raise InputError(f"{self.path}: not a formcheck landmark file ({exc})") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise InputError(f"{self.path}: not a formcheck landmark file (no '{FORMAT}' header)")
        if header.get("version") != VERSION:
            raise InputError(f"{self.path}: landmark file version {header.get('version')!r}; "
                             f"this formcheck reads version {VERSION}")
        self.header: dict[str, Any] = header

    def poses(self) -> Iterator[PoseFrame]:
        try:
            with _open_text(self.path, "r") as fh:
                fh.readline()
                for n, line in enumerate(fh, start=2):
                    if not line.strip():
                        continue
                    yield _parse_row(json.loads(line))
        except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
            where = f"line {n}" if "n" in locals() else "its start"
            raise InputError(f"{self.path}: damaged landmark file at {where} ({exc})") from None


def _parse_row(row: dict[str, Any]) -> PoseFrame:
    image = None if row["image"] is None else np.asarray(row["image"], dtype=float)
    world = None if row.get("world") is None else np.asarray(row["world"], dtype=float)
    if image is not None and image.shape != (N_LANDMARKS, 4):
        raise ValueError(f"expected image landmarks of shape (33, 4), got {image.shape}")
    outline = None
    if row.get("outline") is not None:
        outline = np.array([[math.nan if v is None else float(v) for v in pair]
                            for pair in row["outline"]], dtype=float)
    return PoseFrame(float(row["t_ms"]), int(row["w"]), int(row["h"]), image, world, outline)
