"""The voice as the UI sees it: one object, calls that return at once, a status to show.

::

    voice = VoiceService(deck, site, clock=app.clock)
    voice.start()                         # background: engines, audio probe, pre-render
    voice.say_step("seizure", 1, "en")    # on card open and on each step change
    voice.say_alarm("seizure-5min", "en") # alarms; voice.say_timer_done(card, step, lang)
    beat = voice.start_cpr("en")          # the CPR tick; beat.position(clock()) for the screen
    voice.repeat(); voice.stop()          # the Repeat and Stop buttons; stop() on idle reset
    voice.status                          # available / reason_unavailable for the staff screen
    voice.close()                         # at exit

Nothing here raises into the caller or waits on audio. Rendering happens on a background
thread (start-up pre-render) or on the player's worker (a cache miss), never on the
caller's thread. What the setting ``voice`` means: ``hidden`` turns all of it off (no
control, no sound, no pre-render); ``off`` and ``on`` show the control, off or on for
each new visitor (:attr:`read_aloud_default`).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kiosk.deck.model import Deck
from kiosk.voice.audio import SAMPLE_WIDTH, Pcm
from kiosk.voice.cache import AudioCache, cache_dir_for, cache_name
from kiosk.voice.cpr import GUIDELINE_RHYTHM, CprBeat, CprRhythm, CprTrack
from kiosk.voice.engines import (
    ESPEAK_COMMAND,
    EngineChoice,
    OnceLog,
    PiperVoiceLike,
    choose_engines,
    load_piper_voice,
)
from kiosk.voice.player import (
    CHUNK_SECONDS,
    CommandSink,
    Player,
    Prepared,
    Sink,
    Source,
    find_player_command,
    prepared_pcm,
)
from kiosk.voice.script import SpeechItem, SpeechKey, item_for, resolve, speech_items
from kiosk.voice.text import speech_text

log = logging.getLogger("kiosk.voice")

MODES = ("off", "on", "hidden")
#: How long a cache miss on the worker may wait for the engines to be chosen at start-up.
ENGINES_WAIT_SECONDS = 30.0
#: Audio written to the player reaches the loudspeaker about this much later (aplay with a
#: 100 ms buffer); the CPR track starts this far ahead so the tick lands on the beat.
OUTPUT_LATENCY_SECONDS = 0.05
#: Nice value of the pre-render thread (and so of the espeak-ng processes it starts).
RENDER_NICENESS = 10


@dataclass(frozen=True)
class VoiceStatus:
    """What the staff screen shows about the voice."""

    mode: str
    available: bool
    reason_unavailable: str
    engines: dict[str, str] = field(default_factory=dict)  # language -> voice ("" silent)
    player: str = ""
    cache_dir: str = ""
    cache_writable: bool = True
    rendered: int = 0
    to_render: int = 0


@dataclass
class RenderReport:
    """What a pre-render pass did (``kiosk speak --all``, the benchmark)."""

    items: int = 0
    rendered: int = 0
    cached: int = 0
    failed: int = 0
    removed: int = 0
    seconds: float = 0.0
    audio_seconds: float = 0.0
    disk_bytes: int = 0


class VoiceService:
    """See the module docstring. Build it once per process; it outlives app restarts."""

    def __init__(
        self,
        deck: Deck,
        site: object,
        *,
        clock: Callable[[], float] = time.monotonic,
        sink: Sink | None = None,
        player_command: Sequence[str] | None = None,
        cache: AudioCache | None = None,
        piper_loader: Callable[[Path], PiperVoiceLike] = load_piper_voice,
        espeak_command: str = ESPEAK_COMMAND,
        rhythm: CprRhythm | None = None,
    ) -> None:
        self.deck = deck
        self.site = site
        self.clock = clock
        self.rhythm = rhythm or GUIDELINE_RHYTHM
        self.note = OnceLog(log)
        mode = str(getattr(site, "voice", "off"))
        self.mode = mode if mode in MODES else "off"
        self.piper_loader = piper_loader
        self.espeak_command = espeak_command
        self.cache = cache if cache is not None else AudioCache(cache_dir_for(site), note=self.note)
        self.emergency_numbers = (str(getattr(site, "emergency_number", "")),)
        if sink is None and self.mode != "hidden":
            command = player_command or find_player_command()
            sink = CommandSink(command) if command else None
        self.player = Player(sink if self.mode != "hidden" else None, note=self.note)
        self.choices: dict[str, EngineChoice] = {}
        self.engines_ready = threading.Event()
        self.prerendered = threading.Event()
        self._items = self._all_items() if self.mode != "hidden" else []
        self._rendered = 0
        self._last: SpeechKey | None = None
        self._listeners: list[Callable[[VoiceStatus], None]] = []
        self._background: threading.Thread | None = None
        self._closing = threading.Event()
        self.player.add_listener(self._changed)

    # -- what the UI reads --------------------------------------------------------------

    @property
    def control_shown(self) -> bool:
        """Show the Read aloud control: the site allows it and the voice works (or may:
        until the start-up probe has answered, it is shown)."""
        return self.status.available

    @property
    def read_aloud_default(self) -> bool:
        """Read aloud is on for each new visitor (until the idle reset)."""
        return self.mode == "on"

    @property
    def available(self) -> bool:
        return self.status.available

    @property
    def reason_unavailable(self) -> str:
        return self.status.reason_unavailable

    @property
    def status(self) -> VoiceStatus:
        """Always current; cheap to read on every staff-screen refresh."""
        choices = list(self.choices.items())  # a snapshot: the render thread adds to it
        engines = {
            language: (choice.best.voice_id if choice.best else "") for language, choice in choices
        }
        reasons = []
        if self.mode == "hidden":
            reasons.append("voice is hidden in the site file")
        elif self.player.available is False:
            reasons.append(self.player.reason_unavailable)
        silent = [(lang, choice) for lang, choice in choices if not choice.available]
        for language, choice in silent:
            reasons.append(f"no voice for {language}: {'; '.join(choice.reasons)}")
        some_voice = not self.engines_ready.is_set() or len(silent) < len(choices)
        available = self.mode != "hidden" and self.player.available is not False and some_voice
        sink = self.player.sink
        return VoiceStatus(
            mode=self.mode,
            available=available,
            reason_unavailable="; ".join(r for r in reasons if r),
            engines=engines,
            player=sink.name if sink is not None else "",
            cache_dir=str(self.cache.folder or ""),
            cache_writable=self.cache.writable,
            rendered=self._rendered,
            to_render=len(self._items),
        )

    def add_listener(self, callback: Callable[[VoiceStatus], None]) -> None:
        """``callback(status)`` on each change, from a worker thread: in Textual, wrap it
        with ``app.call_from_thread``."""
        self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[VoiceStatus], None]) -> None:
        """Stop calling ``callback`` (an app that exits; the service lives on)."""
        if callback in self._listeners:
            self._listeners.remove(callback)

    @property
    def idle(self) -> bool:
        """Nothing playing or waiting to play: the CPR tick may come back after speech."""
        return self.player.idle

    # -- what the UI calls: every one returns at once -----------------------------------

    def start(self) -> None:
        """Choose engines, probe the audio device and pre-render what is missing, in the
        background. Safe to call twice."""
        if self.mode == "hidden" or self._background is not None:
            return
        self.player.probe()
        self._background = threading.Thread(
            target=self._start_up, name="kiosk-voice-render", daemon=True
        )
        self._background.start()

    def say(self, key: SpeechKey) -> None:
        """Say ``key``, cutting off whatever is playing. Unknown keys are ignored. Never
        raises: a bad translation string costs the sound, not the screen."""
        if self.mode == "hidden":
            return
        try:
            key = resolve(self.deck, key)
            item = item_for(self.deck, self.site, key)
        except Exception as error:
            self.note(logging.ERROR, f"voice: cannot say {key}: {error!r}")
            return
        if item is None:
            self.note(logging.WARNING, f"voice: nothing to say for {key}")
            return
        self._last = key
        self.player.play(self._speech_source(item))

    def say_step(self, card_id: str, step: int, language: str) -> None:
        """On card open (step 1) and on every step change; ``step`` is 1-based."""
        self.say(SpeechKey.for_step(card_id, step, language))

    def say_section(self, card_id: str, section: str, language: str) -> None:
        """An information page of a card: its heading and items (``script.SPOKEN_SECTIONS``)."""
        self.say(SpeechKey.section(card_id, section, language))

    def say_alarm(self, name: str, language: str) -> None:
        """``seizure-5min``, ``idle-warning`` or ``timer-done`` (see ``script.ALARMS``)."""
        self.say(SpeechKey.alarm(name, language))

    def say_timer_done(self, card_id: str, step: int, language: str) -> None:
        """The end of the countdown on a step (its own ``timer_done`` words if it has them)."""
        self.say(SpeechKey.timer_done(card_id, step, language))

    def repeat(self) -> None:
        """Say the last thing said again (not the CPR track)."""
        if self._last is not None:
            self.say(self._last)

    def stop(self) -> None:
        """Silence now: speech and the CPR tick."""
        self.player.stop()

    def reset(self) -> None:
        """The idle reset: silence, and Repeat forgets the last visitor's step."""
        self.stop()
        self._last = None

    def start_cpr(self, language: str, started_at: float | None = None) -> CprBeat:
        """Start the CPR tick and return its beat; the screen shows ``beat.position(now)``.

        Pass ``started_at`` (the app's clock) when the visual beat is already running:
        the audio joins it in phase. Default: the beat starts now.
        """
        beat = CprBeat(self.clock() if started_at is None else started_at, self.rhythm)
        if self.mode != "hidden":
            self.player.play(self._cpr_source(beat, language))
        return beat

    def close(self) -> None:
        self._closing.set()
        self.player.close()

    # -- rendering ------------------------------------------------------------------------

    def render(self, item: SpeechItem, *, wait: float = ENGINES_WAIT_SECONDS) -> Pcm | None:
        """Audio for ``item``: from the cache (any usable engine's), else rendered by the
        best engine and stored. None when no engine can say it. Blocks: worker threads only.
        """
        if self._background is None and not self.engines_ready.is_set():
            self.choose_all()  # nobody called start(): choose here, on this worker thread
        if not self.engines_ready.wait(wait):
            return None
        choice = self.choices.get(item.language)
        if choice is None:
            choice = self._choose(item.language)
        text = speech_text(item.text, item.language, emergency_numbers=self.emergency_numbers)
        for engine in list(choice.engines):
            found = self.cache.get(cache_name(text, item.language, engine.voice_id))
            if found is not None:
                return found
        for engine in list(choice.engines):
            try:
                pcm = engine.synthesize(text)
            except Exception as error:
                self.note(
                    logging.WARNING,
                    f"voice {item.language}: {engine.name} failed ({error}); not using it",
                )
                choice.engines.remove(engine)
                choice.reasons.append(f"{engine.name} failed: {error}")
                self._changed()
                continue
            self.cache.put(cache_name(text, item.language, engine.voice_id), pcm)
            return pcm
        return None

    def is_cached(self, item: SpeechItem) -> bool:
        """The best engine's audio for ``item`` is in the cache."""
        choice = self.choices.get(item.language)
        if choice is None or choice.best is None:
            return False
        text = speech_text(item.text, item.language, emergency_numbers=self.emergency_numbers)
        return self.cache.has(cache_name(text, item.language, choice.best.voice_id))

    def prerender(self, *, prune: bool = False) -> RenderReport:
        """Render every item not yet cached with the best engine; blocks (install time,
        ``kiosk speak --all``; at start-up it runs on the background thread)."""
        started = time.perf_counter()
        self.choose_all()
        report = RenderReport(items=len(self._items))
        keep = []
        for item in self._items:
            if self._closing.is_set():
                break
            if self.is_cached(item):
                report.cached += 1
            else:
                pcm = self.render(item, wait=0)
                if pcm is None:
                    report.failed += 1
                else:
                    report.rendered += 1
                    report.audio_seconds += pcm.duration
            self._rendered += 1
            keep.extend(self._names(item))
        if prune and not self._closing.is_set():
            report.removed = self.cache.prune(keep)
        report.seconds = time.perf_counter() - started
        report.disk_bytes = self.cache.disk_bytes()
        self.prerendered.set()
        self._changed()
        return report

    def choose_all(self) -> None:
        """Choose the engines of every deck language (loads Piper voices: slow)."""
        for language in self.deck.languages:
            if language not in self.choices:
                self._choose(language)
        self.engines_ready.set()

    def _all_items(self) -> list[SpeechItem]:
        try:
            return speech_items(self.deck, self.site)
        except Exception as error:  # e.g. a translation with a bad {placeholder}
            self.note(logging.ERROR, f"voice: cannot list what to pre-render: {error!r}")
            return []

    def _choose(self, language: str) -> EngineChoice:
        choice = choose_engines(
            language,
            self.site,
            piper_loader=self.piper_loader,
            espeak_command=self.espeak_command,
            note=self.note,
        )
        self.choices[language] = choice
        return choice

    def _names(self, item: SpeechItem) -> list[str]:
        choice = self.choices.get(item.language)
        if choice is None:
            return []
        text = speech_text(item.text, item.language, emergency_numbers=self.emergency_numbers)
        return [cache_name(text, item.language, engine.voice_id) for engine in choice.engines]

    def _start_up(self) -> None:
        _lower_priority()
        try:
            self.choose_all()
            self._changed()
            self.prerender(prune=True)
        except Exception as error:  # the voice must never take the kiosk down
            self.note(logging.ERROR, f"voice start-up failed: {error!r}")
        finally:
            self.engines_ready.set()

    # -- sources for the player ------------------------------------------------------------

    def _speech_source(self, item: SpeechItem) -> Source:
        def prepare() -> Prepared | None:
            try:
                pcm = self.render(item)
            except Exception as error:
                self.note(logging.ERROR, f"voice: rendering {item.key} failed: {error!r}")
                return None
            return prepared_pcm(pcm) if pcm is not None else None

        return Source(str(item.key), prepare)

    def _cpr_source(self, beat: CprBeat, language: str) -> Source:
        def prepare() -> Prepared | None:
            try:
                cue_item = item_for(self.deck, self.site, SpeechKey.cpr_breaths(language))
                cue = self.render(cue_item, wait=1.0) if cue_item is not None else None
            except Exception as error:
                self.note(logging.ERROR, f"voice: the CPR breath cue failed: {error!r}")
                cue = None
            track = CprTrack(beat.rhythm, cue=cue)
            return Prepared(track.rate, self._cpr_chunks(beat, track))

        return Source("cpr", prepare)

    def _cpr_chunks(self, beat: CprBeat, track: CprTrack) -> Iterator[bytes]:
        """The endless track from where the beat is when the first chunk goes out."""
        step = max(1, round(CHUNK_SECONDS * track.rate))
        now = self.clock()  # evaluated at the first chunk: the player is already open
        position = round((now - beat.started_at + OUTPUT_LATENCY_SECONDS) * track.rate)
        while True:
            if position < 0:  # the beat starts in the future: silence until then
                count = min(step, -position)
                yield bytes(SAMPLE_WIDTH * count)
            else:
                count = step
                yield track.render(position, count)
            position += count

    def _changed(self) -> None:
        if not self._listeners:
            return
        status = self.status
        for callback in list(self._listeners):
            try:
                callback(status)
            except Exception as error:
                log.warning("voice status listener failed: %r", error)


def _lower_priority() -> None:
    """Lower this thread's CPU priority (Linux: per thread; children inherit it)."""
    try:
        native_id = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, native_id, RENDER_NICENESS)
    except (AttributeError, OSError):
        pass
