"""Deck files as the deck checker reports them: the safe reader and TOML parser, with codes.

The reading itself is :mod:`kiosk.core.files` (never blocks on a FIFO, never reads
more than the limit) and the parsing :mod:`kiosk.core.toml`; this module turns what
they report into the deck's stable codes (E001, E018-E021, E031, W012).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.core import files, toml
from kiosk.core.files import ReadFailure, kind
from kiosk.core.problem import Problem

MAX_FILE_BYTES = 64 * 1024
"""Size limit of a card file: a card is a page of text, never this big."""
MAX_DECK_FILE_BYTES = 1024 * 1024
"""Size limit of ``deck.toml``, whose ``order`` grows with the deck."""

__all__ = ["MAX_DECK_FILE_BYTES", "MAX_FILE_BYTES", "kind", "parse", "read_text"]


def read_text(
    path: Path, is_symlink: bool | None = None, limit: int = MAX_FILE_BYTES, name: str = ""
) -> tuple[str | None, list[Problem]]:
    """The decoded text of a regular file, or ``None`` and the problems that stopped it.

    See :func:`kiosk.core.files.read_text` for ``is_symlink`` and ``name``.
    """
    got = files.read_text(path, limit, is_symlink=is_symlink, name=name)
    problems: list[Problem] = []
    if got.had_bom:
        problems.append(Problem(path, "W012", "byte-order mark at the start; save as plain UTF-8"))
    failure = got.failure
    if failure is ReadFailure.MISSING:
        problems.append(Problem(path, "E018", "not a regular file: missing or a broken symlink"))
    elif failure is ReadFailure.NOT_REGULAR:
        problems.append(Problem(path, "E018", f"not a regular file: {got.detail}"))
    elif failure is ReadFailure.UNREADABLE:
        problems.append(Problem(path, "E031", f"cannot {got.stage}: {got.detail}"))
    elif failure is ReadFailure.TOO_LARGE:
        problems.append(Problem(path, "E019", f"file larger than {limit // 1024} KiB; not read"))
    elif failure is ReadFailure.NOT_UTF8:
        message = f"not valid UTF-8 at byte {got.byte} (line {got.line}); save the file as UTF-8"
        problems.append(Problem(path, "E020", message, line=got.line))
    return got.text, problems


def parse(path: Path, text: str, card_id: str = "") -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse TOML text; a syntax error or too deep nesting becomes a problem."""
    data, error = toml.parse(text)
    if error is None:
        return data, []
    if error.too_deep:
        return None, [Problem(path, "E021", "nesting too deep to parse", card_id)]
    message = error.message
    if error.column is not None:
        message = f"{error.description} (line {error.line}, column {error.column})"
    return None, [Problem(path, "E001", f"TOML syntax error: {message}", card_id, error.line)]
