"""Load and check a deck directory into a :class:`~kiosk.deck.model.LoadResult`.

``load_deck`` never raises, never blocks and never writes: whatever is in the
directory, valid cards load and everything wrong becomes a
:class:`~kiosk.deck.model.Problem` with a stable code (see
:mod:`kiosk.deck.codes`). A card file with an error is left out; warnings keep
the card. Checks on a single file live in :mod:`kiosk.deck.checks`; this module
walks the directory and checks what needs the whole deck: ``deck.toml``,
languages, duplicate ids, ``related`` and ``order``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kiosk.core.choices import FALLBACK_LANGUAGE
from kiosk.deck import bundled_cards_dir, files
from kiosk.deck.checks import SLUG, check_card, line_of, suggest, type_name
from kiosk.deck.codes import INTERNAL_ERROR
from kiosk.deck.model import Card, Deck, LoadResult, Problem

DECK_FILE = "deck.toml"
DECK_KEYS = frozenset(("languages", "default_language", "order"))
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")

__all__ = ["StagedDeckLoad", "bundled_cards_dir", "load_deck", "line_of_id"]


def load_deck(cards_dir: Path, today: dt.date | None = None) -> LoadResult:
    """Load every card under ``cards_dir``; broken files become problems, never exceptions.

    ``today`` (default: the system date) decides which reviews are in the
    future or overdue.
    """
    loader = _DeckLoader(Path(cards_dir), today or dt.date.today())
    return _guarded(cards_dir, loader.load)


class StagedDeckLoad:
    """A deck loaded in two steps, so the first screen does not wait for every language.

    ``first`` holds ``deck.toml`` (every language listed, the order) and the cards of
    ``languages`` and the deck's default language only: what a first screen in one of
    those languages shows, the same as the whole deck would show it. Its problems are
    provisional (the other languages' files are not read yet). :meth:`finish` loads the
    rest and returns the whole deck, equal to :func:`load_deck` of the same folder; the
    card files already read are not read again. Never raises (like :func:`load_deck`)::

        staged = StagedDeckLoad(cards_dir, [site.default_language])
        show(staged.first)           # the first screen
        result = staged.finish()     # then everything, as `kiosk check` sees it

    Not for ``kiosk check`` or an install, which want every file checked at once.
    """

    def __init__(
        self, cards_dir: Path, languages: Iterable[str] = (), today: dt.date | None = None
    ) -> None:
        self.cards_dir = Path(cards_dir)
        self._loader = _DeckLoader(self.cards_dir, today or dt.date.today())
        wanted = frozenset(languages)
        self.first: LoadResult = _guarded(cards_dir, lambda: self._loader.load(only=wanted))
        self._full: LoadResult | None = None
        if not self._loader.left_out:  # nothing left to read: the first result is the deck
            self._full = self.first

    @property
    def finished(self) -> bool:
        """Whether :meth:`finish` has nothing left to do."""
        return self._full is not None

    def finish(self) -> LoadResult:
        """The whole deck (loaded once; later calls return the same result)."""
        if self._full is None:
            self._full = _guarded(self.cards_dir, self._loader.load)
        return self._full


def _guarded(cards_dir: Path, load: Callable[[], LoadResult]) -> LoadResult:
    """``load()``, with a bug in a check turned into a problem and the collector paused."""
    # Loading makes many objects and no reference cycles; pausing the cycle
    # collector saves its repeated passes over the growing deck (about 8% at
    # 10,000 cards).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return load()
    except Exception as error:  # a bug in a check must not stop the kiosk
        problem = Problem(Path(str(cards_dir)), INTERNAL_ERROR, f"internal error: {error!r}")
        return LoadResult(Deck((FALLBACK_LANGUAGE,), FALLBACK_LANGUAGE, ()), (problem,))
    finally:
        if collecting:
            gc.enable()


def _entries(directory: Path) -> dict[str, os.DirEntry[str]] | None:
    """Directory entries by name, skipping hidden ones (editor lock and swap files)."""
    try:
        with os.scandir(directory) as scan:
            return {entry.name: entry for entry in scan if not entry.name.startswith(".")}
    except OSError:
        return None


def _is_language_dir(entry: os.DirEntry[str]) -> bool:
    """A folder named like a language code (so not ``__pycache__`` or a ``deck.toml/``)."""
    try:
        return bool(LANGUAGE_CODE.match(entry.name)) and entry.is_dir()
    except OSError:
        return False


@dataclasses.dataclass
class _Meta:
    languages: list[str]
    default_language: str
    order: list[str]
    order_given: bool


class _DeckLoader:
    def __init__(self, cards_dir: Path, today: dt.date) -> None:
        self.cards_dir = cards_dir
        self.today = today
        self.problems: list[Problem] = []
        self.cards: dict[str, dict[str, Card]] = {}
        self.stems: dict[str, set[str]] = {}
        self.meta_text = ""
        #: What :meth:`load` read once and a second call reuses: the folder listing with
        #: ``deck.toml`` (and its problems), and each language's cards, file names and
        #: problems before the whole-deck checks.
        self._scan: tuple[dict[str, os.DirEntry[str]], list[str], _Meta, list[Problem]] | None
        self._scan = None
        self._languages: dict[str, tuple[dict[str, Card], set[str], list[Problem]]] = {}
        self.left_out = False
        """The last :meth:`load` left out a language (``only``)."""

    def problem(
        self, path: Path, code: str, message: str, card_id: str = "", line: int | None = None
    ) -> None:
        self.problems.append(Problem(path, code, message, card_id, line))

    def load(self, only: frozenset[str] | None = None) -> LoadResult:
        """The deck; with ``only``, the cards of those languages and the default one only.

        A second call reuses the files the first one read, and gives the same result as
        one call would have (problems in the same order).
        """
        if self._scan is None:
            self.problems = []
            entries = _entries(self.cards_dir)
            if entries is None:
                what = "missing" if not self.cards_dir.exists() else "not a readable directory"
                self.problem(self.cards_dir, "E022", f"cards directory {what}")
                return LoadResult(
                    Deck((FALLBACK_LANGUAGE,), FALLBACK_LANGUAGE, ()), tuple(self.problems)
                )
            found = sorted(name for name, e in entries.items() if _is_language_dir(e))
            meta = self.read_meta(entries, found)
            self._scan = (entries, found, meta, self.problems)
        entries, found_languages, meta, meta_problems = self._scan
        self.problems, self.cards, self.stems = list(meta_problems), {}, {}
        self.left_out = False
        languages = []
        for language in meta.languages:
            entry = entries.get(language)
            if entry is None or not _is_language_dir(entry):
                message = f"language {language!r} is listed but {language}/ is missing"
                line = line_of(self.meta_text, "languages")
                self.problem(self.cards_dir / DECK_FILE, "E024", message, line=line)
                continue
            languages.append(language)
            if only is None or language in only or language == meta.default_language:
                self.add_language(language)
            else:
                self.left_out = True
        for language in found_languages:
            if language not in meta.languages:
                message = f"directory {language}/ is not listed in languages; its cards are ignored"
                self.problem(self.cards_dir / language, "W006", message)
        self.check_translations(meta.default_language, [x for x in languages if x in self.cards])
        self.check_related()
        self.check_opens(meta.default_language)
        order = self.check_order(meta)
        if meta.default_language not in languages:
            languages.insert(0, meta.default_language)
        deck = Deck(tuple(languages), meta.default_language, tuple(order), self.cards)
        self.problems.sort(key=lambda p: (str(p.path), p.line or 0))
        return LoadResult(deck, tuple(self.problems))

    def add_language(self, language: str) -> None:
        """Put ``language``'s cards, file names and problems in; its files are read once."""
        if language not in self._languages:
            outer, self.problems = self.problems, []
            try:
                self.load_language(language)
                self._languages[language] = (
                    self.cards[language],
                    self.stems[language],
                    self.problems,
                )
            finally:
                self.problems = outer
        by_id, stems, problems = self._languages[language]
        self.cards[language] = dict(by_id)  # the whole-deck checks replace cards in it
        self.stems[language] = stems
        self.problems.extend(problems)

    # deck.toml

    def read_meta(self, entries: dict[str, os.DirEntry[str]], found: list[str]) -> _Meta:
        """``deck.toml``, or defaults (the language directories found) when it is unusable."""
        default_languages = found or [FALLBACK_LANGUAGE]
        default_default = FALLBACK_LANGUAGE if FALLBACK_LANGUAGE in found else default_languages[0]
        meta = _Meta(default_languages, default_default, [], False)
        path = self.cards_dir / DECK_FILE
        entry = entries.get(DECK_FILE)
        if entry is None:
            message = "deck.toml missing; using every language directory and alphabetical order"
            self.problem(path, "E023", message)
            return meta
        is_symlink = _is_symlink(entry)
        if not is_symlink and not entry.is_file(follow_symlinks=False):
            kind = files.kind(entry.stat(follow_symlinks=False).st_mode)
            self.problem(path, "E018", f"not a regular file: {kind}")
            return meta
        text, problems = files.read_text(path, is_symlink, files.MAX_DECK_FILE_BYTES)
        self.problems.extend(problems)
        if text is None:
            return meta
        self.meta_text = text
        data, problems = files.parse(path, text)
        self.problems.extend(problems)
        if data is None:
            return meta
        for key in sorted(data.keys() - DECK_KEYS):
            message = f"unknown key {key!r} in deck.toml{suggest(key, DECK_KEYS)}"
            self.problem(path, "E002", message, line=line_of(text, key))

        def line(key: str) -> int | None:
            return line_of(text, key)

        languages = data.get("languages")
        if languages is None:
            self.problem(path, "E004", "required field languages is missing")
        elif self.string_list(path, "languages", languages, line("languages")):
            valid = []
            for language in languages:
                if not LANGUAGE_CODE.match(language):
                    message = f"language {language!r} is not a code like 'en' or 'pt-BR'"
                    self.problem(path, "E026", message, line=line("languages"))
                elif language in valid:
                    message = f"language {language!r} is listed twice"
                    self.problem(path, "E029", message, line=line("languages"))
                else:
                    valid.append(language)
            if valid:
                meta.languages = valid
                meta.default_language = valid[0]
            else:
                self.problem(path, "E005", "languages is empty", line=line("languages"))
        default = data.get("default_language")
        if default is not None:
            if type(default) is not str:
                message = f"default_language must be a string, not {type_name(default)}"
                self.problem(path, "E003", message, line=line("default_language"))
            elif default not in meta.languages:
                message = f"default_language {default!r} is not one of the languages"
                self.problem(path, "E027", message, line=line("default_language"))
            else:
                meta.default_language = default
        order = data.get("order")
        if order is not None and self.string_list(path, "order", order, line("order")):
            meta.order_given = True
            seen: set[str] = set()
            for card_id in order:
                if card_id in seen:
                    message = f"order names {card_id!r} twice"
                    self.problem(path, "E029", message, line=line("order"))
                else:
                    seen.add(card_id)
                    meta.order.append(card_id)
        return meta

    def string_list(self, path: Path, key: str, value: Any, line: int | None) -> bool:
        if type(value) is not list or any(type(item) is not str for item in value):
            message = f"{key} must be a list of strings, not {type_name(value)}"
            if type(value) is list:
                message = f"{key} must be a list of strings"
            self.problem(path, "E003", message, line=line)
            return False
        return True

    # Card files

    def load_language(self, language: str) -> None:
        directory = self.cards_dir / language
        entries = _entries(directory)
        by_id: dict[str, Card] = {}
        declared: dict[str, list[Path]] = {}
        stems: set[str] = set()
        self.cards[language] = by_id
        self.stems[language] = stems
        if entries is None:
            self.problem(directory, "E031", "cannot list the directory")
            return
        for name in sorted(entries):
            path = directory / name
            if not name.endswith(".toml"):
                message = "ignored: card files end in .toml"
                self.problem(path, "W011", message)
                continue
            stems.add(name[:-5])
            try:
                card, declared_id = self.load_card(path, entries[name], language)
            except Exception as error:  # a bug in a check must not hide the other cards
                self.problem(path, INTERNAL_ERROR, f"internal error: {error!r}", name[:-5])
                continue
            if declared_id:
                declared.setdefault(declared_id, []).append(path)
            if card is not None:
                by_id[card.id] = card
        for declared_id, paths in declared.items():
            for path in paths:
                if len(paths) > 1 and path.stem != declared_id:
                    others = ", ".join(p.name for p in paths if p is not path)
                    message = f"id {declared_id!r} is also used by {others}"
                    self.problem(path, "E009", message, declared_id, line_of_id(path))

    def load_card(
        self, path: Path, entry: os.DirEntry[str], language: str
    ) -> tuple[Card | None, str]:
        """The card (``None`` after an error) and the slug id it declares (or "")."""
        stem = entry.name[:-5]
        is_symlink = entry.is_symlink()
        if not is_symlink and not entry.is_file(follow_symlinks=False):
            kind = files.kind(entry.stat(follow_symlinks=False).st_mode)
            self.problem(path, "E018", f"not a regular file: {kind}", stem)
            return None, ""
        text, problems = files.read_text(path, is_symlink, name=entry.path)
        if text is not None:
            data, parse_problems = files.parse(path, text, stem)
            problems.extend(parse_problems)
            if data is not None:
                card, card_problems, declared_id = check_card(
                    path, text, data, language, self.today, stem
                )
                if problems:
                    self.problems.extend(_with_id(problems, declared_id or stem))
                self.problems.extend(card_problems)
                return card, declared_id
        self.problems.extend(_with_id(problems, stem))
        return None, ""

    # Whole-deck checks

    def check_translations(self, default: str, languages: list[str]) -> None:
        """Every card must exist in the default language; others may fall back to it."""
        default_stems = self.stems.get(default, set())
        shown = set(self.cards.get(default, {}))
        for language in languages:
            if language == default:
                continue
            stems = self.stems.get(language, set())
            for card_id in sorted(stems - default_stems):
                path = self.cards_dir / language / f"{card_id}.toml"
                message = f"no {default}/{card_id}.toml in the default language {default!r}"
                self.problem(path, "E025", message, card_id)
            # A default card that failed to load has its own error; no fallback to report.
            for card_id in sorted((default_stems & shown) - stems):
                path = self.cards_dir / language / f"{card_id}.toml"
                message = f"not translated into {language!r}; the {default!r} card is shown"
                self.problem(path, "W007", message, card_id)

    def check_related(self) -> None:
        """Drop ``related`` links to cards that did not load; report names of no card at all."""
        loaded = {card_id for by_id in self.cards.values() for card_id in by_id}
        files_found = set().union(*self.stems.values()) if self.stems else set()
        for by_id in self.cards.values():
            for card_id, card in list(by_id.items()):
                missing = [r for r in card.related if r not in loaded]
                if not missing:
                    continue
                for related in missing:
                    if related not in files_found:
                        text = _read_quietly(card.path)
                        message = f"related card {related!r} is not in the deck"
                        message += suggest(related, loaded)
                        line = line_of(text, "related") if text else None
                        self.problem(card.path or Path(), "E010", message, card_id, line)
                kept = tuple(r for r in card.related if r in loaded)
                by_id[card_id] = dataclasses.replace(card, related=kept)

    def check_opens(self, default: str) -> None:
        """A step's ``opens`` must name a card the visitor can see in the card's language
        (or the default language it falls back to); the button is dropped otherwise, and a
        name of no card at all is reported.
        """
        files_found = set().union(*self.stems.values()) if self.stems else set()
        fallback = set(self.cards.get(default, {}))
        for by_id in self.cards.values():
            shown = fallback | set(by_id)
            for card_id, card in list(by_id.items()):
                if all(not step.opens or step.opens in shown for step in card.steps):
                    continue
                steps = []
                for number, step in enumerate(card.steps, 1):
                    if step.opens and step.opens not in shown:
                        if step.opens not in files_found:
                            text = _read_quietly(card.path)
                            message = f"step {number} opens {step.opens!r}: not in the deck"
                            message += suggest(step.opens, shown)
                            line = _line_of_opens(text, step.opens) if text else None
                            self.problem(card.path or Path(), "E034", message, card_id, line)
                        step = dataclasses.replace(step, opens="")
                    steps.append(step)
                by_id[card_id] = dataclasses.replace(card, steps=tuple(steps))

    def check_order(self, meta: _Meta) -> list[str]:
        """The home-screen order without unknown ids; reports unknown and unlisted cards."""
        path = self.cards_dir / DECK_FILE
        loaded = {card_id for by_id in self.cards.values() for card_id in by_id}
        files_found = set().union(*self.stems.values()) if self.stems else set()
        for card_id in meta.order:
            if card_id not in files_found:
                message = f"order names {card_id!r}, which is not in the deck"
                message += suggest(card_id, files_found)
                self.problem(path, "E028", message, line=line_of(self.meta_text, "order"))
        if meta.order_given:
            listed = set(meta.order)
            for card_id in sorted(set(self.cards.get(meta.default_language, {})) - listed):
                if SLUG.match(card_id):
                    message = f"{card_id!r} is not in order; it is shown after the ordered cards"
                    self.problem(path, "W008", message, card_id, line_of(self.meta_text, "order"))
        return [card_id for card_id in meta.order if card_id in loaded]


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return True


def _with_id(problems: list[Problem], card_id: str) -> list[Problem]:
    return [p if p.card_id else dataclasses.replace(p, card_id=card_id) for p in problems]


def _read_quietly(path: Path | None) -> str | None:
    """A card's text again, only to find a line number for a deck-level problem."""
    if path is None:
        return None
    text, _ = files.read_text(path)
    return text


def _line_of_opens(text: str, target: str) -> int | None:
    """The line of ``opens = "target"`` (the first, if several steps open the same card)."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("opens") and target in line:
            return number
    return None


def line_of_id(path: Path) -> int | None:
    text = _read_quietly(path)
    return line_of(text, "id") if text else None
