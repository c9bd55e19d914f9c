"""The timed tools on a card page: countdowns, the seizure stopwatch, and their collection.

No Textual here: the card screen asks these objects what to show on each tick, and
tests drive them with a fake clock. A tool reads the time it is given (``now``, from
the session's injected clock); it never asks the system clock itself.

:class:`CardTools` is what the open card owns: every tool started on that card, kept
while the visitor moves between its pages, dropped when they go home, open another card
or the kiosk resets after being idle. To add a tool (a second-dose countdown): write a
class with ``running(now)``, get it with :meth:`CardTools.tool`, and it is counted by
:meth:`CardTools.any_running` (which keeps the idle reset away).

The CPR beat (:class:`CprTool`, ``tools.cpr``) is the one tool that is not the card's: it
belongs to the visitor and outlives pages, cards, Home and the idle reset; only its Stop
button ends it. A card opened from a step's ``opens`` button (the resuscitation card from
"not breathing?") puts the tools of the card it came from aside (:meth:`CardTools.push`)
and gets them back on Back (:meth:`CardTools.pop`): a running seizure stopwatch is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Protocol, TypeVar

if TYPE_CHECKING:  # the beat's module is imported when CPR first starts (issue 19)
    from kiosk.voice.cpr import CprBeat

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


@dataclass
class CprTool:
    """The CPR beat's state: when it started and stopped on the app's clock.

    ``beat`` pins :class:`~kiosk.voice.cpr.CprRhythm` to ``started_at``: the visual beat
    and the audible tick (``VoiceService.start_cpr(language, started_at=...)``) both read
    their position from it, so they share one timebase.
    """

    started_at: float | None = None
    stopped_at: float | None = None

    def start(self, now: float) -> None:
        self.started_at = now
        self.stopped_at = None

    def stop(self, now: float) -> None:
        if self.running(now):
            self.stopped_at = now

    def running(self, now: float | None = None) -> bool:
        return self.started_at is not None and self.stopped_at is None

    def elapsed(self, now: float) -> float:
        """Seconds since CPR started (to the stop, once stopped); 0 before any start."""
        if self.started_at is None:
            return 0.0
        end = self.stopped_at if self.stopped_at is not None else now
        return max(0.0, end - self.started_at)

    @property
    def beat(self) -> CprBeat | None:
        """The running schedule, or None while stopped."""
        if self.started_at is None or self.stopped_at is not None:
            return None
        from kiosk.voice.cpr import GUIDELINE_RHYTHM, CprBeat

        return CprBeat(self.started_at, GUIDELINE_RHYTHM)


ToolT = TypeVar("ToolT", bound=TimedTool)


class CardTools:
    """Every timed tool of the open card, by name (``"countdown-2"``, ``"stopwatch"``)."""

    def __init__(self) -> None:
        self._tools: dict[str, TimedTool] = {}
        self._set_aside: list[dict[str, TimedTool]] = []
        self.cpr = CprTool()

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
        """True while any tool runs, the CPR beat and set-aside tools included (the idle
        reset waits for them, the screen ticks)."""
        groups = [self._tools, *self._set_aside]
        return self.cpr.running(now) or any(
            tool.running(now) for group in groups for tool in group.values()
        )

    def push(self) -> None:
        """Put this card's tools aside for a card opened from one of its steps."""
        self._set_aside.append(self._tools)
        self._tools = {}

    def pop(self) -> None:
        """Back to the card the visitor came from: its tools again (this card's dropped)."""
        self._tools = self._set_aside.pop() if self._set_aside else {}

    def clear(self) -> None:
        """Forget every card tool (home, another card, idle reset); the CPR beat runs on
        until its Stop button is tapped."""
        self._tools.clear()
        self._set_aside.clear()
