"""Countdown and stopwatch state, read from an injected clock.

No Textual here: the card screen asks these objects what to show on each
tick, and tests drive them with a fake clock (a callable returning seconds).
"""

from __future__ import annotations

from dataclasses import dataclass

#: The seizure stopwatch turns into a "call emergency now" alert at this many seconds.
STOPWATCH_ALERT_SECONDS = 5 * 60


def clock_text(seconds: float) -> str:
    """``m:ss`` for a number of seconds (rounded down; never negative)."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass
class Countdown:
    """A hold-the-stretch countdown of ``duration`` seconds."""

    duration: float
    started_at: float | None = None

    def start(self, now: float) -> None:
        self.started_at = now

    def remaining(self, now: float) -> float:
        if self.started_at is None:
            return float(self.duration)
        return max(0.0, self.duration - (now - self.started_at))

    def running(self, now: float) -> bool:
        return self.started_at is not None and self.remaining(now) > 0

    def done(self, now: float) -> bool:
        return self.started_at is not None and self.remaining(now) <= 0


@dataclass
class Stopwatch:
    """The seizure stopwatch: counts up from one tap; alerts at five minutes until dismissed."""

    started_at: float | None = None
    stopped_at: float | None = None
    alert_dismissed: bool = False

    def start(self, now: float) -> None:
        self.started_at = now
        self.stopped_at = None
        self.alert_dismissed = False

    def stop(self, now: float) -> None:
        """Stop and keep showing the time it reached (a seizure's length matters)."""
        if self.running:
            self.stopped_at = now

    def reset(self) -> None:
        self.started_at = self.stopped_at = None
        self.alert_dismissed = False

    def elapsed(self, now: float) -> float:
        if self.started_at is None:
            return 0.0
        end = self.stopped_at if self.stopped_at is not None else now
        return max(0.0, end - self.started_at)

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.stopped_at is None

    def alerting(self, now: float) -> bool:
        return (
            self.running
            and not self.alert_dismissed
            and self.elapsed(now) >= STOPWATCH_ALERT_SECONDS
        )
