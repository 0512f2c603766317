"""Exercise files: the bundled ones load; broken ones are refused naming the file and the key."""

from pathlib import Path

import pytest

from formcheck.errors import ExerciseError
from formcheck.exercise import default_exercise_dir, exercise_names, find_exercise, load_exercise

BUNDLED = default_exercise_dir()


PROGRAMME = ["glute_bridge", "hip_hinge", "standing_glute_kickback"]
VARIANTS = {"hip_thrust": "glute_bridge", "single_leg_glute_bridge": "glute_bridge",
            "romanian_deadlift": "hip_hinge", "deadlift_from_floor": "hip_hinge",
            "donkey_kick": "standing_glute_kickback"}


def test_the_three_programme_exercises_and_their_variants_are_defined():
    assert exercise_names() == sorted(PROGRAMME + list(VARIANTS))
    assert [n for n in exercise_names() if not find_exercise(n).variant_of] == PROGRAMME
    assert {n: find_exercise(n).variant_of for n in VARIANTS} == VARIANTS


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variants_load_with_their_own_start_posture(name):
    spec = find_exercise(name)
    base = find_exercise(spec.variant_of)
    assert spec.rep.end_deg < spec.rep.start_deg
    assert (spec.rep.start_min_deg, spec.rep.start_max_deg) != (base.rep.start_min_deg, base.rep.start_max_deg)
    assert spec.faults and all(f.cue and f.message for f in spec.faults)


@pytest.mark.parametrize("name", ["glute_bridge", "hip_hinge", "standing_glute_kickback"])
def test_bundled_exercises_load(name):
    spec = find_exercise(name)
    assert spec.name == name and spec.view == "side"
    assert spec.rep.end_deg < spec.rep.start_deg
    assert spec.faults and all(f.cue and f.message for f in spec.faults)


def test_prescriptions_follow_the_programme():
    assert find_exercise("glute_bridge").prescription.describe() == "3 × 12–15, hold 2 s at the top"
    assert find_exercise("hip_hinge").prescription.describe() == "3 × 10–12"
    assert find_exercise("standing_glute_kickback").prescription.describe() == "3 × 12–15 per leg, hold 2 s at the top"


def test_every_fault_code_of_the_brief_is_checked_somewhere():
    codes = {f.code for n in exercise_names() for f in find_exercise(n).faults}
    assert {"lumbar_overextension", "squat_instead_of_hinge", "rounded_back", "knee_bend",
            "insufficient_rom", "too_fast", "hold_too_short"} <= codes


def _variant(tmp_path: Path, old: str, new: str, name: str = "glute_bridge") -> Path:
    text = (BUNDLED / f"{name}.toml").read_text()
    assert old in text
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, new, 1))
    return path


BROKEN = [
    # old text, new text, words the message must contain
    ('start_deg = 8 ', 'start_degs = 8 ', ["'rep.start_deg' is missing", "'rep.start_degs' a typo"]),
    ('title = "Glute bridge"\n', "", ["'title'", "missing"]),
    ("end_deg = 4 ", "end_deg = 12 ", ["out of order", "rep.end_deg", "rep.start_deg"]),
    ("min_rep_s = 0.4", "min_rep_s = 40", ["out of order", "rep.min_rep_s"]),
    ("start_min_deg = 15", 'start_min_deg = "low"', ["rep.start_min_deg", "must be float"]),
    ('direction = "decrease"', 'direction = "down"', ["rep.direction", "increase, decrease"]),
    ('signal = "hip_flexion"\ndirection', 'signal = "elbow"\ndirection', ["rep.signal", "hip_flexion"]),
    ("below_deg = -12", "below_deg = -12\nabove_deg = 3", ["lumbar_overextension", "exactly one of"]),
    ("below_deg = -12", "below_s = -12", ["below_s", "not a known key"]),
    ('unless = ["too_fast"]', 'unless = ["slow"]', ["unknown fault 'slow'"]),
    ("reps_min = 12", "reps_min = 20", ["out of order", "prescription.reps_min"]),
    ('name = "glute_bridge"', 'name = "bridge"', ["must match the file name"]),
    ("[rep]", "[rep\n", ["invalid TOML"]),
    ('stat = "min"\nbelow_deg = -12', 'stat = "min"\nfallback = true\nbelow_deg = -12',
     ["is a fallback", "not a fallback comes before it"]),
]


@pytest.mark.parametrize(("old", "new", "words"), BROKEN, ids=[b[2][0] for b in BROKEN])
def test_broken_files_are_refused_with_file_and_key(tmp_path, old, new, words):
    path = _variant(tmp_path, old, new)
    with pytest.raises(ExerciseError) as err:
        load_exercise(path)
    message = str(err.value)
    assert str(path) in message
    for w in words:
        assert w in message


def test_unknown_exercise_lists_the_known_ones():
    known = "deadlift_from_floor, donkey_kick, glute_bridge"
    with pytest.raises(ExerciseError, match=f"unknown exercise 'squat'; known: {known}"):
        find_exercise("squat")


def test_a_new_exercise_is_a_new_file(tmp_path):
    path = _variant(tmp_path, 'title = "Glute bridge"', 'title = "Single-leg bridge"')
    renamed = tmp_path / "single_leg_bridge.toml"
    renamed.write_text(path.read_text().replace('name = "glute_bridge"', 'name = "single_leg_bridge"'))
    assert find_exercise("single_leg_bridge", tmp_path).title == "Single-leg bridge"
    assert find_exercise(str(renamed)).name == "single_leg_bridge"
