"""The search screen: results follow every keystroke, typed or tapped on the keyboard."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from textual.widgets import Input

from kiosk.deck.model import Deck
from kiosk.screens.search import ResultButton, SearchScreen, result_id
from kiosk.strings import Strings
from kiosk.widgets.keyboard import OnScreenKeyboard, key_id


def make_host(host, deck, site, language="en", **kwargs):
    return host(lambda: SearchScreen(deck, language, site, Strings(language)), **kwargs)


async def settle(pilot, done, seconds: float = 10.0) -> None:
    """Let the app refresh until ``done()`` (generous, so a loaded machine passes too)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not done() and loop.time() < deadline:
        await pilot.pause(0.02)


def shown_titles(app) -> list[str]:
    """Titles of the result buttons a visitor can see, top to bottom."""
    buttons = [b for b in app.screen.query(ResultButton) if b.display]
    return [b.label.plain for b in sorted(buttons, key=lambda b: b.region.y)]


async def test_typing_filters_and_enter_opens_first_result(
    host, fixture_deck, site, screen_text
) -> None:
    app = make_host(host, fixture_deck, site)
    async with app.run_test(size=(80, 24)) as pilot:
        assert shown_titles(app) == ["Seizure (fit)", "Leg cramp", "Burn or scald", "Nosebleed"]
        await pilot.press(*"seiz")
        assert shown_titles(app) == ["Seizure (fit)"]
        assert "Seizure (fit)" in screen_text(app)
        assert "Nosebleed" not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == ["seizure"]


async def test_results_follow_every_keystroke(host, fixture_deck, site, screen_text) -> None:
    app = make_host(host, fixture_deck, site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert len(shown_titles(app)) > 1
        await pilot.press(*"ose")
        assert shown_titles(app) == ["Nosebleed"]
        # Two wrong letters: search forgives one slip in a longer word ("nosex"), not two.
        await pilot.press("x", "q")
        assert shown_titles(app) == []
        assert "Nothing found" in screen_text(app)
        await pilot.press("backspace", "backspace")
        assert shown_titles(app) == ["Nosebleed"]
        assert "Nothing found" not in screen_text(app)


async def test_enter_with_no_results_stays_on_search(host, fixture_deck, site) -> None:
    app = make_host(host, fixture_deck, site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"zzz", "enter")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, SearchScreen)


async def test_clicking_a_result_opens_it(host, fixture_deck, site) -> None:
    app = make_host(host, fixture_deck, site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"burn")
        await pilot.click(f"#{result_id('burn')}")
        await pilot.pause()
    assert app.results == ["burn"]


async def test_arrow_down_then_enter_opens_the_focused_result(host, fixture_deck, site) -> None:
    app = make_host(host, fixture_deck, site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down")
        assert app.focused is app.screen.query_one(f"#{result_id('leg-cramp')}")
        await pilot.press("up", "up")
        assert isinstance(app.focused, Input)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
    assert app.results == ["leg-cramp"]


async def test_letters_typed_on_a_focused_result_go_to_the_query(host, fixture_deck, site) -> None:
    app = make_host(host, fixture_deck, site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", *"burn")
        assert app.screen.query_text == "burn"
        assert shown_titles(app) == ["Burn or scald"]


@pytest.mark.parametrize("key", ["escape", "click-back"])
async def test_escape_and_back_button_dismiss_with_none(host, fixture_deck, site, key) -> None:
    app = make_host(host, fixture_deck, site)
    async with app.run_test(size=(80, 24)) as pilot:
        if key == "escape":
            await pilot.press("escape")
        else:
            await pilot.click("#search-back")
        await pilot.pause()
    assert app.results == [None]


async def test_on_screen_keyboard_types_and_keeps_physical_typing_working(
    host, fixture_deck, site, screen_text
) -> None:
    app = make_host(host, fixture_deck, site)
    async with app.run_test(size=(80, 24)) as pilot:
        for letter in "nos":
            await pilot.click(f"#{key_id(letter)}")
        assert app.screen.query_text == "nos"
        assert isinstance(app.focused, Input), "a key tap must not take focus from the input"
        await pilot.press("e")
        assert app.screen.query_text == "nose"
        assert shown_titles(app) == ["Nosebleed"]
        assert "nose" in screen_text(app)


async def test_on_screen_backspace_and_clear(host, fixture_deck, site) -> None:
    app = make_host(host, fixture_deck, site)
    async with app.run_test(size=(80, 24)) as pilot:
        for letter in "burx":
            await pilot.click(f"#{key_id(letter)}")
        assert shown_titles(app) == []
        await pilot.click("#key-backspace")
        assert app.screen.query_text == "bur"
        assert shown_titles(app) == ["Burn or scald"]
        await pilot.click("#key-clear")
        assert app.screen.query_text == ""
        assert len(shown_titles(app)) == 4
        await pilot.click(f"#{key_id('b')}")
        await pilot.click("#key-space")
        assert app.screen.query_text == "b "


async def test_ukrainian_keyboard_and_cards(host, fixture_deck, site, screen_text) -> None:
    app = make_host(host, fixture_deck, site, language="uk")
    async with app.run_test(size=(80, 24)) as pilot:
        keyboard = app.screen.query_one(OnScreenKeyboard)
        for letter in "єіїґ'":
            assert keyboard.query(f"#{key_id(letter)}"), f"no key for {letter!r}"
        assert not keyboard.query(f"#{key_id('q')}")
        assert "Ґ" in screen_text(app)
        for letter in "опік":
            await pilot.click(f"#{key_id(letter)}")
        assert app.screen.query_text == "опік"
        assert shown_titles(app) == ["Опік"]
        assert "Очистити" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == ["burn"]


async def test_apostrophe_key_finds_ukrainian_word(host, fixture_deck, site) -> None:
    app = make_host(host, fixture_deck, site, language="uk")
    async with app.run_test(size=(80, 24)) as pilot:
        for letter in "м'яз":
            await pilot.click(f"#{key_id(letter)}")
        assert shown_titles(app) == ["Судома м'яза ноги"]


async def test_typed_markup_shows_literally(host, fixture_deck, site, screen_text) -> None:
    app = make_host(host, fixture_deck, site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"[bold]x[/]")
        assert "[bold]x[/]" in screen_text(app)
        assert isinstance(app.screen, SearchScreen)


async def test_markup_in_card_title_shows_literally_and_never_runs(
    host, fixture_deck, site, screen_text
) -> None:
    burn = fixture_deck.card("burn", "en")
    assert burn is not None
    evil = dataclasses.replace(burn, title="[bold red]Hot[/] [@click=app.quit]tap[/]")
    deck = Deck(("en",), "en", ("burn",), {"en": {"burn": evil}})
    app = make_host(host, deck, site)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "[bold red]Hot[/] [@click=app.quit]tap[/]" in screen_text(app)
        await pilot.click(f"#{result_id('burn')}")
        await pilot.pause()
        assert app.is_running
    assert app.results == ["burn"]


async def test_empty_deck_shows_nothing_found(host, site, screen_text) -> None:
    app = make_host(host, Deck(("en",), "en", ()), site)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Nothing found" in screen_text(app)
        await pilot.press("enter")
        assert app.results == []


async def test_reset_empties_the_query(host, fixture_deck, site) -> None:
    app = make_host(host, fixture_deck, site)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"burn")
        app.screen.reset()
        await pilot.pause()
        assert app.screen.query_text == ""
        assert len(shown_titles(app)) == 4


REACHABILITY_CASES = [
    *((size, lang, "") for size in [(40, 15), (80, 24), (200, 60)] for lang in ["en", "uk"]),
    *(
        (size, "uk", text_size)
        for size in [(40, 15), (80, 24)]
        for text_size in ["-size-large", "-size-extra-large"]
    ),
]


@pytest.mark.parametrize(("size", "language", "text_size"), REACHABILITY_CASES)
async def test_everything_reachable(
    styled_host, fixture_deck, site, size, language, text_size
) -> None:
    """Every key lies fully on screen, and every result can be scrolled to and tapped,
    at every screen and text size, with the app-wide sheet loaded."""
    app = make_host(styled_host, fixture_deck, site, language=language, classes=text_size)
    async with app.run_test(size=size) as pilot:
        screen_region = app.screen.region
        for key in app.screen.query("TapKey"):
            assert screen_region.contains_region(key.region), key.id
            assert key.region.width >= 3, key.id
        results = app.screen.query_one("#search-results")
        assert results.region.height >= 3, "room for at least one whole result"
        for button in app.screen.query(ResultButton):
            assert button.outer_size.height >= 3
        last = app.screen.query_one(f"#{result_id('nosebleed')}")
        results.scroll_to_widget(last, animate=False, immediate=True)
        await settle(pilot, lambda: results.region.contains_region(last.region))
        assert results.region.contains_region(last.region), "scrolled fully into view"
        await pilot.click(f"#{result_id('nosebleed')}")
        await pilot.pause()
    assert app.results == ["nosebleed"]


async def test_results_scroll_by_taps_alone(styled_host, fixture_deck, site) -> None:
    """On a 40x15 touch screen, tapping the scrollbar track brings the last result into
    view (no swipe, no drag), and then a tap opens it."""
    app = make_host(styled_host, fixture_deck, site, language="uk")
    async with app.run_test(size=(40, 15)) as pilot:
        results = app.screen.query_one("#search-results")
        last = app.screen.query_one(f"#{result_id('nosebleed')}")
        assert not results.region.contains_region(last.region)
        for _ in range(10):
            if results.region.contains_region(last.region):
                break
            track = results.vertical_scrollbar.region
            await pilot.click(offset=(track.x, track.bottom - 1))
            await settle(pilot, lambda: not results.is_scrolling)
        assert results.region.contains_region(last.region)
        await pilot.click(f"#{result_id('nosebleed')}")
        await pilot.pause()
    assert app.results == ["nosebleed"]


async def test_keys_are_three_rows_tall_when_there_is_room(host, fixture_deck, site) -> None:
    app = make_host(host, fixture_deck, site)
    async with app.run_test(size=(80, 40)) as pilot:
        keyboard = app.screen.query_one(OnScreenKeyboard)
        assert not keyboard.compact
        assert keyboard.query_one(f"#{key_id('a')}").region.height == 3
        await pilot.resize_terminal(40, 15)
        await settle(pilot, lambda: keyboard.compact)
        assert keyboard.compact
        assert keyboard.query_one(f"#{key_id('a')}").region.height == 1


async def test_large_text_gives_taller_results(host, fixture_deck, site) -> None:
    app = make_host(host, fixture_deck, site, classes="-size-large")
    async with app.run_test(size=(80, 40)):
        button = app.screen.query_one(f"#{result_id('burn')}")
        assert button.region.height >= 5
