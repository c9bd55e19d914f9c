"""Hot reload, data side: DeckWatcher notices a new current cheaply; deck_version for staff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.deck import bundled_cards_dir, load_deck
from kiosk.deck.live import DeckWatcher, deck_version
from tests.deckops.conftest import make_deck

pytestmark = [pytest.mark.data]


def install(tmp_path: Path, decks: Path, title: str) -> Path:
    assert (
        main(["deck", "install", str(make_deck(tmp_path / title, title)), "--decks", str(decks)])
        == 0
    )
    return decks / os.readlink(decks / "current")


def test_poll_reports_the_new_version_folder_once(tmp_path, capsys) -> None:
    decks = tmp_path / "decks"
    first = install(tmp_path, decks, "One")
    watcher = DeckWatcher(decks / "current")
    assert watcher.loaded == first.resolve()
    assert watcher.poll() is None
    second = install(tmp_path, decks, "Two")
    moved_to = watcher.poll()
    assert moved_to == second.resolve()
    assert watcher.poll() == moved_to  # until the app says it dealt with it
    card = load_deck(moved_to).deck.card("seizure", "en")
    assert card is not None and card.title == "Two"
    watcher.accept(moved_to)
    assert watcher.poll() is None and watcher.loaded == moved_to
    main(["deck", "rollback", "--decks", str(decks)])
    assert watcher.poll() == first.resolve()


def test_poll_is_one_readlink_when_nothing_changed(tmp_path, monkeypatch) -> None:
    decks = tmp_path / "decks"
    install(tmp_path, decks, "One")
    watcher = DeckWatcher(decks / "current")
    calls: list[str] = []
    real_readlink = os.readlink
    monkeypatch.setattr(os, "readlink", lambda p: calls.append("readlink") or real_readlink(p))
    monkeypatch.setattr(os.path, "realpath", lambda p: calls.append("realpath") or p)
    for _ in range(3):
        assert watcher.poll() is None
    assert calls == ["readlink"] * 3


def test_a_plain_folder_never_reports_a_change_and_poll_never_raises(tmp_path) -> None:
    watcher = DeckWatcher(bundled_cards_dir())
    assert watcher.poll() is None
    gone = tmp_path / "decks" / "current"
    gone.parent.mkdir()
    gone.symlink_to("nowhere")
    watcher = DeckWatcher(gone)
    os.unlink(gone)
    gone.symlink_to("elsewhere")
    assert watcher.poll() is None  # a link to nothing is not a deck to switch to


def test_deck_version_for_the_staff_screen(tmp_path) -> None:
    decks = tmp_path / "decks"
    folder = install(tmp_path, decks, "One")
    version = deck_version(decks / "current")
    assert version.name == folder.name and version.installed_at.endswith("Z")
    assert folder.name in version.label and "installed" in version.label
    bundle = tmp_path / "b.kdeck"
    assert (
        main(
            [
                "deck",
                "build",
                str(make_deck(tmp_path / "src", "Bundled")),
                "--out",
                str(bundle),
                "--deck-version",
                "spring review 2027",
            ]
        )
        == 0
    )
    assert main(["deck", "install", str(bundle), "--decks", str(decks)]) == 0
    label = DeckWatcher(decks / "current").version.label
    assert label.startswith("spring review 2027 (installed ")
    assert "not installed with kiosk deck install" in deck_version(bundled_cards_dir()).label
    assert deck_version(tmp_path / "missing").name == "missing"
