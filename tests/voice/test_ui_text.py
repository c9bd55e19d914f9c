"""The text parts of Read aloud that need no app: information pages said aloud, the staff
screen's voice line, the session's default."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.session import Session
from kiosk.site import Site
from kiosk.strings import Strings
from kiosk.voice.script import SPOKEN_SECTIONS, SpeechKey, item_for, speech_items
from kiosk.voice.service import VoiceService, VoiceStatus
from kiosk.voice.ui import staff_voice_line

pytestmark = [pytest.mark.ui]


class Holder:
    def __init__(self, status: VoiceStatus | None) -> None:
        self.status = status


def test_an_information_page_is_said_with_its_heading_and_every_item(deck) -> None:
    card = deck.cards["en"]["seizure"]
    item = item_for(deck, Site(), SpeechKey.section("seizure", "do_not", "en"))
    assert item is not None
    assert item.text.startswith("Do not: ")
    for line in card.do_not:
        assert line in item.text
    uk = item_for(deck, Site(), SpeechKey.section("seizure", "call_emergency_if", "uk"))
    assert uk is not None and uk.text.startswith(Strings("uk")["card.call_emergency_if"])


def test_every_information_page_of_the_deck_is_pre_rendered(deck) -> None:
    keys = {item.key for item in speech_items(deck, Site())}
    for language, cards in deck.cards.items():
        for card in cards.values():
            for section in SPOKEN_SECTIONS:
                if getattr(card, section):
                    assert SpeechKey.section(card.id, section, language) in keys


def test_an_unknown_or_empty_section_says_nothing(deck) -> None:
    assert item_for(deck, Site(), SpeechKey.section("seizure", "sources", "en")) is None
    assert item_for(deck, Site(), SpeechKey.section("no-such-card", "do_not", "en")) is None


def test_staff_line_ready_starting_unavailable_and_partly() -> None:
    en = Strings("en")
    assert staff_voice_line(None, en) == "Voice: starting"
    assert staff_voice_line(Holder(None), en) == "Voice: starting"
    ready = VoiceStatus(
        "off", True, "", engines={"en": "espeak-ng 1.51 en-gb s165", "uk": "espeak-ng 1.51 uk s165"}
    )
    assert staff_voice_line(Holder(ready), en) == "Voice: ready (espeak-ng en, uk)"
    mixed = replace(ready, engines={"en": "espeak-ng 1.51 en-gb s165", "uk": "piper uk.onnx 1"})
    assert staff_voice_line(Holder(mixed), en) == "Voice: ready (espeak-ng en; piper uk)"
    partly = replace(
        ready,
        engines={"en": "espeak-ng 1.51 en-gb s165", "uk": ""},
        reason_unavailable="no voice for uk: espeak-ng has no uk voice",
    )
    assert staff_voice_line(Holder(partly), en) == (
        "Voice: ready (espeak-ng en); no voice for uk: espeak-ng has no uk voice"
    )
    gone = VoiceStatus("off", False, "no audio player installed")
    assert staff_voice_line(Holder(gone), en) == "Voice unavailable: no audio player installed"
    assert staff_voice_line(Holder(gone), Strings("uk")).startswith("Голос недоступний: ")


@pytest.mark.parametrize("mode", ["off", "on", "hidden"])
def test_the_session_default_is_the_services_rule(deck, tmp_path, mode: str, services) -> None:
    site = Site(voice=mode, voice_cache_dir=str(tmp_path))
    service = VoiceService(deck, site, sink=None, player_command=["true"])
    services.append(service)
    session = Session(deck, site, clock=lambda: 0.0)
    assert session.read_aloud == session.default_read_aloud == service.read_aloud_default
    session.toggle_read_aloud()
    assert session.read_aloud != service.read_aloud_default
    session.reset()
    assert session.read_aloud == service.read_aloud_default
