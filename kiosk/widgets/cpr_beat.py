"""The CPR beat: a visual metronome at 110 a minute that a helper follows while pushing.

The state is the session's (:class:`kiosk.tools.CprTool`, ``session.tools.cpr``), so the
beat keeps going while the visitor moves between pages and cards, goes Home, or the
kiosk sits idle: only the Stop button ends it. This widget only draws it, from
``tool.beat.position(clock())`` (:class:`kiosk.voice.cpr.CprBeat`), the one timebase the
audible tick uses too: each frame is computed from the start time, never by counting
frames, so the picture cannot drift from the sound.

What it shows: a block that lights up at each compression (one flash per beat, 1.83 a
second; nothing else on it changes faster: safe for photosensitive epilepsy, which
needs under 3 a second), the count 1 to 30 of the set, a steady "2 breaths" marker in the
breath pause, and the time since CPR started.

For sound: the widget posts :class:`CprBeatPanel.Started` (with ``started_at`` on the
app's clock) and :class:`CprBeatPanel.Stopped`; they bubble to the App, where the voice
feature can start the tick in step (``VoiceService.start_cpr(language,
started_at=message.started_at)``). The running state can also be read at any time from
``session.tools.cpr`` (``running(now)``, ``started_at``, ``beat``).
"""

from __future__ import annotations

from typing import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Static

from kiosk.strings import Strings
from kiosk.tools import CprTool, clock_text

#: How long the block stays lit after each compression onset (under half a beat).
FLASH_SECONDS = 0.18
#: Never wake sooner than this (a late timer must not spin).
MIN_WAKE_SECONDS = 0.01


class CprFrame:
    """What one frame of the beat shows at ``now`` (no Textual: the tests sample it)."""

    def __init__(self, tool: CprTool, now: float, strings: Strings) -> None:
        beat = tool.beat
        self.running = beat is not None
        self.elapsed = clock_text(tool.elapsed(now))
        if beat is None:
            self.count = 0
            self.lit = False
            self.breaths = False
            self.pulse = strings["cpr.ready"]
            self.status = strings.format("cpr.time", time=self.elapsed)
            self.wake_in = None
            return
        position = beat.position(now)
        self.breaths = position.in_breath_pause
        self.count = position.count
        self.lit = not self.breaths and position.seconds_into_beat < FLASH_SECONDS
        total = beat.rhythm.compressions
        if self.breaths:
            self.pulse = strings["cpr.breaths"]
        else:
            self.pulse = strings.format("cpr.count", n=position.count, total=total)
        self.status = strings.format("cpr.time", time=self.elapsed)
        # The next moment the picture changes: an onset, the flash ending, or the clock's
        # next whole second.
        waits = [position.seconds_to_next]
        if self.lit:
            waits.append(FLASH_SECONDS - position.seconds_into_beat)
        since = tool.elapsed(now)
        waits.append(1.0 - (since - int(since)))
        self.wake_in = max(MIN_WAKE_SECONDS, min(waits))


class CprBeatPanel(Horizontal):
    """The beat block with the count, the time since CPR started, and Start/Stop."""

    class Started(Message):
        """CPR started: ``started_at`` is the beat's phase on the app's clock."""

        def __init__(self, started_at: float) -> None:
            super().__init__()
            self.started_at = started_at

    class Stopped(Message):
        """The Stop button was tapped."""

    def __init__(
        self, tool: Callable[[], CprTool], clock: Callable[[], float], **kwargs: object
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._tool = tool
        self._clock = clock
        self.strings = Strings("en")
        self._wake: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="cpr-pulse", markup=False)
        yield Static("", id="cpr-status", markup=False)
        yield Button("", id="cpr-toggle", action="screen.cpr_toggle")

    @property
    def tool(self) -> CprTool:
        return self._tool()

    def set_language(self, language: str) -> None:
        self.strings = Strings(language)
        self.show()

    def frame(self) -> CprFrame:
        return CprFrame(self.tool, self._clock(), self.strings)

    def toggle(self) -> None:
        """Start the beat, or stop it (the only way it stops)."""
        tool, now = self.tool, self._clock()
        if tool.running(now):
            tool.stop(now)
            self.post_message(self.Stopped())
        else:
            tool.start(now)
            assert tool.started_at is not None
            self.post_message(self.Started(tool.started_at))
        self.show()

    def show(self) -> CprFrame:
        """Draw the frame for now and wake for the next change while shown and running."""
        frame = self.frame()
        pulse = self.query_one("#cpr-pulse", Static)
        pulse.update(frame.pulse)
        pulse.set_class(frame.lit, "-lit")
        pulse.set_class(frame.breaths, "-breaths")
        pulse.set_class(frame.running, "-running")
        self.query_one("#cpr-status", Static).update(frame.status)
        key = "cpr.stop" if frame.running else "cpr.start"
        self.query_one("#cpr-toggle", Button).label = Content(self.strings[key])
        self._schedule(frame.wake_in if self.display else None)
        return frame

    def hide(self) -> None:
        self._schedule(None)

    def _schedule(self, delay: float | None) -> None:
        if self._wake is not None:
            self._wake.stop()
            self._wake = None
        if delay is not None and self.is_mounted:
            self._wake = self.set_timer(delay, self._woken)

    def _woken(self) -> None:
        self._wake = None
        if self.display:
            self.show()
