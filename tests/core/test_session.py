"""The visitor session and the timed tools, without Textual: a fake clock moves them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.deck import load_deck
from kiosk.session import (
    IDLE_HELD_RECHECK_SECONDS,
    CardPlace,
    ErrorWindow,
    IdlePhase,
    IdleState,
    Knocks,
    Session,
    card_pages,
)
from kiosk.site import Site
from kiosk.tools import STOPWATCH_ALERT_SECONDS, CardTools, Countdown, Stopwatch, clock_text
from tests.support.clock import FakeClock

pytestmark = pytest.mark.data

CARDS = Path(__file__).resolve().parents[1] / "app" / "fixtures" / "cards"
SITE = Site(idle_timeout_seconds=90, default_language="en")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(clock: FakeClock) -> Session:
    return Session(load_deck(CARDS).deck, SITE, clock)


def test_starts_with_the_site_defaults(clock: FakeClock) -> None:
    site = replace(SITE, default_language="uk", text_size="large", theme="light")
    session = Session(load_deck(CARDS).deck, site, clock)
    assert (session.language, session.text_size, session.theme) == ("uk", "large", "light")
    assert session.place is None


def test_unknown_defaults_fall_back(clock: FakeClock) -> None:
    site = replace(SITE, default_language="xx", text_size="huge", theme="neon")
    session = Session(load_deck(CARDS).deck, site, clock)
    assert (session.language, session.text_size, session.theme) == ("en", "normal", "dark")


def test_language_text_size_and_theme_cycle(session: Session) -> None:
    session.next_language()
    assert session.language == "uk"
    session.next_language()
    assert session.language == "en"
    session.step_text_size(1)
    session.step_text_size(1)
    session.step_text_size(1)
    assert session.text_size == "extra-large", "+ stops at the largest"
    session.step_text_size(1, wrap=True)
    assert session.text_size == "normal", "the button wraps round"
    session.step_text_size(-1)
    assert session.text_size == "normal", "- stops at normal (it never wraps)"
    for expected in ("light", "high-contrast", "dark"):
        session.next_theme()
        assert session.theme == expected


def test_pages_of_a_card_and_paging(session: Session) -> None:
    assert session.open_card("leg-cramp")
    assert session.place == CardPlace("leg-cramp", "en", 0)
    kinds = [page.kind for page in session.pages]
    assert kinds[:2] == ["step", "step"] and kinds[-1] == "sources" and "info" in kinds
    assert not session.previous_page(), "back from the first page means home"
    while session.next_page():
        pass
    assert session.on_last_page and session.page is not None and session.page.kind == "sources"
    assert not session.next_page()
    assert session.previous_page()
    assert not session.open_card("no-such-card")


def test_card_pages_skip_empty_sections(session: Session) -> None:
    card = session.deck.card("seizure", "en")
    assert card is not None
    pages = card_pages(replace(card, prevention=()))
    assert "prevention" not in [page.section for page in pages]


def test_tools_belong_to_the_open_card(session: Session, clock: FakeClock) -> None:
    session.open_card("seizure")
    session.tools.stopwatch.start(clock())
    assert session.tools.any_running(clock())
    session.open_card("seizure")
    assert session.tools.any_running(clock()), "the same card again keeps its stopwatch"
    session.open_card("leg-cramp")
    assert not session.tools.any_running(clock()), "another card drops them"
    session.tools.countdown(1, 30).start(clock())
    session.close_card()
    assert not session.tools.any_running(clock()), "home drops them"


def test_idle_reset_warns_first_and_waits_for_running_tools(
    session: Session, clock: FakeClock
) -> None:
    session.next_language()
    session.open_card("seizure")
    clock.advance(69)
    assert session.idle_check() == IdleState(IdlePhase.ACTIVE, pytest.approx(1))
    session.note_input()
    clock.advance(69)
    assert session.idle_check().phase is IdlePhase.ACTIVE, "input starts the wait again"
    clock.advance(1)
    assert session.idle_check() == IdleState(IdlePhase.WARNING, pytest.approx(20))
    session.note_input()
    assert session.idle_check().phase is IdlePhase.ACTIVE, "input ends the warning"
    session.tools.stopwatch.start(clock())
    clock.advance(600)
    assert session.idle_check() == IdleState(IdlePhase.HELD, IDLE_HELD_RECHECK_SECONDS)
    session.tools.stopwatch.stop(clock())
    assert session.idle_check() == IdleState(IdlePhase.WARNING, pytest.approx(20)), (
        "a full warning even when the timeout passed long ago"
    )
    clock.advance(20)
    assert session.idle_check().phase is IdlePhase.DUE
    session.reset()
    assert session.place is None and session.language == "en"
    assert not session.any_tool_running(clock())
    assert session.idle_check().phase is IdlePhase.ACTIVE, "a new visitor gets a full timeout"


def test_a_short_timeout_still_warns_for_twenty_seconds(clock: FakeClock) -> None:
    session = Session(load_deck(CARDS).deck, Site(idle_timeout_seconds=15), clock)
    clock.advance(7.4)
    assert session.idle_check().phase is IdlePhase.ACTIVE
    clock.advance(0.1)  # half the timeout
    assert session.idle_check() == IdleState(IdlePhase.WARNING, pytest.approx(20))
    clock.advance(20)
    assert session.idle_check().phase is IdlePhase.DUE


def test_an_untouched_timer_holds_the_reset_only_up_to_the_site_limit(clock: FakeClock) -> None:
    site = Site(idle_timeout_seconds=90, idle_timer_limit_minutes=15)
    session = Session(load_deck(CARDS).deck, site, clock)
    session.open_card("seizure")
    session.tools.stopwatch.start(clock())
    clock.advance(15 * 60 - 1)
    assert session.tools_hold_idle(clock())
    assert session.idle_check().phase is IdlePhase.HELD
    clock.advance(1)
    assert not session.tools_hold_idle(clock())
    assert session.idle_check().phase is IdlePhase.WARNING
    session.note_input()
    assert session.tools_hold_idle(clock()), "input: the stopwatch holds it again"


def test_reset_restores_the_theme_and_text_size(session: Session) -> None:
    session.next_theme()
    session.step_text_size(1)
    session.reset()
    assert (session.theme, session.text_size) == ("dark", "normal")


def test_staff_knocks_must_come_close_together(clock: FakeClock) -> None:
    knocks = Knocks(3, 3.0, clock)
    assert not knocks.knock()
    clock.advance(2)
    assert not knocks.knock()
    clock.advance(2)
    assert not knocks.knock(), "the first knock is 4 s old"
    clock.advance(0.5)
    assert knocks.knock()
    assert not knocks.knock(), "a sequence starts again after it opened"


def test_error_window(clock: FakeClock) -> None:
    errors = ErrorWindow(clock, limit=3, window=30)
    assert not errors.too_many()
    assert not errors.too_many()
    clock.advance(31)
    assert not errors.too_many(), "the first two are out of the window"
    assert not errors.too_many()
    assert errors.too_many(), "three within 30 s"


def test_countdown_reads_its_clock() -> None:
    countdown = Countdown(30)
    assert countdown.text_up(0) == "0:30" and not countdown.running(0)
    countdown.start(100)
    assert countdown.text_up(103.5) == "0:27" and countdown.running(103.5)
    assert countdown.done(130) and not countdown.running(130)


def test_stopwatch_alerts_at_five_minutes_until_dismissed() -> None:
    stopwatch = Stopwatch()
    stopwatch.start(0)
    assert not stopwatch.alerting(STOPWATCH_ALERT_SECONDS - 1)
    assert stopwatch.alerting(STOPWATCH_ALERT_SECONDS)
    stopwatch.alert_dismissed = True
    assert not stopwatch.alerting(STOPWATCH_ALERT_SECONDS + 1)
    stopwatch.start(1000)
    assert stopwatch.alerting(1000 + STOPWATCH_ALERT_SECONDS), "a restart alerts again"
    stopwatch.stop(1100 + STOPWATCH_ALERT_SECONDS)
    assert clock_text(stopwatch.elapsed(5000)) == "6:40"


def test_a_new_kind_of_tool_counts_as_running() -> None:
    class Beat:
        def running(self, now: float) -> bool:
            return True

    tools = CardTools()
    assert tools.tool("cpr", Beat) is tools.tool("cpr", Beat)
    assert tools.any_running(0)
    tools.clear()
    assert not tools.any_running(0)


def test_a_running_cpr_beat_holds_the_idle_reset_past_the_timer_limit(clock: FakeClock) -> None:
    """Rescuers giving CPR do not touch the screen: the beat is never sent home."""
    site = Site(idle_timeout_seconds=90, idle_timer_limit_minutes=15)
    session = Session(load_deck(CARDS).deck, site, clock)
    session.tools.cpr.start(clock())
    clock.advance(60 * 60)
    assert session.any_tool_running(clock())
    assert session.idle_check().phase is IdlePhase.HELD
    assert not session.idle_overdue(clock(), grace=10)
    session.tools.cpr.stop(clock())
    assert session.idle_check().phase is IdlePhase.WARNING
