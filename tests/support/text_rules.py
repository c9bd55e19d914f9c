"""One example of each class of character the shared text rule forbids (red team C3)."""

from __future__ import annotations

#: class name -> characters of that class (each one must be refused, in cards and site files)
FORBIDDEN = {
    "c0-control": "\x07\x1b",
    "tab": "\t",
    "line-break": "\n\r",
    "c1-control": "\x85\x9b",
    "del": "\x7f",
    "bidi-mark": "\u061c\u200e\u200f",
    "bidi-embedding-override": "\u202a\u202b\u202c\u202d\u202e",
    "bidi-isolate": "\u2066\u2067\u2068\u2069",
    "zero-width": "\u200b\u200c\u200d\u2060\ufeff",
    "line-paragraph-separator": "\u2028\u2029",
}

#: Characters that look unusual but are fine in text a visitor reads.
ALLOWED = "é ї Ґ 急救 🚑 ’ – … № °C ½"


def toml_escape(character: str) -> str:
    """The TOML escape for one character (``\\uXXXX``), so files stay plain ASCII."""
    return f"\\u{ord(character):04x}"
