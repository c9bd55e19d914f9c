"""The CPR beat: 110 a minute, sets of 30, one timebase for the screen and the sound."""

from __future__ import annotations

import statistics

import pytest
from voicehelpers import onsets

from kiosk.voice.audio import Pcm
from kiosk.voice.cpr import CprBeat, CprRhythm, CprTrack

pytestmark = [pytest.mark.data]


def test_tick_onsets_in_five_minutes_of_track_are_110_a_minute_within_1_percent() -> None:
    """Measured in the rendered audio, not taken from the schedule."""
    rhythm = CprRhythm(breath_pause_seconds=0)  # continuous compressions: every gap a beat
    pcm = CprTrack(rhythm).pcm(300.0)
    found = onsets(pcm)
    assert len(found) == 550  # 5 min x 110
    gaps = [b - a for a, b in zip(found, found[1:])]
    rate = 60.0 / statistics.mean(gaps)
    assert abs(rate - 110.0) / 110.0 < 0.01
    assert all(abs(60.0 / gap - 110.0) / 110.0 < 0.01 for gap in gaps)
    # No drift: 549 beats after the first, the last is where the schedule says (1 ms).
    assert abs(found[-1] - found[0] - 549 * 60.0 / 110.0) < 0.001
    assert found[0] < 0.003  # the first click starts the track (2 ms fade-in)


def test_sets_of_30_with_a_breath_pause_and_the_cue_in_it() -> None:
    rhythm = CprRhythm()
    cue = Pcm.from_samples([12000, -12000] * 4410, 22050)  # 0.4 s of loud buzz
    pcm = CprTrack(rhythm, cue=cue).pcm(2 * rhythm.set_seconds + 0.3)
    found = onsets(pcm, refractory=0.45)  # longer than the 0.4 s cue, shorter than a beat
    interval = 60.0 / 110.0
    within_set = [b - a for a, b in zip(found[:30], found[1:30])]
    assert all(abs(gap - interval) < 0.001 for gap in within_set)
    # After compression 30: the cue at the pause start, then compression 1 of set 2.
    assert abs(found[30] - found[0] - rhythm.pause_time(0)) < 0.002
    assert abs(found[31] - found[0] - rhythm.beat_time(30)) < 0.001


def test_count_one_is_louder_and_higher() -> None:
    track = CprTrack(CprRhythm())
    assert max(track.accent) > max(track.tick) * 1.5
    assert len(track.accent) > len(track.tick)


def test_position_is_the_count_the_screen_shows() -> None:
    beat = CprBeat(started_at=1000.0)
    interval = 60.0 / 110.0
    assert beat.position(1000.0).count == 1
    assert beat.position(1000.0 + 29 * interval + 0.01).count == 30
    pause = beat.position(1000.0 + 30 * interval + 0.01)
    assert pause.in_breath_pause and pause.set_number == 1
    assert beat.position(1000.0 + beat.rhythm.set_seconds + 0.01).count == 1
    assert beat.position(1000.0 + beat.rhythm.set_seconds + 0.01).set_number == 2
    waiting = beat.position(999.0)
    assert waiting.count == 1 and waiting.seconds_to_next == pytest.approx(1.0)


def test_any_stretch_of_the_track_matches_the_whole() -> None:
    """The player renders from an offset: chunks line up sample for sample."""
    track = CprTrack(CprRhythm())
    whole = track.render(0, 22050 * 40)
    pieces = b"".join(track.render(start, 1103) for start in range(0, 22050 * 40, 1103))
    assert pieces[: len(whole)] == whole
