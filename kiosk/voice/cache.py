"""Rendered speech on disk, one WAV per (text, language, voice), named by content hash.

The folder is ``site.voice_cache_dir``, else ``voice-cache`` under the log/state folder
(:func:`cache_dir_for`). Files are written atomically (a temporary file, then a rename)
so a power cut never leaves half a WAV that would play as a click. When the folder
cannot be written (read-only root, full disk), the cache says so once and keeps rendered
audio in memory instead, up to :data:`MEMORY_LIMIT_BYTES`; the kiosk keeps speaking.

Only files named like ours (32 hex digits + ``.wav``) in a folder that carries our
``CACHEDIR.TAG`` are ever deleted (:meth:`AudioCache.prune`), so pointing
``voice_cache_dir`` at the wrong folder cannot lose anyone's files.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from kiosk.voice.audio import Pcm
from kiosk.voice.engines import OnceLog, log_once

CACHE_FOLDER_NAME = "voice-cache"
MEMORY_LIMIT_BYTES = 32 * 1024 * 1024
TAG_NAME = "CACHEDIR.TAG"
TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# The first-aid kiosk's rendered speech (kiosk/voice/cache.py); safe to delete.\n"
)
_OUR_FILE = re.compile(r"[0-9a-f]{32}\.wav")


def cache_dir_for(site: object) -> Path:
    """``voice_cache_dir``, else ``voice-cache`` in the log folder's logic (creates nothing)."""
    chosen = str(getattr(site, "voice_cache_dir", "") or "")
    if chosen:
        return Path(chosen)
    log_dir = str(getattr(site, "log_dir", "") or "")
    if log_dir:
        return Path(log_dir) / CACHE_FOLDER_NAME
    from kiosk.logs import default_log_dir

    return default_log_dir() / CACHE_FOLDER_NAME


def cache_name(text: str, language: str, voice_id: str) -> str:
    """The file name: a hash of everything that decides the audio."""
    digest = hashlib.sha256(f"{voice_id}\n{language}\n{text}".encode()).hexdigest()
    return f"{digest[:32]}.wav"


class AudioCache:
    """Get and put rendered speech; thread-safe; never raises for I/O trouble."""

    def __init__(self, folder: Path | None, *, note: OnceLog = log_once) -> None:
        self.folder = folder
        self.note = note
        self.writable = folder is not None
        self._memory: dict[str, Pcm] = {}
        self._memory_bytes = 0
        self._lock = threading.Lock()

    def path(self, name: str) -> Path | None:
        return self.folder / name if self.folder is not None else None

    def has(self, name: str) -> bool:
        with self._lock:
            if name in self._memory:
                return True
        path = self.path(name)
        return path is not None and path.is_file()

    def get(self, name: str) -> Pcm | None:
        """The audio stored under ``name``, or None (missing or unreadable)."""
        with self._lock:
            found = self._memory.get(name)
        if found is not None:
            return found
        path = self.path(name)
        if path is None:
            return None
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        try:
            return Pcm.from_wav(blob)
        except ValueError:
            self.note(logging.WARNING, f"voice cache: {path} is not a WAV; rendering again")
            return None

    def put(self, name: str, pcm: Pcm) -> None:
        """Store on disk; if that fails, in memory (bounded), and say so once."""
        if self.writable and self._write(name, pcm):
            return
        with self._lock:
            if name in self._memory or self._memory_bytes + len(pcm.data) > MEMORY_LIMIT_BYTES:
                return
            self._memory[name] = pcm
            self._memory_bytes += len(pcm.data)

    def _write(self, name: str, pcm: Pcm) -> bool:
        assert self.folder is not None
        temporary = ""
        try:
            self._make_folder()
            descriptor, temporary = tempfile.mkstemp(
                prefix=".partial-", suffix=".wav", dir=self.folder
            )
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(pcm.to_wav())
            os.replace(temporary, self.folder / name)
            return True
        except OSError as error:
            if temporary:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
            self.writable = False
            reason = error.strerror or str(error)
            self.note(
                logging.WARNING,
                f"voice cache: cannot write in {self.folder} ({reason});"
                " keeping rendered speech in memory",
            )
            return False

    def _make_folder(self) -> None:
        assert self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        tag = self.folder / TAG_NAME
        if not tag.exists():
            tag.write_text(TAG_TEXT, encoding="utf-8")

    def prune(self, keep: Iterable[str]) -> int:
        """Delete our files that are not in ``keep`` (stale texts or voices); the count."""
        if self.folder is None or not (self.folder / TAG_NAME).is_file():
            return 0
        wanted = set(keep)
        removed = 0
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return 0
        for entry in entries:
            stale = _OUR_FILE.fullmatch(entry.name) and entry.name not in wanted
            partial = entry.name.startswith(".partial-") and _older_than(entry, 3600)
            if (stale or partial) and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                    removed += 1
                except OSError:
                    pass
        return removed

    def disk_bytes(self) -> int:
        """Bytes in our files on disk (for the benchmark and the staff screen)."""
        if self.folder is None:
            return 0
        total = 0
        try:
            for entry in os.scandir(self.folder):
                if _OUR_FILE.fullmatch(entry.name):
                    total += entry.stat(follow_symlinks=False).st_size
        except OSError:
            return total
        return total


def _older_than(entry: os.DirEntry[str], seconds: float) -> bool:
    """A partial file another process left long ago (not one being written right now)."""
    import time

    try:
        return time.time() - entry.stat(follow_symlinks=False).st_mtime > seconds
    except OSError:
        return False
