"""``kiosk deck install|list|rollback|build``: deck updates as single, checked commands.

Every command prints what it did or why it refused, naming the file and field, and
never a traceback: a refusal exits 1, an unexpected failure 2 (one ``internal error``
line). Everything printed goes through :func:`kiosk.report.printable`, since file
names and messages may come from a hostile bundle.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kiosk.report import INTERNAL_ERROR_STATUS, printable

if TYPE_CHECKING:
    from kiosk.deck.install import InstalledVersion, InstallOptions
    from kiosk.site import Site

DEFAULT_SITE = Path("/etc/kiosk/site.toml")
SITE_ENV = "KIOSK_SITE"
NEXT_STEP = (
    "A running kiosk switches to it on its own, the next time it is on the home screen"
    " with no timer running; no restart is needed."
)
"""Said after an install or rollback (the app's hot reload: :mod:`kiosk.deck_reload`)."""


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``kiosk deck ...`` to the top-level subcommands."""
    deck = sub.add_parser("deck", help="install, list, roll back and build decks")
    actions = deck.add_subparsers(dest="deck_command", metavar="ACTION")
    actions.required = True

    def root_and_site(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--decks",
            type=Path,
            default=None,
            metavar="DIR",
            help="decks root (default: the site file's decks_dir, /opt/kiosk-decks)",
        )
        parser.add_argument(
            "--site",
            type=Path,
            default=None,
            metavar="FILE",
            help=f"site file (default: ${SITE_ENV}, else {DEFAULT_SITE} if it exists)",
        )

    def wait(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--wait",
            type=float,
            default=10.0,
            metavar="SECONDS",
            help="how long to wait for another deck command to finish (default 10)",
        )

    install = actions.add_parser(
        "install", help="copy a deck folder or bundle in, check it, make it live"
    )
    install.add_argument("source", type=Path, metavar="SOURCE", help="deck folder or .kdeck file")
    root_and_site(install)
    wait(install)
    install.add_argument(
        "--signature", type=Path, default=None, help="signature file (default: SOURCE.minisig)"
    )
    install.add_argument(
        "--require-signature",
        action="store_true",
        help="refuse anything but a bundle signed with the site's deck_public_key (USB)",
    )
    install.add_argument(
        "--skip-installed",
        action="store_true",
        help="do nothing if this deck was installed before (USB: a stick left plugged in)",
    )
    install.add_argument(
        "--allow-older", action="store_true", help="install a bundle built before the live one"
    )
    install.add_argument(
        "--allow-volatile",
        action="store_true",
        help="install even where it is lost at reboot (tmpfs, overlay file system)",
    )

    lister = actions.add_parser("list", help="installed versions, which one is live")
    root_and_site(lister)

    rollback = actions.add_parser(
        "rollback", help="make an earlier version live again (default: the one before)"
    )
    rollback.add_argument("version", nargs="?", default=None, metavar="VERSION")
    root_and_site(rollback)
    wait(rollback)

    build = actions.add_parser("build", help="make a bundle (.kdeck) of a deck folder")
    build.add_argument("folder", type=Path, metavar="DIR", help="the deck folder")
    build.add_argument("--out", type=Path, required=True, metavar="FILE", help="bundle to write")
    build.add_argument(
        "--sign", type=Path, default=None, metavar="KEY", help="minisign secret key file"
    )
    build.add_argument(
        "--deck-version",
        default="",
        metavar="TEXT",
        help="version shown to staff (default: build date and content hash)",
    )


def _say(lines: Sequence[str] | str, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    try:
        for line in [lines] if isinstance(lines, str) else lines:
            stream.write(printable(line) + "\n")
        stream.flush()
    except BrokenPipeError:  # `kiosk deck list | head`: the reader has gone; so be it
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


def run(args: argparse.Namespace) -> int:
    """Run ``kiosk deck ACTION``; 0 done, 1 refused, 2 internal error."""
    from kiosk.deck.install import DeckOpError

    action = args.deck_command
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "install": _install,
        "list": _list,
        "rollback": _rollback,
        "build": _build,
    }
    try:
        return handlers[action](args)
    except DeckOpError as error:
        _say([p.format() for p in error.problems])
        _say(f"kiosk deck {action}: refused: {error.message}", sys.stderr)
        return 1
    except KeyboardInterrupt:
        _say(f"kiosk deck {action}: interrupted; the live deck is as it was", sys.stderr)
        return 1
    except Exception as error:  # the operator gets one line, never a traceback
        _say(f"kiosk deck {action}: internal error: {error!r}", sys.stderr)
        return INTERNAL_ERROR_STATUS


# Site file and decks root


def site_path(args: argparse.Namespace) -> Path | None:
    """``--site``, else ``$KIOSK_SITE`` (empty: none), else /etc/kiosk/site.toml if present."""
    if getattr(args, "site", None) is not None:
        return Path(args.site)
    if SITE_ENV in os.environ:
        value = os.environ[SITE_ENV]
        return Path(value) if value else None
    return DEFAULT_SITE if DEFAULT_SITE.exists() else None


def _context(args: argparse.Namespace, blocking: bool) -> tuple[Path, Site, InstallOptions]:
    """(decks root, site, options). With ``blocking``, site errors refuse the command."""
    from kiosk.deck.install import DeckOpError, InstallOptions
    from kiosk.site import load_site

    path = site_path(args)
    loaded = load_site(path)
    if blocking and loaded.errors:
        raise DeckOpError(
            f"the site file {path} has errors (listed above); fix them first: a deck is"
            " checked with its site file, and a broken deck_public_key must never let an"
            " unsigned bundle in",
            tuple(loaded.problems),
        )
    site = loaded.site
    root = Path(args.decks) if getattr(args, "decks", None) else Path(site.decks_dir)
    key = None
    if site.deck_public_key:
        from kiosk.deck.signature import SignatureError, load_public_key

        try:
            key = load_public_key(site.deck_public_key)
        except SignatureError as error:
            raise DeckOpError(f"{path}: deck_public_key: {error}") from None
    options = InstallOptions(
        site_problems=tuple(loaded.problems),
        public_key=key,
        keep=site.keep_deck_versions,
        lock_wait=getattr(args, "wait", 10.0),
    )
    return root, site, options


# install


def _install(args: argparse.Namespace) -> int:
    import dataclasses

    from kiosk.deck.install import DecksRoot, install

    root_path, _, options = _context(args, blocking=True)
    options = dataclasses.replace(
        options,
        signature=args.signature,
        require_signature=args.require_signature,
        skip_installed=args.skip_installed,
        allow_older=args.allow_older,
        allow_volatile=args.allow_volatile,
    )
    root = DecksRoot(root_path)
    outcome = install(root, args.source, options)
    _say([p.format() for p in outcome.warnings])
    version = outcome.version
    assert version is not None
    for note in outcome.notes:
        _say(f"kiosk deck install: {note}")
    if outcome.status in ("unchanged", "skipped"):
        _say("kiosk deck install: nothing changed")
        return 0
    signed = f", signed with key {version.signed_by}" if version.signed_by else ""
    _say(
        [
            f"kiosk deck install: installed {version.name} from {args.source}{signed}:"
            f" {_counts(version)}, deck version {version.deck_version};"
            f" {root.path / 'current'} now points at it.",
            f"previous: {outcome.previous or 'none'}"
            + (" (kiosk deck rollback goes back to it)" if outcome.previous else ""),
        ]
    )
    if outcome.removed:
        _say(f"removed old versions: {', '.join(outcome.removed)}")
    _say(NEXT_STEP)
    return 0


def _counts(version: InstalledVersion) -> str:
    cards, languages, files = version.cards, version.languages, version.card_files
    return (
        f"{cards} card{'s' * (cards != 1)} in {len(languages)}"
        f" language{'s' * (len(languages) != 1)} ({files} card files)"
    )


# list


def _list(args: argparse.Namespace) -> int:
    from kiosk.deck.install import CURRENT, PREVIOUS, DecksRoot

    root_path, _, _ = _context(args, blocking=False)
    root = DecksRoot(root_path)
    if not root.path.is_dir():
        _say(f"kiosk deck list: no decks root {root.path} (install a deck first)", sys.stderr)
        return 1
    today = dt.date.today()
    versions = root.versions()
    live, previous = root.linked_version(CURRENT), root.linked_version(PREVIOUS)
    target = root.link_target(CURRENT)
    header = f"decks root {root.path}: {len(versions)} version{'s' * (len(versions) != 1)}"
    if target is None:
        header += "; no current link: the kiosk has no installed deck"
    elif live is None:
        header += (
            f"; current -> {target}, which is not an installed version"
            f" (install a copy: sudo kiosk deck install {target})"
        )
    _say(header)
    rows = [("", "VERSION", "INSTALLED (UTC)", "CARDS", "LANGUAGES", "DECK VERSION", "REVIEW")]
    for version in reversed(versions):
        state = "live" if version.name == live else "previous" if version.name == previous else ""
        overdue = version.overdue(today)
        if overdue:
            review = f"{overdue} card file{'s' * (overdue != 1)} past review date"
        else:
            coming = version.next_review(today)
            review = f"next due {coming}" if coming else "-"
        installed = version.installed_at.replace("T", " ").rstrip("Z")[:16]
        rows.append(
            (
                state,
                version.name,
                installed,
                str(version.cards),
                ",".join(version.languages),
                version.deck_version,
                review,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    _say(
        ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows]
    )
    for name in root.incomplete():
        _say(f"{root.path / name}: not a complete install (ignored)", sys.stderr)
    if root.leftovers():
        _say(
            f"{len(root.leftovers())} unfinished install(s) in {root.path}; the next install"
            " removes them",
            sys.stderr,
        )
    return 0


# rollback


def _rollback(args: argparse.Namespace) -> int:
    from kiosk.deck.install import DecksRoot, rollback

    root_path, _, options = _context(args, blocking=True)
    root = DecksRoot(root_path)
    outcome = rollback(root, args.version, options)
    _say([p.format() for p in outcome.warnings])
    version = outcome.version
    assert version is not None
    if outcome.status == "unchanged":
        _say(f"kiosk deck rollback: {version.name} is already live; nothing changed")
        return 0
    _say(
        [
            f"kiosk deck rollback: {version.name} is live again ({_counts(version)},"
            f" deck version {version.deck_version}); it replaces {outcome.previous or 'none'}.",
            NEXT_STEP,
        ]
    )
    return 0


# build


def _build(args: argparse.Namespace) -> int:
    from kiosk.deck import bundle as bundles
    from kiosk.deck.install import DeckOpError
    from kiosk.deck.loader import load_deck

    folder, out = Path(args.folder), Path(args.out)
    real_parent, real_folder = os.path.realpath(out.parent), os.path.realpath(folder)
    inside = real_parent == real_folder or real_parent.startswith(real_folder + os.sep)
    if inside:
        raise DeckOpError(f"{out}: write the bundle outside the deck folder {folder}")
    result = load_deck(folder)
    errors = result.errors
    if errors:
        raise DeckOpError(
            f"{folder}: {len(errors)} error(s) (listed above); no bundle written",
            tuple(result.problems),
        )
    try:
        manifest = bundles.build_bundle(folder, out, args.deck_version)
    except bundles.BundleError as error:
        raise DeckOpError(str(error)) from None
    except OSError as error:
        raise DeckOpError(f"{out}: cannot write: {error.strerror or error}") from None
    size = out.stat().st_size
    _say([p.format() for p in result.warnings])
    _say(
        f"kiosk deck build: wrote {out} ({len(manifest.files)} files, {size / 1000:.0f} kB,"
        f" deck version {manifest.deck_version})"
    )
    if args.sign is not None:
        _sign(out, args.sign, manifest.deck_version)
    return 0


def _sign(out: Path, key_path: Path, deck_version: str) -> None:
    from kiosk.deck.install import DeckOpError
    from kiosk.deck.signature import SIGNATURE_SUFFIX, SignatureError, load_secret_key, sign_file

    def password() -> str:
        import getpass

        if sys.stdin is not None and sys.stdin.isatty():
            return getpass.getpass(f"Password for {key_path}: ")
        return (sys.stdin.readline() if sys.stdin else "").rstrip("\r\n")

    try:
        key = load_secret_key(key_path, password)
        comment = f"timestamp:{int(time.time())}\tfile:{out.name}\tdeck:{deck_version}\thashed"
        text = sign_file(out, key, comment)
    except SignatureError as error:
        raise DeckOpError(f"cannot sign: {error}") from None
    signature = out.with_name(out.name + SIGNATURE_SUFFIX)
    temporary = signature.with_name(f".{signature.name}.tmp-{os.getpid()}")
    temporary.write_text(text, encoding="ascii")
    os.replace(temporary, signature)
    _say(f"kiosk deck build: signed with key {key.public_key.key_id_hex}: {signature}")
