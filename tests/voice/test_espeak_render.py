"""Real speech: espeak-ng renders the seizure card (and every alarm) in both languages,
and the WAV is speech: a plausible length for the text, loud enough, voiced most of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from voicehelpers import needs_espeak, speech_span, voiced_fraction

from kiosk.site import Site
from kiosk.voice import SpeechKey, VoiceService
from kiosk.voice.audio import rms
from kiosk.voice.cache import AudioCache
from kiosk.voice.player import MemorySink
from kiosk.voice.script import item_for
from kiosk.voice.text import speech_text

pytestmark = [pytest.mark.e2e, pytest.mark.slow, needs_espeak]

#: espeak-ng at 150 words a minute says about 11-16 characters a second.
CHARS_PER_SECOND = (7.0, 25.0)
RMS_FLOOR = 0.02
VOICED_SHARE = 0.6


@pytest.fixture
def service(tmp_path: Path, deck, services) -> VoiceService:
    made = VoiceService(deck, Site(), sink=MemorySink(), cache=AudioCache(tmp_path / "cache"))
    services.append(made)
    return made


@pytest.mark.parametrize("language", ["en", "uk"])
def test_every_step_of_the_seizure_card_is_speech(
    service: VoiceService, deck, language: str
) -> None:
    card = deck.cards[language]["seizure"]
    for number in range(1, len(card.steps) + 1):
        item = item_for(deck, service.site, SpeechKey.for_step("seizure", number, language))
        assert item is not None
        pcm = service.render(item)
        assert pcm is not None, service.status.reason_unavailable
        said = speech_text(item.text, language)
        low, high = CHARS_PER_SECOND
        assert len(said) / high < pcm.duration < len(said) / low, (number, pcm.duration, said)
        assert rms(pcm.samples()) > RMS_FLOOR, number
        assert voiced_fraction(pcm) > VOICED_SHARE, (number, voiced_fraction(pcm))
        span = speech_span(pcm)
        assert span.lead < 0.3 and span.tail < 0.8 and span.voiced > VOICED_SHARE, span


@pytest.mark.parametrize("language", ["en", "uk"])
def test_alarms_and_the_breath_cue_are_speech(service: VoiceService, deck, language: str) -> None:
    keys = [SpeechKey.alarm(name, language) for name in ("seizure-5min", "idle-warning")]
    keys.append(SpeechKey.cpr_breaths(language))
    for key in keys:
        pcm = service.render(item_for(deck, service.site, key))
        assert pcm is not None and pcm.duration > 0.5
        assert rms(pcm.samples()) > RMS_FLOOR
        span = speech_span(pcm)  # short: espeak-ng's closing silence is a large share
        assert span.lead < 0.3 and span.tail < 0.8 and span.voiced > VOICED_SHARE, span


def test_the_emergency_number_is_said_as_digits_not_as_a_hundred_and_twelve(
    service: VoiceService,
) -> None:
    """Three short words are said faster than "one hundred and twelve" would be: the
    rendering of the spoken form matches the rendering of "one one two" exactly."""
    engine = service._choose("en").best
    assert engine is not None
    as_digits = engine.synthesize("Call one one two.")
    assert engine.synthesize(speech_text("Call 112.", "en")).data == as_digits.data
    assert engine.synthesize("Call 112.").data != as_digits.data


def test_the_whole_deck_prerenders_and_a_second_pass_renders_nothing(
    service: VoiceService,
) -> None:
    first = service.prerender(prune=True)
    assert first.failed == 0 and first.rendered > 100
    again = service.prerender(prune=True)
    assert again.rendered == 0 and again.cached == again.items and again.removed == 0
