"""Video out: H.264 MP4 (and the other kinds) written with PyAV, atomically, at each frame's time."""

from __future__ import annotations

import os
from pathlib import Path

import av
import numpy as np
import pytest

from formcheck.errors import OutputError
from formcheck.sinks import AvSink, container_for, open_sink


def _frames(n: int, w: int = 64, h: int = 48) -> list[np.ndarray]:
    """Grey frames, each a little lighter, with a white bar that moves one pixel a frame."""
    out = []
    for i in range(n):
        f = np.full((h, w, 3), (20 * i) % 200, np.uint8)
        f[:, i % w] = 255
        out.append(f)
    return out


def _probe(path: Path) -> tuple[str, str, list[float], tuple[int, int]]:
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        frames = list(c.decode(s))
        return (s.codec_context.name, s.codec_context.pix_fmt,
                [float(f.pts * f.time_base) for f in frames], (frames[0].width, frames[0].height))


def test_mp4_is_h264_yuv420p_with_the_index_first(tmp_path: Path) -> None:
    path = tmp_path / "annotated.mp4"
    with open_sink(path, 30.0) as sink:
        for i, f in enumerate(_frames(10)):
            sink.write(f, i / 30)
    codec, pix, times, size = _probe(path)
    assert (codec, pix, size) == ("h264", "yuv420p", (64, 48))
    assert times == pytest.approx([i / 30 for i in range(10)], abs=1e-4)
    head = path.read_bytes()[:4096]
    # +faststart: the index (moov) comes before the media (mdat), so a page can play at once.
    assert b"moov" in head and head.index(b"moov") < path.read_bytes().index(b"mdat")
    assert os.listdir(tmp_path) == ["annotated.mp4"]


def test_frames_keep_their_own_times(tmp_path: Path) -> None:
    """A variable frame rate is kept; a time that does not move forward is nudged on."""
    times = [0.0, 0.033, 0.1, 0.1, 0.35, 0.4]
    path = tmp_path / "vfr.mp4"
    with open_sink(path, 30.0) as sink:
        for t, f in zip(times, _frames(len(times)), strict=True):
            sink.write(f, t)
    got = _probe(path)[2]
    assert len(got) == len(times) and np.all(np.diff(got) > 0)
    assert got[:3] == pytest.approx(times[:3], abs=1e-4) and got[4:] == pytest.approx(times[4:], abs=1e-4)


@pytest.mark.parametrize("suffix,codec", [(".mov", "h264"), (".mkv", "h264"), (".avi", "mjpeg")])
def test_other_kinds(tmp_path: Path, suffix: str, codec: str) -> None:
    path = tmp_path / f"rec{suffix}"
    with open_sink(path, 25.0) as sink:
        for i, f in enumerate(_frames(8)):
            sink.write(f, i / 25)
    got = _probe(path)
    assert got[0] == codec and len(got[2]) == 8


def test_odd_sizes_are_padded_to_even(tmp_path: Path) -> None:
    path = tmp_path / "odd.mp4"
    with open_sink(path, 30.0) as sink:
        for i, f in enumerate(_frames(3, 65, 47)):
            sink.write(f, i / 30)
    assert _probe(path)[3] == (66, 48)


def test_interrupted_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "annotated.mp4"
    with pytest.raises(KeyboardInterrupt), open_sink(path, 30.0) as sink:
        for i, f in enumerate(_frames(10)):
            sink.write(f, i / 30)
            if i == 5:
                raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []


def test_bad_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write this kind of video"):
        container_for(tmp_path / "x.gif")
    with pytest.raises(ValueError, match="positive fps"):
        AvSink(tmp_path / "x.mp4", 0.0)
    with open_sink(tmp_path / "x.mp4", 30.0) as sink:
        sink.write(_frames(1)[0], 0.0)
        with pytest.raises(ValueError, match="expected a 64x48 frame"):
            sink.write(np.zeros((10, 10, 3), np.uint8), 0.1)
        with pytest.raises(ValueError, match="uint8"):
            sink.write(np.zeros((48, 64, 3), np.float32), 0.1)


def test_a_folder_that_is_gone_is_an_output_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot be written here"):
        open_sink(tmp_path / "missing" / "x.mp4", 30.0)
