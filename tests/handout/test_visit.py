"""The UI's side of printing and the handover record (kiosk.handout.visit), no Textual."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.deck import Deck
from kiosk.handout.printing import PrintResult
from kiosk.handout.visit import VisitHandout
from kiosk.site import Site
from kiosk.strings import Strings

pytestmark = [pytest.mark.data]

WALL_START = dt.datetime(2026, 12, 1, 14, 2, 0)


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now

    def wall(self) -> dt.datetime:
        return WALL_START + dt.timedelta(seconds=self.now - 500.0)


class Beat:
    def __init__(self) -> None:
        self.started_at: float | None = None
        self.stopped_at: float | None = None

    def running(self, now: float) -> bool:
        return self.started_at is not None and self.stopped_at is None


def visit(deck: Deck, clock: Clock, printer: str = "") -> VisitHandout:
    return VisitHandout(Site(name="Pharmacy", printer=printer), deck, clock, clock.wall)


def test_a_countdown_that_ran_out_stopped_at_its_end(deck: Deck) -> None:
    clock = Clock()
    handout = visit(deck, clock)
    card = deck.card("anaphylaxis", "en")
    assert card is not None
    step = next(n for n, s in enumerate(card.steps) if s.timer_seconds)
    seconds = card.steps[step].timer_seconds
    assert seconds
    handout.countdown_started(card, step)
    clock.now += seconds + 600  # long after it ended
    lines = handout.page("en").lines
    assert any("timer started 14:02, ran 5 min 0 s" in line for line in lines), lines


def test_the_cpr_beat_is_read_from_the_session_and_forgotten_once(deck: Deck) -> None:
    clock = Clock()
    handout = visit(deck, clock)
    beat = Beat()
    handout.cpr_source = lambda: beat
    assert not handout.has_something()
    clock.now += 60
    beat.started_at = clock.now  # 14:03
    clock.now += 90
    assert handout.has_something()
    assert "CPR: started 14:03, still going: 1 min 30 s so far" in handout.page("en").lines
    beat.stopped_at = clock.now
    clock.now += 300
    assert "CPR: started 14:03, went on for 1 min 30 s" in handout.page("en").lines
    assert len(handout.record.events) == 1  # one run, one line
    handout.forget()
    assert not handout.has_something()  # the beat's state stays in the session; cleared here
    beat.started_at, beat.stopped_at = clock.now, None  # a new run after the reset counts
    assert handout.has_something()


def test_staff_lines_name_the_printer_and_the_last_fault(deck: Deck) -> None:
    strings = Strings("en")
    assert visit(deck, Clock()).staff_lines(strings) == [
        "Printer: none (no printer in the site file)"
    ]
    handout = visit(deck, Clock(), printer="escpos-net:192.0.2.7")
    assert handout.printer_named
    assert "No print job since the kiosk started" in handout.staff_lines(strings)
    handout.note_result(PrintResult("out-of-paper", "…", "receipt printer: out of paper"))
    assert "Last job FAILED (out-of-paper): receipt printer: out of paper" in handout.staff_lines(
        strings
    )


def test_listeners_hear_every_change(deck: Deck) -> None:
    clock = Clock()
    handout = visit(deck, clock)
    heard: list[int] = []
    handout.listeners.append(lambda: heard.append(1))
    card = deck.card("seizure", "en")
    assert card is not None
    handout.stopwatch_started(card)
    handout.stopwatch_stopped(card)
    handout.forget()
    assert len(heard) == 3
