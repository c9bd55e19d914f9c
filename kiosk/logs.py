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

A destination that cannot hold a log is refused before anything is opened
(:func:`log_destination_problem`, also run by ``kiosk check --site`` for
``log_dir``): a system folder (``/etc``, ``/proc``, ``/dev`` ...), a path that is
not a folder, a ``kiosk.log`` that is a FIFO, a device or a symbolic link, a full
disk. The file is opened so that opening can never block or follow a link
(``O_NONBLOCK``, ``O_NOFOLLOW``, regular files only). If a write fails while the
kiosk runs (the disk fills up), the file is dropped, the log goes on in memory and
the reason is noted once; nothing is printed. :func:`memory_only_reason` says why
the log is in memory only, for the staff screen.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import logging
import logging.handlers
import os
import stat
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.site import Site

LOG_FILE_NAME = "kiosk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
RECENT_RECORDS = 200
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

#: Folders (and everything below them) that must never hold the kiosk's log.
SYSTEM_FOLDERS = (
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/proc",
    "/sbin",
    "/sys",
    "/usr",
)
#: A disk with less free space than this is taken as full.
MIN_FREE_BYTES = 64 * 1024

_installed: list[logging.Handler] = []
_log_file: Path | None = None
_memory_only_reason: str | None = None


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


def log_destination_problem(folder: Path | str) -> str | None:
    """Why ``folder`` cannot hold the kiosk's log, or None if nothing rules it out.

    Looks without writing or creating anything; a folder that does not exist yet is
    judged by its nearest existing parent. Permissions are not checked here (the
    operator may check as another user): opening the file tells.
    """
    folder = Path(folder)
    try:
        resolved = os.path.realpath(folder)
    except (OSError, ValueError) as error:
        return f"{folder} cannot be read as a path ({error})"
    for candidate in {os.path.abspath(folder), resolved}:
        if candidate == "/" or any(
            candidate == system or candidate.startswith(system + "/") for system in SYSTEM_FOLDERS
        ):
            return f"{folder} is a system location, not a place for the kiosk's log"
    try:
        info = os.stat(folder)
    except OSError:
        # Missing, or not reachable (a parent is a file, no permission): opening the file
        # at start tells, and the kiosk then logs to memory (not a problem of the value).
        info = None
    if info is not None and not stat.S_ISDIR(info.st_mode):
        return f"{folder} is not a folder"
    log_path = folder / LOG_FILE_NAME
    try:
        file_info = os.lstat(log_path)
    except OSError:  # missing or unreachable: judged when it is opened (see above)
        file_info = None
    if file_info is not None and not stat.S_ISREG(file_info.st_mode):
        return f"{log_path} is {_kind_of_file(file_info.st_mode)}, not a regular file"
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        disk = os.statvfs(existing)
    except OSError:
        return None
    if disk.f_bavail * disk.f_frsize < MIN_FREE_BYTES:
        free = disk.f_bavail * disk.f_frsize // 1024
        return f"the disk holding {folder} is full ({free} KiB free)"
    return None


def _kind_of_file(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def open_log_file(path: Path | str, encoding: str = "utf-8") -> IO[str]:
    """Open ``path`` for appending, never blocking and never through a link.

    ``O_NONBLOCK`` makes opening a FIFO fail at once instead of waiting for a reader;
    ``O_NOFOLLOW`` refuses a symbolic link; anything but a regular file is refused.
    """
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(path, flags, 0o640)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"{_kind_of_file(mode)}, not a regular file", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        return open(descriptor, "a", encoding=encoding, closefd=True)  # noqa: SIM115
    except BaseException:
        os.close(descriptor)
        raise


class KioskLogFile(logging.handlers.RotatingFileHandler):
    """The rotating log file, opened with :func:`open_log_file`.

    A failed write (a full disk, an I/O error, a file swapped for a FIFO before a
    rollover) must never print Python's "--- Logging error ---" report onto the
    terminal: the file is dropped for good and :func:`switch_to_memory` notes why.
    """

    def __init__(self, path: Path) -> None:
        self._failed = False
        super().__init__(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")

    def _open(self) -> IO[str]:  # type: ignore[override]  # logging's own hook for opening the stream
        return open_log_file(self.baseFilename, self.encoding or "utf-8")

    def emit(self, record: logging.LogRecord) -> None:
        if not self._failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        reason = getattr(error, "strerror", None) or repr(error)
        self._failed = True
        stream, self.stream = self.stream, None  # type: ignore[assignment]
        if stream is not None:
            with contextlib.suppress(Exception):  # the buffered text cannot be written either
                stream.close()
        switch_to_memory(f"writing {self.baseFilename} failed ({reason})")

    def flush(self) -> None:
        if not self._failed:
            try:
                super().flush()
            except OSError:
                self.handleError(None)  # type: ignore[arg-type]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            super().close()


def switch_to_memory(reason: str) -> None:
    """From now on the log is in memory only; say why, once (for the staff screen)."""
    global _log_file, _memory_only_reason
    if _memory_only_reason is not None and _log_file is None:
        return
    _log_file = None
    _memory_only_reason = reason
    logging.getLogger("kiosk").warning("log: %s; keeping the log in memory only", reason)


def memory_only_reason() -> str | None:
    """Why the log is kept in memory only (for the staff screen), or None if it has a file."""
    return _memory_only_reason


def setup_logging(site: Site, *, log_dir: Path | None = None) -> Path | None:
    """Send log records to a rotating file; return its path, or None if memory only.

    Replaces the handlers a previous call installed, so calling it twice is safe.
    """
    global _log_file, _memory_only_reason
    shutdown_logging()
    folder = Path(log_dir) if log_dir else Path(site.log_dir) if site.log_dir else None
    if folder is None:
        folder = default_log_dir()
    formatter = logging.Formatter(FORMAT)
    recent = RecentRecords()
    recent.setFormatter(formatter)
    handlers: list[logging.Handler] = [recent]
    log_file = folder / LOG_FILE_NAME
    reason = log_destination_problem(folder)
    if reason is None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            file_handler = KioskLogFile(log_file)
        except (OSError, ValueError) as error:
            reason = f"cannot write the log in {folder} ({_describe(error)})"
        else:
            file_handler.setFormatter(formatter)
            handlers.append(file_handler)
    if reason is not None:
        print(f"kiosk: {reason}; logging to memory only", file=sys.stderr)
        _log_file, _memory_only_reason = None, reason
    else:
        _log_file, _memory_only_reason = log_file, None
    root = logging.getLogger()
    for handler in handlers:
        root.addHandler(handler)
        _installed.append(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    kiosk_log = logging.getLogger("kiosk")
    if reason is not None:
        kiosk_log.warning("log: %s; keeping the log in memory only", reason)
    else:
        kiosk_log.info("kiosk logging to %s", log_file)
    return _log_file


def _describe(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error)


def shutdown_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` installed."""
    global _log_file, _memory_only_reason
    root = logging.getLogger()
    while _installed:
        handler = _installed.pop()
        root.removeHandler(handler)
        handler.close()
    _log_file = None
    _memory_only_reason = None


def log_file() -> Path | None:
    """Where the log goes (for the staff screen), or None when in memory only."""
    return _log_file


def recent_lines() -> list[str]:
    """The last log lines, oldest first (for the staff screen)."""
    for handler in _installed:
        if isinstance(handler, RecentRecords):
            return list(handler.lines)
    return []
