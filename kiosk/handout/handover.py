"""The handover slip for the ambulance crew: what the timers recorded, in memory only.

The visitor's session feeds a :class:`HandoverRecord` as things happen (a tool started or
stopped, a step shown); :meth:`HandoverRecord.page` turns it into the lines of the
"For the ambulance" page in the visitor's language, e.g. "Seizure: started 14:02, lasted
6 min 10 s". Nothing here is written to disk or to the log: the record lives as long as
the session object holds it, and :meth:`HandoverRecord.clear` (at the idle reset, or a
tap on Clear) forgets it.

Clock times come from the injected :class:`Clock`'s wall clock; durations from its
monotonic clock, so a wall clock set while a seizure is being timed (NTP arriving on a Pi
with no real-time clock) cannot make a duration wrong or negative.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Protocol

from kiosk.deck.model import Card, Deck, Urgency
from kiosk.strings import Strings


class Tool(str, Enum):
    """The timed tools a step can carry (``kiosk.deck.model.Step``)."""

    STOPWATCH = "stopwatch"  # the seizure stopwatch
    CPR_BEAT = "cpr_beat"  # the CPR metronome
    COUNTDOWN = "countdown"  # a step's timer_seconds: a wait before a second dose, a hold


class Clock(Protocol):
    def wall(self) -> dt.datetime: ...

    def monotonic(self) -> float: ...


class SystemClock:
    """The real clocks: local wall time, and ``time.monotonic``."""

    def wall(self) -> dt.datetime:
        return dt.datetime.now()

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock for tests and demos: it moves only when told (:meth:`advance`)."""

    def __init__(self, start: dt.datetime) -> None:
        self._start = start
        self._elapsed = 0.0

    def advance(self, seconds: float) -> None:
        self._elapsed += seconds

    def wall(self) -> dt.datetime:
        return self._start + dt.timedelta(seconds=self._elapsed)

    def monotonic(self) -> float:
        return self._elapsed


@dataclass(frozen=True)
class TimedEvent:
    """One run of a tool: started at ``started_at`` (wall clock), stopped or still running.

    ``started``/``stopped`` are the monotonic clock's readings; ``stopped`` is None while
    the tool runs. ``step_index`` is the 0-based index of the step in ``card.steps``.
    """

    tool: Tool
    card_id: str
    step_index: int
    started_at: dt.datetime
    started: float
    stopped: float | None = None

    def seconds(self, now: float) -> float:
        end = now if self.stopped is None else self.stopped
        return max(0.0, end - self.started)


@dataclass
class HandoverRecord:
    """What happened in one visitor's session, for the crew. Mutable; memory only.

    Feed it with :meth:`started`, :meth:`stopped` and :meth:`reached`; read it with
    :meth:`page`. Every method is cheap and never raises on odd input (a stop with no
    start is ignored), so a timer's handler can call it without a guard.
    """

    clock: Clock = field(default_factory=SystemClock)
    events: list[TimedEvent] = field(default_factory=list)
    #: The furthest step index shown, per card id, in the order the cards were opened.
    reached_steps: dict[str, int] = field(default_factory=dict)

    def started(self, tool: Tool, card_id: str, step_index: int) -> None:
        """A tool started (or restarted: the run before it on that step ends now)."""
        self.stopped(tool, card_id, step_index)
        now = self.clock.monotonic()
        self.events.append(TimedEvent(tool, card_id, step_index, self.clock.wall(), now))
        self.reached(card_id, step_index)

    def stopped(self, tool: Tool, card_id: str, step_index: int) -> None:
        """The running tool on that step stopped (or its countdown ran out)."""
        for n in range(len(self.events) - 1, -1, -1):
            event = self.events[n]
            if (event.tool, event.card_id, event.step_index) == (tool, card_id, step_index):
                if event.stopped is None:
                    self.events[n] = replace(event, stopped=self.clock.monotonic())
                return

    def reached(self, card_id: str, step_index: int) -> None:
        """The visitor was shown step ``step_index`` of the card."""
        self.reached_steps[card_id] = max(step_index, self.reached_steps.get(card_id, -1))

    def clear(self) -> None:
        """Forget everything (the idle reset, or a tap on Clear)."""
        self.events.clear()
        self.reached_steps.clear()

    def has_timed_events(self, deck: Deck) -> bool:
        """True when the page has something for the crew: show its button only then."""
        return any(self._counts(event, deck) for event in self.events)

    def page(self, deck: Deck, language: str) -> HandoverPage:
        """The "For the ambulance" page in ``language`` as it stands now."""
        strings = Strings(language)
        now = self.clock.monotonic()
        wall_now = self.clock.wall()
        lines: list[str] = []
        for card_id in self._card_order():
            card = deck.card(card_id, language)
            if card is None:
                continue
            events = [e for e in self.events if e.card_id == card_id and self._counts(e, deck)]
            lines += [_event_line(e, card, strings, now) for e in events]
            if events or card.urgency is Urgency.EMERGENCY:
                lines += _reached_line(card, self.reached_steps.get(card_id), strings)
        return HandoverPage(
            title=strings["handover.title"],
            now=strings.format("handover.now", time=clock_time(wall_now)),
            lines=tuple(lines) or (strings["handover.empty"],),
            footer=strings["handover.memory"],
        )

    def _card_order(self) -> list[str]:
        order = list(self.reached_steps)
        order += [e.card_id for e in self.events if e.card_id not in order]
        return list(dict.fromkeys(order))

    @staticmethod
    def _counts(event: TimedEvent, deck: Deck) -> bool:
        """Stopwatch and CPR always; a countdown only on an emergency card (not a stretch)."""
        if event.tool is not Tool.COUNTDOWN:
            return True
        card = deck.card(event.card_id, deck.default_language)
        return card is not None and card.urgency is Urgency.EMERGENCY


@dataclass(frozen=True)
class HandoverPage:
    """What the page shows: a title, the time now, one line per fact, a privacy note."""

    title: str
    now: str
    lines: tuple[str, ...]
    footer: str


def clock_time(moment: dt.datetime) -> str:
    """24-hour "14:02", as both the kiosk's languages write it."""
    return moment.strftime("%H:%M")


def duration_text(seconds: float, strings: Strings) -> str:
    """ "6 min 10 s", "45 s", "1 h 5 min" in the language of ``strings``."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return strings.format("handover.duration.h_min", h=hours, min=minutes)
    if minutes:
        return strings.format("handover.duration.min_s", min=minutes, s=secs)
    return strings.format("handover.duration.s", s=secs)


def _event_line(event: TimedEvent, card: Card, strings: Strings, now: float) -> str:
    running = event.stopped is None
    key = {Tool.STOPWATCH: "stopwatch", Tool.CPR_BEAT: "cpr", Tool.COUNTDOWN: "countdown"}
    label = card.label
    if event.tool is Tool.COUNTDOWN and 0 <= event.step_index < len(card.steps):
        label = card.steps[event.step_index].timer_label or card.label
    return strings.format(
        f"handover.{key[event.tool]}" + (".running" if running else ""),
        label=label,
        start=clock_time(event.started_at),
        duration=duration_text(event.seconds(now), strings),
    )


def _reached_line(card: Card, step_index: int | None, strings: Strings) -> list[str]:
    if step_index is None or not 0 <= step_index < len(card.steps):
        return []
    return [
        strings.format(
            "handover.reached",
            n=step_index + 1,
            total=len(card.steps),
            text=card.steps[step_index].text,
        )
    ]
