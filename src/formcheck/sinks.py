"""Video sinks: annotated and recorded video written with PyAV (FFmpeg's libx264).

One small interface for every video formcheck writes (``analyze --out``'s ``annotated.mp4``,
``live --record``)::

    with open_sink(path, fps) as sink:           # H.264 MP4 for .mp4; see SUFFIXES
        sink.write(frame_bgr, t_s)                # each frame at its own time, in seconds

The file is written under a temporary name beside ``path`` and renamed into place only when
the ``with`` block ends without an exception and the file reads back, so an interrupted run
never leaves a half-written video under the real name.

Why H.264 in MP4: it is what phones and every browser play, and libx264 (in PyAV's wheels)
makes files several times smaller than the VP8 the OpenCV wheel could write. ``yuv420p``
because browsers decode nothing else for H.264; ``+faststart`` moves the index to the front,
so a page can start playing before the whole file has arrived. Frames carry their own times
(variable frame rate kept): a phone clip's annotated video stays in step with its report.
"""

from __future__ import annotations

import contextlib
import math
import os
import uuid
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Protocol

import av
import cv2
import numpy as np

from .errors import OutputError

# Timestamps in 1/90000 s (MPEG's clock): fine enough for any frame rate's real times.
TIME_BASE = Fraction(1, 90000)
# Constant quality, chosen on the annotated bridge sample with bench/video_out.py (figures in
# bench/RESULTS.md, "Video out"): at CRF 18 the overlay's text bands are as close to the drawn
# frames as the old VP8's were (37.9 dB PSNR; what remains is yuv420p's halved chroma on
# coloured edges, the same for every setting) at a fifth of its size (2.0 MB a minute at
# 640×480, VP8 10.6). CRF 23 is 40 % smaller again and looks the same at a glance, but
# loses 0.7 dB on the text. "veryfast" encodes at ~7 ms a 640×480 frame on a loaded core;
# "medium" doubles that for no gain worth having here.
H264_CRF = 18
H264_PRESET = "veryfast"


@dataclass(frozen=True)
class Container:
    """How one file suffix is written: FFmpeg's muxer and encoder, and their options."""

    muxer: str
    codec: str
    pix_fmt: str
    muxer_options: tuple[tuple[str, str], ...] = ()
    # AVI has no per-frame times: its clock ticks once a frame at the nominal rate.
    constant_rate: bool = False


_MP4 = Container("mp4", "libx264", "yuv420p", (("movflags", "+faststart"),))
SUFFIXES: dict[str, Container] = {
    ".mp4": _MP4,
    ".m4v": _MP4,
    ".mov": Container("mov", "libx264", "yuv420p", (("movflags", "+faststart"),)),
    ".mkv": Container("matroska", "libx264", "yuv420p"),
    # Motion JPEG in AVI: for editors that want every frame a key frame.
    ".avi": Container("avi", "mjpeg", "yuvj420p", constant_rate=True),
}


class VideoSink(Protocol):
    """Where drawn frames go: one call per frame, with the frame's time in seconds."""

    frames: int

    def write(self, frame_bgr: np.ndarray, t_s: float) -> None: ...

    def close(self, complete: bool = True) -> None: ...

    def __enter__(self) -> VideoSink: ...

    def __exit__(self, *exc: object) -> None: ...


def container_for(path: str | os.PathLike[str]) -> Container:
    """How ``path`` would be written; raises OutputError for a suffix that cannot be (so a
    caller can check before any work)."""
    found = SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise OutputError(f"{path}: cannot write this kind of video; use one of {', '.join(SUFFIXES)}")
    return found


class AvSink:
    """Writes BGR frames (all of one size) to ``path`` with PyAV, atomically.

    ``fps`` is the nominal rate written in the file's header; each frame's presentation time is
    the ``t_s`` given to ``write`` (times that do not move forward are nudged one tick on).
    Raises OutputError when the suffix is not in SUFFIXES or the file cannot be written;
    ValueError for a bad fps or a frame of another size or type.
    """

    def __init__(self, path: str | os.PathLike[str], fps: float, *, crf: int = H264_CRF,
                 preset: str = H264_PRESET) -> None:
        self.path = Path(path)
        self.kind = container_for(self.path)
        if not (math.isfinite(fps) and fps > 0):
            raise ValueError(f"expected a positive fps, got {fps!r}")
        if not self.path.parent.is_dir():
            raise OutputError(f"{self.path}: the video cannot be written here (no such folder)")
        self.fps = fps
        self.crf = crf
        self.preset = preset
        # The suffix stays last: FFmpeg and players look at it.
        self._tmp = self.path.with_name(f".{self.path.stem}.{uuid.uuid4().hex[:8]}.part{self.path.suffix}")
        self._out: av.container.OutputContainer | None = None
        self._stream: av.VideoStream | None = None
        self._size: tuple[int, int] | None = None
        self._last_pts = -1
        self._time_base = Fraction(self.fps).limit_denominator(1001) ** -1 if self.kind.constant_rate else TIME_BASE
        self.frames = 0

    def _open(self, width: int, height: int) -> None:
        try:
            self._out = av.open(str(self._tmp), "w", format=self.kind.muxer,
                                options=dict(self.kind.muxer_options))
        except (av.FFmpegError, OSError) as exc:
            raise OutputError(f"{self.path}: the video cannot be written here ({exc})") from None
        stream = self._out.add_stream(self.kind.codec, rate=Fraction(self.fps).limit_denominator(1001))
        # yuv420p halves the chroma: both sides must be even (odd frames are padded by a pixel).
        stream.width, stream.height = width + width % 2, height + height % 2
        stream.pix_fmt = self.kind.pix_fmt
        stream.codec_context.time_base = self._time_base
        if self.kind.codec == "libx264":
            stream.options = {"crf": str(self.crf), "preset": self.preset}
        else:
            stream.codec_context.qscale = 3  # MJPEG: near-lossless, one quality for every frame
            stream.codec_context.flags |= av.codec.context.Flags.qscale
        self._stream = stream

    def write(self, frame_bgr: np.ndarray, t_s: float) -> None:
        """Append one frame shown from ``t_s`` seconds (on the file's clock)."""
        if frame_bgr.ndim != 3 or frame_bgr.shape[2] != 3 or frame_bgr.dtype != np.uint8:
            raise ValueError(f"expected an H×W×3 uint8 image, got shape {frame_bgr.shape} {frame_bgr.dtype}")
        h, w = frame_bgr.shape[:2]
        if self._size is None:
            self._size = (w, h)
            self._open(w, h)
        elif (w, h) != self._size:
            raise ValueError(f"expected a {self._size[0]}x{self._size[1]} frame, got {w}x{h}")
        assert self._stream is not None and self._out is not None
        if w % 2 or h % 2:
            frame_bgr = cv2.copyMakeBorder(frame_bgr, 0, h % 2, 0, w % 2, cv2.BORDER_REPLICATE)
        frame = av.VideoFrame.from_ndarray(frame_bgr, format="bgr24")
        pts = round(t_s / self._time_base) if math.isfinite(t_s) else self._last_pts + 1
        pts = max(pts, self._last_pts + 1)
        frame.pts, frame.time_base = pts, self._time_base
        self._last_pts = pts
        try:
            self._out.mux(self._stream.encode(frame))
        except (av.FFmpegError, OSError) as exc:
            raise OutputError(f"{self.path}: writing the video failed ({exc})") from None
        self.frames += 1

    def close(self, complete: bool = True) -> None:
        """Finish the file and move it into place (``complete``), or remove it. Raises
        OutputError when it cannot be finished or does not read back."""
        out, self._out = self._out, None
        try:
            if out is not None:
                try:
                    if complete and self._stream is not None:
                        out.mux(self._stream.encode(None))
                finally:
                    out.close()
        except (av.FFmpegError, OSError) as exc:
            self._remove_tmp()
            if complete:  # else an error is already on its way up: do not hide it
                raise OutputError(f"{self.path}: finishing the video failed ({exc})") from None
        if not complete or self.frames == 0:
            self._remove_tmp()
            return
        if not _reads_back(self._tmp):
            self._remove_tmp()
            raise OutputError(f"{self.path}: the video written could not be read back")
        try:
            os.replace(self._tmp, self.path)
        except OSError as exc:
            self._remove_tmp()
            raise OutputError(f"{self.path}: cannot write ({exc.strerror or exc})") from None

    def _remove_tmp(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()

    def __enter__(self) -> AvSink:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.close(complete=exc_type is None)


def _reads_back(path: Path) -> bool:
    """Whether the first frame of ``path`` decodes."""
    try:
        with av.open(str(path)) as c:
            return next(c.decode(video=0), None) is not None
    except (av.FFmpegError, OSError):
        return False


def open_sink(path: str | os.PathLike[str], fps: float) -> AvSink:
    """The sink for ``path``'s kind (H.264 MP4 for ``.mp4``; see SUFFIXES). Raises OutputError
    for a suffix it cannot write, ValueError for a bad fps."""
    return AvSink(path, fps)
