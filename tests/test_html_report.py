from __future__ import annotations

import base64
import re

import pytest
from report_builders import bridge_report, kickback_report

from formcheck.html_report import Media, Thumbnail, render_html

JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")  # a tiny JPEG-shaped blob


def _data_images(html: str, kind: str) -> list[bytes]:
    return [
        base64.b64decode(m) for m in re.findall(rf'src="data:image/{kind};base64,([^"]+)"', html)
    ]


def test_page_has_the_rep_table_and_both_plots() -> None:
    html = render_html(bridge_report(4, {2: "lumbar_overextension", 3: "too_fast"}))
    rows = re.findall(r'<tr class="(ok|faulty)" data-rep="(\d+)">', html)
    assert rows == [("ok", "1"), ("faulty", "2"), ("faulty", "3"), ("ok", "4")]
    svgs = _data_images(html, r"svg\+xml")
    assert len(svgs) == 2  # the angles over time, and range of motion + tempo per rep
    for svg in svgs:
        assert b"<svg" in svg and b"</svg>" in svg
    assert "lumbar overextension" in html and "Cue for lumbar overextension." in html
    assert "2 of 4" in html  # good reps card


def test_page_is_self_contained() -> None:
    html = render_html(bridge_report(3, {1: "too_fast"}))
    # Nothing is fetched: no external scripts, styles, fonts or images.
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<link" not in html and "@import" not in html and "url(http" not in html
    for svg in _data_images(html, r"svg\+xml"):
        assert not re.search(rb'(href|src)="https?://', svg)


def test_thumbnails_are_embedded_for_faulty_reps_only() -> None:
    report = bridge_report(4, {2: "lumbar_overextension", 4: "insufficient_rom"})
    thumbs = {2: Thumbnail(2, 3.0, JPEG), 4: Thumbnail(4, 18.0, JPEG)}
    html = render_html(report, Media(video_name="annotated.mp4", thumbnails=thumbs))
    assert _data_images(html, "jpeg") == [JPEG, JPEG]
    assert '<video id="player"' in html and 'src="annotated.mp4"' in html
    # The whole-rep fault (no t_s of its own) is shown at the top of the rep.
    assert 'data-rep="4"' in html and "at 0:18.0" in html


def test_without_video_the_page_says_why() -> None:
    html = render_html(
        bridge_report(2, {1: "too_fast"}), Media(missing="re-rendered without the video")
    )
    assert "no picture: re-rendered without the video" in html
    assert "No annotated video: re-rendered without the video" in html
    assert "<video" not in html


def test_text_from_the_report_is_escaped() -> None:
    report = bridge_report(1, {1: "too_fast"}, path="<script>alert(1)</script>.mp4")
    report["reps"][0]["faults"][0]["cue"] = "Keep <b>ribs</b> down & slow"
    html = render_html(report)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Keep &lt;b&gt;ribs&lt;/b&gt; down &amp; slow" in html


def test_incomplete_report_is_marked_and_empty_report_renders() -> None:
    html = render_html(bridge_report(0, complete=False))
    assert "Incomplete: the analysis was stopped early" in html
    assert "No reps were counted." in html


@pytest.mark.parametrize("report", [kickback_report()])
def test_per_leg_reports_show_the_leg(report: dict) -> None:  # type: ignore[type-arg]
    html = render_html(report)
    assert re.findall(r'<td class="l leg-(left|right)">', html) == [
        "left",
        "right",
        "left",
        "right",
    ]
    assert "left 2 · right 2" in html


def test_the_fault_card_names_the_most_common_or_else_the_most_serious() -> None:
    html = render_html(bridge_report(4, {1: "too_fast", 2: "too_fast", 3: "lumbar_overextension"}))
    assert re.search(r'Most common fault</div><div class="value">too fast', html)
    html = render_html(bridge_report(4, {1: "too_fast", 3: "lumbar_overextension"}))
    assert re.search(r'Most serious fault</div><div class="value">lumbar overextension', html)
