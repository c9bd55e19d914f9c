"""The checked deck, kept between starts, so ``kiosk run`` need not parse every card again.

Only ``kiosk run`` uses it (:func:`kiosk.run.load_for_start`); ``kiosk check``, an install
and the hot reload always read the files. The cache lives in :func:`default_cache_dir`
(systemd's cache or state folder, else ``~/.cache/first-aid-kiosk``), never in the deck's
folder, one file per deck folder. Each file holds the deck's *fingerprint*, taken before
the deck was loaded: the names, sizes, modification and change times and inode numbers of
``deck.toml`` and of every entry of every folder of the deck, the same for the deck
checker's own code (``kiosk/deck``, ``kiosk/core``), the Python version and the day the
checks ran (review dates decide problems). A cache whose fingerprint is not the deck's
now is not used.

Anything wrong with the cache (a missing, unreadable, damaged or foreign file, a full or
read-only disk) means a normal load: never an error for the visitor, a warning in the log
for staff. The file is a pickle read by an unpickler that builds nothing but the deck's
own classes (:class:`_DeckUnpickler`), and only from a regular file the kiosk's own user
owns and no one else can write.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import os
import pickle
import stat
import sys
import zlib
from pathlib import Path
from typing import Any

from kiosk.deck.model import LoadResult

log = logging.getLogger("kiosk")

CACHE_FORMAT = 1
MAX_CACHE_BYTES = 16 * 1024 * 1024
"""A cache file larger than this is not read (a 10,000-card deck pickles to about 10 MB)."""

_CODE_DIRS = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "core")

Fingerprint = tuple[Any, ...]


def default_cache_dir() -> Path | None:
    """Where ``kiosk run`` keeps the deck cache; None if there is nowhere.

    Under systemd, ``$CACHE_DIRECTORY`` (``CacheDirectory=``), else
    ``$STATE_DIRECTORY/cache`` (``StateDirectory=``, the folder the usage counts use; the
    console unit's home folder is read-only); otherwise ``$XDG_CACHE_HOME/first-aid-kiosk``,
    else ``~/.cache/first-aid-kiosk``.
    """
    for variable, below in (("CACHE_DIRECTORY", ""), ("STATE_DIRECTORY", "cache")):
        folder = os.environ.get(variable, "").split(":")[0]
        if folder and os.path.isabs(folder):
            return Path(folder) / below if below else Path(folder)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not base or not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home folder for this user
            return None
    return Path(base) / "first-aid-kiosk"


def _stat_key(path: str, name: str) -> tuple[Any, ...]:
    st = os.stat(path)
    return (name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, stat.S_IFMT(st.st_mode))


def fingerprint(cards_dir: Path, today: dt.date) -> Fingerprint | None:
    """What the deck in ``cards_dir`` is made of now (see the module docstring); None if
    the folder cannot be listed."""
    try:
        real = os.path.realpath(cards_dir)
        files: list[tuple[Any, ...]] = []
        with os.scandir(real) as top:
            entries = sorted(top, key=lambda e: e.name)
        for entry in entries:
            files.append(_stat_key(entry.path, entry.name))
            if entry.is_dir():
                with os.scandir(entry.path) as inner:
                    names = sorted(e.name for e in inner)
                for name in names:
                    files.append(_stat_key(os.path.join(entry.path, name), f"{entry.name}/{name}"))
        code = []
        for folder in _CODE_DIRS:
            for name in sorted(os.listdir(folder)):
                if name.endswith(".py"):
                    code.append(_stat_key(os.path.join(folder, name), name))
    except (OSError, ValueError):
        return None
    version = tuple(sys.version_info[:3])
    return (CACHE_FORMAT, version, real, today.isoformat(), tuple(files), tuple(code))


def cache_file(cache_dir: Path, cards_dir: Path) -> Path:
    """The cache file for the deck folder ``cards_dir`` (its real path, named by a checksum)."""
    real = os.path.realpath(cards_dir)
    return (
        Path(cache_dir) / f"deck-{zlib.crc32(real.encode('utf-8', 'surrogateescape')):08x}.pickle"
    )


def usable_cache_dir(cache_dir: Path | None, cards_dir: Path) -> Path | None:
    """``cache_dir``, unless it is None or inside the deck's folder (never written there)."""
    if cache_dir is None:
        return None
    deck = os.path.realpath(cards_dir)
    where = os.path.realpath(cache_dir)
    if where == deck or where.startswith(deck.rstrip(os.sep) + os.sep):
        log.warning("deck cache: %s is inside the deck folder %s; not used", cache_dir, deck)
        return None
    return Path(cache_dir)


class _DeckUnpickler(pickle.Unpickler):
    """Builds the deck's own classes, dates and paths, and nothing else."""

    ALLOWED = {
        ("kiosk.deck.model", name)
        for name in ("LoadResult", "Deck", "Card", "Step", "Source", "Urgency")
    } | {
        ("kiosk.core.problem", "Problem"),
        ("datetime", "date"),
        ("pathlib", "PosixPath"),
        ("pathlib", "WindowsPath"),
        ("pathlib", "Path"),
        ("pathlib._local", "PosixPath"),  # Python 3.13
        ("pathlib._local", "WindowsPath"),
    }

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a deck")
        return super().find_class(module, name)


def read_cache(cache_dir: Path, cards_dir: Path, key: Fingerprint) -> LoadResult | None:
    """The cached deck if its fingerprint is ``key``; otherwise None (logged unless absent)."""
    path = cache_file(cache_dir, cards_dir)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("deck cache: cannot open %s (%s); loading the deck", path, error)
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ValueError("not a regular file")
            if info.st_uid != os.getuid() or info.st_mode & 0o022:
                raise ValueError("not owned by this user alone")
            if info.st_size > MAX_CACHE_BYTES:
                raise ValueError(f"larger than {MAX_CACHE_BYTES // (1024 * 1024)} MiB")
            data = handle.read(MAX_CACHE_BYTES + 1)
        stored_key, result = _DeckUnpickler(io.BytesIO(data)).load()
        if not isinstance(result, LoadResult):
            raise ValueError("holds no deck")
    except Exception as error:  # damaged, foreign or unreadable: load the deck instead
        log.warning("deck cache: ignored %s (%s); loading the deck", path, error)
        return None
    if stored_key != key:
        log.info("deck cache: %s is out of date; loading the deck", path)
        return None
    return result


def write_cache(cache_dir: Path, cards_dir: Path, key: Fingerprint, result: LoadResult) -> bool:
    """Keep ``result`` (loaded from files whose fingerprint, taken before, is ``key``).

    Written to a temporary file and renamed, so a reader never sees half a file; any
    failure (read-only or full disk) is logged and leaves no file behind. Never raises.
    """
    import tempfile  # here: with shutil, bz2 and lzma it costs 12 ms, not worth a start

    path = cache_file(cache_dir, cards_dir)
    temporary = None
    try:
        data = pickle.dumps((key, result), protocol=pickle.HIGHEST_PROTOCOL)
        os.makedirs(cache_dir, mode=0o700, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".deck-", suffix=".tmp", dir=cache_dir)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
        temporary = None
        return True
    except Exception as error:  # a cache is worth no failure
        log.warning(
            "deck cache: could not write %s (%s); the next start loads the deck", path, error
        )
        return False
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
