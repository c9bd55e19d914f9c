"""Hot reload: a deck installed with ``kiosk deck install`` while the kiosk runs on
``DECKS/current`` shows up at the home screen, never in the middle of a card."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

import pytest

import kiosk.app as app_module
from kiosk.app import KioskApp, make_app
from kiosk.deck import load_deck
from tests.app.conftest import FIXTURES, SITE
from tests.deckops.conftest import kiosk as kiosk_command
from tests.support.home import open_by_number
from tests.support.polling import until

pytestmark = [pytest.mark.ui]

SIZE = (80, 24)
NEW_TILE = "Nosebleed"


def deck_with_nosebleed(path: Path) -> Path:
    """The fixture deck plus a fourth card, "Nosebleed"."""
    shutil.copytree(FIXTURES / "cards", path)
    card = (path / "en" / "sprain.toml").read_text(encoding="utf-8")
    for old, new in (('"sprain"', '"nosebleed"'), ('"Sprain"', f'"{NEW_TILE}"')):
        card = card.replace(old, new)
    (path / "en" / "nosebleed.toml").write_text(card, encoding="utf-8")
    deck = (path / "deck.toml").read_text(encoding="utf-8")
    deck = deck.replace('"sprain"]', '"sprain", "nosebleed"]')
    (path / "deck.toml").write_text(deck, encoding="utf-8")
    return path


def install(decks: Path, source: Path) -> None:
    done = kiosk_command("deck", "install", "--decks", str(decks), str(source))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    """A decks root with the fixture deck installed; ``current`` links to it."""
    root = tmp_path / "decks"
    install(root, shutil.copytree(FIXTURES / "cards", tmp_path / "v1"))
    return root


def kiosk_on(decks: Path, clock: Callable[[], float], **site_fields: object) -> KioskApp:
    current = decks / "current"
    return make_app(
        load_deck(current), replace(SITE, **site_fields), clock=clock, cards_dir=current
    )


async def settle(pilot, seconds: float = 1.0) -> None:
    """Time for a poll, a load in its thread and a switch, had any been allowed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        await asyncio.sleep(0)


async def test_new_tile_appears_after_returning_home_not_on_a_card(
    decks, tmp_path, clock, read, monkeypatch
) -> None:
    monkeypatch.setattr(app_module, "POLL_SECONDS", 0.1)
    app = kiosk_on(decks, clock)
    async with app.run_test(size=SIZE) as pilot:
        assert NEW_TILE not in read(app)
        await open_by_number(pilot, "seizure")  # with its stopwatch
        await pilot.click("#stopwatch-start")
        install(decks, deck_with_nosebleed(tmp_path / "v2"))

        app.check_for_new_deck()  # what the timer does; here nothing may happen
        await settle(pilot)
        assert app.screen is app.card_screen
        assert "Stop" in read(app), "the stopwatch must keep running"
        assert len(app.deck.card_ids()) == 3

        await pilot.click("#home-button")
        assert await until(pilot, lambda: NEW_TILE in read(app)), "no new tile at home"
        assert app.screen is app.home_screen
        await open_by_number(pilot, "nosebleed")  # the session opens the new card
        assert await until(pilot, lambda: app.screen is app.card_screen)
        assert app.session.card is not None and app.session.card.id == "nosebleed"


async def test_idle_home_screen_switches_on_its_own(decks, tmp_path, clock, read, monkeypatch):
    monkeypatch.setattr(app_module, "POLL_SECONDS", 0.1)
    app = kiosk_on(decks, clock)
    async with app.run_test(size=SIZE) as pilot:
        install(decks, deck_with_nosebleed(tmp_path / "v2"))
        assert await until(pilot, lambda: NEW_TILE in read(app)), "no new tile at idle home"
        await pilot.press("slash")  # search finds the new card
        await pilot.press(*"nose")
        assert await until(pilot, lambda: NEW_TILE in read(app))


@pytest.mark.expected_errors
async def test_empty_new_version_keeps_the_old_deck(decks, tmp_path, clock, read, caplog):
    app = kiosk_on(decks, clock)
    async with app.run_test(size=SIZE) as pilot:
        (decks / "broken").mkdir()
        os.symlink("broken", decks / "next")
        os.replace(decks / "next", decks / "current")
        app.check_for_new_deck()
        assert await until(pilot, lambda: "has no cards" in caplog.text)
        await settle(pilot, 0.3)
        assert app.screen is app.home_screen
        assert "1 Seizure" in read(app)
        assert len(app.deck.card_ids()) == 3


async def test_staff_screen_shows_the_deck_version(decks, clock, read) -> None:
    app = kiosk_on(decks, clock, staff_pin="")
    version = os.readlink(decks / "current")
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_staff_access()
        assert await until(pilot, lambda: version in read(app))
        assert "Deck:" in read(app)


async def test_staff_screen_names_the_bundled_deck(build, read) -> None:
    app = build(staff_pin="")
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_staff_access()
        assert await until(pilot, lambda: "Deck: bundled deck" in read(app))


async def test_metrics_file_names_the_new_deck_after_a_switch(
    decks, tmp_path, clock, read, monkeypatch
) -> None:
    """Head office reads the deck version from the metrics file; it follows a hot reload."""
    from prometheus_client.parser import text_string_to_metric_families

    def metrics_deck_version(path: Path) -> str:
        for family in text_string_to_metric_families(path.read_text()):
            for sample in family.samples:
                if sample.name == "kiosk_build_info":
                    return sample.labels["deck_version"]
        raise AssertionError("no kiosk_build_info")

    monkeypatch.setattr(app_module, "POLL_SECONDS", 0.1)
    metrics = tmp_path / "kiosk.prom"
    app = kiosk_on(decks, clock, metrics_file=str(metrics), state_dir=str(tmp_path / "state"))
    app.deck_version = os.readlink(decks / "current")  # what run.py passes at start
    async with app.run_test(size=SIZE) as pilot:
        first = os.readlink(decks / "current")
        assert await until(pilot, lambda: metrics.exists())
        assert metrics_deck_version(metrics) == first
        install(decks, deck_with_nosebleed(tmp_path / "v2"))
        second = os.readlink(decks / "current")
        assert second != first
        assert await until(pilot, lambda: NEW_TILE in read(app))
        assert metrics_deck_version(metrics) == second
