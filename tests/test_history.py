"""The history database: sessions, trends, and what a crash mid-write leaves."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import formcheck_env
from report_builders import bridge_report, kickback_report

from formcheck import history
from formcheck.errors import InputError, OutputError

DAY0 = datetime(2025, 3, 3, 18, 0, tzinfo=UTC)


def _weekly(db: Path) -> list[int]:
    """Three bridge sessions a week apart: range of motion 30°, 33°, 36°; good reps 1, 2, 4 of 4."""
    ids = []
    for week, (rom, faulty) in enumerate(
        [
            (30.0, {1: "too_fast", 2: "too_fast", 3: "insufficient_rom"}),
            (33.0, {1: "too_fast", 2: "lumbar_overextension"}),
            (36.0, {}),
        ]
    ):
        ids.append(
            history.record_session(
                db,
                bridge_report(4, faulty, rom_deg=rom),
                performed_at=DAY0 + timedelta(days=7 * week),
            )
        )
    return ids


def test_sessions_round_trip_with_reps_and_faults(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "folder" / "h.sqlite3"
    ids = _weekly(db)
    assert ids == [1, 2, 3]
    sessions = history.load_sessions(db)
    assert [s.rom_mean_deg for s in sessions] == [30.0, 33.0, 36.0]
    assert [(s.reps, s.good_reps) for s in sessions] == [(4, 1), (4, 2), (4, 4)]
    assert sessions[0].faults == {"insufficient_rom": 1, "too_fast": 2}
    assert sessions[0].top_fault == "too_fast"
    # A tie (one each) goes to the more severe fault.
    assert sessions[1].top_fault == "lumbar_overextension"
    assert sessions[2].top_fault is None
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM reps").fetchone()[0] == 12
        assert conn.execute("SELECT count(*) FROM faults").fetchone()[0] == 5
        assert conn.execute("PRAGMA user_version").fetchone()[0] == history.SCHEMA_VERSION
    assert history.integrity_ok(db)


def test_trend_per_week_and_the_table(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    _weekly(db)
    history.record_session(db, kickback_report(), performed_at=DAY0 + timedelta(days=1))
    sessions = history.load_sessions(db)
    (bridge,) = [t for t in history.trends(sessions) if t.exercise == "glute_bridge"]
    assert bridge.sessions == 3
    assert bridge.rom_per_week_deg == pytest.approx(3.0)
    assert (bridge.good_first, bridge.good_last) == (0.25, 1.0)
    assert bridge.top_fault == "too_fast"
    text = history.render_history(sessions)
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["date", "exercise", "reps"]
    assert sum("glute_bridge" in line for line in lines) == 3
    assert "+3°" in text  # the change from the previous bridge session
    assert "Glute bridge: 3 sessions over 14 days; range of motion 30° → 36° (+3.0° a week)" in text
    assert "good reps 25% → 100%" in text
    only = history.load_sessions(db, "standing_glute_kickback")
    assert [s.exercise for s in only] == ["standing_glute_kickback"]


def test_progress_plot_is_a_png(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    _weekly(db)
    png = history.progress_plot(history.load_sessions(db))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_reanalysing_the_same_input_replaces_its_session(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    history.record_session(db, bridge_report(3), source_key="/v.mp4|10|1")
    history.record_session(db, bridge_report(5), source_key="/v.mp4|10|1")
    history.record_session(db, bridge_report(2), source_key="/other.mp4|10|1")
    assert sorted(s.reps for s in history.load_sessions(db)) == [2, 5]
    with sqlite3.connect(db) as conn:  # the replaced session's reps went with it
        assert conn.execute("SELECT count(*) FROM reps").fetchone()[0] == 7


def test_unusable_databases_are_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no history yet"):
        history.load_sessions(tmp_path / "none.sqlite3")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(InputError, match="history database error"):
        history.load_sessions(junk)
    with pytest.raises(OutputError, match="history database error"):
        history.record_session(junk, bridge_report(1))
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (x)")
    with pytest.raises(OutputError, match="not a formcheck history database"):
        history.record_session(other, bridge_report(1))
    newer = tmp_path / "newer.sqlite3"
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {history.SCHEMA_VERSION + 1}")
    with pytest.raises(InputError, match="newer than this formcheck"):
        history.load_sessions(newer)


def test_default_path_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORMCHECK_HISTORY", str(tmp_path / "x.sqlite3"))
    assert history.default_history_path() == tmp_path / "x.sqlite3"
    monkeypatch.delenv("FORMCHECK_HISTORY")
    assert history.default_history_path().name == "history.sqlite3"
    assert "formcheck" in history.default_history_path().parts


# -- a crash mid-write ---------------------------------------------------------------------

# The writer: records sessions in a loop and says "committed N" after each commit returns.
# With PAUSE set, the N-th session stops inside its transaction (after the session row and
# its reps, before COMMIT), says "inside", and waits to be killed.
WRITER = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, os.environ["TESTS_DIR"])
    from formcheck import history
    from report_builders import bridge_report

    db, pause_at = sys.argv[1], int(os.environ.get("PAUSE", "0"))
    real_insert_reps = history._insert_reps
    count = 0

    def insert_reps_then_maybe_stop(conn, session_id, reps):
        real_insert_reps(conn, session_id, reps)
        if count + 1 == pause_at:
            print("inside", flush=True)
            time.sleep(60)

    history._insert_reps = insert_reps_then_maybe_stop
    report = bridge_report(12, {2: "too_fast", 5: "lumbar_overextension", 9: "insufficient_rom"})
    while True:
        history.record_session(db, report)
        count += 1
        print(f"committed {count}", flush=True)
""")


def _writer(db: Path, pause: int) -> subprocess.Popen[str]:
    env = formcheck_env(TESTS_DIR=str(Path(__file__).parent), PAUSE=str(pause))
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True, env=env
    )


def _assert_whole_sessions(db: Path, committed: int, at_most: int) -> None:
    """The database opens, passes SQLite's integrity check, and holds every session that was
    committed, each with all its 12 reps and 3 faults; nothing of a torn session."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert history.integrity_ok(db)
    sessions = history.load_sessions(db)
    assert committed <= len(sessions) <= at_most
    assert [s.id for s in sessions] == list(range(1, len(sessions) + 1))
    with sqlite3.connect(db) as conn:
        for s in sessions:
            assert s.reps == 12 and s.good_reps == 9
            reps = conn.execute(
                "SELECT count(*) FROM reps WHERE session_id = ?", (s.id,)
            ).fetchone()[0]
            faults = conn.execute(
                "SELECT count(*) FROM faults WHERE session_id = ?", (s.id,)
            ).fetchone()[0]
            assert (reps, faults) == (12, 3)
        orphans = conn.execute(
            "SELECT count(*) FROM reps WHERE session_id NOT IN (SELECT id FROM sessions)"
        )
        assert orphans.fetchone()[0] == 0


def test_kill_inside_a_transaction_keeps_every_earlier_session(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    proc = _writer(db, pause=6)
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line.strip())
            if line.strip() == "inside":
                break
        assert lines == [f"committed {i}" for i in range(1, 6)] + ["inside"]
        # The 6th session's row and reps are written but not committed: kill it now.
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        proc.kill()
    assert (tmp_path / "h.sqlite3-wal").exists()  # the torn write is still there, in the journal
    _assert_whole_sessions(db, committed=5, at_most=5)
    # And the database takes the next session as if nothing had happened.
    assert history.record_session(db, bridge_report(12)) == 6


@pytest.mark.parametrize("delay_s", [0.35, 0.8, 1.3])
def test_kill_at_any_moment_keeps_every_committed_session(tmp_path: Path, delay_s: float) -> None:
    db = tmp_path / "h.sqlite3"
    proc = _writer(db, pause=0)
    committed = 0
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "committed 1"  # started and writing
        time.sleep(delay_s)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        # Every "committed" line printed before the kill is a session that must be there.
        committed = 1 + sum(1 for line in proc.stdout if line.startswith("committed"))
    finally:
        proc.kill()
    assert committed >= 1
    # One more may have committed between its COMMIT and its print.
    _assert_whole_sessions(db, committed=committed, at_most=committed + 1)


def test_the_test_run_never_uses_the_users_history() -> None:
    """Guards the conftest fixtures: the history in use is a temporary one."""
    import os
    import tempfile

    assert os.environ["FORMCHECK_HISTORY"].startswith(tempfile.gettempdir())
