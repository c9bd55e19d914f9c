"""Anonymous usage counts: per day, card and language, how often each thing happened.

What is kept is exactly the table in ``docs/privacy.md``: a day (``YYYY-MM-DD``), a card
id, a language code and six whole numbers. Never a time finer than the day, never search
words, never the order of a visitor's taps. Counting only adds to numbers in memory;
:meth:`UsageCounts.flush` writes them to SQLite in ``<state_dir>/usage.sqlite3``.

A full, locked or read-only disk never stops the kiosk: the counts stay in memory and go
out with a later flush, or, past :data:`MAX_PENDING_ROWS`, the oldest are dropped. Each
kind of failure is logged once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("kiosk.fleet.usage")

#: The counters, in the order of the table's columns.
EVENTS = (
    "opened",
    "steps_reached",
    "finished",
    "searches",
    "timers_started",
    "cpr_beats_started",
)
#: The card id stored for counts that belong to no card (a search).
NO_CARD = ""
DATABASE_NAME = "usage.sqlite3"
#: Rows (day, card, language) kept in memory while the disk refuses them.
MAX_PENDING_ROWS = 5000
#: How long a write waits for a lock held by another process (kiosk stats).
BUSY_TIMEOUT_SECONDS = 0.25
#: Longest card id or language code stored; anything longer is cut (ids are short).
MAX_KEY_LENGTH = 64

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS daily_counts (
    day TEXT NOT NULL,
    card TEXT NOT NULL,
    language TEXT NOT NULL,
    {", ".join(f"{name} INTEGER NOT NULL DEFAULT 0" for name in EVENTS)},
    PRIMARY KEY (day, card, language)
)
"""
_UPSERT = (
    f"INSERT INTO daily_counts (day, card, language, {', '.join(EVENTS)})"
    f" VALUES (?, ?, ?, {', '.join('?' for _ in EVENTS)})"
    " ON CONFLICT (day, card, language) DO UPDATE SET "
    + ", ".join(f"{name} = {name} + excluded.{name}" for name in EVENTS)
)

RowKey = tuple[str, str, str]  # (day, card, language)


def default_state_dir() -> Path:
    """systemd's ``$STATE_DIRECTORY`` (``StateDirectory=kiosk``), else the user state folder."""
    from_systemd = os.environ.get("STATE_DIRECTORY", "").split(":")[0]
    if from_systemd:
        return Path(from_systemd)
    import platformdirs

    return Path(platformdirs.user_state_dir("kiosk", appauthor=False))


def state_dir_for(setting: str) -> Path:
    """The folder named by the site's ``state_dir`` (empty: :func:`default_state_dir`)."""
    return Path(setting) if setting else default_state_dir()


@dataclass(frozen=True)
class UsageRow:
    """One day's counts for one card in one language (card ``""``: searches)."""

    day: str
    card: str
    language: str
    counts: tuple[int, ...]

    def as_dict(self) -> dict[str, str | int]:
        return {"day": self.day, "card": self.card, "language": self.language} | dict(
            zip(EVENTS, self.counts)
        )


class UsageCounts:
    """Counts in memory, flushed to SQLite when asked. Never raises to the caller."""

    def __init__(
        self, state_dir: Path | None, *, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        self.database = Path(state_dir) / DATABASE_NAME if state_dir is not None else None
        self._today = today
        self._pending: dict[RowKey, list[int]] = {}
        #: Every count since start, for the metrics file (a restart starts again at 0).
        self.totals: dict[tuple[str, str, str], int] = {}
        self._logged: set[str] = set()
        self.dropped_rows = 0

    # -- counting (memory only; cheap enough for every tap) ----------------------------------

    def opened(self, card: str, language: str) -> None:
        self.count("opened", card, language)

    def step_reached(self, card: str, language: str) -> None:
        self.count("steps_reached", card, language)

    def finished(self, card: str, language: str) -> None:
        self.count("finished", card, language)

    def search_used(self, language: str) -> None:
        """A search was made. Only that it happened is kept: never the words."""
        self.count("searches", NO_CARD, language)

    def timer_started(self, card: str, language: str) -> None:
        self.count("timers_started", card, language)

    def cpr_beat_started(self, card: str, language: str) -> None:
        self.count("cpr_beats_started", card, language)

    def count(self, event: str, card: str, language: str) -> None:
        """Add one to ``event`` for today, ``card`` and ``language``."""
        try:
            column = EVENTS.index(event)
            card, language = str(card)[:MAX_KEY_LENGTH], str(language)[:MAX_KEY_LENGTH]
            key = (self._today().isoformat(), card, language)
            row = self._pending.get(key)
            if row is None:
                if len(self._pending) >= MAX_PENDING_ROWS:
                    self._drop_oldest()
                row = self._pending[key] = [0] * len(EVENTS)
            row[column] += 1
            total_key = (event, card, language)
            self.totals[total_key] = self.totals.get(total_key, 0) + 1
        except Exception as error:  # counting must never break a visitor's tap
            self._log_once("count", "usage count not recorded: %r", error)

    def _drop_oldest(self) -> None:
        oldest = min(self._pending)
        del self._pending[oldest]
        self.dropped_rows += 1
        self._log_once(
            "dropped",
            "usage counts: %d rows waiting for the disk; dropping the oldest",
            MAX_PENDING_ROWS,
        )

    @property
    def pending_rows(self) -> int:
        return len(self._pending)

    # -- writing -----------------------------------------------------------------------------

    def flush(self) -> bool:
        """Write the counts in memory; True if nothing is left waiting. Never raises."""
        if not self._pending:
            return True
        if self.database is None:
            self._pending.clear()
            return True
        import sqlite3  # here, not at the top: off the start-up path (docs/performance.md)

        rows = [(*key, *values) for key, values in sorted(self._pending.items())]
        try:
            self.database.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.database, timeout=BUSY_TIMEOUT_SECONDS)
            try:
                with connection:
                    connection.execute(_SCHEMA)
                    connection.executemany(_UPSERT, rows)
            finally:
                connection.close()
        except (OSError, sqlite3.Error) as error:
            self._log_once(
                "flush",
                "usage counts kept in memory: cannot write %s (%s)",
                self.database,
                error,
            )
            return False
        except Exception as error:
            self._log_once("flush-bug", "usage counts not written (%r)", error)
            return False
        self._pending.clear()
        if "flush" in self._logged:
            log.info("usage counts written to %s again", self.database)
            self._logged.discard("flush")
        return True

    def _log_once(self, kind: str, message: str, *args: object) -> None:
        if kind not in self._logged:
            self._logged.add(kind)
            log.warning(message, *args)


def read_rows(database: Path, since: dt.date | None = None) -> list[UsageRow]:
    """Every stored row from ``since`` on, oldest day first. Raises ``sqlite3.Error``."""
    import sqlite3

    if not database.is_file():
        return []
    connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        query = f"SELECT day, card, language, {', '.join(EVENTS)} FROM daily_counts"
        parameters: tuple[str, ...] = ()
        if since is not None:
            query += " WHERE day >= ?"
            parameters = (since.isoformat(),)
        query += " ORDER BY day, card, language"
        try:
            found = connection.execute(query, parameters).fetchall()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return []
            raise
    finally:
        connection.close()
    return [UsageRow(day, card, language, tuple(counts)) for day, card, language, *counts in found]
