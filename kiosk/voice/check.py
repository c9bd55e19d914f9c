"""``kiosk check --site``: the deck languages the kiosk cannot say aloud.

Cheap and read-only: it asks espeak-ng which voices it has and looks at the Piper files
the site names (present, config beside it, piper-tts importable) without loading them.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.deck.model import Deck, Problem
from kiosk.voice.engines import PIPER_SETTINGS, espeak_engine, piper_model_for, piper_problem

#: Stable codes, listed in docs/site-config.md.
W_NO_VOICE = "W120"
W_PIPER_UNUSABLE = "W121"


def voice_problems(deck: Deck, site: object, site_path: Path) -> list[Problem]:
    """A warning per deck language that would be silent, and per unusable Piper file."""
    if str(getattr(site, "voice", "off")) == "hidden":
        return []
    problems = []
    for language in deck.languages:
        model = piper_model_for(site, language)
        piper_reason = piper_problem(language, model) if model else None
        if piper_reason is not None:
            key = PIPER_SETTINGS.get(language.split("-")[0].lower(), "voice")
            message = f"{key}: {piper_reason}; falling back to espeak-ng for {language}"
            problems.append(Problem(site_path, W_PIPER_UNUSABLE, message))
        if model and piper_reason is None:
            continue
        espeak = espeak_engine(language)
        if isinstance(espeak, str):
            message = f"voice: deck language {language} has no voice ({espeak}); it stays silent"
            problems.append(Problem(site_path, W_NO_VOICE, message))
    return problems
