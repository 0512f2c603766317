"""What a report's page shows besides the report: the thumbnails of faulty reps and the video.

Made by the annotated-video pass (``annotate``), read by the page (``html_report``); kept here
so neither writer imports the other.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Thumbnail:
    """The picture of a rep's worst moment: JPEG bytes of the frame at ``t_s`` seconds."""

    rep_index: int
    t_s: float
    jpeg: bytes

    def data_uri(self) -> str:
        return "data:image/jpeg;base64," + base64.b64encode(self.jpeg).decode("ascii")


@dataclass(frozen=True)
class Media:
    """What the page can show besides the report: the annotated video's file name (relative to
    the page) and the thumbnails by rep index; ``missing`` says in words why some are absent."""

    video_name: str | None = None
    thumbnails: Mapping[int, Thumbnail] | None = None
    missing: str = ""
