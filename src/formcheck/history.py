"""The history: every analysed (or live) session in a local SQLite database.

One session is written in one transaction (the session row, its reps and their faults), so
a crash or a kill mid-write leaves the database as it was after the last whole session:
SQLite's journal (WAL) rolls the torn transaction back the next time the file is opened.
``synchronous=FULL`` makes a committed session survive a power cut too.

The schema is versioned with ``PRAGMA user_version``; a database made by a newer formcheck
is refused rather than misread.

Where: ``--history PATH``, else ``$FORMCHECK_HISTORY``, else ``history.sqlite3`` in the
user's data folder (``~/.local/share/formcheck`` on Linux, from platformdirs).
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from statistics import mean
from typing import Any

from .errors import InputError, OutputError
from .report import RepEntry, Report, as_report, severity_rank_sql, top_of_counts

SCHEMA_VERSION = 1
ENV_VAR = "FORMCHECK_HISTORY"
FILE_NAME = "history.sqlite3"
# How long a writer waits for another formcheck (e.g. live mode) to finish its write.
BUSY_TIMEOUT_S = 10.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id            INTEGER PRIMARY KEY,
    performed_at  TEXT NOT NULL,   -- when the exercise was done (UTC, ISO 8601)
    analysed_at   TEXT NOT NULL,   -- when formcheck analysed it (UTC, ISO 8601)
    source_key    TEXT,            -- identifies the input file, to replace a re-analysis
    source        TEXT NOT NULL,   -- the input as given (a path, camera:0)
    source_kind   TEXT NOT NULL,   -- video, images, camera
    exercise      TEXT NOT NULL,
    exercise_title TEXT NOT NULL,
    side          TEXT,
    complete      INTEGER NOT NULL,
    duration_s    REAL,
    reps          INTEGER NOT NULL,
    good_reps     INTEGER NOT NULL,
    rom_mean_deg  REAL,
    rom_min_deg   REAL,
    rom_max_deg   REAL,
    top_fault     TEXT,
    tool_version  TEXT NOT NULL,
    report_json   TEXT NOT NULL    -- the JSON report without per-frame angles
);
CREATE INDEX IF NOT EXISTS sessions_by_exercise ON sessions (exercise, performed_at);
CREATE UNIQUE INDEX IF NOT EXISTS sessions_by_source ON sessions (source_key, exercise)
    WHERE source_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS reps (
    session_id    INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    rep           INTEGER NOT NULL,
    leg           TEXT,
    start_s       REAL NOT NULL,
    end_s         REAL NOT NULL,
    rom_deg       REAL,
    up_s          REAL,
    hold_s        REAL,
    down_s        REAL,
    good          INTEGER NOT NULL,
    PRIMARY KEY (session_id, rep)
);
CREATE TABLE IF NOT EXISTS faults (
    session_id    INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    rep           INTEGER NOT NULL,
    code          TEXT NOT NULL,
    severity      TEXT NOT NULL,
    value         REAL,
    threshold     REAL,
    unit          TEXT,
    t_s           REAL
);
CREATE INDEX IF NOT EXISTS faults_by_session ON faults (session_id);
"""


def default_history_path() -> Path:
    """``$FORMCHECK_HISTORY`` if set, else ``history.sqlite3`` in the user data folder."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("formcheck", appauthor=False) / FILE_NAME


def check_history_writable(path: Path) -> None:
    """Fail early if the history at ``path`` cannot be created or written. Raises OutputError."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give the history database a file name")
    parent = path.parent
    existing = parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(
            f"{parent}: cannot write the history here (permission denied); "
            "give --history PATH or --no-history"
        )
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(
            f"{path}: the history database is read-only; give --history PATH or --no-history"
        )


@contextmanager
def _connect(path: Path, write: bool) -> Iterator[sqlite3.Connection]:
    """An open connection, schema checked (and created when writing). Closed on exit.
    Raises InputError (reading) or OutputError (writing) for a file that is not usable."""
    error = OutputError if write else InputError
    path = Path(path)
    if write:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"{path.parent}: cannot create the folder ({exc.strerror or exc})"
            ) from None
    uri = f"{path.resolve().as_uri()}?mode={'rwc' if write else 'ro'}"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as exc:
        raise error(f"{path}: cannot open the history database ({exc})") from None
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        if write:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        _check_schema(conn, path, write, error)
        yield conn
    except sqlite3.DatabaseError as exc:  # not a database, damaged, locked too long, disk full
        raise error(f"{path}: history database error ({exc})") from None
    finally:
        conn.close()


def _check_schema(
    conn: sqlite3.Connection, path: Path, write: bool, error: type[InputError] | type[OutputError]
) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise error(
            f"{path}: history schema version {version} is newer than this formcheck "
            f"reads ({SCHEMA_VERSION}); update formcheck"
        )
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    if tables:
        raise error(f"{path}: not a formcheck history database (it holds other tables)")
    if write:
        # The tables and the version in one transaction: both or neither. IF NOT EXISTS
        # because another formcheck may have created them while this one waited for the lock.
        try:
            conn.executescript(
                f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _utc(dt: datetime | None) -> str:
    dt = dt or datetime.now(UTC)
    if dt.tzinfo is None:
        dt = dt.astimezone()  # a naive time is the computer's local time
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def _finite(x: Any) -> float | None:
    return float(x) if isinstance(x, int | float) and math.isfinite(x) else None


def record_session(
    db_path: Path,
    report: Report | Mapping[str, Any],
    *,
    performed_at: datetime | None = None,
    source_key: str | None = None,
) -> int:
    """Store one session (the typed report, or a JSON report dict, schema_version 1) in the
    history at ``db_path``, creating the database if needed; returns the session's id.

    The whole session is one transaction. ``performed_at`` is when the exercise was done
    (default: now). With ``source_key`` (identifying the input, e.g. path + size + mtime), an
    earlier session of the same input and exercise is replaced, so re-analysing a video does
    not count it twice. Raises OutputError when the database cannot be written.
    """
    typed = as_report(report)
    reps = typed.reps
    roms = [v for v in (_finite(r.range_of_motion_deg) for r in reps) if v is not None]
    src = typed.source
    compact = {k: v for k, v in typed.to_json().items() if k != "frames"}
    session = (
        _utc(performed_at),
        _utc(None),
        source_key,
        str(src.get("path", "")),
        str(src.get("kind", "")),
        typed.exercise.name,
        typed.exercise.title,
        typed.side,
        int(bool(typed.complete)),
        typed.duration_s,
        len(reps),
        sum(1 for r in reps if r.good),
        mean(roms) if roms else None,
        min(roms) if roms else None,
        max(roms) if roms else None,
        typed.top_fault,
        str(typed.tool.get("version", "")),
        json.dumps(compact, allow_nan=False),
    )
    with _connect(Path(db_path), write=True) as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if source_key is not None:
                conn.execute(
                    "DELETE FROM sessions WHERE source_key = ? AND exercise = ?",
                    (source_key, typed.exercise.name),
                )
            session_id = _insert_session(conn, session)
            _insert_reps(conn, session_id, reps)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return session_id


def _insert_session(conn: sqlite3.Connection, row: tuple[Any, ...]) -> int:
    cur = conn.execute(
        "INSERT INTO sessions (performed_at, analysed_at, source_key, source, source_kind,"
        " exercise,"
        " exercise_title, side, complete, duration_s, reps, good_reps, rom_mean_deg, rom_min_deg,"
        " rom_max_deg, top_fault, tool_version, report_json)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        row,
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


def _insert_reps(conn: sqlite3.Connection, session_id: int, reps: Sequence[RepEntry]) -> None:
    conn.executemany(
        "INSERT INTO reps (session_id, rep, leg, start_s, end_s, rom_deg, up_s, hold_s, down_s,"
        " good)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                session_id,
                r.index,
                r.leg,
                r.start_s,
                r.end_s,
                _finite(r.range_of_motion_deg),
                _finite(r.tempo.up_s),
                _finite(r.tempo.hold_s),
                _finite(r.tempo.down_s),
                int(bool(r.good)),
            )
            for r in reps
        ],
    )
    conn.executemany(
        "INSERT INTO faults (session_id, rep, code, severity, value, threshold, unit, t_s)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                session_id,
                r.index,
                f.code,
                f.severity,
                _finite(f.value),
                _finite(f.threshold),
                f.unit,
                _finite(f.t_s),
            )
            for r in reps
            for f in r.faults
        ],
    )


# -- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """One stored session, as the history shows it. Angles in degrees."""

    id: int
    performed_at: datetime
    exercise: str
    exercise_title: str
    source: str
    complete: bool
    reps: int
    good_reps: int
    rom_mean_deg: float | None
    rom_min_deg: float | None
    rom_max_deg: float | None
    top_fault: str | None
    faults: dict[str, int]
    fault_rank: dict[str, int]  # the severity of each fault code (0 info, 1 warning, 2 major)

    @property
    def good_ratio(self) -> float | None:
        return self.good_reps / self.reps if self.reps else None


def load_sessions(db_path: Path, exercise: str | None = None) -> list[Session]:
    """Sessions in the history at ``db_path`` (oldest first), optionally of one exercise.

    Raises InputError if there is no database there or it is not a formcheck history.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise InputError(
            f"{db_path}: no history yet (analyse a video first, or give --history PATH)"
        )
    with _connect(db_path, write=False) as conn:
        where, args = ("WHERE exercise = ?", (exercise,)) if exercise else ("", ())
        rows = conn.execute(
            f"SELECT * FROM sessions {where} ORDER BY performed_at, id", args
        ).fetchall()
        faults: dict[int, dict[str, int]] = {}
        ranks: dict[int, dict[str, int]] = {}
        for f in conn.execute(
            f"SELECT session_id, code, count(*) AS n, max({severity_rank_sql('severity')}) AS rank"
            " FROM faults GROUP BY session_id, code"
        ):
            faults.setdefault(f["session_id"], {})[f["code"]] = f["n"]
            ranks.setdefault(f["session_id"], {})[f["code"]] = f["rank"]
    return [
        Session(
            id=r["id"],
            performed_at=datetime.fromisoformat(r["performed_at"]),
            exercise=r["exercise"],
            exercise_title=r["exercise_title"],
            source=r["source"],
            complete=bool(r["complete"]),
            reps=r["reps"],
            good_reps=r["good_reps"],
            rom_mean_deg=r["rom_mean_deg"],
            rom_min_deg=r["rom_min_deg"],
            rom_max_deg=r["rom_max_deg"],
            top_fault=r["top_fault"],
            faults=faults.get(r["id"], {}),
            fault_rank=ranks.get(r["id"], {}),
        )
        for r in rows
    ]


def recorded_exercises(db_path: Path) -> list[str]:
    """The exercise names that have sessions in the history. Raises InputError."""
    return sorted({s.exercise for s in load_sessions(db_path)})


@dataclass(frozen=True)
class Trend:
    """How one exercise went over its sessions: range of motion change (°/week, least squares
    over the session dates; None with fewer than two days apart), first and last sessions'
    values, good-rep shares, and the most common fault over all sessions."""

    exercise: str
    title: str
    sessions: int
    first: datetime
    last: datetime
    rom_first_deg: float | None
    rom_last_deg: float | None
    rom_per_week_deg: float | None
    good_first: float | None
    good_last: float | None
    top_fault: str | None


def trends(sessions: Sequence[Session]) -> list[Trend]:
    """One Trend per exercise in ``sessions``."""
    out = []
    for name in sorted({s.exercise for s in sessions}):
        ss = sorted((s for s in sessions if s.exercise == name), key=lambda s: s.performed_at)
        pts = [
            (s.performed_at.timestamp() / 86400.0, s.rom_mean_deg)
            for s in ss
            if s.rom_mean_deg is not None
        ]
        slope = None
        if len(pts) >= 2 and max(p[0] for p in pts) - min(p[0] for p in pts) >= 1.0:
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            mx, my = mean(xs), mean(ys)
            slope = (
                7.0
                * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
                / sum((x - mx) ** 2 for x in xs)
            )
        faults: Counter[str] = Counter()
        rank: dict[str, int] = {}
        for s in ss:
            faults.update(s.faults)
            for code, r in s.fault_rank.items():
                rank[code] = max(rank.get(code, 0), r)
        ratios = [s.good_ratio for s in ss if s.good_ratio is not None]
        out.append(
            Trend(
                exercise=name,
                title=ss[0].exercise_title,
                sessions=len(ss),
                first=ss[0].performed_at,
                last=ss[-1].performed_at,
                rom_first_deg=pts[0][1] if pts else None,
                rom_last_deg=pts[-1][1] if pts else None,
                rom_per_week_deg=slope,
                good_first=ratios[0] if ratios else None,
                good_last=ratios[-1] if ratios else None,
                top_fault=top_of_counts(dict(sorted(faults.items())), rank)
                if faults
                else None,
            )
        )
    return out


def _fmt(x: float | None, unit: str = "", nd: int = 0, sign: bool = False) -> str:
    if x is None:
        return "–"
    return f"{x:+.{nd}f}{unit}" if sign else f"{x:.{nd}f}{unit}"


def render_history(sessions: Sequence[Session]) -> str:
    """The history as a terminal table (one line per session, with the range of motion's
    change from the previous session of the same exercise) and one trend line per exercise."""
    if not sessions:
        return "No sessions."
    lines = [
        f"{'date':<16} {'exercise':<24} {'reps':>4} {'good':>5} {'range':>6} {'change':>7}"
        "  most common fault"
    ]
    previous: dict[str, float] = {}
    for s in sorted(sessions, key=lambda s: s.performed_at):
        change = None
        if s.rom_mean_deg is not None and s.exercise in previous:
            change = s.rom_mean_deg - previous[s.exercise]
        if s.rom_mean_deg is not None:
            previous[s.exercise] = s.rom_mean_deg
        when = s.performed_at.astimezone().strftime("%Y-%m-%d %H:%M")
        ratio = _fmt(100 * s.good_ratio, "%") if s.good_ratio is not None else "–"
        fault = (s.top_fault or "–").replace("_", " ")
        if s.top_fault:
            fault += f" ×{s.faults.get(s.top_fault, 0)}"
        mark = "" if s.complete else "  (incomplete)"
        lines.append(
            f"{when:<16} {s.exercise:<24} {s.reps:>4} {ratio:>5} {_fmt(s.rom_mean_deg, '°'):>6} "
            f"{_fmt(change, '°', sign=True) if change is not None else '':>7}  {fault}{mark}"
        )
    lines.append("")
    for t in trends(sessions):
        text = f"{t.title}: {t.sessions} session{'s' if t.sessions != 1 else ''}"
        if t.sessions > 1:
            days = (t.last - t.first).total_seconds() / 86400.0
            text += f" over {days:.0f} days" if days >= 1 else " on one day"
            text += f"; range of motion {_fmt(t.rom_first_deg, '°')} → {_fmt(t.rom_last_deg, '°')}"
            if t.rom_per_week_deg is not None:
                text += f" ({_fmt(t.rom_per_week_deg, '°', 1, sign=True)} a week)"
            if t.good_first is not None and t.good_last is not None:
                text += f"; good reps {100 * t.good_first:.0f}% → {100 * t.good_last:.0f}%"
        if t.top_fault:
            text += f"; most common fault: {t.top_fault.replace('_', ' ')}"
        lines.append(text)
    return "\n".join(lines)


def progress_plot(sessions: Sequence[Session]) -> bytes:
    """The PNG progress plot of ``sessions`` (one panel per exercise). Raises ValueError if
    none has reps."""
    from .plots import ProgressPoint, progress_png

    by: dict[str, list[ProgressPoint]] = {}
    titles: dict[str, str] = {}
    for s in sessions:
        if s.rom_mean_deg is None or s.good_ratio is None:
            continue
        by.setdefault(s.exercise, []).append(
            ProgressPoint(
                s.performed_at,
                s.rom_mean_deg,
                s.rom_min_deg if s.rom_min_deg is not None else s.rom_mean_deg,
                s.rom_max_deg if s.rom_max_deg is not None else s.rom_mean_deg,
                s.good_ratio,
                s.reps,
            )
        )
        titles[s.exercise] = s.exercise_title
    return progress_png(by, titles)


def integrity_ok(db_path: Path) -> bool:
    """True when SQLite's integrity check of the database passes. Raises InputError."""
    with (
        _connect(Path(db_path), write=False) as conn,
        closing(conn.execute("PRAGMA integrity_check")) as cur,
    ):
        return [r[0] for r in cur.fetchall()] == ["ok"]
