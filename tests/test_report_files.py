"""Saved reports, the output folder and atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from report_builders import bridge_report

from formcheck import reports
from formcheck.annotate import crop_to_person
from formcheck.errors import InputError, OutputError, UsageError
from formcheck.outputs import check_same_recording, plan_outputs
from formcheck.reports import load_report, write_atomic, write_json


def test_load_report_round_trip(tmp_path: Path) -> None:
    report = bridge_report(3, {2: "too_fast"})
    write_json(tmp_path / "r.json", report)
    assert load_report(tmp_path / "r.json") == report


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "not valid JSON"),
        ('{"reps": []}', "no 'schema_version'"),
        ('{"schema_version": 2}', "schema_version 2"),
        ("[1, 2]", "no 'schema_version'"),
    ],
)
def test_load_report_rejects_what_is_not_a_report(tmp_path: Path, content: str, words: str) -> None:
    (tmp_path / "r.json").write_text(content)
    with pytest.raises(InputError, match=words):
        load_report(tmp_path / "r.json")


def test_load_report_names_a_missing_or_mistyped_key(tmp_path: Path) -> None:
    report = bridge_report(2)
    del report["reps"][1]["tempo"]
    write_json(tmp_path / "a.json", report)
    with pytest.raises(InputError, match=r"'reps\[1\]\.tempo' is missing"):
        load_report(tmp_path / "a.json")
    report = bridge_report(2)
    report["reps"][0]["start_s"] = "soon"
    write_json(tmp_path / "b.json", report)
    with pytest.raises(InputError, match=r"'reps\[0\]\.start_s' has the wrong type"):
        load_report(tmp_path / "b.json")
    with pytest.raises(InputError, match="no such file"):
        load_report(tmp_path / "missing.json")


def test_plan_outputs_refuses_existing_files_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b"
    plan = plan_outputs(out, ("json", "csv", "html", "video"), force=False)
    assert out.is_dir()  # made, with its parents
    assert sorted(p.name for p in plan.files.values()) == [
        "annotated.mp4",
        "report.html",
        "report.json",
        "reps.csv",
    ]
    (out / "report.html").write_text("old")
    (out / "reps.csv").write_text("old")
    with pytest.raises(OutputError, match="reps.csv, report.html already exist; add --force") as e:
        plan_outputs(out, ("json", "csv", "html"), force=False)
    assert e.value.exit_code == 5
    plan_outputs(out, ("json", "csv", "html"), force=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="not a folder"):
        plan_outputs(tmp_path / "file", ("json",), force=True)


def test_write_atomic_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    target.write_text("the old, complete page")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reports.os, "replace", broken_replace)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, "<html>new</html>")
    assert target.read_text() == "the old, complete page"
    assert os.listdir(tmp_path) == ["report.html"]  # the temporary file is gone too


def test_write_atomic_writes_bytes_with_normal_permissions(tmp_path: Path) -> None:
    write_atomic(tmp_path / "p.png", b"\x89PNG...")
    assert (tmp_path / "p.png").read_bytes() == b"\x89PNG..."
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "p.png").stat().st_mode & 0o777 == 0o666 & ~mask


def _frames(n: int) -> list[np.ndarray]:
    return [np.full((48, 64, 3), 20 * i % 255, np.uint8) for i in range(n)]


def test_same_recording_check() -> None:
    src = {"width": 640, "height": 480, "frame_count": 1175}
    check_same_recording({"width": 640, "height": 480, "frame_count": 1176}, src, "a and b")
    with pytest.raises(UsageError, match="not the same recording"):
        check_same_recording({"width": 640, "height": 480, "frame_count": 900}, src, "a and b")
    with pytest.raises(UsageError):
        check_same_recording({"width": 480, "height": 640, "frame_count": 1175}, src, "a and b")


def test_crop_to_person_keeps_the_aspect_ratio_and_the_joints() -> None:
    image = np.zeros((480, 640, 3), np.uint8)
    lm = np.zeros((33, 4), np.float32)
    lm[:, 0] = np.linspace(0.6, 0.8, 33)
    lm[:, 1] = np.linspace(0.3, 0.7, 33)
    lm[:, 3] = 0.9
    crop = crop_to_person(image, lm)
    h, w = crop.shape[:2]
    assert abs(w / h - 640 / 480) < 0.02
    assert 320 <= w < 640
    assert crop_to_person(image, None) is image
