"""The view: which estimate each angle comes from, whether reps count, which faults are judged."""

from __future__ import annotations

import dataclasses
import math

import pytest

from formcheck import view_errors, views
from formcheck.exercise import find_exercise
from formcheck.kinematics import JointAngles
from formcheck.world import WorldAngles


def table(hip_2d: float, hip_world: float, pitch: float) -> dict:
    return {"hip": {"2d": hip_2d, "world": hip_world, "mean": (hip_2d + hip_world) / 2},
            "knee": {"2d": 3.0, "world": 6.0, "mean": 4.0},
            "trunk": {"2d": 2.0, "world": 3.0, "mean": 2.5},
            "pitch": {"2d": pitch, "world": pitch + 1, "mean": pitch + 0.5}}


@pytest.fixture
def fake_table(monkeypatch):
    """A small table for the hinge: side-on 2D is best; 45° off, the world hip; 90° off,
    nothing can be measured."""
    mae = {"hip_hinge": {0: table(4.0, 6.0, 2.0), 45: table(12.0, 5.0, 4.0), -45: table(9.0, 6.0, 7.0),
                         90: table(30.0, 20.0, 15.0)}}
    monkeypatch.setattr(view_errors, "MAE", mae)
    monkeypatch.setattr(view_errors, "SPREAD", mae)
    monkeypatch.setattr(view_errors, "BIAS", {})
    monkeypatch.setattr(view_errors, "COUNTED", {})
    monkeypatch.setattr(view_errors, "FAULTS_OK", {})
    return mae


def test_side_on_keeps_the_2d_angles(fake_table):
    v = views.view_for(find_exercise("hip_hinge"), 3.0)
    assert v.off_side_deg == 0 and v.countable
    assert set(v.sources.values()) == {"2d"}


def test_off_side_each_angle_comes_from_its_best_estimate(fake_table):
    v = views.view_for(find_exercise("hip_hinge"), 40.0)
    assert v.off_side_deg == 45
    assert v.sources["hip_flexion"] == "world" and v.sources["knee_flexion"] == "2d"
    assert v.errors["hip_flexion"] == 5.0 and v.countable


def test_a_view_where_the_driving_angle_is_lost_does_not_count(fake_table):
    v = views.view_for(find_exercise("hip_hinge"), 85.0)
    assert not v.countable
    spec = find_exercise("hip_hinge")
    assert not any(v.judges(r, spec.rep.signal) for r in spec.faults)
    assert "reps cannot be counted" in v.why_not_judged(spec.faults[0], spec.rep.signal)


def test_a_fault_is_judged_only_where_its_angles_are_within_its_margin(fake_table):
    spec = find_exercise("hip_hinge")
    lean = dataclasses.replace(next(r for r in spec.faults if r.code == "lumbar_overextension"),
                               max_error_deg=5.0)
    assert views.view_for(spec, 0).judges(lean, "hip_flexion")
    assert views.view_for(spec, 45).judges(lean, "hip_flexion")
    behind = views.view_for(spec, -45)
    assert not behind.judges(lean, "hip_flexion")
    why = behind.why_not_judged(lean, "hip_flexion")
    assert "rear-oblique" in why and "±7°" in why and "±5°" in why
    # A rule on time alone needs only the count.
    timing = dataclasses.replace(lean, metric="up_s", signal=None, stat=None)
    assert behind.judges(timing, "hip_flexion")


def test_where_to_film_names_the_counting_views(fake_table):
    assert views.where_to_film(find_exercise("hip_hinge")) == (
        "film from the side, or up to 45° towards the front or up to 45° towards the back")
    assert views.where_to_film(find_exercise("romanian_deadlift")).startswith("film from the side, or")


def test_the_view_changes_only_past_the_edge_of_its_step(fake_table):
    tracker = views.ViewTracker(find_exercise("hip_hinge"))
    for _ in range(40):
        tracker.update(90.0 - 20.0)  # 20° off side, towards the front: nearest step is 0
    assert tracker.view.off_side_deg == 0
    for _ in range(40):
        tracker.update(90.0 - 40.0)
    assert tracker.view.off_side_deg == 45
    for _ in range(40):
        tracker.update(90.0 - 20.0)  # back to 20°: within the hysteresis of the 45° step's edge
    assert tracker.view.off_side_deg == 45
    tracker.update(math.nan)  # no estimate: nothing changes
    assert tracker.view.off_side_deg == 45


def test_choose_takes_each_signal_from_its_source():
    a = JointAngles(0.0, True, hip_flexion=(10.0, 20.0), knee_flexion=(5.0, 6.0), trunk_inclination=30.0,
                    trunk_pitch=30.0)
    w = WorldAngles((14.0, math.nan), (1.0, 2.0), (0.0, 0.0), 40.0, 20.0, 45.0)
    out = views.choose(a, w, {"hip_flexion": "mean", "knee_flexion": "2d", "trunk_inclination": "world",
                              "trunk_pitch": "2d"})
    assert out.hip_flexion == (12.0, 20.0)  # the mean where both are seen, else what there is
    assert out.knee_flexion == (5.0, 6.0) and out.trunk_inclination == 40.0 and out.trunk_pitch == 30.0


def test_an_exercise_without_a_table_is_measured_in_2d_side_on_only(monkeypatch):
    monkeypatch.setattr(view_errors, "MAE", {})
    spec = find_exercise("hip_hinge")
    assert views.base_exercise(spec) is None
    assert views.view_for(spec, 45.0).sources == {s: "2d" for s in views.ANGLE_OF_SIGNAL}
    assert views.where_to_film(spec) == "film from the side"


def test_every_shipped_exercise_has_a_measured_view_table():
    from formcheck.exercise import exercise_names

    for name in exercise_names():
        assert views.base_exercise(find_exercise(name)) in view_errors.MAE, name


def test_live_advice_suggests_a_view_that_judges_more(fake_table):
    from formcheck.coaching import view_advice

    spec = find_exercise("hip_hinge")
    assert view_advice(spec, views.view_for(spec, 0)) == ""
    behind = views.view_for(spec, -45)  # the lean-back's pitch is measured to ±7° there, it needs ±4°
    assert view_advice(spec, behind) == "Turn a little more side-on to the camera so your back can be checked too."
    assert view_advice(spec, views.view_for(spec, 90)) == ""  # nothing counts there: position advice says so


def test_what_the_renders_showed_decides_counting_and_faults(fake_table, monkeypatch):
    spec = find_exercise("hip_hinge")
    monkeypatch.setattr(view_errors, "COUNTED", {"hip_hinge": {0: True, 45: True, -45: False, 90: True}})
    monkeypatch.setattr(view_errors, "FAULTS_OK", {"hip_hinge": {45: ["insufficient_rom"]}})
    assert not views.view_for(spec, -45).countable  # its errors alone would allow counting
    assert views.view_for(spec, 90).countable
    oblique = views.view_for(spec, 45)
    lean = next(r for r in spec.faults if r.code == "lumbar_overextension")
    rom = next(r for r in spec.faults if r.code == "insufficient_rom")
    assert not oblique.judges(lean, spec.rep.signal) and oblique.judges(rom, spec.rep.signal)
    assert "missed or fired on clean reps" in oblique.why_not_judged(lean, spec.rep.signal)
    assert views.view_for(spec, 0).judges(lean, spec.rep.signal)  # no record there: errors decide


def test_a_view_some_renders_were_miscounted_from_counts_with_a_caution(fake_table, monkeypatch):
    spec = find_exercise("hip_hinge")
    monkeypatch.setattr(view_errors, "COUNTED", {"hip_hinge": {45: 0.5, -45: 0.0}})
    v = views.view_for(spec, 45)
    assert v.countable and "50% of the test renders were miscounted" in v.count_warning
    assert not views.view_for(spec, -45).countable
    assert views.view_for(spec, 0).count_warning == ""


def test_no_rep_from_an_oblique_view_says_why_and_where_to_film(fake_table):
    from formcheck.reports import warnings
    from formcheck.session import AnalyzerResult, Status

    spec = find_exercise("hip_hinge")
    seen = AnalyzerResult(spec, (), (), (), {Status.READY: 200}, None, azimuth_deg=90.0 - 45.0)
    (line,) = warnings(seen)
    assert "No rep was seen from where the camera stood" in line and "45° off side-on" in line
    assert "film from the side" in line
    # Side-on, nothing is said: no rep there is no sign of a view the model cannot follow.
    assert warnings(dataclasses.replace(seen, azimuth_deg=90.0)) == []
