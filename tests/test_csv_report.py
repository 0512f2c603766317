from __future__ import annotations

import csv
import io

from report_builders import bridge_report, kickback_report

from formcheck.csv_report import COLUMNS, reps_csv


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_rep_with_fixed_columns() -> None:
    text = reps_csv(bridge_report(5, {2: "lumbar_overextension", 4: "too_fast"}))
    rows = _rows(text)
    assert list(rows[0].keys()) == list(COLUMNS)
    assert [r["rep"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[1]["faults"] == "lumbar_overextension"
    assert rows[1]["worst_fault_severity"] == "major"
    assert rows[3]["faults"] == "too_fast"
    assert [r["good"] for r in rows] == ["yes", "no", "yes", "no", "yes"]
    assert float(rows[0]["range_of_motion_deg"]) == 40.0
    assert float(rows[0]["peak_hip_flexion_deg"]) == -5.0
    assert rows[0]["hold_s"] == "0.9"


def test_missing_values_are_empty_cells_and_leg_is_filled_for_per_leg() -> None:
    report = kickback_report()
    report["reps"][0]["range_of_motion_deg"] = None
    rows = _rows(reps_csv(report))
    assert rows[0]["range_of_motion_deg"] == ""
    assert [r["leg"] for r in rows] == ["left", "right", "left", "right"]
    assert rows[2]["faults"] == "knee_bend"


def test_no_reps_gives_the_header_only() -> None:
    text = reps_csv(bridge_report(0))
    assert text.strip() == ",".join(COLUMNS)
