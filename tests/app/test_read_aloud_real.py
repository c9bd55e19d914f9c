"""Read aloud with the real VoiceService: no audio device at all, and real speech.

- With no player (and no espeak-ng) on PATH the kiosk starts and works: no exception,
  no error logged, the staff screen says why the voice is unavailable, and visitors see
  no Read aloud button that would do nothing.
- With aplay but no sound card (this machine, CI): the same once the probe has failed.
- With espeak-ng: a tap on Read aloud in the app sends real speech to the player, in
  English and Ukrainian (a sink in memory stands in for aplay): its length fits the
  text, it is loud enough, and most of it is voiced.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import kiosk.voice.ui
from kiosk.app import make_app
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.voice.audio import Pcm, rms
from kiosk.voice.cache import AudioCache
from kiosk.voice.player import MemorySink
from kiosk.voice.service import VoiceService
from tests.app.conftest import SITE
from tests.support.screen import widget_text
from tests.support.voice import voice_ready, wait_until

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "voice"))
from voicehelpers import voiced_fraction  # noqa: E402

pytestmark = [pytest.mark.ui]

SIZE = (80, 24)


def shown(app, selector: str) -> bool:
    widget = app.screen.query_one(selector)
    return widget.display and all(node.display for node in widget.ancestors_with_self[:-1])


@pytest.fixture
def real_voice(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps build the real service (what kiosk run does)."""
    monkeypatch.setattr(kiosk.voice.ui, "service_factory", kiosk.voice.ui.real_service)


async def test_no_player_and_no_engine_on_path_leaves_a_working_silent_kiosk(
    real_voice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    from kiosk.voice.engines import _espeak_inventory

    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    _espeak_inventory.cache_clear()  # it remembers what it found on PATH
    request.addfinalizer(_espeak_inventory.cache_clear)
    site = replace(SITE, voice="on", voice_cache_dir=str(tmp_path / "cache"))
    app = make_app(load_deck(bundled_cards_dir()), site)
    async with app.run_test(size=SIZE) as pilot:
        service = await voice_ready(app, pilot)
        assert isinstance(service, VoiceService)
        await wait_until(pilot, lambda: service.engines_ready.is_set())
        await pilot.pause()
        app.action_open_card("seizure")
        await pilot.pause()
        assert "Step 1 of" in widget_text(app)
        assert not shown(app, "#read-aloud-control")  # no button that does nothing
        await pilot.click("#next")
        assert "Step 2 of" in widget_text(app)
        app._open_staff_screen()
        await pilot.pause()
        text = widget_text(app)
        assert "Voice unavailable: no audio player installed" in text


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("aplay") is None, reason="aplay is not installed")
async def test_aplay_without_a_sound_card_hides_the_control_once_probed(
    real_voice, tmp_path: Path
) -> None:
    import subprocess

    listing = subprocess.run(["aplay", "-l"], capture_output=True, text=True, timeout=10)
    if "card " in listing.stdout:
        pytest.skip("this machine has a sound card")
    site = replace(SITE, voice_cache_dir=str(tmp_path / "cache"))
    app = make_app(load_deck(bundled_cards_dir()), site)
    async with app.run_test(size=SIZE) as pilot:
        service = await voice_ready(app, pilot)
        await wait_until(pilot, lambda: service.player.available is False)
        await pilot.pause()
        app.action_open_card("seizure")
        await pilot.pause()
        assert not shown(app, "#read-aloud-control")
        app._open_staff_screen()
        await pilot.pause()
        assert "Voice unavailable: aplay" in widget_text(app)


#: espeak-ng at its speed says about 11-16 characters a second (tests/voice).
CHARS_PER_SECOND = (7.0, 25.0)


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize("language", ["en", "uk"])
async def test_a_tap_sends_real_speech_of_the_step_to_the_player(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    sink = MemorySink()
    monkeypatch.setattr("kiosk.voice.service.speech_items", lambda deck, site: [])  # no pre-render

    def factory(deck, site, clock):
        return VoiceService(
            deck, site, clock=clock, sink=sink, cache=AudioCache(tmp_path / "cache")
        )

    monkeypatch.setattr(kiosk.voice.ui, "service_factory", factory)
    site = replace(SITE, default_language=language)
    app = make_app(load_deck(bundled_cards_dir()), site)
    async with app.run_test(size=SIZE) as pilot:
        service = await voice_ready(app, pilot)
        await wait_until(pilot, lambda: service.player.plays >= 1)  # the probe
        app.action_open_card("seizure")
        await pilot.pause()
        streams = len(sink.streams)
        await pilot.click("#read-aloud")
        await wait_until(pilot, lambda: len(sink.streams) > streams, timeout=60)
        stream = sink.streams[-1]
        await wait_until(pilot, lambda: stream.finished, timeout=60)
    pcm = Pcm(bytes(stream.data), stream.rate)
    card = app.deck.card("seizure", language)
    assert card is not None
    text = f"{card.title}. {card.steps[0].text}"
    low, high = CHARS_PER_SECOND
    assert len(text) / high < pcm.duration < len(text) / low + 2.0, pcm.duration
    assert rms(pcm.samples()) > 0.02
    assert voiced_fraction(pcm) > 0.6
