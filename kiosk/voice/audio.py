"""Mono 16-bit PCM: the one audio format the voice package passes around.

Engines hand back :class:`Pcm`, the cache stores it as WAV files, the player streams its
bytes to the OS player. Pure Python (``array``, ``wave``): no numpy on the kiosk.
"""

from __future__ import annotations

import io
import math
import sys
import wave
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

SAMPLE_WIDTH = 2  # bytes: signed 16-bit little-endian
FULL_SCALE = 32767


@dataclass(frozen=True)
class Pcm:
    """Mono signed 16-bit little-endian samples at ``rate`` Hz."""

    data: bytes
    rate: int

    @property
    def frames(self) -> int:
        return len(self.data) // SAMPLE_WIDTH

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / self.rate if self.rate else 0.0

    def samples(self) -> array[int]:
        """The samples as an ``array('h')`` in native byte order."""
        return samples_from_bytes(self.data)

    def to_wav(self) -> bytes:
        """A complete WAV file (RIFF header and data)."""
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(SAMPLE_WIDTH)
            writer.setframerate(self.rate)
            writer.writeframes(self.data)
        return buffer.getvalue()

    @classmethod
    def from_wav(cls, blob: bytes) -> Pcm:
        """Read a mono 16-bit WAV; also one streamed with a bogus length (espeak-ng --stdout).

        Raises ``ValueError`` for anything else (stereo, 8-bit, not a WAV).
        """
        try:
            with wave.open(io.BytesIO(blob), "rb") as reader:
                if reader.getnchannels() != 1 or reader.getsampwidth() != SAMPLE_WIDTH:
                    raise ValueError(
                        f"expected mono 16-bit audio, got {reader.getnchannels()} channel(s)"
                        f" of {8 * reader.getsampwidth()} bits"
                    )
                rate = reader.getframerate()
                data = reader.readframes(reader.getnframes())
        except (wave.Error, EOFError) as error:
            raise ValueError(f"not a WAV file: {error}") from None
        if rate <= 0:
            raise ValueError("WAV file with no sample rate")
        return cls(data[: len(data) - len(data) % SAMPLE_WIDTH], rate)

    @classmethod
    def from_samples(cls, samples: Iterable[int], rate: int) -> Pcm:
        return cls(bytes_from_samples(array("h", samples)), rate)

    @classmethod
    def silence(cls, seconds: float, rate: int) -> Pcm:
        return cls(bytes(SAMPLE_WIDTH * round(seconds * rate)), rate)


def samples_from_bytes(data: bytes) -> array[int]:
    samples = array("h")
    samples.frombytes(data[: len(data) - len(data) % SAMPLE_WIDTH])
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def bytes_from_samples(samples: array[int]) -> bytes:
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def tone(
    frequency: float, seconds: float, rate: int, *, amplitude: float = 0.5, decay: float = 0.0
) -> array[int]:
    """A sine burst with a 2 ms fade-in (no click) and an optional exponential decay.

    ``decay`` is the time constant in seconds (0: no decay, a fade-out over the last 5 ms).
    """
    count = max(1, round(seconds * rate))
    fade_in = max(1, round(0.002 * rate))
    fade_out = max(1, round(0.005 * rate))
    step = 2.0 * math.pi * frequency / rate
    out = array("h", bytes(SAMPLE_WIDTH * count))
    for index in range(count):
        envelope = min(1.0, index / fade_in, (count - index) / fade_out)
        if decay > 0:
            envelope *= math.exp(-index / (decay * rate))
        out[index] = int(FULL_SCALE * amplitude * envelope * math.sin(step * index))
    return out


def rms(samples: array[int]) -> float:
    """Root mean square of the samples, as a fraction of full scale (0..1)."""
    if not samples:
        return 0.0
    return math.sqrt(sum(s * s for s in samples) / len(samples)) / FULL_SCALE


def frame_levels(samples: array[int], rate: int, frame_seconds: float = 0.02) -> list[float]:
    """RMS level (0..1) of consecutive frames of ``frame_seconds``."""
    size = max(1, round(frame_seconds * rate))
    return [rms(samples[start : start + size]) for start in range(0, len(samples), size)]
