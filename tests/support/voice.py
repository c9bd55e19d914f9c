"""A fake voice service for the UI tests: it records what it was asked to say.

``tests/conftest.py`` makes it the service of every app a test starts (so no test plays
sound, spawns aplay or pre-renders the deck); a test that wants the real service sets
``kiosk.voice.ui.service_factory`` back (see tests/voice/test_ui_real.py).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable

from kiosk.voice.cpr import CprBeat, CprRhythm
from kiosk.voice.service import VoiceStatus


class FakeVoice:
    """Records each call: ``said`` holds what would be heard, in order."""

    def __init__(self, deck: Any, site: Any, clock: Callable[[], float]) -> None:
        self.deck = deck
        self.site = site
        self.clock = clock
        self.mode = str(getattr(site, "voice", "off"))
        self.available = self.mode != "hidden"
        self.reason = "" if self.available else "voice is hidden in the site file"
        self.engines = {"en": "espeak-ng 1.51 en-gb s165", "uk": "espeak-ng 1.51 uk s165"}
        self.said: list[tuple[Any, ...]] = []
        self.calls: list[str] = []
        self.idle = True
        self.started = False
        self.closed = False
        self.listeners: list[Callable[[VoiceStatus], None]] = []

    # what the UI reads
    @property
    def control_shown(self) -> bool:
        return self.available

    @property
    def read_aloud_default(self) -> bool:
        return self.mode == "on"

    @property
    def status(self) -> VoiceStatus:
        return VoiceStatus(
            mode=self.mode,
            available=self.available,
            reason_unavailable=self.reason,
            engines=dict(self.engines) if self.available else {},
        )

    def add_listener(self, callback: Callable[[VoiceStatus], None]) -> None:
        self.listeners.append(callback)

    def remove_listener(self, callback: Callable[[VoiceStatus], None]) -> None:
        if callback in self.listeners:
            self.listeners.remove(callback)

    def set_unavailable(self, reason: str) -> None:
        """As the player reports a lost sound card: listeners hear it (from this thread)."""
        self.available, self.reason = False, reason
        for callback in list(self.listeners):
            callback(self.status)

    # what the UI calls
    def start(self) -> None:
        self.started = True
        self.calls.append("start")

    def say_step(self, card_id: str, step: int, language: str) -> None:
        self.said.append(("step", card_id, step, language))

    def say_section(self, card_id: str, section: str, language: str) -> None:
        self.said.append(("section", card_id, section, language))

    def say_alarm(self, name: str, language: str) -> None:
        self.said.append(("alarm", name, language))

    def say_timer_done(self, card_id: str, step: int, language: str) -> None:
        self.said.append(("timer-done", card_id, step, language))

    def start_cpr(self, language: str, started_at: float | None = None) -> CprBeat:
        self.said.append(("cpr", language, started_at))
        return CprBeat(self.clock() if started_at is None else started_at, CprRhythm())

    def repeat(self) -> None:
        self.said.append(("repeat",))

    def stop(self) -> None:
        self.calls.append("stop")

    def reset(self) -> None:
        self.calls.append("reset")

    def close(self) -> None:
        self.closed = True


def the_voice() -> Any:
    """The process's voice service (the fake, in tests), or None before an app built it."""
    import kiosk.voice.ui

    return kiosk.voice.ui._shared


async def voice_ready(app: Any, pilot: Any, timeout: float = 20.0) -> Any:
    """Wait (generously: the machine is shared) until the app has its voice service."""
    deadline = time.monotonic() + timeout
    while app.read_aloud.service is None:
        if time.monotonic() > deadline:
            raise AssertionError("the voice service was never built")
        await asyncio.sleep(0.02)
    await pilot.pause()
    return app.read_aloud.service


async def wait_until(pilot: Any, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition never became true")
        await pilot.pause(0.02)
