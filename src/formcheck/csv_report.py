"""``reps.csv``: one row per counted rep, built from the typed report (``report.Report``).

Columns are fixed and carry their units in their names, so a spreadsheet can be built on them;
angles that were not seen are empty cells. Faults are listed by code, ``;``-separated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from .report import RepEntry, Report, as_report

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


def rep_row(rep: RepEntry | Mapping[str, Any]) -> dict[str, Any]:
    """One CSV row (column name → cell) for a counted rep of the report."""
    if not isinstance(rep, RepEntry):
        rep = RepEntry.from_json(rep)
    worst = rep.worst_fault
    row: dict[str, Any] = {
        "rep": rep.index,
        "leg": rep.leg,
        "side": rep.side,
        "start_s": rep.start_s,
        "top_s": rep.top_s,
        "end_s": rep.end_s,
        "range_of_motion_deg": rep.range_of_motion_deg,
        "up_s": rep.tempo.up_s,
        "hold_s": rep.tempo.hold_s,
        "down_s": rep.tempo.down_s,
    }
    for k in ANGLE_KEYS:
        row[f"start_{k}"] = rep.start.get(k)
        row[f"peak_{k}"] = rep.peak.get(k)
    row["good"] = rep.good
    row["faults"] = ";".join(f.code for f in rep.faults)
    row["worst_fault_severity"] = worst.severity if worst is not None else None
    return {k: _cell(v) for k, v in row.items()}


def reps_csv(report: Report | Mapping[str, Any]) -> str:
    """The whole ``reps.csv`` text (header + one row per counted rep; ``\\r\\n`` line ends, as
    the csv module and spreadsheets expect)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS)
    writer.writeheader()
    for rep in as_report(report).reps:
        writer.writerow(rep_row(rep))
    return buf.getvalue()
