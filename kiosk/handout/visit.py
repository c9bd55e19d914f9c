"""What the kiosk's UI needs from printing and the handover record, for one visitor.

No Textual here. The app owns one :class:`VisitHandout`: it holds the visitor's
:class:`~kiosk.handout.handover.HandoverRecord` (memory only), the site's
:class:`~kiosk.handout.printing.Printing` (None without a printer) and the last print
result for the staff screen. The card screen tells it when a tool starts or stops and
which step is shown; the idle reset calls :meth:`VisitHandout.forget`.

The CPR beat's running state belongs to the session (card-screen's
``session.tools.cpr``, with ``started_at``/``stopped_at`` on the session clock and
``running(now)``). It is read through :attr:`VisitHandout.cpr_source`, a callable the app
sets; until the beat lands it returns None, and tests give it a fake.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Optional, Protocol

from kiosk.deck.model import Card, Deck
from kiosk.handout.handover import HandoverPage, HandoverRecord, TimedEvent, Tool
from kiosk.site import Site
from kiosk.strings import Strings

if TYPE_CHECKING:  # kiosk.handout.printing is imported only where a printer is named
    from kiosk.handout.printing import Printing, PrintResult


class CprState(Protocol):
    """The CPR beat's session-held state (the card-screen contract, SESSION2.md)."""

    started_at: float | None
    stopped_at: float | None

    def running(self, now: float) -> bool: ...


CprSource = Callable[[], Optional[CprState]]


def no_cpr_beat() -> CprState | None:
    """The CPR source until the beat is wired (kiosk/app.py)."""
    return None


class SessionClock:
    """The handover's clock: the session's monotonic clock and the wall clock.

    Durations come from ``monotonic`` (the app's injected clock, a FakeClock in tests),
    clock times from ``wall`` (``datetime.now``; a test passes its own).
    """

    def __init__(
        self, monotonic: Callable[[], float], wall: Callable[[], dt.datetime] = dt.datetime.now
    ) -> None:
        self._monotonic = monotonic
        self._wall = wall

    def monotonic(self) -> float:
        return self._monotonic()

    def wall(self) -> dt.datetime:
        return self._wall()

    def wall_at(self, reading: float) -> dt.datetime:
        """The wall time at an earlier ``monotonic`` reading."""
        return self.wall() - dt.timedelta(seconds=max(0.0, self.monotonic() - reading))


class VisitHandout:
    """The handover record, the printer and the last print fault, as the UI uses them."""

    def __init__(
        self,
        site: Site,
        deck: Deck,
        monotonic: Callable[[], float],
        wall: Callable[[], dt.datetime] = dt.datetime.now,
        *,
        printing: Printing | None = None,
    ) -> None:
        self.site = site
        self.deck = deck
        self.clock = SessionClock(monotonic, wall)
        self.record = HandoverRecord(clock=self.clock)
        if printing is None and site.printer:
            from kiosk.handout.printing import Printing

            printing = Printing(site, clock=self.clock)
        self.printing = printing
        self.cpr_source: CprSource = no_cpr_beat
        #: The last print's result (for the staff screen); None before the first job.
        self.last_result: PrintResult | None = None
        self._setup_problem: str | None = None
        self._setup_checked = False
        self._cpr_forgotten: float | None = None  # a run started at or before: cleared
        #: Called after the record changes (the card screen's buttons follow it).
        self.listeners: list[Callable[[], None]] = []

    def changed(self) -> None:
        """Tell the widgets the record changed (also for the CPR beat's start and stop)."""
        for listener in list(self.listeners):
            listener()

    # -- printing ------------------------------------------------------------------------

    @property
    def printer_named(self) -> bool:
        """The site file names a printer."""
        return self.printing is not None and self.printing.configured

    def setup_problem(self) -> str | None:
        """Why a named printer cannot work here (the extra or the font missing); cached."""
        if not self._setup_checked and self.printing is not None:
            self._setup_problem = self.printing.setup_problem()
            self._setup_checked = True
        return self._setup_problem

    @property
    def can_print(self) -> bool:
        """Show the Print button: a printer is named and everything it needs is there."""
        return self.printer_named and self.setup_problem() is None

    def note_result(self, result: PrintResult) -> None:
        self.last_result = result

    def staff_lines(self, strings: Strings) -> list[str]:
        """The staff screen's printer block: the printer, and the fault if any."""
        if self.printing is None or not self.printer_named:
            return [strings["staff.printer.none"]]
        lines = [strings.format("staff.printer.name", value=self.site.printer)]
        problem = self.setup_problem()
        if problem is not None:
            lines.append(strings.format("staff.printer.problem", reason=problem))
        result = self.last_result
        if result is None:
            lines.append(strings["staff.printer.no_jobs"])
        elif result.ok:
            lines.append(strings.format("staff.printer.last_ok", reason=result.staff))
        else:
            lines.append(
                strings.format("staff.printer.last_fault", code=result.code, reason=result.staff)
            )
        return lines

    # -- the handover record -------------------------------------------------------------

    def tool_started(self, tool: Tool, card_id: str, step_index: int) -> None:
        self.record.started(tool, card_id, step_index)
        self.changed()

    def tool_stopped(self, tool: Tool, card_id: str, step_index: int) -> None:
        self.record.stopped(tool, card_id, step_index)
        self.changed()

    def stopwatch_started(self, card: Card) -> None:
        """The card screen's stopwatch button started it (a restart ends the run before)."""
        self.tool_started(Tool.STOPWATCH, card.id, _stopwatch_step(card))

    def stopwatch_stopped(self, card: Card) -> None:
        self.tool_stopped(Tool.STOPWATCH, card.id, _stopwatch_step(card))

    def countdown_started(self, card: Card, step_index: int) -> None:
        self.tool_started(Tool.COUNTDOWN, card.id, step_index)

    def step_shown(self, card_id: str, step_index: int) -> None:
        self.record.reached(card_id, step_index)

    def has_something(self, card: Card | None = None) -> bool:
        """True when the "For the ambulance" page has times for the crew."""
        self._sync(card)
        return self.record.has_timed_events(self.deck)

    def page(self, language: str, card: Card | None = None) -> HandoverPage:
        """The "For the ambulance" page as it stands now, in ``language``."""
        self._sync(card)
        return self.record.page(self.deck, language)

    def forget(self) -> None:
        """The idle reset, or a tap on Clear: nothing of this visit is kept."""
        state = self.cpr_source()
        if state is not None and state.started_at is not None:
            self._cpr_forgotten = state.started_at
        self.record.clear()
        self.changed()

    # -- keeping the record in step with tools it does not see start and stop ------------

    def _sync(self, card: Card | None) -> None:
        self._settle_countdowns()
        self._sync_cpr(card)

    def _settle_countdowns(self) -> None:
        """A countdown that ran out stopped at its end (nobody taps it to stop)."""
        now = self.clock.monotonic()
        events = self.record.events
        for n, event in enumerate(events):
            if event.tool is not Tool.COUNTDOWN or event.stopped is not None:
                continue
            seconds = self._countdown_seconds(event)
            if seconds is not None and now - event.started >= seconds:
                events[n] = replace(event, stopped=event.started + seconds)

    def _countdown_seconds(self, event: TimedEvent) -> float | None:
        card = self.deck.card(event.card_id, self.deck.default_language)
        if card is None or not 0 <= event.step_index < len(card.steps):
            return None
        return card.steps[event.step_index].timer_seconds

    def _sync_cpr(self, card: Card | None) -> None:
        """Copy the session's CPR beat run into the record (one event per run)."""
        state = self.cpr_source()
        if state is None or state.started_at is None:
            return
        started = state.started_at
        if self._cpr_forgotten is not None and started <= self._cpr_forgotten:
            return
        events = self.record.events
        for n, event in enumerate(events):
            if event.tool is Tool.CPR_BEAT and event.started == started:
                events[n] = replace(event, stopped=state.stopped_at)
                return
        place = self._cpr_step(card)
        if place is None:
            return
        card_id, step_index = place
        wall = self.clock.wall_at(started)
        events.append(
            TimedEvent(Tool.CPR_BEAT, card_id, step_index, wall, started, state.stopped_at)
        )
        self.record.reached(card_id, step_index)

    def _cpr_step(self, card: Card | None) -> tuple[str, int] | None:
        """The card and step the beat belongs to: the open card's, else the deck's first."""
        candidates = [card] if card is not None else []
        default = self.deck.default_language
        candidates += [c for c in self.deck.cards.get(default, {}).values()]
        for candidate in candidates:
            for index, step in enumerate(candidate.steps):
                if step.cpr_beat:
                    return candidate.id, index
        return None


def _stopwatch_step(card: Card) -> int:
    """The index of the card's stopwatch step (a card has one at most)."""
    return next((n for n, step in enumerate(card.steps) if step.stopwatch), 0)
