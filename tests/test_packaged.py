"""formcheck.packaged: the bundled data is found inside the package, else in the checkout.

The non-editable install itself (pip install ., run from another folder) is checked by
``.ci/check_install``, which ``.ci/run`` runs after the tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck import packaged
from formcheck.cli import DEFAULT_SAMPLE, samples_dir
from formcheck.exercise import default_exercise_dir, exercise_names

REPO = Path(__file__).resolve().parents[1]


def test_the_checkout_folders_serve_an_editable_install():
    assert default_exercise_dir() == REPO / "exercises"
    assert {"glute_bridge", "hip_hinge", "standing_glute_kickback"} <= set(exercise_names())
    assert (samples_dir() / DEFAULT_SAMPLE / "video.mp4").is_file()


def test_data_inside_the_package_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """As in a wheel: formcheck/exercises/ beside the modules is used, not the checkout's."""
    inside = tmp_path / "formcheck"
    (inside / "exercises").mkdir(parents=True)
    monkeypatch.setattr(packaged.resources, "files", lambda _pkg: inside)
    assert packaged.data_dir(packaged.EXERCISES) == inside / "exercises"
    # Nothing inside the package: the checkout's folder.
    assert packaged.data_dir(packaged.SAMPLES) == REPO / "samples"


def test_setup_ships_the_sample_analyze_uses_without_a_video():
    setup_py = (REPO / "setup.py").read_text()
    assert f'"{DEFAULT_SAMPLE}/video.mp4"' in setup_py
    manifest = (REPO / "MANIFEST.in").read_text()
    assert f"samples/{DEFAULT_SAMPLE}/video.mp4" in manifest
