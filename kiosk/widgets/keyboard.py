"""An on-screen keyboard for touch-only terminals.

The keyboard shows the letters of the current language (interface string
``keyboard.letters``) plus Delete, Space and Clear keys. It never edits text
itself: it posts :class:`OnScreenKeyboard.Typed`, :class:`OnScreenKeyboard.Backspace`
and :class:`OnScreenKeyboard.Cleared`, and the screen applies them to its input.

Keys are :class:`~kiosk.widgets.tap_key.TapKey` widgets, which cannot take
focus, so tapping one leaves the focus where it was (an ``Input`` keeps
receiving a physical keyboard's keys). For the same reason the
keyboard must not sit inside a focusable scroll container: Textual focuses the
nearest focusable ancestor of whatever is clicked.

How it fits 40x15 to 200x60: a full alphabet cannot have keys three rows tall
on a 15-row screen and still leave room for results. :meth:`OnScreenKeyboard.fit_to`
picks the number of columns from the width (each key at least
:data:`MIN_KEY_WIDTH` cells wide, at most :data:`MAX_COLUMNS` columns, rows
balanced) and makes keys three rows tall when the whole keyboard then fits in
the height its owner can spare; otherwise keys are one row tall ("compact"),
at least three cells wide, separated by gaps and shaded like a chequerboard so
neighbours stay distinct. The owner calls ``fit_to`` on mount, on resize and
on resume.
"""

from __future__ import annotations

import math
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget

from kiosk.strings import Strings
from kiosk.widgets.tap_key import TapKey

MIN_KEY_WIDTH = 3
"""Narrowest letter key, in cells, not counting the one-cell gap (normal text size)."""

MIN_KEY_WIDTH_LARGE = 5
"""Narrowest letter key when the app shows large or extra-large text."""

MAX_COLUMNS = 13
"""More columns than this makes keys hard to find on a wide screen."""


def key_id(char: str) -> str:
    """The widget id of the key for ``char`` (ASCII letters readable, others by code point)."""
    if char.isascii() and char.isalnum():
        return f"key-{char}"
    return f"key-u{ord(char):04x}"


class OnScreenKeyboard(Vertical):
    """Big letter keys plus Delete, Space and Clear; posts what was typed."""

    class Typed(Message):
        """A letter or a space was tapped."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Backspace(Message):
        """Delete was tapped: remove the character before the cursor."""

    class Cleared(Message):
        """Clear was tapped: empty the text."""

    def __init__(self, letters: str, strings: Strings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.letters = "".join(dict.fromkeys(ch for ch in letters if not ch.isspace()))
        self.strings = strings

    def compose(self) -> ComposeResult:
        with Widget(id="keyboard-letters"):
            for char in self.letters:
                yield TapKey(char.upper(), char, id=key_id(char), classes="letter")
        with Horizontal(id="keyboard-functions"):
            yield TapKey(self.strings["keyboard.backspace"], "", id="key-backspace")
            yield TapKey(self.strings["keyboard.space"], " ", id="key-space")
            yield TapKey(self.strings["keyboard.clear"], "", id="key-clear")

    def fit_to(self, width: int, max_height: int, *, large_keys: bool = True) -> None:
        """Choose columns and key height for ``width`` cells and at most ``max_height`` rows.

        Keys are three rows tall if the keyboard then fits in ``max_height``. With
        ``large_keys`` (large text, and rows to spare), keys are wider.
        """
        min_key = MIN_KEY_WIDTH_LARGE if large_keys else MIN_KEY_WIDTH
        count = max(1, len(self.letters))
        max_columns = max(1, min(MAX_COLUMNS, (width + 1) // (min_key + 1)))
        rows = math.ceil(count / max_columns)
        tall = (rows + 1) * 3 <= max_height
        columns = math.ceil(count / rows)
        self.set_class(not tall, "-compact")
        self.fitted_rows = (rows + 1) * (3 if tall else 1)
        letters = self.query_one("#keyboard-letters")
        letters.styles.grid_size_columns = columns
        for index, key in enumerate(letters.query_children(TapKey)):
            row, column = divmod(index, columns)
            key.set_class((row + column) % 2 == 1, "-alt")

    def rows_needed(self, width: int) -> int:
        """The rows the keyboard takes as :meth:`fit_to` last fitted it."""
        return getattr(self, "fitted_rows", 0) or 0

    @property
    def compact(self) -> bool:
        """True when the keys are one row tall (small screens)."""
        return self.has_class("-compact")

    @on(TapKey.Tapped)
    def _key_tapped(self, event: TapKey.Tapped) -> None:
        event.stop()
        if event.key.id == "key-backspace":
            self.post_message(self.Backspace())
        elif event.key.id == "key-clear":
            self.post_message(self.Cleared())
        else:
            self.post_message(self.Typed(event.value))
