"""Frame sources: a video file, a folder of images, or a camera. The only input use of cv2.

Each source is a context manager that yields Frames from ``frames()`` and releases what it
opened in ``finally``. Timestamps come from the source: the file's frame times, the image
index over the given fps, or the camera's clock.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np

from .errors import InputError

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")
MAX_SANE_FPS = 1000.0
DEFAULT_FPS = 30.0


@dataclass(frozen=True)
class Frame:
    """One decoded picture: BGR uint8 pixels and when it was taken."""

    index: int
    timestamp_ms: float
    image: np.ndarray


@dataclass(frozen=True)
class SourceInfo:
    """What a source is. ``frame_count`` is the container's claim (0 when unknown)."""

    kind: str
    path: str
    fps: float
    frame_count: int
    width: int
    height: int
    fps_note: str = ""

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        if not d["fps_note"]:
            del d["fps_note"]
        return d


class VideoSource:
    """Frames of a video file, upright (phone rotation metadata is applied)."""

    def __init__(self, path: str | os.PathLike[str], fps_override: float | None = None) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise InputError(f"{self.path}: no such file")
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a folder; give a video file (or use it as an image folder)")
        if self.path.stat().st_size == 0:
            raise InputError(f"{self.path}: the file is empty")
        self._cap = cv2.VideoCapture(str(self.path))
        if not self._cap.isOpened():
            self._cap.release()
            raise InputError(f"{self.path}: not a video OpenCV can read (unknown format or damaged file)")
        self._cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        # The first frame tells the true (upright) size, and whether anything decodes at all:
        # OpenCV opens some files (AV1 without a decoder, cut-off files) yet returns nothing.
        ok, first = self._cap.read()
        if not ok or first is None:
            self._cap.release()
            raise InputError(f"{self.path}: no frame could be decoded (damaged file, or a codec this "
                             "OpenCV cannot decode such as AV1); convert it to H.264 or VP8")
        self._first: np.ndarray | None = first
        height, width = first.shape[:2]
        fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        note = ""
        if fps_override is not None:
            fps, note = fps_override, "set with --fps"
        elif not (math.isfinite(fps) and 0 < fps <= MAX_SANE_FPS):
            note = f"the file claims {fps:g} fps; {DEFAULT_FPS:g} assumed"
            fps = DEFAULT_FPS
        count = max(int(self._cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0), 0)
        self.info = SourceInfo("video", str(self.path), fps, count, width, height, note)

    def frames(self, stride: int = 1, start: int = 0, stop: int | None = None) -> Iterator[Frame]:
        """Decoded frames; the timestamp of frame i is i / fps (the file's own frame clock).

        Only frames whose index i is in ``[start, stop)`` and a multiple of ``stride`` are
        yielded, so a chunk of a strided run sees exactly the frames the whole run sees. The
        frames in between are grabbed, not converted (cheaper than a full read).
        Raises ValueError for stride < 1 or start < 0.
        """
        _check_range(stride, start, stop)
        try:
            index = self._seek(start)
            if start > 0:
                self._first = None  # the capture moved (or restarted): the peeked frame is stale
            while stop is None or index < stop:
                wanted = index >= start and index % stride == 0
                if self._first is not None:  # frame 0, decoded when the file was opened
                    image, self._first = self._first, None
                    if not wanted:
                        index += 1
                        continue
                elif not wanted:
                    if not self._cap.grab():
                        break
                    index += 1
                    continue
                else:
                    ok, image = self._cap.read()
                    if not ok or image is None:
                        break
                yield Frame(index, index * 1000.0 / self.info.fps, image)
                index += 1
        finally:
            self.close()

    def _seek(self, start: int) -> int:
        """Move to frame ``start`` if the container allows it exactly; returns where we are."""
        if start <= 0:
            return 0
        if (self._cap.set(cv2.CAP_PROP_POS_FRAMES, start)
                and int(self._cap.get(cv2.CAP_PROP_POS_FRAMES)) == start):
            return start
        # Not seekable exactly (some containers): start over and skip frame by frame.
        self._cap.release()
        self._cap = cv2.VideoCapture(str(self.path))
        self._cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        return 0

    def close(self) -> None:
        self._cap.release()

    def __enter__(self) -> VideoSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ImageFolderSource:
    """Images of a folder in name order, as frames at ``fps``."""

    def __init__(self, path: str | os.PathLike[str], fps: float | None = None) -> None:
        self.path = Path(path)
        self.files = sorted(p for p in self.path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self.files:
            raise InputError(f"{self.path}: the folder holds no images ({', '.join(IMAGE_SUFFIXES)})")
        first = cv2.imread(str(self.files[0]))
        if first is None:
            raise InputError(f"{self.files[0]}: not an image OpenCV can read")
        h, w = first.shape[:2]
        self.info = SourceInfo("images", str(self.path), fps or DEFAULT_FPS, len(self.files), w, h,
                               "" if fps else f"{DEFAULT_FPS:g} fps assumed (set --fps)")

    def frames(self, stride: int = 1, start: int = 0, stop: int | None = None) -> Iterator[Frame]:
        """The images as frames; ``stride``, ``start`` and ``stop`` as for VideoSource.frames."""
        _check_range(stride, start, stop)
        for index, f in enumerate(self.files[:stop]):
            if index < start or index % stride:
                continue
            image = cv2.imread(str(f))
            if image is None:
                raise InputError(f"{f}: not an image OpenCV can read")
            yield Frame(index, index * 1000.0 / self.info.fps, image)

    def close(self) -> None:
        pass

    def __enter__(self) -> ImageFolderSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class CameraSource:
    """Live frames from a camera; timestamps from a monotonic clock read at capture."""

    def __init__(self, index: int, width: int | None = None, height: int | None = None) -> None:
        self._cap = cv2.VideoCapture(index)
        if not self._cap.isOpened():
            self._cap.release()
            raise InputError(f"camera {index}: cannot be opened (no camera, or it is in use); "
                             "give another --camera index or a video file")
        if width and height:
            self._cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            self._cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        fps = float(self._cap.get(cv2.CAP_PROP_FPS) or 0.0)
        if not (math.isfinite(fps) and 0 < fps <= MAX_SANE_FPS):
            fps = DEFAULT_FPS
        self.info = SourceInfo("camera", f"camera:{index}", fps, 0,
                               int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH)),
                               int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        self._t0 = time.monotonic()

    def frames(self) -> Iterator[Frame]:
        try:
            index = 0
            while True:
                ok, image = self._cap.read()
                t_ms = (time.monotonic() - self._t0) * 1000.0
                if not ok or image is None:
                    raise InputError("the camera stopped sending frames (unplugged or taken by another program)")
                yield Frame(index, t_ms, image)
                index += 1
        finally:
            self.close()

    def close(self) -> None:
        self._cap.release()

    def __enter__(self) -> CameraSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


FrameSource = VideoSource | ImageFolderSource | CameraSource


def _check_range(stride: int, start: int, stop: int | None) -> None:
    if stride < 1:
        raise ValueError(f"expected stride >= 1, got {stride}")
    if start < 0 or (stop is not None and stop < start):
        raise ValueError(f"expected 0 <= start <= stop, got start={start}, stop={stop}")


def open_source(spec: str | os.PathLike[str], fps: float | None = None) -> FrameSource:
    """A video file, an image folder, or (a plain integer) a camera index."""
    text = str(spec)
    if text.isdigit():
        return CameraSource(int(text))
    path = Path(text)
    if path.is_dir():
        return ImageFolderSource(path, fps)
    return VideoSource(path, fps)
