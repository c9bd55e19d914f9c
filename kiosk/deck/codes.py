"""The stable problem codes of ``kiosk check``, in the manner of tldr-lint.

A code never changes meaning once released: new checks get new numbers.
``E`` codes are errors (``kiosk check`` exits 1; a card with an error in its
own file is not loaded), ``W`` codes are warnings (the card still loads).
``docs/deck-format.md`` lists the same codes; a test keeps the two in step.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    # Reading files
    "E001": "TOML syntax error (with line and column)",
    "E002": "unknown key (probably a typo; the closest known key is suggested)",
    "E003": "value of the wrong type (e.g. a string where a list is expected)",
    "E004": "required field missing",
    "E005": "required field or list item empty",
    "E006": "id is not a slug (lowercase letters, digits, single hyphens)",
    "E007": "file name does not match the card's id",
    "E008": "urgency is not self-care, see-a-doctor or emergency",
    "E009": "the same id in two files of one language",
    "E010": "related names a card that is not in the deck",
    "E011": "card has no sources",
    "E012": "source without publisher, title or url",
    "E013": "source url is not an http(s) address",
    "E014": "card has no call_emergency_if (when to call for help)",
    "E015": "reviewed date is in the future",
    "E016": "timer_seconds outside 5..600",
    "E017": "control character in text (line breaks and tabs included)",
    "E018": "not a regular file (FIFO, device, directory, broken symlink)",
    "E019": "file too large (a card over 64 KiB, deck.toml over 1 MiB)",
    "E020": "file is not valid UTF-8 (with byte offset and line)",
    "E021": "nesting too deep for the TOML parser",
    "E022": "cards directory missing or unreadable",
    "E023": "deck.toml missing (the deck loads with defaults)",
    "E024": "language listed in deck.toml but its directory is missing",
    "E025": "card exists in a language but not in the default language",
    "E026": "bad language code in deck.toml",
    "E027": "default_language is not one of the languages",
    "E028": "order names a card that is not in the deck",
    "E029": "duplicate entry in languages or order",
    "E030": "step has both timer_seconds and stopwatch",
    "E031": "file cannot be read (permissions or I/O error)",
    "E032": "more than 20 problems in one file; the rest, including errors, are counted",
    "E033": "step has cpr_beat together with timer_seconds or stopwatch",
    "E034": "step opens a card that is not in the deck",
    "E035": "text more than twice its length limit (title, label, summary, step, list item)",
    # Warnings: the card still loads and is shown.
    "W001": "review overdue (review_due has passed)",
    "W002": "more than 8 steps (the reader is in a hurry)",
    "W003": "step longer than 25 words",
    "W004": "text looks like Rich/Textual markup (it is shown literally)",
    "W005": "text contains an emergency number (it comes from the site file)",
    "W006": "language directory not listed in deck.toml (ignored)",
    "W007": "card missing in a non-default language (the default language is shown)",
    "W008": "card not in deck order (shown after the ordered cards)",
    "W009": "label longer than 18 characters (home tiles are small)",
    "W010": "review_due is before reviewed",
    "W011": "file in a language directory ignored: name does not end in .toml",
    "W012": "file starts with a byte-order mark (removed when read)",
    "W013": "more than one step has a stopwatch",
    "W014": "more than 20 problems in one file; the rest (warnings only) are counted",
    "W015": "timer_label or timer_done on a step without timer_seconds (not shown)",
    "W016": "text longer than its limit: title 34, summary 160, step or list item 120 characters",
}
"""Every code with its one-line explanation."""

INTERNAL_ERROR = "E099"
"""Reserved: a file made the checker itself fail. Should never be seen; please report it."""
