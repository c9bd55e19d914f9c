"""The fixed choices, in one place: themes, text sizes, browser font sizes, languages.

The site checker validates against these lists, the app cycles through them in this
order, and the browser server clamps to the same range.
"""

from __future__ import annotations

#: Colour themes, in the order the theme button cycles them (``site.theme``).
THEMES = ("dark", "light", "high-contrast")

#: Text sizes, smallest first (``site.text_size``; the ``+``/``-`` keys step through them).
TEXT_SIZES = ("normal", "large", "extra-large")

#: Browser font size in pixels for ``kiosk serve`` (``site.font_size``, ``--font-size``).
FONT_SIZE_RANGE = (8, 96)

#: The language used when a deck names none, and whose interface text fills any gaps.
FALLBACK_LANGUAGE = "en"
