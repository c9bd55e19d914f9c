"""Read a small text file safely: never block on a FIFO, never read more than a limit.

Whatever sits at the path (a FIFO, a symlink to a device, a huge or binary file, a
directory called ``x.toml``) comes back as a :class:`ReadFailure` with the detail a
message needs; only regular files are opened, and at most ``limit + 1`` bytes are read.
The deck loader and the site checker turn the failures into their own stable codes.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOCTTY", 0)
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BOM = b"\xef\xbb\xbf"


class ReadFailure(Enum):
    """Why a file's text could not be had."""

    MISSING = "missing"  # no such file, or a broken symlink
    NOT_REGULAR = "not-regular"  # a directory, FIFO, device or socket (``detail`` says which)
    UNREADABLE = "unreadable"  # an OS error (``detail``) while opening or reading (``stage``)
    TOO_LARGE = "too-large"  # more than the limit
    NOT_UTF8 = "not-utf8"  # ``byte`` and ``line`` say where


@dataclass(frozen=True)
class FileText:
    """The text of a file, or the failure that stopped it (``text`` is then None)."""

    text: str | None
    failure: ReadFailure | None = None
    detail: str = ""
    stage: str = ""
    byte: int | None = None
    line: int | None = None
    had_bom: bool = False
    """A UTF-8 byte-order mark started the file; it is not part of ``text``."""


def kind(mode: int) -> str:
    """What a non-regular file is, in words: ``a FIFO (named pipe)``."""
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
    path: Path, limit: int, *, is_symlink: bool | None = None, name: str = ""
) -> FileText:
    """The UTF-8 text of the regular file at ``path`` (at most ``limit`` bytes); never raises.

    ``is_symlink`` may come from a ``DirEntry`` to save a system call; when it is false
    the file is opened with ``O_NOFOLLOW`` so it cannot be swapped for a symlink in
    between. Either way the opened descriptor is checked with ``fstat`` before a byte is
    read, and it is opened non-blocking, so a FIFO swapped in never hangs the reader.
    ``name`` is ``str(path)`` if the caller has it.
    """
    name = name or str(path)
    flags = _OPEN_FLAGS
    try:
        if is_symlink is None or is_symlink:
            target = os.stat(name)
            if not stat.S_ISREG(target.st_mode):
                return FileText(None, ReadFailure.NOT_REGULAR, kind(target.st_mode))
        else:
            flags |= _NOFOLLOW
        fd = os.open(name, flags)
    except FileNotFoundError:
        return FileText(None, ReadFailure.MISSING)
    except OSError as error:
        return FileText(None, ReadFailure.UNREADABLE, _reason(error), stage="open")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return FileText(None, ReadFailure.NOT_REGULAR, kind(info.st_mode))
        if info.st_size > limit:
            return FileText(None, ReadFailure.TOO_LARGE)
        data = _read_at_most(fd, limit + 1)
    except OSError as error:
        return FileText(None, ReadFailure.UNREADABLE, _reason(error), stage="read")
    finally:
        os.close(fd)
    if len(data) > limit:
        return FileText(None, ReadFailure.TOO_LARGE)
    return decode(data)


def decode(data: bytes) -> FileText:
    """UTF-8 text of ``data``; a leading byte-order mark is dropped (and noted)."""
    had_bom = data.startswith(_BOM)
    if had_bom:
        data = data[len(_BOM) :]
    try:
        return FileText(data.decode("utf-8"), had_bom=had_bom)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return FileText(None, ReadFailure.NOT_UTF8, byte=error.start, line=line, had_bom=had_bom)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


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
