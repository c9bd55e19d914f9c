"""Anonymous usage counts: exactly the counts of a scripted visit, and nothing else."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.fleet.usage import DATABASE_NAME, EVENTS, MAX_PENDING_ROWS, UsageCounts, read_rows

pytestmark = [pytest.mark.data]

DAY_ONE = dt.date(2026, 12, 1)
DAY_TWO = dt.date(2026, 12, 2)


class Clock:
    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __call__(self) -> dt.date:
        return self.day


def scripted_visits(counts: UsageCounts, clock: Clock) -> None:
    """Two visitors on day one, one on day two."""
    counts.opened("choking", "en")
    counts.step_reached("choking", "en")
    counts.step_reached("choking", "en")
    counts.cpr_beat_started("choking", "en")
    counts.finished("choking", "en")
    counts.search_used("uk")
    counts.opened("seizure", "uk")
    counts.timer_started("seizure", "uk")
    clock.day = DAY_TWO
    counts.opened("choking", "en")


def all_rows(database: Path) -> dict[tuple[str, str, str], dict[str, int]]:
    connection = sqlite3.connect(database)
    try:
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
        found: dict[tuple[str, str, str], dict[str, int]] = {}
        for row in connection.execute("SELECT * FROM daily_counts"):
            day, card, language, *values = row
            found[(day, card, language)] = {e: v for e, v in zip(EVENTS, values) if v}
    finally:
        connection.close()
    assert names[0] == "daily_counts"
    return found


EXPECTED = {
    ("2026-12-01", "choking", "en"): {
        "opened": 1,
        "steps_reached": 2,
        "cpr_beats_started": 1,
        "finished": 1,
    },
    ("2026-12-01", "", "uk"): {"searches": 1},
    ("2026-12-01", "seizure", "uk"): {"opened": 1, "timers_started": 1},
    ("2026-12-02", "choking", "en"): {"opened": 1},
}


def test_a_scripted_visit_gives_exactly_the_expected_counts(tmp_path: Path) -> None:
    clock = Clock(DAY_ONE)
    counts = UsageCounts(tmp_path, today=clock)
    scripted_visits(counts, clock)
    assert counts.flush()
    assert all_rows(tmp_path / DATABASE_NAME) == EXPECTED
    # A second flush adds the new counts to the stored ones.
    counts.opened("choking", "en")
    assert counts.flush()
    assert all_rows(tmp_path / DATABASE_NAME)[("2026-12-02", "choking", "en")] == {"opened": 2}


def test_the_database_holds_nothing_but_day_card_language_and_counts(tmp_path: Path) -> None:
    """Every table and column of the file: only a day, a card id, a language, whole numbers."""
    clock = Clock(DAY_ONE)
    counts = UsageCounts(tmp_path, today=clock)
    scripted_visits(counts, clock)
    counts.flush()
    connection = sqlite3.connect(tmp_path / DATABASE_NAME)
    try:
        objects = connection.execute("SELECT type, name FROM sqlite_master").fetchall()
        tables = [name for kind, name in objects if kind == "table"]
        # The table and its primary-key index; no triggers, no views, no other tables.
        assert tables == ["daily_counts"]
        assert {kind for kind, _ in objects} <= {"table", "index"}
        for table in tables:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            assert columns == ["day", "card", "language", *EVENTS]
            for row in connection.execute(f"SELECT * FROM {table}"):
                day, card, language, *numbers = row
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)
                assert card in ("", "choking", "seizure")
                assert language in ("en", "uk")
                assert all(type(n) is int and n >= 0 for n in numbers)
    finally:
        connection.close()
    # No search words anywhere in the file, nor any finer time.
    raw = (tmp_path / DATABASE_NAME).read_bytes()
    assert not re.search(rb"\d{2}:\d{2}", raw)


def test_search_counts_take_no_words() -> None:
    with pytest.raises(TypeError):
        UsageCounts(None).search_used("en", "bleeding")  # type: ignore[call-arg]


def test_read_only_state_dir_keeps_counts_in_memory_and_flushes_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders; the chmod below would not bite")
    folder = tmp_path / "state"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    clock = Clock(DAY_ONE)
    counts = UsageCounts(folder, today=clock)
    scripted_visits(counts, clock)
    try:
        assert not counts.flush()
        assert not counts.flush()
    finally:
        folder.chmod(stat.S_IRWXU)
    assert len([r for r in caplog.records if "kept in memory" in r.getMessage()]) == 1
    assert counts.flush()
    assert all_rows(folder / DATABASE_NAME) == EXPECTED


def test_unwritable_disk_never_raises_and_logs_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A file where the state folder should be: every write fails (as on a full disk)."""
    blocker = tmp_path / "state"
    blocker.write_text("not a folder")
    counts = UsageCounts(blocker / "inner")
    for _ in range(3):
        counts.opened("choking", "en")
        assert not counts.flush()
    assert counts.pending_rows == 1
    assert len([r for r in caplog.records if "kept in memory" in r.getMessage()]) == 1


def test_locked_database_keeps_counts_for_later(tmp_path: Path) -> None:
    counts = UsageCounts(tmp_path)
    counts.opened("choking", "en")
    assert counts.flush()
    holder = sqlite3.connect(tmp_path / DATABASE_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        counts.opened("choking", "en")
        assert not counts.flush()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert counts.flush()
    assert [r.counts[0] for r in read_rows(tmp_path / DATABASE_NAME)] == [2]


def test_memory_is_bounded_while_the_disk_refuses(tmp_path: Path) -> None:
    counts = UsageCounts(tmp_path / "file" / "x")
    (tmp_path / "file").write_text("")
    for number in range(MAX_PENDING_ROWS + 10):
        counts.opened(f"card{number}", "en")
    assert counts.pending_rows == MAX_PENDING_ROWS
    assert counts.dropped_rows == 10


def test_kiosk_stats_exports_csv_and_json_since_a_day(tmp_path: Path) -> None:
    clock = Clock(DAY_ONE)
    counts = UsageCounts(tmp_path, today=clock)
    scripted_visits(counts, clock)
    counts.flush()

    def stats(*extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "stats", "--state-dir", str(tmp_path), *extra],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    table = list(csv.DictReader(io.StringIO(stats("--format", "csv"))))
    assert len(table) == 4
    assert table[0]["day"] == "2026-12-01" and table[0]["searches"] == "1"
    later = json.loads(stats("--since", "2026-12-02", "--format", "json"))
    assert later == [
        {"day": "2026-12-02", "card": "choking", "language": "en"}
        | dict.fromkeys(EVENTS, 0)
        | {"opened": 1}
    ]


def test_kiosk_stats_with_no_database_prints_only_the_header(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "stats", "--state-dir", str(tmp_path / "none")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    assert done.stdout.splitlines() == [",".join(("day", "card", "language", *EVENTS))]
