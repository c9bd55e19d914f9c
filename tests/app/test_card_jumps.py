"""The card screen's jumps and the CPR beat, on the bundled deck, by what the screen shows.

- "Call emergency if" is one tap from every step of an emergency card, and Back returns
  to the step the visitor was on.
- A step's ``opens`` button opens that card at once; Back on its first page returns to
  the card and step the visitor came from; Home and the idle reset forget the way back.
- The CPR beat runs at 110 a minute (within 1%, counted from the frames drawn over five
  minutes of the injected clock), flashes under 3 times a second, shows the "2 breaths"
  pause, keeps going on other pages, cards and Home, holds off the idle reset, and stops
  only on Stop.
- A named countdown shows its ``timer_label`` and, at the end, its ``timer_done``.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button, Static

from kiosk.app import KioskApp, make_app
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.deck.model import Urgency
from kiosk.site import Site
from tests.support.clock import FakeClock
from tests.support.screen import widget_text

pytestmark = pytest.mark.ui

DECK = load_deck(bundled_cards_dir())
SITE = Site(name="Pool", emergency_number="112", idle_timeout_seconds=90)
SIZE = (80, 24)


def kiosk(clock: FakeClock) -> KioskApp:
    return make_app(DECK, SITE, clock=clock)


def step_index(card_id: str, field: str) -> int:
    card = DECK.deck.card(card_id, "en")
    assert card is not None
    return next(i for i, step in enumerate(card.steps) if getattr(step, field))


async def open_at_step(app: KioskApp, pilot: Any, card_id: str, step: int) -> None:
    app.action_open_card(card_id)
    await pilot.pause()
    for _ in range(step):
        await pilot.click("#next")
    await pilot.pause()
    assert app.session.page == app.session.pages[step]


def on_page(app: KioskApp) -> str:
    return widget_text(app)


async def test_call_emergency_if_from_every_step_and_back(clock: FakeClock) -> None:
    emergency = [
        cid
        for cid in DECK.deck.card_ids()
        if (card := DECK.deck.card(cid, "en")) is not None and card.urgency is Urgency.EMERGENCY
    ]
    assert "seizure" in emergency and "resuscitation" in emergency
    app = kiosk(clock)
    async with app.run_test(size=SIZE) as pilot:
        for card_id in emergency:
            card = DECK.deck.card(card_id, "en")
            assert card is not None
            app.action_open_card(card_id)
            await pilot.pause()
            for step in range(len(card.steps)):
                assert app.session.page_index == step
                button = app.screen.query_one("#call-if", Button)
                assert button.display and button.visible, (card_id, step)
                await pilot.click("#call-if")
                assert "Call emergency if" in on_page(app), (card_id, step)
                assert card.call_emergency_if[0] in on_page(app)
                await pilot.click("#back")
                assert app.session.page_index == step, "Back returns to the step"
                await pilot.click("#next")
            app.action_home()
            await pilot.pause()


async def test_no_call_button_on_a_self_care_card(clock: FakeClock) -> None:
    app = kiosk(clock)
    async with app.run_test(size=SIZE) as pilot:
        app.action_open_card("leg-cramp")
        await pilot.pause()
        assert not app.screen.query_one("#call-if", Button).display


async def test_the_call_button_is_in_the_nav_row_on_a_short_screen(clock: FakeClock) -> None:
    app = kiosk(clock)
    async with app.run_test(size=(36, 10)) as pilot:
        app.action_open_card("seizure")
        await pilot.pause()
        await pilot.click("#next")
        await pilot.click("#call-if-nav")
        assert "Call emergency if" in on_page(app)
        await pilot.click("#back")
        assert app.session.page_index == 1


async def test_opens_goes_to_the_card_and_back_returns(clock: FakeClock) -> None:
    app = kiosk(clock)
    async with app.run_test(size=SIZE) as pilot:
        step = step_index("seizure", "opens")
        app.action_open_card("seizure")
        await pilot.pause()
        await pilot.click("#stopwatch-start")  # the seizure is being timed
        await open_at_step(app, pilot, "seizure", 0)
        for _ in range(step):
            await pilot.click("#next")
        opens = app.screen.query_one("#opens", Button)
        assert "Not breathing: CPR" in str(opens.label)
        await pilot.click("#opens")
        assert app.session.card is not None and app.session.card.id == "resuscitation"
        assert "Step 1 of" in on_page(app)
        await pilot.click("#back")
        assert app.session.card is not None and app.session.card.id == "seizure"
        assert app.session.page_index == step, "Back returns to the step the visitor was on"
        assert app.session.tools.stopwatch.running(clock()), "the seizure stopwatch ran on"


async def test_home_and_the_idle_reset_forget_the_way_back(clock: FakeClock) -> None:
    app = kiosk(clock)
    async with app.run_test(size=SIZE) as pilot:
        step = step_index("choking", "opens")
        await open_at_step(app, pilot, "choking", step)
        await pilot.click("#opens")
        assert app.session.card_stack
        await pilot.click("#home-button")
        assert app.session.card is None and not app.session.card_stack
        await open_at_step(app, pilot, "choking", step)
        await pilot.click("#opens")
        clock.advance(SITE.idle_timeout_seconds + 1)
        assert not app.check_idle_reset(), "the idle warning first"
        clock.advance(20)
        assert app.check_idle_reset()
        assert app.session.card is None and not app.session.card_stack


async def start_cpr(app: KioskApp, pilot: Any) -> None:
    await open_at_step(app, pilot, "resuscitation", step_index("resuscitation", "cpr_beat"))
    await pilot.click("#cpr-toggle")
    assert app.session.tools.cpr.running(app.session.clock())


@pytest.mark.slow
async def test_the_cpr_beat_is_110_a_minute_over_five_minutes(clock: FakeClock) -> None:
    """Frames are sampled every 20 ms of the injected clock for five minutes; the count
    shown changes at each compression. Within each set of 30 the rate is measured from
    the first compression drawn to the last; pooled, it must be 110 a minute within 1%."""
    app = kiosk(clock)
    async with app.run_test(size=SIZE) as pilot:
        await start_cpr(app, pilot)
        panel = app.screen.query_one("#cpr-beat")
        pulse = app.screen.query_one("#cpr-pulse", Static)
        started = clock.now
        frame_seconds = 0.02
        shown: str | None = None
        onsets: list[list[float]] = [[]]
        flashes: list[float] = []
        lit = False
        breaths_seen = 0
        for _ in range(int(5 * 60 / frame_seconds)):
            clock.advance(frame_seconds)
            panel.show()  # what the widget's own wake-up timer does
            text = str(pulse.render())
            now = clock.now - started
            if text != shown:
                if text == "2 BREATHS":
                    breaths_seen += 1
                    onsets.append([])
                elif text.split(" / ")[0].isdigit():
                    onsets[-1].append(now)
                shown = text
            if pulse.has_class("-lit") and not lit:
                flashes.append(now)
            lit = pulse.has_class("-lit")
        beats = sum(len(group) - 1 for group in onsets if len(group) > 1)
        span = sum(group[-1] - group[0] for group in onsets if len(group) > 1)
        rate = 60 * beats / span
        assert abs(rate - 110) / 110 < 0.01, f"{rate:.2f} a minute"
        assert breaths_seen >= 13, "a breath pause after every 30 (5 min / 21.4 s a set)"
        assert all(len(group) <= 30 for group in onsets)
        assert max(len(g) for g in onsets) == 30, "the count runs 1 to 30"
        per_second = [sum(1 for t in flashes if s <= t < s + 1) for s in range(299)]
        assert max(per_second) < 3, "no more than 2 flashes in any second (under 3 Hz)"


async def test_the_cpr_beat_never_stops_by_itself(clock: FakeClock) -> None:
    app = kiosk(clock)
    async with app.run_test(size=SIZE) as pilot:
        await start_cpr(app, pilot)
        started_at = app.session.tools.cpr.started_at
        await pilot.click("#next")
        clock.advance(65)
        app.screen.refresh_timers()  # type: ignore[attr-defined]
        running = app.screen.query_one("#running", Static)
        assert running.display and "CPR 1:05" in str(running.render())
        # another card, then an hour without a tap: the idle reset waits
        app.action_open_card("seizure")
        await pilot.pause()
        clock.advance(3600)
        assert not app.check_idle_reset()
        assert app.session.card is not None
        # Home does not stop it either, nor the session's reset itself
        app.action_home()
        app.session.reset()
        assert app.session.tools.cpr.running(clock())
        assert app.session.tools.cpr.started_at == started_at, "one start time throughout"
        # only Stop ends it
        await open_at_step(app, pilot, "resuscitation", step_index("resuscitation", "cpr_beat"))
        assert "Stop beat" in str(app.screen.query_one("#cpr-toggle", Button).label)
        await pilot.click("#cpr-toggle")
        assert not app.session.tools.cpr.running(clock())
        clock.advance(SITE.idle_timeout_seconds + 1)
        assert not app.check_idle_reset(), "the idle warning first"
        clock.advance(20)
        assert app.check_idle_reset()


async def test_a_named_countdown_shows_its_label_and_its_end(clock: FakeClock) -> None:
    card = DECK.deck.card("anaphylaxis", "en")
    assert card is not None
    step = next(i for i, s in enumerate(card.steps) if s.timer_label)
    timed = card.steps[step]
    assert timed.timer_seconds is not None
    app = kiosk(clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_at_step(app, pilot, "anaphylaxis", step)
        label = app.screen.query_one("#countdown-label", Static)
        assert timed.timer_label in str(label.render())
        await pilot.click("#countdown-start")
        clock.advance(timed.timer_seconds + 1)
        app.screen.refresh_timers()  # type: ignore[attr-defined]
        assert str(label.render()) == timed.timer_done


async def test_space_presses_the_focused_button_on_a_card(clock: FakeClock) -> None:
    app = kiosk(clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_at_step(app, pilot, "resuscitation", step_index("resuscitation", "cpr_beat"))
        assert app.focused is not None and app.focused.id == "cpr-toggle"
        page = app.session.page_index
        await pilot.press("space")
        assert app.session.page_index == page, "Space did not turn the page"
        assert app.session.tools.cpr.running(clock())
