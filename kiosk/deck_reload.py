"""Hot reload for the app: watch the ``--cards`` link, load a new version off the UI
thread, and hold it until the app is on the home screen with no timer running.

No Textual import: :class:`KioskApp` decides when to ask (on returning home and on a slow
timer while idle at home) and when to switch; this module only watches and loads.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kiosk.deck.live import DeckWatcher, deck_version
from kiosk.deck.model import LoadResult

log = logging.getLogger("kiosk")

POLL_SECONDS = 3.0
"""How often the home screen looks at the link while nobody touches the kiosk."""


class DeckReload:
    """The deck behind ``cards_dir``; a change only when ``cards_dir`` is a symbolic link.

    ``cards_dir`` None is the bundled deck: never watched.
    """

    def __init__(self, cards_dir: Path | None) -> None:
        self.watcher: DeckWatcher | None = None
        if cards_dir is not None and Path(cards_dir).is_symlink():
            self.watcher = DeckWatcher(Path(cards_dir))
        self.live: Path | None = self.watcher.loaded if self.watcher is not None else None
        """The version folder of the deck on screen (None: not watched)."""
        self.loading = False
        """A new version is being loaded (in a worker thread)."""

    @property
    def watching(self) -> bool:
        return self.watcher is not None

    @property
    def staff_label(self) -> str:
        """The deck version as staff read it."""
        return deck_version(self.live).label if self.live is not None else "bundled deck"

    @property
    def version_name(self) -> str:
        """The version folder's name, as the metrics file reports it (``run.py`` at start)."""
        return deck_version(self.live).name if self.live is not None else "bundled deck"

    def poll(self) -> Path | None:
        """The new version folder to load, or None (one readlink; never raises)."""
        if self.watcher is None or self.loading:
            return None
        return self.watcher.poll()

    def load(self, folder: Path) -> LoadResult | None:
        """Load ``folder`` (call it from a worker thread); None if it is no use.

        Either way the folder is accepted, so a broken version is tried once, not at
        every return home; the kiosk keeps the deck it has and the log says why.
        """
        from kiosk.deck import load_deck  # not on the way to the first paint

        try:
            result: LoadResult | None = load_deck(folder)
        except Exception:  # load_deck reports problems; this is the belt and braces
            log.exception("deck: could not load the new version %s; keeping the old deck", folder)
            result = None
        if result is not None:
            for problem in result.problems:
                log.warning("deck: %s", problem.format())
            if result.deck.is_empty:
                log.error("deck: the new version %s has no cards; keeping the old deck", folder)
                result = None
        if self.watcher is not None:
            self.watcher.accept(folder)
        return result

    def switched(self, folder: Path) -> None:
        """The app now shows the deck loaded from ``folder``."""
        self.live = folder
