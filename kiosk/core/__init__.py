"""Shared primitives of the deck and site checkers: no Textual, no Rich.

- :mod:`kiosk.core.problem`: :class:`Problem`, one thing wrong with a file, and its severity.
- :mod:`kiosk.core.files`: the one safe file reader (never blocks, never follows a swap).
- :mod:`kiosk.core.toml`: the TOML parser shim and the one syntax-error reader.
- :mod:`kiosk.core.text`: the rules for card and site text (control characters, markup).
- :mod:`kiosk.core.choices`: the fixed lists (themes, text sizes, font sizes, languages).
"""

from __future__ import annotations

from kiosk.core.problem import Problem, Severity

__all__ = ["Problem", "Severity"]
