"""Interface text per language, read from ``kiosk/i18n/<lang>/*.toml``.

Each file is a flat table of ``key = "text"``; the files of one language are
merged, so each part of the UI keeps its own file. A key missing in a
language falls back to English, then to the key itself, so a gap in a
translation never blanks a button.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from kiosk.core import toml
from kiosk.core.choices import FALLBACK_LANGUAGE

I18N_DIR = Path(__file__).parent / "i18n"


@cache
def _read_language(language: str) -> Mapping[str, str]:
    merged: dict[str, str] = {}
    folder = I18N_DIR / language
    if folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            data = toml.loads(path.read_text(encoding="utf-8"))
            merged.update({str(k): str(v) for k, v in data.items()})
    return merged


#: The file of each language that holds ``language.name`` (see :func:`language_name`).
NAME_FILE = "core.toml"


@cache
def language_name(language: str) -> str:
    """The name of ``language`` in itself ("Українська"), as the language button shows it.

    Read from that language's :data:`NAME_FILE` alone: the home screen names the next
    language before anyone chose it, and parsing all of that language's text for one word
    cost a few milliseconds of every start (issue 19). ``tests/core/test_strings.py`` checks that
    every language keeps its name there.
    """
    path = I18N_DIR / language / NAME_FILE
    try:
        name = toml.loads(path.read_text(encoding="utf-8")).get("language.name")
    except (OSError, toml.TOMLDecodeError):
        name = None
    return str(name) if name else Strings(language)["language.name"]


class Strings:
    """Look up interface text: ``strings["home.search"]``, ``strings.format("step", n=2)``."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._own = _read_language(language)

    def __getitem__(self, key: str) -> str:
        found = self._own.get(key)
        if found:
            return found
        # read only when a key is missing (a complete translation never needs it)
        return _read_language(FALLBACK_LANGUAGE).get(key) or key

    def format(self, key: str, **values: object) -> str:
        return self[key].format(**values)


def available_languages() -> tuple[str, ...]:
    """Languages that have interface text."""
    folders = (p for p in I18N_DIR.iterdir() if p.is_dir() and not p.name.startswith("_"))
    return tuple(sorted(p.name for p in folders))
