"""The CPR beat: one schedule for the visual metronome and the audible tick.

:class:`CprRhythm` says when every compression falls (110 a minute, sets of 30, a pause
for two breaths); :class:`CprBeat` pins it to a start time on the app's clock, so the
screen (``beat.position(clock())``) and the loudspeaker (the player skips into the track
by ``clock() - beat.started_at``) share one timebase and cannot drift apart: each onset is
computed from the start, never by adding intervals.

:class:`CprTrack` renders any stretch of the endless tick track from the schedule: a
click on every compression, a higher, louder one on count 1, and the spoken breath cue
("Two breaths.") at the start of each breath pause.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass

from kiosk.voice.audio import SAMPLE_WIDTH, Pcm, bytes_from_samples, samples_from_bytes, tone

BEATS_PER_MINUTE = 110.0
COMPRESSIONS_PER_SET = 30
#: Two rescue breaths should interrupt compressions for under 10 s (RCUK/ERC 2021).
BREATH_PAUSE_SECONDS = 5.0
TRACK_RATE = 22050


@dataclass(frozen=True)
class CprPosition:
    """Where the beat is at one moment."""

    set_number: int  # 1-based
    count: int  # 1..compressions on a compression, 0 in the breath pause
    seconds_into_beat: float  # since the last compression onset (or since the pause began)
    seconds_to_next: float  # until the next compression onset

    @property
    def in_breath_pause(self) -> bool:
        return self.count == 0


@dataclass(frozen=True)
class CprRhythm:
    """Compressions at ``beats_per_minute`` in sets of ``compressions``.

    After compression N of a set, the breath pause starts one beat interval later and
    lasts ``breath_pause_seconds``; then compression 1 of the next set. A pause of 0 is
    continuous compressions (hands-only CPR): no pause, no breath cue.
    """

    beats_per_minute: float = BEATS_PER_MINUTE
    compressions: int = COMPRESSIONS_PER_SET
    breath_pause_seconds: float = BREATH_PAUSE_SECONDS

    @property
    def interval(self) -> float:
        """Seconds between compression onsets."""
        return 60.0 / self.beats_per_minute

    @property
    def set_seconds(self) -> float:
        """Seconds from compression 1 of a set to compression 1 of the next."""
        return self.compressions * self.interval + self.breath_pause_seconds

    def beat_time(self, index: int) -> float:
        """Onset of compression ``index`` (0-based, over all sets), seconds from the start."""
        set_index, beat = divmod(index, self.compressions)
        return set_index * self.set_seconds + beat * self.interval

    def pause_time(self, set_index: int) -> float:
        """When the breath pause of set ``set_index`` (0-based) starts."""
        return set_index * self.set_seconds + self.compressions * self.interval

    def position(self, elapsed: float) -> CprPosition:
        """The count at ``elapsed`` seconds after the start (before it: count 1, waiting)."""
        if elapsed < 0:
            return CprPosition(1, 1, 0.0, -elapsed)
        set_index = int(elapsed // self.set_seconds)
        into_set = elapsed - set_index * self.set_seconds
        beat = int(into_set // self.interval)
        if beat < self.compressions:
            into = into_set - beat * self.interval
            return CprPosition(set_index + 1, beat + 1, into, self.interval - into)
        into = into_set - self.compressions * self.interval
        return CprPosition(set_index + 1, 0, into, max(0.0, self.breath_pause_seconds - into))


#: The rhythm of the guidelines (the constants above): the one every beat and track uses.
GUIDELINE_RHYTHM = CprRhythm()


@dataclass(frozen=True)
class CprBeat:
    """A rhythm started at ``started_at`` seconds on the app's clock (the shared phase)."""

    started_at: float
    rhythm: CprRhythm = GUIDELINE_RHYTHM

    def position(self, now: float) -> CprPosition:
        return self.rhythm.position(now - self.started_at)


class CprTrack:
    """The endless tick track of a rhythm, rendered on demand from the schedule."""

    def __init__(
        self,
        rhythm: CprRhythm = GUIDELINE_RHYTHM,
        *,
        cue: Pcm | None = None,
        rate: int = TRACK_RATE,
    ) -> None:
        if cue is not None:
            rate = cue.rate  # the cue is never resampled; the clicks are made at its rate
        self.rhythm = rhythm
        self.rate = rate
        self.tick = tone(1000.0, 0.030, rate, amplitude=0.45, decay=0.008)
        self.accent = tone(1600.0, 0.060, rate, amplitude=0.8, decay=0.020)
        self.cue = self._fit_cue(cue)
        self._set_samples = rhythm.set_seconds * rate

    def _fit_cue(self, cue: Pcm | None) -> array[int]:
        """The cue, cut to end 50 ms before compression 1 of the next set."""
        if cue is None or self.rhythm.breath_pause_seconds <= 0:
            return array("h")
        room = self.rhythm.interval + self.rhythm.breath_pause_seconds - 0.05
        samples = samples_from_bytes(cue.data)
        return samples[: max(0, int(room * self.rate))]

    def onset_sample(self, index: int) -> int:
        """The sample where compression ``index`` starts: rounded once, never accumulated."""
        return round(self.rhythm.beat_time(index) * self.rate)

    def render(self, start: int, count: int) -> bytes:
        """``count`` samples of the track from sample ``start`` (S16LE bytes)."""
        out = array("h", bytes(SAMPLE_WIDTH * max(0, count)))
        if count <= 0:
            return b""
        end = start + count
        longest = max(len(self.tick), len(self.accent), len(self.cue))
        first_set = max(0, math.floor((start - longest) / self._set_samples))
        last_set = math.floor(end / self._set_samples)
        per_set = self.rhythm.compressions
        for set_index in range(first_set, last_set + 1):
            for beat in range(per_set):
                onset = self.onset_sample(set_index * per_set + beat)
                if onset >= end:
                    break
                _mix(out, self.accent if beat == 0 else self.tick, onset - start)
            if self.cue:
                _mix(out, self.cue, round(self.rhythm.pause_time(set_index) * self.rate) - start)
        return bytes_from_samples(out)

    def pcm(self, seconds: float, *, start_seconds: float = 0.0) -> Pcm:
        """A finite stretch of the track (for ``kiosk speak --cpr`` and the tests)."""
        return Pcm(
            self.render(round(start_seconds * self.rate), round(seconds * self.rate)), self.rate
        )


def _mix(out: array[int], sound: array[int], offset: int) -> None:
    """Add ``sound`` into ``out`` at ``offset`` (may be partly outside), with clipping."""
    begin = max(0, offset)
    finish = min(len(out), offset + len(sound))
    if begin >= finish:
        return
    if not any(out[begin:finish]):  # the usual case: nothing there yet, copy in C
        out[begin:finish] = sound[begin - offset : finish - offset]
        return
    for position in range(begin, finish):
        value = out[position] + sound[position - offset]
        out[position] = 32767 if value > 32767 else -32768 if value < -32768 else value
