"""Read deck files safely: never block on a FIFO, never read more than the limit.

Whatever sits in a deck directory (a FIFO, a symlink to a device, a huge or
binary file, a directory called ``x.toml``) becomes a :class:`Problem`; only
regular files are opened, and at most ``MAX_FILE_BYTES + 1`` bytes are read.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

from kiosk.deck import toml
from kiosk.deck.model import Problem

MAX_FILE_BYTES = 64 * 1024
"""Size limit of a card file: a card is a page of text, never this big."""
MAX_DECK_FILE_BYTES = 1024 * 1024
"""Size limit of ``deck.toml``, whose ``order`` grows with the deck."""

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOCTTY", 0)
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_AT_LINE_COLUMN = re.compile(r"\(at line (\d+), column (\d+)\)")
_AT_END = re.compile(r"\(at end of document\)")


def kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_text(
    path: Path, is_symlink: bool | None = None, limit: int = MAX_FILE_BYTES, name: str = ""
) -> tuple[str | None, list[Problem]]:
    """The decoded text of a regular file, or ``None`` and the problems that stopped it.

    ``is_symlink`` may come from a ``DirEntry`` to save a system call; when it is
    false the file is opened with ``O_NOFOLLOW`` so it cannot be swapped for a
    symlink in between. Either way the opened descriptor is checked with
    ``fstat`` before a byte is read. ``name`` is ``str(path)`` if the caller has it.
    """
    name = name or str(path)
    flags = _OPEN_FLAGS
    try:
        if is_symlink is None or is_symlink:
            target = os.stat(name)
            if not stat.S_ISREG(target.st_mode):
                return None, [Problem(path, "E018", f"not a regular file: {kind(target.st_mode)}")]
        else:
            flags |= _NOFOLLOW
        fd = os.open(name, flags)
    except FileNotFoundError:
        return None, [Problem(path, "E018", "not a regular file: missing or a broken symlink")]
    except OSError as error:
        return None, [Problem(path, "E031", f"cannot open: {error.strerror or error}")]
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, [Problem(path, "E018", f"not a regular file: {kind(info.st_mode)}")]
        if info.st_size > limit:
            return None, [_too_big(path, limit)]
        data = _read_at_most(fd, limit + 1)
    except OSError as error:
        return None, [Problem(path, "E031", f"cannot read: {error.strerror or error}")]
    finally:
        os.close(fd)
    if len(data) > limit:
        return None, [_too_big(path, limit)]
    return decode(path, data)


def _read_at_most(fd: int, size: int) -> bytes:
    """Up to ``size`` bytes (``os.read`` may return less than asked before the end)."""
    chunks = []
    while size > 0:
        chunk = os.read(fd, size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _too_big(path: Path, limit: int) -> Problem:
    return Problem(path, "E019", f"file larger than {limit // 1024} KiB; not read")


def decode(path: Path, data: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of ``data``; a leading byte-order mark is dropped with a warning."""
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        problems.append(Problem(path, "W012", "byte-order mark at the start; save as plain UTF-8"))
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(
            Problem(
                path,
                "E020",
                f"not valid UTF-8 at byte {error.start} (line {line}); save the file as UTF-8",
                line=line,
            )
        )
        return None, problems


def parse(path: Path, text: str, card_id: str = "") -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse TOML text; a syntax error or too deep nesting becomes a problem."""
    try:
        return toml.loads(text), []
    except toml.TOMLDecodeError as error:
        message = str(error)
        line = getattr(error, "lineno", None)
        found = _AT_LINE_COLUMN.search(message)
        if found:
            line = int(found.group(1))
            message = (
                _AT_LINE_COLUMN.sub("", message).strip() + f" (line {line}, column {found[2]})"
            )
        elif _AT_END.search(message):
            line = text.count("\n") + 1
        return None, [Problem(path, "E001", f"TOML syntax error: {message}", card_id, line)]
    except RecursionError:
        return None, [Problem(path, "E021", "nesting too deep to parse", card_id)]
