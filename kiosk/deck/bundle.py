"""Deck bundles: one file that an author builds once and copies to every kiosk.

A bundle (``*.kdeck``) is a plain POSIX (ustar) tar archive:

- first member ``kiosk-bundle.json``, the manifest: format and format version, the
  deck version, the build date, and every deck file with its size and SHA-256;
- then the deck's files under ``deck/`` (``deck/deck.toml``, ``deck/en/seizure.toml``),
  regular files only.

Reading one never trusts the archive: :func:`extract_bundle` refuses, naming the member,
anything but regular files and their folders (links, devices, FIFOs, pax or GNU
extension headers, found by a scan of the headers before ``tarfile`` parses them),
absolute paths, ``..``, hidden names, members missing from the manifest or listed
twice, a size or SHA-256 that differs from the manifest, and anything over the size
limits; a bundle larger than :data:`MAX_BUNDLE_BYTES` is refused from its size alone.
Files are streamed into a fresh folder with ``O_EXCL | O_NOFOLLOW``; ``extractall`` is
never used.

No Textual import here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kiosk.deck import files

if TYPE_CHECKING:
    import tarfile

BUNDLE_SUFFIX = ".kdeck"
MANIFEST_NAME = "kiosk-bundle.json"
DECK_PREFIX = "deck/"
BUNDLE_FORMAT = "kiosk-deck-bundle"
FORMAT_VERSION = 1

MAX_BUNDLE_BYTES = 128 * 1024 * 1024
"""Largest bundle (and largest deck) accepted: a 10,000-card deck is about 30 MB."""
MAX_FILE_BYTES = files.MAX_DECK_FILE_BYTES
"""Largest single deck file (``deck.toml`` may be 1 MiB; a card at most 64 KiB)."""
MAX_FILES = 50_000
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 6
MAX_PATH_BYTES = 512
MAX_NAME_BYTES = 255

SKIPPED_NAMES = frozenset(("__pycache__", "__init__.py"))
"""Packaging files of the bundled deck (``kiosk.cards``), never part of a deck."""

_CHUNK = 256 * 1024
_CREATE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOCTTY", 0)
)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")
_CREATED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")
DECK_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+~ -]{0,63}\Z")
"""What a deck version may look like: shown to staff, so short and plain."""

_MEMBER_KINDS = {
    b"1": "a hard link",
    b"2": "a symbolic link",
    b"3": "a character device",
    b"4": "a block device",
    b"6": "a FIFO (named pipe)",
    b"7": "a contiguous file",
    b"x": "a pax extended header",
    b"g": "a pax global header",
    b"L": "a GNU long-name header",
    b"K": "a GNU long-link header",
    b"S": "a GNU sparse file",
}


class BundleError(Exception):
    """A deck source or bundle that cannot be installed; the message names the file."""


@dataclass(frozen=True)
class DeckFile:
    """One file of a deck: its path inside the deck, size in bytes, SHA-256 in hex."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    deck_version: str
    created: str
    files: tuple[DeckFile, ...]

    def to_json(self) -> bytes:
        data = {
            "format": BUNDLE_FORMAT,
            "format_version": FORMAT_VERSION,
            "deck_version": self.deck_version,
            "created": self.created,
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
        }
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    @property
    def content_hash(self) -> str:
        return content_hash(self.files)


def content_hash(deck_files: Iterable[DeckFile]) -> str:
    """SHA-256 over the sorted (path, size, SHA-256) list: the same deck gives the same hash."""
    digest = hashlib.sha256()
    for item in sorted(deck_files, key=lambda f: f.path):
        digest.update(f"{item.path}\0{item.size}\0{item.sha256}\n".encode())
    return digest.hexdigest()


def utc_timestamp(moment: dt.datetime | None = None) -> str:
    moment = moment or dt.datetime.now(dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def path_problem(path: str) -> str | None:
    """Why ``path`` is no safe relative path inside a deck, or None."""
    if not path:
        return "empty name"
    if path.startswith("/"):
        return "absolute path"
    parts = path.split("/")
    if ".." in parts:
        return "'..' in the path"
    if "\\" in path:
        return "backslash in the name"
    if _CONTROL.search(path):
        return "control characters in the name"
    if len(path.encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES:
        return f"path longer than {MAX_PATH_BYTES} bytes"
    if len(parts) > MAX_DEPTH:
        return f"more than {MAX_DEPTH} folders deep"
    for part in parts:
        if part in ("", "."):
            return "empty or '.' path component"
        if part.startswith("."):
            return "hidden name (starting with '.')"
        if len(part.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
            return f"name longer than {MAX_NAME_BYTES} bytes"
    return None


# Deck folders


@dataclass(frozen=True)
class SourceFile:
    path: str
    source: Path
    size: int


def scan_deck_folder(folder: Path) -> list[SourceFile]:
    """Every file of a deck folder, sorted; refuses links, devices and oversized files.

    Hidden names (``.git``, editor swap files) and the bundled deck's packaging
    (``__init__.py``, ``__pycache__``) are skipped, as the loader skips them.
    """
    folder = Path(folder)
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        raise BundleError(f"{folder}: not found") from None
    except OSError as error:
        raise BundleError(f"{folder}: cannot read: {error.strerror or error}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise BundleError(f"{folder}: not a folder or a {BUNDLE_SUFFIX} bundle")
    found: list[SourceFile] = []
    total = 0

    def walk(directory: Path, prefix: str) -> None:
        nonlocal total
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            raise BundleError(f"{directory}: cannot list: {error.strerror or error}") from None
        for entry in entries:
            if entry.name.startswith(".") or entry.name in SKIPPED_NAMES:
                continue
            relative = prefix + entry.name
            where = directory / entry.name
            problem = path_problem(relative)
            if problem:
                raise BundleError(f"{where}: {problem}")
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISLNK(mode):
                raise BundleError(
                    f"{where}: a symbolic link; a deck to install holds regular files only"
                    " (copy the file itself in its place)"
                )
            if stat.S_ISDIR(mode):
                walk(where, relative + "/")
                continue
            if not stat.S_ISREG(mode):
                raise BundleError(f"{where}: {files.kind(mode)}; a deck holds regular files only")
            size = entry.stat(follow_symlinks=False).st_size
            if size > MAX_FILE_BYTES:
                raise BundleError(f"{where}: larger than {MAX_FILE_BYTES // 1024} KiB")
            total += size
            found.append(SourceFile(relative, where, size))
            if len(found) > MAX_FILES:
                raise BundleError(f"{folder}: more than {MAX_FILES} files")
            if total > MAX_BUNDLE_BYTES:
                raise BundleError(f"{folder}: more than {MAX_BUNDLE_BYTES // 2**20} MiB of files")

    walk(folder, "")
    return found


def open_regular(path: Path, limit: int) -> tuple[int, int]:
    """An open descriptor and the size of the regular file ``path`` (never a FIFO or link)."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as error:
        raise BundleError(f"{path}: cannot open: {error.strerror or error}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(fd)
        what = "not a regular file" if not stat.S_ISREG(info.st_mode) else "too large"
        raise BundleError(f"{path}: {what}")
    return fd, info.st_size


def write_new_file(stream: IO[bytes], destination: Path, size: int, shown: str) -> str:
    """Copy exactly ``size`` bytes of ``stream`` into a new file; its SHA-256.

    The file is created with ``O_EXCL | O_NOFOLLOW`` (never through a link, never over
    a file) and mode 0644 whatever the umask, so the kiosk user can read it.
    """
    digest = hashlib.sha256()
    fd = os.open(destination, _CREATE_FLAGS, 0o644)
    try:
        os.fchmod(fd, 0o644)
        remaining = size
        while remaining > 0:
            chunk = stream.read(min(_CHUNK, remaining))
            if not chunk:
                raise BundleError(f"{shown}: ended early (truncated)")
            digest.update(chunk)
            view = memoryview(chunk)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            remaining -= len(chunk)
    finally:
        os.close(fd)
    return digest.hexdigest()


def make_parents(root: Path, relative: str, made: set[str]) -> None:
    """Create the folders of ``relative`` under ``root`` (mode 0755), once each."""
    parts = relative.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        folder = "/".join(parts[:depth])
        if folder in made:
            continue
        path = root / folder
        os.mkdir(path, 0o755)
        os.chmod(path, 0o755)
        made.add(folder)


def copy_deck_folder(sources: list[SourceFile], destination: Path) -> list[DeckFile]:
    """Copy scanned files into the empty folder ``destination``; what was copied."""
    copied = []
    made: set[str] = set()
    for item in sources:
        fd, size = open_regular(item.source, MAX_FILE_BYTES)
        with os.fdopen(fd, "rb") as handle:
            make_parents(destination, item.path, made)
            digest = write_new_file(handle, destination / item.path, size, str(item.source))
            if handle.read(1):
                raise BundleError(f"{item.source}: changed while it was copied; try again")
        copied.append(DeckFile(item.path, size, digest))
    return copied


# Building


def build_bundle(
    folder: Path, out: Path, deck_version: str = "", created: dt.datetime | None = None
) -> Manifest:
    """Write the bundle of deck ``folder`` to ``out`` (atomically: a temporary file renamed).

    ``deck_version`` defaults to the build date and the start of the content hash.
    """
    sources = scan_deck_folder(folder)
    deck_files = []
    for item in sources:
        deck_files.append(DeckFile(item.path, item.size, _sha256_of(item.source)))
    stamp = utc_timestamp(created)
    version = deck_version or f"{stamp[:10]}-{content_hash(deck_files)[:8]}"
    if not DECK_VERSION.match(version):
        raise BundleError(
            f"deck version {version!r}: use up to 64 letters, digits and . _ : + ~ - or spaces"
        )
    manifest = Manifest(version, stamp, tuple(deck_files))
    mtime = int(
        dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
        .replace(tzinfo=dt.timezone.utc)
        .timestamp()
    )
    import tarfile  # here: off the kiosk's start-up path (docs/performance.md)

    out = Path(out)
    temporary = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        with (
            open(temporary, "wb") as raw,
            tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar,
        ):
            body = manifest.to_json()
            tar.addfile(_member(MANIFEST_NAME, len(body), mtime), io.BytesIO(body))
            for item, entry in zip(sources, deck_files):
                data = _read_checked(item, entry)
                tar.addfile(_member(DECK_PREFIX + item.path, len(data), mtime), io.BytesIO(data))
            tar.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return manifest


def _member(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    import tarfile

    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _sha256_of(path: Path) -> str:
    fd, _ = open_regular(path, MAX_FILE_BYTES)
    with os.fdopen(fd, "rb") as handle:
        return hashlib.sha256(handle.read(MAX_FILE_BYTES + 1)).hexdigest()


def _read_checked(item: SourceFile, entry: DeckFile) -> bytes:
    fd, _ = open_regular(item.source, MAX_FILE_BYTES)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
        raise BundleError(f"{item.source}: changed while the bundle was built; build again")
    return data


# Reading


def extract_bundle(bundle: Path, destination: Path, shown: str = "") -> Manifest:
    """Check ``bundle`` and extract its deck into the empty folder ``destination``.

    ``shown`` is the name used in messages (the file the operator gave). Raises
    :class:`BundleError` on the first thing wrong; the caller deletes ``destination``.
    """
    import tarfile

    shown = shown or str(bundle)
    with open(bundle, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_BUNDLE_BYTES:
            raise BundleError(
                f"{shown}: {size // 2**20} MiB, larger than the {MAX_BUNDLE_BYTES // 2**20} MiB"
                " a bundle may be; not read"
            )
        _scan_headers(handle, size, shown)
        handle.seek(0)
        try:
            with tarfile.open(fileobj=handle, mode="r:") as tar:
                return _extract(tar, destination, shown)
        except tarfile.TarError as error:
            raise BundleError(f"{shown}: not a readable bundle ({error})") from None


def _scan_headers(handle: IO[bytes], size: int, shown: str) -> None:
    """Walk the tar headers (without reading any file's data) and refuse every member that
    is not a regular file or folder, before ``tarfile`` sees it: ``tarfile`` would read a
    pax or GNU long-name header whole into memory, and follows its own rules for links."""
    if size < 1024:
        raise BundleError(f"{shown}: not a bundle (too short to be a tar archive)")
    offset = 0
    count = 0
    while offset + 512 <= size:
        handle.seek(offset)
        block = handle.read(512)
        if len(block) < 512:
            break
        if block == bytes(512):
            if count == 0:  # (Python 3.9's tarfile fails on this with EINVAL)
                raise BundleError(f"{shown}: not a bundle (an empty tar archive)")
            return
        count += 1
        magic = block[257:263]
        if magic not in (b"ustar\x00", b"ustar "):
            what = "not a bundle" if count == 1 else f"member {count} is damaged"
            raise BundleError(f"{shown}: {what} (no ustar tar header)")
        name = _c_string(block[0:100])
        prefix = _c_string(block[345:500]) if magic == b"ustar\x00" else ""
        full = f"{prefix}/{name}" if prefix else name
        kind = block[156:157]
        if kind not in (b"0", b"\x00", b"5"):
            what = _MEMBER_KINDS.get(kind, f"an unknown member type {kind!r}")
            raise BundleError(
                f"{shown}: {full!r} is {what}; a bundle holds only regular files"
                " (build it with kiosk deck build)"
            )
        if count > MAX_FILES + MAX_FILES // 4:
            raise BundleError(f"{shown}: more than {MAX_FILES} members")
        field = block[124:136]
        if field[:1] and field[0] & 0x80:
            raise BundleError(f"{shown}: {full!r} has a binary size field (too large)")
        try:
            member_size = int(field.replace(b"\x00", b" ").strip() or b"0", 8)
        except ValueError:
            raise BundleError(f"{shown}: {full!r} has a damaged size field") from None
        offset += 512 + (member_size + 511) // 512 * 512
    raise BundleError(f"{shown}: truncated (no end-of-archive marker)")


def _c_string(field: bytes) -> str:
    return field.split(b"\x00", 1)[0].decode("utf-8", "backslashreplace")


def _extract(tar: tarfile.TarFile, destination: Path, shown: str) -> Manifest:
    first = tar.next()
    if first is None or first.name != MANIFEST_NAME or not first.isreg():
        raise BundleError(f"{shown}: the first member must be {MANIFEST_NAME}")
    if first.size > MAX_MANIFEST_BYTES:
        raise BundleError(f"{shown}: {MANIFEST_NAME} is larger than {MAX_MANIFEST_BYTES} bytes")
    stream = tar.extractfile(first)
    assert stream is not None  # a regular member always has data
    manifest = parse_manifest(stream.read(MAX_MANIFEST_BYTES + 1), f"{shown}: {MANIFEST_NAME}")
    expected = {entry.path: entry for entry in manifest.files}
    folders = {"/".join(p.split("/")[:i]) for p in expected for i in range(1, p.count("/") + 1)}
    seen: set[str] = set()
    made: set[str] = set()
    while True:
        info = tar.next()
        if info is None:
            break
        name = info.name
        where = f"{shown}: {name!r}"
        problem = path_problem(name)
        if problem:
            raise BundleError(f"{where}: {problem}")
        if not name.startswith(DECK_PREFIX) and name != DECK_PREFIX.rstrip("/"):
            raise BundleError(f"{where}: not in the manifest (deck files are under {DECK_PREFIX})")
        relative = name[len(DECK_PREFIX) :]
        if info.isdir():
            if relative == "" or relative in folders:
                continue
            raise BundleError(f"{where}: a folder not in the manifest")
        if not info.isreg():
            raise BundleError(f"{where}: not a regular file")
        if relative in seen:
            raise BundleError(f"{where}: appears twice in the bundle")
        entry = expected.get(relative)
        if entry is None:
            raise BundleError(f"{where}: not in the manifest")
        if info.size != entry.size:
            raise BundleError(
                f"{where}: {info.size} bytes, but the manifest says {entry.size} (tampered?)"
            )
        data = tar.extractfile(info)
        assert data is not None
        make_parents(destination, relative, made)
        digest = write_new_file(data, destination / relative, entry.size, where)
        if digest != entry.sha256:
            raise BundleError(
                f"{where}: SHA-256 differs from the manifest; the file was changed after the"
                " bundle was built"
            )
        seen.add(relative)
    missing = sorted(expected.keys() - seen)
    if missing:
        raise BundleError(f"{shown}: {missing[0]!r} is in the manifest but not in the bundle")
    return manifest


def parse_manifest(data: bytes, shown: str) -> Manifest:
    """The manifest, checked field by field; the message names the field."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise BundleError(f"{shown}: larger than {MAX_MANIFEST_BYTES} bytes")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise BundleError(f"{shown}: not valid JSON ({error})") from None
    if not isinstance(raw, dict):
        raise BundleError(f"{shown}: must be a JSON object")
    known = {"format", "format_version", "deck_version", "created", "files"}
    for key in sorted(set(raw) - known):
        raise BundleError(f"{shown}: unknown field {key!r}")
    if raw.get("format") != BUNDLE_FORMAT:
        raise BundleError(f"{shown}: format must be {BUNDLE_FORMAT!r}")
    version = raw.get("format_version")
    if type(version) is not int:
        raise BundleError(f"{shown}: format_version must be a whole number")
    if version != FORMAT_VERSION:
        raise BundleError(
            f"{shown}: format_version {version} is not {FORMAT_VERSION}, the one this kiosk"
            " reads; update the kiosk software or build the bundle with this version"
        )
    deck_version = raw.get("deck_version")
    if not isinstance(deck_version, str) or not DECK_VERSION.match(deck_version):
        raise BundleError(f"{shown}: deck_version must be up to 64 plain characters")
    created = raw.get("created")
    if not isinstance(created, str) or not _CREATED.match(created):
        raise BundleError(f"{shown}: created must be a UTC time like 2026-12-01T14:30:05Z")
    entries = raw.get("files")
    if not isinstance(entries, list) or not entries:
        raise BundleError(f"{shown}: files must be a non-empty list")
    if len(entries) > MAX_FILES:
        raise BundleError(f"{shown}: files lists more than {MAX_FILES} files")
    parsed = []
    paths: set[str] = set()
    total = 0
    for index, entry in enumerate(entries):
        parsed.append(_manifest_file(entry, f"{shown}: files[{index}]", paths))
        total += parsed[-1].size
        if total > MAX_BUNDLE_BYTES:
            raise BundleError(f"{shown}: the files add up to more than {MAX_BUNDLE_BYTES} bytes")
    return Manifest(deck_version, created, tuple(parsed))


def _manifest_file(entry: Any, where: str, paths: set[str]) -> DeckFile:
    if not isinstance(entry, dict) or set(entry) != {"path", "size", "sha256"}:
        raise BundleError(f"{where}: must have exactly path, size and sha256")
    path, size, digest = entry["path"], entry["size"], entry["sha256"]
    if not isinstance(path, str):
        raise BundleError(f"{where}.path must be a string")
    problem = path_problem(path)
    if problem:
        raise BundleError(f"{where}.path {path!r}: {problem}")
    if path in paths:
        raise BundleError(f"{where}.path {path!r} is listed twice")
    paths.add(path)
    if type(size) is not int or not 0 <= size <= MAX_FILE_BYTES:
        raise BundleError(f"{where}.size must be a whole number from 0 to {MAX_FILE_BYTES}")
    if not isinstance(digest, str) or not _SHA256.match(digest):
        raise BundleError(f"{where}.sha256 must be 64 lower-case hex digits")
    return DeckFile(path, size, digest)
