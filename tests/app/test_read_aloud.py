"""Read aloud on the card screen, with the fake voice service (tests/support/voice.py).

What a visitor would notice: a tap on Read aloud says the step shown and then every next
step as it appears, in the visitor's language; Repeat and Stop; the idle reset turns it
off; the alarms are said; a hidden site voice shows no control.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

import pytest
from textual.widgets import Button

from kiosk.app import KioskApp, make_app
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.deck.model import LoadResult
from kiosk.screens.home import HomeScreen
from tests.app.conftest import SITE
from tests.support.screen import widget_text
from tests.support.voice import voice_ready, wait_until

pytestmark = [pytest.mark.ui]

SIZE = (80, 24)


@pytest.fixture(scope="module")
def bundled() -> LoadResult:
    return load_deck(bundled_cards_dir())


@pytest.fixture
def build_bundled(bundled, clock):
    def factory(**site_fields: object) -> KioskApp:
        return make_app(bundled, replace(SITE, **site_fields), clock=clock)

    return factory


def steps_of(app: KioskApp, card_id: str, language: str) -> int:
    card = app.deck.card(card_id, language)
    assert card is not None
    return len(card.steps)


def shown(app: KioskApp, selector: str) -> bool:
    """The widget is on screen (displayed, and every parent too)."""
    widget = app.screen.query_one(selector)
    return widget.display and all(node.display for node in widget.ancestors_with_self[:-1])


async def open_card(app: KioskApp, pilot, card_id: str) -> None:
    app.action_open_card(card_id)
    await pilot.pause()


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("card_id", ["seizure", "resuscitation"])
async def test_a_tap_reads_step_one_then_each_next_step(
    build_bundled, card_id: str, language: str
) -> None:
    app = build_bundled(default_language=language)
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, card_id)
        assert voice.said == []  # off until the visitor asks
        label = "Read aloud: off" if language == "en" else "Читати вголос: вимк."
        assert label in widget_text(app)
        await pilot.click("#read-aloud")
        on_label = "Read aloud: on" if language == "en" else "Читати вголос: увімк."
        assert on_label in widget_text(app)
        total = steps_of(app, card_id, language)
        for _ in range(total - 1):
            await pilot.click("#next")
        expected = [("step", card_id, n, language) for n in range(1, total + 1)]
        assert voice.said == expected
        await pilot.click("#next")  # the first information page: heading and items
        kind, said_card, section, said_language = voice.said[-1]
        assert (kind, said_card, said_language) == ("section", card_id, language)
        assert section == app.session.page.section
        await pilot.click("#back")
        assert voice.said[-1] == ("step", card_id, total, language)


async def test_repeat_says_it_again_and_stop_silences(build_bundled) -> None:
    app = build_bundled()
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "seizure")
        assert not shown(app, "#read-aloud-repeat") and not shown(app, "#read-aloud-stop")
        await pilot.click("#read-aloud")
        assert shown(app, "#read-aloud-repeat") and shown(app, "#read-aloud-stop")
        await pilot.click("#read-aloud-repeat")
        assert voice.said == [("step", "seizure", 1, "en"), ("repeat",)]
        voice.calls.clear()
        await pilot.click("#read-aloud-stop")
        assert voice.calls == ["stop"]
        await pilot.click("#read-aloud")  # off: silence, Repeat and Stop go
        assert voice.calls[-1] == "stop"
        assert not shown(app, "#read-aloud-repeat")
        await pilot.click("#next")
        assert voice.said == [("step", "seizure", 1, "en"), ("repeat",)]  # nothing new


async def test_language_change_on_a_card_reads_the_step_in_the_new_language(
    build_bundled,
) -> None:
    app = build_bundled()
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "seizure")
        await pilot.click("#read-aloud")
        app.action_cycle_language()
        await pilot.pause()
        assert voice.said[-1] == ("step", "seizure", 1, "uk")
        assert "Читати вголос: увімк." in widget_text(app)


async def test_idle_reset_turns_it_off_and_resets_the_voice(build_bundled, clock) -> None:
    app = build_bundled()
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "resuscitation")
        await pilot.click("#read-aloud")
        assert app.session.read_aloud
        clock.advance(SITE.idle_timeout_seconds - 19)
        assert not app.check_idle_reset()  # the "Still reading?" warning first
        await pilot.pause()
        assert ("alarm", "idle-warning", "en") in voice.said, "the warning is spoken"
        clock.advance(21)
        assert app.check_idle_reset()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert not app.session.read_aloud and "reset" in voice.calls
        said = list(voice.said)
        await open_card(app, pilot, "seizure")  # the next visitor: off, nothing said
        assert voice.said == said
        assert "Read aloud: off" in widget_text(app)


async def test_going_home_silences_it(build_bundled) -> None:
    app = build_bundled()
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "seizure")
        await pilot.click("#read-aloud")
        voice.calls.clear()
        await pilot.click("#home-button")
        assert isinstance(app.screen, HomeScreen) and voice.calls == ["stop"]
        await open_card(app, pilot, "choking")  # still on for this visitor
        assert voice.said[-1] == ("step", "choking", 1, "en")


async def test_site_voice_on_reads_from_the_first_step(build_bundled) -> None:
    app = build_bundled(voice="on")
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "seizure")
        assert voice.said == [("step", "seizure", 1, "en")]
        assert "Read aloud: on" in widget_text(app)


async def test_hidden_site_voice_shows_no_control_and_says_nothing(build_bundled) -> None:
    app = build_bundled(voice="hidden")
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "seizure")
        assert not shown(app, "#read-aloud-control")
        assert "Read aloud" not in widget_text(app)
        await pilot.click("#next")
        assert voice.said == []


async def test_voice_lost_later_hides_the_control_via_the_ui_thread(build_bundled) -> None:
    """The service's listener runs on its worker thread; the app hears of it safely."""
    app = build_bundled()
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "seizure")
        assert shown(app, "#read-aloud-control")
        worker = threading.Thread(target=voice.set_unavailable, args=("aplay: no sound card",))
        worker.start()
        await wait_until(pilot, lambda: not worker.is_alive())
        await wait_until(pilot, lambda: not shown(app, "#read-aloud-control"))
        await pilot.click("#next")  # the card still works
        assert "Step 2 of" in widget_text(app)


# -- alarms ----------------------------------------------------------------------------


async def start_stopwatch_and_wait_five_minutes(app: KioskApp, pilot, clock) -> None:
    await open_card(app, pilot, "seizure")
    await pilot.click("#stopwatch-start")
    clock.advance(5 * 60 + 1)
    app.card_screen.refresh_timers()
    app.read_aloud.poll()
    await pilot.pause()


async def test_the_five_minute_alert_is_said(build_bundled, clock) -> None:
    app = build_bundled()
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "seizure")
        await pilot.click("#read-aloud")
        await start_stopwatch_and_wait_five_minutes(app, pilot, clock)
        assert "Call emergency now" in widget_text(app) or "call" in widget_text(app).lower()
        assert voice.said.count(("alarm", "seizure-5min", "en")) == 1
        app.read_aloud.poll()  # said once, not on every look
        assert voice.said.count(("alarm", "seizure-5min", "en")) == 1


async def test_the_five_minute_alert_is_silent_when_read_aloud_is_off(build_bundled, clock) -> None:
    app = build_bundled()
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await start_stopwatch_and_wait_five_minutes(app, pilot, clock)
        assert voice.said == []


async def test_a_speaking_site_sounds_the_alert_even_after_read_aloud_is_turned_off(
    build_bundled, clock
) -> None:
    app = build_bundled(voice="on")
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "seizure")
        await pilot.click("#read-aloud")  # the visitor turns it off
        assert not app.session.read_aloud
        await start_stopwatch_and_wait_five_minutes(app, pilot, clock)
        assert voice.said[-1] == ("alarm", "seizure-5min", "en")


async def run_countdown_to_the_end(app: KioskApp, pilot, clock, card_id: str) -> int:
    """Open ``card_id`` at its first step with a timer, start it, let it end."""
    await open_card(app, pilot, card_id)
    card = app.session.card
    assert card is not None
    index = next(i for i, step in enumerate(card.steps) if step.timer_seconds)
    for _ in range(index):
        app.action_next_page()
    await pilot.pause()
    await pilot.click("#countdown-start")
    app.read_aloud.poll()
    clock.advance(card.steps[index].timer_seconds + 1)
    app.read_aloud.poll()
    await pilot.pause()
    return index + 1


async def test_the_end_of_a_stretch_is_said_only_with_read_aloud_on(build_bundled, clock) -> None:
    app = build_bundled()
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await run_countdown_to_the_end(app, pilot, clock, "leg-cramp")
        assert [s for s in voice.said if s[0] == "timer-done"] == []
        await open_card(app, pilot, "leg-cramp")
        await pilot.click("#read-aloud")
        step = await run_countdown_to_the_end(app, pilot, clock, "leg-cramp")
        assert voice.said[-1] == ("timer-done", "leg-cramp", step, "en")


async def test_the_second_dose_time_is_said_on_a_speaking_site(build_bundled, clock) -> None:
    app = build_bundled(voice="on")
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "anaphylaxis")
        await pilot.click("#read-aloud")  # off: an emergency card's timer still sounds
        step = await run_countdown_to_the_end(app, pilot, clock, "anaphylaxis")
        assert voice.said[-1] == ("timer-done", "anaphylaxis", step, "en")


async def test_the_idle_warning_hook_speaks_only_when_on(build_bundled) -> None:
    app = build_bundled()
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "seizure")
        app.read_aloud.idle_warning_shown()
        assert voice.said == []
        await pilot.click("#read-aloud")
        app.read_aloud.idle_warning_shown()
        assert voice.said[-1] == ("alarm", "idle-warning", "en")


# -- the CPR tick, against the session contract (card-screen builds the beat) ----------


@dataclass
class FakeBeat:
    """The shape card-screen keeps in the session: started_at, stopped_at, running(now)."""

    started_at: float | None = None
    stopped_at: float | None = None

    def running(self, now: float) -> bool:
        return self.started_at is not None and self.stopped_at is None


async def test_the_cpr_tick_follows_the_beat_in_phase(build_bundled, clock) -> None:
    app = build_bundled()
    beat = FakeBeat()
    app.read_aloud.cpr_beat = lambda session: beat
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "resuscitation")
        beat.started_at = clock() - 0.4  # the visual beat started a moment ago
        app.read_aloud.poll()
        assert voice.said == []  # Read aloud off, site voice off: no tick
        await pilot.click("#read-aloud")
        beat.started_at = clock()  # started again, now with Read aloud on
        app.read_aloud.poll()
        assert voice.said[-1] == ("cpr", "en", beat.started_at)
        app.read_aloud.poll()
        assert voice.said.count(("cpr", "en", beat.started_at)) == 1
        # a step said while the beat runs cuts the tick; it comes back, in phase, after
        voice.idle = False
        app.action_next_page()
        await pilot.pause()
        assert voice.said[-1][0] == "step"
        app.read_aloud.poll()
        assert voice.said[-1][0] == "step"
        voice.idle = True
        app.read_aloud.poll()
        assert voice.said[-1] == ("cpr", "en", beat.started_at)
        voice.calls.clear()
        beat.stopped_at = clock()  # the beat stops: the tick stops
        app.read_aloud.poll()
        assert voice.calls == ["stop"]


async def test_stop_silences_the_tick_until_the_beat_starts_again(build_bundled, clock) -> None:
    app = build_bundled(voice="on")
    beat = FakeBeat()
    app.read_aloud.cpr_beat = lambda session: beat
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "resuscitation")
        beat.started_at = clock()
        app.read_aloud.poll()
        assert voice.said[-1] == ("cpr", "en", beat.started_at)
        await pilot.click("#read-aloud-stop")
        app.read_aloud.poll()
        assert voice.said.count(("cpr", "en", beat.started_at)) == 1
        beat.started_at = clock() + 1  # started again
        app.read_aloud.poll()
        assert voice.said[-1] == ("cpr", "en", beat.started_at)


# -- the staff screen --------------------------------------------------------------------


async def test_staff_screen_says_the_voice_is_ready(build_bundled) -> None:
    app = build_bundled()
    async with app.run_test(size=(100, 30)) as pilot:
        await voice_ready(app, pilot)
        app._open_staff_screen()
        await pilot.pause()
        assert "Voice: ready (espeak-ng en, uk)" in widget_text(app)


async def test_staff_screen_says_why_the_voice_is_unavailable(build_bundled) -> None:
    app = build_bundled()
    async with app.run_test(size=(100, 30)) as pilot:
        voice = await voice_ready(app, pilot)
        app._open_staff_screen()
        await pilot.pause()
        voice.set_unavailable("aplay: audio open error: No such file or directory")
        await pilot.pause()
        assert "Voice unavailable: aplay: audio open error" in widget_text(app)


# -- every geometry: the control fits on screen ------------------------------------------

GEOMETRIES = [(80, 24), (100, 30), (160, 45), (30, 40)]
"""The target screens of 24 rows and more; under 24 the card actions are not shown
(``CARD_ACTIONS_MIN_ROWS``: at 60x20 their row left a step and its timer too few rows)."""
SHORT_GEOMETRIES = [(36, 10), (40, 12), (50, 16), (60, 20)]


@pytest.mark.parametrize("size", SHORT_GEOMETRIES, ids=[f"{w}x{h}" for w, h in SHORT_GEOMETRIES])
async def test_short_screens_give_the_rows_to_the_step_and_a_voice_on_site_still_reads(
    build_bundled, size: tuple[int, int]
) -> None:
    app = build_bundled(voice="on")
    async with app.run_test(size=size) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "seizure")
        buttons = list(app.screen.query("ReadAloudControl Button").results(Button))
        assert all(b.region.area == 0 for b in buttons), "no Read aloud row under 24 rows"
        step_text = app.screen.query_one("#step-text")
        assert step_text.region.area > 0
        for _ in range(50):
            if ("step", "seizure", 1, "en") in voice.said:
                break
            await pilot.pause(0.05)
        assert ("step", "seizure", 1, "en") in voice.said


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("size", GEOMETRIES, ids=[f"{w}x{h}" for w, h in GEOMETRIES])
async def test_the_control_fits_and_every_button_is_labelled(
    build_bundled, size: tuple[int, int], language: str
) -> None:
    app = build_bundled(default_language=language)
    async with app.run_test(size=size) as pilot:
        await voice_ready(app, pilot)
        await open_card(app, pilot, "seizure")
        toggle = next(
            b
            for b in app.screen.query(
                "ReadAloudControl Button.-label-long, ReadAloudControl Button.-label-short"
            ).results(Button)
            if b.display
        )
        await pilot.click(f"#{toggle.id}")
        assert app.session.read_aloud
        width, height = size
        buttons = [
            b
            for b in app.screen.query("ReadAloudControl Button").results(Button)
            if b.region.width > 0
        ]
        assert len(buttons) == 3  # on: toggle, Repeat, Stop
        for button in buttons:
            region = button.region
            assert region.right <= width and region.bottom <= height, (button.id, region)
            label = str(button.label)
            assert label and region.width >= len(label), (button.id, label, region)


async def test_the_cpr_tick_follows_the_card_screens_beat_and_outlives_home(
    build_bundled, clock
) -> None:
    """With card-screen's real beat (session.tools.cpr): Start ticks in phase, Home keeps
    the tick (the beat outlives Home), the beat's Stop stops it."""
    app = build_bundled()
    async with app.run_test(size=SIZE) as pilot:
        voice = await voice_ready(app, pilot)
        await open_card(app, pilot, "resuscitation")
        await pilot.click("#read-aloud")
        card = app.session.card
        assert card is not None
        beat_step = next(i for i, step in enumerate(card.steps) if step.cpr_beat)
        while not (app.session.page.kind == "step" and app.session.page.step == beat_step):
            app.action_next_page()
        await pilot.pause()
        await pilot.click("#cpr-toggle")
        cpr = app.session.tools.cpr
        assert cpr.running(clock())
        app.read_aloud.poll()
        assert voice.said[-1] == ("cpr", "en", cpr.started_at)
        voice.calls.clear()
        app.action_home()
        await pilot.pause()
        assert voice.calls == ["stop"]  # speech stops at home...
        app.read_aloud.poll()
        assert voice.said[-1] == ("cpr", "en", cpr.started_at)  # ...the tick comes back
        await open_card(app, pilot, "resuscitation")
        while not (app.session.page.kind == "step" and app.session.page.step == beat_step):
            app.action_next_page()
        await pilot.pause()
        # The tick cut off by the steps read aloud comes back at the next poll: poll now,
        # rather than hope the 0.25 s interval fired during the pause (it did not when the
        # app started faster, issue 19).
        app.read_aloud.poll()
        assert voice.said[-1] == ("cpr", "en", cpr.started_at)
        voice.calls.clear()
        await pilot.click("#cpr-toggle")  # the beat's own Stop
        assert not cpr.running(clock())
        app.read_aloud.poll()
        assert "stop" in voice.calls
