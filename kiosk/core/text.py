"""What card and site text may hold: the one rule for control characters, and for markup.

Text from cards and the site file is shown as it is written, never interpreted, so
these rules are about what a visitor would see:

- :data:`CONTROL` matches characters that must never be in a card or site text: C0 and
  C1 controls (tab and line breaks included), DEL, the line and paragraph separators
  (U+2028, U+2029), bidirectional marks, embeddings, overrides and isolates (U+061C,
  U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), and zero-width characters (U+200B-U+200D,
  U+2060, U+FEFF). They either move the terminal's cursor or reorder and hide text.
- :data:`MARKUP` matches what Rich or Textual would read as markup (``[bold]``, ``[/]``,
  ``[@click=...]``, ``[$var]``, ``[#fff]``): worth a warning, since it is shown literally.
"""

from __future__ import annotations

import re

#: The characters :data:`CONTROL` matches, as the body of a regular-expression class.
CONTROL_CHARACTERS = (
    "\x00-\x1f\x7f-\x9f"  # C0 controls (tab, line breaks), DEL, C1 controls
    "\u061c\u200e\u200f"  # bidi marks: ALM, LRM, RLM
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates
    "\u2028\u2029"  # line and paragraph separators
    "\u200b-\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner, word joiner, BOM
)
CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
MARKUP = re.compile(r"\[[a-zA-Z#/@$][^\[\]\n]*\]")


def first_control(text: str) -> str | None:
    """The first character of ``text`` that :data:`CONTROL` forbids, or None."""
    found = CONTROL.search(text)
    return found.group() if found else None


def looks_like_markup(text: str) -> bool:
    """True if ``text`` holds something Rich or Textual would read as markup."""
    return "[" in text and MARKUP.search(text) is not None


def printable(text: str) -> str:
    """``text`` safe for a terminal: forbidden characters and lone surrogates escaped.

    For what the command line prints (file names and messages come from whatever is in
    the deck), so that nothing it prints can move the cursor or reorder the line.
    """
    text = CONTROL.sub(lambda found: ascii(found.group())[1:-1], text)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
