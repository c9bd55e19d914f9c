"""The staged load (issue 19): the first screen's languages first, the rest after.

Whatever the deck holds, ``finish()`` must give exactly what ``load_deck`` gives (the
staff screen, the fleet metrics and ``kiosk check`` agree), and ``first`` must show the
first screen's languages exactly as the whole deck shows them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from deckhelpers import TODAY, DeckDir, Raw

from kiosk.deck import StagedDeckLoad, bundled_cards_dir, load_deck
from kiosk.deck.model import LoadResult

pytestmark = [pytest.mark.data]

APP_FIXTURES = Path(__file__).resolve().parent.parent / "app" / "fixtures"


def shown(result: LoadResult, language: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """What a visitor sees in ``language``: each tile's card, title and steps' text."""
    deck = result.deck
    cards = deck.cards_for(language)
    return [(c.id, c.title, tuple(s.text for s in c.steps)) for c in cards]


def broken_deck(root: DeckDir) -> DeckDir:
    """Problems in every language, cross-language links, a missing and an unlisted language."""
    root.root.mkdir()
    root.meta(
        'languages = ["en", "uk", "de"]\ndefault_language = "en"\norder = ["alpha", "ghost"]\n'
    )
    root.card("en", "alpha", related=["beta", "only-uk", "nowhere"])
    root.card("en", "beta", title=Raw("[broken"))
    root.card("en", "gamma")
    root.card("uk", "alpha", related=["beta"])
    root.card("uk", "only-uk")
    root.card("uk", "gamma", urgency="unknown")
    root.write("uk", "notes.txt", "not a card")
    root.card("fr", "alpha")  # not listed
    return root


@pytest.mark.parametrize("first_languages", [(), ("en",), ("uk",), ("en", "uk")])
def test_finish_equals_load_deck_on_a_broken_deck(tmp_path: Path, first_languages) -> None:
    deck = broken_deck(DeckDir(tmp_path / "cards"))
    staged = StagedDeckLoad(deck.root, first_languages, today=TODAY)
    assert staged.finish() == load_deck(deck.root, today=TODAY)
    assert staged.finish() is staged.finish()  # loaded once


@pytest.mark.parametrize(
    "cards_dir",
    [bundled_cards_dir(), APP_FIXTURES / "cards", APP_FIXTURES / "broken", Path("/nonexistent")],
    ids=["bundled", "ui-fixture", "ui-broken", "missing"],
)
def test_finish_equals_load_deck_on_real_decks(cards_dir: Path) -> None:
    staged = StagedDeckLoad(cards_dir, ["en"])
    assert staged.finish() == load_deck(cards_dir)


def test_first_reads_only_the_languages_asked_for(tmp_path: Path) -> None:
    deck = broken_deck(DeckDir(tmp_path / "cards"))
    staged = StagedDeckLoad(deck.root, [], today=TODAY)
    assert set(staged.first.deck.cards) == {"en"}  # the default language
    assert staged.first.deck.languages == load_deck(deck.root, today=TODAY).deck.languages
    assert not staged.finished
    uk_first = StagedDeckLoad(deck.root, ["uk"], today=TODAY)
    assert set(uk_first.first.deck.cards) == {"en", "uk"}  # uk falls back to en


@pytest.mark.parametrize("language", ["en", "uk"])
def test_first_shows_its_language_as_the_whole_deck_does(tmp_path: Path, language: str) -> None:
    deck = broken_deck(DeckDir(tmp_path / "cards"))
    staged = StagedDeckLoad(deck.root, [language], today=TODAY)
    first, full = staged.first, staged.finish()
    assert shown(first, language) == shown(full, language)
    assert shown(first, "en") == shown(full, "en")
    assert first.deck.default_language == full.deck.default_language


def test_first_of_the_bundled_deck_shows_english_as_the_whole_deck_does() -> None:
    staged = StagedDeckLoad(bundled_cards_dir(), ["en"])
    assert not staged.finished  # Ukrainian is left for later
    assert shown(staged.first, "en") == shown(staged.finish(), "en")
    assert not staged.first.problems  # no made-up problems about the languages not read


def test_a_deck_of_one_language_is_finished_at_once(tmp_path: Path) -> None:
    deck = DeckDir(tmp_path / "cards")
    deck.root.mkdir()
    deck.meta('languages = ["en"]\n')
    deck.card("en", "alpha")
    staged = StagedDeckLoad(deck.root, ["en"], today=TODAY)
    assert staged.finished
    assert staged.finish() is staged.first
    assert staged.first == load_deck(deck.root, today=TODAY)


def test_each_card_file_is_read_once(deck: DeckDir, monkeypatch) -> None:
    from kiosk.deck import files

    reads: list[str] = []
    original = files.read_text

    def counting(path: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        reads.append(str(path))
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "read_text", counting)
    staged = StagedDeckLoad(deck.root, ["en"], today=TODAY)
    assert sorted(Path(p).parent.name for p in reads if p.endswith(".toml")) == [
        "cards",
        "en",
        "en",
    ]
    staged.finish()
    card_reads = [p for p in reads if Path(p).parent.name in ("en", "uk")]
    assert len(card_reads) == len(set(card_reads)) == 4


def test_a_bug_in_a_check_is_a_problem_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    from kiosk.deck import loader

    deck = broken_deck(DeckDir(tmp_path / "cards"))
    staged = StagedDeckLoad(deck.root, ["en"], today=TODAY)

    def fail(self: object, language: str) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(loader._DeckLoader, "add_language", fail)
    assert [p.code for p in staged.finish().problems] == ["E099"]
