"""The font the printouts are set in: DejaVu Sans, found on the system at run time.

It has the Cyrillic letters that Ukrainian needs ("і", "ї", "є", "ґ"), and Debian and
Raspberry Pi OS ship it in ``fonts-dejavu-core``, which the kiosk's deployment already
installs for the terminal. It is never bundled (the two files are over 1 MB together).
``$KIOSK_PRINT_FONT`` and ``$KIOSK_PRINT_FONT_BOLD`` name other files; ``fc-match``
finds DejaVu where a distribution keeps it elsewhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: Letters a printout font must have: the Ukrainian ones missing from Russian fonts.
REQUIRED_LETTERS = "іїєґІЇЄҐ"
_SEARCH_DIRS = (
    "/usr/share/fonts/truetype/dejavu",  # Debian, Raspberry Pi OS, Ubuntu
    "/usr/share/fonts/dejavu",  # Fedora, Arch
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
)
_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
_ENV = {False: "KIOSK_PRINT_FONT", True: "KIOSK_PRINT_FONT_BOLD"}
INSTALL_HINT = (
    "install the Debian package fonts-dejavu-core (sudo apt-get install fonts-dejavu-core)"
)


class FontMissing(Exception):
    """No usable font: the message says what to install."""


@dataclass(frozen=True)
class Fonts:
    regular: Path
    bold: Path


def find_fonts() -> Fonts:
    """The regular and bold font files. Raises :class:`FontMissing` with a hint."""
    return Fonts(_find(bold=False), _find(bold=True))


def _find(bold: bool) -> Path:
    named = os.environ.get(_ENV[bold], "")
    candidates = [Path(named)] if named else []
    candidates += [Path(folder) / _FILES[bold] for folder in _SEARCH_DIRS]
    for path in candidates:
        if path.is_file():
            missing = _missing_letters(path)
            if missing:
                raise FontMissing(f"{path} has no {missing!r}: {INSTALL_HINT}")
            return path
    found = _fc_match("DejaVu Sans:bold" if bold else "DejaVu Sans")
    if found is not None and found.name == _FILES[bold] and not _missing_letters(found):
        return found
    raise FontMissing(f"no {_FILES[bold]} found: {INSTALL_HINT}")


def _missing_letters(path: Path) -> str:
    """The required letters that the font at ``path`` lacks ("" if it has them all)."""
    try:
        from fontTools.ttLib import TTFont

        with TTFont(str(path), lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # not a font file; treat every letter as missing
        return REQUIRED_LETTERS
    return "".join(letter for letter in REQUIRED_LETTERS if ord(letter) not in cmap)


def _fc_match(pattern: str) -> Path | None:
    if shutil.which("fc-match") is None:
        return None
    try:
        done = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(done.stdout.strip())
    return path if done.returncode == 0 and path.is_file() else None
