"""``kiosk check`` and ``kiosk list``. WALKING-SKELETON VERSION (issue 2 completes it)."""

from __future__ import annotations

import argparse

from kiosk.deck.loader import bundled_cards_dir, load_deck
from kiosk.site import load_site


def check_command(args: argparse.Namespace) -> int:
    deck_result = load_deck(args.cards or bundled_cards_dir())
    site_result = load_site(args.site)
    problems = deck_result.problems + site_result.problems
    for problem in problems:
        print(problem.format())
    errors = [p for p in problems if not p.code.startswith("W")]
    print(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)")
    return 1 if errors else 0


def list_command(args: argparse.Namespace) -> int:
    deck = load_deck(args.cards or bundled_cards_dir()).deck
    for card in deck.cards_for(args.lang or deck.default_language):
        langs = ",".join(lang for lang in deck.languages if card.id in deck.cards.get(lang, {}))
        print(f"{card.id}\t{langs}\t{card.title}")
    return 0
