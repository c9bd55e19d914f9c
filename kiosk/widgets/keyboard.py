"""An on-screen keyboard for touch-only terminals.

The keyboard shows the letters of the current language (interface string
``keyboard.letters``) plus Delete, Space and Clear keys. It never edits text
itself: it posts :class:`OnScreenKeyboard.Typed`, :class:`OnScreenKeyboard.Backspace`
and :class:`OnScreenKeyboard.Cleared`, and the screen applies them to its input.

Keys cannot take focus, so tapping one leaves the focus where it was (an
``Input`` keeps receiving a physical keyboard's keys). For the same reason the
keyboard must not sit inside a focusable scroll container: Textual focuses the
nearest focusable ancestor of whatever is clicked.

How it fits 40x15 to 200x60: a full alphabet cannot have keys three rows tall
on a 15-row screen and still leave room for results. :meth:`OnScreenKeyboard.fit_to`
picks the number of columns from the width (each key at least
:data:`MIN_KEY_WIDTH` cells wide, so wide screens get fewer, wider rows) and
makes keys three rows tall only when the whole keyboard then takes at most
:data:`TALL_SHARE` of the screen height; otherwise keys are one row tall
("compact"), still several cells wide and separated by gaps. The owner calls
``fit_to`` on mount, on resize and on resume.
"""

from __future__ import annotations

import math

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button

from kiosk.strings import Strings

MIN_KEY_WIDTH = 3
"""Narrowest letter key, in cells, not counting the one-cell gap (normal text size)."""

MIN_KEY_WIDTH_LARGE = 5
"""Narrowest letter key when the app shows large or extra-large text."""

MAX_COLUMNS = 13
"""More columns than this makes keys hard to find on a wide screen."""

TALL_SHARE = 0.45
"""Keys are three rows tall only if the keyboard then uses at most this share of the screen."""

LARGE_SIZE_CLASSES = ("-size-large", "-size-extra-large")


def key_id(char: str) -> str:
    """The widget id of the key for ``char`` (ASCII letters readable, others by code point)."""
    if char.isascii() and char.isalnum():
        return f"key-{char}"
    return f"key-u{ord(char):04x}"


class KeyButton(Button, can_focus=False):
    """A key of the on-screen keyboard: tappable, never focused."""

    def __init__(self, label: str, value: str, **kwargs) -> None:
        super().__init__(Content(label), **kwargs)
        self.value = value


class OnScreenKeyboard(Vertical):
    """Big letter keys plus Delete, Space and Clear; posts what was typed."""

    DEFAULT_CSS = """
    OnScreenKeyboard {
        height: auto;
        width: 1fr;
    }
    OnScreenKeyboard > #keyboard-letters {
        layout: grid;
        height: auto;
        grid-gutter: 0 1;
        grid-rows: 3;
    }
    OnScreenKeyboard > #keyboard-functions {
        height: auto;
    }
    OnScreenKeyboard KeyButton {
        width: 1fr;
        min-width: 1;
        height: 3;
        text-style: bold;
    }
    OnScreenKeyboard > #keyboard-functions > KeyButton {
        margin: 0 1 0 0;
    }
    OnScreenKeyboard > #keyboard-functions > KeyButton#key-space {
        width: 2fr;
    }
    OnScreenKeyboard > #keyboard-functions > KeyButton#key-clear {
        margin: 0;
    }
    OnScreenKeyboard.-compact > #keyboard-letters {
        grid-rows: 1;
    }
    OnScreenKeyboard.-compact > #keyboard-functions > KeyButton#key-space {
        width: 1fr;
    }
    OnScreenKeyboard.-compact KeyButton {
        height: 1;
        border: none;
        background: $panel;
    }
    OnScreenKeyboard.-compact KeyButton:hover {
        background: $primary;
    }
    OnScreenKeyboard.-compact KeyButton.-active {
        background: $accent;
    }
    """

    class Typed(Message):
        """A letter or a space was tapped."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Backspace(Message):
        """Delete was tapped: remove the character before the cursor."""

    class Cleared(Message):
        """Clear was tapped: empty the text."""

    def __init__(self, letters: str, strings: Strings, **kwargs) -> None:
        super().__init__(**kwargs)
        self.letters = "".join(dict.fromkeys(ch for ch in letters if not ch.isspace()))
        self.strings = strings

    def compose(self) -> ComposeResult:
        with Widget(id="keyboard-letters"):
            for char in self.letters:
                yield KeyButton(char.upper(), char, id=key_id(char), classes="letter")
        with Horizontal(id="keyboard-functions"):
            yield KeyButton(self.strings["keyboard.backspace"], "", id="key-backspace")
            yield KeyButton(self.strings["keyboard.space"], " ", id="key-space")
            yield KeyButton(self.strings["keyboard.clear"], "", id="key-clear")

    def fit_to(self, width: int, screen_height: int) -> None:
        """Choose columns and key height for ``width`` cells and a screen ``screen_height`` tall.

        ``width`` is the keyboard's own width (the screen's width less its padding).
        """
        large = any(self.app.has_class(name) for name in LARGE_SIZE_CLASSES)
        min_key = MIN_KEY_WIDTH_LARGE if large else MIN_KEY_WIDTH
        count = max(1, len(self.letters))
        max_columns = max(1, min(MAX_COLUMNS, (width + 1) // (min_key + 1)))
        rows = math.ceil(count / max_columns)
        columns = math.ceil(count / rows)
        tall = (rows + 1) * 3 <= screen_height * TALL_SHARE
        self.set_class(not tall, "-compact")
        self.query_one("#keyboard-letters").styles.grid_size_columns = columns

    @property
    def compact(self) -> bool:
        """True when the keys are one row tall (small screens)."""
        return self.has_class("-compact")

    @on(Button.Pressed, "KeyButton")
    def _key_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        key = event.button
        assert isinstance(key, KeyButton)
        if key.id == "key-backspace":
            self.post_message(self.Backspace())
        elif key.id == "key-clear":
            self.post_message(self.Cleared())
        else:
            self.post_message(self.Typed(key.value))
