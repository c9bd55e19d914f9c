"""Helpers for the voice tests: measuring WAVs, fake Piper voices, waiting for threads.

Imported by name (``import voicehelpers``): ``conftest.py`` puts this folder on ``sys.path``.
"""

from __future__ import annotations

import shutil
import time
import wave
from array import array
from dataclasses import dataclass
from typing import Callable

import pytest

from kiosk.voice.audio import Pcm, frame_levels, tone

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (.ci/apt-packages.txt)"
)
needs_aplay = pytest.mark.skipif(
    shutil.which("aplay") is None, reason="aplay is not installed (alsa-utils)"
)


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Poll ``condition`` until true or ``timeout`` (generous: the machine is shared)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def voiced_fraction(pcm: Pcm, floor: float = 0.01) -> float:
    """Share of 20 ms frames louder than ``floor`` (RMS, fraction of full scale), with
    pauses of up to 300 ms between words counted as speech (a simple VAD)."""
    levels = frame_levels(pcm.samples(), pcm.rate, 0.02)
    if not levels:
        return 0.0
    loud = [level > floor for level in levels]
    bridged = list(loud)
    gap_limit = 15  # frames: 300 ms
    index = 0
    while index < len(loud):
        if not loud[index]:
            end = index
            while end < len(loud) and not loud[end]:
                end += 1
            inside = index > 0 and end < len(loud)
            if inside and end - index <= gap_limit:
                for position in range(index, end):
                    bridged[position] = True
            index = end
        else:
            index += 1
    return sum(bridged) / len(bridged)


@dataclass
class Speech:
    """Where the speech is in a recording: silence before and after, voiced share between."""

    lead: float
    tail: float
    voiced: float  # share of the frames between the first and last loud one


def speech_span(pcm: Pcm, floor: float = 0.01) -> Speech:
    levels = frame_levels(pcm.samples(), pcm.rate, 0.02)
    loud = [index for index, level in enumerate(levels) if level > floor]
    if not loud:
        return Speech(pcm.duration, pcm.duration, 0.0)
    first, last = loud[0], loud[-1]
    inner = Pcm(
        pcm.data[first * 2 * round(0.02 * pcm.rate) : (last + 1) * 2 * round(0.02 * pcm.rate)],
        pcm.rate,
    )
    return Speech(first * 0.02, (len(levels) - 1 - last) * 0.02, voiced_fraction(inner, floor))


def onsets(pcm: Pcm, threshold: float = 0.2, refractory: float = 0.2) -> list[float]:
    """Times (s) where the signal first rises above ``threshold`` of full scale after
    ``refractory`` seconds of quiet: the clicks of the CPR track."""
    samples = pcm.samples()
    limit = int(threshold * 32767)
    found: list[float] = []
    hold = int(refractory * pcm.rate)
    last = -hold
    # Scan 1 ms blocks with max() in C, then find the exact sample inside the block.
    block = max(1, pcm.rate // 1000)
    for start in range(0, len(samples), block):
        piece = samples[start : start + block]
        if start - last < hold or max(piece, default=0) < limit and -min(piece, default=0) < limit:
            continue
        for offset, value in enumerate(piece):
            if abs(value) >= limit:
                last = start + offset
                found.append(last / pcm.rate)
                break
    return found


_syllables: dict[int, array] = {}


def _syllable(rate: int) -> array:
    """60 ms of tone, made once (repeating it is done in C)."""
    if rate not in _syllables:
        _syllables[rate] = tone(220.0, 0.06, rate, amplitude=0.3)
    return _syllables[rate]


@dataclass
class FakeConfig:
    sample_rate: int = 16000
    espeak_voice: str = "uk"


class FakePiperVoice:
    """Implements what the kiosk uses of ``piper.PiperVoice``: ``config.sample_rate``,
    ``config.espeak_voice`` and ``synthesize_wav(text, wav_file)``, which sets the format
    and writes frames as piper-tts 1.3+ does. The audio is a tone 60 ms per character, so
    tests can tell it from espeak-ng's 22050 Hz speech."""

    def __init__(self, espeak_voice: str = "uk", *, fail: bool = False) -> None:
        self.config = FakeConfig(espeak_voice=espeak_voice)
        self.fail = fail
        self.texts: list[str] = []

    def synthesize_wav(self, text: str, wav_file: wave.Wave_write) -> None:
        if self.fail:
            raise RuntimeError("onnxruntime exploded")
        self.texts.append(text)
        wav_file.setframerate(self.config.sample_rate)
        wav_file.setsampwidth(2)
        wav_file.setnchannels(1)
        wav_file.writeframes((_syllable(self.config.sample_rate) * len(text)).tobytes())
