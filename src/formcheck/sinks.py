"""Video sinks: the annotated and the recorded overlay video, written behind one interface.

A sink is a context manager with ``write(image_bgr)`` and ``close()``; it writes to a
temporary name and renames on success, so no half-written file is left under the real name.
``VideoSink`` records the live overlay (.mp4/.avi); ``WebmWriter`` writes the annotated video
of ``analyze --out`` (WebM/VP8: see annotate.py for why).
"""

from __future__ import annotations

import contextlib
import math
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from .errors import OutputError


class Sink(Protocol):
    """Where drawn frames go."""

    def write(self, image_bgr: np.ndarray) -> None: ...

    def close(self) -> None: ...


_FOURCC = {".mp4": "mp4v", ".m4v": "mp4v", ".mov": "mp4v", ".avi": "MJPG", ".mkv": "MJPG"}


class VideoSink:
    """Writes BGR frames of one size to a video file (mp4v for .mp4/.m4v/.mov, MJPG for .avi/.mkv).

    The OpenCV wheel has no H.264 encoder, hence these codecs. Raises OutputError when the
    suffix is not one of those or the file cannot be opened for writing.
    """

    def __init__(self, path: str | os.PathLike[str], fps: float, size: tuple[int, int]) -> None:
        self.path = Path(path)
        codec = self.codec_for(self.path)
        if not (math.isfinite(fps) and fps > 0):
            raise ValueError(f"expected a positive fps, got {fps!r}")
        self.size = (int(size[0]), int(size[1]))
        self.frames = 0
        self._writer = cv2.VideoWriter(
            str(self.path), cv2.VideoWriter_fourcc(*codec), float(fps), self.size
        )
        if not self._writer.isOpened():
            self._writer.release()
            raise OutputError(f"{self.path}: the video cannot be written here")

    @staticmethod
    def codec_for(path: str | os.PathLike[str]) -> str:
        """The codec used for ``path``; raises OutputError for a kind it cannot write (so a
        caller can check before any work)."""
        codec = _FOURCC.get(Path(path).suffix.lower())
        if codec is None:
            raise OutputError(
                f"{path}: cannot write this kind of video; use one of {', '.join(_FOURCC)}"
            )
        return codec

    def write(self, image_bgr: np.ndarray) -> None:
        """Append one frame; raises ValueError when its size is not the sink's."""
        h, w = image_bgr.shape[:2]
        if (w, h) != self.size:
            raise ValueError(f"expected a {self.size[0]}x{self.size[1]} frame, got {w}x{h}")
        self._writer.write(image_bgr)
        self.frames += 1

    def close(self) -> None:
        self._writer.release()

    def __enter__(self) -> VideoSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# WebM with VP8: see annotate.py for why not H.264.
VIDEO_FOURCC = "VP80"


@contextlib.contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """OpenCV's FFmpeg wrapper prints a harmless tag warning for VP8-in-WebM straight to fd 2;
    hide it for the writer's construction only."""
    try:
        fd = os.dup(2)
    except OSError:  # no usable fd 2: nothing to hide
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(fd, 2)
        os.close(fd)
        os.close(null)


class WebmWriter:
    """Writes a WebM/VP8 video to a temporary name next to ``path``; ``close(complete=True)``
    checks it can be read back and renames it to ``path``. Anything else removes it, so no
    half-written file is ever left under the real name. Raises OutputError."""

    def __init__(self, path: Path, fps: float) -> None:
        self.path = Path(path)
        # The extension must stay .webm: FFmpeg picks the container from it.
        self._tmp = self.path.with_name(
            f".{self.path.stem}.{uuid.uuid4().hex[:8]}.part{self.path.suffix}"
        )
        self.fps = fps
        self._vw: cv2.VideoWriter | None = None
        self.frames = 0

    def write(self, image: np.ndarray) -> None:
        if self._vw is None:
            h, w = image.shape[:2]
            with _quiet_native_stderr():
                self._vw = cv2.VideoWriter(
                    str(self._tmp), cv2.VideoWriter.fourcc(*VIDEO_FOURCC), self.fps, (w, h)
                )
            if not self._vw.isOpened():
                self._vw.release()
                self._vw = None
                self._remove_tmp()
                raise OutputError(
                    f"{self.path}: cannot encode WebM/VP8 video with this OpenCV "
                    "(is opencv-contrib-python installed?)"
                )
        self._vw.write(image)
        self.frames += 1

    def _remove_tmp(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()

    def close(self, complete: bool) -> None:
        if self._vw is not None:
            self._vw.release()
            self._vw = None
        if not complete or self.frames == 0:
            self._remove_tmp()
            return
        cap = cv2.VideoCapture(str(self._tmp))
        try:
            ok = cap.isOpened() and cap.read()[0]
        finally:
            cap.release()
        if not ok:
            self._remove_tmp()
            raise OutputError(f"{self.path}: the video written could not be read back")
        try:
            os.replace(self._tmp, self.path)
        except OSError as exc:
            self._remove_tmp()
            raise OutputError(
                f"{self.path}: could not be written ({exc.strerror or exc})"
            ) from None

    def __enter__(self) -> WebmWriter:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.close(complete=exc_type is None)
