"""Logging for an unattended kiosk: a small rotating file, or memory only.

:func:`setup_logging` is called once, before the app starts. The log folder is
the first of: the ``log_dir`` argument, ``site.log_dir``, ``$KIOSK_LOG_DIR``,
the platform's user state folder (``~/.local/state/kiosk`` on Linux).

Creating that folder is the only write the kiosk ever does, and it happens
here, never on import. If the folder or file cannot be written (read-only
root, unwritable home), the kiosk still runs: one line goes to stderr *before*
the app takes over the terminal (stderr output would corrupt a running
Textual screen), and records are kept only in memory. In every case the last
records are kept in memory for the staff screen (:func:`recent_lines`).
"""

from __future__ import annotations

import collections
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.site import Site

LOG_FILE_NAME = "kiosk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
RECENT_RECORDS = 200
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_installed: list[logging.Handler] = []
_log_file: Path | None = None


class RecentRecords(logging.Handler):
    """Keeps the last formatted records in memory; never writes anywhere."""

    def __init__(self, capacity: int = RECENT_RECORDS) -> None:
        super().__init__()
        self.lines: collections.deque[str] = collections.deque(maxlen=capacity)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a bad record must never reach the visitor's screen
            self.handleError(record)


def default_log_dir() -> Path:
    """``$KIOSK_LOG_DIR``, else the platform's user state folder. Creates nothing."""
    from_env = os.environ.get("KIOSK_LOG_DIR", "")
    if from_env:
        return Path(from_env)
    import platformdirs

    return Path(platformdirs.user_state_dir("kiosk", appauthor=False))


def setup_logging(site: Site, *, log_dir: Path | None = None) -> Path | None:
    """Send log records to a rotating file; return its path, or None if memory only.

    Replaces the handlers a previous call installed, so calling it twice is safe.
    """
    global _log_file
    shutdown_logging()
    folder = Path(log_dir) if log_dir else Path(site.log_dir) if site.log_dir else None
    if folder is None:
        folder = default_log_dir()
    formatter = logging.Formatter(FORMAT)
    recent = RecentRecords()
    recent.setFormatter(formatter)
    handlers: list[logging.Handler] = [recent]
    log_file = folder / LOG_FILE_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        print(
            f"kiosk: cannot write the log in {folder} ({reason}); logging to memory only",
            file=sys.stderr,
        )
        _log_file = None
    else:
        file_handler.setFormatter(formatter)
        handlers.append(file_handler)
        _log_file = log_file
    root = logging.getLogger()
    for handler in handlers:
        root.addHandler(handler)
        _installed.append(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    logging.getLogger("kiosk").info("kiosk logging to %s", _log_file or "memory only")
    return _log_file


def shutdown_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` installed."""
    global _log_file
    root = logging.getLogger()
    while _installed:
        handler = _installed.pop()
        root.removeHandler(handler)
        handler.close()
    _log_file = None


def log_file() -> Path | None:
    """Where the log goes (for the staff screen), or None when in memory only."""
    return _log_file


def recent_lines() -> list[str]:
    """The last log lines, oldest first (for the staff screen)."""
    for handler in _installed:
        if isinstance(handler, RecentRecords):
            return list(handler.lines)
    return []
