"""Hot reload, the data side: has ``current`` moved since the deck was loaded, and which
version is it? No Textual import; the app decides *when* to switch (on the home screen,
no timer running, never in the middle of a card).

    watcher = DeckWatcher(Path("/opt/kiosk-decks/current"))
    deck = load_deck(watcher.loaded)        # the version folder, not the link
    ...
    # each time the app is back on the home screen with no timer running:
    moved_to = watcher.poll()               # one readlink(); None almost always
    if moved_to is not None:
        result = load_deck(moved_to)        # a complete, checked, never-changing folder
        if not result.errors:               # (install refuses decks with errors)
            switch_to(result)
        watcher.accept(moved_to)            # do not try this folder again
    staff_line = deck_version(watcher.loaded).label

``poll`` never raises and never reads a card; loading from the folder it returns (not
from the link) means a second install in between cannot mix two versions.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

VERSION_NAME = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{6}Z)-([0-9a-f]{8})(?:-(\d+))?\Z")
"""A version folder's name, as ``kiosk deck install`` makes it (:mod:`kiosk.deck.install`
uses this one). Here so that the app's start, which only watches the link, does not
import the installer (hashing, archives): about 15 ms."""


@dataclass(frozen=True)
class DeckVersion:
    """What staff read about the deck on screen: ``label``, plus its parts."""

    name: str
    """The version folder's name (``2026-12-01T143005Z-3f2a9c1e``), or the folder's name
    for a deck that was not installed by ``kiosk deck install`` (the bundled deck)."""
    deck_version: str
    """The author's version from the bundle manifest, or ``name``."""
    installed_at: str
    """UTC install time, ``2026-12-01T14:30:05Z``; empty when not installed."""
    path: Path

    @property
    def label(self) -> str:
        if not self.installed_at:
            return f"{self.deck_version} (not installed with kiosk deck install)"
        if self.deck_version != self.name:
            return f"{self.deck_version} (installed {self.installed_at}, {self.name})"
        return f"{self.name} (installed {self.installed_at})"


def deck_version(cards_dir: Path) -> DeckVersion:
    """The version of the deck in ``cards_dir`` (a version folder or a link to one).

    Never raises: a folder without ``.kiosk-deck.json`` is described by its name.
    """
    path = Path(cards_dir)
    try:
        real = Path(os.path.realpath(path))
    except (OSError, ValueError):
        real = path
    installed = None
    if VERSION_NAME.match(real.name):
        from kiosk.deck.install import read_metadata

        installed = read_metadata(real)
    if installed is None:
        name = real.name or str(real)
        if real.name == "cards" and (real / "__init__.py").exists():
            name = "bundled deck"
        return DeckVersion(name, name, "", real)
    return DeckVersion(installed.name, installed.deck_version, installed.installed_at, real)


class DeckWatcher:
    """Tells whether a decks root's ``current`` link now names another version.

    Cheap enough for every return to the home screen: :meth:`poll` is one ``readlink``
    while nothing changed (and one ``stat`` when it did). A ``cards_dir`` that is not a
    link (the bundled deck, a plain folder) never reports a change.
    """

    def __init__(self, cards_dir: Path) -> None:
        self.cards_dir = Path(cards_dir)
        self._link = self._read_link()
        self.loaded = self._resolve()
        """The folder the app loaded (or should load) the deck from."""
        self._seen: tuple[str | None, Path | None] = (None, None)

    def _read_link(self) -> str | None:
        try:
            return os.readlink(self.cards_dir)
        except (OSError, ValueError):
            return None

    def _resolve(self) -> Path:
        try:
            return Path(os.path.realpath(self.cards_dir))
        except (OSError, ValueError):
            return self.cards_dir

    def poll(self) -> Path | None:
        """The new version folder if the link moved to another folder since the deck was
        loaded (or last accepted), else None. Never raises."""
        link = self._read_link()
        if link is None or link == self._link:
            return None
        folder = self._resolve()
        if folder == self.loaded:
            self._link = link  # the same folder, named another way
            return None
        if not folder.is_dir():
            return None
        self._seen = (link, folder)
        return folder

    def accept(self, folder: Path) -> None:
        """Record that the app has dealt with ``folder`` (loaded it, or refused it)."""
        folder = Path(folder)
        link, seen = self._seen
        self._link = link if seen == folder else self._read_link()
        self.loaded = folder

    @property
    def version(self) -> DeckVersion:
        """The version of the deck loaded, for the staff screen."""
        return deck_version(self.loaded)
