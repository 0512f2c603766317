"""The typed report: JSON round trip, and the judgements defined once on it."""

from __future__ import annotations

import json

import pytest
from golden_data import GOLDEN, SAMPLES
from report_builders import bridge_report

from formcheck.report import (
    FaultEntry,
    Report,
    Verdict,
    most_serious,
    most_serious_first,
    severity_rank,
    top_fault,
)


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_a_written_report_comes_back_key_for_key(sample):
    for name in ("report.json", "live.json"):
        path = GOLDEN / sample / name
        if path.exists():
            data = json.loads(path.read_text())
            assert Report.from_json(data).to_json() == data
            assert list(Report.from_json(data).to_json()) == list(data)  # and in the same order


def test_a_version_1_report_without_the_newer_fields_still_loads():
    data = bridge_report(3, {2: "lumbar_overextension"})
    for key in ("signal", "direction", "legs"):
        data["exercise"].pop(key, None)
    for rep in data["reps"]:
        for f in rep["faults"]:
            f.pop("severity", None)
            f.pop("proxy", None)
    report = Report.from_json(data)
    assert report.schema_version == 1
    assert report.driving_signal() == "hip_flexion"  # from the exercise file
    assert report.reps[1].faults[0].severity == "warning"
    assert report.reps[1].verdict == Verdict(False, ("lumbar_overextension",), "warning")
    assert report.prescribed_hold_s() == 2.0


@pytest.mark.parametrize(
    ("severity", "rank"), [("info", 0), ("warning", 1), ("major", 2), (None, 1), ("odd", 1)]
)
def test_severity_rank(severity, rank):
    assert severity_rank(severity) == rank


def _f(code: str, severity: str) -> FaultEntry:
    return FaultEntry(code, "", "", 1.0, 0.0, "deg", severity, None)


@pytest.mark.parametrize(
    ("faults", "order", "top"),
    [
        ([], [], None),
        ([("a", "info"), ("b", "major"), ("c", "warning")], ["b", "c", "a"], "b"),
        ([("a", "warning"), ("b", "warning")], ["a", "b"], "a"),  # equals keep their order
        ([("a", "info"), ("a", "info"), ("b", "major")], ["b", "a", "a"], "a"),  # most frequent first
    ],
)
def test_most_serious_first_and_top_fault(faults, order, top):
    entries = [_f(c, s) for c, s in faults]
    assert [f.code for f in most_serious_first(entries)] == order
    assert (most_serious(entries).code if entries else None) == (order[0] if order else None)
    dicts = [{"code": c, "severity": s} for c, s in faults]  # report dicts: the same rules
    assert [f["code"] for f in most_serious_first(dicts)] == order
    assert top_fault(entries) == top_fault(dicts) == top
