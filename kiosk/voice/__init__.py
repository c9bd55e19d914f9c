"""Read it aloud: speech for the cards, the alarms and the CPR beat, offline.

No Textual here. The UI builds one :class:`VoiceService` and calls it; the names below
are importable from ``kiosk.voice`` and load on first use, so ``kiosk.voice.text`` (or
the CLI) does not pull in the player. See ``docs/voice.md``.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CprBeat": "kiosk.voice.cpr",
    "CprPosition": "kiosk.voice.cpr",
    "CprRhythm": "kiosk.voice.cpr",
    "CprTrack": "kiosk.voice.cpr",
    "ALARMS": "kiosk.voice.script",
    "SpeechItem": "kiosk.voice.script",
    "SpeechKey": "kiosk.voice.script",
    "speech_items": "kiosk.voice.script",
    "MODES": "kiosk.voice.service",
    "RenderReport": "kiosk.voice.service",
    "VoiceService": "kiosk.voice.service",
    "VoiceStatus": "kiosk.voice.service",
    "speech_text": "kiosk.voice.text",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kiosk.voice' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
