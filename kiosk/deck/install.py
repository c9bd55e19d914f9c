"""Installed decks: install a new version, list them, roll back, keep the last few.

A *decks root* (``/opt/kiosk-decks``, the site file's ``decks_dir``) holds::

    2026-12-01T143005Z-3f2a9c1e/   one folder per installed version, never changed
    2026-12-08T091500Z-77b0d4aa/     (name: UTC install time, start of the content hash)
    current -> 2026-12-08T091500Z-77b0d4aa    what every kiosk unit reads
    previous -> 2026-12-01T143005Z-3f2a9c1e   what was live before
    .lock                           held (flock) by the command working on the root

Each version folder carries ``.kiosk-deck.json`` (hidden, so the loader skips it):
what was installed, from where, when, the card and language counts, the review dates
and every file's SHA-256. An install copies the deck into a hidden staging folder,
checks the copy exactly as ``kiosk check`` does, writes that file, flushes everything
to disk, renames the folder to its version name and only then points ``current`` at
it: a new symlink renamed over the old one (``rename(2)`` is atomic), then an fsync of
the root. Killed at any moment, ``current`` names either the old or the new version,
each complete and checked; the staging folders left behind are hidden, never listed
and removed by the next install.

No Textual import here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import fcntl
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.deck import bundle as bundles
from kiosk.deck import live as live_versions
from kiosk.deck.bundle import BundleError, DeckFile
from kiosk.deck.loader import load_deck
from kiosk.deck.model import LoadResult, Problem, Severity

CURRENT = "current"
PREVIOUS = "previous"
LOCK_NAME = ".lock"
METADATA_NAME = ".kiosk-deck.json"
METADATA_FORMAT = 1
STAGING_PREFIX = ".staging-"
TRASH_PREFIX = ".trash-"
LINK_PREFIX = ".link-"
VERSION_NAME = live_versions.VERSION_NAME  # defined in kiosk.deck.live (no heavy imports)
DEFAULT_DECKS_DIR = Path("/opt/kiosk-decks")
DEFAULT_LOCK_WAIT_SECONDS = 10.0
DEFAULT_KEEP = 5
MAX_METADATA_BYTES = 32 * 1024 * 1024
FAILPOINT_ENV = "KIOSK_DECK_FAILPOINT"
"""Tests only: the name of a step at which the command kills itself with SIGKILL."""

_STAMP_FORMAT = "%Y-%m-%dT%H%M%SZ"
_BLOCK = 4096


class DeckOpError(Exception):
    """A refused or failed deck command: ``message`` for the operator, and the deck
    problems that caused it (already pointing at the operator's files)."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems


@dataclass(frozen=True)
class InstalledVersion:
    """One complete installed version, as its ``.kiosk-deck.json`` describes it."""

    name: str
    path: Path
    installed_at: str
    source: str
    deck_version: str
    cards: int
    card_files: int
    languages: tuple[str, ...]
    content_sha256: str
    bundle_created: str = ""
    bundle_sha256: str = ""
    signed_by: str = ""
    warnings: int = 0
    review_due: dict[str, int] = field(default_factory=dict)
    files: tuple[DeckFile, ...] = ()

    def overdue(self, today: dt.date) -> int:
        """Card files whose review date has passed by ``today``."""
        limit = today.isoformat()
        return sum(count for day, count in self.review_due.items() if day < limit)

    def next_review(self, today: dt.date) -> str | None:
        limit = today.isoformat()
        coming = sorted(day for day in self.review_due if day >= limit)
        return coming[0] if coming else None


@dataclass(frozen=True)
class InstallOptions:
    """How an install or rollback is checked. ``site_problems`` come from the site file
    (``load_site``) and count as in ``kiosk check``; ``public_key`` is the site's
    ``deck_public_key`` (a :class:`~kiosk.deck.signature.PublicKey`) or None."""

    site_problems: tuple[Problem, ...] = ()
    public_key: object | None = None
    signature: Path | None = None
    require_signature: bool = False
    allow_older: bool = False
    skip_installed: bool = False
    allow_volatile: bool = False
    keep: int = DEFAULT_KEEP
    lock_wait: float = DEFAULT_LOCK_WAIT_SECONDS
    today: dt.date | None = None


@dataclass(frozen=True)
class Outcome:
    """What a command did: ``status`` is installed, unchanged, skipped or rolled-back."""

    status: str
    version: InstalledVersion | None
    previous: str | None = None
    warnings: tuple[Problem, ...] = ()
    removed: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


# Reading a decks root


def read_metadata(folder: Path) -> InstalledVersion | None:
    """The version described by ``folder/.kiosk-deck.json``; None if absent or damaged."""
    try:
        with open(folder / METADATA_NAME, "rb") as handle:
            raw = json.loads(handle.read(MAX_METADATA_BYTES + 1).decode("utf-8"))
        if raw.get("format") != METADATA_FORMAT:
            return None
        return InstalledVersion(
            name=str(raw["name"]),
            path=folder,
            installed_at=str(raw["installed_at"]),
            source=str(raw["source"]),
            deck_version=str(raw["deck_version"]),
            cards=int(raw["cards"]),
            card_files=int(raw["card_files"]),
            languages=tuple(str(x) for x in raw["languages"]),
            content_sha256=str(raw["content_sha256"]),
            bundle_created=str(raw.get("bundle_created", "")),
            bundle_sha256=str(raw.get("bundle_sha256", "")),
            signed_by=str(raw.get("signed_by", "")),
            warnings=int(raw.get("warnings", 0)),
            review_due={str(k): int(v) for k, v in raw.get("review_due", {}).items()},
            files=tuple(
                DeckFile(str(f["path"]), int(f["size"]), str(f["sha256"])) for f in raw["files"]
            ),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _metadata_json(version: InstalledVersion) -> bytes:
    data = {f.name: getattr(version, f.name) for f in dataclasses.fields(version)}
    data.pop("path")
    data["format"] = METADATA_FORMAT
    data["files"] = [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in version.files]
    return (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode()


class DecksRoot:
    """A decks root folder: its versions and its ``current`` and ``previous`` links."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def link_target(self, name: str = CURRENT) -> str | None:
        try:
            return os.readlink(self.path / name)
        except OSError:
            return None

    def linked_version(self, name: str = CURRENT) -> str | None:
        """The version folder a link names, if it names one of this root's versions."""
        target = self.link_target(name)
        if target is None:
            return None
        target = target.rstrip("/")
        base, parent = os.path.basename(target), os.path.dirname(target)
        inside = parent == "" or os.path.realpath(parent) == os.path.realpath(self.path)
        return base if inside and VERSION_NAME.match(base) else None

    def versions(self) -> list[InstalledVersion]:
        """Every complete version, oldest first (names sort in install order)."""
        found = []
        for name in self.names():
            if VERSION_NAME.match(name):
                version = read_metadata(self.path / name)
                if version is not None and version.name == name:
                    found.append(version)
        return found

    def incomplete(self) -> list[str]:
        """Version-named folders without a readable description: never installable."""
        complete = {v.name for v in self.versions()}
        return [n for n in self.names() if VERSION_NAME.match(n) and n not in complete]

    def leftovers(self) -> list[str]:
        """What an interrupted command left: staging and trash folders, temporary links."""
        prefixes = (STAGING_PREFIX, TRASH_PREFIX, LINK_PREFIX)
        return [n for n in self.names() if n.startswith(prefixes)]

    def live(self) -> InstalledVersion | None:
        name = self.linked_version(CURRENT)
        return read_metadata(self.path / name) if name else None

    def find(self, wanted: str) -> InstalledVersion:
        """A version by its name or the unique start of it."""
        versions = self.versions()
        exact = [v for v in versions if v.name == wanted]
        matches = exact or [v for v in versions if v.name.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
        names = ", ".join(v.name for v in versions) or "none"
        if not matches:
            raise DeckOpError(
                f"no installed version {wanted!r} in {self.path} (installed: {names})"
            )
        raise DeckOpError(
            f"{wanted!r} matches several versions: {', '.join(m.name for m in matches)}"
        )

    def names(self) -> list[str]:
        """Every entry of the root, sorted."""
        try:
            return sorted(os.listdir(self.path))
        except OSError:
            return []


# Checks on the decks root itself


def _mounts() -> list[tuple[str, str, str]]:
    """(mount point, file system type, super options) of each mount, from mountinfo."""
    try:
        text = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    mounts = []
    for line in text.splitlines():
        left, _, right = line.partition(" - ")
        fields, rest = left.split(), right.split()
        if len(fields) >= 5 and len(rest) >= 3:
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
            mounts.append((point, rest[0], rest[2]))
    return mounts


def _mount_of(path: str, mounts: list[tuple[str, str, str]]) -> tuple[str, str, str] | None:
    best = None
    for mount in mounts:
        point = mount[0]
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = mount
    return best


def volatile_reason(path: Path) -> str | None:
    """Why files written under ``path`` would be lost at the next reboot, or None.

    True of a tmpfs, and of an overlay whose writable layer is in memory, such as the
    root of Raspberry Pi OS with its overlay file system on (``overlayroot=tmpfs``,
    which also lays an overlay over every other mount unless ``recurse=0``).
    """
    existing = Path(path)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    real = os.path.realpath(existing)
    mounts = _mounts()
    mount = _mount_of(real, mounts)
    if mount is None:
        return None
    point, kind, options = mount
    if kind in ("tmpfs", "ramfs"):
        return f"a {kind} (in memory)"
    if kind == "overlay":
        upper = next((o[9:] for o in options.split(",") if o.startswith("upperdir=")), "")
        upper_mount = _mount_of(upper, mounts) if upper.startswith("/") else None
        if upper_mount is not None and upper_mount[1] in ("tmpfs", "ramfs"):
            return "an overlay whose changes are kept in memory (the overlay file system)"
        if _overlayroot_active():
            return "the overlay file system (overlayroot), whose changes are kept in memory"
    return None


def _overlayroot_active() -> bool:
    try:
        words = Path("/proc/cmdline").read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return False
    return any(
        (w.startswith("overlayroot=") and w != "overlayroot=disabled") or w == "boot=overlay"
        for w in words
    )


READ_ONLY_ADVICE = (
    "With the overlay file system on, keep the decks root on its own writable partition"
    " mounted at {root} (README: Read-only root); or turn the overlay off"
    " (sudo raspi-config, Performance Options), reboot, install, and turn it back on."
)


def _os_error(error: OSError, root: Path, doing: str) -> DeckOpError:
    """The operator's message for a failed file operation on the decks root."""
    code = error.errno
    if code == errno.EROFS:
        return DeckOpError(
            f"{root} is on a read-only file system; cannot {doing}. "
            + READ_ONLY_ADVICE.format(root=root)
        )
    if code in (errno.EACCES, errno.EPERM):
        return DeckOpError(
            f"cannot {doing}: {root} is not writable by this user ({error.strerror});"
            " run the command with sudo"
        )
    if code in (errno.ENOSPC, errno.EDQUOT):
        return DeckOpError(
            f"the disk holding {root} is full; cannot {doing}. Nothing was changed: the live"
            " deck is as it was. Free some space and try again."
        )
    where = f" ({error.filename})" if error.filename else ""
    return DeckOpError(f"cannot {doing}: {error.strerror or error}{where}")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _failpoint(step: str) -> None:
    if os.environ.get(FAILPOINT_ENV) == step:
        os.kill(os.getpid(), signal.SIGKILL)


@contextlib.contextmanager
def locked(root: DecksRoot, wait: float, doing: str) -> Iterator[None]:
    """Hold ``root/.lock`` (flock) for one command; wait up to ``wait`` s, then refuse."""
    path = root.path / LOCK_NAME
    try:
        if not root.path.is_dir():
            root.path.mkdir(parents=True, exist_ok=True)
            os.chmod(root.path, 0o755)  # readable by the kiosk user whatever the umask
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as error:
        raise _os_error(error, root.path, doing) from None
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    raise DeckOpError(
                        f"another kiosk deck command (pid {holder}) is working on {root.path};"
                        f" waited {wait:g} s. Try again when it has finished."
                    ) from None
                time.sleep(0.1)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


def _check_root_writable(root: DecksRoot, allow_volatile: bool) -> None:
    reason = volatile_reason(root.path)
    if reason and not allow_volatile:
        raise DeckOpError(
            f"{root.path} is on {reason}: a deck installed there is lost at the next reboot. "
            + READ_ONLY_ADVICE.format(root=root.path)
            + " (--allow-volatile installs anyway.)"
        )
    current = root.path / CURRENT
    if current.exists() and not current.is_symlink():
        raise DeckOpError(
            f"{current} is a folder, not a link; move it aside and install it as a version:"
            f" sudo mv {current} {root.path}/old-deck &&"
            f" sudo kiosk deck install {root.path}/old-deck"
        )


def clean_leftovers(root: DecksRoot) -> list[str]:
    """Remove what interrupted commands left (call with the lock held)."""
    removed = []
    for name in root.leftovers():
        path = root.path / name
        try:
            if path.is_symlink() or not path.is_dir():
                path.unlink()
            else:
                shutil.rmtree(path)
            removed.append(name)
        except OSError:
            pass
    return removed


# Installing


def _new_version_name(root: DecksRoot, content: str, now: dt.datetime) -> str:
    """A name that sorts after every installed one, even when the clock is wrong (a Pi
    without network or real-time clock may boot with an old date)."""
    stamp = now.astimezone(dt.timezone.utc).replace(microsecond=0)
    names = [n for n in root.names() if VERSION_NAME.match(n)]
    if names:
        newest = dt.datetime.strptime(VERSION_NAME.match(max(names)).group(1), _STAMP_FORMAT)  # type: ignore[union-attr]
        newest = newest.replace(tzinfo=dt.timezone.utc)
        if stamp <= newest:
            stamp = newest + dt.timedelta(seconds=1)
    base = f"{stamp.strftime(_STAMP_FORMAT)}-{content[:8]}"
    name, suffix = base, 1
    while os.path.lexists(root.path / name):
        suffix += 1
        name = f"{base}-{suffix}"
    return name


def _relocate(problems: tuple[Problem, ...], copy: Path, shown: Path) -> tuple[Problem, ...]:
    """Deck problems found in the staging copy, pointing at the operator's files instead."""
    moved = []
    for problem in problems:
        try:
            relative = Path(problem.path).relative_to(copy)
            problem = dataclasses.replace(problem, path=shown / relative)
        except ValueError:
            pass
        moved.append(problem)
    return tuple(moved)


def check_deck(
    folder: Path, shown: Path, options: InstallOptions
) -> tuple[LoadResult, tuple[Problem, ...]]:
    """``kiosk check`` on ``folder``: the load result and every problem (deck and site)."""
    result = load_deck(folder, options.today)
    problems = _relocate(result.problems, folder, shown) + tuple(options.site_problems)
    return result, problems


def _errors(problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    return tuple(p for p in problems if p.severity is Severity.ERROR)


def _describe(
    name: str,
    folder: Path,
    result: LoadResult,
    problems: tuple[Problem, ...],
    deck_files: tuple[DeckFile, ...],
    source: str,
    deck_version: str,
    manifest_created: str = "",
    bundle_sha256: str = "",
    signed_by: str = "",
) -> InstalledVersion:
    deck = result.deck
    review_due: dict[str, int] = {}
    card_ids = set()
    card_files = 0
    for by_id in deck.cards.values():
        for card in by_id.values():
            card_ids.add(card.id)
            card_files += 1
            day = card.review_due.isoformat()
            review_due[day] = review_due.get(day, 0) + 1
    return InstalledVersion(
        name=name,
        path=folder,
        installed_at=bundles.utc_timestamp(),
        source=source,
        deck_version=deck_version or name,
        cards=len(card_ids),
        card_files=card_files,
        languages=tuple(deck.languages),
        content_sha256=bundles.content_hash(deck_files),
        bundle_created=manifest_created,
        bundle_sha256=bundle_sha256,
        signed_by=signed_by,
        warnings=sum(1 for p in problems if p.severity is Severity.WARNING),
        review_due=dict(sorted(review_due.items())),
        files=tuple(sorted(deck_files, key=lambda f: f.path)),
    )


def _point(root: DecksRoot, link: str, target: str) -> None:
    """Make ``root/link`` name ``target``, atomically: a new link renamed over the old."""
    temporary = root.path / f"{LINK_PREFIX}{link}-{os.getpid()}-{secrets.token_hex(4)}"
    os.symlink(target, temporary)
    try:
        os.replace(temporary, root.path / link)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_dir(root.path)


def _free_bytes(path: Path) -> int:
    info = os.statvfs(path)
    return info.f_bavail * info.f_frsize


def _needed_bytes(sizes: list[int]) -> int:
    """Disk space for files of these sizes, counted in whole blocks, plus room to spare."""
    blocks = sum((size + _BLOCK - 1) // _BLOCK + 1 for size in sizes)
    return blocks * _BLOCK + 128 * 1024


def _check_space(root: DecksRoot, sizes: list[int]) -> None:
    needed, free = _needed_bytes(sizes), _free_bytes(root.path)
    if needed > free:
        raise DeckOpError(
            f"not enough free space in {root.path}: the install needs about"
            f" {_megabytes(needed)}, {_megabytes(free)} free. Nothing was changed."
            " Remove old versions or free some space, then try again."
        )


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def install(
    root: DecksRoot,
    source: Path,
    options: InstallOptions,
    say: Callable[[str], None] = lambda line: None,
) -> Outcome:
    """Install the deck folder or bundle ``source`` as a new version and make it live.

    Raises :class:`DeckOpError` (the live deck untouched) when anything is wrong.
    """
    source = Path(source)
    try:
        kind = os.stat(source).st_mode
    except FileNotFoundError:
        raise DeckOpError(f"{source}: not found") from None
    except OSError as error:
        raise DeckOpError(f"{source}: cannot read: {error.strerror or error}") from None
    is_bundle = not os.path.isdir(source)
    if is_bundle and not stat.S_ISREG(kind):
        raise DeckOpError(f"{source}: not a deck folder or a bundle file")
    if options.require_signature and options.public_key is None:
        raise DeckOpError(
            "signed bundles only, and the site file names no deck_public_key: this path"
            " (USB install) is off. Set deck_public_key in the site file to turn it on."
        )
    if options.require_signature and not is_bundle:
        raise DeckOpError(f"{source}: a folder cannot be signed; build a signed bundle")
    _check_root_writable(root, options.allow_volatile)
    with locked(root, options.lock_wait, "install a deck"):
        clean_leftovers(root)
        staging = root.path / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            try:
                os.mkdir(staging, 0o700)
                return _install_locked(root, source, is_bundle, staging, options, say)
            except OSError as error:
                raise _os_error(error, root.path, "install the deck") from None
            except BundleError as error:
                raise DeckOpError(str(error)) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _install_locked(
    root: DecksRoot,
    source: Path,
    is_bundle: bool,
    staging: Path,
    options: InstallOptions,
    say: Callable[[str], None],
) -> Outcome:
    copy = staging / "deck"
    os.mkdir(copy, 0o755)
    created = bundle_sha256 = signed_by = deck_version = ""
    notes: list[str] = []
    if is_bundle:
        manifest, bundle_sha256, signed_by = _stage_bundle(root, source, staging, copy, options)
        deck_files = manifest.files
        created, deck_version = manifest.created, manifest.deck_version
    else:
        sources = bundles.scan_deck_folder(source)
        _check_space(root, [item.size for item in sources])
        deck_files = tuple(bundles.copy_deck_folder(sources, copy))
        if options.public_key is not None:
            notes.append("installed from a folder, which carries no signature")
    _failpoint("copied")
    content = bundles.content_hash(deck_files)
    live = root.live()
    if live is not None and live.content_sha256 == content:
        return Outcome("unchanged", live, notes=(f"this deck is already live as {live.name}",))
    if options.skip_installed:
        for version in root.versions():
            if version.content_sha256 == content:
                note = f"this deck was installed before as {version.name}; not installed again"
                return Outcome("skipped", version, notes=(note,))
    if (
        is_bundle
        and live is not None
        and live.bundle_created
        and created < live.bundle_created
        and not options.allow_older
    ):
        raise DeckOpError(
            f"{source}: built {created}, before the live deck's bundle ({live.bundle_created});"
            " to go back use kiosk deck rollback, or install it with --allow-older"
        )
    say(f"checking the copy of {source} ...")
    result, problems = check_deck(copy, source, options)
    errors = _errors(problems)
    if errors:
        count = len(errors)
        raise DeckOpError(
            f"{source}: {count} error{'s' * (count != 1)} (listed above); nothing was"
            " installed, the live deck is as it was",
            problems,
        )
    _failpoint("checked")
    name = _new_version_name(root, content, dt.datetime.now(dt.timezone.utc))
    version = _describe(
        name,
        root.path / name,
        result,
        problems,
        tuple(deck_files),
        str(source.absolute()),
        deck_version,
        created,
        bundle_sha256,
        signed_by,
    )
    body = _metadata_json(version)
    bundles.write_new_file(io.BytesIO(body), copy / METADATA_NAME, len(body), METADATA_NAME)
    # Everything on disk before the rename: one sync() instead of an fsync per file,
    # which on an SD card costs minutes for a 10,000-card deck.
    os.sync()
    os.chmod(copy, 0o755)
    os.rename(copy, root.path / name)
    _fsync_dir(root.path)
    _failpoint("renamed")
    previous = root.linked_version(CURRENT)
    if previous is not None:
        _point(root, PREVIOUS, previous)
    _failpoint("previous-linked")
    _point(root, CURRENT, name)
    _failpoint("swapped")
    removed = prune(root, options.keep)
    warnings = tuple(p for p in problems if p.severity is Severity.WARNING)
    return Outcome("installed", version, previous, warnings, tuple(removed), tuple(notes))


def _stage_bundle(
    root: DecksRoot, source: Path, staging: Path, copy: Path, options: InstallOptions
) -> tuple[bundles.Manifest, str, str]:
    """Copy the bundle (and its signature) off the source, check the signature on the copy,
    then extract it: the bytes checked are the bytes extracted, even from a USB stick."""
    from kiosk.deck import signature as signatures

    fd, size = _open_bundle(source)
    _check_space(root, [size, size])
    staged = staging / "bundle.kdeck"
    with os.fdopen(fd, "rb") as handle:
        bundles.write_new_file(handle, staged, size, str(source))
    signature_source = options.signature or source.with_name(
        source.name + signatures.SIGNATURE_SUFFIX
    )
    staged_signature = staging / ("bundle.kdeck" + signatures.SIGNATURE_SUFFIX)
    if os.path.lexists(signature_source):
        sig_fd, sig_size = bundles.open_regular(
            signature_source, signatures.MAX_SIGNATURE_FILE_BYTES
        )
        with os.fdopen(sig_fd, "rb") as handle:
            bundles.write_new_file(handle, staged_signature, sig_size, str(signature_source))
    signed_by = ""
    if options.public_key is not None:
        key = options.public_key
        assert isinstance(key, signatures.PublicKey)
        try:
            signatures.verify_file(staged, staged_signature, key)
        except signatures.SignatureError as error:
            raise DeckOpError(f"{source}: refused: {error}") from None
        signed_by = key.key_id_hex
    bundle_sha256 = _sha256_file(staged)
    manifest = bundles.extract_bundle(staged, copy, str(source))
    return manifest, bundle_sha256, signed_by


def _open_bundle(source: Path) -> tuple[int, int]:
    """The open bundle and its size; a bundle over the limit is refused before a byte is read."""
    try:
        fd = os.open(
            source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        )
    except OSError as error:
        raise DeckOpError(f"{source}: cannot open: {error.strerror or error}") from None
    size = os.fstat(fd).st_size
    if size > bundles.MAX_BUNDLE_BYTES:
        os.close(fd)
        raise DeckOpError(
            f"{source}: {size / 2**20:.0f} MiB, larger than the"
            f" {bundles.MAX_BUNDLE_BYTES // 2**20} MiB a bundle may be; not read"
        )
    return fd, size


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


# Keeping the last few


def prune(root: DecksRoot, keep: int) -> list[str]:
    """Remove the oldest versions beyond the newest ``keep``; never the live one or the
    previous one. Each goes by a rename to a hidden trash name first, so an interrupted
    removal never leaves a half-deleted version that looks installed."""
    versions = [v.name for v in root.versions()]
    protected = {root.linked_version(CURRENT), root.linked_version(PREVIOUS)}
    kept = set(versions[-max(keep, 1) :]) | protected
    removed = []
    for name in versions:
        if name in kept:
            continue
        trash = root.path / f"{TRASH_PREFIX}{name}"
        try:
            os.rename(root.path / name, trash)
            _failpoint("pruning")
            shutil.rmtree(trash)
            removed.append(name)
        except OSError:
            continue
    return removed


# Rolling back


def verify_files(version: InstalledVersion) -> str | None:
    """Why an installed version's files differ from what was installed, or None."""
    for entry in version.files:
        path = version.path / entry.path
        try:
            fd, size = bundles.open_regular(path, bundles.MAX_FILE_BYTES)
        except BundleError:
            return f"{path} is missing or not a regular file"
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(bundles.MAX_FILE_BYTES + 1)
        if size != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
            return f"{path} was changed after it was installed"
    return None


def rollback(root: DecksRoot, wanted: str | None, options: InstallOptions) -> Outcome:
    """Make an installed version live again: ``wanted``, or the newest one older than the
    live one. The version is checked again (files intact, ``kiosk check``) first."""
    _check_root_writable(root, allow_volatile=True)
    with locked(root, options.lock_wait, "roll back"):
        clean_leftovers(root)
        versions = root.versions()
        live = root.linked_version(CURRENT)
        if wanted:
            target = root.find(wanted)
        else:
            older = [v for v in versions if live is None or v.name < live]
            if not older:
                raise DeckOpError(
                    f"no installed version older than the live one ({live or 'none'}) in"
                    f" {root.path}; name one (kiosk deck list)"
                )
            target = older[-1]
        if target.name == live:
            return Outcome("unchanged", target, notes=(f"{target.name} is already live",))
        damage = verify_files(target)
        if damage:
            raise DeckOpError(f"{target.name}: {damage}; not rolled back")
        _, problems = check_deck(target.path, target.path, options)
        errors = _errors(problems)
        if errors:
            raise DeckOpError(f"{target.name}: {len(errors)} error(s); not rolled back", problems)
        try:
            if live is not None:
                _point(root, PREVIOUS, live)
            _point(root, CURRENT, target.name)
        except OSError as error:
            raise _os_error(error, root.path, "roll back") from None
        warnings = tuple(p for p in problems if p.severity is Severity.WARNING)
        return Outcome("rolled-back", target, live, warnings)
