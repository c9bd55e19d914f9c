"""The timed tools on a card page: countdowns, the seizure stopwatch, and their collection.

No Textual here: the card screen asks these objects what to show on each tick, and
tests drive them with a fake clock. A tool reads the time it is given (``now``, from
the session's injected clock); it never asks the system clock itself.

:class:`CardTools` is what the open card owns: every tool started on that card, kept
while the visitor moves between its pages, dropped when they go home, open another card
or the kiosk resets after being idle. To add a tool (a CPR beat, a second-dose
countdown): write a class with ``running(now)``, get it with :meth:`CardTools.tool`, and
it is counted by :meth:`CardTools.any_running` (which keeps the idle reset away).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, TypeVar

#: The seizure stopwatch turns into a "call emergency now" alert at this many seconds.
STOPWATCH_ALERT_SECONDS = 5 * 60


def clock_text(seconds: float) -> str:
    """``m:ss`` for a number of seconds (rounded down; never negative)."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class TimedTool(Protocol):
    """What every tool on a card can say: whether it is running at ``now``."""

    def running(self, now: float) -> bool: ...


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

    def text_up(self, now: float) -> str:
        """Remaining time rounded up: it reads 0:30 at the start and 0:00 only at the end."""
        remaining = self.remaining(now)
        whole = int(remaining) if remaining == int(remaining) else int(remaining) + 1
        return clock_text(whole)


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
        if self.running(now):
            self.stopped_at = now

    def elapsed(self, now: float) -> float:
        if self.started_at is None:
            return 0.0
        end = self.stopped_at if self.stopped_at is not None else now
        return max(0.0, end - self.started_at)

    def running(self, now: float | None = None) -> bool:
        return self.started_at is not None and self.stopped_at is None

    @property
    def started(self) -> bool:
        return self.started_at is not None

    def alerting(self, now: float) -> bool:
        return (
            self.running(now)
            and not self.alert_dismissed
            and self.elapsed(now) >= STOPWATCH_ALERT_SECONDS
        )


ToolT = TypeVar("ToolT", bound=TimedTool)


class CardTools:
    """Every timed tool of the open card, by name (``"countdown-2"``, ``"stopwatch"``)."""

    def __init__(self) -> None:
        self._tools: dict[str, TimedTool] = {}

    def tool(self, name: str, make: Callable[[], ToolT]) -> ToolT:
        """The tool called ``name``, made with ``make()`` the first time it is asked for."""
        found = self._tools.get(name)
        if found is None:
            found = self._tools[name] = make()
        return found  # type: ignore[return-value]

    def countdown(self, step_index: int, seconds: float) -> Countdown:
        """The countdown of step ``step_index`` (each step with a timer has its own)."""
        return self.tool(f"countdown-{step_index}", lambda: Countdown(seconds))

    @property
    def stopwatch(self) -> Stopwatch:
        """The card's stopwatch (a card has one at most)."""
        return self.tool("stopwatch", Stopwatch)

    def running_countdowns(self, now: float) -> list[tuple[int, Countdown]]:
        """``(step index, countdown)`` of every countdown running at ``now``."""
        found = []
        for name, tool in self._tools.items():
            if isinstance(tool, Countdown) and tool.running(now):
                found.append((int(name.rsplit("-", 1)[1]), tool))
        return found

    def any_running(self, now: float) -> bool:
        """True while any tool runs (the idle reset waits for it, the screen ticks)."""
        return any(tool.running(now) for tool in self._tools.values())

    def clear(self) -> None:
        """Forget every tool (home, another card, idle reset)."""
        self._tools.clear()
