"""``kiosk check`` and ``kiosk list``: the deck as operators and scripts see it.

Neither command ever prints a traceback: an unexpected failure becomes one
``internal error`` line on stderr and exit status 2. Everything printed is
made safe for a terminal (control characters and undecodable file names are
escaped), since file names and messages come from whatever is in the deck.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from kiosk.core.problem import Problem, Severity
from kiosk.core.text import printable
from kiosk.deck.loader import bundled_cards_dir, load_deck

INTERNAL_ERROR_STATUS = 2

__all__ = ["check_command", "list_command", "printable"]


def _emit(lines: Iterable[str], stream: TextIO | None = None, escape: bool = True) -> None:
    """Write lines, escaped with :func:`printable` unless the caller did it already."""
    stream = stream or sys.stdout
    for line in lines:
        stream.write((printable(line) if escape else line) + "\n")
    stream.flush()


def _cards_dir(args: argparse.Namespace) -> Path:
    return args.cards if getattr(args, "cards", None) else bundled_cards_dir()


def check_command(args: argparse.Namespace) -> int:
    """Print every deck and site problem, then a summary; 1 if any is an error."""
    try:
        return _check(args)
    except BrokenPipeError:  # `kiosk check | head`: kiosk.cli ends quietly
        raise
    except Exception as error:  # the operator gets one line, never a traceback
        _emit([f"kiosk check: internal error: {error!r}"], sys.stderr)
        return INTERNAL_ERROR_STATUS


def _check(args: argparse.Namespace) -> int:
    from kiosk.site import load_site

    result = load_deck(_cards_dir(args))
    problems: list[Problem] = list(result.problems)
    site_path = getattr(args, "site", None)
    site_line: list[str] = []
    if site_path is not None:
        from kiosk.voice.check import voice_problems  # Read aloud: W120, W121

        site_result = load_site(site_path)
        site_problems = [
            *site_result.problems,
            *voice_problems(result.deck, site_result.site, site_path),
        ]
        problems.extend(site_problems)
        # Name the file checked, so an operator sees it was the one they meant.
        site_errors = sum(1 for p in site_problems if p.severity is Severity.ERROR)
        site_warnings = len(site_problems) - site_errors
        verdict = (
            "OK"
            if not site_problems
            else f"{site_errors} error{'s' * (site_errors != 1)},"
            f" {site_warnings} warning{'s' * (site_warnings != 1)}"
        )
        site_line = [f"site file {site_path}: {verdict}"]
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    deck = result.deck
    cards = sum(len(by_id) for by_id in deck.cards.values())
    summary = (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        f" ({cards} card file{'s' * (cards != 1)} loaded"
        f" in {len(deck.languages)} language{'s' * (len(deck.languages) != 1)})"
    )
    _emit([p.format() for p in problems] + site_line + [summary])
    return 1 if errors else 0


def list_command(args: argparse.Namespace) -> int:
    """One card a line: ``id<TAB>languages<TAB>title``, in home-screen order."""
    try:
        return _list(args)
    except BrokenPipeError:  # `kiosk list | head`: kiosk.cli ends quietly
        raise
    except Exception as error:
        _emit([f"kiosk list: internal error: {error!r}"], sys.stderr)
        return INTERNAL_ERROR_STATUS


def _list(args: argparse.Namespace) -> int:
    result = load_deck(_cards_dir(args))
    deck = result.deck
    language = getattr(args, "lang", None) or deck.default_language
    if language not in deck.languages:
        known = ", ".join(deck.languages)
        _emit([f"kiosk list: no language {language!r} in the deck (it has {known})"], sys.stderr)
        return INTERNAL_ERROR_STATUS
    lines = []
    for card in deck.cards_for(language):
        languages = ",".join(lang for lang in deck.languages if card.id in deck.cards.get(lang, {}))
        lines.append("\t".join(printable(field) for field in (card.id, languages, card.title)))
    _emit(lines, escape=False)
    if result.errors:
        count = len(result.errors)
        _emit([f"kiosk list: {count} deck error(s) hide some cards; run kiosk check"], sys.stderr)
    return 0
