"""Playback never blocks the caller; no device, a crash or a hang leaves a silent kiosk."""

from __future__ import annotations

import logging
import sys
import time

import pytest
from voicehelpers import needs_aplay, wait_for

from kiosk.voice.audio import Pcm
from kiosk.voice.engines import OnceLog
from kiosk.voice.player import CommandSink, MemorySink, Player, Source

pytestmark = [pytest.mark.data]

SPEECH = Pcm.from_samples([3000, -3000] * 22050, 22050)  # 2 s


def python_player(script: str) -> CommandSink:
    """A stand-in for aplay: a Python process that does ``script`` with its stdin."""
    return CommandSink([sys.executable, "-c", script])


def test_play_and_stop_return_at_once_even_when_the_sink_is_slow() -> None:
    sink = MemorySink(bytes_per_second=44100)  # real time
    player = Player(sink)
    try:
        started = time.perf_counter()
        player.play(Source.from_pcm("speech", SPEECH))
        player.stop()
        player.play(Source.from_pcm("speech", SPEECH))
        assert time.perf_counter() - started < 0.5  # playing it takes 2 s; generous for load
        assert wait_for(lambda: len(sink.streams) >= 1)
        player.stop()
        assert wait_for(lambda: not player.playing.is_set())
        assert len(sink.streams[-1].data) < len(SPEECH.data)  # cut off, not played out
    finally:
        player.close()


def test_the_newest_request_wins() -> None:
    sink = MemorySink(bytes_per_second=44100)
    player = Player(sink)
    try:
        player.play(Source.from_pcm("first", SPEECH))
        assert wait_for(lambda: len(sink.streams) == 1)
        second = Pcm.from_samples([100] * 2205, 22050)
        player.play(Source.from_pcm("second", second))
        assert wait_for(lambda: len(sink.streams) == 2 and sink.streams[1].finished)
        assert sink.streams[0].killed
        assert bytes(sink.streams[1].data) == second.data
    finally:
        player.close()


def test_a_player_that_exits_with_an_error_makes_the_voice_unavailable_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    message = "aplay: main:831: audio open error: No such file or directory"
    sink = python_player(f"import sys; sys.stderr.write({message!r} + '\\n'); sys.exit(1)")
    player = Player(sink, note=OnceLog(logging.getLogger("kiosk.voice")))
    changes: list[bool | None] = []
    player.add_listener(lambda: changes.append(player.available))
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.voice"):
            for _ in range(3):
                player.play(Source.from_pcm("speech", SPEECH))
                assert wait_for(lambda: player.failures >= 1)
            assert wait_for(lambda: player.failures >= 3 or not player.playing.is_set())
        assert player.available is False
        assert player.reason_unavailable.endswith("audio open error: No such file or directory")
        assert len([m for m in caplog.messages if "voice unavailable" in m]) == 1
        assert changes == [False]
    finally:
        player.close()


def test_a_player_that_crashes_mid_speech_is_reported() -> None:
    sink = python_player("import os, sys; sys.stdin.buffer.read(1000); os._exit(3)")
    player = Player(sink)
    try:
        player.play(Source.from_pcm("speech", SPEECH))
        assert wait_for(lambda: player.failures == 1)
        assert player.available is False
        assert player.reason_unavailable
    finally:
        player.close()


def test_a_player_that_stops_reading_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.voice.player as player_module

    monkeypatch.setattr(player_module, "WRITE_DEADLINE_SECONDS", 0.5)
    sink = python_player("import time; time.sleep(60)")
    player = Player(sink)
    try:
        player.play(Source.from_pcm("speech", Pcm.silence(30.0, 22050)))  # more than a pipe
        assert wait_for(lambda: player.failures == 1, timeout=20)
        assert "stopped reading" in player.reason_unavailable
    finally:
        player.close()


def test_a_player_that_works_again_makes_the_voice_available_again() -> None:
    sink = MemorySink(fail="aplay: audio open error")
    player = Player(sink)
    try:
        player.play(Source.from_pcm("speech", SPEECH))
        assert wait_for(lambda: player.available is False)
        sink.fail = None  # someone plugged the loudspeaker in
        player.play(Source.from_pcm("speech", SPEECH))
        assert wait_for(lambda: player.available is True)
        assert player.reason_unavailable == ""
    finally:
        player.close()


def test_no_player_installed_is_unavailable_from_the_start() -> None:
    player = Player(None)
    player.play(Source.from_pcm("speech", SPEECH))  # ignored, no thread, no error
    assert player.available is False
    assert "aplay" in player.reason_unavailable


@pytest.mark.e2e
@needs_aplay
def test_real_aplay_with_no_such_device() -> None:
    """The real player, pointed at a device that exists on no machine."""
    from kiosk.voice.player import PLAYER_COMMANDS

    aplay = list(PLAYER_COMMANDS[0])
    command = [aplay[0], "-D", "kiosk_test_no_such_device", *aplay[1:]]
    player = Player(CommandSink(command))
    try:
        player.probe()
        assert wait_for(lambda: player.available is False)
        assert "aplay" in player.reason_unavailable
    finally:
        player.close()
