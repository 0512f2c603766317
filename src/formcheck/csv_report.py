"""``reps.csv``: one row per counted rep, built from the JSON report (schema_version 1).

Columns are fixed and carry their units in their names, so a spreadsheet can be built on them;
angles that were not seen are empty cells. Faults are listed by code, ``;``-separated.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from .report import DEFAULT_SEVERITY, most_serious

# The angles a rep records at its start and its peak, in a fixed order (report keys).
ANGLE_KEYS = ("hip_flexion_deg", "knee_flexion_deg", "trunk_inclination_deg")

COLUMNS = (
    "rep",
    "leg",
    "side",
    "start_s",
    "top_s",
    "end_s",
    "range_of_motion_deg",
    "up_s",
    "hold_s",
    "down_s",
    *(f"start_{k}" for k in ANGLE_KEYS),
    *(f"peak_{k}" for k in ANGLE_KEYS),
    "good",
    "faults",
    "worst_fault_severity",
)


def _cell(value: Any) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value  # type: ignore[no-any-return]


def rep_row(rep: dict[str, Any]) -> dict[str, Any]:
    """One CSV row (column name → cell) for a rep dict of the JSON report."""
    tempo = rep.get("tempo", {})
    faults = rep.get("faults", [])
    worst_fault = most_serious(faults)
    worst = worst_fault.get("severity", DEFAULT_SEVERITY) if worst_fault is not None else None
    row: dict[str, Any] = {
        "rep": rep["index"],
        "leg": rep.get("leg"),
        "side": rep.get("side"),
        "start_s": rep["start_s"],
        "top_s": rep["top_s"],
        "end_s": rep["end_s"],
        "range_of_motion_deg": rep.get("range_of_motion_deg"),
        "up_s": tempo.get("up_s"),
        "hold_s": tempo.get("hold_s"),
        "down_s": tempo.get("down_s"),
    }
    for k in ANGLE_KEYS:
        row[f"start_{k}"] = rep.get("start", {}).get(k)
        row[f"peak_{k}"] = rep.get("peak", {}).get(k)
    row["good"] = rep.get("good", not faults)
    row["faults"] = ";".join(f["code"] for f in faults)
    row["worst_fault_severity"] = worst
    return {k: _cell(v) for k, v in row.items()}


def reps_csv(report: dict[str, Any]) -> str:
    """The whole ``reps.csv`` text (header + one row per counted rep; ``\\r\\n`` line ends, as
    the csv module and spreadsheets expect)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS)
    writer.writeheader()
    for rep in report["reps"]:
        writer.writerow(rep_row(rep))
    return buf.getvalue()
