"""The service the UI calls: instant, cached, in phase, and silent but alive without audio."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from voicehelpers import FakePiperVoice, needs_aplay, wait_for

from kiosk.site import Site
from kiosk.voice import SpeechKey, VoiceService
from kiosk.voice.cpr import CprTrack
from kiosk.voice.player import MemorySink, prepared_pcm
from kiosk.voice.script import item_for, speech_items
from kiosk.voice.service import OUTPUT_LATENCY_SECONDS

pytestmark = [pytest.mark.data]


class SlowFakeVoice(FakePiperVoice):
    """Piper on a slow Pi: two seconds per text."""

    def synthesize_wav(self, text, wav_file) -> None:
        time.sleep(2.0)
        super().synthesize_wav(text, wav_file)


def piper_site(tmp_path: Path, **settings) -> Site:
    paths = {}
    for language in ("en", "uk"):
        model = tmp_path / f"{language}.onnx"
        model.write_bytes(b"fake")
        Path(f"{model}.json").write_text("{}", encoding="utf-8")
        paths[f"voice_{language}"] = str(model)
    return Site(voice_cache_dir=str(tmp_path / "cache"), **paths, **settings)


def fake_loader(voice_class=FakePiperVoice):
    return lambda path: voice_class("en-gb" if path.name.startswith("en") else "uk")


def make(services, deck, site, **kwargs) -> VoiceService:
    kwargs.setdefault("espeak_command", "no-such-espeak-ng")
    service = VoiceService(deck, site, **kwargs)
    services.append(service)
    return service


def test_every_step_alarm_and_cue_is_rendered_ahead_and_said_from_the_cache(
    tmp_path: Path, deck, services
) -> None:
    sink = MemorySink()
    service = make(services, deck, piper_site(tmp_path), sink=sink, piper_loader=fake_loader())
    report = service.prerender()
    items = speech_items(deck, service.site)
    assert report.failed == 0 and report.items == len(items)
    assert all(service.is_cached(item) for item in items)
    assert report.disk_bytes > 0

    voices = [engine.voice for engine in (c.best for c in service.choices.values())]  # type: ignore[union-attr]
    rendered = sum(len(voice.texts) for voice in voices)
    before = time.perf_counter()
    service.say_step("seizure", 2, "uk")
    assert time.perf_counter() - before < 0.5  # returns at once (generous: shared machine)
    assert wait_for(lambda: sink.streams and sink.streams[-1].finished)
    stream = sink.streams[-1]
    # From the cache: nothing rendered again. (150 ms is measured by bench_voice.py.)
    assert sum(len(voice.texts) for voice in voices) == rendered
    assert stream.first_byte_at is not None and stream.first_byte_at - before < 1.0
    assert stream.rate == 16000  # the (fake) Piper voice, not espeak-ng
    expected = service.render(item_for(deck, service.site, SpeechKey.for_step("seizure", 2, "uk")))
    assert expected is not None and bytes(stream.data) == expected.data


def test_alarms_and_timer_ends_have_their_own_words(tmp_path: Path, deck, services) -> None:
    site = piper_site(tmp_path, emergency_number="999")
    service = make(services, deck, site, sink=MemorySink(), piper_loader=fake_loader())
    alarm = item_for(deck, site, SpeechKey.alarm("seizure-5min", "en"))
    assert alarm is not None and alarm.text.startswith("Five minutes: call emergency now")
    assert "999" in alarm.text
    done = item_for(deck, site, SpeechKey.timer_done("leg-cramp", 2, "en"))
    assert done is not None and done.text
    idle = item_for(deck, site, SpeechKey.alarm("idle-warning", "uk"))
    assert idle is not None and "торкніться" in idle.text.lower()
    assert item_for(deck, site, SpeechKey.alarm("no-such-alarm", "en")) is None
    assert item_for(deck, site, SpeechKey.for_step("seizure", 99, "en")) is None
    service.say(SpeechKey.for_step("no-such-card", 1, "en"))  # ignored, logged


def test_a_cache_miss_renders_on_the_worker_never_in_the_caller(
    tmp_path: Path, deck, services
) -> None:
    sink = MemorySink()
    service = make(
        services, deck, piper_site(tmp_path), sink=sink, piper_loader=fake_loader(SlowFakeVoice)
    )
    service.choose_all()
    before = time.perf_counter()
    service.say_alarm("seizure-5min", "en")
    assert time.perf_counter() - before < 0.5  # the render takes 2 s, on the worker
    assert wait_for(lambda: sink.streams and sink.streams[-1].finished)


def test_repeat_says_the_last_step_again_and_reset_forgets_it(
    tmp_path: Path, deck, services
) -> None:
    sink = MemorySink()
    service = make(services, deck, piper_site(tmp_path), sink=sink, piper_loader=fake_loader())
    service.say_step("seizure", 3, "en")
    assert wait_for(lambda: len(sink.streams) == 1 and sink.streams[0].finished)
    service.repeat()
    assert wait_for(lambda: len(sink.streams) == 2 and sink.streams[1].finished)
    assert sink.streams[0].data == sink.streams[1].data
    service.reset()
    service.repeat()
    time.sleep(0.2)
    assert len(sink.streams) == 2


def test_the_cpr_track_joins_the_visual_beat_in_phase(tmp_path: Path, deck, services) -> None:
    now = [5000.0]
    sink = MemorySink()
    service = make(
        services,
        deck,
        piper_site(tmp_path),
        sink=sink,
        piper_loader=fake_loader(),
        clock=lambda: now[0],
    )
    service.choose_all()
    beat = service.start_cpr("en", started_at=now[0] - 1.0)  # the screen started 1 s ago
    assert beat.started_at == 4999.0
    assert wait_for(lambda: sink.streams and len(sink.streams[0].data) >= 8000)
    service.stop()
    stream = sink.streams[0]
    cue = service.render(item_for(deck, service.site, SpeechKey.cpr_breaths("en")))
    track = CprTrack(beat.rhythm, cue=cue)
    start = round((1.0 + OUTPUT_LATENCY_SECONDS) * track.rate)
    assert bytes(stream.data[:8000]) == track.render(start, 4000)


def test_hidden_means_no_control_no_sound_no_work(tmp_path: Path, deck, services) -> None:
    sink = MemorySink()
    site = piper_site(tmp_path, voice="hidden")
    service = make(services, deck, site, sink=sink, piper_loader=fake_loader())
    service.start()
    service.say_step("seizure", 1, "en")
    service.start_cpr("en")
    time.sleep(0.2)
    assert sink.streams == []
    assert not service.control_shown and not service.read_aloud_default
    assert not service.status.available
    assert "hidden" in service.status.reason_unavailable
    assert not (tmp_path / "cache").exists()


def test_on_is_on_for_each_new_visitor(tmp_path: Path, deck, services) -> None:
    service = make(services, deck, piper_site(tmp_path, voice="on"), sink=MemorySink())
    assert service.read_aloud_default and service.control_shown


def test_no_audio_device_at_all_leaves_a_working_silent_voice(
    tmp_path: Path, deck, services, caplog: pytest.LogCaptureFixture
) -> None:
    sink = MemorySink(fail="aplay: audio open error: No such file or directory")
    statuses = []
    service = make(services, deck, piper_site(tmp_path), sink=sink, piper_loader=fake_loader())
    service.add_listener(statuses.append)
    with caplog.at_level(logging.WARNING, logger="kiosk.voice"):
        service.start()
        assert wait_for(lambda: service.prerendered.is_set())
        for step in range(1, 5):
            started = time.perf_counter()
            service.say_step("seizure", step, "en")
            service.say_alarm("seizure-5min", "en")
            service.start_cpr("en")
            service.stop()
            assert time.perf_counter() - started < 0.5
        service.say_step("seizure", 1, "uk")
        assert wait_for(lambda: service.player.failures >= 2)
    status = service.status
    assert not status.available and not service.control_shown
    assert "audio open error" in status.reason_unavailable
    assert [m for m in caplog.messages if "voice unavailable" in m] == [
        "voice unavailable: aplay: audio open error: No such file or directory"
    ]
    assert any(not s.available for s in statuses)


@pytest.mark.e2e
@needs_aplay
def test_no_audio_device_with_the_real_player(tmp_path: Path, deck, services) -> None:
    from kiosk.voice.player import PLAYER_COMMANDS, find_player_command

    command = list(find_player_command(PLAYER_COMMANDS[:1]) or [])
    command[1:1] = ["-D", "kiosk_test_no_such_device"]
    service = make(
        services, deck, piper_site(tmp_path), player_command=command, piper_loader=fake_loader()
    )
    service.start()
    service.say_step("seizure", 1, "uk")
    assert wait_for(lambda: service.player.available is False)
    assert service.reason_unavailable.startswith("aplay")


def test_a_failing_piper_voice_gives_way_to_the_next_engine(tmp_path: Path, deck, services) -> None:
    sink = MemorySink()
    service = make(
        services,
        deck,
        piper_site(tmp_path),
        sink=sink,
        piper_loader=lambda path: FakePiperVoice("en-gb", fail=True),
    )
    item = item_for(deck, service.site, SpeechKey.for_step("seizure", 1, "en"))
    assert item is not None
    assert service.render(item) is None  # no espeak-ng in this test: silent, not crashed
    assert "failed" in service.status.reason_unavailable
    assert prepared_pcm  # the player module's helper stays importable for the UI


def test_a_broken_translation_costs_the_sound_not_the_screen(
    tmp_path: Path, deck, services, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kiosk.voice.script as script

    def broken(*args, **kwargs):
        raise KeyError("numbr")

    monkeypatch.setattr(script, "alarm_text", broken)
    monkeypatch.setattr("kiosk.voice.service.speech_items", broken)
    service = make(services, deck, piper_site(tmp_path), sink=MemorySink())
    service.say_alarm("seizure-5min", "en")  # no exception reaches the caller
    assert service.prerender().items == 0
